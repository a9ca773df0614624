"""The small read/write port the macros use (a ``typing.Protocol``) and the diff written through it.

A macro reads a *snapshot* of the workbook (an openpyxl ``Workbook`` holding the values and the
defined names), lets the workbook layer compute on it, and hands back the changed workbook:
:func:`apply_changes` writes what differs — values, fills, notes, hyperlinks — through the port,
once. (With xlwings a write is not visible to a later read in the same macro, and Excel does not
recalculate during a macro: compute in Python, write once.) The cells with a finding are marked
by jixiao's own conditional format (:func:`apply_marks`), never through the cells' fills or notes.
The adapters, over an xlwings ``Book`` and over an openpyxl workbook, are in
:mod:`jixiao.addin.adapters`; they satisfy :class:`Port` structurally.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet.worksheet import Worksheet


class Port(Protocol):
    """What a macro reads from and writes to a workbook; sheets by name, cells as 'B3'."""

    folder: Path | None  # the folder of the workbook's file, None for a book never saved
    fullname: Path | None  # the workbook's file, None for a book never saved

    def snapshot(self) -> Workbook:
        """Return an openpyxl workbook holding the book's values and defined names."""
        ...

    def selection(self) -> tuple[str, str]:
        """Return the (sheet, address) selected when the button was pressed."""
        ...

    def set_value(self, sheet: str, coordinate: str, value: Any) -> None:
        """Write one cell value (a string starting with '=' is a formula)."""
        ...

    def set_fill(self, sheet: str, coordinate: str, rgb: str | None) -> None:
        """Fill one cell with '#RRGGBB', or clear its fill."""
        ...

    def set_note(self, sheet: str, coordinate: str, text: str | None) -> None:
        """Attach a note to one cell, or remove it."""
        ...

    def set_hyperlink(self, sheet: str, coordinate: str, target: str, text: Any) -> None:
        """Make one cell a hyperlink to ``target`` ('#附件1-2!H14' inside the workbook)."""
        ...

    def set_marks(self, sheet: str, refs: list[str], rgb: str) -> None:
        """Replace jixiao's one conditional format on ``sheet`` by one filling ``refs`` with '#RRGGBB'
        (removed when ``refs`` is empty); the cells' own fills and comments stay as they are."""
        ...

    def set_font(self, sheet: str, coordinate: str, name: str | None, size: float | None, bold: bool) -> None:
        """Set the font of one cell."""
        ...

    def set_alignment(self, sheet: str, coordinate: str, horizontal: str | None, wrap: bool) -> None:
        """Set the horizontal alignment and wrapping of one cell."""
        ...

    def set_row_height(self, sheet: str, row: int, height: float) -> None:
        """Set the height of one row in points."""
        ...

    def set_column_width(self, sheet: str, column: str, width: float) -> None:
        """Set the width of one column in character units."""
        ...

    def add_sheet(self, name: str, after: str | None) -> None:
        """Add an empty sheet ``name`` after the sheet ``after`` (first when None)."""
        ...

    def insert_row(self, sheet: str, row: int) -> None:
        """Insert an empty whole row at ``row`` of ``sheet``, as Excel's Insert does."""
        ...

    def merge(self, sheet: str, ref: str) -> None:
        """Merge the range ``ref`` ('B14:B24')."""
        ...

    def unmerge(self, sheet: str, ref: str) -> None:
        """Unmerge the merged range ``ref``."""
        ...

    def set_name(self, scope: str | None, name: str, refers_to: str) -> None:
        """Define ``name`` (of sheet ``scope``, or of the book when None) as ``refers_to`` ('=...')."""
        ...

    def copy_sheet(self, source: str, title: str) -> None:
        """Copy the sheet ``source`` right after itself as ``title``, with its sheet-scoped names."""
        ...

    def alert(self, message: str, title: str) -> None:
        """Show ``message`` to the user (an Excel dialog, or kept for the caller to print)."""
        ...


def _fill_rgb(cell) -> str | None:
    """Return a cell's solid fill as '#RRGGBB', or None."""
    fill = cell.fill
    if fill is None or fill.fill_type != "solid":
        return None
    rgb = fill.fgColor.rgb if isinstance(fill.fgColor.rgb, str) else None
    return f"#{rgb[-6:].upper()}" if rgb else None


def _note(cell) -> str | None:
    return cell.comment.text if cell.comment is not None else None


