"""The sheet 附件1-1 部门整体支出绩效评价基础数据表 of the prepared workbook.

Wording and row order: ``jixiao.forms`` (shared with the report); cells and names: ``t11_layout``.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter

from jixiao.forms import form
from jixiao.model import CostLine, Filing
from jixiao.workbook import styles
from jixiao.workbook.layout import (
    T11_AMOUNT_COLUMNS,
    T11_SUM_COLUMNS,
    get_path,
    sheet_names,
    t11_layout,
)
from jixiao.workbook.pages import footer, protect, set_widths, setup_page, title, year_text
from jixiao.workbook.sheet import SheetWriter

_SUFFIX = {"prev_final": "PREV", "budget": "BUDGET", "final": "FINAL"}


def _cost_row(w: SheetWriter, row: int, ident: str, line: CostLine, kind: str, *, label_input: bool) -> None:
    if label_input:
        w.input(f"A{row}", line.label, "text", horizontal="left")
    else:
        w.label(f"A{row}", line.label, horizontal="left")
    for fieldname, col in T11_AMOUNT_COLUMNS.items():
        ref = f"{col}{row}:{get_column_letter(column_index_from_string(col) + 1)}{row}"
        if kind == "dash" and fieldname == "prev_final":
            w.label(ref, form("t11")["dash"])
            continue
        w.input(
            ref, getattr(line, fieldname), "amount", ident=f"{ident}_{_SUFFIX[fieldname]}" if ident else None
        )


def _cost_rows(w: SheetWriter, filing: Filing, row: int) -> int:
    """Write the 经费控制情况 rows and their helper sums from ``row``; return the row after them."""
    rows_of: dict[str, tuple[int, int]] = {}
    items = t11_layout()
    for item in items:
        ident, kind = item["id"], item["kind"]
        value = get_path(filing, item["path"])
        if kind == "list":
            lines = list(value)
            if not lines and item["labels"]:
                lines = [CostLine(label=label) for label in item["labels"]]
            count = max(len(lines) + item["spare"], item["min_rows"])
            lines += [CostLine(label=None) for _ in range(count - len(lines))]
            first = row
            for line in lines:
                _cost_row(w, row, "", line, "cost", label_input=True)
                row += 1
            w.define(ident, f"A{first}:G{row - 1}")
            rows_of[ident] = (first, row - 1)
        else:
            _cost_row(w, row, ident, value, kind, label_input=False)
            w.define(f"{ident}_LABEL", f"A{row}")
            rows_of[ident] = (row, row)
            row += 1
    for item in items:
        if "sum" not in item:
            continue
        target = rows_of[item["id"]][0]
        for fieldname, col in T11_AMOUNT_COLUMNS.items():
            refs = ",".join(f"{col}{rows_of[s][0]}:{col}{rows_of[s][1]}" for s in item["sum"])
            w.output(
                f"{T11_SUM_COLUMNS[fieldname]}{target}",
                f"=SUM({refs})",
                helper=True,
                number_format=styles.AMOUNT_FORMAT,
            )
    return row


def build_t11(wb: Workbook, filing: Filing) -> None:
    """Add the sheet 附件1-1 holding ``filing.t11``."""
    spec = form("t11")
    ws = wb.create_sheet(sheet_names()["t11"])
    w = SheetWriter(ws)
    set_widths(
        ws, {"A": 30, "B": 9, "C": 9, "D": 9, "E": 9, "F": 9, "G": 9, "H": 2, "I": 12, "J": 12, "K": 12}
    )
    t = filing.t11
    title(w, spec["caption"], spec["title"], "G")
    # 财政供养人员情况
    w.label("A3:A4", spec["staff"])
    for ref, text in zip(("B3:C3", "D3:E3", "F3:G3"), spec["staff_header"], strict=True):
        w.label(ref, year_text(text))
    w.input("B4:C4", t.staff.authorized, "count", ident="T11_STAFF_AUTHORIZED")
    w.input("D4:E4", t.staff.actual, "count", ident="T11_STAFF_ACTUAL")
    rate = '=IFERROR(D4/B4,"—")'
    w.output("F4:G4", rate, ident="T11_STAFF_RATE", number_format=styles.PERCENT_FORMAT)  # 96.15%
    w.label("I3", "原表控制率", size=9)
    w.input("I4", t.staff.reported_control_rate, "text", ident="T11_STAFF_RATE_REPORTED")
    # 经费控制情况
    w.label("A5", spec["costs"])
    for ref, text in zip(("B5:C5", "D5:E5", "F5:G5"), spec["cost_header"], strict=True):
        w.label(ref, year_text(text))
    for col, text in zip("IJK", ("下级合计·上年决算", "下级合计·本年预算", "下级合计·本年决算"), strict=True):
        w.label(f"{col}5", text, size=9)
    row = _cost_rows(w, filing, 6)
    # 楼堂馆所
    b = t.buildings
    w.label(f"A{row}:A{row + 1}", year_text(spec["buildings"]))
    for col, text in zip("BCDEFG", spec["buildings_header"], strict=True):
        w.label(f"{col}{row}", text, size=9)
    v = row + 1
    w.input(f"B{v}", b.approved_m2, "number", ident="T11_BLD_APPROVED_M2")
    w.input(f"C{v}", b.actual_m2, "number", ident="T11_BLD_ACTUAL_M2")
    pct = styles.PERCENT_FORMAT
    w.output(f"D{v}", f'=IFERROR(C{v}/B{v},"—")', ident="T11_BLD_SCALE_RATE", number_format=pct)
    w.input(f"E{v}", b.budget_invest, "amount", ident="T11_BLD_BUDGET_INVEST")
    w.input(f"F{v}", b.actual_invest, "amount", ident="T11_BLD_ACTUAL_INVEST")
    w.output(f"G{v}", f'=IFERROR(F{v}/E{v},"—")', ident="T11_BLD_INVEST_RATE", number_format=pct)
    w.label(f"I{row}", "原表规模控制率", size=9)
    w.label(f"J{row}", "原表投资概算控制率", size=9)
    w.input(f"I{v}", b.reported_scale_rate, "text", ident="T11_BLD_SCALE_RATE_REPORTED")
    w.input(f"J{v}", b.reported_invest_rate, "text", ident="T11_BLD_INVEST_RATE_REPORTED")
    ws.row_dimensions[row].height = 30
    row += 2
    w.label(f"A{row}", spec["thrift"])
    w.input(f"B{row}:G{row}", t.thrift_measures, "prose", ident="T11_THRIFT")
    ws.row_dimensions[row].height = 48
    row += 1
    w.label(f"A{row}:G{row}", spec["note"], horizontal="left", border=False, size=9)
    ws.row_dimensions[row].height = 30
    row += 1
    footer(w, row, "G")
    setup_page(ws, "G", row, "5:5")
    protect(ws)
