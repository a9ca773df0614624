"""The two adapters of :class:`jixiao.addin.port.Port`: over an openpyxl workbook and over an xlwings Book.

:class:`OpenpyxlPort` serves the CLI and the tests; :class:`XlwingsPort` serves desktop Excel and,
on Linux, xlwings' JSON engine (``jixiao addin click``). Neither inherits from ``Port``: they
satisfy it structurally.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.textsafe import put_text
from jixiao.workbook.sheet import quote_sheet, unquote_sheet

MARKS_MACRO = "jixiaoSetMarks"  # the JSON engine's runMacro that stands for set_marks
XL_EXPRESSION = 2  # XlFormatConditionType.xlExpression


class OpenpyxlPort:
    """The port over an openpyxl workbook (CLI and tests); alerts are collected in ``alerts``."""

    def __init__(
        self, workbook: Workbook, fullname: Path | None = None, selection: str | None = None
    ) -> None:
        self.workbook = workbook
        self.fullname = Path(fullname) if fullname else None
        self.folder = self.fullname.parent if self.fullname else None
        self._selection = selection
        self.alerts: list[str] = []

    def snapshot(self) -> Workbook:
        """Return the workbook the macro computes on."""
        return self.workbook

    def selection(self) -> tuple[str, str]:
        """Return the (sheet, address) selected when the button was pressed."""
        if self._selection:
            sheet, _, address = self._selection.rpartition("!")
            return unquote_sheet(sheet) or self.workbook.active.title, address
        ws = self.workbook.active
        try:
            return ws.title, ws.sheet_view.selection[0].sqref.split()[0]
        except (IndexError, AttributeError):
            return ws.title, "A1"

    def set_value(self, sheet: str, coordinate: str, value: Any) -> None:
        """Write one cell value (a string starting with '=' is a formula)."""
        self.workbook[sheet][coordinate].value = value

    def set_fill(self, sheet: str, coordinate: str, rgb: str | None) -> None:
        """Fill one cell with '#RRGGBB', or clear its fill."""
        color = "FF" + rgb.lstrip("#") if rgb else None
        fill = (
            PatternFill("solid", start_color=color, end_color=color) if color else PatternFill(fill_type=None)
        )
        self.workbook[sheet][coordinate].fill = fill

    def set_note(self, sheet: str, coordinate: str, text: str | None) -> None:
        """Attach a note to one cell, or remove it."""
        self.workbook[sheet][coordinate].comment = Comment(text, "jixiao") if text else None

    def set_hyperlink(self, sheet: str, coordinate: str, target: str, text: Any) -> None:
        """Make one cell a hyperlink to ``target`` ('#附件1-2!H14' inside the workbook)."""
        self.workbook[sheet][coordinate].hyperlink = target

    def set_marks(self, sheet: str, refs: list[str], rgb: str) -> None:
        """Replace jixiao's conditional format on ``sheet`` by one filling ``refs`` (removed when empty)."""
        from jixiao.workbook.writer import mark_sheet

        mark_sheet(self.workbook[sheet], refs, rgb)

    def set_font(self, sheet: str, coordinate: str, name: str | None, size: float | None, bold: bool) -> None:
        """Set the font of one cell."""
        from openpyxl.styles import Font

        self.workbook[sheet][coordinate].font = Font(name=name, size=size, bold=bold)

    def set_alignment(self, sheet: str, coordinate: str, horizontal: str | None, wrap: bool) -> None:
        """Set the horizontal alignment and wrapping of one cell."""
        from openpyxl.styles import Alignment

        self.workbook[sheet][coordinate].alignment = Alignment(horizontal=horizontal, wrap_text=wrap)

    def set_row_height(self, sheet: str, row: int, height: float) -> None:
        """Set the height of one row in points."""
        self.workbook[sheet].row_dimensions[row].height = height

    def set_column_width(self, sheet: str, column: str, width: float) -> None:
        """Set the width of one column in character units."""
        self.workbook[sheet].column_dimensions[column].width = width

    def add_sheet(self, name: str, after: str | None) -> None:
        """Add an empty sheet ``name`` after the sheet ``after`` (first when None)."""
        index = self.workbook.sheetnames.index(after) + 1 if after else 0
        self.workbook.create_sheet(name, index)

    def insert_row(self, sheet: str, row: int) -> None:
        """Insert an empty whole row at ``row`` of ``sheet``, as Excel's Insert does."""
        from jixiao.workbook.operations import insert_row_as_excel

        insert_row_as_excel(self.workbook, sheet, row)

    def merge(self, sheet: str, ref: str) -> None:
        """Merge the range ``ref`` ('B14:B24')."""
        self.workbook[sheet].merge_cells(ref)

    def unmerge(self, sheet: str, ref: str) -> None:
        """Unmerge the merged range ``ref``."""
        self.workbook[sheet].unmerge_cells(ref)

    def set_name(self, scope: str | None, name: str, refers_to: str) -> None:
        """Define ``name`` (of sheet ``scope``, or of the book when None) as ``refers_to`` ('=...')."""
        names = self.workbook[scope].defined_names if scope else self.workbook.defined_names
        names[name] = DefinedName(name, attr_text=refers_to.lstrip("="))

    def copy_sheet(self, source: str, title: str) -> None:
        """Copy the sheet ``source`` right after itself as ``title`` (with its sheet-scoped names)."""
        from jixiao.workbook.operations import copy_sheet

        copy_sheet(self.workbook, source, title, self.workbook.sheetnames.index(source) + 1)

    def alert(self, message: str, title: str) -> None:
        """Keep ``message`` for the caller to print."""
        self.alerts.append(message)


