"""The worksheet functions, called as plain Python the way Excel calls them (numbers as floats)."""

from __future__ import annotations

import pytest

from jixiao.udf.functions import (
    JX_CQ_SCORE,
    JX_EXEC_SCORE,
    JX_GRADE,
    JX_PARSE,
    JX_SC_SCORE,
    JX_SCORE,
    NA_ERROR,
    VALUE_ERROR,
)


@pytest.mark.parametrize(
    ("target", "actual", "weight", "mode", "expected"),
    [
        ("≥12次", "11次", 6, None, 5.5),  # the seed's 11 of 12 monthly activities
        ("每月一次", "11次", 6.0, None, 5.5),
        (12.0, 11.0, 6.0, None, 5.5),  # number cells arrive as floats
        ("≥95%", "96%", 5, "正向", 5.0),
        ("12次", "12次", 6, "", 6.0),  # an empty mode cell means 自动
        ("良好", "达成", 5, None, 5.0),
    ],
)
def test_jx_score(target, actual, weight, mode, expected):
    assert JX_SCORE(target, actual, weight, mode) == expected


@pytest.mark.parametrize(
    ("name", "level2", "expected"),
    [
        ("三公经费控制率", None, 6.0),  # 反向 by its name: 88% ≤ 100%
        (None, "成本指标", 6.0),  # 反向 by the 二级
        ("培训覆盖率", None, 5.28),  # 正向: 88/100×6
    ],
)
def test_jx_score_takes_the_direction_from_the_name_and_the_level2(name, level2, expected):
    assert JX_SCORE("100%", "88%", 6, None, name, level2) == expected


@pytest.mark.parametrize(
    ("weight", "mode"), [("abc", None), (None, None), (0, None), (-3, None), (6, "随便"), (True, None)]
)
def test_jx_score_bad_arguments_give_value_error(weight, mode):
    assert JX_SCORE("≥12次", "11次", weight, mode) == VALUE_ERROR


def test_jx_exec_score():
    assert JX_EXEC_SCORE(100, 99.04) == 9.9
    assert JX_EXEC_SCORE("100万", "99.04万") == 9.9
    assert JX_EXEC_SCORE(100, 120, 20) == 20.0  # over 100% counts as 100%
    assert JX_EXEC_SCORE(0, 0) == NA_ERROR  # nothing budgeted, nothing spent: not applicable
    for bad in [("x", 1), (None, 1), (-1, 2), (100, 50, "十分")]:
        assert JX_EXEC_SCORE(*bad) == VALUE_ERROR


@pytest.mark.parametrize(
    ("total", "grade"),
    [(99.4, "优"), (90, "优"), (89.99, "良"), (80, "良"), (60, "中"), (59.99, "差"), (0, "差")],
)
def test_jx_grade(total, grade):
    assert JX_GRADE(total) == grade


@pytest.mark.parametrize("bad", ["abc", None, "", -1, 100.01])
def test_jx_grade_bad_arguments(bad):
    assert JX_GRADE(bad) == VALUE_ERROR


def test_jx_parse():
    assert JX_PARSE("每月一次") == "≥12次/年（每月1次）"
    assert JX_PARSE("≥95%") == "≥95%"
    assert JX_PARSE("良好") == "定性"
    assert JX_PARSE(12.0) == "12"
    assert JX_PARSE("") == VALUE_ERROR and JX_PARSE(None) == VALUE_ERROR


def test_jx_sc_score_joins_the_sichuan_split_target():
    assert JX_SC_SCORE("≥", 10.0, "处", 9.0, 30.0) == 27.0  # 9/10×30
    assert JX_SC_SCORE("≥", 95, "%", 90, 10) == 9.47
    assert JX_SC_SCORE("≤", 100, "万元", 80, 10, None, "成本指标") == 10.0  # 反向: below the cap
    assert (
        JX_SC_SCORE("≥", 10, "处", 9, 0) == VALUE_ERROR and JX_SC_SCORE("≥", 10, "处", 9, "x") == VALUE_ERROR
    )


def test_jx_cq_score_is_weight_times_the_coefficient():
    assert JX_CQ_SCORE(20, 92) == 18.4 and JX_CQ_SCORE(10.0, 97.78) == 9.78 and JX_CQ_SCORE(10, "70%") == 7.0
    assert JX_CQ_SCORE(10, 150) == 10.0  # held at 100%
    for bad in [(10, "abc"), (10, None), (0, 50), ("x", 50)]:
        assert JX_CQ_SCORE(*bad) == VALUE_ERROR


def test_docstrings_are_the_chinese_excel_descriptions():
    for f in (JX_SCORE, JX_EXEC_SCORE, JX_GRADE, JX_PARSE, JX_SC_SCORE, JX_CQ_SCORE):
        assert f.__doc__.startswith("返回")
