"""The printed wording and row structure of 附件1-1, 1-2 and 1-3 (``data/forms.toml``).

The workbook builder and the report's appended tables both print the forms from here, so a
label reads the same in the .xlsx, the .docx and the .md.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from jixiao.resources import load_data

_YEAR = re.compile(r"(\{year\}|\{prev\})")


@cache
def forms() -> dict[str, Any]:
    """Return the parsed forms description."""
    return load_data("forms.toml")


def form(table: str) -> dict[str, Any]:
    """Return the wording of ``table`` ('t11', 't12', 't13' or 'evaluation', what 1-2 and 1-3 share)."""
    return forms()[table]


def with_year(template: str, year: object) -> str:
    """Return ``template`` with {year} and {prev} filled ('20XX' / '上' when the year is unknown)."""
    prev = year - 1 if isinstance(year, int) else "上"
    return template.format(year=year if year is not None else "20XX", prev=prev)


def year_parts(template: str) -> list[str]:
    """Return ``template`` split into literal text and the placeholders '{year}' / '{prev}'."""
    return [part for part in _YEAR.split(template) if part]


def t11_rows() -> list[dict[str, Any]]:
    """Return the 经费控制情况 rows of 附件1-1 in print order, each with ``kind`` filled in."""
    return [{"kind": "cost", **row} for row in form("t11")["rows"]]


def t11_label(field: str) -> str:
    """Return the printed label of the 附件1-1 row held in ``BaseTable.<field>``."""
    return next(row["label"] for row in form("t11")["rows"] if row["field"] == field)


def level1_label(name: str, weight: str) -> str:
    """Return the 一级指标 cell text, e.g. '产出指标(50分)'."""
    return form("evaluation")["level1"].format(name=name, weight=weight)


def footer_labels() -> list[str]:
    """Return the labels of the signature line under every form (填表人 … 单位负责人签字)."""
    return list(forms()["footer"])


def field_label(name: str, record: str = "") -> str:
    """Return what a finding calls the number field ``name`` of a ``record`` type ('分值', '得分')."""
    labels = forms()["fields"]
    base = name.split(".")[-1]
    return labels.get(f"{record}.{base}") or labels.get(base) or name
