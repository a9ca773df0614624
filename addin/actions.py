"""Apply the actions xlwings' JSON engine queued to a workbook file, with openpyxl.

A macro run on ``xw.Book(json=payload)`` records what it did as actions (``setValues``,
``addNote``, ``rangeInsert`` …). :data:`HANDLERS` maps each action the simulator supports to
the function doing it to an openpyxl workbook the way Excel would; any other action is refused
with one Chinese line before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from jixiao.addin.build import restore_ribbon_link
from jixiao.errors import InputError

WHOLE_ROW = 16384  # the column count of a whole-row range


def _anchor(ws, cell):
    """Return the cell itself, or the top-left cell of the merged range it lies in."""
    if isinstance(cell, MergedCell):
        for merged in ws.merged_cells.ranges:
            if cell.coordinate in merged:
                return ws.cell(merged.min_row, merged.min_col)
    return cell


def _cell_range(ws, action: dict) -> list[list[Any]]:
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    rows, cols = action["row_count"], action["column_count"]
    return [[_anchor(ws, ws.cell(r0 + i, c0 + j)) for j in range(cols)] for i in range(rows)]


def _cell_at(ws, address: str):
    return _anchor(ws, ws[address.replace("$", "").split(":")[0]])


def _fill(color: str | None) -> PatternFill:
    if not color:
        return PatternFill(fill_type=None)
    rgb = color.lstrip("#").upper()
    return PatternFill(fill_type="solid", start_color="FF" + rgb, end_color="FF" + rgb)


_FONT_PROPERTIES = {"bold": "b", "italic": "i", "size": "sz", "name": "name", "color": "color"}


def _font_with(font: Font, prop: str, value: Any) -> Font:
    """Return a copy of ``font`` with one property (bold, italic, size, name, color) changed."""
    if prop == "color":
        value = "FF" + str(value).lstrip("#").upper()
    if prop not in _FONT_PROPERTIES:
        return copy(font)
    return _replace_style(font, **{_FONT_PROPERTIES[prop]: value})


def _arg(args: Any) -> Any:
    """Return the single argument of an action (the engine sends it bare or in a list)."""
    return args[0] if isinstance(args, list) else args


def _aligned(alignment: Alignment, **changes: Any) -> Alignment:
    """Return a copy of ``alignment`` with ``changes``."""
    return _replace_style(alignment, **changes)


def _replace_style(style: Any, **changes: Any) -> Any:
    new = copy(style)
    for key, value in changes.items():
        setattr(new, key, value)
    return new


def _ref(action: dict) -> str:
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    last = f"{get_column_letter(c0 + action['column_count'] - 1)}{r0 + action['row_count'] - 1}"
    return f"{get_column_letter(c0)}{r0}:{last}"


# One handler per action of the JSON engine: handler(book, sheet, action) -> the alert shown or None.
# ``sheet`` is the worksheet the action targets (None for book-level actions).
Handler = Callable[[Any, Any, dict[str, Any]], str | None]
HANDLERS: dict[str, Handler] = {}


def registrar(table: dict[str, Any]) -> Callable[..., Callable[[Any], Any]]:
    """Return ``handles``: ``@handles("setValues", …)`` registers a handler in ``table`` for those actions."""

    def handles(*funcs: str) -> Callable[[Any], Any]:
        def register(handler: Any) -> Any:
            for func in funcs:
                table[func] = handler
            return handler

        return register

    return handles


_handles = registrar(HANDLERS)


def _args(action: dict[str, Any]) -> list[Any]:
    return action.get("args") or []


def _each_cell(ws, action: dict[str, Any], change: Callable[[Any], None]) -> None:
    """Apply ``change`` to every cell of the action's range (merged cells through their anchor)."""
    for row in _cell_range(ws, action):
        for cell in row:
            change(cell)


@_handles("alert")
def _alert(wb, ws, action):
    return str(_args(action)[0])


@_handles("setValues", "setFormula")
def _set_values(wb, ws, action):
    for row, values in zip(_cell_range(ws, action), action["values"], strict=True):
        for cell, value in zip(row, values, strict=True):
            cell.value = None if value == "" else value  # Excel clears a cell set to ""


@_handles("rangeClearContents")
def _clear_contents(wb, ws, action):
    _each_cell(ws, action, lambda cell: setattr(cell, "value", None))


@_handles("setRangeColor")
def _set_color(wb, ws, action):
    fill = _fill(_args(action)[0])
    _each_cell(ws, action, lambda cell: setattr(cell, "fill", fill))


@_handles("addNote", "setNoteText")
def _set_note(wb, ws, action):
    address, text = _args(action)[:2]
    _cell_at(ws, address).comment = Comment(text, "jixiao")


@_handles("deleteNote")
def _delete_note(wb, ws, action):
    _cell_at(ws, _args(action)[0]).comment = None


@_handles("addHyperlink")
def _add_hyperlink(wb, ws, action):
    target, text = _args(action)[:2]
    cell = _cell_range(ws, action)[0][0]
    cell.hyperlink = target
    if text:
        cell.value = text


@_handles("setFontProperty")
def _set_font_property(wb, ws, action):
    prop, value = _args(action)
    _each_cell(ws, action, lambda cell: setattr(cell, "font", _font_with(cell.font, prop, value)))


@_handles("setWrapText")
def _set_wrap_text(wb, ws, action):
    wrap = bool(_arg(_args(action)))
    _each_cell(ws, action, lambda cell: setattr(cell, "alignment", _aligned(cell.alignment, wrap_text=wrap)))


