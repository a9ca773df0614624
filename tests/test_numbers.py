"""Numbers as typed, and half-up rounding."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.numbers import (
    chinese_to_decimal,
    fmt,
    fmt_percent,
    fmt_plain,
    parse_amount,
    parse_count,
    parse_percent,
    quantize,
)

D = Decimal


def test_half_up_where_float_round_fails():
    assert round(2.675, 2) == 2.67  # the float trap RULES R6 warns about
    assert quantize(D("2.675")) == D("2.68")
    assert quantize(D("9.945")) == D("9.95")
    assert quantize(D("9.945"), 1) == D("9.9")
    assert fmt(D("99.4")) == "99.40"
    assert fmt_percent(D("2681.55") / D("2707.46")) == "99.04%"
    assert fmt_plain(D("19.890")) == "19.89"
    assert fmt_plain(D("38.00")) == "38"


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("38", D(38)),
        ("38万", D(38)),
        ("38万元", D(38)),
        ("380000元", D(38)),
        ("1,234.5", D("1234.5")),
        ("１２", D(12)),
        (" 19.89 ", D("19.89")),
        (7, D(7)),
        (D("0.5"), D("0.5")),
        (2.5, D("2.5")),
        ("1.2亿元", D(12000)),
    ],
)
def test_amounts(raw, value):
    assert parse_amount(raw) == value


@pytest.mark.parametrize("raw", ["abc", "99%", "", "万元", True])
def test_bad_amounts_raise_value_error_with_the_text(raw):
    with pytest.raises(ValueError, match=r"金额|数字|百分比"):
        parse_amount(raw)


def test_counts_and_percents():
    assert parse_count("25人") == D(25)
    assert parse_count("二十六") == D(26)
    assert parse_percent("99.04 %") == (D("99.04"), 2)
    assert parse_percent("96%") == (D(96), 0)
    assert parse_percent("九成") is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("一百五十", 150),
        ("三千零五", 3005),
        ("一万", 10000),
        ("一万二千", 12000),
        ("〇", 0),
    ],
)
def test_chinese_numerals(text, value):
    assert chinese_to_decimal(text) == D(value)


def half_up(value: Fraction, places: int = 2) -> D:
    """Return ``value`` rounded half away from zero to ``places``, in integers only (the test oracle)."""
    scaled = abs(Fraction(value)) * 10**places
    whole = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)  # floor(x + 1/2)
    return D(-whole if value < 0 else whole).scaleb(-places)


def test_the_oracle_rounds_ties_away_from_zero():
    assert [half_up(Fraction(x)) for x in ("2.675", "-2.675", "2.674999", "0.005", "-0.004")] == [
        D("2.68"),
        D("-2.68"),
        D("2.67"),
        D("0.01"),
        D("0.00"),
    ]


@given(
    st.decimals(min_value=-(10**6), max_value=10**6, places=4, allow_nan=False), st.sampled_from([0, 1, 2])
)
def test_quantize_is_exact_half_up(value, places):
    assert quantize(value, places) == half_up(Fraction(value), places)


@pytest.mark.parametrize("raw", ["1e9", "NaN", "Infinity", 1e26, float("nan"), "9999999999999万"])
def test_non_finite_and_absurd_magnitudes_are_refused(raw):
    with pytest.raises(ValueError, match=r"金额|有限|过大"):
        parse_amount(raw)
    with pytest.raises(ValueError):
        parse_count(raw)


def test_float_noise_is_rounded_away():
    assert parse_amount(71.97999999999999) == D("71.980000")
    assert parse_amount(2.2250738585072014e-308) == D(0)


def test_quantize_never_fails_on_magnitude():
    huge = D("2.454779168755374363975378461E+218")
    assert quantize(huge, 0) == huge
    assert fmt_percent(huge, 0).endswith("%")
    assert quantize(D("4.07E-215")) == D("0.00")
