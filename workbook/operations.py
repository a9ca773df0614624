"""Structural edits behind the buttons 新增项目表 and 新增指标行, done the way the builder lays out.

openpyxl's ``insert_rows`` moves cells only; :func:`insert_indicator_row` also moves what Excel
would move — merged ranges, defined names, formulas on every sheet, data validation, row heights,
print areas — and gives the new row the styles and validation of the row it copies.
"""

from __future__ import annotations

import re
from copy import copy
from typing import Any

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.errors import InputError
from jixiao.model import project_sheet_name
from jixiao.workbook.cells import Cells
from jixiao.workbook.formulas import indicator_formulas
from jixiao.workbook.layout import layout, name, sheet_names, table_prefix
from jixiao.workbook.sheet import quote_sheet, unquote_sheet

_CELL = re.compile(r"^(\$?)([A-Z]{1,3})(\$?)(\d+)$")
_ROWS = re.compile(r"^(\$?)(\d+)$")


# ------------------------------------------------------------------ 新增项目表


def project_sheets(wb: Any) -> list[Worksheet]:
    """Return the 附件1-3 sheets of ``wb`` in workbook order (none in a workbook made with --projects 0);
    in a template that lays out its own project table (四川), those sheets."""
    own = _own_table(wb, "t13")
    return Cells(wb).scoped_sheets(name((own["prefix"] if own is not None else "T13_") + "NAME"))


def _own_table(wb: Any, table: str) -> dict[str, Any] | None:
    """Return the layout of ``table`` ('t12', 't13') when ``wb``'s template lays it out itself, else None."""
    from jixiao.templates import sheet_layout
    from jixiao.workbook.template_read import template_of

    spec = sheet_layout(template_of(wb))
    return spec if spec is not None and spec["table"] == table else None


def add_project_sheet(wb: Any, title: str | None = None) -> Worksheet:
    """Add an empty 附件1-3 sheet after the last one (names, formulas, validation, protection); return it.
    In a template that lays out its own project table (四川), the sheet is that table."""
    from jixiao.workbook.builder import blank_project
    from jixiao.workbook.reader import WorkbookReader
    from jixiao.workbook.sheet_evaluation import build_t13
    from jixiao.workbook.sheet_template import build_table
    from jixiao.workbook.template_read import template_of

    existing = project_sheets(wb)
    index = len(existing)
    title = title or project_sheet_name(index)
    while title in wb.sheetnames:
        index += 1
        title = project_sheet_name(index)
    filing, _ = WorkbookReader(wb).read()
    project = blank_project(filing.unit or filing.t12.dept_name, filing.policy, filing.t12.level1_weights)
    if _own_table(wb, "t13") is not None:  # 四川: every project sheet is the province's table
        ws = build_table(wb, title, template_of(wb) or "", project)
    else:
        ws = build_t13(wb, project, index)
        ws.title = title
    anchor = existing[-1] if existing else wb[sheet_names()["t12"]]
    wb.move_sheet(ws, offset=wb.sheetnames.index(anchor.title) + 1 - wb.sheetnames.index(ws.title))
    return ws


def copy_sheet(wb: Any, source: str, title: str, index: int) -> Worksheet:
    """Copy the sheet ``source`` to position ``index`` as ``title``, the way Excel copies a sheet.

    Cells, styles, merges, sizes, validation, protection, print settings and the sheet-scoped
    names (which then refer to the copy) come along.
    """
    original = wb[source]
    ws = wb.copy_worksheet(original)
    ws.title = title
    wb.move_sheet(ws, offset=index - wb.sheetnames.index(title))
    for dv in original.data_validations.dataValidation:
        ws.add_data_validation(copy(dv))
    ws.protection = copy(original.protection)
    ws.sheet_view.showGridLines = original.sheet_view.showGridLines
    if original.print_title_rows:
        ws.print_title_rows = original.print_title_rows
    if original.print_area:
        ws.print_area = [a.split("!")[-1] for a in _areas(original.print_area)]
    for short, defined in original.defined_names.items():
        target = copy(defined)
        target.attr_text = retarget(defined.attr_text, source, title)
        ws.defined_names[short] = target
    return ws


