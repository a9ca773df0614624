"""Province templates as data (``data/templates_<name>.toml``; TEMPLATES.md, DESIGN.md "Templates").

A template is the layout a province files its tables in (the tables, their printed fields, fund
rows and columns, as keys of ``data/import_headers.toml`` that name model fields) and the scoring
policy that layout implies (:class:`jixiao.policy.ScoringPolicy` settings). ``national`` is the
default; :func:`recognise` says which template a table read from a foreign file is in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from jixiao.errors import InputError
from jixiao.policy import ScoringPolicy
from jixiao.resources import data_exists, load_data

DEFAULT = "national"
NAMES = ("national", "sichuan", "chongqing")  # data/templates_<name>.toml, the default first


@dataclass(frozen=True)
class Template:
    """One province template: its name, label, tables, layout, recognition marks and policy preset."""

    name: str
    label: str
    tables: tuple[str, ...]
    marks: tuple[str, ...]
    settings: dict[str, str]
    layout: dict[str, Any]

    def policy(self) -> ScoringPolicy:
        """Return the scoring policy this template implies (the national defaults changed by its preset)."""
        return ScoringPolicy.from_settings(self.settings)

    def columns(self, table: str) -> list[str]:
        """Return the indicator columns of ``table`` ('t12' or 't13') in print order, or []."""
        return list(self.layout.get(table, {}).get("indicator_columns", []))


@cache
def template(name: str) -> Template:
    """Return the template ``name``; an unknown name raises InputError listing the known ones."""
    if name not in NAMES or not data_exists(f"templates_{name}.toml"):
        raise InputError(f"未知的模板“{name}”（可用：{'、'.join(NAMES)}）")
    data = load_data(f"templates_{name}.toml")
    return Template(
        name=data["name"],
        label=data["label"],
        tables=tuple(data["tables"]),
        marks=tuple(data.get("marks", [])),
        settings={k: str(v) for k, v in data.get("policy", {}).items()},
        layout=data.get("layout", {}),
    )


@cache
def sheet_layout(name: str) -> dict[str, Any] | None:
    """Return the printed layout of template ``name``'s own table (``data/layout_<name>.toml``: the
    workbook sheet and the report's table), None for a template that files the national tables."""
    file = f"layout_{name}.toml"
    return load_data(file) if name in NAMES and data_exists(file) else None


def span(columns: str, row: int) -> str:
    """Return a layout's column span 'A:G' on ``row`` as 'A12:G12' (a single column 'B' as 'B12:B12')."""
    first, _, last = columns.partition(":")
    return f"{first}{row}:{last or first}{row}"


def templates() -> list[Template]:
    """Return every template, the default first."""
    return [template(name) for name in NAMES]


def recognise(features: Iterable[str]) -> Template:
    """Return the template whose marks a table shows most (``features``: the keys it was read with,
    'operator_or_nature=operator' for a resolved ambiguous column); the default when none shows."""
    seen = set(features)
    best, count = template(DEFAULT), 0
    for candidate in templates():
        hits = sum(1 for mark in candidate.marks if mark in seen)
        if hits > count:
            best, count = candidate, hits
    return best
