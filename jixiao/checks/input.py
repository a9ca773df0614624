"""Input values (RULES.md §1, R1): required fields, negative amounts.

A word in a number field is INPUT-NUMBER, raised by the loaders (jixiao.datafile, the workbook reader).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from jixiao.checks.registry import Checker
from jixiao.findings import rule
from jixiao.model import (
    SHEET_INFO,
    Where,
)


@rule("INPUT-REQUIRED")
def check_required(c: Checker) -> None:
    """Emit INPUT-REQUIRED for a missing unit name, year or project name."""
    f = c.filing
    info = Where(sheet=SHEET_INFO, path="")
    if not f.unit:
        c.emit("INPUT-REQUIRED", info, "unit", subject="单位名称", table="报告")
    if f.year is None:
        c.emit("INPUT-REQUIRED", info, "year", subject="年度", table="报告")
    for i, project in enumerate(f.t13):
        if not project.name:
            c.emit("INPUT-REQUIRED", project.where, "name", subject=f"第{i + 1}个项目的项目支出名称")


def _walk_amounts(record: object) -> Iterable[tuple[object, str, Decimal]]:
    """Yield (record, field, value) for every Decimal field below ``record``."""
    if isinstance(record, list):
        for item in record:
            yield from _walk_amounts(item)
        return
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, Decimal):
            yield record, f.name, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, Decimal):
                    yield record, f"{f.name}.{key}", item
        elif f.name not in ("where", "policy"):
            yield from _walk_amounts(value)


@rule("AMOUNT-NEGATIVE")
def check_negative_amounts(c: Checker) -> None:
    """Emit AMOUNT-NEGATIVE for every amount below 0."""
    for record, name, value in _walk_amounts(c.filing):
        if value < 0:
            where = getattr(record, "where", None)
            label = getattr(record, "label", None) or getattr(record, "name", None) or name
            c.emit("AMOUNT-NEGATIVE", where, name, subject=f"{label}（{name}）", actual=value)
