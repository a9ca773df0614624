"""Dates as 年度指标值 and 实际完成值 state them: '2023年6月30日前', '10月底前', '2023年8月', '2023.6.28'.

``find_date(text)`` returns the :class:`DateSpan` a text names (the days it covers, the year when
stated) and where it stands in the text, or a problem when the date cannot exist ('2月30日').
``on_time(actual, deadline, strict)`` tells whether a completion date meets a deadline, comparing
whole dates; a side without a year takes the other side's year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from jixiao.numbers import chinese_to_decimal

_MONTH = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(?P<year>(?:19|20)\d{2})年)?"
_PART = r"(?P<part>底|末|初|上旬|中旬|下旬)?"
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])"

# the forms people type, most specific first; each names the groups it fills
_FORMS = (
    re.compile(r"(?P<year>(?:19|20)\d{2})[-./](?P<month>1[0-2]|0?[1-9])[-./]" + _DAY + r"(?!\d)"),
    re.compile(r"(?P<year>(?:19|20)\d{2})[-./](?P<month>1[0-2]|0?[1-9])(?=$|[前底末完之以止]|月)"),
    re.compile(_YEAR + _MONTH + r"月" + _DAY + r"[日号]"),
    re.compile(_YEAR + _MONTH + r"(?<!个)月(?!(?:内|以内|之内))" + _PART),
    re.compile(r"(?P<year>(?:19|20)\d{2})?年?(?P<half>上半年|下半年|年中|年底|年末)"),
    re.compile(r"(?P<year>(?:19|20)\d{2})?年?第?(?P<quarter>[一二三四1-4])季度"),
    re.compile(r"(?P<year>(?:19|20)\d{2})年(?P<yearpart>底|末|内|前|度)?"),
)
_PARTS = {"初": (1, 10), "上旬": (1, 10), "中旬": (11, 20)}  # 月初 read as the first ten days


@dataclass(frozen=True)
class DateSpan:
    """The days a date text covers: from (first_month, first_day) to (last_month, last_day)."""

    year: int | None
    first: tuple[int, int]
    last: tuple[int, int]
    start: int = 0  # where the date stands in the text
    end: int = 0
    problem: str | None = None  # why the date cannot exist ('2月30日')

    def describe(self) -> str:
        """Return the span as '2023年6月30日' (its last day) for an explanation."""
        year = f"{self.year}年" if self.year else ""
        return f"{year}{self.last[0]}月{self.last[1]}日"

    def describe_first(self) -> str:
        """Return the span's first day as '2023年8月1日' (a completion is dated by its start)."""
        year = f"{self.year}年" if self.year else ""
        if self.first == self.last:
            return f"{year}{self.first[0]}月{self.first[1]}日"
        if self.first[0] == self.last[0]:
            return f"{year}{self.first[0]}月"
        return f"{year}{self.first[0]}月—{self.last[0]}月"


def _month(text: str) -> int:
    return int(text) if text.isdigit() else int(chinese_to_decimal(text) or 0)


def _last_day(year: int | None, month: int) -> int:
    return calendar.monthrange(year or 2001, month)[1]  # without a year February has 28 days


def _span(match: re.Match[str]) -> DateSpan:
    groups = {k: v for k, v in match.groupdict().items() if v}
    year = int(groups["year"]) if "year" in groups else None
    where = {"start": match.start(), "end": match.end()}
    if "half" in groups:
        first, last = {
            "上半年": ((1, 1), (6, 30)),
            "年中": ((6, 30), (6, 30)),
            "下半年": ((7, 1), (12, 31)),
        }.get(groups["half"], ((12, 31), (12, 31)))
        return DateSpan(year, first, last, **where)
    if "quarter" in groups:
        q = _month(groups["quarter"])
        return DateSpan(year, (3 * q - 2, 1), (3 * q, _last_day(year, 3 * q)), **where)
    if "month" not in groups:
        part = groups.get("yearpart", "")
        if part in ("底", "末"):
            return DateSpan(year, (12, 31), (12, 31), **where)
        return DateSpan(year, (1, 1), (12, 31), **where)
    month = _month(groups["month"])
    last = _last_day(year, month)
    if "day" in groups:
        day = int(groups["day"])
        if day > last and not (month == 2 and day == 29 and year is None):
            return DateSpan(year, (month, 1), (month, last), problem=f"{month}月没有{day}日", **where)
        return DateSpan(year, (month, day), (month, day), **where)
    part = groups.get("part")
    if part in ("底", "末"):
        return DateSpan(year, (month, last), (month, last), **where)
    if part == "下旬":
        return DateSpan(year, (month, 21), (month, last), **where)
    if part in _PARTS:
        first_day, last_day = _PARTS[part]
        return DateSpan(year, (month, first_day), (month, last_day), **where)
    return DateSpan(year, (month, 1), (month, last), **where)


def find_date(text: str) -> DateSpan | None:
    """Return the first date ``text`` names (normalised text: no spaces, half-width digits), or None."""
    best: re.Match[str] | None = None
    for form in _FORMS:
        match = form.search(text)
        if match and (best is None or match.start() < best.start()):
            best = match
    return _span(best) if best else None


def on_time(actual: DateSpan, deadline: DateSpan, strict: bool = False) -> bool:
    """Return True when ``actual`` (dated by its first day) is within ``deadline``.

    ``strict`` is 'before' without the stated day ('6月30日前' met only by 6月29日).
    """
    year_a = actual.year or deadline.year or 0
    year_d = deadline.year or actual.year or 0
    done = (year_a, *actual.first)
    if strict:
        return done < (year_d, *deadline.first)
    return done <= (year_d, *deadline.last)
