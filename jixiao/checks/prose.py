"""The accountant's own report paragraphs checked against the tables (PROSE-FIGURE).

The paragraphs typed on 基本信息 (主要职能, 履职情况 …) and below each 附件1-3 (项目实施情况,
项目的效益性分析 …) are copied into the 自评报告. Each is read by the figure check of a hand-written
report (:class:`jixiao.checks.report.FigureCheck`, the same extraction and matching), a project's
paragraphs in that project's context; a figure, total or grade the tables contradict is a finding
on the field's cell, and a :class:`ProseFlag` that the report generator turns into a 【请核实：…】
mark after the figure (:func:`annotate`), so that the report never prints it as fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jixiao.checks.registry import Checker
from jixiao.checks.report import FigureCheck, Flag, verify_mark
from jixiao.findings import Finding, make_finding, rule
from jixiao.model import SHEET_INFO, Filing, project_sheet_name
from jixiao.report.facts import split_paragraphs
from jixiao.report.figures import figure_vocabulary, sentences
from jixiao.scoring import FilingScore


@dataclass(frozen=True)
class ProseField:
    """One paragraph field the report copies: its record, attribute, label and sheet."""

    record: Any  # jixiao.model.Prose or ProjectProse
    name: str
    label: str
    sheet: str
    project: str | None = None  # the 附件1-3 project the field belongs to

    @property
    def text(self) -> str | None:
        """Return the field's text as typed."""
        return getattr(self.record, self.name)

    @property
    def cell(self) -> str | None:
        """Return the field's workbook cell, when it was read from a workbook."""
        where = self.record.where
        return where.cells.get(self.name) if where is not None else None

    @property
    def place(self) -> str:
        """Return where the accountant types it: 基本信息!B40, or 基本信息“主要职能” without a cell."""
        return f"{self.sheet}!{self.cell}" if self.cell else f"{self.sheet}“{self.label}”"


@dataclass(frozen=True)
class ProseFlag:
    """A figure of a prose field the tables contradict, and where its mark goes."""

    field: ProseField
    flag: Flag


def _labels(kind: str) -> dict[str, str]:
    """Return the label of each prose field (``info`` or ``project``) by attribute."""
    return dict(figure_vocabulary()["prose_fields"][kind])


def prose_fields(filing: Filing) -> list[ProseField]:
    """Return the filled paragraph fields of ``filing``: 基本信息 first, then each 附件1-3 in order."""
    fields = []
    sheet = filing.prose.where.sheet if filing.prose.where else SHEET_INFO
    for name, label in _labels("info").items():
        fields.append(ProseField(filing.prose, name, label, sheet))
    for index, ev in enumerate(filing.t13):
        sheet = ev.where.sheet if ev.where else project_sheet_name(index)
        for name, label in _labels("project").items():
            fields.append(ProseField(ev.prose, name, label, sheet, ev.name))
    return [f for f in fields if split_paragraphs(f.text)]


def prose_flags(filing: Filing, scores: FilingScore) -> list[ProseFlag]:
    """Return the contradicted figures of every paragraph field of ``filing``."""
    check = FigureCheck(filing, scores)
    projects = {s.key: s for _, s in check.matcher.keywords if s is not None and s.key.startswith("project:")}
    found: list[ProseFlag] = []
    for field in prose_fields(filing):
        check.matcher.current_project = projects.get(f"project:{field.project}") if field.project else None
        check.flags = []
        check.run(split_paragraphs(field.text))
        found.extend(ProseFlag(field, flag) for flag in check.flags)
    return found


def annotate(text: str, flags: list[Flag]) -> str:
    """Return ``text`` with a 【请核实：…】 mark after each flagged figure (other paragraphs as typed)."""
    paragraphs = split_paragraphs(text)
    for number, paragraph in enumerate(paragraphs, start=1):
        mine = [f for f in flags if f.paragraph == number]
        if not mine:
            continue
        parts = sentences(paragraph)
        for flag in sorted(mine, key=lambda f: (f.sentence, f.at), reverse=True):
            sentence = parts[flag.sentence]
            parts[flag.sentence] = sentence[: flag.at] + verify_mark(flag.note) + sentence[flag.at :]
        paragraphs[number - 1] = "".join(parts)
    return "\n".join(paragraphs)


def excerpt(item: ProseFlag, width: int = 24) -> str:
    """Return the words of the field just before the flagged figure (…党日活动 9 次)."""
    flag = item.flag
    sentence = sentences(split_paragraphs(item.field.text)[flag.paragraph - 1])[flag.sentence]
    start = max(0, flag.at - width)
    return ("…" if start else "") + sentence[start : flag.at]


@rule("PROSE-FIGURE")
def _finding(item: ProseFlag) -> Finding:
    field, found = item.field, item.flag.finding
    where = field.record.where
    return make_finding(
        "PROSE-FIGURE",
        sheet=field.sheet,
        cell=field.cell,
        field=where.field_path(field.name) if where else field.name,
        subject=field.label if field.project is None else f"{field.project}·{field.label}",
        expected=found.expected,
        actual=found.actual,
        severity="warning" if found.severity == "warning" else None,
        excerpt=excerpt(item),
        note=item.flag.note,
    )


def check_prose(c: Checker) -> None:
    """Report every figure of the accountant's paragraphs that the tables contradict."""
    c.findings.extend(_finding(item) for item in prose_flags(c.filing, c.scores))
