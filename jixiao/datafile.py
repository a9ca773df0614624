"""The readable data-file format of a filing: JSON with stable English keys, amounts as strings.

``load_filing(path)`` returns the filing and the findings its values raised (a word in a number
field is a finding naming the field, and the value is treated as empty); a file that is not a
filing at all raises :class:`~jixiao.errors.InputError` with a one-line Chinese reason.
``dump_filing(filing)`` writes it back; the two round-trip.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import types
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.errors import InputError, PolicyError
from jixiao.fileio import write_text_atomic
from jixiao.findings import Finding, make_finding, rule
from jixiao.forms import field_label
from jixiao.model import (
    SHEET_INFO,
    SHEET_T11,
    SHEET_T12,
    Filing,
    ProjectEvaluation,
    Where,
    project_sheet_name,
)
from jixiao.numbers import fmt_plain, is_not_applicable, parse_amount, parse_count
from jixiao.policy import ScoringPolicy

FORMAT = "jixiao-filing"
VERSION = 1

# Fields holding head counts or plain quantities rather than 万元 amounts.
_COUNT_FIELDS = {
    "authorized",
    "actual",
    "establishment",
    "establishment_lent",
    "in_service",
    "retired_cadres",
    "retirees",
    "early_leave",
    "approved_m2",
    "actual_m2",
    "weight",
    "reported_score",
    "total_weight",
    "reported_total",
}
_TOP_TABLES = {"t11": SHEET_T11, "t12": SHEET_T12}
_TABLE_OF_SHEET = {SHEET_INFO: "报告", SHEET_T11: "1-1", SHEET_T12: "1-2"}


def _field_words(path: str, name: str, sheet: str) -> str:
    """Return how a finding names a data-file field: '附件1-2 第1项指标的得分'."""
    row = re.search(r"indicators\[(\d+)\]", path)
    where = f"第{int(row.group(1)) + 1}项指标的" if row else ""
    return f"{sheet} {where}{field_label(name)}"


def table_of(where: Where | None) -> str:
    """Return the table code (1-1, 1-2, 1-3, 报告) a record's sheet belongs to."""
    if where is None:
        return "报告"
    return _TABLE_OF_SHEET.get(where.sheet, "1-3")


# ------------------------------------------------------------------ dump


def filing_to_dict(filing: Filing) -> dict[str, Any]:
    """Return the filing as plain JSON-ready data with stable keys."""
    body = _dump(filing)
    body["policy"] = filing.policy.to_settings()
    return {"format": FORMAT, "version": VERSION, **body}


def _dump(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "where"}
    if isinstance(value, Decimal):
        return fmt_plain(value)
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def dumps_filing(filing: Filing) -> str:
    """Return the filing as indented JSON text (UTF-8, Chinese kept readable)."""
    return json.dumps(filing_to_dict(filing), ensure_ascii=False, indent=1) + "\n"


def dump_filing(filing: Filing, path: str | os.PathLike[str]) -> None:
    """Write the filing to ``path`` as JSON, atomically."""
    write_text_atomic(Path(path), dumps_filing(filing))