def retarget(text: str, old: str, new: str) -> str:
    """Return the reference ``text`` with the sheet ``old`` replaced by ``new``."""
    quoted = quote_sheet(new)
    for spelled in (quote_sheet(old) + "!", old + "!"):
        text = text.replace(spelled, quoted + "!")
    return text


def copy_project_sheet(wb: Any) -> Worksheet:
    """Copy the last 附件1-3 sheet as the next project's sheet, its inputs and computed texts cleared.

    The copy keeps the layout of the last sheet (its indicator block, the 一级 and 二级 labels, the
    执行率 weight and the 实施单位) and loses every other value typed in or written by 计算得分;
    the project name is left empty, as on a new sheet.
    """
    existing = project_sheets(wb)
    if not existing:
        raise InputError("工作簿中没有附件1-3工作表，无法复制出新的项目表")
    last, index = existing[-1], len(existing)
    title = project_sheet_name(index)
    while title in wb.sheetnames:
        index += 1
        title = project_sheet_name(index)
    ws = copy_sheet(wb, last.title, title, wb.sheetnames.index(last.title) + 1)
    cells = Cells(wb)
    own = _own_table(wb, "t13")  # 四川: its names, its 一级/二级 columns, the rows down to 合计
    prefix = own["prefix"] if own is not None else "T13_"
    weight = "BUDGET_WEIGHT" if own is not None else "EXEC_WEIGHT"
    kept = {_named(cells, ws, prefix + key) for key in (weight, "IMPLEMENTER")}
    block = _named_range(ws, prefix + "IND")
    levels = None if block is None else (block.min_col + 1, block.min_col + 2)
    if own is not None and block is not None:
        total = cells.place(name(prefix + "TOTAL"), ws)
        block = CellRange(min_col=1, min_row=block.min_row, max_col=ws.max_column, max_row=total.row - 1)
        cols = own["indicators"]["columns"]
        levels = tuple(column_index_from_string(cols[key]) for key in ("level1", "level2"))
    outputs = {_named(cells, ws, prefix + key) for key in ("EXEC_EXPLANATION", "TOTAL_EXPLANATION")}
    score_columns = {_column(cells, ws, prefix + "TOTAL"), _column(cells, ws, prefix + "TOTAL_EXPLANATION")}
    for line in ws.iter_rows():
        for cell in line:
            if cell.value is None or cell.data_type == "f" or type(cell).__name__ == "MergedCell":
                continue
            in_block = block is not None and _contains(block, cell.column, cell.row)
            if in_block and levels is not None and cell.column in levels:
                continue  # the 一级 and 二级 labels lay out the block
            computed = cell.coordinate in outputs or (in_block and cell.column in score_columns)
            if (not cell.protection.locked and cell.coordinate not in kept) or computed:
                cell.value = None
    return ws


def _named(cells: Cells, ws: Worksheet, key: str) -> str | None:
    place = cells.place(name(key), ws)
    return place.coordinate if place is not None and place.ws is ws else None


def _column(cells: Cells, ws: Worksheet, key: str) -> int | None:
    place = cells.place(name(key), ws)
    return place.column if place is not None and place.ws is ws else None


def _named_range(ws: Worksheet, key: str) -> CellRange | None:
    defined = ws.defined_names.get(name(key))
    if defined is None or not defined.attr_text:
        return None
    return CellRange(defined.attr_text.split("!")[-1].replace("$", ""))


# ------------------------------------------------------------------ 新增指标行


