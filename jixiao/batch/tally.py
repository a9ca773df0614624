"""What the parent keeps of a batch: the summary's rows, file by file, and nothing else.

A :class:`Tally` takes each :class:`~jixiao.batch.digest.FileOutcome` as it arrives (in file
order) and keeps only the rows the summary prints — 汇总, 问题清单, 未填写, 无法读取 — so that
the parent's memory is bounded by the summary, not by the results of the units checked. A file
whose unit and year an earlier file already had is marked in 备注 as a duplicate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.batch.digest import BatchResult, FileOutcome
from jixiao.batch.rows import blank_row, finding_row, unit_rows

Row = tuple[object, ...]


@dataclass(frozen=True)
class Added:
    """The rows one file added, for a writer that streams them."""

    tables: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    blank: Row | None = None
    unreadable: Row | None = None


@dataclass(frozen=True)
class Duplicate:
    """A file whose unit and year an earlier file of the batch already had."""

    unit: str
    year: int | None
    file: str
    first: str  # the earlier file

    @property
    def note(self) -> str:
        """Return the 备注 of the duplicate's rows."""
        return f"重复：与 {self.first} 为同一单位、同一年度"


def _unit_key(name: str) -> str:
    """Return a unit name as compared for duplicates: without spaces of any width."""
    return re.sub(r"\s+", "", name)


@dataclass
class Tally:
    """The summary's rows of a batch, in file order, and what the statistics need beside them."""

    tables: list[Row] = field(default_factory=list)  # 汇总: one per unit and per project
    findings: list[Row] = field(default_factory=list)  # 问题清单: one per finding of a scored file
    blank: list[Row] = field(default_factory=list)  # 未填写
    unreadable: list[Row] = field(default_factory=list)  # 无法读取: (file, reason)
    skipped_flags: list[bool] = field(default_factory=list)  # per unreadable row: another format, a backup
    with_errors: int = 0  # scored files with an error
    errors: bool = False  # a file could not be read or has an error finding (blank ones included)
    paths: dict[str, str] = field(default_factory=dict)  # file shown → its path, for the links
    duplicates: list[Duplicate] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    _seen: dict[tuple[str, int | None], str] = field(default_factory=dict, repr=False)

    def add(self, outcome: FileOutcome) -> Added:
        """Keep the rows of ``outcome``; return them."""
        self.files += 1
        unit = outcome.digest
        if unit is None:
            row = (outcome.file, outcome.reason)
            self.unreadable.append(row)
            self.skipped_flags.append(outcome.skipped)
            self.errors = self.errors or not outcome.skipped
            return Added(unreadable=row)
        self.errors = self.errors or unit.has_errors
        if unit.blank:
            self.blank.append(blank_row(unit))
            return Added(blank=self.blank[-1])
        self.with_errors += unit.has_errors
        note = ""
        key = (_unit_key(unit.unit or ""), unit.year)
        if key[0]:
            first = self._seen.setdefault(key, unit.file)
            if first != unit.file:
                duplicate = Duplicate(unit.unit or "", unit.year, unit.file, first)
                self.duplicates.append(duplicate)
                note = duplicate.note
        tables = unit_rows(unit, note)
        findings = [finding_row(unit, f) for f in unit.findings]
        self.tables.extend(tables)
        self.findings.extend(findings)
        if any(f.sheet and f.cell for f in unit.findings):
            self.paths[unit.file] = outcome.path
        return Added(tables=tables, findings=findings)

    @property
    def skipped(self) -> int:
        """Return how many files were listed without being read (other formats, backups): no error."""
        return sum(self.skipped_flags)

    @property
    def read(self) -> int:
        """Return how many files were read and scored (blank ones aside)."""
        return self.files - len(self.unreadable) - len(self.blank)

    @classmethod
    def of(cls, batch: BatchResult) -> Tally:
        """Return the tally of a batch held whole (the Python facade's :class:`BatchResult`)."""
        tally = cls()
        for outcome in batch.outcomes:
            tally.add(outcome)
        tally.seconds = batch.seconds
        return tally
