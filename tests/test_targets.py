"""The target parser (RULES §3 R8) on every seed target and the edge cases people type."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.targets import (
    ACHIEVED,
    DATE,
    DEADLINE,
    MISSED,
    MISSING,
    PARTIAL,
    QUALITATIVE,
    QUANTITATIVE,
    UNREADABLE,
    ZERO,
    parse_actual,
    parse_target,
    relative_tier,
    says_shortfall,
    tier_of,
)

D = Decimal

# (text, kind, operator (None = the 二级 default applies), value, unit) — RULES §3 R8 seed table first.
SEED_TARGETS = [
    ("100%", QUANTITATIVE, None, D(100), "%"),
    ("一年两次以上", QUANTITATIVE, ">=", D(2), "次"),
    ("每月一次", QUANTITATIVE, ">=", D(12), "次"),
    ("参加率达 100%", QUANTITATIVE, ">=", D(100), "%"),
    ("每月 10 日之前", DEADLINE, "<=", D(10), "日"),
    ("申报资料三个工作日上报财政", QUANTITATIVE, None, D(3), "工作日"),
    ("无老干部上访事件", ZERO, "<=", D(0), None),
    ("网上正能量发帖宣传不少于 150 篇", QUANTITATIVE, ">=", D(150), "篇"),
    ("264人", QUANTITATIVE, None, D(264), "人"),
    ("38万", QUANTITATIVE, None, D(38), "万元"),
    ("按时按计划开展", QUALITATIVE, None, None, None),
]

MORE_TARGETS = [
    ("≥90%", QUANTITATIVE, ">=", D(90), "%"),
    (">=95%", QUANTITATIVE, ">=", D(95), "%"),
    ("≤5%", QUANTITATIVE, "<=", D(5), "%"),
    ("不超过20万元", QUANTITATIVE, "<=", D(20), "万元"),
    ("控制在38万元以内", QUANTITATIVE, "<=", D(38), "万元"),
    ("380000元", QUANTITATIVE, None, D(38), "万元"),
    ("1.2亿元", QUANTITATIVE, None, D(12000), "万元"),
    ("１２次", QUANTITATIVE, None, D(12), "次"),
    ("每季度一次", QUANTITATIVE, ">=", D(4), "次"),
    ("每周2次", QUANTITATIVE, ">=", D(104), "次"),
    ("全年开展培训十二期", QUANTITATIVE, ">=", D(12), "期"),
    ("3个工作日内", QUANTITATIVE, "<=", D(3), "工作日"),
    ("高于80%", QUANTITATIVE, ">", D(80), "%"),
    ("低于3次", QUANTITATIVE, "<", D(3), "次"),
    ("90%-100%", QUANTITATIVE, ">=", D(90), "%"),
    ("零事故", ZERO, "<=", D(0), None),
    ("杜绝安全事故", ZERO, "<=", D(0), None),
    ("0", ZERO, "<=", D(0), None),
    ("服务质量明显提升", QUALITATIVE, None, None, None),
    ("=12个", QUANTITATIVE, "=", D(12), "个"),  # as the 一体化 system exports targets
    ("═100%", QUANTITATIVE, "=", D(100), "%"),  # how scanned tables print =
    ("≧95%", QUANTITATIVE, ">=", D(95), "%"),
    ("95%(含)以上", QUANTITATIVE, ">=", D(95), "%"),
    ("不低于百分之九十", QUANTITATIVE, ">=", D(90), "%"),
    ("2万册", QUANTITATIVE, None, D(20000), "册"),  # 万 before a count multiplies it
    ("1.5万人次", QUANTITATIVE, None, D(15000), "人次"),
    ("3千份", QUANTITATIVE, None, D(3000), "份"),
    ("≥90分", QUANTITATIVE, ">=", D(90), "分"),
    ("2023年完成培训100人", QUANTITATIVE, None, D(100), "人"),  # the year is not the target
    ("2023年6月30日前", DATE, "<=", None, None),
    ("10月底前", DATE, "<=", None, None),
    ("l00%", UNREADABLE, None, None, None),  # the letter l for the digit 1
    ("2月30日前", UNREADABLE, None, None, None),  # a date that does not exist
    ("控制在预算范围内", QUALITATIVE, None, None, None),
    ("", MISSING, None, None, None),
    ("   ", MISSING, None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "op", "value", "unit"), SEED_TARGETS + MORE_TARGETS)
def test_target_reading(text, kind, op, value, unit):
    target = parse_target(text)
    assert (target.kind, target.op, target.value, target.unit) == (kind, op, value, unit)


def test_frequency_keeps_the_stated_period():
    target = parse_target("每月一次")
    assert (target.per, target.per_value) == ("每月", D(1))
    assert target.describe() == "≥12次/年（每月1次）"


def test_unparseable_text_becomes_qualitative_with_a_reason_not_an_exception():
    target = parse_target("见附件")
    assert target.kind == QUALITATIVE
    assert "没有可计量的数值" in target.problem
    assert parse_target("按时按计划开展").problem is None  # a qualitative word: no complaint


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit", "tier"),
    [
        ("2 次", "number", D(2), "次", None),
        ("11次", "number", D(11), "次", None),
        ("180", "number", D(180), None, None),
        ("19.89万", "number", D("19.89"), "万元", None),
        ("264人", "number", D(264), "人", None),
        ("100%", "number", D(100), "%", None),
        ("完成12次", "number", D(12), "次", None),
        ("每月一次", "number", D(12), "次", None),
        ("按时", "tier", None, None, ACHIEVED),
        ("达到预期目标", "tier", None, None, ACHIEVED),
        ("基本完成", "tier", None, None, PARTIAL),
        ("未完成", "tier", None, None, MISSED),
        ("无", "none", D(0), None, None),
        ("", "missing", None, None, None),
        ("见附件说明", "text", None, None, None),
    ],
)
def test_actual_reading(text, kind, value, unit, tier):
    actual = parse_actual(text)
    assert (actual.kind, actual.value, actual.unit, actual.tier) == (kind, value, unit, tier)


def test_tier_words_and_shortfall_reasons():
    assert tier_of("部分达成年度指标并具有一定效果") == PARTIAL
    assert tier_of("未达成年度指标且效果较差") == MISSED
    assert tier_of("一些别的话") is None
    assert says_shortfall("疫情影响未能开展活动")
    assert not says_shortfall("按计划完成")
    assert not says_shortfall(None)


@given(st.text(max_size=40))
def test_the_parsers_never_raise(text):
    target = parse_target(text)
    assert target.kind in (QUANTITATIVE, QUALITATIVE, ZERO, DEADLINE, DATE, UNREADABLE, MISSING)
    assert parse_actual(text).kind in ("number", "tier", "none", "text", "missing")


@given(st.integers(min_value=0, max_value=99999), st.sampled_from(["次", "篇", "人", "%", "万元"]))
def test_a_number_with_a_unit_reads_back(number, unit):
    target = parse_target(f"不少于{number}{unit}")
    assert (target.op, target.value, target.unit) == (">=", D(number), unit)
    wide = str(number).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    assert parse_actual(f"{wide}{unit}").value == D(number)


@pytest.mark.parametrize(
    ("text", "year", "last"),
    [
        ("2023年6月30日前", 2023, (6, 30)),
        ("10月底前", None, (10, 31)),
        ("2024年2月底前", 2024, (2, 29)),  # a leap year's February
        ("年底前", None, (12, 31)),
        ("第三季度前", None, (9, 30)),
        ("2023.12.31前", 2023, (12, 31)),
        ("十月底前完成", None, (10, 31)),
    ],
)
def test_a_deadline_is_read_as_a_whole_date(text, year, last):
    target = parse_target(text)
    assert target.kind == DATE and target.date is not None
    assert (target.date.year, target.date.last) == (year, last)


@pytest.mark.parametrize(
    ("target", "actual", "tier"),
    [
        ("完善", "完善", ACHIEVED),
        ("建立", "已建立", ACHIEVED),
        ("提高", "有所提高", ACHIEVED),
        ("健全", "基本健全", PARTIAL),
        ("建立", "未建立", MISSED),
        ("高", "较高", PARTIAL),
        ("高", "低", MISSED),
        ("好", "一般", PARTIAL),
        ("优", "优", ACHIEVED),
        ("良", "优", ACHIEVED),  # above the target's word
        ("群众满意度高", "较高", PARTIAL),
        ("有效", "无效", MISSED),
        ("完善", "正在推进", None),  # a word no scale knows: left to the accountant
    ],
)
def test_a_qualitative_actual_is_read_against_the_target_word(target, actual, tier):
    assert relative_tier(target, actual) == tier
