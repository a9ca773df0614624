"""新增项目表 and 新增指标行 in the workbook layer: names, merges, formulas and validation kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.errors import InputError
from jixiao.scoring import score_filing
from jixiao.workbook.operations import add_project_sheet, insert_indicator_row
from jixiao.workbook.reader import read_workbook
from tests import test_workbook_libreoffice as lo_tests


def totals(path: Path) -> list[tuple[str | None, str]]:
    """Return (subject, 总分) of every table the workbook scores to, and assert no WB-* finding."""
    filing, findings = read_workbook(path)
    assert [f.rule for f in findings if f.rule.startswith("WB-")] == []
    return [(t.subject, str(t.total)) for t in score_filing(filing).tables()]


def _edited(demo: Path, tmp_path: Path, edit) -> Path:
    wb = load_workbook(demo)
    edit(wb)
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return out


def test_new_project_sheet_is_built_like_the_others(demo: Path, tmp_path: Path) -> None:
    out = _edited(demo, tmp_path, add_project_sheet)
    wb = load_workbook(out)
    assert wb.sheetnames.index("附件1-3(3)") == wb.sheetnames.index("附件1-3(2)") + 1
    new, old = wb["附件1-3(3)"], wb["附件1-3(2)"]
    assert set(new.defined_names) == set(old.defined_names)
    assert {"JX_T13_NAME", "JX_T13_TOTAL", "JX_T13_GRADE"} <= set(new.defined_names)
    assert new.protection.sheet and new.data_validations.dataValidation
    total_ref = next(iter(new.defined_names["JX_T13_TOTAL"].destinations))[1].replace("$", "")
    assert new[total_ref].value.startswith("=")
    # the new sheet is blank, so absent: nothing is scored for it until it is filled
    assert totals(out) == totals(demo)
    wb = load_workbook(out)
    wb["附件1-3(3)"]["B3"] = "新项目"
    wb.save(out)
    assert totals(out)[-1][0] == "新项目" and len(totals(out)) == len(totals(demo)) + 1


def test_inserted_indicator_row_joins_its_block(demo: Path, tmp_path: Path) -> None:
    out = _edited(demo, tmp_path, lambda wb: insert_indicator_row(wb, "附件1-2", 16))
    ws, old = load_workbook(out)["附件1-2"], load_workbook(demo)["附件1-2"]
    merges = {str(m) for m in ws.merged_cells.ranges}
    old_block = next(m for m in old.merged_cells.ranges if m.min_col == 1 and m.min_row <= 16 <= m.max_row)
    assert f"A{old_block.min_row}:A{old_block.max_row + 1}" in merges  # the 一级 block grew by one
    assert ws["D17"].value is None and ws["D18"].value == old["D17"].value  # rows below moved down
    assert ws["D17"].protection.locked is False and ws["D17"].fill.fgColor.rgb == old["D16"].fill.fgColor.rgb
    validated = {str(r) for dv in ws.data_validations.dataValidation for r in dv.sqref.ranges}
    assert any("17" in r for r in validated)
    assert ws["H17"].value.startswith("=") and "G17" in ws["H17"].value  # the new row scores natively
    assert "G18" in ws["H18"].value  # and the rows below still score themselves
    total = next(iter(load_workbook(out).defined_names["JX_T12_TOTAL"].destinations))[1]
    old_total = next(iter(load_workbook(demo).defined_names["JX_T12_TOTAL"].destinations))[1]
    assert int(total.split("$")[-1]) == int(old_total.split("$")[-1]) + 1
    assert totals(out) == totals(demo)


def test_typing_into_the_new_row_scores_it(demo: Path, tmp_path: Path) -> None:
    def edit(wb):
        insert_indicator_row(wb, "附件1-2", 16)
        ws = wb["附件1-2"]
        ws["D17"], ws["E17"], ws["F17"], ws["G17"] = "新增的指标", "≥1次", "2次", 1

    filing, findings = read_workbook(_edited(demo, tmp_path, edit))
    names = [i.name for i in filing.t12.indicators]
    assert "新增的指标" in names and not [f for f in findings if f.rule.startswith("WB-")]


def test_rows_outside_the_indicator_block_are_refused(demo: Path) -> None:
    wb = load_workbook(demo)
    with pytest.raises(InputError, match="请先选中指标区"):
        insert_indicator_row(wb, "附件1-2", 5)
    with pytest.raises(InputError, match="无法新增指标行"):
        insert_indicator_row(wb, "基本信息", 5)


@pytest.mark.libreoffice
def test_libreoffice_recalculates_after_both_operations(soffice: str, demo: Path, tmp_path: Path) -> None:
    def edit(wb):
        add_project_sheet(wb)
        insert_indicator_row(wb, "附件1-2", 20)
        insert_indicator_row(wb, "附件1-3(1)", 14)

    out = _edited(demo, tmp_path, edit)
    lo = load_workbook(lo_tests.recalculated(out, tmp_path), data_only=True)
    ours = load_workbook(out)
    for ws in ours.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    value = lo[ws.title][c.coordinate].value
                    assert value is not None or lo_tests.may_be_empty(c.value), (ws.title, c.coordinate)
    for ws in lo.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and c.value.startswith(lo_tests.ERRORS)), (
                    ws.title,
                    c.coordinate,
                )
    expected = score_filing(read_workbook(out)[0]).department.total
    assert lo_tests.dec(lo_tests.named(lo, "JX_T12_TOTAL")) == expected
    assert totals(out)[:3] == totals(demo)
