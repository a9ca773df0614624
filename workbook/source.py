"""The cells the reader reads, whichever parser read them: a small interface and its fast implementation.

The reader (``workbook/reader.py`` through ``workbook/cells.py``) needs of a workbook only: its sheet
names and sheets, its defined names (workbook-level and sheet-scoped, each with its formula text),
and of a sheet its title, last row, merged ranges and cells; of a cell its value, type (``f``
formula, ``n`` number, ``s`` string, ``b`` bool, ``e`` error, ``d`` date), number format and locked
flag. An openpyxl workbook offers exactly that (it is the fallback), and so do the plain classes
below, which ``workbook/fastread.py`` fills from the package XML without importing openpyxl.

The classes spell the openpyxl attributes the reader uses (``wb.sheetnames``, ``wb[title]``,
``ws.defined_names``, ``ws.merged_cells.ranges``, ``cell.data_type``, ``cell.protection.locked``,
``DefinedName.attr_text`` and ``.destinations``), so one reader serves both. Values follow
openpyxl's reading rules (numbers with a point or an exponent are floats, others ints; date formats
give datetimes; "=8个" typed as text stays text): both paths give the same filing and findings,
which tests/test_fast_reader.py checks.

Also here: the coordinate helpers (column letters, ranges) the reader needs, so that the reader
imports no openpyxl.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

# ------------------------------------------------------------------ coordinates (as openpyxl spells them)

_RANGE_EXPR = r"""
[$]?(?P<min_col>[A-Za-z]{1,3})?
[$]?(?P<min_row>\d+)?
(:[$]?(?P<max_col>[A-Za-z]{1,3})?
[$]?(?P<max_row>\d+)?)?
"""
_ABSOLUTE_RE = re.compile("^" + _RANGE_EXPR + "$", re.VERBOSE)
SHEETRANGE_RE = re.compile(
    r"""(('(?P<quoted>([^']|'')*)')|(?P<notquoted>[^'^ ^!]*))!(?P<cells>""" + _RANGE_EXPR + ")(?=,?)",
    re.VERBOSE,
)
_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
MAX_COLUMN = 18278  # ZZZ, as far as three letters reach (openpyxl's limit too)


@lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """Return the letters of column ``index`` (1 → A, 27 → AA); ValueError outside 1..18278."""
    if not 1 <= index <= MAX_COLUMN:
        raise ValueError(f"Invalid column index {index}")
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """Return the number of column ``letters`` (A → 1, case-insensitive)."""
    if not 1 <= len(letters) <= 3 or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters} is not a valid column name")
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index


@lru_cache(maxsize=65536)
def coordinate_tuple(coordinate: str) -> tuple[int, int]:
    """Return (row, column) of ``coordinate`` ('D5' → (5, 4)); ValueError when it is none."""
    match = _COORDINATE.match(coordinate)
    if match is None:
        raise ValueError(f"Invalid cell coordinates ({coordinate})")
    return int(match.group(2)), column_index(match.group(1))


def range_boundaries(text: str) -> tuple[int | None, int | None, int | None, int | None]:
    """Return (min_col, min_row, max_col, max_row) of ``text`` ('D5:F9', 'A:B', '3:4', 'D5'), as
    openpyxl.utils.range_boundaries does (None for the open side of a whole row or column)."""
    match = _ABSOLUTE_RE.match(text)
    if not match:
        raise ValueError(f"{text} is not a valid coordinate or range")
    min_col, min_row, sep, max_col, max_row = match.groups()
    if sep:
        cols, rows = (min_col, max_col), (min_row, max_row)
        if not (all(cols + rows) or (all(cols) and not any(rows)) or (all(rows) and not any(cols))):
            raise ValueError(f"{text} is not a valid coordinate or range")
    first_col = column_index(min_col) if min_col is not None else None
    first_row = int(min_row) if min_row is not None else None
    last_col = column_index(max_col) if max_col is not None else first_col
    last_row = int(max_row) if max_row is not None else first_row
    return first_col, first_row, last_col, last_row


def quote_sheet(title: str) -> str:
    """Return a sheet name quoted for a formula or a defined name."""
    return "'" + title.replace("'", "''") + "'"


def unquote_sheet(text: str) -> str:
    """Return the sheet name spelled in a formula or a defined name ("'It''s'" → "It's")."""
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return text


# ------------------------------------------------------------------ the interface, in plain classes


class Protection:
    """A cell's protection as the reader needs it: locked or not."""

    __slots__ = ("locked",)

    def __init__(self, locked: bool) -> None:
        self.locked = locked


LOCKED = Protection(True)
UNLOCKED = Protection(False)


class Style:
    """The number format and protection of one cell format (one ``cellXfs`` entry)."""

    __slots__ = ("is_date", "is_timedelta", "number_format", "protection")

    def __init__(
        self,
        number_format: str | None,
        protection: Protection,
        is_date: bool = False,
        is_timedelta: bool = False,
    ) -> None:
        self.number_format = number_format
        self.protection = protection
        self.is_date = is_date
        self.is_timedelta = is_timedelta


DEFAULT_STYLE = Style("General", LOCKED)  # a cell the file does not hold (openpyxl's new cell)


class Cell:
    """One cell: its value, type, number format and protection."""

    __slots__ = ("_value", "column", "data_type", "row", "style")

    def __init__(self, row: int, column: int, value: Any, data_type: str, style: Style) -> None:
        self.row, self.column, self._value, self.data_type, self.style = row, column, value, data_type, style

    @property
    def value(self) -> Any:
        """Return the value (a formula as its text with '=')."""
        value = self._value
        if type(value) is LazyValue:
            value = self._value = value.resolve()
        return value

    @property
    def coordinate(self) -> str:
        """Return the coordinate ('D5')."""
        return f"{column_letter(self.column)}{self.row}"

    @property
    def number_format(self) -> str | None:
        """Return the number format code."""
        return self.style.number_format

    @property
    def protection(self) -> Protection:
        """Return the protection (``.locked``)."""
        return self.style.protection


class MergedCell(Cell):
    """A cell covered by a merge: no value of its own (named as openpyxl's, which the writer tests for)."""

    __slots__ = ()


class LazyValue:
    """A value worked out only when read (a shared formula's translation needs openpyxl)."""

    __slots__ = ("args", "function")

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.function, self.args = function, args

    def resolve(self) -> Any:
        """Return the value."""
        return self.function(*self.args)


class CellRange:
    """A merged range's bounds."""

    __slots__ = ("max_col", "max_row", "min_col", "min_row")

    def __init__(self, min_col: int, min_row: int, max_col: int, max_row: int) -> None:
        self.min_col, self.min_row, self.max_col, self.max_row = min_col, min_row, max_col, max_row


class MergedRanges:
    """``ws.merged_cells``: its ``ranges``."""

    __slots__ = ("ranges",)

    def __init__(self, ranges: list[CellRange]) -> None:
        self.ranges = ranges


class DefinedName:
    """A defined name: its formula text (``attr_text``) and, like openpyxl's, its ``destinations``."""

    __slots__ = ("attr_text", "name")

    def __init__(self, name: str, attr_text: str | None) -> None:
        self.name, self.attr_text = name, attr_text

    @property
    def value(self) -> str | None:
        """Return the formula text (openpyxl's alias)."""
        return self.attr_text

    @property
    def destinations(self) -> Iterator[tuple[str, str]]:
        """Yield (sheet title, range) of each range the name's formula holds, as openpyxl does.

        Only a name that is not one plain range asks for this (cells.py parses plain ones itself);
        openpyxl's formula tokenizer is imported for it then.
        """
        from openpyxl.workbook.defined_name import DefinedName as Stock

        return Stock(self.name, attr_text=self.attr_text).destinations


class Sheet:
    """A worksheet: title, scoped names, merges and cells; a cell the file lacks reads as empty."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.defined_names: dict[str, DefinedName] = {}
        self.merged_cells = MergedRanges([])
        self._cells: dict[tuple[int, int], Cell] = {}
        self._max_row = 0

    @property
    def max_row(self) -> int:
        """Return the last row holding a cell (at least 1), counting cells looked at since."""
        return self._max_row or 1

    def cell(self, row: int, column: int) -> Cell:
        """Return the cell at ``row``, ``column`` (an empty one when the file holds none there)."""
        found = self._cells.get((row, column))
        if found is None:  # openpyxl creates it on access; the last row follows
            if not (1 <= column <= MAX_COLUMN and row >= 1):
                raise ValueError(f"Invalid cell ({row}, {column})")
            found = self._cells[(row, column)] = Cell(row, column, None, "n", DEFAULT_STYLE)
            if row > self._max_row:
                self._max_row = row
        return found

    def __getitem__(self, coordinate: str) -> Cell:
        row, column = coordinate_tuple(coordinate)
        return self.cell(row, column)


class ChartSheet:
    """A chart sheet: a name in the workbook's sheet list, no cells."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.defined_names: dict[str, DefinedName] = {}


class Book:
    """A workbook: sheets in order (chart sheets among the names, not among ``worksheets``) and names."""

    def __init__(self) -> None:
        self.sheets: list[Sheet | ChartSheet] = []
        self.defined_names: dict[str, DefinedName] = {}
        self._by_title: dict[str, Sheet | ChartSheet] = {}

    def add(self, sheet: Sheet | ChartSheet) -> None:
        """Append ``sheet``."""
        self.sheets.append(sheet)
        self._by_title[sheet.title] = sheet

    @property
    def sheetnames(self) -> list[str]:
        """Return the titles of all sheets, in order."""
        return [s.title for s in self.sheets]

    @property
    def worksheets(self) -> list[Sheet]:
        """Return the worksheets (no chart sheets), in order."""
        return [s for s in self.sheets if isinstance(s, Sheet)]

    def __getitem__(self, title: str) -> Any:
        try:
            return self._by_title[title]
        except KeyError:
            raise KeyError(f"Worksheet {title} does not exist.") from None

    def __contains__(self, title: str) -> bool:
        return title in self._by_title


# ------------------------------------------------------------------ which reader


def debug(message: str) -> None:
    """Print ``message`` on stderr when JIXIAO_DEBUG is set."""
    if os.environ.get("JIXIAO_DEBUG"):
        print(f"jixiao: {message}", file=sys.stderr)


def fast_allowed() -> bool:
    """Return False when JIXIAO_READER=openpyxl asks for openpyxl's reader."""
    return os.environ.get("JIXIAO_READER", "").strip().lower() != "openpyxl"
