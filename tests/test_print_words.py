"""What an accountant sees on 基本信息, 附件1-1 and 校验结果 (issue 16, point 6)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from jixiao.api import check
from jixiao.samples import load_sample
from jixiao.workbook.builder import build_workbook
from jixiao.workbook.reader import read_workbook


def _printed(ws) -> list:
    """Return the cells inside the print area of ``ws``."""
    c1, r1, c2, r2 = range_boundaries(str(ws.print_area).split("!")[-1].replace("$", ""))
    return [c for row in ws.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2) for c in row]


def test_info_prints_no_developer_key_and_reads_its_chinese_words_back(tmp_path: Path) -> None:
    filing, _ = load_sample()
    filing.policy = replace(filing.policy, reverse_formula="ratio", missing_block="rescale", exec_cap=True)
    path = tmp_path / "w.xlsx"
    build_workbook(filing).save(path)
    ws = load_workbook(path)["基本信息"]
    words = [c.value for c in _printed(ws) if isinstance(c.value, str) and not c.value.startswith("=")]
    keys = {*filing.policy.to_settings(), "fasp", "ratio", "as_filed", "rescale", "true", "false"}
    assert not [w for w in words if set(re.findall(r"[A-Za-z_]+", w)) & keys]
    assert {"比例", "按比例折算", "是"} <= set(words)
    assert read_workbook(path)[0].policy == filing.policy


def test_an_english_key_still_reads_and_an_unknown_word_lists_the_accepted_ones(tmp_path: Path) -> None:
    filing, _ = load_sample()
    path = tmp_path / "w.xlsx"
    build_workbook(filing).save(path)
    wb = load_workbook(path)
    ws = wb["基本信息"]
    row = next(c.row for c in ws["A"] if c.value == "缺一级指标时")
    ws[f"B{row}"] = "rescale"  # as older workbooks hold it
    wb.save(path)
    assert read_workbook(path)[0].policy.missing_block == "rescale"
    ws[f"B{row}"] = "折算"
    wb.save(path)
    filing2, findings = read_workbook(path)
    found = [f for f in findings if f.rule == "WB-POLICY"]
    assert filing2.policy.missing_block == "as_filed"
    assert [f.cell for f in found] == [f"B{row}"] and "按填报 / 按比例折算" in found[0].message


def test_long_prose_is_continued_on_rows_that_print_whole_and_reads_back(tmp_path: Path) -> None:
    filing, _ = load_sample()
    path = tmp_path / "w.xlsx"
    build_workbook(filing).save(path)
    ws = load_workbook(path)["基本信息"]
    rows = [c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("履职情况")]
    assert len(rows) > 1 and all(ws.row_dimensions[r].height <= 409 for r in rows)
    assert read_workbook(path)[0].prose.duties == filing.prose.duties


def test_control_rate_prints_two_decimals(demo: Path) -> None:
    ws = load_workbook(demo)["附件1-1"]
    assert ws["F4"].number_format == "0.00%"


def test_every_finding_points_at_a_printed_cell_and_rows_stay_short(demo: Path) -> None:
    wb = load_workbook(demo)
    result = check(demo)
    assert len(result.findings) == 32
    for f in result.findings:
        assert f.sheet and f.cell, f.rule
        ws = wb[f.sheet]
        if f.rule == "PROSE-FIGURE" and ".prose." in (f.field or ""):
            # a 附件1-3 project's report paragraph: typed below the footer, outside the print area
            assert ws[f.cell].value and ws[f.cell].row > max(c.row for c in _printed(ws)), f.cell
            continue
        assert ws[f.cell] in _printed(ws) or ws[f.cell].coordinate in {c.coordinate for c in _printed(ws)}, (
            f.rule,
            f.cell,
        )
    findings = wb["校验结果"]
    assert all((findings.row_dimensions[r].height or 15) <= 80 for r in range(4, 4 + len(result.findings)))
