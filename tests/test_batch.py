"""``jixiao batch`` over a generated corpus: exactly the injected errors, the broken files listed,
a summary that opens (and converts with LibreOffice), user text neutralised in cells and CSV."""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from jixiao import batch, workbook
from jixiao.batch.rows import COLUMN
from jixiao.cli import main
from jixiao.datafile import dump_filing
from jixiao.office import convert
from jixiao.pipeline import DATA_READERS, read_data_file
from jixiao.textsafe import neutralize

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():
    spec = importlib.util.spec_from_file_location("jixiao_bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


READERS = {**DATA_READERS, **workbook.READERS}


def _reads_bad_as_boom(path):
    """Read a data file, but fail on bad.json as a buggy parser would."""
    if str(path).endswith("bad.json"):
        raise RuntimeError("boom")
    return read_data_file(path)


def _dies_on_crash(path):
    """Read a data file, but kill the process on crash.json as a segfault in a parser would."""
    if str(path).endswith("crash.json"):
        os._exit(3)
    return read_data_file(path)


@pytest.fixture(scope="module", params=[".json", ".xlsx"])
def corpus(request, tmp_path_factory):
    """Return (folder of 20 units and 2 broken files, ground truth)."""
    out = tmp_path_factory.mktemp(f"corpus{request.param.replace('.', '_')}")
    shape = generate.UnitShape(projects=2, t12_indicators=8, t13_indicators=6)
    truth = generate.generate(out, 20, shape, seed=7, suffix=request.param, clean_share=0.3, jobs=1)
    return out / "units", truth


@pytest.fixture(scope="module")
def summary(corpus, tmp_path_factory):
    """Return (summary path, exit code, stdout) of one batch run over the corpus with every output."""
    folder, _ = corpus
    out = tmp_path_factory.mktemp("summary") / "汇总.xlsx"
    code = main(["batch", str(folder), "-o", str(out), "--json", "--csv", "-j", "2", "-q"])
    return out, code


def test_batch_reports_exactly_the_injected_errors(corpus, summary):
    _, truth = corpus
    out, code = summary
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    found = {entry["file"]: {f["rule"] for f in entry["findings"]} for entry in data["files"]}
    expected = {name: set(item["rules"]) for name, item in truth["files"].items()}
    assert found == expected
    assert sum(1 for rules in expected.values() if not rules) >= 3  # clean units: no finding at all
    assert code == 1  # errors and unreadable files


def test_broken_and_foreign_files_are_listed_with_a_reason(corpus, summary):
    _, truth = corpus
    out, _ = summary
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    unreadable = {item["file"]: item["reason"] for item in data["unreadable"]}
    assert set(unreadable) == set(truth["unreadable"])
    assert all(reason and "\n" not in reason for reason in unreadable.values())
    book = openpyxl.load_workbook(out, read_only=True)
    rows = list(book["无法读取"].iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == set(truth["unreadable"])


def test_summary_workbook_has_rows_findings_statistics_and_a_chart(corpus, summary):
    _, truth = corpus
    out, _ = summary
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["汇总", "问题清单", "统计", "未填写", "无法读取"]
    rows = list(book["汇总"].iter_rows(min_row=2, values_only=True))
    units = [r for r in rows if r[2] == "单位"]
    assert len(units) == len(truth["files"])
    assert len(rows) == len(truth["files"]) * 3  # 1 unit row + 2 projects each
    assert all(r[COLUMN["等级"]] in ("优", "良", "中", "差") for r in rows)
    for row in units:
        rules = truth["files"][row[0]]["rules"]
        main_problem = row[COLUMN["最主要的问题"]]
        assert (main_problem or "") == "" if not rules else main_problem.startswith("[")
    findings = list(book["问题清单"].iter_rows(min_row=2, values_only=True))
    assert len(findings) >= sum(len(item["rules"]) for item in truth["files"].values())
    assert all(f[0] in truth["files"] and f[3] for f in findings)
    stats = [r for r in book["统计"].iter_rows(values_only=True) if r[0] in ("优", "良", "中", "差")]
    assert sum(r[1] for r in stats) == len(truth["files"])
    with zipfile.ZipFile(out) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())


def test_csv_outputs_open_in_excel(corpus, summary):
    out, _ = summary
    rows_csv = batch.companion_paths(out)["csv"]
    raw = rows_csv.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel on Windows reads UTF-8 with a BOM
    rows = list(csv.reader(rows_csv.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][0] == "文件" and len(rows) > 1
    assert batch.companion_paths(out)["findings_csv"].exists()


@pytest.mark.libreoffice
def test_summary_converts_to_pdf_with_libreoffice(soffice, summary, tmp_path):
    out, _ = summary
    pdf = convert(out, "pdf", tmp_path)
    assert pdf.exists() and pdf.stat().st_size > 1000


def test_user_text_that_looks_like_a_formula_is_neutralised(tmp_path):
    filing = generate.clean_filing(generate.random.Random(1), 0, generate.UnitShape(1, 8, 6))
    filing.unit = '=HYPERLINK("http://example.com","点我")'
    filing.t12.dept_name = filing.unit
    dump_filing(filing, tmp_path / "in" / "a.json")
    out = tmp_path / "s.xlsx"
    code = main(["batch", str(tmp_path / "in"), "-o", str(out), "--csv", "-q"])
    assert code == 0
    sheet = openpyxl.load_workbook(out)["汇总"]
    assert sheet["D2"].value == filing.unit  # the text itself, stored as text with Excel's quote prefix
    assert sheet["D2"].data_type == "s" and sheet["D2"].quotePrefix
    text = batch.companion_paths(out)["csv"].read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert neutralize("-5") == "'-5"
    assert neutralize("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize("正常文字") == "正常文字"


def test_other_files_in_the_folder_are_listed_and_outputs_not_reread(tmp_path, capsys):
    folder = tmp_path / "收件"
    folder.mkdir()
    filing = generate.clean_filing(generate.random.Random(2), 3, generate.UnitShape(1, 8, 6))
    dump_filing(filing, folder / "单位甲.json")
    (folder / "自评报告.pdf").write_bytes(b"%PDF-1.4")
    (folder / "单位乙.et").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "~$单位甲.xlsx").write_bytes(b"lock")  # Excel's lock file: ignored
    dump_filing(filing, folder / "单位甲.bak-20260427-093000.json")  # a backup jixiao score left
    out = folder / "汇总.xlsx"
    for _ in range(2):  # the second run must not read the first run's outputs
        code = main(["batch", str(folder), "-o", str(out), "--json", "--csv", "-q"])
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert [entry["file"] for entry in data["files"]] == ["单位甲.json"]
    reasons = {item["file"]: item["reason"] for item in data["unreadable"]}
    assert set(reasons) == {"单位甲.bak-20260427-093000.json", "单位乙.et", "自评报告.pdf"}
    assert "另存为 .xlsx" in reasons["单位乙.et"]
    assert "备份" in reasons["单位甲.bak-20260427-093000.json"]
    assert code == 0  # one clean filing; the other files are listed, not errors
    printed = capsys.readouterr().out
    assert "已跳过 自评报告.pdf" in printed


def test_a_file_that_crashes_the_reader_does_not_stop_the_batch(tmp_path):
    good = tmp_path / "good.json"
    bad = tmp_path / "bad.json"
    filing = generate.clean_filing(generate.random.Random(3), 5, generate.UnitShape(1, 8, 6))
    dump_filing(filing, good)
    dump_filing(filing, bad)
    result = batch.run_batch(batch.collect(str(tmp_path)), readers={".json": _reads_bad_as_boom}, jobs=1)
    assert [u.file for u in result.units] == ["good.json"]
    assert result.unreadable[0].file == "bad.json"
    assert "boom" in result.unreadable[0].reason


def test_glob_and_no_match(tmp_path, capsys):
    filing = generate.clean_filing(generate.random.Random(4), 6, generate.UnitShape(1, 8, 6))
    dump_filing(filing, tmp_path / "a" / "x.json")
    dump_filing(filing, tmp_path / "b" / "y.json")
    files = batch.collect(str(tmp_path / "*" / "*.json"))
    assert [name for _, name in files] == ["a/x.json", "b/y.json"]
    code = main(["batch", str(tmp_path / "nothing*.xlsx"), "-o", str(tmp_path / "s.xlsx")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("jixiao：没有找到要检查的文件")


def test_a_relative_glob_as_in_the_help_is_checked_and_the_outputs_take_plain_strings(
    tmp_path, monkeypatch, capsys
):
    """``jixiao batch "2025/*.json"`` typed in the parent folder (the form ``batch -h`` shows)."""
    filing = generate.clean_filing(generate.random.Random(4), 6, generate.UnitShape(1, 8, 6))
    dump_filing(filing, tmp_path / "2025" / "甲.json")
    dump_filing(filing, tmp_path / "2025" / "乙.json")
    monkeypatch.chdir(tmp_path)
    assert main(["batch", "2025/*.json", "-o", "汇总.xlsx", "--csv", "-q"]) == 0
    assert "内部错误" not in capsys.readouterr().err
    files = batch.collect("2025/*.json")
    assert sorted(name for _, name in files) == ["乙.json", "甲.json"]
    result = batch.run_batch(files, readers=DATA_READERS, jobs=1)
    batch.write_summary(result, "py.xlsx")
    assert batch.write_json(result, "py.xlsx") == Path("py.json")
    assert Path("py.csv") in batch.write_csv(result, "py.xlsx")
    rows = [openpyxl.load_workbook(name)["汇总"].max_row for name in ("py.xlsx", "汇总.xlsx")]
    assert rows[0] == rows[1] > 1


@pytest.mark.skipif(
    batch.mp_context().get_start_method() != "fork",
    reason="a reader defined in a test module reaches the workers only when they are forked",
)
def test_a_file_that_kills_its_worker_is_listed_and_the_others_are_checked(tmp_path):
    filing = generate.clean_filing(generate.random.Random(5), 8, generate.UnitShape(1, 8, 6))
    for name in ("a.json", "b.json", "crash.json", "d.json"):
        dump_filing(filing, tmp_path / name)
    result = batch.run_batch(batch.collect(str(tmp_path)), readers={".json": _dies_on_crash}, jobs=2)
    assert [u.file for u in result.units] == ["a.json", "b.json", "d.json"]
    assert [o.file for o in result.unreadable] == ["crash.json"]
    assert "进程异常退出" in result.unreadable[0].reason


def test_statistics_list_every_unit_below_90_percent_execution(corpus, summary):
    _, truth = corpus
    out, _ = summary
    data = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(out)
    rows = book["汇总"].iter_rows(min_row=2, values_only=True)
    below = {r[0] for r in rows if r[2] == "单位" and r[COLUMN["执行率"]] < 0.9}
    listed = {item["file"] for item in data["statistics"]["low_execution"]}
    assert listed == below
    shown = {r[1] for r in book["统计"].iter_rows(values_only=True) if r[1] in truth["files"]}
    assert shown == below


def test_progress_is_shown_on_stderr(tmp_path, capsys):
    filing = generate.clean_filing(generate.random.Random(9), 2, generate.UnitShape(1, 8, 6))
    for i in range(3):
        dump_filing(filing, tmp_path / "in" / f"{i}.json")
    main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "s.xlsx"), "-j", "1"])
    err = capsys.readouterr().err
    assert "检查 3/3，" in err and "%" not in err  # files counted, not a rounded percentage


def test_only_the_suffixes_of_the_readers_passed_are_read(tmp_path):
    filing = generate.clean_filing(generate.random.Random(6), 1, generate.UnitShape(1, 8, 6))
    dump_filing(filing, tmp_path / "a.json")
    (tmp_path / "b.xlsx").write_bytes(b"not read")
    result = batch.run_batch(batch.collect(str(tmp_path)), readers=DATA_READERS, jobs=1)
    assert [u.file for u in result.units] == ["a.json"]
    (skipped,) = result.unreadable
    assert skipped.file == "b.xlsx" and skipped.skipped
    assert skipped.reason == "不是自评工作簿或数据文件（.xlsx），已跳过"
    assert not result.has_errors  # a skipped file is listed, not an error
