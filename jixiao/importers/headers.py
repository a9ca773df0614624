"""Header and label recognition on a grid of cell values (``data/import_headers.toml``).

Everything here is format-neutral: a cell is whatever a sheet, a CSV or a Word table held (text,
a number, None). :func:`label_key` is how two labels are compared; :class:`Vocabulary` says which
model field a label names in each part of a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from jixiao.numbers import normalize_text
from jixiao.resources import load_data

_BRACKETS = str.maketrans({"（": "(", "）": ")", "：": ":", "［": "[", "］": "]"})
_TRAILING = re.compile(r"(\((分|%|万元|元|人|m²|m2)\)|:)+$")
_LEADING = re.compile(r"^(其中:|其中|\d+[、.．]|[一二三四五六七八九十]+[、.．])")
_YEAR = re.compile(r"^(19|20)\d{2}年(度)?")


def text(value: Any) -> str:
    """Return a cell's value as text ('' for None; a number without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f") if value == value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


def label_key(value: Any) -> str:
    """Return the form in which labels are compared: no spaces, half-width brackets, no year in
    front, no trailing '(分)' '(万元)' ':' and no leading '其中：' or '1、'."""
    key = normalize_text(text(value)).translate(_BRACKETS)
    key = re.sub(r"\s+", "", key)
    key = _YEAR.sub("", key)
    for _ in range(2):
        key = _LEADING.sub("", key)
        key = _TRAILING.sub("", key)
    return key


@dataclass(frozen=True)
class Vocabulary:
    """The labels of each part of a table, by label key, naming the model field they fill."""

    indicator: dict[str, str]
    funds: dict[str, str]
    fund_rows: dict[str, str]
    fields: dict[str, dict[str, str]]  # t13, t12, goals, revenue, expenditure
    titles: tuple[str, ...]
    total_rows: frozenset[str]
    end_rows: tuple[str, ...]
    signers: dict[str, str]
    operators: frozenset[str]
    natures: frozenset[str]
    yuan: tuple[str, ...]
    ignored: frozenset[str]


def _keys(section: dict[str, list[str]]) -> dict[str, str]:
    return {label_key(label): name for name, labels in section.items() for label in labels}


@cache
def vocabulary() -> Vocabulary:
    """Return the import vocabulary, read once."""
    data = load_data("import_headers.toml")
    return Vocabulary(
        indicator=_keys(data["indicator"]),
        funds=_keys(data["funds"]),
        fund_rows=_keys(data["fund_rows"]),
        fields={part: _keys(labels) for part, labels in data["fields"].items()},
        titles=tuple(label_key(t) for t in data["titles"]),
        total_rows=frozenset(label_key(t) for t in data["total_rows"]),
        end_rows=tuple(data["end_rows"]),
        signers=dict(data["signers"]),
        operators=frozenset(normalize_text(o) for o in data["operators"]),
        natures=frozenset(data["natures"]),
        yuan=tuple(label_key(y) or y for y in data["yuan"]),
        ignored=frozenset(label_key(t) for t in data.get("ignored_columns", [])),
    )


def header_columns(row: list[Any], labels: dict[str, str]) -> tuple[dict[str, int], list[int]]:
    """Return (field → first column holding its label, columns holding an unknown label) of ``row``."""
    found: dict[str, int] = {}
    unknown: list[int] = []
    seen: set[str] = set()
    for col, value in enumerate(row):
        key = label_key(value)
        if not key or key in seen:  # a merged header repeats its text in every column it covers
            continue
        seen.add(key)
        name = labels.get(key)
        if name is None:
            unknown.append(col)
        elif name not in found:
            found[name] = col
    return found, unknown


def is_number(value: Any) -> bool:
    """Return True when a cell holds a number (or text that is one, '10', '99.5', '1,200')."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return True
    return bool(re.fullmatch(r"[-+]?\d[\d,]*(\.\d+)?", normalize_text(text(value)).replace(" ", "")))


def title_kind(value: str) -> str | None:
    """Return the table a title row announces ('1-1', '1-2', '1-3'), or None when it is no title."""
    key = label_key(value)
    if not any(title in key for title in vocabulary().titles):
        return None
    if "基础数据" in key:
        return "1-1"
    return "1-3" if "项目" in key else "1-2"
