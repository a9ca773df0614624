"""``jixiao report``, ``jixiao check --report`` and the demo's report files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao.cli import main

SEED_REPORT = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_50f89173955d11d8.txt"


def test_report_markdown_to_a_folder(sample_path, tmp_path, capsys):
    assert main(["report", str(sample_path), "--format", "md", "-o", f"{tmp_path}/"]) == 0
    written = tmp_path / "2022年度株洲市行业办公室整体支出绩效自评报告.md"
    text = written.read_text("utf-8")
    assert "## 十、其他需要说明的情况" in text and "### 附件1-2 2022年度部门整体支出绩效自评表" in text
    out, err = capsys.readouterr()
    assert str(written) in out
    assert "报告用文字中有 3 处与表不符，已标注【请核实：…】" in err  # the sample's own paragraphs


def test_report_public_docx_to_a_file(sample_path, tmp_path):
    target = tmp_path / "out" / "公开.docx"
    assert main(["report", str(sample_path), "--format", "docx", "--public", "-o", str(target)]) == 0
    assert target.stat().st_size > 10000


def test_report_xlsx_without_a_workbook_writer_is_a_one_line_refusal(sample_path, tmp_path):
    from jixiao.errors import InputError
    from jixiao.pipeline import run
    from jixiao.report.export import export

    with pytest.raises(InputError, match="xlsx"):
        export(run(sample_path), "xlsx", tmp_path / "r.xlsx")
    assert not (tmp_path / "r.xlsx").exists()


def test_report_with_a_bad_template_folder_is_a_one_line_error(sample_path, tmp_path, capsys):
    assert main(["report", str(sample_path), "--template", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert "报告模板文件夹不存在" in err and "Traceback" not in err


@pytest.mark.skipif(not SEED_REPORT.exists(), reason="the shared seed report is not checked out")
def test_check_with_report_adds_sorted_report_findings(sample_path, capsys):
    assert main(["check", str(sample_path), "--report", str(SEED_REPORT), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    report = [f for f in data["findings"] if f["table"] == "报告" and f["rule"].startswith("RPT-")]
    assert {("11.99 万元", "11.9 万元"), ("11 次", "9 次")} <= {(f["expected"], f["actual"]) for f in report}
    order = {"error": 0, "warning": 1, "info": 2}
    severities = [order[f["severity"]] for f in data["findings"]]
    assert severities == sorted(severities)


def test_check_with_unreadable_report(sample_path, tmp_path, capsys):
    assert main(["check", str(sample_path), "--report", str(tmp_path / "x.pdf")]) == 2
    assert "报告只支持" in capsys.readouterr().err


@pytest.mark.libreoffice
def test_demo_writes_every_format_and_public_edition(demo_folder, soffice):
    tmp_path = demo_folder
    stem = "2022年度株洲市行业办公室整体支出绩效自评报告"
    for suffix in ("", "（公开版）"):
        for fmt in ("docx", "pdf", "md"):
            assert (tmp_path / f"{stem}{suffix}.{fmt}").stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(tmp_path / f"{stem}.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout.replace(" ", "")
        for heading in ("一、部门（单位）基本情况", "十、其他需要说明的情况", "附件1-3"):
            assert heading in text
        assert "日常公用经费254.26万元" in text


def test_the_facade_writes_into_a_folder_under_the_official_name_like_the_cli(sample_path, tmp_path):
    import jixiao

    name = "2022年度株洲市行业办公室整体支出绩效自评报告.md"
    existing = tmp_path / "existing"
    existing.mkdir()
    assert jixiao.export(sample_path, "md", existing) == existing / name
    assert jixiao.export(sample_path, "md", f"{tmp_path / 'new'}/") == tmp_path / "new" / name
    text = (tmp_path / "new" / name).read_text(encoding="utf-8")
    assert "# 2022年度株洲市行业办公室整体支出绩效自评报告" in text
    assert main(["report", str(sample_path), "--format", "md", "-o", f"{tmp_path / 'cli'}/"]) == 0
    assert (tmp_path / "cli" / name).read_bytes() == (existing / name).read_bytes()


@pytest.mark.parametrize(
    ("fmt", "target", "words"),
    [
        ("md", "自评.xlsx", "应以 .md 结尾"),  # Markdown under the workbook's name
        ("docx", "自评.xlsx", "应以 .docx 结尾"),
        ("xlsx", "汇总.csv", "应以 .xlsx 或 .xlsm 结尾"),
        ("md", "报告.docx", "应以 .md 结尾"),
        ("md", "新文件夹/pub", "末尾加 /"),
    ],
)
def test_report_never_lands_on_its_input_or_under_a_wrong_suffix(demo, tmp_path, capsys, fmt, target, words):
    source = tmp_path / "自评.xlsx"
    source.write_bytes(demo.read_bytes())
    assert main(["report", str(source), "--format", fmt, "-o", str(tmp_path / target)]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1
    assert source.read_bytes() == demo.read_bytes() and sorted(p.name for p in tmp_path.iterdir()) == [
        "自评.xlsx"
    ]
