"""The 公开版: the same report without phone, ID and e-mail numbers and the signers' names.

A text is folded first (full-width digits and letters, ＠, ＋ … to ASCII, one character for one, so
positions stay), then every span to remove is found: numbers by their digits whatever spaces, dots
or dashes stand between them (and the part of a longer run that is one), e-mail addresses, what
follows a label such as 电话 or 填表人：, and the signers' names with any gap between their
characters. The spans are replaced in the original text. The data are ``data/redaction.toml``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from jixiao.model import Filing
from jixiao.resources import load_data

Span = tuple[int, int]


@cache
def _data() -> dict[str, Any]:
    return load_data("redaction.toml", "jixiao.report")


def replacement() -> str:
    """Return the text that stands for what was removed (＊＊＊)."""
    return _data()["replacement"]


@cache
def _fold_table() -> dict[int, str]:
    """Return the translation of full-width forms to ASCII, one character for one (no other change)."""
    table = {}
    for code in range(0xFF01, 0xFF5F):
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(folded) == 1:
            table[code] = folded
    table.update({ord("\u3000"): " ", ord("－"): "-", ord("—"): "-", ord("–"): "-", ord("‐"): "-"})
    return table


def fold(text: str) -> str:
    """Return ``text`` with full-width forms as ASCII, as long as ``text`` (positions kept)."""
    return text.translate(_fold_table())


@dataclass(frozen=True)
class _NumberRules:
    run: re.Pattern[str]  # a run of digits and separators, with a +86 / (0731) prefix and an extension
    label: re.Pattern[str]  # a label just before a run (电话：)
    kinds: tuple[re.Pattern[str], ...]  # what the digits of a private number may be
    extension: re.Pattern[str]


@cache
def _numbers() -> _NumberRules:
    spec = _data()["numbers"]
    sep, ext = spec["separator"], spec["extension"]
    prefix = r"(?:\+\s*|[(]\s*\+?[0-9]{1,4}\s*[)]\s*)?"
    digits = rf"[0-9](?:{sep}{{0,3}}[0-9]|\s*[()]\s*[0-9])*[Xx]?"
    labels = "|".join(re.escape(label) for label in spec["labels"])
    return _NumberRules(
        run=re.compile(rf"(?<![0-9A-Za-z]){prefix}{digits}{ext}?(?![0-9A-Za-z])"),
        label=re.compile(rf"(?:{labels})(?:号码|号)?\s*[:：为是]?\s*$"),
        kinds=tuple(re.compile(kind["regex"]) for kind in spec["kind"]),
        extension=re.compile(rf"{sep}?{ext}|{sep}[0-9]{{1,5}}"),
    )


_GROUP = re.compile(r"[0-9]+[Xx]?")


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p["regex"]) for p in _data()["pattern"])


def private_digits(digits: str) -> bool:
    """Return True when ``digits`` (only digits, perhaps a final X) are a phone or ID number."""
    digits = digits.upper()
    return any(kind.fullmatch(digits) for kind in _numbers().kinds)


def private_number(value: object) -> bool:
    """Return True when a cell's number ``value`` (15869733298, 4.30203199001011e17 …) is a phone or ID."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return False
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or number != number.to_integral_value():
        return False
    return private_digits(f"{number:f}".split(".")[0].lstrip("-"))


def _number_spans(folded: str) -> list[Span]:
    """Return the spans of ``folded`` that are phone or ID numbers, or labelled numbers; a span
    that starts a run takes its prefix (+86, (0731)), one that ends it or is followed by an
    extension takes the rest."""
    rules = _numbers()
    spans = []
    for match in rules.run.finditer(folded):
        if rules.label.search(folded[max(0, match.start() - 12) : match.start()]):
            if sum(c.isdigit() for c in match.group()) >= 5:  # 电话 2234 5678, QQ 123456
                spans.append(match.span())
            continue
        at = match.start()
        groups = [(at + m.start(), at + m.end()) for m in _GROUP.finditer(match.group())]
        for start, end in _private_groups(folded, groups):
            if start == groups[0][0]:
                start = match.start()
            if end == groups[-1][1] or rules.extension.fullmatch(folded[end : match.end()]):
                end = match.end()
            spans.append((start, end))
    return spans


def _private_groups(folded: str, groups: list[Span]) -> list[Span]:
    """Return the spans of the longest runs of consecutive digit ``groups`` that are private numbers
    (an extension after a landline goes with it)."""
    found: list[Span] = []
    i = 0
    while i < len(groups):
        for j in range(len(groups), i, -1):
            digits = "".join(folded[a:b] for a, b in groups[i:j])
            if private_digits(digits):
                found.append((groups[i][0], groups[j - 1][1]))
                i = j
                break
        else:
            i += 1
    return found


@dataclass(frozen=True)
class Redactor:
    """Removes personal data from texts: the kinds of ``data/redaction.toml`` and the given names."""

    names: tuple[str, ...] = ()

    def __call__(self, text: str) -> str:
        """Return ``text`` with phone, ID and e-mail numbers and the names replaced by ＊＊＊."""
        if not text:
            return text
        spans = self.spans(text)
        if not spans:
            return text
        out, at = [], 0
        for start, end in spans:
            out += [text[at:start], replacement()]
            at = end
        out.append(text[at:])
        return "".join(out)

    def spans(self, text: str) -> list[Span]:
        """Return the spans of ``text`` to remove, sorted and merged."""
        folded = fold(text)
        spans = _number_spans(folded)
        for pattern in (*_patterns(), *self._name_patterns()):
            for match in pattern.finditer(folded):
                if match.end() > match.start():
                    spans.append(match.span("value") if "value" in pattern.groupindex else match.span())
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        return [(start, end) for start, end in merged]

    def _name_patterns(self) -> tuple[re.Pattern[str], ...]:
        return _name_patterns(self.names)


@cache
def _name_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """Return the patterns of the names (any gap between their characters) and of labelled names."""
    spec = _data()["names"]
    gap = spec["gap"]
    patterns = [re.compile(gap.join(re.escape(ch) for ch in fold(name))) for name in names]
    labels = "|".join(re.escape(label) for label in spec["labels"])
    # the name ends where the CJK run does, and is not itself a label (填表人：  填报日期：)
    patterns.append(re.compile(rf"(?:{labels})[:：][ ]?(?P<value>{spec['labelled']})(?![\u4e00-\u9fff:：])"))
    return tuple(patterns)


def signer_names(*fields: str | None) -> tuple[str, ...]:
    """Return the names written in the 填表人 / 单位负责人 ``fields``, longest first: split at the
    separators, annotations such as （会计） dropped, single characters spaced apart joined
    (申 婷 → 申婷); names of one character are left out."""
    spec = _data()["names"]
    names = set()
    for raw in fields:
        text = re.sub(spec["annotation"], " ", fold(raw or ""))
        for part in re.split(f"[{re.escape(spec['separators'])}]", text):
            words, pending = part.split(), ""
            if len(words) > 1 and 2 <= len("".join(words)) <= 4:  # 欧阳 娜娜: also the whole name
                names.add("".join(words))
            for word in [*words, ""]:
                if len(word) == 1:
                    pending += word
                    continue
                if len(pending) >= 2:
                    names.add(pending)
                pending = ""
                if len(word) >= 2:
                    names.add(word)
    return tuple(sorted(names, key=len, reverse=True))


def redactor_for(filing: Filing) -> Redactor:
    """Return the redactor of ``filing``: its 填表人 and 单位负责人 names plus the patterns."""
    return Redactor(signer_names(filing.signers.filler, filing.signers.head))
