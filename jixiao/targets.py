"""Reading 年度指标值 and 实际完成值 texts (RULES.md §3 R8): operator, number, unit and period.

``parse_target('一年两次以上')`` gives ≥ 2 次 a year, ``parse_target('每月一次')`` ≥ 12 次 a year,
``parse_target('每月10日之前')`` a deadline of day 10 each month, ``parse_target('无老干部上访事件')``
a zero target. A text with no number becomes qualitative; nothing here raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from jixiao.dates import DateSpan, find_date
from jixiao.numbers import CN_NUMERAL_CHARS, chinese_to_decimal, fmt_plain, is_not_applicable, normalize_text
from jixiao.taxonomy import target_vocabulary

QUANTITATIVE = "quantitative"
QUALITATIVE = "qualitative"
ZERO = "zero"  # "无X事件", "零事故": 反向 with T = 0
DEADLINE = "deadline"  # "每月10日之前": a day of each month
DATE = "date"  # "2023年6月30日前", "10月底前": a whole date
UNREADABLE = "unreadable"  # "l00%", "1O0%": damaged by typing or OCR; left to manual review
MISSING = "missing"

ACHIEVED, PARTIAL, MISSED = "达成", "部分达成", "未达成"

OP_SYMBOL = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


@dataclass(frozen=True)
class Target:
    """A parsed 年度指标值. ``op`` is None when the text states none (the 二级 default applies)."""

    text: str
    kind: str
    op: str | None = None
    value: Decimal | None = None  # annualised for a frequency ('每月一次' → 12)
    unit: str | None = None
    per: str | None = None  # the period word of a frequency or deadline ('每月')
    per_value: Decimal | None = None  # the number as stated per period
    problem: str | None = None  # why the text could not be read as a number (then qualitative)
    before: bool = False  # a deadline stated with 之前/以前/前 (policy.before_inclusive reads it)
    op_text: str | None = None  # the operator as typed ('不低于', '≥', '以上')
    op_weak: bool = False  # '为', '达到': the indicator's name wins over it
    date: DateSpan | None = None  # the deadline of a DATE target
    bare_wan: bool = False  # '2万' without 元: 万元 in a money context, ×10000 beside a count

    @property
    def is_deadline(self) -> bool:
        """Return True for a deadline: a day of each month or a whole date."""
        return self.kind in (DEADLINE, DATE)

    @property
    def is_duration(self) -> bool:
        """Return True for a duration ('三个工作日', '2小时'): lower is better."""
        return self.kind == QUANTITATIVE and self.unit in _words().duration_units

    def describe(self, op: str | None = None) -> str:
        """Return a short Chinese reading of the target, e.g. '≥12次/年（每月一次）'."""
        op = op or self.op
        if self.kind == QUALITATIVE:
            return "定性"
        if self.kind == UNREADABLE:
            return f"“{self.text.strip()}”"
        if self.kind == DATE and self.date is not None:
            return f"{self.date.describe()}{'前' if op in ('<=', '<', None) else ''}"
        if self.kind == MISSING:
            return "未填"
        if self.kind == ZERO:
            return "=0（不发生）"
        if self.kind == DEADLINE:
            return f"{self.per}{fmt_plain(self.value)}{self.unit}{'之前' if op == '<=' else ''}"
        text = f"{OP_SYMBOL.get(op or '', '')}{fmt_plain(self.value)}{self.unit or ''}"
        if self.per and self.per_value is not None and self.value != self.per_value:
            text += f"/年（{self.per}{fmt_plain(self.per_value)}{self.unit or ''}）"
        return text


@dataclass(frozen=True)
class Actual:
    """A parsed 实际完成值: a number with its unit, a tier word, 'nothing happened', or free text."""

    text: str
    kind: str  # number | tier | date | none | text | missing
    value: Decimal | None = None
    unit: str | None = None
    tier: str | None = None
    date: DateSpan | None = None  # a completion date ('2023年8月')
    bare_wan: bool = False


# ------------------------------------------------------------------ vocabulary


@dataclass(frozen=True)
class _Words:
    prefix_ops: tuple[tuple[str, str], ...]
    suffix_ops: tuple[tuple[str, str], ...]
    frequency: tuple[tuple[str, Decimal], ...]
    units: tuple[tuple[str, str, Decimal], ...]  # typed, normalised, factor
    count_units: frozenset[str]
    duration_units: frozenset[str]
    multipliers: tuple[tuple[str, Decimal], ...]
    weak_ops: frozenset[str]
    qual_prefixes: tuple[tuple[str, str], ...]
    degree_scales: tuple[tuple[str, ...], ...]
    scales: tuple[tuple[str, ...], ...]
    zero_prefixes: tuple[str, ...]
    qualitative: tuple[str, ...]
    tiers: tuple[tuple[str, str], ...]
    none_words: frozenset[str]
    shortfall: tuple[str, ...]
    before: tuple[str, ...]


def _longest_first(pairs):
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


@cache
def _words() -> _Words:
    vocab = target_vocabulary()
    ops = vocab["operators"]
    prefix = [
        (w, o)
        for key, o in (
            ("prefix_ge", ">="),
            ("prefix_gt", ">"),
            ("prefix_le", "<="),
            ("prefix_lt", "<"),
            ("prefix_eq", "="),
        )
        for w in ops[key]
    ]
    suffix = [(w, ">=") for w in ops["suffix_ge"]] + [(w, "<=") for w in ops["suffix_le"]]
    units_cfg = vocab["units"]
    aliases = units_cfg["aliases"]
    units = [(u, "万元", Decimal(f)) for u, f in units_cfg["money"].items()]
    units += [(u, aliases.get(u, u), Decimal(1)) for u in units_cfg["plain"]]
    tiers = vocab["tiers"]
    tier_pairs = (
        [(w, ACHIEVED) for w in tiers["achieved"]]
        + [(w, PARTIAL) for w in tiers["partial"]]
        + [(w, MISSED) for w in tiers["missed"]]
    )
    return _Words(
        prefix_ops=_longest_first(prefix),
        suffix_ops=_longest_first(suffix),
        frequency=_longest_first((w, Decimal(f)) for w, f in vocab["frequency"].items()),
        units=tuple(sorted(units, key=lambda u: -len(u[0]))),
        count_units=frozenset(units_cfg["count_units"]),
        duration_units=frozenset(units_cfg["duration"]),
        multipliers=tuple((w, Decimal(f)) for w, f in units_cfg["multipliers"].items()),
        weak_ops=frozenset(ops["weak"]),
        qual_prefixes=_longest_first(
            (w, tier)
            for key, tier in (("achieved", ACHIEVED), ("partial", PARTIAL), ("missed", MISSED))
            for w in vocab["qualitative"]["prefixes"][key]
        ),
        scales=tuple(tuple(scale) for scale in vocab["qualitative"]["scales"]["lists"]),
        degree_scales=tuple(tuple(scale) for scale in vocab["qualitative"]["scales"]["degrees"]),
        zero_prefixes=tuple(sorted(vocab["zero_target"]["prefixes"], key=len, reverse=True)),
        qualitative=tuple(vocab["qualitative"]["words"]),
        tiers=_longest_first(tier_pairs),
        none_words=frozenset(tiers["none"]),
        shortfall=tuple(tiers["shortfall"]),
        before=tuple(ops["before"]),
    )


_NUMBER = re.compile(
    r"(?P<arabic>(?<![\d.])-?\d+(?:\.\d+)?)|(?P<cn>[零〇一二两三四五六七八九十][" + CN_NUMERAL_CHARS + r"]*)"
)


@dataclass(frozen=True)
class _Number:
    value: Decimal
    start: int
    end: int  # after the number and its unit
    unit: str | None
    factor: Decimal
    bare_wan: bool = False  # the unit was 万 (or 亿) alone, not 万元


def _find_number(text: str) -> _Number | None:
    """Return the first number in ``text`` with the unit right after it (arabic preferred)."""
    candidates = list(_NUMBER.finditer(text))
    arabic = [m for m in candidates if m.group("arabic")]
    for match in arabic or candidates:
        if match.group("arabic"):
            value = Decimal(match.group("arabic"))
        else:
            raw = match.group("cn")
            # a trailing 万 after a Chinese numeral is a money unit only when nothing else follows
            value = chinese_to_decimal(raw)
            if value is None:
                continue
        unit, factor, end = _unit_at(text, match.end())
        if match.group("cn") and unit is None and match.end() < len(text):
            continue  # '一般', '一是': a Chinese numeral counts only with a unit or at the end
        bare = unit == "万元" and text[match.end() : end] in ("万", "亿")
        return _Number(value, match.start(), end, unit, factor, bare)
    return None


def _unit_at(text: str, pos: int) -> tuple[str | None, Decimal, int]:
    for word, multiplier in _words().multipliers:  # '2万册', '1.5万人次': a multiplied count
        if text.startswith(word, pos):
            unit, factor, end = _plain_unit_at(text, pos + len(word))
            if unit is not None and unit != "%":
                return unit, factor * multiplier, end
    return _plain_unit_at(text, pos)


def _plain_unit_at(text: str, pos: int) -> tuple[str | None, Decimal, int]:
    for typed, unit, factor in _words().units:
        if text.startswith(typed, pos):
            return unit, factor, pos + len(typed)
    # '三个工作日': a measure word 个 before the unit
    if text.startswith("个", pos):
        for typed, unit, factor in _words().units:
            if text.startswith(typed, pos + 1):
                return unit, factor, pos + 1 + len(typed)
    return None, Decimal(1), pos


def _frequency(text: str) -> tuple[str, Decimal, str] | None:
    """Return (period word, factor, text without it) when ``text`` holds a period word."""
    for word, factor in _words().frequency:
        index = text.find(word)
        if index >= 0:
            return word, factor, text[:index] + text[index + len(word) :]
    return None


def _prefix_op(before: str) -> tuple[str, str] | None:
    """Return (operator, the word as typed) ending ``before``, or None."""
    for word, op in _words().prefix_ops:
        if before.endswith(word):
            return op, word
    return None


def _suffix_op(after: str) -> tuple[str, str] | None:
    """Return (operator, the word as typed) starting ``after``, or None."""
    for word, op in _words().suffix_ops:
        if after.startswith(word):
            return op, word
    return None


def _op_fields(found: tuple[str, str] | None) -> dict[str, object]:
    """Return the Target fields of an operator found in the text."""
    if found is None:
        return {}
    op, word = found
    return {"op": op, "op_text": word, "op_weak": word in _words().weak_ops}


# a digit beside a letter that looks like one ('l00%', '1O0%', '2OO人'), a stray mark, a number with
# two decimal points ('0.0.5') or a date that cannot exist ('13月', '32日'): typing or OCR damage
_DAMAGED = re.compile(
    r"(?<![A-Za-z])[\dOoIl]*(?:\d[OoIl]|[OoIl]\d)[\dOoIl]*(?![A-Za-z])|[?？�□■]"
    r"|(?<![\d.])(?!(?:19|20)\d\d\.\d{1,2}\.\d{1,2}(?!\d))\d+\.\d+\.\d"
)
_BAD_DATE = re.compile(
    r"(?<!\d)(?:1[3-9]|[2-9]\d|0)月(?!份?(?:内|以内|之内))|(?<![\d.])(?:3[2-9]|[4-9]\d|0)[日号]"
)


# ------------------------------------------------------------------ targets

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CN_PERCENT = re.compile(r"百分之([零〇一二两三四五六七八九十百点]+)")


def _clean(raw: str) -> str:
    """Return the text normalised for reading: NFKC, no spaces, '百分之九十五' as '95%'."""

    def percent(match: re.Match[str]) -> str:
        whole, _, frac = match.group(1).partition("点")
        value = Decimal(100) if whole == "百" else chinese_to_decimal(whole)
        if value is None:
            return match.group(0)
        digits = "".join(str(chinese_to_decimal(c) or 0) for c in frac)
        return f"{fmt_plain(value)}{'.' + digits if digits else ''}%"

    text = _THOUSANDS.sub("", normalize_text(raw))  # '1,000人': a thousands separator
    return _CN_PERCENT.sub(percent, text)


def parse_target(text: str | None) -> Target:
    """Return the reading of a 年度指标值 text; text without a number becomes a qualitative target."""
    raw = "" if text is None else str(text)
    cleaned = _clean(raw)
    if not cleaned:
        return Target(raw, MISSING)
    words = _words()
    if _DAMAGED.search(cleaned) and re.search(r"\d", cleaned):
        return Target(raw, UNREADABLE, problem=f"年度指标值“{raw.strip()}”中有疑似录入或识别错误的字符")
    if _BAD_DATE.search(cleaned) and not re.search(r"个月|月份", cleaned):
        return Target(raw, UNREADABLE, problem=f"年度指标值“{raw.strip()}”中的日期不存在")
    for prefix in words.zero_prefixes:
        if cleaned.startswith(prefix) and not re.search(r"\d", cleaned) and len(cleaned) > len(prefix):
            return Target(raw, ZERO, op="<=", value=Decimal(0), op_text=prefix)
    if cleaned in ("0", "零"):
        return Target(raw, ZERO, op="<=", value=Decimal(0), op_weak=True)  # a bare 0: the name decides

    freq = _frequency(cleaned)
    if freq:
        word, factor, rest = freq
        number = _find_number(rest)
        if number and number.unit in words.count_units:
            found = _prefix_op(rest[: number.start]) or _suffix_op(rest[number.end :])
            return Target(
                raw,
                QUANTITATIVE,
                value=number.value * factor,
                unit=number.unit,
                per=word,
                per_value=number.value,
                **({"op": ">="} | _op_fields(found)),  # type: ignore[arg-type]
            )
        if number and number.unit in ("日", "月") and word == "每月":
            found = _suffix_op(rest[number.end :]) or _prefix_op(rest[: number.start])
            before = rest[number.end :].startswith(words.before)
            return Target(
                raw,
                DEADLINE,
                value=number.value,
                unit=number.unit,
                per=word,
                per_value=number.value,
                before=before,
                **({"op": "<="} | _op_fields(found)),  # type: ignore[arg-type]
            )

    date = _date_target(raw, cleaned)
    if date is not None:
        return date
    year = _YEAR_PREFIX.match(cleaned)
    if year and _find_number(cleaned[year.end() :]):
        cleaned = cleaned[year.end() :]  # '2023年完成培训100人': the year is not the target
    symbol = re.search(r"[≥≤<>=≧≦═]", cleaned)
    if symbol and symbol.start() > 0 and _find_number(cleaned[symbol.start() :]):
        cleaned = cleaned[symbol.start() :]  # 'PM2.5浓度≤35': the number the operator states
    number = _find_number(cleaned)
    if number is None:
        if any(w in cleaned for w in words.qualitative):
            return Target(raw, QUALITATIVE)
        return Target(raw, QUALITATIVE, problem=f"年度指标值“{raw.strip()}”中没有可计量的数值")
    found = _prefix_op(cleaned[: number.start]) or _suffix_op(cleaned[number.end :])
    fields = _op_fields(found)
    rest = cleaned[number.end :]
    if re.match(r"^[-~～—至到]\d", rest) and "op" not in fields:  # a range '90%-100%': the lower bound
        fields = {"op": ">=", "op_text": "区间下限"}
    return Target(
        raw,
        QUANTITATIVE,
        value=number.value * number.factor,
        unit=number.unit,
        bare_wan=number.bare_wan,
        **fields,  # type: ignore[arg-type]
    )


_YEAR_PREFIX = re.compile(r"^(?:全年|年度)?(?:19|20)\d{2}年度?")


def _date_target(raw: str, cleaned: str) -> Target | None:
    """Return a DATE target when the text is a deadline date ('2023年6月30日前'), else None."""
    if not re.search(r"[年月季]|\d[-./]\d", cleaned):
        return None
    date = find_date(cleaned)
    if date is None:
        return None
    rest = cleaned[: date.start] + cleaned[date.end :]
    number = _find_number(rest)
    if number is not None and number.unit is not None:
        return None  # '2023年完成培训100人': a count in a year, not a deadline
    if date.problem:
        return Target(raw, UNREADABLE, problem=f"年度指标值“{raw.strip()}”中的日期不存在（{date.problem}）")
    after = cleaned[date.end :]
    before = after.startswith(_words().before)
    found = _suffix_op(after) or _prefix_op(cleaned[: date.start])
    return Target(raw, DATE, date=date, before=before, **({"op": "<="} | _op_fields(found)))  # type: ignore[arg-type]


# ------------------------------------------------------------------ actual values


def tier_of(text: str | None) -> str | None:
    """Return the tier (达成 / 部分达成 / 未达成) a free text names, or None."""
    if not text:
        return None
    cleaned = normalize_text(text)
    for word, tier in _words().tiers:
        if cleaned == word:
            return tier
    for word, tier in _words().tiers:
        if len(word) >= 2 and cleaned.startswith(word):
            return tier
    return None


def _scale_word(text: str, scale: tuple[str, ...]) -> tuple[str, int] | None:
    """Return (the text before it, rank) of the longest word of ``scale`` ending ``text``."""
    best = None
    for rank, word in enumerate(scale):
        if text.endswith(word) and (best is None or len(word) > len(scale[best])):
            best = rank
    return None if best is None else (text[: len(text) - len(scale[best])], best)


def _tier_by_rank(target_rank: int, actual_rank: int, size: int) -> str:
    """Return the tier of an actual ranked against the target on a scale of ``size`` words, best first."""
    if actual_rank <= target_rank:
        return ACHIEVED
    return MISSED if actual_rank == size - 1 else PARTIAL


def _same_word(core: str, target: str) -> bool:
    return core == target or (len(core) >= 2 and (target.endswith(core) or core.endswith(target)))


def relative_tier(target: str | None, actual: str | None) -> str | None:
    """Return the tier an actual word names against the target's word (RULES §5a), or None.

    完善/完善 and 已建立/建立 are 达成, 基本健全/健全 部分达成, 未建立/建立 未达成; on a tier scale
    (优良中差, 高中低 …) an actual at or above the target's word is 达成, the last word 未达成.
    """
    t, a = normalize_text(target or "").rstrip("。.；;"), normalize_text(actual or "").rstrip("。.；;")
    if not t or not a or re.search(r"\d", t + a):
        return None
    if a == t or (len(a) >= 2 and t.endswith(a)):
        return ACHIEVED
    words = _words()
    for scale in words.scales:
        on_target, on_actual = _scale_word(t, scale), _scale_word(a, scale)
        if on_target and on_actual and (on_actual[0] in ("", on_target[0])):
            return _tier_by_rank(on_target[1], on_actual[1], len(scale))
    for scale in words.degree_scales:  # 明显提升 → 有所提升: a weaker degree of the same change
        on_target, on_actual = _degree(t, scale), _degree(a, scale)
        if on_target and on_actual and on_target[0] == on_actual[0]:
            return _tier_by_rank(on_target[1], on_actual[1], len(scale))
    for word, tier in words.qual_prefixes:
        if a.startswith(word) and _same_word(a[len(word) :], t):
            return tier
    if len(t) == 1 and a.startswith(t) and len(a) == 2:  # 优 / 优秀, 好 / 好的
        return ACHIEVED
    return None


def _degree(text: str, scale: tuple[str, ...]) -> tuple[str, int] | None:
    """Return (the word after it, rank) of the degree word of ``scale`` that ``text`` starts with."""
    for rank, word in sorted(enumerate(scale), key=lambda p: -len(p[1])):
        if text.startswith(word) and len(text) > len(word):
            return text[len(word) :], rank
    return None


def parse_actual(text: str | None) -> Actual:
    """Return the reading of a 实际完成值 text."""
    raw = "" if text is None else str(text)
    cleaned = _clean(raw)
    if not cleaned or (is_not_applicable(cleaned) and cleaned not in _words().none_words):
        return Actual(raw, "missing")  # a printed dash ('/', '—') is a blank
    words = _words()
    if cleaned in words.none_words:
        return Actual(raw, "none", value=Decimal(0))
    tier = tier_of(cleaned)
    if tier is not None and not re.search(r"\d", cleaned):
        return Actual(raw, "tier", tier=tier)
    if re.search(r"[年月季]|\d[-./]\d", cleaned):
        date = find_date(cleaned)
        rest = _find_number(cleaned[: date.start] + cleaned[date.end :]) if date else None
        if date is not None and (rest is None or rest.unit is None):
            return Actual(raw, "date", date=date)
    freq = _frequency(cleaned)
    if freq:
        _word, factor, rest = freq
        number = _find_number(rest)
        if number and number.unit in words.count_units:
            return Actual(raw, "number", value=number.value * factor, unit=number.unit)
    number = _find_number(cleaned)
    if number is not None and re.fullmatch(r"\D{0,6}", cleaned[: number.start]):
        value = number.value * number.factor
        return Actual(raw, "number", value=value, unit=number.unit, bare_wan=number.bare_wan)
    if tier is not None:
        return Actual(raw, "tier", tier=tier)
    return Actual(raw, "text")


def says_shortfall(reason: str | None) -> bool:
    """Return True when a 偏差原因 text says the target was missed ('疫情影响未能开展活动')."""
    if not reason:
        return False
    cleaned = normalize_text(reason)
    return any(word in cleaned for word in _words().shortfall)


def is_count_unit(unit: str | None) -> bool:
    """Return True for units that count things (人, 次, 篇 …)."""
    return unit in _words().count_units


def units_compatible(target_unit: str | None, actual_unit: str | None) -> bool:
    """Return True when the two units can be compared (equal, one missing, or both counts)."""
    if target_unit is None or actual_unit is None or target_unit == actual_unit:
        return True
    return is_count_unit(target_unit) and is_count_unit(actual_unit)
