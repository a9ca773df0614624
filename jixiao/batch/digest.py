"""What a batch keeps of each file: a typed digest of its tables and findings, or why it was not read.

A worker turns the full :class:`jixiao.pipeline.Result` into a :class:`UnitDigest` (no indicator
details, no filing), so the parent holds a few kilobytes per file however large the batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.findings import Finding, summarize
from jixiao.numbers import fmt, fmt_percent, fmt_plain


@dataclass(frozen=True)
class TableDigest:
    """The scores of one 附件1-2 or 附件1-3 table of a filing, and its budget."""

    table: str  # "1-2" or "1-3"
    subject: str  # unit or project name
    sheet: str
    full_year: Decimal | None  # 全年预算数（万元）
    executed: Decimal | None  # 全年执行数（万元）
    exec_rate: Decimal | None  # executed / full_year as a ratio, uncapped
    exec_score: Decimal | None
    total: Decimal
    reported_total: Decimal | None  # the total the unit typed
    weight_total: Decimal
    grade: str
    explanation: str

    @property
    def is_unit(self) -> bool:
        """Return True for the unit's 附件1-2 table."""
        return self.table == "1-2"

    def to_dict(self, places: int) -> dict[str, object]:
        """Return the table's score in the findings JSON format (scores to ``places`` decimals) and budget."""
        return {
            "table": self.table,
            "subject": self.subject,
            "sheet": self.sheet,
            "exec_rate": fmt_percent(self.exec_rate),
            "exec_score": fmt(self.exec_score, places) if self.exec_score is not None else "—",
            "total": fmt(self.total, places),
            "grade": self.grade,
            "reported_total": _plain_or_none(self.reported_total),
            "weight_total": fmt_plain(self.weight_total),
            "explanation": self.explanation,
            "full_year": _plain_or_none(self.full_year),
            "executed": _plain_or_none(self.executed),
            "exec_ratio": str(self.exec_rate) if self.exec_rate is not None else None,
        }


def _plain_or_none(value: Decimal | None) -> str | None:
    return fmt_plain(value) if value is not None else None


@dataclass(frozen=True)
class UnitDigest:
    """One checked filing: its unit, tables (附件1-2 first) and findings (sorted by severity)."""

    file: str  # as shown: relative to the folder checked
    unit: str
    year: int | None
    places: int  # the decimals the filing's policy gives scores
    tables: tuple[TableDigest, ...]
    findings: tuple[Finding, ...]
    blank: bool = False  # no table filled (a blank form or a template): listed apart, not scored
    department: str | None = None  # 主管部门, as the filing's project tables give it
    template: str = "national"  # the layout it was filed in (jixiao.templates): 汇总's 模板

    @property
    def summary(self) -> dict[str, int]:
        """Return the counts of errors, warnings and infos."""
        return summarize(list(self.findings))

    @property
    def has_errors(self) -> bool:
        """Return True when any finding is an error."""
        return any(f.severity == "error" for f in self.findings)

    def findings_of(self, table: TableDigest) -> list[Finding]:
        """Return the findings a table's row counts: the whole file's for 附件1-2, its sheet's else."""
        if table.is_unit:
            return list(self.findings)
        return [f for f in self.findings if f.sheet == table.sheet]

    def to_dict(self) -> dict[str, Any]:
        """Return the findings JSON of the file without indicator details, plus unit, year and budgets."""
        return {
            "file": self.file,
            "findings": [f.to_dict() for f in self.findings],
            "scores": [t.to_dict(self.places) for t in self.tables],
            "summary": self.summary,
            "unit": self.unit,
            "year": self.year,
            "department": self.department,
            "template": self.template,
        }


def digest(result: Any, file: str) -> UnitDigest:
    """Return the digest of a :class:`jixiao.pipeline.Result`, shown as ``file``."""
    tables = tuple(
        TableDigest(
            table=t.table,
            subject=t.subject,
            sheet=t.sheet,
            full_year=t.evaluation.budget.full_year,
            executed=t.evaluation.budget.executed,
            exec_rate=t.exec.rate,
            exec_score=t.exec.score,
            total=t.total,
            reported_total=t.reported_total,
            weight_total=t.weight_total,
            grade=t.grade,
            explanation=t.explanation,
        )
        for t in result.scores.tables()
    )
    filing = result.filing
    department = next(
        (p.department.strip() for p in filing.t13 if p.department and p.department.strip()), None
    )
    return UnitDigest(
        file,
        filing.unit,
        filing.year,
        filing.policy.score_places,
        tables,
        tuple(result.findings),
        blank=filing.is_empty(),
        department=department,
        template=filing.template,
    )


@dataclass
class FileOutcome:
    """What checking one file gave: its digest, or why it could not be read."""

    file: str  # as shown: relative to the folder checked
    path: str
    digest: UnitDigest | None = None
    reason: str | None = None  # why the file could not be read
    skipped: bool = False  # not a filing by its name (another format, a backup): listed, not an error

    @property
    def readable(self) -> bool:
        """Return True when the file was read and checked."""
        return self.digest is not None


@dataclass
class BatchResult:
    """Every file of a batch, in file order, and how long it took."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def units(self) -> list[UnitDigest]:
        """Return the digests of the files that were read, in file order."""
        return [o.digest for o in self.outcomes if o.digest is not None]

    @property
    def unreadable(self) -> list[FileOutcome]:
        """Return the files that could not be read (skipped ones included)."""
        return [o for o in self.outcomes if not o.readable]

    @property
    def has_errors(self) -> bool:
        """Return True when a filing could not be read or has an error finding (skipped files aside)."""
        return any(not o.skipped for o in self.unreadable) or any(u.has_errors for u in self.units)
