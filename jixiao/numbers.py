"""Numbers as accountants type them, read into ``Decimal``; rounding is always ROUND_HALF_UP.

Handles full-width digits (１２), thousands separators (1,234.5), money suffixes (38万, 380000元,
1.2亿元 → 万元), percentages (99.04%) and Chinese numerals (两, 十二, 一百五十).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import cache

from jixiao.resources import load_data

ZERO = Decimal(0)
HUNDRED = Decimal(100)
LIMIT = Decimal(10) ** 12  # 万元 or count: anything this large is a typing accident, not a figure
PLACES_KEPT = 6  # decimals kept from typed or float input (万元 to the 0.01 元)

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "万"

_ARABIC = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_MONEY_SUFFIX = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}


def quantize(value: Decimal, places: int = 2) -> Decimal:
    """Return ``value`` rounded half-up to ``places`` decimals (exact for any finite magnitude)."""
    with localcontext() as context:  # the default 28 digits cannot hold an absurd typed figure
        context.prec = max(context.prec, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """Return ``value`` with exactly ``places`` decimals (half-up), or '' for None."""
    if value is None:
        return ""
    return f"{quantize(value, places):.{places}f}"


def fmt_plain(value: Decimal | None) -> str:
    """Return ``value`` without trailing zeros (38, 19.89, 0.5), or '' for None."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_percent(ratio: Decimal | None, places: int = 2) -> str:
    """Return a ratio (0.990430…) as a percentage string ('99.04%'), or '—' for None."""
    if ratio is None:
        return "—"
    return f"{fmt(ratio * HUNDRED, places)}%"


def normalize_text(text: str) -> str:
    """Return ``text`` with full-width forms folded (NFKC) and all white space removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@cache
def _not_applicable() -> frozenset[str]:
    return frozenset(normalize_text(word) for word in load_data("vocabulary.toml")["not_applicable"])


def is_not_applicable(raw: object) -> bool:
    """Return True when ``raw`` is a printed dash or 无 meaning "not applicable" (read as blank)."""
    return isinstance(raw, str) and normalize_text(raw) in _not_applicable()


def chinese_to_decimal(text: str) -> Decimal | None:
    """Return the value of a Chinese numeral (两, 十二, 一百五十, 三千零五, 一万), or None."""
    if not text or any(ch not in CN_NUMERAL_CHARS for ch in text):
        return None
    if text[0] not in _CN_DIGITS and text[0] != "十":  # '万', '百' alone are not numbers
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        else:  # 万
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
    return Decimal(total + section + (digit or 0))


def parse_decimal(text: str) -> Decimal:
    """Return the plain number in ``text`` ('1,234.5', '１２', '十二'); raise ValueError if none."""
    cleaned = normalize_text(text).replace(",", "").replace("，", "")
    if _ARABIC.match(cleaned):
        try:
            value = Decimal(cleaned)
        except InvalidOperation:  # pragma: no cover - the regex admits only valid forms
            raise ValueError(f"{text!r} 不是数字") from None
        return value
    value = chinese_to_decimal(cleaned)
    if value is None:
        raise ValueError(f"“{text}”不是数字")
    return value


def _sane(value: Decimal, raw: object) -> Decimal:
    """Return ``value`` if it is a finite number of sane magnitude; raise ValueError otherwise."""
    if not value.is_finite():
        raise ValueError(f"“{raw}”不是有限的数")
    if abs(value) >= LIMIT:
        raise ValueError(f"“{raw}”数值过大（超过 {LIMIT:,.0f}），请核对单位与位数")
    if value.as_tuple().exponent < -PLACES_KEPT:  # float noise such as 71.97999999999999
        value = value.quantize(Decimal(1).scaleb(-PLACES_KEPT), rounding=ROUND_HALF_UP)
    return value


def parse_amount(raw: object) -> Decimal:
    """Return an amount in 万元 from a number or text ('38', '38万', '380000元'); raise ValueError."""
    return _sane(_parse_amount(raw), raw)


def _cell_number(raw: object, what: str) -> Decimal | None:
    """Return the value of a cell that already holds a number, None for text; reject booleans."""
    if isinstance(raw, bool):
        raise ValueError(f"“{raw}”不是{what}")
    if isinstance(raw, int | Decimal):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    return None


def _parse_amount(raw: object) -> Decimal:
    number = _cell_number(raw, "金额")
    if number is not None:
        return number
    text = normalize_text(str(raw)).replace(",", "")
    if text.endswith("%"):
        raise ValueError(f"“{raw}”是百分比，不是金额")
    for suffix, factor in sorted(_MONEY_SUFFIX.items(), key=lambda kv: -len(kv[0])):
        if text.endswith(suffix) and len(text) > len(suffix):
            return parse_decimal(text[: -len(suffix)]) * factor
    try:
        return parse_decimal(text)
    except ValueError:
        raise ValueError(f"“{raw}”不是金额") from None


def parse_count(raw: object) -> Decimal:
    """Return a head count or plain quantity ('25', '25人', '２５'); raise ValueError."""
    return _sane(_parse_count(raw), raw)


def _parse_count(raw: object) -> Decimal:
    number = _cell_number(raw, "数字")
    if number is not None:
        return number
    text = normalize_text(str(raw)).replace(",", "")
    text = re.sub(r"(人|名|个)$", "", text)
    return parse_decimal(text)


def parse_percent(raw: str) -> tuple[Decimal, int] | None:
    """Return (percentage value, decimal places shown) of '99.04 %' or '96%', else None."""
    text = normalize_text(raw)
    match = re.fullmatch(r"([+-]?\d+(?:\.(\d+))?)%", text)
    if not match:
        return None
    return Decimal(match.group(1)), len(match.group(2) or "")
