"""Reading a hand-written 自评报告 and what its figures can speak of.

``read_report`` returns its paragraphs; ``extract_figures`` the figures a sentence states
(amounts, percentages, counts, scores) with the words around them; the subjects (``data/figures.toml``:
subjects by keyword, aspects such as 增加 / 结余 / 使用率; projects, 结余 items and indicators from the
filing) hold the table value of each aspect. The check itself is :mod:`jixiao.checks.report`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from jixiao.errors import InputError
from jixiao.model import Filing
from jixiao.numbers import HUNDRED, normalize_text, quantize
from jixiao.report.facts import Facts
from jixiao.resources import load_data
from jixiao.safety import inspect_report
from jixiao.scoring import FilingScore

REPORT_SUFFIXES = (".txt", ".md", ".markdown", ".docx")
_SENTENCE_END = "。！？!?"
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?\d+[.、)）]|（\d+）|[①②③④⑤⑥⑦⑧⑨])"
)
_ATTACHMENTS = re.compile(r"^附件\s*1\s*-\s*1\s*$")


@cache
def figure_vocabulary() -> dict:
    """Return the subjects, aspects and units of ``data/figures.toml``."""
    return load_data("figures.toml", "jixiao.report")


# ------------------------------------------------------------------ reading the report


def read_report(path: str | Path) -> list[str]:
    """Return the paragraphs of a report (.docx, .txt or .md); raise InputError if unreadable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise InputError(f"报告只支持 {'、'.join(REPORT_SUFFIXES)} 文件", place=str(path))
    inspect_report(path)  # size, zip and XML limits before any parser sees it
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
            and previous[-1] not in _SENTENCE_END + "；;：:”」）)】"
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
    """Return the sentences of a paragraph (split after 。！？, never inside a 【…】 mark)."""
    parts, start, depth = [], 0, 0
    for index, char in enumerate(paragraph):
        depth += (char == "【") - (char == "】" and depth > 0)
        if char in _SENTENCE_END and not depth:
            parts.append(paragraph[start : index + 1])
            start = index + 1
    parts.append(paragraph[start:])
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
    v = figure_vocabulary()
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
    v = figure_vocabulary()
    for kind in ("amount", "percent", "count", "score"):
        if unit in v[f"units_{kind}"]:
            return kind
    return "count"


def extract_figures(sentence: str) -> list[Figure]:
    """Return the figures stated in ``sentence`` (dates, ordinals and list numbers left out)."""
    found = []
    for match in _figure_pattern().finditer(sentence):
        rest = sentence[match.end("num") :].lstrip()
        if any(rest.startswith(w) for w in figure_vocabulary()["not_figure_after"]):
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


def static_subjects(facts: Facts, filing: Filing) -> dict[str, Subject]:
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
    for spec in figure_vocabulary()["subject"]:
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


def name_bigrams(text: str) -> frozenset[str]:
    cleaned = re.sub(r"[^\u4e00-\u9fff]+", "|", normalize_text(text))
    for word in sorted(figure_vocabulary()["indicator_stop_words"], key=len, reverse=True):
        cleaned = cleaned.replace(word, "|")
    return frozenset(cleaned[i : i + 2] for i in range(len(cleaned) - 1) if "|" not in cleaned[i : i + 2])


def indicator_subjects(scores: FilingScore) -> list[Subject]:
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
                    bigrams=name_bigrams(f"{name} {s.indicator.target or ''}"),
                )
            )
    return subjects


def project_subjects(facts: Facts) -> list[tuple[str, Subject]]:
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


def _magnitude(value: Decimal) -> Decimal:
    digits = str(int(value))
    zeros = len(digits) - len(digits.rstrip("0")) if value else 0
    return Decimal(10) ** max(zeros, 0)


def agrees(figure: Figure, expected: Decimal) -> bool:
    """Return True when the stated figure is the expected value as the text would show it."""
    stated = figure.value
    if figure.approx in figure_vocabulary()["approx_after"]:
        return stated <= expected < stated + _magnitude(stated)
    if figure.approx:
        return abs(expected - stated) <= stated / 10
    if figure.kind == "amount" and figure.places == 0:
        return expected == stated
    return quantize(expected, min(figure.places, 6)) == stated