def _sheet_ref(sheet: str, address: str) -> tuple[str, str]:
    """Return the sheet name and the address without $ of a reference's two halves."""
    return unquote_sheet(sheet), address.replace("$", "")


class XlwingsPort:
    """The port over an xlwings ``Book`` (desktop Excel, or the JSON engine on Linux)."""

    def __init__(self, book: Any, folder: Path | None = None, fullname: Path | None = None) -> None:
        self.book = book
        self.fullname = Path(fullname) if fullname else None
        self.folder = Path(folder) if folder else (self.fullname.parent if self.fullname else None)

    def _saved(self) -> Workbook | None:
        """Return the last saved file of the book (formats, locks, merges, notes), or None."""
        if self.fullname is None or not self.fullname.is_file():
            return None
        from openpyxl import load_workbook

        try:
            return load_workbook(self.fullname)
        except Exception:  # not readable by openpyxl (e.g. .xls): fall back to values only
            return None

    @classmethod
    def from_caller(cls) -> XlwingsPort:
        """Return the port over the workbook active when the ribbon button was pressed."""
        import xlwings as xw

        caller = xw.Book.caller()  # the add-in itself when the button belongs to jixiao.xlam
        book = caller.app.books.active
        fullname = Path(book.fullname)
        return cls(book, fullname.parent if fullname.parent != Path(".") else None, fullname)

    def snapshot(self) -> Workbook:
        """Return an openpyxl workbook holding the book's values and defined names.

        The cells' formats, locks, merges and notes (what the reader needs to find lists and
        blocks) come from the last saved file; values come from the book, except in locked
        cells that hold one of jixiao's formulas, which stay formulas as in the file.
        """
        wb = self._saved()
        if wb is None:
            wb = Workbook()
            wb.remove(wb.active)
        live = [sheet.name for sheet in self.book.sheets]
        for title in [t for t in wb.sheetnames if t not in live]:
            wb.remove(wb[title])
        for sheet in self.book.sheets:
            ws: Worksheet = wb[sheet.name] if sheet.name in wb.sheetnames else wb.create_sheet(sheet.name)
            last = sheet.used_range.last_cell
            values = sheet.range((1, 1), (last.row, last.column)).options(ndim=2).value or []
            for row in ws.iter_rows():
                for cell in row:
                    if not isinstance(cell, MergedCell) and not _kept_formula(cell):
                        cell.value = None
            for r, row in enumerate(values, start=1):
                for c, value in enumerate(row, start=1):
                    cell = ws.cell(r, c)
                    if value is None or value == "" or isinstance(cell, MergedCell) or _kept_formula(cell):
                        continue
                    # a value Excel shows is never a formula: text such as "=8个" stays text
                    put_text(cell, value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value)
        for name in self.book.names:
            full, refers = name.name, name.refers_to.lstrip("=")
            scope, _, short = full.rpartition("!")
            sheet, _, address = refers.rpartition("!")
            sheet, address = _sheet_ref(sheet, address)
            if sheet not in wb.sheetnames:
                continue
            target = f"{quote_sheet(sheet)}!{absolute_coordinate(address)}"
            if scope:
                wb[unquote_sheet(scope)].defined_names[short] = DefinedName(short, attr_text=target)
            else:
                wb.defined_names[full] = DefinedName(full, attr_text=target)
        return wb

    def selection(self) -> tuple[str, str]:
        """Return the (sheet, address) selected when the button was pressed."""
        selected = self.book.app.selection
        return selected.sheet.name, selected.address.replace("$", "")

    def _range(self, sheet: str, coordinate: str):
        return self.book.sheets[sheet].range(coordinate)

    def set_value(self, sheet: str, coordinate: str, value: Any) -> None:
        """Write one cell value (a string starting with '=' is a formula)."""
        self._range(sheet, coordinate).value = value

    def set_fill(self, sheet: str, coordinate: str, rgb: str | None) -> None:
        """Fill one cell with '#RRGGBB', or clear its fill."""
        self._range(sheet, coordinate).color = rgb

    def set_note(self, sheet: str, coordinate: str, text: str | None) -> None:
        """Attach a note to one cell, or remove it."""
        rng = self._range(sheet, coordinate)
        note = rng.note
        if text is None:
            if note is not None:
                note.delete()
        elif note is None:
            rng.add_note(text)
        else:
            note.text = text

    def set_hyperlink(self, sheet: str, coordinate: str, target: str, text: Any) -> None:
        """Make one cell a hyperlink to ``target`` ('#附件1-2!H14' inside the workbook)."""
        self._range(sheet, coordinate).add_hyperlink(target, None if text is None else str(text))

    def set_marks(self, sheet: str, refs: list[str], rgb: str) -> None:
        """Replace jixiao's conditional format on ``sheet`` by one filling ``refs`` (removed when empty).

        In Excel through the sheet's ``FormatConditions`` (an expression rule whose formula is
        jixiao's mark); on the JSON engine, which has no such action, as the client-side macro
        :data:`MARKS_MACRO` with the sheet, the cells and the colour.
        """
        if self.book.app.engine.name == "remote":
            self.book.app.macro(MARKS_MACRO)(sheet, " ".join(refs), rgb)
            return
        from jixiao.workbook.writer import MARK_FORMULA

        api = self.book.sheets[sheet].api
        formula = "=" + MARK_FORMULA
        conditions = api.Cells.FormatConditions
        for index in range(conditions.Count, 0, -1):  # backwards: deleting renumbers the rest
            condition = conditions.Item(index)
            try:
                ours = condition.Type == XL_EXPRESSION and condition.Formula1 == formula
            except Exception:  # a data bar or an icon set has no Formula1: the user's
                ours = False
            if ours:
                condition.Delete()
        if not refs:
            return
        target = api.Range(refs[0])
        for ref in refs[1:]:  # a union, not one "A1,B2,…" string (Range() takes at most 255 characters)
            target = self.book.app.api.Union(target, api.Range(ref))
        condition = target.FormatConditions.Add(Type=XL_EXPRESSION, Formula1=formula)
        red, green, blue = (int(rgb.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
        condition.Interior.Color = red + green * 256 + blue * 65536  # Excel's colour is BGR

    def set_font(self, sheet: str, coordinate: str, name: str | None, size: float | None, bold: bool) -> None:
        """Set the font of one cell."""
        font = self._range(sheet, coordinate).font
        if name:
            font.name = name
        if size:
            font.size = size
        font.bold = bold

    def set_alignment(self, sheet: str, coordinate: str, horizontal: str | None, wrap: bool) -> None:
        """Set the horizontal alignment and wrapping of one cell."""
        rng = self._range(sheet, coordinate)
        if horizontal in ("left", "center", "right", "justify", "general"):
            rng.horizontal_alignment = horizontal
        rng.wrap_text = wrap

    def set_row_height(self, sheet: str, row: int, height: float) -> None:
        """Set the height of one row in points."""
        self._range(sheet, f"A{row}").row_height = height

    def set_column_width(self, sheet: str, column: str, width: float) -> None:
        """Set the width of one column in character units (what desktop Excel measures)."""
        self._range(sheet, f"{column}1").column_width = width

    def add_sheet(self, name: str, after: str | None) -> None:
        """Add an empty sheet ``name`` after the sheet ``after`` (first when None)."""
        sheets = self.book.sheets
        if after:
            sheets.add(name=name, after=sheets[after])
        else:
            sheets.add(name=name, before=sheets[0])

    def insert_row(self, sheet: str, row: int) -> None:
        """Insert an empty whole row at ``row`` of ``sheet`` (Excel moves merges, names, formulas)."""
        self.book.sheets[sheet].range(f"{row}:{row}").insert(
            shift="down", copy_origin="format_from_left_or_above"
        )

    def merge(self, sheet: str, ref: str) -> None:
        """Merge the range ``ref`` ('B14:B24')."""
        self._range(sheet, ref).merge(False)

    def unmerge(self, sheet: str, ref: str) -> None:
        """Unmerge the merged range ``ref``."""
        self._range(sheet, ref).unmerge()

    def set_name(self, scope: str | None, name: str, refers_to: str) -> None:
        """Define ``name`` (of sheet ``scope``, or of the book when None) as ``refers_to`` ('=...')."""
        holder = self.book.sheets[scope] if scope else self.book
        for existing in holder.names:
            if existing.name.rpartition("!")[2] == name:
                existing.refers_to = refers_to
                return
        holder.names.add(name, refers_to)

    def copy_sheet(self, source: str, title: str) -> None:
        """Copy the sheet ``source`` right after itself as ``title`` (Excel copies its sheet-scoped names)."""
        sheet = self.book.sheets[source]
        sheet.copy(after=sheet, name=title)

    def alert(self, message: str, title: str) -> None:
        """Show ``message`` to the user in an Excel dialog."""
        self.book.app.alert(message, title)


def _kept_formula(cell) -> bool:
    """Return True for a locked cell holding a formula (jixiao's computed cells keep their formula)."""
    return cell.data_type == "f" and bool(cell.protection.locked)
