"""The batch summary as a reviewer at the 财政局 uses it: blank workbooks apart, duplicates and mixed
years flagged, problems charted by their Chinese names, every sheet printable; the CSV/JSON files
stamped as jixiao's own; pandas for the frames and never for ``jixiao check``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from jixiao import batch
from jixiao.batch.rows import ROW_HEADERS
from jixiao.cli import main
from jixiao.datafile import dump_filing
from jixiao.findings import rules
from tests.test_batch import generate


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """Return (folder, summary path, the first unit's filing): two units, a copy of the first, the
    second's filing of the year before and a blank workbook of `jixiao new`."""
    folder = tmp_path_factory.mktemp("review") / "收件"
    shape = generate.UnitShape(2, 8, 6)
    a = generate.clean_filing(generate.random.Random(11), 0, shape)
    b = generate.clean_filing(generate.random.Random(12), 1, shape)
    dump_filing(a, folder / "01 甲.json")
    dump_filing(b, folder / "02 乙.json")
    dump_filing(a, folder / "03 甲（重交）.json")
    b.year = (b.year or 2024) - 1
    dump_filing(b, folder / "04 乙上年.json")
    assert main(["new", "--unit", "丙局", "--year", "2024", "-o", str(folder / "05 空白.xlsx")]) == 0
    summary = folder.parent / "汇总.xlsx"
    return folder, summary, a


def _run(capsys, folder, summary, *extra):
    capsys.readouterr()
    code = main(["batch", str(folder), "-o", str(summary), "-q", "-j", "1", *extra])
    return code, capsys.readouterr()


def test_blank_duplicate_and_mixed_year_filings_are_flagged(reviewed, capsys):
    folder, summary, a = reviewed
    code, printed = _run(capsys, folder, summary, "--json", "--csv")
    assert code == 1  # a blank filing is a problem to follow up
    book = openpyxl.load_workbook(summary)
    assert book.sheetnames == ["汇总", "问题清单", "统计", "未填写", "无法读取"]
    rows = [
        dict(zip(ROW_HEADERS, r, strict=True)) for r in book["汇总"].iter_rows(min_row=2, values_only=True)
    ]
    assert "05 空白.xlsx" not in {r["文件"] for r in rows}  # not a unit scoring 0.00 差
    assert [r[:3] for r in book["未填写"].iter_rows(min_row=2, values_only=True)] == [
        ("05 空白.xlsx", "丙局", 2024)
    ]
    notes = {r["文件"]: r["备注"] for r in rows if r["类型"] == "单位"}
    assert notes["03 甲（重交）.json"] == "重复：与 01 甲.json 为同一单位、同一年度"
    assert notes["01 甲.json"] is None and notes["04 乙上年.json"] is None  # another year: no duplicate
    assert {r["年度"] for r in rows} == {a.year, a.year - 1}
    stats = json.loads(batch.companion_paths(summary)["json"].read_text(encoding="utf-8"))["statistics"]
    assert (stats["files"], stats["read"], stats["blank"]) == (5, 4, 1)
    assert sum(g["units"] for g in stats["grades"].values()) == 4  # the blank one is not graded
    assert stats["years"] == {str(a.year - 1): 1, str(a.year): 3}
    out = printed.out
    assert f"各单位的年度不一致（{a.year - 1} 年度 1 个、{a.year} 年度 3 个）" in out
    assert "03 甲（重交）.json 与 01 甲.json 是同一单位" in out
    assert "未填写 05 空白.xlsx" in out
    overview = [r[0] for r in book["统计"].iter_rows(values_only=True) if r[0]]
    assert any(text.startswith("注意：各单位的年度不一致") for text in overview)
    blank_csv = batch.companion_paths(summary)["blank_csv"].read_text(encoding="utf-8-sig")
    assert "05 空白.xlsx" in blank_csv


def test_the_chart_of_frequent_problems_names_errors_and_warnings_in_chinese(tmp_path, capsys):
    shape = generate.UnitShape(2, 8, 6)
    generate.generate(tmp_path / "g", 6, shape, seed=5, suffix=".json", jobs=1)
    folder = tmp_path / "g" / "units"
    summary = tmp_path / "汇总.xlsx"
    _run(capsys, folder, summary)
    with zipfile.ZipFile(summary) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    (bar,) = [c for c in charts if 'barDir val="bar"' in c]
    (categories,) = re.findall(r"<cat>.*?<f>'?统计'?!\$A\$(\d+):\$A\$(\d+)</f>", bar, re.S)
    sheet = openpyxl.load_workbook(summary)["统计"]
    labels = [sheet.cell(r, 1).value for r in range(int(categories[0]), int(categories[1]) + 1)]
    severities = [sheet.cell(r, 3).value for r in range(int(categories[0]), int(categories[1]) + 1)]
    titles = {r.title: r for r in rules().values()}
    assert labels and all(label in titles for label in labels)  # Chinese names, not rule IDs
    assert set(severities) <= {"错误", "警告"}  # no info that every filing gets
    files = [sheet.cell(r, 5).value for r in range(int(categories[0]), int(categories[1]) + 1)]
    assert files == sorted(files, reverse=True)


def test_every_sheet_prints_on_a4_landscape_one_page_wide_with_its_titles_repeated(
    sample_path, capsys, tmp_path
):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "株洲市行业办公室2022年度绩效自评（财政局收件第一批）.json").write_bytes(
        sample_path.read_bytes()
    )
    summary = tmp_path / "汇总.xlsx"
    _run(capsys, folder, summary)
    book = openpyxl.load_workbook(summary)
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9"), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth == 1
        assert setup.fitToHeight == 0  # as many pages down as the rows need
        assert "&P" in sheet.oddFooter.center.text
        if sheet.title != "统计":
            assert sheet.print_title_rows.replace("$", "") == "1:1"
            assert all(cell.alignment.wrap_text for cell in sheet[1])  # headers wrap, never cut
    rows = list(book["汇总"].iter_rows(min_row=2))
    assert rows and all(row[0].alignment.wrap_text for row in rows)  # the long file name wraps
    assert all((book["汇总"].row_dimensions[row[0].row].height or 0) >= 30 for row in rows)
    issues = book["问题清单"]
    assert [c.value for c in issues[1]] == [
        "文件",
        "单位",
        "严重程度",
        "问题",
        "位置",
        "对象",
        "说明",
        "应为",
        "填报",
    ]
    width = issues.column_dimensions["G"].width
    for (message,) in issues.iter_rows(min_row=2, min_col=7, max_col=7):
        if len(message.value) * 2 > width * 1.5:  # clearly longer than one line of 说明
            assert message.alignment.wrap_text and issues.row_dimensions[message.row].height >= 30