def insert_indicator_row(wb: Any, sheet_name: str, row: int) -> int:
    """Insert an indicator row below ``row`` of the block on ``sheet_name``; return the new row's number.

    The new row joins the block of ``row`` (its 一级 and 二级 merges and sums grow by one) and takes
    that row's styles and validation, empty.
    """
    if sheet_name not in wb.sheetnames:
        raise InputError(f"没有名为“{sheet_name}”的工作表")
    ws = wb[sheet_name]
    cells = Cells(wb)
    table = "t12" if sheet_name == sheet_names()["t12"] else "t13"
    scope = ws if table == "t13" else None
    own = _own_table(wb, table)  # a province's own table (四川 1-3, 重庆 1-2): its names, its columns
    prefix = own["prefix"] if own is not None else table_prefix(table)
    first = cells.place(name(prefix + "IND"), scope)
    total = cells.place(name(prefix + "TOTAL"), scope)
    if first is None or total is None or first.ws.title != sheet_name:
        raise InputError(f"“{sheet_name}”不是附件1-2或附件1-3工作表，无法新增指标行")
    if not first.row <= row < total.row:
        raise InputError(
            f"请先选中指标区（第 {first.row} 行到第 {total.row - 1} 行）中的一行，再点击“新增指标行”"
        )
    new = _insert_below(wb, ws, row, excel=False)
    if own is not None:  # its 指标得分 is written by 计算得分, its 合计 sums the grown range
        return new
    cols = layout()["evaluation"]["columns"]
    above = ws[f"{cols['score']}{row}"].value
    if isinstance(above, str) and above.startswith("="):  # native scoring: the new row scores too
        for col, formula in indicator_formulas(new).items():
            ws[f"{col}{new}"].value = formula
    return new


def insert_row_as_excel(wb: Any, sheet_name: str, at: int) -> None:
    """Insert an empty row at row ``at`` of ``sheet_name`` the way Excel's Insert (whole row) does.

    Like :func:`insert_indicator_row`, except that a range grows only when the new row falls
    strictly inside it (Excel does not grow a range when a row is inserted just below its last
    row) and that the new row takes the styles and validation of the row above, not its formulas.
    """
    _insert_below(wb, wb[sheet_name], at - 1, excel=True)


def _insert_below(wb: Any, ws: Worksheet, row: int, excel: bool) -> int:
    new = row + 1
    shift = _Shift(ws.title, row, excel)
    merges = [CellRange(str(r)) for r in ws.merged_cells.ranges]
    for merged in merges:
        ws.unmerge_cells(str(merged))
    heights = {r: d.height for r, d in ws.row_dimensions.items() if r >= new and d.height is not None}
    ws.insert_rows(new)
    for merged in merges:
        ws.merge_cells(shift.range(str(merged)))
    for r in sorted(heights, reverse=True):
        ws.row_dimensions[r + 1].height = heights[r]
    ws.row_dimensions[new].height = ws.row_dimensions[row].height
    for sheet in wb.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.data_type == "f" and isinstance(cell.value, str):
                    cell.value = shift.formula(cell.value, sheet.title)
                if cell.hyperlink is not None and sheet is ws:
                    cell.hyperlink.ref = cell.coordinate
    _shift_names(wb, shift)
    for dv in ws.data_validations.dataValidation:
        ranges = [shift.range(str(r)) for r in dv.sqref.ranges]
        for col in range(1, ws.max_column + 1):
            if any(_contains(r, col, row) for r in dv.sqref.ranges):
                ranges.append(f"{get_column_letter(col)}{new}")
        dv.sqref = " ".join(dict.fromkeys(ranges))
    if ws.print_area:
        ws.print_area = [shift.range(a.split("!")[-1].replace("$", "")) for a in _areas(ws.print_area)]
    _copy_row(ws, row, new, formulas=not excel)
    return new


def _areas(print_area: str) -> list[str]:
    return [part for part in print_area.split(",") if part]


def _contains(ref: Any, col: int, row: int) -> bool:
    return ref.min_col <= col <= ref.max_col and ref.min_row <= row <= ref.max_row


