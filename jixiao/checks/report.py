"""The figure check of a hand-written 自评报告 (``jixiao check FILE --report REPORT``).

For each figure a sentence states (:mod:`jixiao.report.figures`), it decides which table value the
figure speaks of and reports disagreements and broken 其中 arithmetic as findings of table 报告
quoting the sentence. Figures that agree, and figures it cannot place, stay silent.

Each disagreement is also kept as a :class:`Flag` (where in the sentence, and what the tables say)
so that the generated report can mark the accountant's own paragraphs (:mod:`jixiao.checks.prose`).
A sentence that already carries a 【请核实：…】 mark is not reported again; every mark left in a
report (【请核实：…】, 【请填写：…】) is a warning, RPT-MARKER: it must be resolved before filing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from jixiao.findings import Finding, make_finding, rule
from jixiao.model import Filing
from jixiao.numbers import HUNDRED, ZERO, fmt_plain, quantize
from jixiao.report.document import MARK as MARKER
from jixiao.report.facts import build_facts
from jixiao.report.figures import (
    Figure,
    Subject,
    agrees,
    extract_figures,
    figure_vocabulary,
    indicator_subjects,
    name_bigrams,
    project_subjects,
    read_report,
    sentences,
    static_subjects,
)
from jixiao.scoring import FilingScore
from jixiao.targets import units_compatible

T = TypeVar("T")
_CLAUSE_MARKS = "，,；;：:"
_THIS_PROJECT = ("该项目", "本项目", "此项目")
_PROJECT_ASPECTS = ("executed", "budget", "balance", "rate", "adjust", "initial")
VERIFY = "请核实"
_GRADE = re.compile(r"(?:评价|评定|等级|评级)(?:结果|等次|等级)?(?:为|是|达到)?[“\"']?(优|良|中|差)")


# ------------------------------------------------------------------ matching


@dataclass
class _Keyword:
    start: int
    end: int
    subject: Subject | None  # None: 该项目 (the current project)


def _scan(words: list[tuple[str, T]], text: str) -> list[tuple[int, int, T]]:
    """Return (start, end, tag) of the ``words`` found in ``text``: longest first, no overlaps, by start."""
    taken = [False] * len(text)
    found = []
    for word, tag in words:
        if not word:  # an empty word matches at every position, as re.finditer("") does
            found += [(at, at, tag) for at in range(len(text) + 1)]
            continue
        start = text.find(word)  # the non-overlapping occurrences, left to right (a plain substring search)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(word)
                found.append((start, end, tag))
            start = text.find(word, end)
    return sorted(found, key=lambda item: item[0])


class _Matcher:
    def __init__(self, filing: Filing, scores: FilingScore) -> None:
        self.facts = build_facts(filing, scores)
        static = static_subjects(self.facts, filing)
        self.keywords: list[tuple[str, Subject | None]] = [
            (kw, static[spec["id"]]) for spec in figure_vocabulary()["subject"] for kw in spec["keywords"]
        ]
        self.keywords += project_subjects(self.facts)
        self.keywords += [(word, None) for word in _THIS_PROJECT]
        self.keywords.sort(key=lambda item: len(item[0]), reverse=True)
        self.indicators = indicator_subjects(scores)
        self.dept_score = static["dept_score"]
        aspects = figure_vocabulary()["aspects"]
        self.aspect_words = sorted(
            ((word, name) for name, words in aspects.items() for word in words), key=lambda x: -len(x[0])
        )
        self.current_project: Subject | None = None

    def find_keywords(self, text: str) -> list[_Keyword]:
        """Return the subject keywords in ``text``, longest first without overlaps, by position."""
        return [_Keyword(start, end, subject) for start, end, subject in _scan(self.keywords, text)]

    def aspect(self, text: str) -> str | None:
        """Return the aspect named last in ``text`` (增加 → change …), or None."""
        found = _scan(self.aspect_words, text)
        return found[-1][2] if found else None

    def indicator(self, clause: str, figure: Figure) -> Subject | None:
        """Return the indicator the clause speaks of (shared name bigrams, same kind of unit)."""
        grams = name_bigrams(clause)
        best, best_score = [], 0
        for subject in self.indicators:
            if figure.kind == "percent" and subject.kind != "percent":
                continue
            if figure.kind == "count":
                unit = "人" if figure.unit == "名" else figure.unit
                if subject.kind != "count" or not units_compatible(subject.unit, unit):
                    continue
            if figure.kind not in ("percent", "count"):
                continue
            score = len(grams & subject.bigrams)
            if score > best_score:
                best, best_score = [subject], score
            elif score == best_score and score:
                best.append(subject)
        if not best:
            return None
        merged = Subject(
            best[0].key, best[0].label, best[0].source, best[0].kind, {"value": []}, unit=best[0].unit
        )
        for subject in best:
            merged.values["value"].extend(subject.values["value"])
        return merged


def _aspect_key(subject: Subject, aspect: str | None, figure: Figure) -> str | None:
    if figure.kind == "percent":
        if subject.kind == "percent":
            return "value"
        if aspect == "change":
            return "change_pct"
        if aspect == "share":
            return "share"
        return "rate"
    if figure.kind == "score":
        named = aspect == "total_score" or (aspect is None and subject.key == "dept_score")
        return "total_score" if named else None
    if figure.kind == "count":
        return "value" if subject.kind == "count" else None
    if subject.kind != "amount":
        return None
    if aspect in (None, "share", "rate", "total_score"):
        return "value"
    return aspect


def _show(value: Decimal, figure: Figure, unit: str | None = None) -> str:
    if figure.kind == "percent":
        return f"{fmt_plain(quantize(value, 2))}%"
    if figure.kind == "amount":
        return f"{fmt_plain(quantize(value, 2))} 万元"
    if figure.kind == "score":
        return f"{fmt_plain(quantize(value, 2))} 分"
    return f"{fmt_plain(value)} {unit or ('人' if figure.unit == '名' else figure.unit)}"


_ASPECT_LABEL = {
    "value": "",
    "change": "的增减额",
    "change_pct": "的增减幅度",
    "share": "的占比",
    "balance": "的结余结转",
    "rate": "的执行率（资金使用率）",
    "budget": "的预算数",
    "executed": "的实际支出",
    "adjust": "的年中调整额",
    "initial": "的年初预算数",
    "total_score": "的自评得分",
}


def _quote(sentence: str, figure: Figure | None = None, width: int = 90, centre: int = 0) -> str:
    if len(sentence) <= width:
        return sentence
    centre = figure.start if figure else centre
    start = max(0, min(centre - width // 2, len(sentence) - width))
    text = sentence[start : start + width]
    return ("…" if start else "") + text + ("…" if start + width < len(sentence) else "")


@dataclass
class _Stated:
    figure: Figure
    subject: Subject
    key: str
    ok: bool


@dataclass
class _Entry:
    """A figure of the sentence with the aspect its words name and, if placed, what it states."""

    figure: Figure
    aspect: str | None
    stated: _Stated | None = None

    @property
    def is_value(self) -> bool:
        """Return True when the figure states a subject's value itself (not a change or a share)."""
        return self.stated is not None and self.stated.key == "value"


