"""What people do to a workbook in Excel, and what the reader makes of it."""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.errors import InputError
from jixiao.pipeline import evaluate
from jixiao.workbook.builder import build_workbook
from jixiao.workbook.reader import read_workbook
from jixiao.workbook.writer import save_atomic


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """Return a fresh copy of the workbook built from the bundled sample."""
    from jixiao.samples import load_sample

    filing, _ = load_sample()
    path = tmp_path / "sample.xlsx"
    save_atomic(build_workbook(filing), path)
    return path


def _cell(wb, defined: str, ws=None) -> tuple[str, str]:
    entry = (ws.defined_names if ws is not None else wb.defined_names)[defined]
    title, ref = next(iter(entry.destinations))
    return title, ref.replace("$", "").split(":")[0]


def _row_of(ws, text: str, column: str = "D") -> int:
    return next(c.row for c in ws[column] if c.value == text)


def insert_row_like_excel(wb, title: str, row: int) -> None:
    """Insert a sheet row above ``row`` the way Excel does: merges, names and styles follow."""
    ws = wb[title]
    merged = [r.coord for r in ws.merged_cells.ranges]
    for coord in merged:
        ws.unmerge_cells(coord)
    ws.insert_rows(row)
    for coord in merged:
        m = re.match(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", coord)
        c1, r1, c2, r2 = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
        r1, r2 = (r1 + 1 if r1 >= row else r1), (r2 + 1 if r2 >= row else r2)
        ws.merge_cells(f"{c1}{r1}:{c2}{r2}")
    for col in range(1, ws.max_column + 1):  # the new row takes the formatting of the row above
        above, new = ws.cell(row - 1, col), ws.cell(row, col)
        if type(new).__name__ != "MergedCell":
            new._style = copy.copy(above._style)

    def shift(text: str) -> str:
        if f"'{title}'!" not in text:
            return text
        return re.sub(r"\$(\d+)", lambda m: f"${int(m.group(1)) + (int(m.group(1)) >= row)}", text)

    for scope in (wb.defined_names, *(s.defined_names for s in wb.worksheets)):
        for defined in scope.values():
            defined.attr_text = shift(defined.attr_text)


def test_numbers_typed_as_text_are_read(built: Path) -> None:
    wb = load_workbook(built)
    ws = wb["附件1-2"]
    ws["E5"] = "2,707.46"
    ws["F5"] = "２６８１.５５"
    ws["G5"] = "１０"
    t11 = wb["附件1-1"]
    _, ref = _cell(wb, "JX_T11_PROJECTS_BUDGET")
    t11[ref] = "38万"
    _, ref = _cell(wb, "JX_T11_STAFF_AUTHORIZED")
    t11[ref] = "26人"
    wb.save(built)
    filing, findings = read_workbook(built)
    # read, and each flagged: the sheet's own formulas cannot compute with text (jixiao score fixes it)
    t11_refs = [_cell(wb, n)[1] for n in ("JX_T11_STAFF_AUTHORIZED", "JX_T11_PROJECTS_BUDGET")]
    assert sorted((f.rule, f.sheet, f.cell, f.expected) for f in findings) == sorted(
        [
            ("INPUT-TEXT-NUMBER", "附件1-2", "E5", "2707.46"),
            ("INPUT-TEXT-NUMBER", "附件1-2", "F5", "2681.55"),
            ("INPUT-TEXT-NUMBER", "附件1-2", "G5", "10"),
            ("INPUT-TEXT-NUMBER", "附件1-1", t11_refs[0], "26"),
            ("INPUT-TEXT-NUMBER", "附件1-1", t11_refs[1], "38"),
        ]
    )
    staff = next(f for f in findings if f.cell == t11_refs[0])
    assert staff.message.startswith(f"附件1-1 {t11_refs[0]}（编制数）填的“26人”是文字")
    assert filing.t12.budget.full_year == Decimal("2707.46")
    assert filing.t12.budget.executed == Decimal("2681.55")
    assert filing.t12.budget.weight == 10
    assert filing.t11.projects.budget == 38
    assert filing.t11.staff.authorized == 26
    assert evaluate(filing).scores.department.exec.rate_text == "99.04%"


def test_percent_formatted_number_reads_as_percentage(built: Path) -> None:
    wb = load_workbook(built)
    ws = wb["附件1-2"]
    row = _row_of(ws, "老干服务满意度")
    ws[f"F{row}"] = 0.98
    ws[f"F{row}"].number_format = "0%"
    wb.save(built)
    filing, _ = read_workbook(built)
    assert filing.t12.indicators[-1].actual == "98%"


def test_unusable_values_become_findings_naming_sheet_and_cell(built: Path) -> None:
    wb = load_workbook(built)
    title, ref = _cell(wb, "JX_T11_SANGONG_FINAL")
    wb[title][ref] = "十一点九九元整"
    ws = wb["附件1-2"]
    row = _row_of(ws, "老干住院慰问率")
    ws[f"G{row}"] = "六分"
    ws["D5"] = "=SUM(A1:A2)"
    wb.save(built)
    filing, findings = read_workbook(built)
    places = {(f.rule, f.sheet, f.cell) for f in findings}
    assert ("INPUT-NUMBER", "附件1-1", ref) in places
    assert ("INPUT-NUMBER", "附件1-2", f"G{row}") in places
    assert ("WB-FORMULA", "附件1-2", "D5") in places
    assert filing.t11.sangong.final is None and filing.t12.budget.initial is None
    message = next(f.message for f in findings if f.cell == f"G{row}")
    assert "六分" in message


def test_plain_formulas_are_evaluated_not_taken_from_a_cache(built: Path) -> None:
    wb = load_workbook(built)
    wb["附件1-2"]["F5"] = "=2600+81.55"
    wb["附件1-2"]["I8"] = "=F5-I7"  # 项目支出 = 执行数 − 基本支出
    wb.save(built)
    filing, findings = read_workbook(built)
    assert findings == []
    assert filing.t12.budget.executed == Decimal("2681.55")
    assert filing.t12.expenditure.project == Decimal("2681.55") - Decimal("2609.57")


def test_spare_row_filled_becomes_an_indicator(built: Path) -> None:
    wb = load_workbook(built)
    ws = wb["附件1-2"]
    spare = _row_of(ws, "抚恤金及时办理下拨时限") + 1
    ws[f"C{spare}"], ws[f"D{spare}"], ws[f"E{spare}"] = "成本指标", "公用经费控制", "≤323.59万元"
    ws[f"F{spare}"], ws[f"G{spare}"] = "250.31万元", 5
    wb.save(built)
    filing, _ = read_workbook(built)
    names = [i.name for i in filing.t12.indicators]
    assert names.index("公用经费控制") == names.index("抚恤金及时办理下拨时限") + 1
    added = filing.t12.indicators[names.index("公用经费控制")]
    assert (added.level1, added.level2, added.weight) == ("产出指标", "成本指标", 5)
    assert added.where.cells["weight"] == f"G{spare}"


def test_row_inserted_inside_a_block_is_read_with_its_merged_labels(built: Path) -> None:
    wb = load_workbook(built)
    ws = wb["附件1-2"]
    row = _row_of(ws, "抚恤金及时办理下拨时限")  # second row of the merged 时效指标 cell
    insert_row_like_excel(wb, "附件1-2", row)
    ws[f"D{row}"], ws[f"E{row}"], ws[f"F{row}"], ws[f"G{row}"] = "台账按月更新", "每月一次", "12次", 2
    wb.save(built)
    filing, findings = read_workbook(built)
    assert findings == []
    new = next(i for i in filing.t12.indicators if i.name == "台账按月更新")
    assert (new.level1, new.level2) == ("产出指标", "时效指标")
    assert new.where.cells["actual"] == f"F{row}"
    moved = next(i for i in filing.t12.indicators if i.name == "抚恤金及时办理下拨时限")
    assert moved.where.cells["name"] == f"D{row + 1}"
    assert filing.t12.reported_total == Decimal("99.9")  # the 总分 row moved down and is still found


def test_row_inserted_in_a_list_block_is_read(built: Path) -> None:
    wb = load_workbook(built)
    title, ref = _cell(wb, "JX_SP_PROJECTS")
    row = int(re.sub(r"\D", "", ref)) + 1
    insert_row_like_excel(wb, title, row)
    ws = wb[title]
    ws[f"A{row}"], ws[f"B{row}"], ws[f"C{row}"] = "新增项目", "5", "4.5"
    wb.save(built)
    filing, _ = read_workbook(built)
    assert [p.name for p in filing.spending.projects][:3] == [
        "离退休老干部业务专项资金", "新增项目", "全市工业经济运行调度专项资金",
    ]  # fmt: skip
    assert filing.spending.projects[1].executed == Decimal("4.5")


def test_deleted_name_is_a_finding_and_a_foreign_workbook_is_refused(built: Path, tmp_path: Path) -> None:
    wb = load_workbook(built)
    del wb["附件1-2"].parent.defined_names["JX_T12_EXECUTED"]
    wb.save(built)
    _, findings = read_workbook(built)
    assert any(f.rule == "WB-NAME-MISSING" and "JX_T12_EXECUTED" in f.message for f in findings)
    from openpyxl import Workbook

    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    with pytest.raises(InputError, match="不是 jixiao"):
        read_workbook(other)
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a zip", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的 Excel"):
        read_workbook(broken)


def test_bad_policy_setting_is_a_finding_and_the_default_is_used(built: Path) -> None:
    wb = load_workbook(built)
    title, ref = _cell(wb, "JX_POLICY_REVERSE_FORMULA")
    wb[title][ref] = "linear"
    wb.save(built)
    filing, findings = read_workbook(built)
    assert [(f.rule, f.cell) for f in findings] == [("WB-POLICY", ref)]
    assert filing.policy.reverse_formula == "fasp"