@_handles("setHorizontalAlignment")
def _set_horizontal_alignment(wb, ws, action):
    horizontal = str(_arg(_args(action))).lower()
    _each_cell(
        ws, action, lambda cell: setattr(cell, "alignment", _aligned(cell.alignment, horizontal=horizontal))
    )


@_handles("setNumberFormat")
def _set_number_format(wb, ws, action):
    number_format = _args(action)[0]
    _each_cell(ws, action, lambda cell: setattr(cell, "number_format", number_format))


@_handles("setRowHeight")
def _set_row_height(wb, ws, action):
    r0 = action["start_row"] + 1
    for r in range(r0, r0 + action["row_count"]):
        ws.row_dimensions[r].height = float(_arg(_args(action)))


@_handles("setColumnWidth")
def _set_column_width(wb, ws, action):
    c0 = action["start_column"] + 1
    for c in range(c0, c0 + action["column_count"]):
        ws.column_dimensions[get_column_letter(c)].width = float(_arg(_args(action)))


@_handles("addSheet")
def _add_sheet(wb, ws, action):
    args = _args(action)
    wb.create_sheet(args[1] if len(args) > 1 and args[1] else None, args[0])


@_handles("setSheetName")
def _rename(wb, ws, action):
    """Rename a sheet and, as Excel does, the references to it in its sheet-scoped names."""
    from jixiao.workbook.operations import retarget

    old, ws.title = ws.title, _args(action)[0]
    for defined in ws.defined_names.values():
        if defined.attr_text:
            defined.attr_text = retarget(defined.attr_text, old, ws.title)


@_handles("rangeInsert")
def _insert(wb, ws, action):
    """Apply rangeInsert: whole rows shifted down, as Excel moves merges, names, formulas, validation."""
    if _args(action)[0] != "down" or action["column_count"] < WHOLE_ROW:
        raise InputError("命令行模拟只支持插入整行（rangeInsert 整行下移）")
    from jixiao.workbook.operations import insert_row_as_excel

    for _ in range(action["row_count"]):
        insert_row_as_excel(wb, ws.title, action["start_row"] + 1)


@_handles("copySheet")
def _copy_sheet(wb, ws, action):
    from jixiao.workbook.operations import copy_sheet

    position, target, title = _args(action)
    copy_sheet(wb, ws.title, title, target if position == "Before" else target + 1)


@_handles("rangeMerge")
def _merge(wb, ws, action):
    ws.merge_cells(_ref(action))


@_handles("rangeUnmerge")
def _unmerge(wb, ws, action):
    ws.unmerge_cells(_ref(action))


@_handles("namesAdd")
def _add_name(wb, ws, action):
    name, refers = _args(action)[:2]
    names = ws.defined_names if ws is not None else wb.defined_names
    names[name] = DefinedName(name, attr_text=str(refers).lstrip("="))


@_handles("setNameRefersTo")
def _set_name_refers_to(wb, ws, action):
    full, book_scope, scope_index, refers = _args(action)
    names = wb.defined_names if book_scope else wb.worksheets[scope_index].defined_names
    short = full.rpartition("!")[2]
    names[short] = DefinedName(short, attr_text=str(refers).lstrip("="))


@_handles("activateSheet")
def _activate_sheet(wb, ws, action):
    index = _args(action)[0]
    wb.active = index if isinstance(index, int) else wb.worksheets.index(ws)


@_handles("rangeSelect")
def _select(wb, ws, action):
    return None  # the selection is not part of what a click checks


@_handles("runMacro")
def _run_macro(wb, ws, action):
    """Apply the client-side macro a port queued: only jixiao's marks (XlwingsPort.set_marks)."""
    from jixiao.addin.adapters import MARKS_MACRO
    from jixiao.workbook.writer import mark_sheet

    name, *rest = _args(action)
    if name != MARKS_MACRO:
        raise InputError(f"命令行模拟（jixiao addin click）不支持宏 {name}")
    title, sqref, rgb = rest[:3]
    mark_sheet(wb[title], str(sqref or "").split(), str(rgb))


VIEW_ONLY = frozenset({"alert", "activateSheet", "rangeSelect"})  # actions that change no cell or part


def changes_the_file(actions: list[dict[str, Any]]) -> bool:
    """Return True when ``actions`` hold anything besides message boxes and moving the selection."""
    return any(a["func"] not in VIEW_ONLY for a in actions)


def apply_actions(path: Path, actions: list[dict[str, Any]]) -> list[str]:
    """Apply the JSON engine's ``actions`` to the workbook file at ``path``; return the alerts shown."""
    unknown = sorted({a["func"] for a in actions} - HANDLERS.keys())
    if unknown:
        raise InputError(
            f"命令行模拟（jixiao addin click）不支持 Excel 操作 {'、'.join(unknown)}；"
            f"支持的 {len(HANDLERS)} 种是：{'、'.join(HANDLERS)}"
        )
    keep_vba = path.suffix.lower() in (".xlsm", ".xlam")
    wb = load_workbook(path, keep_vba=keep_vba)
    alerts: list[str] = []
    for action in actions:
        ws = wb.worksheets[action["sheet_position"]] if action.get("sheet_position") is not None else None
        alert = HANDLERS[action["func"]](wb, ws, action)
        if alert is not None:
            alerts.append(alert)
    try:
        wb.save(path)
    finally:
        if keep_vba and getattr(wb, "vba_archive", None) is not None:
            wb.vba_archive.close()
    if keep_vba:
        restore_ribbon_link(path)
    return alerts
