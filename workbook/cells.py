"""Reading cells the way people fill them: names, merged cells, numbers typed as text, formulas.

Nothing here trusts a cached formula result: a formula in an input cell is evaluated when it
is a plain reference or plain arithmetic, and otherwise reported. Only a cell of formula type is a
formula: text that starts with "=" (targets the 一体化 system exports as "=8个", "=100%") is text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jixiao.numbers import fmt_plain
from jixiao.workbook.source import SHEETRANGE_RE, range_boundaries, unquote_sheet
from jixiao.workbook.source import column_letter as get_column_letter

# a workbook is an openpyxl Workbook or a source.Book, a sheet a Worksheet or a source.Sheet
# (workbook/source.py): the same attributes, and no openpyxl import on the fast path
Workbook = Any
Worksheet = Any

_ARITHMETIC = re.compile(r"^[\d.\s+\-*/()]+$")
_OPERAND = re.compile(
    r"(?:'(?:[^']|'')+'|[^\s'!+\-*/()]+)!\$?[A-Z]{1,3}\$?\d+|\$?[A-Z]{1,3}\$?\d+\b|\bJX_\w+"
)
_PLAIN_DESTINATION = re.compile(r"(?:'(?:[^']|'')+'|\w+)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?")
_REFERENCE = re.compile(r"^(?:(?P<sheet>'(?:[^']|'')+'|[^'!]+)!)?\$?(?P<col>[A-Z]{1,3})\$?(?P<row>\d+)$")


Bounds = tuple[int, int, int, int]


class Unreadable(Exception):
    """Raised when a cell holds a formula jixiao cannot evaluate."""


@dataclass(frozen=True)
class Place:
    """A cell: its worksheet and coordinate."""

    ws: Worksheet
    coordinate: str

    @property
    def row(self) -> int:
        """Return the row number."""
        return self.ws[self.coordinate].row

    @property
    def column(self) -> int:
        """Return the column number."""
        return self.ws[self.coordinate].column

    def at(self, column: str | int, row: int | None = None) -> Place:
        """Return the place in ``column`` (letter or number) of ``row`` (default: the same row)."""
        letter = column if isinstance(column, str) else get_column_letter(column)
        return Place(self.ws, f"{letter}{row if row is not None else self.row}")


class Cells:
    """Looks up defined names and reads merged-aware cell values of one workbook."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self._anchors: dict[str, dict[tuple[int, int], tuple[int, int]]] = {}
        self._anchor_of: dict[tuple[str, str], Place] = {}  # (sheet title, coordinate) → its anchor
        # a name's formula parsed once: entry → (its text when parsed, (sheet title, bounds) or None)
        self._parsed: dict[int, tuple[Any, str | None, tuple[str, Bounds] | None]] = {}

    # ------------------------------------------------------------ names
    def place(self, defined: str, ws: Worksheet | None = None) -> Place | None:
        """Return the first cell of the name ``defined`` (sheet-scoped on ``ws`` first), or None."""
        ref = self.range(defined, ws)
        if ref is None:
            return None
        sheet, (min_col, min_row, _, _) = ref
        return Place(sheet, f"{get_column_letter(min_col)}{min_row}")

    def range(self, defined: str, ws: Worksheet | None = None) -> tuple[Worksheet, Bounds] | None:
        """Return the sheet and (min_col, min_row, max_col, max_row) of the name ``defined``."""
        entry = None
        if ws is not None and defined in ws.defined_names:
            entry = ws.defined_names[defined]
        elif defined in self.wb.defined_names:
            entry = self.wb.defined_names[defined]
        if entry is None:
            return None
        target = self._target(entry)
        if target is None or target[0] not in self.wb.sheetnames or None in target[1]:
            return None  # gone, or a whole row or column (refused before reading: see WorkbookReader)
        return self.wb[target[0]], target[1]

    def names(self, prefix: str) -> Iterator[tuple[str, Any, tuple[str, Bounds] | None]]:
        """Yield (name, entry, sheet title and bounds or None) of every defined name starting with
        ``prefix``, workbook-level and sheet-scoped; bounds hold None for a whole row or column."""
        scopes = [self.wb.defined_names, *(ws.defined_names for ws in self.wb.worksheets)]
        for scope in scopes:
            for defined, entry in scope.items():
                if defined.startswith(prefix):
                    yield defined, entry, self._target(entry)

    def _target(self, entry: Any) -> tuple[str, Bounds] | None:
        """Return the sheet title and bounds the defined name ``entry`` points at, or None.

        Parsed once per name; a name whose formula changed since (rows inserted) is parsed again.
        """
        cached = self._parsed.get(id(entry))
        if cached is not None and cached[0] is entry and cached[1] == entry.attr_text:
            return cached[2]
        target = _parse_target(entry)
        self._parsed[id(entry)] = (entry, entry.attr_text, target)
        return target

    def scoped_sheets(self, defined: str) -> list[Worksheet]:
        """Return the sheets (in workbook order) that carry the sheet-scoped name ``defined``."""
        return [ws for ws in self.wb.worksheets if defined in ws.defined_names]

    # ------------------------------------------------------------ values
    def anchor(self, place: Place) -> Place:
        """Return the top-left cell of the merged range holding ``place`` (or ``place`` itself)."""
        ws = place.ws
        known = self._anchor_of.get((ws.title, place.coordinate))
        if known is not None and known.ws is ws:
            return known  # the cell was looked at before (and so created, as openpyxl creates it)
        table = self._anchors.get(ws.title)
        if table is None:
            table = {}
            for rng in ws.merged_cells.ranges:
                for r in range(rng.min_row, rng.max_row + 1):
                    for c in range(rng.min_col, rng.max_col + 1):
                        table[(r, c)] = (rng.min_row, rng.min_col)
            self._anchors[ws.title] = table
        cell = ws[place.coordinate]
        r, c = table.get((cell.row, cell.column), (cell.row, cell.column))
        found = self._anchor_of[(ws.title, place.coordinate)] = Place(ws, f"{get_column_letter(c)}{r}")
        return found

    def merged_span(self, place: Place) -> tuple[int, int]:
        """Return the first and last row of the merged range holding ``place``."""
        for rng in place.ws.merged_cells.ranges:
            cell = place.ws[place.coordinate]
            if rng.min_row <= cell.row <= rng.max_row and rng.min_col <= cell.column <= rng.max_col:
                return rng.min_row, rng.max_row
        row = place.row
        return row, row

    def raw(self, place: Place, depth: int = 0) -> Any:
        """Return the value shown in ``place``: merged cells give their anchor's, formulas are evaluated."""
        cell = place.ws[self.anchor(place).coordinate]
        value = cell.value
        if cell.data_type == "f" and isinstance(value, str):  # a text cell "=8个" is text, not a formula
            return self._evaluate(place.ws, value.removeprefix("=").strip(), depth)
        if isinstance(value, str) and not value.strip():
            return None
        if hasattr(value, "text") and not isinstance(value, str):  # ArrayFormula and the like
            raise Unreadable("数组公式")
        return value

    def is_locked(self, place: Place) -> bool:
        """Return True when ``place`` is a locked (not an input) cell."""
        cell = place.ws[self.anchor(place).coordinate]
        return bool(cell.protection.locked)

    def _evaluate(self, ws: Worksheet, text: str, depth: int) -> Any:
        if depth > 5:
            raise Unreadable("公式引用层次过深")
        if text in self.wb.defined_names or text in ws.defined_names:
            target = self.place(text, ws)
            if target is None:
                raise Unreadable(f"名称 {text} 无效")
            return self.raw(target, depth + 1)
        match = _REFERENCE.match(text)
        if match:
            sheet = match.group("sheet")
            target_ws = ws
            if sheet:
                title = unquote_sheet(sheet)
                if title not in self.wb.sheetnames:
                    raise Unreadable(f"引用的工作表“{title}”不存在")
                target_ws = self.wb[title]
            return self.raw(Place(target_ws, f"{match.group('col')}{match.group('row')}"), depth + 1)
        substituted = _OPERAND.sub(lambda m: self._operand(ws, m.group(0), depth), text)
        if _ARITHMETIC.match(substituted) and re.search(r"\d", substituted):
            return _arithmetic(substituted)
        raise Unreadable("公式")

    def _operand(self, ws: Worksheet, ref: str, depth: int) -> str:
        """Return the number a reference inside arithmetic stands for, as text (empty → 0)."""
        if not (_REFERENCE.match(ref) or ref in self.wb.defined_names or ref in ws.defined_names):
            return ref
        value = self._evaluate(ws, ref, depth + 1)
        if value is None:
            return "0"
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise Unreadable(f"引用 {ref} 不是数字")
        return f"({Decimal(repr(value)) if isinstance(value, float) else value})"