def _link(cell) -> str | None:
    if cell.hyperlink is None:
        return None
    return cell.hyperlink.target or (f"#{cell.hyperlink.location}" if cell.hyperlink.location else None)


def _font(cell) -> tuple[Any, ...]:
    font = cell.font
    return (font.name, float(font.sz) if font.sz else None, bool(font.b))


def _alignment(cell) -> tuple[Any, ...]:
    return (cell.alignment.horizontal, bool(cell.alignment.wrap_text))


def _cells(ws: Worksheet) -> set[str]:
    return {c.coordinate for row in ws.iter_rows() for c in row if not isinstance(c, MergedCell)}


def apply_changes(port: Port, before: Workbook, after: Workbook) -> int:
    """Write through ``port`` every cell where ``after`` differs from ``before``; return how many.

    Values, fills, notes and hyperlinks always; fonts, alignment, row heights and column widths
    too (the 自评报告 sheet is styled). A sheet only ``after`` has is added after its neighbour.
    Merged ranges and defined names are :func:`apply_structure`'s.
    """
    count = 0
    for index, ws in enumerate(after.worksheets):
        if ws.title not in before.sheetnames:
            port.add_sheet(ws.title, after.worksheets[index - 1].title if index else None)
            old = Workbook().active
        else:
            old = before[ws.title]
        for coordinate in sorted(_cells(ws) | _cells(old)):
            a, b = old[coordinate], ws[coordinate]
            if isinstance(b, MergedCell):
                continue
            changed = False
            if a.value != b.value:
                port.set_value(ws.title, coordinate, b.value)
                changed = True
            if _fill_rgb(a) != _fill_rgb(b):
                port.set_fill(ws.title, coordinate, _fill_rgb(b))
                changed = True
            if _note(a) != _note(b):
                port.set_note(ws.title, coordinate, _note(b))
                changed = True
            if _link(a) != _link(b) and _link(b):
                port.set_hyperlink(ws.title, coordinate, _link(b), b.value)
                changed = True
            if b.value is not None and _font(a) != _font(b):
                port.set_font(ws.title, coordinate, *_font(b))
                changed = True
            if b.value is not None and _alignment(a) != _alignment(b):
                port.set_alignment(ws.title, coordinate, *_alignment(b))
                changed = True
            count += changed
        for row, dim in ws.row_dimensions.items():
            height = dim.height
            if height is not None and height != old.row_dimensions[row].height:
                port.set_row_height(ws.title, row, height)
        for column, dim in ws.column_dimensions.items():
            if dim.customWidth and dim.width != old.column_dimensions[column].width:
                port.set_column_width(ws.title, column, dim.width)
    return count


def marks_of(ws: Worksheet) -> list[str]:
    """Return the cells jixiao's conditional format on ``ws`` highlights (empty when it has none)."""
    from jixiao.workbook.writer import MARK_FORMULA

    return [
        cell
        for cf in ws.conditional_formatting
        if any(rule.type == "expression" and list(rule.formula or []) == [MARK_FORMULA] for rule in cf.rules)
        for cell in str(cf.sqref).split()
    ]


def apply_marks(port: Port, after: Workbook) -> None:
    """Write jixiao's marks of every sheet of ``after`` through ``port``: replaced on each sheet, so
    that marks of an earlier run the book still shows (saved or not) go away."""
    from jixiao.workbook.writer import MARK_RGB

    for ws in after.worksheets:
        port.set_marks(ws.title, marks_of(ws), f"#{MARK_RGB}")


def _names(wb: Workbook) -> dict[tuple[str | None, str], str]:
    found: dict[tuple[str | None, str], str] = {(None, k): v.attr_text for k, v in wb.defined_names.items()}
    for ws in wb.worksheets:
        found.update({(ws.title, k): v.attr_text for k, v in ws.defined_names.items()})
    return found


def apply_structure(port: Port, before: Workbook, after: Workbook) -> None:
    """Write through ``port`` the merged ranges and defined names where ``after`` differs from ``before``."""
    for ws in after.worksheets:
        if ws.title not in before.sheetnames:
            continue
        old = {str(r) for r in before[ws.title].merged_cells.ranges}
        new = {str(r) for r in ws.merged_cells.ranges}
        for ref in sorted(old - new):
            port.unmerge(ws.title, ref)
        for ref in sorted(new - old):
            port.merge(ws.title, ref)
    old_names = _names(before)
    for (scope, name), text in sorted(_names(after).items(), key=str):
        if text and old_names.get((scope, name)) != text:
            port.set_name(scope, name, "=" + text)