@dataclass(frozen=True)
class Flag:
    """A figure the tables contradict: its finding, where the mark goes and what the tables say."""

    finding: Finding
    paragraph: int  # 1-based, as the finding's 第N段
    sentence: int  # 0-based index among the paragraph's sentences
    at: int  # offset in the sentence just after the figure
    note: str  # what the tables say (附件1-2“…”的实际完成值为 11 次)


def verify_mark(note: str) -> str:
    """Return the mark that follows a figure the tables contradict: 【请核实：note】."""
    return f"【{VERIFY}：{note}】"


class FigureCheck:
    """Checks the figures of one report against one filing."""

    def __init__(self, filing: Filing, scores: FilingScore) -> None:
        self.matcher = _Matcher(filing, scores)
        self.findings: list[Finding] = []
        self.flags: list[Flag] = []
        self._at: tuple[int, int] = (0, 0)  # (paragraph, sentence) being checked
        self._quiet = False  # the sentence carries a 【请核实】 mark: already flagged

    def run(self, paragraphs: list[str]) -> list[Finding]:
        """Return the findings for the report's paragraphs."""
        for number, paragraph in enumerate(paragraphs, start=1):
            previous: list[_Entry] = []
            for index, sentence in enumerate(sentences(paragraph)):
                marks = MARKER.findall(sentence)
                self._marks(marks, number, sentence)
                self._at, self._quiet = (number, index), any(VERIFY in mark for mark in marks)
                previous = self._sentence(MARKER.sub("", sentence), number, previous)
        self._quiet = False
        return self.findings

    @rule("RPT-MARKER")
    def _marks(self, marks: list[str], number: int, sentence: str) -> None:
        clean = MARKER.sub("", sentence)
        for mark in marks:
            centre = len(MARKER.sub("", sentence[: sentence.find(mark)]))
            self.findings.append(
                make_finding(
                    "RPT-MARKER",
                    table="报告",
                    field=f"自评报告第{number}段",
                    subject=mark,
                    sentence=_quote(clean, centre=centre),
                )
            )

    def _emit(
        self,
        rule: str,
        number: int,
        subject: str,
        expected: str,
        actual: str,
        sentence: str,
        at: int,
        note: str,
        **values: object,
    ) -> None:
        if self._quiet:
            return
        finding = make_finding(
            rule,
            table="报告",
            field=f"自评报告第{number}段",
            subject=subject,
            expected=expected,
            actual=actual,
            sentence=sentence,
            **values,
        )
        self.findings.append(finding)
        self.flags.append(Flag(finding, number, self._at[1], at, note))

    def _resolve(self, sentence: str, figure: Figure, last_end: int, prev: _Stated | None):
        m = self.matcher
        segment = sentence[last_end : figure.start]
        cut = max((segment.rfind(ch) for ch in _CLAUSE_MARKS), default=-1)
        clause = segment[cut + 1 :] if cut >= 0 else segment
        keywords = m.find_keywords(clause)
        if keywords:
            keyword = keywords[-1]
            return self._subject_of(keyword), m.aspect(clause[keyword.end :])
        aspect = m.aspect(clause)
        if aspect is not None and "其中" not in segment:
            if prev is not None:
                return prev.subject, aspect
            before = m.find_keywords(sentence[: figure.start])
            if before:
                return self._subject_of(before[-1]), aspect
            if aspect in _PROJECT_ASPECTS and m.current_project is not None:
                return m.current_project, aspect
        return m.indicator(clause, figure), None

    def _subject_of(self, keyword: _Keyword) -> Subject | None:
        m = self.matcher
        if keyword.subject is None:
            return m.current_project
        if keyword.subject.key.startswith("project:"):
            m.current_project = keyword.subject
        return keyword.subject

    @rule("RPT-FIGURE", "RPT-FIGURE-APPROX")
    def _sentence(self, sentence: str, number: int, previous: list[_Entry]) -> list[_Entry]:
        m = self.matcher
        for keyword in m.find_keywords(sentence):
            if keyword.subject is not None and keyword.subject.key.startswith("project:"):
                m.current_project = keyword.subject
                break
        figures = extract_figures(sentence)
        stated: list[_Stated] = []
        entries: list[_Entry] = []
        last_end = 0
        for figure in figures:
            subject, aspect = self._resolve(sentence, figure, last_end, stated[-1] if stated else None)
            last_end = figure.end
            entry = _Entry(figure, aspect)
            entries.append(entry)
            if subject is None:
                continue
            key = _aspect_key(subject, aspect, figure)
            expected = subject.values.get(key or "", [])
            if not key or not expected:
                continue
            expected = expected + self._stated_arithmetic(subject, key, stated)
            ok = any(agrees(figure, value) for value in expected)
            entry.stated = _Stated(figure, subject, key, ok)
            stated.append(entry.stated)
            if not ok:
                rule = "RPT-FIGURE-APPROX" if figure.approx else "RPT-FIGURE"
                expected_text = _show(subject.values[key][0], figure, subject.unit)
                source = subject.sources.get(key, subject.source)
                self._emit(
                    rule,
                    number,
                    subject.label + _ASPECT_LABEL.get(key, ""),
                    expected_text,
                    figure.text,
                    _quote(sentence, figure),
                    figure.end,
                    f"{source}为 {expected_text}",
                    source=source,
                )
        self._check_parts(sentence, number, entries, previous)
        self._check_grade(sentence, number)
        return entries if stated else previous

    @staticmethod
    def _stated_arithmetic(subject: Subject, key: str, stated: list[_Stated]) -> list[Decimal]:
        """Return the change (or its %) implied by the value the same sentence states."""
        if key not in ("change", "change_pct") or subject.prev in (None, ZERO):
            return []
        value = next((s.figure.value for s in stated if s.subject is subject and s.key == "value"), None)
        change = next((s.figure.value for s in stated if s.subject is subject and s.key == "change"), None)
        out = []
        if value is not None:
            delta = abs(value - subject.prev)
            out.append(delta if key == "change" else delta / subject.prev * HUNDRED)
        if change is not None and key == "change_pct":
            out.append(change / subject.prev * HUNDRED)
        return out

    @rule("RPT-SUM")
    def _check_parts(self, sentence: str, number: int, entries: list[_Entry], previous: list[_Entry]) -> None:
        """Report a total whose 其中 parts, as stated, do not add up to it."""
        position = sentence.find("其中")
        if position < 0:
            return
        totals = [e for e in entries if e.figure.end <= position and e.is_value]
        if not totals and position <= 4:
            totals = [e for e in previous if e.is_value]
        if not totals or totals[-1].stated is None or not totals[-1].stated.ok:
            return
        total = totals[-1]
        stop = len(sentence)
        if any(ch in sentence[max(0, position - 2) : position] for ch in "（("):
            close = re.search(r"[）)]", sentence[position:])
            stop = position + close.start() if close else stop
        parts = [
            e
            for e in entries
            if position < e.figure.start < stop
            and e.figure.kind == total.figure.kind
            and (e.is_value or (e.stated is None and e.aspect in (None, "executed")))
        ]
        if len(parts) < 2 or any(e.stated is not None and not e.stated.ok for e in parts):
            return
        if any(e.figure.approx for e in [total, *parts]):
            return
        stated_sum = sum((e.figure.value for e in parts), ZERO)
        diff = stated_sum - total.figure.value
        if diff == 0 or (diff < 0 and abs(diff) > total.figure.value / 100):
            return  # equal, or the 其中 list names only some of the parts
        assert total.stated is not None
        shown = _show(stated_sum, total.figure)
        self._emit(
            "RPT-SUM",
            number,
            total.stated.subject.label,
            total.figure.text,
            shown,
            _quote(sentence),
            parts[-1].figure.end,
            f"所列各项之和为 {shown}，与{total.stated.subject.label} {total.figure.text}不符",
            parts=" + ".join(e.figure.text for e in parts),
            diff=fmt_plain(diff),
        )

    @rule("RPT-GRADE")
    def _check_grade(self, sentence: str, number: int) -> None:
        match = _GRADE.search(sentence)
        if not match:
            return
        m = self.matcher
        keywords = [
            k
            for k in m.find_keywords(sentence[: match.start()])
            if k.subject is None or k.subject.grade is not None
        ]
        subject = (keywords[-1].subject or m.current_project) if keywords else m.current_project
        subject = subject or m.dept_score
        if subject.grade is None or match.group(1) == subject.grade:
            return
        score = (
            fmt_plain(quantize(subject.values["total_score"][0], 2))
            if subject.values.get("total_score")
            else "—"
        )
        at = match.end() + (1 if sentence[match.end() : match.end() + 1] in ("”", '"', "'") else 0)
        self._emit(
            "RPT-GRADE",
            number,
            subject.label,
            subject.grade,
            match.group(1),
            _quote(sentence),
            at,
            f"按计分规则{subject.label}得分 {score}、等级为“{subject.grade}”",
            score=score,
        )


def check_report_text(paragraphs: list[str], filing: Filing, scores: FilingScore) -> list[Finding]:
    """Return the figure-check findings of a report's paragraphs against ``filing``."""
    return FigureCheck(filing, scores).run(paragraphs)


def check_report(path: str | Path, filing: Filing, scores: FilingScore) -> list[Finding]:
    """Return the figure-check findings of the report file ``path`` against ``filing``."""
    return check_report_text(read_report(path), filing, scores)
