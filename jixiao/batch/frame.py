"""A batch as tidy pandas DataFrames, and the 统计 sheet's statistics computed from them.

:func:`frame` gives one row per table (the 汇总 rows, with the 执行率区间 band) and one per
finding (the 问题清单 rows); :func:`statistics` counts grades, execution-rate bands, 主管部门 and
rules on those frames. pandas is imported here only, when a batch is summarised: the core and
``jixiao check`` never import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from jixiao.batch.digest import BatchResult
from jixiao.batch.rows import FINDING_HEADERS, ROW_HEADERS
from jixiao.batch.tally import Duplicate, Tally
from jixiao.findings import SEVERITY_LABEL
from jixiao.numbers import fmt_percent, quantize
from jixiao.scoring import GRADES

if TYPE_CHECKING:
    import pandas as pd

LOW_EXECUTION = Decimal("0.9")  # units below 90% execution are listed in 统计
BANDS = (  # 执行率区间: (label, lower bound inclusive); the last takes 100% and above
    ("<30%", Decimal(0)),
    ("30%–60%", Decimal("0.3")),
    ("60%–80%", Decimal("0.6")),
    ("80%–100%", Decimal("0.8")),
    ("100%", Decimal(1)),
)
BAND = "执行率区间"
NO_DEPARTMENT = "（未填主管部门）"
_LABEL_SEVERITY = {label: severity for severity, label in SEVERITY_LABEL.items()}


class Frames(NamedTuple):
    """The tidy frames of a batch: one row per table (汇总) and one per finding (问题清单)."""

    tables: pd.DataFrame
    findings: pd.DataFrame


def band(rate: Decimal | None) -> str | None:
    """Return the 执行率区间 of an execution rate (a ratio), or None when there is none."""
    if rate is None:
        return None
    return next(label for label, low in reversed(BANDS) if rate >= low)


def frame(source: BatchResult | Tally) -> Frames:
    """Return the tidy frames of a batch (figures as exact Decimals; 年度 as a nullable integer)."""
    import pandas as pd

    tally = source if isinstance(source, Tally) else Tally.of(source)
    tables = pd.DataFrame.from_records(tally.tables, columns=list(ROW_HEADERS))
    tables["年度"] = tables["年度"].astype("Int64")
    tables[BAND] = pd.Categorical(
        [band(rate) for rate in tables["执行率"]], categories=[label for label, _ in BANDS], ordered=True
    )
    for column in ("类型", "等级", "主管部门"):
        tables[column] = tables[column].astype("category")
    findings = pd.DataFrame.from_records(tally.findings, columns=list(FINDING_HEADERS))
    for column in ("文件", "单位", "严重程度", "问题", "规则", "表", "工作表"):
        findings[column] = findings[column].astype("category")
    return Frames(tables, findings)


@dataclass(frozen=True)
class RuleCount:
    """How often one rule fired across the batch."""

    rule: str
    title: str  # its Chinese name
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
class Department:
    """The units and projects of one 主管部门: how many, the units' mean total, their grades."""

    name: str
    units: int
    projects: int
    mean_total: Decimal | None  # of the units' 附件1-2 totals, half-up to 2 places
    grades: dict[str, int]  # grade → units, every grade of GRADES
    with_errors: int  # units with an error


@dataclass(frozen=True)
class Statistics:
    """The counts of a batch, its grades, execution bands, 主管部门, low-execution units, rules."""

    files: int
    read: int  # scored (blank files aside)
    blank: int
    unreadable: int  # not counting skipped files
    skipped: int
    with_errors: int
    without_findings: int
    years: dict[str, int]  # 年度 → scored units ('未填' when none)
    duplicates: tuple[Duplicate, ...]
    grades: dict[str, tuple[int, int]]  # grade → (units, projects), every grade of GRADES
    bands: dict[str, tuple[int, int]]  # 执行率区间 → (units, projects), every band
    departments: tuple[Department, ...]  # most units first
    low_execution: tuple[LowExecution, ...]
    rules: tuple[RuleCount, ...]  # errors and warnings in most files first; then the infos
    seconds: float

    @property
    def mixed_years(self) -> bool:
        """Return True when the scored units are not all of one 年度."""
        return len(self.years) > 1

    def to_dict(self) -> dict[str, Any]:
        """Return the statistics as JSON-ready data."""
        return {
            "files": self.files,
            "read": self.read,
            "blank": self.blank,
            "unreadable": self.unreadable,
            "skipped": self.skipped,
            "with_errors": self.with_errors,
            "without_findings": self.without_findings,
            "years": self.years,
            "duplicates": [
                {"unit": d.unit, "year": d.year, "file": d.file, "first": d.first} for d in self.duplicates
            ],
            "grades": {g: {"units": u, "projects": p} for g, (u, p) in self.grades.items()},
            "exec_bands": {b: {"units": u, "projects": p} for b, (u, p) in self.bands.items()},
            "departments": [
                {
                    "department": d.name,
                    "units": d.units,
                    "projects": d.projects,
                    "mean_total": str(d.mean_total) if d.mean_total is not None else None,
                    "grades": d.grades,
                    "with_errors": d.with_errors,
                }
                for d in self.departments
            ],
            "low_execution": [
                {"file": item.file, "unit": item.unit, "exec_rate": item.rate_text}
                for item in self.low_execution
            ],
            "rules": [
                {
                    "rule": r.rule,
                    "title": r.title,
                    "severity": r.severity,
                    "count": r.count,
                    "files": r.files,
                    "example": r.example,
                }
                for r in self.rules
            ],
            "seconds": round(self.seconds, 3),
        }


