"""The 自评报告 sheet: filled from the narrative, print-ready, and a person's edits never lost."""

from __future__ import annotations

import html
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.api import check
from jixiao.cli import main
from jixiao.workbook.report_sheet import fill_report_sheet, report_document

DEMO_NAME = "株洲市行业办公室2022年度绩效自评.xlsx"
REPORT = "自评报告"
PRIVATE = ("15869733298", "申婷")


def column_a(ws) -> list[str]:
    """Return the texts of column A, top to bottom."""
    return [c.value for c in ws["A"] if isinstance(c.value, str) and not c.value.startswith("=")]


def test_demo_workbook_has_its_report_filled(demo: Path) -> None:
    ws = load_workbook(demo)[REPORT]
    texts = column_a(ws)
    assert texts[0] == "2022年度株洲市行业办公室整体支出绩效自评报告"
    headings = [t for t in texts if t.lstrip("　").startswith(("一、", "十、"))]
    assert [h.lstrip("　")[:2] for h in headings] == ["一、", "十、"]
    assert any("99.40" in t for t in texts)  # the figures are the tables' figures
    first = next(c for c in ws["A"] if c.value and str(c.value).lstrip("　").startswith("一、"))
    assert first.font.name == "黑体" and first.alignment.wrap_text
    body = next(c for c in ws["A"] if c.value and "主要职能" not in str(c.value) and len(str(c.value)) > 80)
    assert body.font.name == "仿宋_GB2312" and body.alignment.wrap_text
    assert int(ws.page_setup.paperSize) == 9 and ws.print_area  # A4
    assert ws.column_dimensions["B"].hidden and ws["B1"].value  # the stamp, out of sight
    assert ws.row_breaks.brk, "long reports are broken into pages"


def test_regenerating_keeps_a_persons_edits_as_a_dated_copy(demo: Path, tmp_path: Path) -> None:
    wb = load_workbook(demo)
    ws = wb[REPORT]
    doc = report_document(check(demo))
    assert fill_report_sheet(wb, doc) is None  # unchanged since jixiao wrote it: nothing to keep
    edited = next(c for c in ws["A"] if c.value and len(str(c.value)) > 80)
    edited.value = "我们改写了这一段。"
    kept = fill_report_sheet(wb, doc, now=datetime(2026, 11, 27, 14, 30))
    assert kept is not None and kept.title == "自评报告(2026-11-27 1430)"
    assert "我们改写了这一段。" in column_a(kept)
    assert "我们改写了这一段。" not in column_a(ws)
    assert wb.sheetnames.index(kept.title) == wb.sheetnames.index(REPORT) + 1
    assert fill_report_sheet(wb, doc) is None


def test_a_hand_typed_report_is_kept_before_the_first_generation(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.xlsx"
    assert main(["new", "--year", "2023", "--unit", "测试单位", "-o", str(out)]) == 0
    wb = load_workbook(out)
    doc = report_document(check(demo))
    assert fill_report_sheet(wb, doc) is None  # only the placeholder was there
    wb = load_workbook(out)
    wb[REPORT]["A3"] = "手写的报告"
    assert fill_report_sheet(wb, doc) is not None


def _all_text(path: Path) -> str:
    """Return every XML part of the package, character references resolved."""
    with zipfile.ZipFile(path) as z:
        raw = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
    return html.unescape(raw)


def test_report_command_writes_the_workbook_with_the_sheet_filled(demo: Path, tmp_path: Path) -> None:
    work = tmp_path / "work.xlsx"
    work.write_bytes(demo.read_bytes())
    out = tmp_path / "out.xlsx"
    assert main(["report", str(work), "--format", "xlsx", "-o", str(out)]) == 0
    assert "十、其他需要说明的情况" in "".join(column_a(load_workbook(out)[REPORT]))
    public = tmp_path / "public.xlsx"
    assert main(["report", str(work), "--format", "xlsx", "--public", "-o", str(public)]) == 0
    text = _all_text(public)
    assert all(p not in text for p in PRIVATE) and "十、其他需要说明的情况" in text
    assert main(["report", str(work), "--format", "xlsx", "--public", "-o", str(work)]) == 2
    assert main(["report", str(work), "--format", "xlsx", "-o", str(work)]) == 0  # in place
    assert list(tmp_path.glob("work.bak-*.xlsx"))
    assert REPORT in load_workbook(work).sheetnames


def test_report_xlsx_from_a_data_file_builds_the_workbook(sample_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "from-json.xlsx"
    assert main(["report", str(sample_path), "--format", "xlsx", "-o", str(out)]) == 0
    wb = load_workbook(out)
    assert column_a(wb[REPORT])[0].endswith("整体支出绩效自评报告")
    assert wb["附件1-2"].title


@pytest.mark.libreoffice
def test_report_sheet_renders_within_a4(soffice: str, demo: Path, tmp_path: Path) -> None:
    from jixiao.office import convert

    wb = load_workbook(demo)
    for ws in wb.worksheets:
        if ws.title != REPORT:
            wb.remove(ws)
    only = tmp_path / "report.xlsx"
    wb.save(only)
    pdf = convert(only, "pdf", tmp_path)
    import subprocess

    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "一、部门（单位）基本情况" in text and "十、其他需要说明的情况" in text
    pages = text.count("\f")
    assert 4 <= pages <= 14


def test_prose_that_looks_like_a_formula_stays_text(demo: Path) -> None:
    result = check(demo)
    result.filing.prose.other = '=HYPERLINK("http://x","点我")'
    wb = load_workbook(demo)
    fill_report_sheet(wb, report_document(result))
    cells = [c for c in wb[REPORT]["A"] if isinstance(c.value, str) and "=HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)
    assert fill_report_sheet(wb, report_document(result)) is None  # not mistaken for an edit
