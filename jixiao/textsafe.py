"""User text into spreadsheet cells and CSV fields: kept as text, never run as a formula.

A spreadsheet evaluates text that starts with = + - @ (or a tab or carriage return, which CSV
importers strip first) as a formula: a unit name or an indicator's 实际完成值 such as
``=HYPERLINK(…)`` must arrive as the text it is. Characters that an xlsx cell cannot hold (the
C0 controls other than tab, newline and carriage return) are dropped.
"""

from __future__ import annotations

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def cell_text(value: object) -> object:
    """Return ``value`` with the characters no xlsx cell can hold removed (non-text unchanged)."""
    return _ILLEGAL_XML.sub("", value) if isinstance(value, str) else value


def neutralize(value: object) -> object:
    """Return ``value`` safe for a CSV field: text starting with = + - @ gets a leading '.

    (A workbook cell takes :func:`put_text` instead: the text itself, stored as text.)
    """
    value = cell_text(value)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def put_text(cell: Any, value: object) -> None:
    """Put ``value`` into the openpyxl ``cell``; text, even '=1+1', is stored as text, not a formula.

    Such text is also marked with Excel's quote prefix (as when a person types '=1+1), so that
    editing the cell in Excel or LibreOffice keeps it text.
    """
    value = cell_text(value)
    cell.value = value
    formula_like = isinstance(value, str) and value.startswith(FORMULA_START)
    if formula_like:
        cell.data_type = "s"
    if formula_like or getattr(cell, "quotePrefix", False):
        cell.quotePrefix = formula_like
