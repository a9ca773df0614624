"""The summary's rows and statistics, made from a batch's digests: pure functions, no I/O.

The xlsx summary (:mod:`jixiao.batch.summary`) and the CSV / JSON files (:mod:`jixiao.batch.export`)
write what these return.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.batch.digest import BatchResult, TableDigest, UnitDigest
from jixiao.findings import SEVERITIES, SEVERITY_LABEL, Finding
from jixiao.numbers import fmt_percent, fmt_plain, quantize
from jixiao.scoring import GRADES

LOW_EXECUTION = Decimal("0.9")  # units below 90% execution are listed in 统计
RATE_PLACES = 6  # the execution rate in 汇总: a ratio to 6 places (99.0430%)

ROW_HEADERS = (
    "文件",
    "类型",
    "单位",
    "项目",
    "工作表",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "执行率",
    "执行率得分",
    "总分",
    "填报总分",
    "等级",
    "错误",
    "警告",
    "提示",
    "最主要的问题",
)
ROW_FORMATS = {6: "#,##0.00", 7: "#,##0.00", 8: "0.00%", 9: "0.00", 10: "0.00", 11: "0.00"}

FINDING_HEADERS = (
    "文件",
    "单位",
    "严重程度",
    "规则",
    "表",
    "工作表",
    "单元格",
    "对象",
    "说明",
    "应为",
    "填报",
)

UNREADABLE_HEADERS = ("文件", "原因")


def _plain(value: Decimal | None) -> Decimal | None:
    """Return ``value`` without trailing zeros (38.50 → 38.5), or None."""
    return Decimal(fmt_plain(value)) if value is not None else None


def _rounded(value: Decimal | None, places: int) -> Decimal | None:
    return quantize(value, places) if value is not None else None


def worst(findings: list[Finding]) -> str:
    """Return the first (most severe) of ``findings`` as '[rule] place：message', or '' when none."""
    if not findings:
        return ""
    f = findings[0]  # findings come sorted by severity
    place = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else f.sheet or f.table
    return f"[{f.rule}] {place}：{f.message}"


def _counts(findings: list[Finding]) -> list[int]:
    return [sum(1 for f in findings if f.severity == s) for s in SEVERITIES]


def table_row(unit: UnitDigest, table: TableDigest) -> list[object]:
    """Return the 汇总 row of one table: the unit's 附件1-2 with the whole file's counts, or a project."""
    scoped = unit.findings_of(table)
    return [
        unit.file,
        "单位" if table.is_unit else "项目",
        unit.unit or "",
        "" if table.is_unit else table.subject,
        table.sheet or "",
        _plain(table.full_year),
        _plain(table.executed),
        _rounded(table.exec_rate, RATE_PLACES),
        _rounded(table.exec_score, unit.places),
        quantize(table.total, unit.places),
        _plain(table.reported_total),
        table.grade or "",
        *_counts(scoped),
        worst(scoped),
    ]


def unit_row(unit: UnitDigest) -> list[object]:
    """Return the 汇总 row of a file without 附件1-2 (a project-only or empty filing): the whole file's
    counts and main problem, no scores."""
    return [
        unit.file,
        "单位",
        unit.unit or "",
        "",
        "",
        *([None] * 6),
        "",
        *_counts(list(unit.findings)),
        worst(list(unit.findings)),
    ]


def table_rows(batch: BatchResult) -> list[list[object]]:
    """Return one 汇总 row per unit (its 附件1-2, or a row without scores when it has none) and per
    project (its 1-3 sheet), in file order."""
    rows = []
    for unit in batch.units:
        if not any(table.is_unit for table in unit.tables):
            rows.append(unit_row(unit))
        rows.extend(table_row(unit, table) for table in unit.tables)
    return rows


def finding_row(unit: UnitDigest, f: Finding) -> list[object]:
    """Return the 问题清单 row of one finding, with its file, sheet and cell."""
    return [
        unit.file,
        unit.unit or "",
        SEVERITY_LABEL.get(f.severity, f.severity),
        f.rule,
        f.table or "",
        f.sheet or "",
        f.cell or "",
        f.subject or "",
        f.message or "",
        f.expected or "",
        f.actual or "",
    ]


def finding_rows(batch: BatchResult) -> list[list[object]]:
    """Return one 问题清单 row per finding of every file."""
    return [finding_row(unit, f) for unit in batch.units for f in unit.findings]


def unreadable_rows(batch: BatchResult) -> list[list[object]]:
    """Return one 无法读取 row (file, reason) per file not read, skipped ones included."""
    return [[o.file, o.reason] for o in batch.unreadable]


@dataclass(frozen=True)
class RuleCount:
    """How often one rule fired across the batch."""

    rule: str
    severity: str
    count: int  # findings
    files: int  # files with at least one
    example: str  # the first message


@dataclass(frozen=True)
class LowExecution:
    """A unit whose 附件1-2 execution rate is below :data:`LOW_EXECUTION`."""

    file: str
    unit: str
    exec_rate: Decimal  # a ratio

    @property
    def rate_text(self) -> str:
        """Return the rate as shown: '85.20%'."""
        return fmt_percent(self.exec_rate)


@dataclass(frozen=True)
class Statistics:
    """The counts of a batch, its grade distribution, its low-execution units and its frequent rules."""

    files: int
    read: int
    unreadable: int  # not counting skipped files
    skipped: int
    with_errors: int
    without_findings: int
    grades: dict[str, tuple[int, int]]  # grade → (units, projects), every grade of GRADES
    low_execution: tuple[LowExecution, ...]
    rules: tuple[RuleCount, ...]  # most frequent first
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as JSON-ready data."""
        return {
            "files": self.files,
            "read": self.read,
            "unreadable": self.unreadable,
            "skipped": self.skipped,
            "with_errors": self.with_errors,
            "without_findings": self.without_findings,
            "grades": {g: {"units": u, "projects": p} for g, (u, p) in self.grades.items()},
            "low_execution": [
                {"file": item.file, "unit": item.unit, "exec_rate": item.rate_text}
                for item in self.low_execution
            ],
            "rules": [
                {
                    "rule": r.rule,
                    "severity": r.severity,
                    "count": r.count,
                    "files": r.files,
                    "example": r.example,
                }
                for r in self.rules
            ],
            "seconds": round(self.seconds, 3),
        }


