"""Findings and the rule catalogue (``data/rules.toml``) they are made from."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import cache
from typing import TypeVar

from jixiao.policy import TOLERANCES
from jixiao.resources import data_exists, load_data

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Rule:
    """One check: stable ID, short Chinese name, severity, the tolerance it uses and the Chinese
    message template."""

    id: str
    severity: str
    message: str
    source: str
    table: str | None = None
    tolerance: str | None = None  # 'amount' or 'score': which ScoringPolicy tolerance applies
    title: str = ""  # 执行率得分不符: what the batch summary calls the rule


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or worth a look) in a filing, with where it is."""

    rule: str
    severity: str
    table: str
    sheet: str | None
    cell: str | None
    subject: str
    message: str
    expected: str | None = None
    actual: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Return the finding in the DESIGN.md JSON format."""
        return asdict(self)

    @property
    def place(self) -> str:
        """Return a short Chinese description of where the finding is."""
        if self.sheet and self.cell:  # a workbook cell (附件1-2!H5), or a Word table's row (第 3 张表第 5 行)
            return f"{self.sheet}{'' if self.cell.startswith(('第', '（')) else '!'}{self.cell}"
        if self.sheet and self.field:
            return f"{self.sheet}（{self.field}）"
        return self.sheet or self.field or self.table


RULE_FILES = (
    "rules.toml",
    "rules_workbook.toml",
    "rules_report.toml",
    "rules_file.toml",
    "rules_import.toml",
)


@cache
def rules() -> dict[str, Rule]:
    """Return the rule catalogue by ID (the core's rules and those of the layers above it)."""
    catalogue: dict[str, Rule] = {}
    items = [item for name in RULE_FILES if data_exists(name) for item in load_data(name)["rule"]]
    for item in items:
        if item["id"] in catalogue:
            raise ValueError(f"rule {item['id']} is defined twice")
        if item["severity"] not in SEVERITIES:
            raise ValueError(f"rule {item['id']}: bad severity {item['severity']}")
        tolerance = item.get("tolerance")
        if tolerance is not None and tolerance not in TOLERANCES:
            raise ValueError(f"rule {item['id']}: tolerance must be one of {TOLERANCES}")
        catalogue[item["id"]] = Rule(
            id=item["id"],
            severity=item["severity"],
            message=item["message"],
            source=item.get("source", ""),
            table=item.get("table"),
            tolerance=tolerance,
            title=item.get("title", ""),
        )
    return catalogue


F = TypeVar("F", bound=Callable[..., object])

REGISTRY: dict[str, tuple[Callable[..., object], ...]] = {}
"""Rule ID → the functions that emit it (one, except INPUT-NUMBER: one per loader), filled as the
emitting modules are imported; see :func:`rule`."""

_SCOPE: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar("rule_scope", default=None)


def rule(*ids: str) -> Callable[[F], F]:
    """Return a decorator registering the function as the one that emits the rules ``ids``.

    While it runs, :func:`make_finding` refuses any other ID, so the map cannot drift from the code.
    """

    def register(func: F) -> F:
        for rule_id in ids:
            if rule_id not in rules():
                raise ValueError(f"rule {rule_id} ({func.__qualname__}) is not in the catalogue")
            REGISTRY[rule_id] = (*REGISTRY.get(rule_id, ()), func)
        allowed = frozenset(ids)

        @functools.wraps(func)
        def scoped(*args: object, **kwargs: object) -> object:
            token = _SCOPE.set(allowed)
            try:
                return func(*args, **kwargs)
            finally:
                _SCOPE.reset(token)

        return scoped  # type: ignore[return-value]

    return register


def make_finding(
    rule_id: str,
    *,
    table: str | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    field: str | None = None,
    subject: str = "",
    expected: str | None = None,
    actual: str | None = None,
    severity: str | None = None,
    **values: object,
) -> Finding:
    """Return a finding of rule ``rule_id`` with its message filled in."""
    scope = _SCOPE.get()
    if scope is not None and rule_id not in scope:
        raise AssertionError(f"{rule_id} is emitted by a function registered for {sorted(scope)} only")
    entry = rules()[rule_id]
    message = entry.message.format(subject=subject, expected=expected, actual=actual, **values)
    return Finding(
        rule=entry.id,
        severity=severity or entry.severity,
        table=table or entry.table or "",
        sheet=sheet,
        cell=cell,
        subject=subject,
        message=message,
        expected=expected,
        actual=actual,
        field=field,
    )


def summarize(findings: list[Finding]) -> dict[str, int]:
    """Return the counts of errors, warnings and infos."""
    return {f"{s}s": sum(1 for f in findings if f.severity == s) for s in SEVERITIES}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Return findings ordered by severity, then table (stable: check order within)."""
    order = {s: i for i, s in enumerate(SEVERITIES)}
    tables = {"文件": -1, "1-1": 0, "1-2": 1, "1-3": 2, "报告": 3}
    return sorted(findings, key=lambda f: (order[f.severity], tables.get(f.table, 9)))
