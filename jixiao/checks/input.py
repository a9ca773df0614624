"""Input values (RULES.md §1, R1): required fields, negative amounts.

A word in a number field is INPUT-NUMBER, raised by the loaders (jixiao.datafile, the workbook reader).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from decimal import Decimal

from jixiao.checks.registry import Checker
from jixiao.findings import rule
from jixiao.forms import field_label
from jixiao.model import (
    SHEET_INFO,
    Where,
)


@rule("FILING-EMPTY")
def check_empty(c: Checker) -> bool:
    """Emit FILING-EMPTY, once, for a filing that holds no table; return True when it did."""
    if not c.filing.is_empty():
        return False
    c.emit("FILING-EMPTY", Where(sheet=SHEET_INFO, path=""), None, subject=c.filing.unit or "本文件")
    return True


@rule("INPUT-REQUIRED")
def check_required(c: Checker) -> None:
    """Emit INPUT-REQUIRED for a missing unit name and year (one finding) and each unnamed project."""
    f = c.filing
    info = Where(sheet=SHEET_INFO, path="")
    fields = (("unit", "单位名称", f.unit), ("year", "年度", f.year))
    missing = [(name, label) for name, label, value in fields if value is None or not str(value).strip()]
    if missing:
        subject = "、".join(label for _, label in missing)
        c.emit("INPUT-REQUIRED", info, missing[0][0], subject=subject, table="报告")
    for i, project in enumerate(f.t13):
        if not project.name and not project.is_blank():
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
            owner = getattr(record, "label", None) or getattr(record, "name", None)
            what = field_label(name, type(record).__name__)
            c.emit(
                "AMOUNT-NEGATIVE", where, name, subject=f"{owner}的{what}" if owner else what, actual=value
            )