def _by_type(counts: Any, index: Any) -> dict[str, tuple[int, int]]:
    """Return {label: (units, projects)} from a (类型, label) count, every label of ``index``."""
    units = counts.get("单位", {})
    projects = counts.get("项目", {})
    return {label: (int(units.get(label, 0)), int(projects.get(label, 0))) for label in index}


def _count(tables: pd.DataFrame, column: str) -> dict[str, dict[str, int]]:
    """Return {类型: {value: rows}} of ``column``."""
    counts: dict[str, dict[str, int]] = {}
    for (kind, value), n in tables.groupby(["类型", column], observed=True).size().items():
        counts.setdefault(str(kind), {})[str(value)] = int(n)
    return counts


def _departments(units: pd.DataFrame, tables: pd.DataFrame) -> tuple[Department, ...]:
    named = tables["主管部门"].astype(str).replace("", NO_DEPARTMENT)
    projects = named[tables["类型"] == "项目"].value_counts()
    unit_names = units["主管部门"].astype(str).replace("", NO_DEPARTMENT)
    result = []
    for name, group in units.groupby(unit_names, observed=True, sort=False):
        totals = [t for t in group["总分"] if t is not None]
        mean = quantize(sum(totals, Decimal(0)) / len(totals)) if totals else None
        grades = group["等级"].astype(str).value_counts()
        result.append(
            Department(
                name=str(name),
                units=len(group),
                projects=int(projects.get(name, 0)),
                mean_total=mean,
                grades={g: int(grades.get(g, 0)) for g in GRADES},
                with_errors=int((group["错误"] > 0).sum()),
            )
        )
    return tuple(sorted(result, key=lambda d: (-d.units, d.name)))


def _rules(findings: pd.DataFrame) -> tuple[RuleCount, ...]:
    if findings.empty:
        return ()
    grouped = findings.groupby("规则", observed=True, sort=False)
    first = grouped.first()
    table = first.assign(count=grouped.size(), files=grouped["文件"].nunique())
    counts = []
    for rule, row in table.iterrows():
        severity = _LABEL_SEVERITY.get(str(row["严重程度"]), str(row["严重程度"]))
        counts.append(
            RuleCount(
                str(rule), str(row["问题"]), severity, int(row["count"]), int(row["files"]), row["说明"]
            )
        )
    return tuple(sorted(counts, key=lambda r: (r.severity == "info", -r.files, -r.count, r.rule)))


def statistics(source: BatchResult | Tally, frames: Frames | None = None) -> Statistics:
    """Return the statistics of a batch, computed on its frames (``frames`` when already made)."""
    tally = source if isinstance(source, Tally) else Tally.of(source)
    tables, findings = frames or frame(tally)
    units = tables[tables["类型"] == "单位"]
    years = units["年度"].astype("string").fillna("未填").value_counts().sort_index()
    unit_rates = units[units["执行率"].notna()]
    low = unit_rates[[rate < LOW_EXECUTION for rate in unit_rates["执行率"]]]
    return Statistics(
        files=tally.files,
        read=tally.read,
        blank=len(tally.blank),
        unreadable=len(tally.unreadable) - tally.skipped,
        skipped=tally.skipped,
        with_errors=tally.with_errors,
        without_findings=int((units[["错误", "警告", "提示"]].sum(axis=1) == 0).sum()),
        years={str(year): int(n) for year, n in years.items()},
        duplicates=tuple(tally.duplicates),
        grades=_by_type(_count(tables, "等级"), GRADES),
        bands=_by_type(_count(tables, BAND), [label for label, _ in BANDS]),
        departments=_departments(units, tables),
        low_execution=tuple(
            LowExecution(row["文件"], row["单位"], row["执行率"]) for _, row in low.iterrows()
        ),
        rules=_rules(findings),
        seconds=tally.seconds,
    )
