"""A grid of cell values: one sheet, one CSV file or one Word table, as the importers see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def column_letter(col: int) -> str:
    """Return the spreadsheet letters of the 0-based column ``col`` (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Grid:
    """The cells of one sheet or table (merged cells already carried into every cell they cover).

    ``sheet`` is the sheet's name (cells are then named A1), or None for the ``number``-th table of
    a Word document (cells are named by row). ``title`` is the text printed just before a Word
    table (its 附件 caption and title), which a sheet holds in its own rows.
    """

    rows: list[list[Any]]
    sheet: str | None = None
    number: int = 1
    title: list[str] = field(default_factory=list)

    def cell(self, row: int, col: int) -> Any:
        """Return the value at (row, col), None outside the grid."""
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def name(self, row: int, col: int) -> str:
        """Return how a finding names a cell: 'C5' in a sheet, '（第 3 张表第 5 行）' in a Word table."""
        if self.sheet is not None:
            return f"{column_letter(col)}{row + 1}"
        return f"（第 {self.number} 张表第 {row + 1} 行）"

    def place(self, row: int, col: int) -> tuple[str, str]:
        """Return (sheet, cell) of an import finding: ('Sheet1', 'C5') or ('第 3 张表', '第 5 行')."""
        if self.sheet is not None:
            return self.sheet, f"{column_letter(col)}{row + 1}"
        return f"第 {self.number} 张表", f"第 {row + 1} 行"
