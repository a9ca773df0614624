"""Press a ribbon button on Linux: ``jixiao addin click BUTTON FILE [-o OUT]``.

Builds the JSON payload xlwings' clients send (the workbook's values, defined names and
selection), runs the button's macro on ``xw.Book(json=payload)`` — xlwings' JSON engine, the one
xlwings Server and xlwings Lite use — and applies the actions the macro queued to a copy of the
file with openpyxl. It is how the tests press every button without Excel.

The JSON engine lives in xlwings' ``pro`` folder: it runs under the PolyForm Noncommercial
licence (``XLWINGS_LICENSE_KEY=noncommercial``), which is set only while a click runs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

from jixiao.addin import ribbon
from jixiao.addin.build import restore_ribbon_link
from jixiao.errors import InputError, JixiaoError
from jixiao.fileio import keep_backup, write_bytes_atomic
from jixiao.office import convert
from jixiao.safety import inspect

LICENSE_ENV = "XLWINGS_LICENSE_KEY"
WHOLE_ROW = 16384  # the column count of a whole-row range


@dataclass
class Outcome:
    """What a click did: the file written, the alerts shown, and the exit code for the CLI."""

    path: Path
    alerts: list[str] = field(default_factory=list)
    exit_code: int = 0


def control_id(button: str) -> str:
    """Return the control id of a button given by id (jx_score) or Chinese label (计算得分)."""
    controls = ribbon.controls()
    for c in controls:
        if button in (c.id, c.label) or button == c.label.split("（")[0].strip():
            return c.id
    names = "、".join(c.label for c in controls)
    raise InputError(f"没有名为“{button}”的按钮（可用：{names}）")


# ------------------------------------------------------------------ payload


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def _selection(ws) -> str:
    try:
        return ws.sheet_view.selection[0].sqref.split()[0] or "A1"
    except (IndexError, AttributeError):
        return "A1"


def _uncalculated(path: Path) -> bool:
    """Return True when some formula of the workbook has no cached value (files openpyxl wrote)."""
    formulas, values = load_workbook(path), load_workbook(path, data_only=True)
    try:
        for ws in formulas.worksheets:
            cached = values[ws.title]
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f" and cached[c.coordinate].value is None:
                        return True
        return False
    finally:
        formulas.close()
        values.close()


def _recalculated(path: Path) -> Path:
    """Return a copy of the workbook recalculated by LibreOffice, as Excel would show it."""
    out = Path(tempfile.mkdtemp(prefix="jixiao-recalc-"))
    return convert(Path(path), "xlsx", out)


def payload_from_file(path: Path, selection: str | None = None) -> dict[str, Any]:
    """Return the JSON payload an Excel client would send for the workbook at ``path``.

    Values are what Excel shows: when formulas carry no cached value (files openpyxl wrote),
    the workbook is recalculated by LibreOffice first. ``selection`` ('附件1-2!B20') overrides
    the saved selection.
    """
    import xlwings as xw

    try:
        wb = load_workbook(path, data_only=True)
        if _uncalculated(path):
            wb.close()
            wb = load_workbook(_recalculated(path), data_only=True)
    except JixiaoError:
        raise
    except Exception as exc:
        raise InputError(f"无法打开工作簿（{exc}）", place=str(path)) from None
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    active = wb.active if wb.active is not None else wb.worksheets[0]
    active_index, address = index[active.title], _selection(active)
    if selection:
        sheet_name, _, address = selection.rpartition("!")
        sheet_name = sheet_name.strip("'") or active.title
        if sheet_name not in index:
            raise InputError(f"没有名为“{sheet_name}”的工作表", place=str(path))
        active_index = index[sheet_name]
    names = []

    def add_name(name: str, destinations, scope: int | None) -> None:
        for title, ref in destinations:
            if title in index:
                names.append(
                    {
                        "name": name if scope is None else f"'{wb.worksheets[scope].title}'!{name}",
                        "sheet_index": index[title],
                        "address": ref.replace("$", ""),
                        "book_scope": scope is None,
                        "scope_sheet_name": None if scope is None else wb.worksheets[scope].title,
                        "scope_sheet_index": scope,
                    }
                )
                return

    for name, defined in wb.defined_names.items():
        add_name(name, defined.destinations, None)
    sheets = []
    for i, ws in enumerate(wb.worksheets):
        for name, defined in ws.defined_names.items():
            add_name(name, defined.destinations, i)
        values = [[_json_value(c) for c in row] for row in ws.iter_rows(values_only=True)] or [[]]
        notes = [{"address": c.coordinate} for row in ws.iter_rows() for c in row if c.comment is not None]
        sheets.append(
            {
                "name": ws.title,
                "values": values,
                "pictures": [],
                "tables": [],
                "charts": [],
                "shapes": [],
                "notes": notes,
                "notes_supported": True,
            }
        )
    wb.close()
    return {
        "client": "Office.js",  # the client with notes; the version still equals the installed one
        "version": xw.__version__,
        "book": {"name": Path(path).name, "active_sheet_index": active_index, "selection": address},
        "names": names,
        "sheets": sheets,
    }


@contextmanager
def json_engine():
    """Yield the xlwings module with its JSON engine available, the licence key set only meanwhile."""
    before = os.environ.get(LICENSE_ENV)
    os.environ[LICENSE_ENV] = "noncommercial"
    try:
        import xlwings as xw

        if "remote" not in [e.name for e in xw.engines]:  # xlwings was imported before the key was set
            from xlwings.main import Engine
            from xlwings.pro import _xlremote

            xw.engines.add(Engine(impl=_xlremote.engine))
        yield xw
    finally:
        if before is None:
            os.environ.pop(LICENSE_ENV, None)
        else:
            os.environ[LICENSE_ENV] = before


# ------------------------------------------------------------------ actions


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


def _insert(wb, ws, action: dict) -> None:
    """Apply rangeInsert: whole rows shifted down, as Excel moves merges, names, formulas, validation."""
    if action["args"][0] != "down" or action["column_count"] < WHOLE_ROW:
        raise InputError("命令行模拟只支持插入整行（rangeInsert 整行下移）")
    from jixiao.workbook.operations import insert_row_as_excel

    for _ in range(action["row_count"]):
        insert_row_as_excel(wb, ws.title, action["start_row"] + 1)


def _rename(ws, title: str) -> None:
    """Rename a sheet and, as Excel does, the references to it in its sheet-scoped names."""
    from jixiao.workbook.operations import retarget

    old, ws.title = ws.title, title
    for defined in ws.defined_names.values():
        if defined.attr_text:
            defined.attr_text = retarget(defined.attr_text, old, title)


def apply_actions(path: Path, actions: list[dict[str, Any]]) -> list[str]:
    """Apply the JSON engine's ``actions`` to the workbook file at ``path``; return the alerts shown."""
    keep_vba = path.suffix.lower() in (".xlsm", ".xlam")
    wb = load_workbook(path, keep_vba=keep_vba)
    alerts: list[str] = []
    for action in actions:
        func, args = action["func"], action.get("args") or []
        ws = wb.worksheets[action["sheet_position"]] if action.get("sheet_position") is not None else None
        if func == "alert":
            alerts.append(str(args[0]))
        elif func in ("setValues", "setFormula"):
            for row, values in zip(_cell_range(ws, action), action["values"], strict=True):
                for cell, value in zip(row, values, strict=True):
                    cell.value = None if value == "" else value  # Excel clears a cell set to ""
        elif func == "rangeClearContents":
            for row in _cell_range(ws, action):
                for cell in row:
                    cell.value = None
        elif func == "setRangeColor":
            for row in _cell_range(ws, action):
                for cell in row:
                    cell.fill = _fill(args[0])
        elif func in ("addNote", "setNoteText"):
            _cell_at(ws, args[0]).comment = Comment(args[1], "jixiao")
        elif func == "deleteNote":
            _cell_at(ws, args[0]).comment = None
        elif func == "addHyperlink":
            cell = _cell_range(ws, action)[0][0]
            cell.hyperlink = args[0]
            if args[1]:
                cell.value = args[1]
        elif func == "setFontProperty":
            prop, value = args
            for row in _cell_range(ws, action):
                for cell in row:
                    cell.font = _font_with(cell.font, prop, value)
        elif func == "setWrapText":
            for row in _cell_range(ws, action):
                for cell in row:
                    cell.alignment = _aligned(cell.alignment, wrap_text=bool(_arg(args)))
        elif func == "setHorizontalAlignment":
            for row in _cell_range(ws, action):
                for cell in row:
                    cell.alignment = _aligned(cell.alignment, horizontal=str(_arg(args)).lower())
        elif func == "setRowHeight":
            r0 = action["start_row"] + 1
            for r in range(r0, r0 + action["row_count"]):
                ws.row_dimensions[r].height = float(_arg(args))
        elif func == "setColumnWidth":
            c0 = action["start_column"] + 1
            for c in range(c0, c0 + action["column_count"]):
                ws.column_dimensions[get_column_letter(c)].width = float(_arg(args))
        elif func == "setNumberFormat":
            for row in _cell_range(ws, action):
                for cell in row:
                    cell.number_format = args[0]
        elif func == "addSheet":
            wb.create_sheet(args[1] if len(args) > 1 and args[1] else None, args[0])
        elif func == "setSheetName":
            _rename(ws, args[0])
        elif func == "rangeInsert":
            _insert(wb, ws, action)
        elif func == "copySheet":
            from jixiao.workbook.operations import copy_sheet

            position, target, title = args
            copy_sheet(wb, ws.title, title, target if position == "Before" else target + 1)
        elif func in ("rangeMerge", "rangeUnmerge"):
            ref = _ref(action)
            ws.merge_cells(ref) if func == "rangeMerge" else ws.unmerge_cells(ref)
        elif func == "namesAdd":
            names = ws.defined_names if ws is not None else wb.defined_names
            names[args[0]] = DefinedName(args[0], attr_text=str(args[1]).lstrip("="))
        elif func == "setNameRefersTo":
            full, book_scope, scope_index, refers = args
            names = wb.defined_names if book_scope else wb.worksheets[scope_index].defined_names
            short = full.rpartition("!")[2]
            names[short] = DefinedName(short, attr_text=str(refers).lstrip("="))
        elif func == "activateSheet":
            wb.active = args[0] if isinstance(args[0], int) else wb.worksheets.index(ws)
        elif func == "rangeSelect":
            pass  # the selection is not part of what a click checks
        else:
            raise InputError(f"命令行模拟不支持 Excel 操作 {func}")
    try:
        wb.save(path)
    finally:
        if keep_vba and getattr(wb, "vba_archive", None) is not None:
            wb.vba_archive.close()
    if keep_vba:
        restore_ribbon_link(path)
    return alerts


def click(button: str, source: Path, output: Path | None = None, selection: str | None = None) -> Outcome:
    """Press ``button`` on the workbook ``source``; write the result to ``output`` (default: in place)."""
    from jixiao.addin.macros import run_button
    from jixiao.addin.port import XlwingsPort

    source = Path(source)
    if not source.exists():
        raise InputError("文件不存在", place=str(source))
    inspect(source)  # refuses an unusable or hostile file before openpyxl opens it
    cid = control_id(button)
    payload = payload_from_file(source, selection)
    with json_engine() as xw:
        book = xw.Book(json=payload)
        port = XlwingsPort(book, folder=source.resolve().parent, fullname=source.resolve())
        ok, _message = run_button(cid, port)
        actions = book.json()["actions"]
    destination = Path(output) if output else source
    with tempfile.TemporaryDirectory(prefix="jixiao-click-") as tmp:
        work = Path(tmp) / source.name
        shutil.copyfile(source, work)
        alerts = apply_actions(work, actions)
        if destination.exists() and destination.resolve() == source.resolve():
            keep_backup(source)
        write_bytes_atomic(destination, work.read_bytes())
    return Outcome(destination, alerts, 0 if ok else 1)