def _parse_target(entry: Any) -> tuple[str, Bounds] | None:
    """Return the sheet title and bounds of the first destination of ``entry``, or None."""
    text = entry.attr_text
    if isinstance(text, str) and _PLAIN_DESTINATION.fullmatch(text):
        # one sheet and one range ('附件1-2'!$D$5): what DefinedName.destinations gives, untokenised
        match = SHEETRANGE_RE.match(text)
        if match is not None:
            title, ref = match.group("notquoted") or match.group("quoted"), match.group("cells")
            return _bounds(title, ref)
    try:
        destinations = list(entry.destinations)
    except Exception:  # a name that is a formula or #REF!
        return None
    if not destinations:
        return None
    return _bounds(*destinations[0])


def _bounds(title: str, ref: str) -> tuple[str, Bounds] | None:
    """Return ``title`` and the bounds of the range ``ref`` ('$D$5:$F$9'), or None when it is none."""
    try:
        return title, range_boundaries(ref.replace("$", ""))  # type: ignore[return-value]
    except ValueError:
        return None


def _arithmetic(text: str) -> Decimal:
    """Return the value of a formula of numbers, + - * / and parentheses, exactly."""
    tokens = re.findall(r"\d+(?:\.\d*)?|\.\d+|[-+*/()]", text.replace(" ", ""))
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> str:
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def expr() -> Decimal:
        value = term()
        while peek() in ("+", "-"):
            value = value + term() if take() == "+" else value - term()
        return value

    def term() -> Decimal:
        value = factor()
        while peek() in ("*", "/"):
            op = take()
            other = factor()
            if op == "*":
                value *= other
            elif other == 0:
                raise Unreadable("公式除以 0")
            else:
                value /= other
        return value

    def factor() -> Decimal:
        token = peek()
        if token == "-":
            take()
            return -factor()
        if token == "+":
            take()
            return factor()
        if token == "(":
            take()
            value = expr()
            if peek() != ")":
                raise Unreadable("公式括号不配对")
            take()
            return value
        if token is None:
            raise Unreadable("公式不完整")
        try:
            return Decimal(take())
        except InvalidOperation:
            raise Unreadable("公式") from None

    try:
        result = expr()
    except IndexError:
        raise Unreadable("公式不完整") from None
    if pos != len(tokens):
        raise Unreadable("公式")
    return result


_LITERAL = re.compile(r'"[^"]*"|\\.')  # the quoted text and escaped characters of a number format


def as_text(value: Any, number_format: str = "General") -> str | None:
    """Return a cell value as the text a person reads in it (numbers without '.0', % kept)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        shown = _LITERAL.sub("", number_format or "")  # '0"%"' and '0\\%' print a % sign, not ×100
        if "%" in shown:
            return f"{fmt_plain(number * 100)}%"
        if "%" in (number_format or ""):
            return f"{fmt_plain(number)}%"
        return fmt_plain(number)
    return str(value)


def cell_of(place: Place) -> Any:
    """Return the cell at ``place`` (openpyxl's or source.py's)."""
    return place.ws[place.coordinate]
