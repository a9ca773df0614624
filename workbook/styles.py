"""The look of an official form: fonts, borders, fills and number formats, in one place."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

BODY_FONT = "宋体"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"

THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
NO_BORDER = Border()

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: type here
HELPER_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: helper columns, not printed
PROBLEM_FILL = PatternFill("solid", fgColor="F8CBAD")  # salmon: a finding points here
HEADER_FILL = PatternFill(fill_type=None)
NO_FILL = PatternFill(fill_type=None)

AMOUNT_FORMAT = "General"  # 万元, shown as typed (38, 30.5, 2681.55) like the printed forms
SCORE_FORMAT = "0.00"
PERCENT_FORMAT = "0.00%"
GRADE_FORMAT = '"等级："@'

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)


def font(size: float = 10.5, bold: bool = False, name: str = BODY_FONT, color: str | None = None) -> Font:
    """Return a font of the form's family."""
    return Font(name=name, size=size, bold=bold, color=color)


def align(horizontal: str = "center", wrap: bool = True, vertical: str = "center") -> Alignment:
    """Return a cell alignment (wrapped and centred unless told otherwise)."""
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)


def text_width(text: str) -> float:
    """Return the width of ``text`` in column units (a CJK character or “ ” — … counts about two)."""
    return sum(1.9 if ord(ch) > 0x2E80 or 0x2010 <= ord(ch) <= 0x206F else 1.0 for ch in text)


def wrapped_height(
    texts: Iterable[tuple[str, float, float]], minimum: float = 18, line: float = 14.5
) -> float:
    """Return the height of a row whose wrapped cells hold ``texts``: (text, column width, font size)."""
    lines_needed = 1
    for text, width, size in texts:
        per_line = max(1, int(width - 1))
        scale = size / 10.5
        total = sum(max(1, -(-int(text_width(p) * scale) // per_line)) for p in text.split("\n"))
        lines_needed = max(lines_needed, total)
    return max(minimum, lines_needed * line + 4)


def fit_row_height(ws: Any, row: int, last_col: int = 9, minimum: float = 18, line: float = 14.5) -> None:
    """Set the height of ``row`` so that the wrapped texts of its cells (merged too) fit."""
    from openpyxl.utils import get_column_letter

    spans: dict[tuple[int, int], int] = {}
    tall: set[int] = set()
    for rng in ws.merged_cells.ranges:
        if rng.min_row == row == rng.max_row:
            spans[(rng.min_row, rng.min_col)] = rng.max_col
        elif rng.min_row <= row <= rng.max_row:
            tall.update(range(rng.min_col, rng.max_col + 1))
    texts = []
    for cell in ws[row][:last_col]:
        if not isinstance(cell.value, str) or cell.data_type == "f" or cell.column in tall:
            continue
        last = spans.get((row, cell.column), cell.column)
        columns = range(cell.column, last + 1)
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in columns)
        texts.append((cell.value, width, cell.font.sz or 10.5))
    ws.row_dimensions[row].height = wrapped_height(texts, minimum, line)