@pytest.mark.libreoffice
def test_the_summary_prints_every_sheet_with_its_header_on_each_page(soffice, reviewed, capsys, tmp_path):
    from jixiao.office import convert

    folder, summary, _ = reviewed
    _run(capsys, folder, summary)
    pdf = convert(summary, "pdf", tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert all("第 " in page for page in pages if page.strip())
    for name in ("汇总", "问题清单", "统计", "未填写", "无法读取"):
        assert any(page.lstrip().startswith(name) for page in pages), name


def test_progress_counts_files(tmp_path, capsys):
    filing = generate.clean_filing(generate.random.Random(9), 2, generate.UnitShape(1, 8, 6))
    for i in range(6):
        dump_filing(filing, tmp_path / "in" / f"{i}.json")
    main(["batch", str(tmp_path / "in"), "-o", str(tmp_path / "s.xlsx"), "-j", "1"])
    err = capsys.readouterr().err
    assert "检查 1/6，" in err and "检查 6/6，" in err
    assert "%" not in err  # 1/6 was shown as 10%


def test_outputs_over_foreign_csv_or_json_are_refused_and_jixiaos_own_replaced(reviewed, capsys, tmp_path):
    folder, _, _ = reviewed
    summary = tmp_path / "汇总.xlsx"
    paths = batch.companion_paths(summary)
    own = "文件,说明\r\n自己的表,手写\r\n".encode()
    paths["csv"].write_bytes(own)
    code, printed = _run(capsys, folder, summary, "--csv")
    assert code == 2 and "不是 jixiao 生成的" in printed.err and "--force" in printed.err
    assert paths["csv"].read_bytes() == own
    assert not summary.exists()
    code, _ = _run(capsys, folder, summary, "--csv", "--force")
    assert code == 1
    (backup,) = [p for p in tmp_path.iterdir() if p.name.startswith("汇总.bak-") and p.suffix == ".csv"]
    assert backup.read_bytes() == own
    assert paths["csv"].read_bytes().splitlines()[-1].startswith(b"#jixiao-stamp:1:batch:")
    _run(capsys, folder, summary, "--csv", "--json")  # jixiao's own: replaced, no new backup
    _run(capsys, folder, summary, "--csv", "--json")
    assert len([p for p in tmp_path.iterdir() if ".bak-" in p.name]) == 1
    data = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert data["jixiao_stamp"].startswith("jixiao-stamp:1:batch:")
    assert len(data["files"]) == 4
    edited = paths["json"].read_text(encoding="utf-8").replace('"files"', '"Files"', 1)
    paths["json"].write_text(edited, encoding="utf-8")  # changed by hand: no longer jixiao's
    code, printed = _run(capsys, folder, summary, "--json")
    assert code == 2 and "不是 jixiao 生成的" in printed.err


def test_the_frames_are_pandas_and_check_never_imports_pandas(reviewed, sample_path):
    import pandas as pd

    folder, _, _ = reviewed
    result = batch.run_batch(batch.collect(str(folder)), readers=batch_readers(), jobs=1)
    tables, findings = batch.frame(result)
    assert isinstance(tables, pd.DataFrame) and isinstance(findings, pd.DataFrame)
    assert len(tables) == 4 * 3  # 4 scored units: one row per table (1-2 and two 1-3 each)
    assert tables.groupby("文件").size().to_dict() == dict.fromkeys(
        ["01 甲.json", "02 乙.json", "03 甲（重交）.json", "04 乙上年.json"], 3
    )
    assert len(findings) == sum(len(u.findings) for u in result.units if not u.blank)
    stats = batch.statistics(result)
    assert sum(u for u, _ in stats.grades.values()) == (tables["类型"] == "单位").sum()
    code = (
        "import sys\n"
        "from jixiao.cli import main\n"
        f"main(['check', {str(sample_path)!r}])\n"
        "print('PANDAS' if 'pandas' in sys.modules else 'NO-PANDAS')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.stdout.strip().splitlines()[-1] == "NO-PANDAS", run.stderr


def batch_readers():
    from jixiao.api import readers

    return readers()