def _copy_row(ws: Worksheet, source: int, target: int, formulas: bool = True) -> None:
    """Give row ``target`` the styles of row ``source``, and its formula when the column repeats one."""
    for col in range(1, ws.max_column + 1):
        src, dst = ws.cell(source, col), ws.cell(target, col)
        if type(dst).__name__ == "MergedCell" or type(src).__name__ == "MergedCell":
            continue
        if src.has_style:
            dst._style = copy(src._style)
        if formulas and src.data_type == "f" and isinstance(src.value, str) and source > 1:
            above = ws.cell(source - 1, col)
            if isinstance(above.value, str) and above.data_type == "f":
                repeated = Translator(above.value, above.coordinate).translate_formula(src.coordinate)
                if repeated == src.value:
                    dst.value = Translator(src.value, src.coordinate).translate_formula(dst.coordinate)


def _shift_names(wb: Any, shift: _Shift) -> None:
    holders = [wb.defined_names, *(ws.defined_names for ws in wb.worksheets)]
    for names in holders:
        for defined in names.values():
            if defined.attr_text:
                defined.attr_text = shift.formula("=" + defined.attr_text, None)[1:]


class _Shift:
    """Moves references on one sheet as inserting a row below ``row`` does.

    A range holding ``row`` grows; with ``excel`` (Excel's own rule) only when ``row`` is not its
    last row.
    """

    def __init__(self, sheet: str, row: int, excel: bool = False) -> None:
        self.sheet = sheet
        self.row = row
        self.excel = excel

    def _grows(self, top: int, bottom: int) -> bool:
        return top <= self.row < bottom if self.excel else top <= self.row <= bottom and top < bottom

    def _row(self, r: int) -> int:
        return r + 1 if r > self.row else r

    def range(self, ref: str) -> str:
        """Return the range ``ref`` ('A14:A20') moved: later rows shift, a range holding ``row`` grows."""
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        top = self._row(min_row)
        bottom = max_row + 1 if self._grows(min_row, max_row) else self._row(max_row)
        first, last = f"{get_column_letter(min_col)}{top}", f"{get_column_letter(max_col)}{bottom}"
        return first if first == last and ":" not in ref else f"{first}:{last}"

    def formula(self, formula: str, host: str | None) -> str:
        """Return ``formula`` (on sheet ``host``; None for a defined name) with its references moved."""
        try:
            tokens = Tokenizer(formula).items
        except Exception:
            return formula
        changed = False
        for token in tokens:
            if token.type == Token.OPERAND and token.subtype == Token.RANGE:
                moved = self._operand(token.value, host)
                changed |= moved != token.value
                token.value = moved
        return "=" + "".join(t.value for t in tokens) if changed else formula

    def _operand(self, text: str, host: str | None) -> str:
        prefix, _, ref = text.rpartition("!")
        sheet = unquote_sheet(prefix) if prefix else host
        if sheet != self.sheet:
            return text
        parts = ref.split(":")
        matches = [_CELL.match(p) for p in parts]
        if not all(matches):
            rows = [_ROWS.match(p) for p in parts]
            if not all(rows) or len(rows) != 2:
                return text
            top, bottom = int(rows[0].group(2)), int(rows[1].group(2))
            new_top, new_bottom = self._span(top, bottom)
            moved = f"{rows[0].group(1)}{new_top}:{rows[1].group(1)}{new_bottom}"
            return f"{prefix}!{moved}" if prefix else moved
        if len(matches) == 1:
            m = matches[0]
            moved = f"{m.group(1)}{m.group(2)}{m.group(3)}{self._row(int(m.group(4)))}"
        else:
            a, b = matches
            top, bottom = self._span(int(a.group(4)), int(b.group(4)))
            moved = f"{a.group(1)}{a.group(2)}{a.group(3)}{top}:{b.group(1)}{b.group(2)}{b.group(3)}{bottom}"
        return f"{prefix}!{moved}" if prefix else moved

    def _span(self, top: int, bottom: int) -> tuple[int, int]:
        if self._grows(top, bottom):
            return top, bottom + 1
        return self._row(top), self._row(bottom)