def statistics(batch: BatchResult) -> Statistics:
    """Return the statistics of ``batch``."""
    grades: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}  # by is_unit
    low: list[LowExecution] = []
    rule_count: Counter[str] = Counter()
    rule_files: Counter[str] = Counter()
    first: dict[str, Finding] = {}
    for unit in batch.units:
        for table in unit.tables:
            grades[table.is_unit][table.grade or "—"] += 1
            rate = table.exec_rate
            if table.is_unit and rate is not None and rate < LOW_EXECUTION:
                low.append(LowExecution(unit.file, unit.unit or "", rate))
        for f in unit.findings:
            rule_count[f.rule] += 1
            first.setdefault(f.rule, f)
        rule_files.update({f.rule for f in unit.findings})
    units = batch.units
    skipped = sum(1 for o in batch.unreadable if o.skipped)
    return Statistics(
        files=len(batch.outcomes),
        read=len(units),
        unreadable=len(batch.unreadable) - skipped,
        skipped=skipped,
        with_errors=sum(1 for u in units if u.has_errors),
        without_findings=sum(1 for u in units if not u.findings),
        grades={g: (grades[True][g], grades[False][g]) for g in GRADES},
        low_execution=tuple(low),
        rules=tuple(
            RuleCount(rule, first[rule].severity, count, rule_files[rule], first[rule].message)
            for rule, count in sorted(rule_count.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        seconds=batch.seconds,
    )
