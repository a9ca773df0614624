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
from jixiao.safety import LIMITS, MB, Limits

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
    return where.table or _TABLE_OF_SHEET.get(where.sheet, "1-3")


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


def load_filing(path: str | os.PathLike[str], limits: Limits = LIMITS) -> tuple[Filing, list[Finding]]:
    """Return the filing stored in the JSON data file ``path`` and its input findings."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.data_bytes:
            reason = f"数据文件过大（{size / MB:.1f} MB，上限 {limits.data_bytes // MB} MB），已拒绝读取"
            raise InputError(reason, place=str(path))
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("文件不存在", place=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("不是 UTF-8 文本的数据文件", place=str(path)) from None
    except OSError as exc:
        raise InputError(f"无法读取（{exc.strerror}）", place=str(path)) from None
    return filing_from_dict(parse_json(text, str(path), limits), source=str(path))


# ------------------------------------------------------------------ JSON within limits

# outside strings: a string, a bracket, a separator or a number, NaN and Infinity included
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|-?[0-9][0-9.eE+-]*|NaN|-?Infinity')


class _Refused(Exception):
    """Raised inside the JSON decoder's hooks: ``reason`` with ``literal`` to be placed by line."""

    def __init__(self, reason: str, literal: str, duplicate: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.literal, self.duplicate = reason, literal, duplicate


def parse_json(text: str, source: str, limits: Limits = LIMITS) -> Any:
    """Return the JSON data of ``text`` (numbers as Decimal); raise InputError beyond ``limits``.

    Nesting depth and the number of values are counted before the text is decoded; numbers too
    long or too large and a key repeated in one object are refused with the line they are on.
    """
    _check_shape(text, source, limits)
    try:
        return json.loads(
            text,
            parse_float=lambda literal: _number(literal, limits, Decimal),
            parse_int=lambda literal: _number(literal, limits, int),
            parse_constant=lambda literal: _refuse_constant(literal),
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列"
        raise InputError(f"JSON 格式错误，{where}：{exc.msg}", place=source) from None
    except _Refused as exc:
        line = _line_of(text, exc.literal, exc.duplicate)
        raise InputError(f"第 {line} 行{exc.reason}", place=source) from None


def _check_shape(text: str, source: str, limits: Limits) -> None:
    """Refuse text nested deeper than ``limits.data_depth`` or holding more than ``limits.data_values``."""
    depth = values = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            values += 1
            if depth > limits.data_depth:
                line = text.count("\n", 0, match.start()) + 1
                reason = f"数据嵌套过深（第 {line} 行超过 {limits.data_depth} 层），不是绩效自评数据文件"
                raise InputError(reason, place=source)
        elif token in "]}":
            depth -= 1
        elif token not in ":,":
            values += 1
        if values > limits.data_values:
            raise InputError(f"数据文件的值过多（超过 {limits.data_values} 个），已拒绝读取", place=source)


def _number(literal: str, limits: Limits, kind: type) -> Any:
    """Return the JSON number ``literal`` as ``kind``; raise _Refused when too long or too large."""
    if len(literal) > limits.data_number_chars:
        raise _Refused(f"的数字过长（{len(literal)} 位，上限 {limits.data_number_chars} 位）", literal)
    value = Decimal(literal)
    if value and abs(value.adjusted()) > limits.data_magnitude:
        raise _Refused(f"的数字 {literal} 超出范围（数量级上限 10^{limits.data_magnitude}）", literal)
    return kind(literal) if kind is int else value


def _refuse_constant(literal: str) -> Any:
    raise _Refused(f"的 {literal} 不是有效的数字", literal)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Return the object of ``pairs``; raise _Refused when a key appears twice."""
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _Refused(f"的字段“{key}”重复（同一对象中出现两次，无法确定用哪一个）", key, duplicate=True)
        data[key] = value
    return data


def _line_of(text: str, literal: str, duplicate: bool) -> int:
    """Return the line of the first number ``literal``, or of the first key ``literal`` repeated in
    its object, outside strings (1 when not found)."""
    keys: list[set[str] | None] = []  # per open bracket: the keys of an object so far, None for a list
    expect_key = False
    for match in _TOKEN.finditer(text):
        token, at = match.group(), match.start()
        if token == "{":
            keys.append(set())
            expect_key = True
        elif token == "[":
            keys.append(None)
        elif token in "]}":
            if keys:
                keys.pop()
        elif token == ",":
            expect_key = bool(keys) and keys[-1] is not None
        elif token == ":":
            expect_key = False
        elif token.startswith('"'):
            if expect_key and keys and keys[-1] is not None:
                key = json.loads(token)
                if duplicate and key == literal and key in keys[-1]:
                    return text.count("\n", 0, at) + 1
                keys[-1].add(key)
        elif not duplicate and token == literal:
            return text.count("\n", 0, at) + 1
    return 1
