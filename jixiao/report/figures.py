"""The figure check of a hand-written 自评报告 (``jixiao check FILE --report REPORT``).

It finds the figures the text states (amounts, percentages, counts, scores) with the words around
them, decides which table value each speaks of (``data/figures.toml``: subjects by keyword,
aspects such as 增加 / 结余 / 使用率; projects, 结余 items and indicators from the filing), and
reports disagreements and broken 其中 arithmetic as findings of table 报告 quoting the sentence.
Figures that agree, and figures it cannot place, stay silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TypeVar

from jixiao.errors import InputError
from jixiao.findings import Finding, make_finding
from jixiao.model import Filing
from jixiao.numbers import HUNDRED, ZERO, fmt_plain, normalize_text, quantize
from jixiao.report.facts import Facts, build_facts
from jixiao.scoring import FilingScore
from jixiao.targets import units_compatible
from jixiao.taxonomy import load_data

T = TypeVar("T")
REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".docx")
_SENTENCE_END = "。！？!?"
_CLAUSE_MARKS = "，,；;：:"
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?\d+[.、)）]|（\d+）|[①②③④⑤⑥⑦⑧⑨])"
)
_THIS_PROJECT = ("该项目", "本项目", "此项目")
_PROJECT_ASPECTS = ("executed", "budget", "balance", "rate", "adjust", "initial")
_ATTACHMENTS = re.compile(r"^附件\s*1\s*-\s*1\s*$")
_GRADE = re.compile(r"(?:评价|评定|等级|评级)(?:结果|等次|等级)?(?:为|是|达到)?[“\"']?(优|良|中|差)")


@cache
def vocabulary() -> dict:
    """Return the subjects, aspects and units of ``data/figures.toml``."""
    return load_data("figures.toml", "jixiao.report")


# ------------------------------------------------------------------ reading the report


def read_report(path: str | Path) -> list[str]:
    """Return the paragraphs of a report (.docx, .txt or .md); raise InputError if unreadable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise InputError(f"报告只支持 {'、'.join(REPORT_SUFFIXES)} 文件", place=str(path))
    if not path.is_file():
        raise InputError("报告文件不存在", place=str(path))
    if suffix == ".docx":
        try:
            from docx import Document

            lines = [p.text for p in Document(str(path)).paragraphs]
        except Exception as exc:  # a damaged or mislabelled file: python-docx raises many kinds
            raise InputError(f"无法读取 Word 报告（{type(exc).__name__}）", place=str(path)) from None
    else:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError("报告文件不是 UTF-8 或 GB18030 编码的文本", place=str(path))
        lines = text.splitlines()
        if suffix == ".txt":
            lines = [line for line in lines if "\t" not in line]  # table rows of a copied report
        if suffix in (".md", ".markdown"):
            lines = [_strip_markdown(line) for line in lines if not line.lstrip().startswith("|")]
    return _paragraphs(lines)


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^\s{0,3}(#{1,6}\s+|>\s?|[-*+]\s+)", "", line)
    return line.replace("**", "").replace("__", "")


def _paragraphs(lines: list[str]) -> list[str]:
    """Return paragraphs, re-joining the lines a PDF-to-text copy broke inside a sentence."""
    blocks: list[str] = []
    for line in lines:
        text = line.strip()
        if _ATTACHMENTS.match(text):
            break  # the appended tables: their figures are the tables themselves
        if not text:
            continue
        previous = blocks[-1] if blocks else ""
        continues = (
            previous
            and previous[-1] not in _SENTENCE_END + "；;：:”」）)"
            and not _is_heading(previous)
            and not _HEADING.match(text)
        )
        if continues:
            blocks[-1] = previous + text
        else:
            blocks.append(text)
    return blocks


def _is_heading(text: str) -> bool:
    return len(text) <= 30 and bool(_HEADING.match(text)) and text[-1] not in "。；;"


def sentences(paragraph: str) -> list[str]:
    """Return the sentences of a paragraph (split after 。！？)."""
    parts = re.split(f"(?<=[{_SENTENCE_END}])", paragraph)
    return [p for p in (part.strip() for part in parts) if p]


# ------------------------------------------------------------------ stated figures


@dataclass(frozen=True)
class Figure:
    """A figure stated in the text: its value, decimals shown, unit and kind."""

    value: Decimal
    places: int
    unit: str
    kind: str  # amount | percent | count | score
    approx: str | None
    start: int
    end: int
    text: str


@cache
def _figure_pattern() -> re.Pattern[str]:
    v = vocabulary()
    units = {u: "amount" for u in v["units_amount"]}
    units.update({u: "percent" for u in v["units_percent"]})
    units.update({u: "count" for u in v["units_count"]})
    units.update({u: "score" for u in v["units_score"]})
    alternatives = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    before = "|".join(re.escape(w) for w in v["approx_before"])
    after = "|".join(re.escape(w) for w in v["approx_after"])
    return re.compile(
        rf"(?P<before>{before})?(?<![\d.A-Za-z第])(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*"
        rf"(?P<after>{after})?\s*(?P<unit>{alternatives})(?!别|之|钟|析|配|类|期)"
    )


def _unit_kind(unit: str) -> str:
    v = vocabulary()
    for kind in ("amount", "percent", "count", "score"):
        if unit in v[f"units_{kind}"]:
            return kind
    return "count"


def extract_figures(sentence: str) -> list[Figure]:
    """Return the figures stated in ``sentence`` (dates, ordinals and list numbers left out)."""
    found = []
    for match in _figure_pattern().finditer(sentence):
        rest = sentence[match.end("num") :].lstrip()
        if any(rest.startswith(w) for w in vocabulary()["not_figure_after"]):
            continue
        number = match.group("num").replace(",", "")
        try:
            value = Decimal(number)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            continue
        unit = match.group("unit")
        places = len(number.split(".")[1]) if "." in number else 0
        kind = _unit_kind(unit)
        if kind == "amount" and unit == "元":
            value, places = value / 10000, places + 4
        approx = match.group("after") or match.group("before")
        found.append(
            Figure(value, places, unit, kind, approx, match.start(), match.end(), match.group(0).strip())
        )
    return found


# ------------------------------------------------------------------ what the tables say


@dataclass
class Subject:
    """Something the report speaks of, with the table value of each of its aspects."""

    key: str
    label: str
    source: str
    kind: str  # amount | count | percent
    values: dict[str, list[Decimal]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # per aspect, when not ``source``
    prev: Decimal | None = None
    grade: str | None = None
    unit: str | None = None
    bigrams: frozenset[str] = frozenset()


def _vals(*values: Decimal | None) -> list[Decimal]:
    return [v for v in values if v is not None]


def _pct(ratio: Decimal | None) -> Decimal | None:
    return ratio * HUNDRED if ratio is not None else None


def _abs(value: Decimal | None) -> Decimal | None:
    return abs(value) if value is not None else None


_SOURCES = {
    "project_total.balance": "各项目结余结转之和（全年预算数 − 全年执行数）",
    "personnel.change": "人员经费本年与上年之差",
    "personnel.change_pct": "人员经费的同比增减幅度",
    "public.change": "日常公用经费本年与上年之差",
    "public.change_pct": "日常公用经费的同比增减幅度",
    "sangong.change": "附件1-1 三公经费本年决算数与上年决算数之差",
    "sangong.change_pct": "附件1-1 三公经费的同比增减幅度",
    "sangong.budget": "附件1-1 三公经费本年预算数",
}


def _static_subjects(facts: Facts, filing: Filing) -> dict[str, Subject]:
    hc, dept = filing.headcount, facts.department
    values: dict[str, dict[str, list[Decimal]]] = {
        "basic": {"value": _vals(facts.basic)},
        "wages": {"value": _vals(facts.wages)},
        "goods_services": {"value": _vals(facts.goods_services)},
        "family_subsidies": {"value": _vals(facts.family_subsidies)},
        "capital": {"value": _vals(facts.capital)},
        "personnel": {
            "value": _vals(facts.personnel.value),
            "change": _vals(_abs(facts.personnel.delta)),
            "change_pct": _vals(_abs(_pct(facts.personnel.ratio))),
            "share": _vals(
                _pct(facts.personnel.value / facts.basic) if facts.basic and facts.personnel.value else None
            ),
        },
        "public": {
            "value": _vals(facts.public.value, filing.t11.public.final),
            "change": _vals(_abs(facts.public.delta)),
            "change_pct": _vals(_abs(_pct(facts.public.ratio))),
            "share": _vals(
                _pct(facts.public.value / facts.basic) if facts.basic and facts.public.value else None
            ),
        },
        "sangong": {
            "value": _vals(facts.sangong.value),
            "change": _vals(_abs(facts.sangong.delta)),
            "change_pct": _vals(_abs(_pct(facts.sangong.ratio))),
            "budget": _vals(facts.sangong_budget),
        },
        "total": {"value": _vals(facts.executed)},
        "project_total": {"value": _vals(facts.project_total), "balance": _vals(facts.project_balance)},
        "dept_balance": {"value": _vals(facts.balance), "balance": _vals(facts.balance)},
        "dept_budget": {"value": _vals(facts.full_year), "budget": _vals(facts.full_year)},
        "dept_exec": {"rate": _vals(_pct(dept.exec_rate) if dept else None)},
        "dept_score": {"total_score": _vals(dept.total if dept else None)},
        "gov_fund": {"value": _vals(facts.gov_fund)},
        "state_capital": {"value": _vals(facts.state_capital)},
        "social_insurance": {"value": _vals(facts.social_insurance)},
        "establishment": {"value": _vals(hc.establishment)},
        "in_service": {"value": _vals(hc.in_service)},
        "retired_cadres": {"value": _vals(hc.retired_cadres)},
        "retirees": {"value": _vals(hc.retirees)},
        "early_leave": {"value": _vals(hc.early_leave)},
    }
    prev = {"personnel": facts.personnel.prev, "public": facts.public.prev, "sangong": facts.sangong.prev}
    counts = {"establishment", "in_service", "retired_cadres", "retirees", "early_leave"}
    subjects = {}
    for spec in vocabulary()["subject"]:
        key = spec["id"]
        subjects[key] = Subject(
            key,
            spec["label"],
            spec["source"],
            "count" if key in counts else "amount",
            values.get(key, {}),
            sources={k[len(key) + 1 :]: v for k, v in _SOURCES.items() if k.startswith(key + ".")},
            prev=prev.get(key),
            grade=dept.grade if key == "dept_score" and dept else None,
        )
    return subjects


def _bigrams(text: str) -> frozenset[str]:
    cleaned = re.sub(r"[^\u4e00-\u9fff]+", "|", normalize_text(text))
    for word in sorted(vocabulary()["indicator_stop_words"], key=len, reverse=True):
        cleaned = cleaned.replace(word, "|")
    return frozenset(cleaned[i : i + 2] for i in range(len(cleaned) - 1) if "|" not in cleaned[i : i + 2])


def _indicator_subjects(scores: FilingScore) -> list[Subject]:
    subjects = []
    for table in scores.tables():
        for s in table.indicators:
            value = s.actual.value if s.actual.kind == "number" else None
            if value is None:
                continue
            unit = s.actual.unit or s.target.unit
            kind = "percent" if unit == "%" else "amount" if unit in ("万元", "元", "亿元") else "count"
            if kind == "amount":
                continue
            name = s.indicator.subject
            place = "附件1-2" if table.table == "1-2" else f"附件1-3“{table.subject}”"
            subjects.append(
                Subject(
                    f"indicator:{table.sheet}:{s.position}",
                    f"“{name}”",
                    f"{place}“{name}”的实际完成值",
                    kind,
                    {"value": [value]},
                    unit=unit,
                    bigrams=_bigrams(f"{name} {s.indicator.target or ''}"),
                )
            )
    return subjects


def _project_subjects(facts: Facts) -> list[tuple[str, Subject]]:
    result = []
    for p in facts.projects:
        scores = p.scores
        subject = Subject(
            f"project:{p.name}",
            f"项目“{p.name}”",
            f"项目“{p.name}”的" + ("附件1-3" if p.has_table else "支出情况"),
            "amount",
            {
                "value": _vals(p.executed),
                "executed": _vals(p.executed),
                "budget": _vals(p.budget),
                "balance": _vals(p.balance),
                "rate": _vals(_pct(p.rate)),
                "adjust": _vals(_abs(p.adjustment)),
                "initial": _vals(p.initial),
                "total_score": _vals(scores.total if scores else None),
            },
            grade=scores.grade if scores else None,
        )
        result.append((p.name, subject))
    for item in facts.balance_items:
        if item.label and item.amount is not None:
            subject = Subject(
                f"balance:{item.label}",
                f"结余“{item.label}”",
                "支出情况中的结余构成",
                "amount",
                {"value": [item.amount], "balance": [item.amount]},
            )
            result.append((item.label, subject))
    return result


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
        for match in re.finditer(re.escape(word), text):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = [True] * (match.end() - match.start())
            found.append((match.start(), match.end(), tag))
    return sorted(found, key=lambda item: item[0])


class _Matcher:
    def __init__(self, filing: Filing, scores: FilingScore) -> None:
        self.facts = build_facts(filing, scores)
        static = _static_subjects(self.facts, filing)
        self.keywords: list[tuple[str, Subject | None]] = [
            (kw, static[spec["id"]]) for spec in vocabulary()["subject"] for kw in spec["keywords"]
        ]
        self.keywords += _project_subjects(self.facts)
        self.keywords += [(word, None) for word in _THIS_PROJECT]
        self.keywords.sort(key=lambda item: len(item[0]), reverse=True)
        self.indicators = _indicator_subjects(scores)
        self.dept_score = static["dept_score"]
        aspects = vocabulary()["aspects"]
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
        grams = _bigrams(clause)
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


def _magnitude(value: Decimal) -> Decimal:
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0")) if value else 0
    return Decimal(10) ** max(zeros, 0)


def agrees(figure: Figure, expected: Decimal) -> bool:
    """Return True when the stated figure is the expected value as the text would show it."""
    stated = figure.value
    if figure.approx in vocabulary()["approx_after"]:
        return stated <= expected < stated + _magnitude(stated)
    if figure.approx:
        return abs(expected - stated) <= stated / 10
    if figure.kind == "amount" and figure.places == 0:
        return expected == stated
    return quantize(expected, min(figure.places, 6)) == stated


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


def _quote(sentence: str, figure: Figure | None = None, width: int = 90) -> str:
    if len(sentence) <= width:
        return sentence
    centre = figure.start if figure else 0
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


class FigureCheck:
    """Checks the figures of one report against one filing."""

    def __init__(self, filing: Filing, scores: FilingScore) -> None:
        self.matcher = _Matcher(filing, scores)
        self.findings: list[Finding] = []

    def run(self, paragraphs: list[str]) -> list[Finding]:
        """Return the findings for the report's paragraphs."""
        for number, paragraph in enumerate(paragraphs, start=1):
            previous: list[_Entry] = []
            for sentence in sentences(paragraph):
                previous = self._sentence(sentence, number, previous)
        return self.findings

    def _emit(
        self,
        rule: str,
        number: int,
        subject: str,
        expected: str,
        actual: str,
        sentence: str,
        **values: object,
    ) -> None:
        self.findings.append(
            make_finding(
                rule,
                table="报告",
                field=f"自评报告第{number}段",
                subject=subject,
                expected=expected,
                actual=actual,
                sentence=sentence,
                **values,
            )
        )

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
                self._emit(
                    rule,
                    number,
                    subject.label + _ASPECT_LABEL.get(key, ""),
                    _show(subject.values[key][0], figure, subject.unit),
                    figure.text,
                    _quote(sentence, figure),
                    source=subject.sources.get(key, subject.source),
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
        self._emit(
            "RPT-SUM",
            number,
            total.stated.subject.label,
            total.figure.text,
            _show(stated_sum, total.figure),
            _quote(sentence),
            parts=" + ".join(e.figure.text for e in parts),
            diff=fmt_plain(diff),
        )

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
        self._emit(
            "RPT-GRADE",
            number,
            subject.label,
            subject.grade,
            match.group(1),
            _quote(sentence),
            score=fmt_plain(quantize(subject.values["total_score"][0], 2))
            if subject.values.get("total_score")
            else "—",
        )


def check_report_text(paragraphs: list[str], filing: Filing, scores: FilingScore) -> list[Finding]:
    """Return the figure-check findings of a report's paragraphs against ``filing``."""
    return FigureCheck(filing, scores).run(paragraphs)


def check_report(path: str | Path, filing: Filing, scores: FilingScore) -> list[Finding]:
    """Return the figure-check findings of the report file ``path`` against ``filing``."""
    return check_report_text(read_report(path), filing, scores)