# ------------------------------------------------------------------ load


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Loader:
    """Builds dataclasses from JSON data, collecting value problems as findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def build(self, cls: type, data: Any, path: str, sheet: str) -> Any:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise InputError(f"应为对象（{{…}}），实为 {type(data).__name__}", place=path)
        hints = typing.get_type_hints(cls)
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names - {"where"})
        if unknown:
            raise InputError(f"未知字段 {', '.join(unknown)}", place=path)
        where = Where(sheet=sheet, path=path)
        kwargs: dict[str, Any] = {}
        for name in names:
            if name == "where":
                kwargs["where"] = where
            elif name in data:
                kwargs[name] = self.value(hints[name], data[name], _join(path, name), sheet, name, where)
        return cls(**kwargs)

    def value(self, hint: Any, raw: Any, path: str, sheet: str, name: str, where: Where) -> Any:
        origin = typing.get_origin(hint)
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if origin in (typing.Union, types.UnionType):
            if raw is None or raw == "":
                return None
            return self.value(args[0], raw, path, sheet, name, where)
        if origin is list:
            if not isinstance(raw, list):
                raise InputError("应为列表（[…]）", place=path)
            return [
                self.build(args[0], item, f"{path}[{i}]", sheet)
                if dataclasses.is_dataclass(args[0])
                else self.value(args[0], item, f"{path}[{i}]", sheet, name, where)
                for i, item in enumerate(raw)
            ]
        if origin is dict:
            if not isinstance(raw, dict):
                raise InputError("应为对象（{…}）", place=path)
            return {
                str(k): self.value(args[1], v, _join(path, str(k)), sheet, str(k), where)
                for k, v in raw.items()
            }
        if dataclasses.is_dataclass(hint):
            return self.build(hint, raw, path, sheet)
        if hint is Decimal:
            return self.number(raw, path, sheet, name, where)
        if hint is int:
            try:
                return int(str(raw).strip())
            except ValueError:
                raise InputError(f"应为整数，实为 {raw!r}", place=path) from None
        if hint is str:
            if isinstance(raw, dict | list):
                raise InputError("应为文字", place=path)
            return fmt_plain(raw) if isinstance(raw, Decimal) else str(raw)
        return raw  # pragma: no cover - every model field type is handled above

    @rule("INPUT-NUMBER")
    def number(self, raw: Any, path: str, sheet: str, name: str, where: Where) -> Decimal | None:
        if is_not_applicable(raw):
            return None
        try:
            value = parse_count(raw) if name in _COUNT_FIELDS else parse_amount(raw)
        except ValueError as exc:
            self.findings.append(
                make_finding(
                    "INPUT-NUMBER",
                    table=table_of(where),
                    sheet=sheet,
                    cell=None,
                    field=path,
                    subject=_field_words(path, name, sheet),
                    actual=str(raw),
                    reason=str(exc),
                )
            )
            return None
        return value


def filing_from_dict(data: Any, source: str = "数据文件") -> tuple[Filing, list[Finding]]:
    """Return the filing held in JSON data and the findings its values raised."""
    if not isinstance(data, dict):
        raise InputError("不是绩效自评数据文件（顶层应为对象）", place=source)
    if data.get("format") != FORMAT:
        raise InputError(f'不是绩效自评数据文件（缺少 "format": "{FORMAT}"）', place=source)
    if data.get("version") != VERSION:
        raise InputError(f"数据文件版本 {data.get('version')!r} 不受支持（应为 {VERSION}）", place=source)
    for key in ("t11", "t12"):  # either may be left out: a project-only filing is common (RULES §5a)
        if data.get(key) is not None and not isinstance(data[key], dict):
            raise InputError(f"{_TOP_TABLES[key]}（字段 {key}）应为对象（{{…}}）", place=source)
    body = {k: v for k, v in data.items() if k not in ("format", "version", "policy", "t11", "t12", "t13")}
    loader = _Loader()
    filing = loader.build(Filing, body, "", SHEET_INFO)
    filing.t11 = loader.build(type(filing.t11), data.get("t11"), "t11", SHEET_T11)
    filing.t12 = loader.build(type(filing.t12), data.get("t12"), "t12", SHEET_T12)
    projects = data.get("t13") or []
    if not isinstance(projects, list):
        raise InputError("附件1-3 应为列表（每个项目一张表）", place=f"{source} t13")
    filing.t13 = [
        loader.build(ProjectEvaluation, item, f"t13[{i}]", project_sheet_name(i))
        for i, item in enumerate(projects)
    ]
    try:
        filing.policy = ScoringPolicy.from_settings(data.get("policy"))
    except PolicyError as exc:
        raise InputError(str(exc), place=f"{source} policy") from None
    return filing, loader.findings


def load_filing(path: str | os.PathLike[str]) -> tuple[Filing, list[Finding]]:
    """Return the filing stored in the JSON data file ``path`` and its input findings."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("文件不存在", place=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("不是 UTF-8 文本的数据文件", place=str(path)) from None
    except OSError as exc:
        raise InputError(f"无法读取（{exc.strerror}）", place=str(path)) from None
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"JSON 格式错误，第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}", place=str(path)
        ) from None
    return filing_from_dict(data, source=str(path))
