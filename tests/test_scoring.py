"""The scoring engine: one case per edge case of RULES §3, and the properties of DESIGN.md."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.model import Budget, Evaluation, Indicator
from jixiao.policy import ScoringPolicy
from jixiao.scoring import grade_of, score_evaluation, score_execution, score_indicator
from tests.test_numbers import half_up

D = Decimal
FASP = ScoringPolicy()
RATIO = ScoringPolicy(reverse_formula="ratio")


def indicator(target, actual, weight="10", level2="数量指标", level1="产出指标", **extra):
    return Indicator(
        level1=level1, level2=level2, name="指标", target=target, actual=actual, weight=D(weight), **extra
    )


def score(target, actual, weight="10", policy=FASP, **extra):
    return score_indicator(indicator(target, actual, weight, **extra), 0, policy)


def rules_of(result):
    return [flag.rule for flag in result.flags]


# ---------------------------------------------------------------- R1 budget execution


@pytest.mark.parametrize(
    ("full_year", "executed", "rate", "points", "rule"),
    [
        ("2707.46", "2681.55", D("2681.55") / D("2707.46"), D("9.90"), None),  # the seed's 1-2
        ("20", "19.89", D("0.9945"), D("9.95"), None),  # seed 项目2: 9.945 → 9.95 at 2 dp
        ("38", "38", D(1), D("10.00"), None),
        ("0", "0", None, None, "EXEC-NA"),  # N/A, shown as —
        ("0", "5", None, D(0), "EXEC-NO-BUDGET"),
        ("10", "12", D("1.2"), D(10), "EXEC-OVER"),  # capped at 100%
        (None, "5", None, D(0), "EXEC-MISSING"),
    ],
)
def test_execution(full_year, executed, rate, points, rule):
    budget = Budget(full_year=D(full_year) if full_year else None, executed=D(executed), weight=D(10))
    result = score_execution(budget, FASP)
    assert result.rate == rate
    assert result.score == points
    assert [f.rule for f in result.flags] == ([rule] if rule else [])


def test_execution_explanation_and_weight_twenty():
    budget = Budget(full_year=D("2707.46"), executed=D("2681.55"))
    assert score_execution(budget, FASP).explanation == "2681.55/2707.46×10=9.90"
    assert score_execution(budget, ScoringPolicy(exec_weight=D(20))).score == D("19.81")


# ---------------------------------------------------------------- R2 quantitative


@pytest.mark.parametrize(
    ("target", "actual", "weight", "level2", "expected", "met"),
    [
        ("100%", "100%", "6", "数量指标", D(6), True),  # 正向 met
        ("每月一次", "11 次", "6", "数量指标", D("5.50"), False),  # seed I9: 11/12×6
        ("每月一次", "11次", "10", "数量指标", D("9.17"), False),  # seed I9 in 1-3: 11/12×10
        ("一年两次以上", "2 次", "6", "数量指标", D(6), True),  # 以上 includes the number
        ("不少于150篇", "180", "15", "社会效益指标", D(15), True),  # overshoot capped at W
        ("不少于150篇", "75篇", "15", "社会效益指标", D("7.50"), False),
        ("=10", "10", "10", "质量指标", D(10), True),  # 等于 with T > 0 scores like 正向
        ("=10", "8", "10", "质量指标", D(8), False),
        ("38万", "38万", "10", "成本指标", D(10), True),  # 成本 defaults to 反向
        ("20万", "19.89万", "10", "成本指标", D(10), True),  # seed 项目2 cost: full marks
        ("20万", "25万", "10", "成本指标", D("7.50"), False),  # FASP: (1 − 5/20)×10
        ("20万", "40万", "10", "成本指标", D(0), False),  # X ≥ 2T → 0
        ("20万", "200000元", "10", "成本指标", D(10), True),  # 元 normalised to 万元
        ("≤3个工作日", "5个工作日", "10", "时效指标", D("3.33"), False),
        ("无老干部上访事件", "无", "15", "社会效益指标", D(15), True),  # zero target, X = 0
        ("无老干部上访事件", "2", "15", "社会效益指标", D(0), False),  # zero target, X > 0 → 0
        ("零事故", "0", "10", "质量指标", D(10), True),
        ("≥90%", "-5%", "10", "质量指标", D(0), False),  # a negative actual scores as 0
    ],
)
def test_quantitative(target, actual, weight, level2, expected, met):
    result = score(target, actual, weight, level2=level2)
    assert result.score == expected
    assert result.met is met


def test_reverse_formula_alternatives():
    """RULES R2: T=20, X=25 gives 0.75W nationally and 0.8W by the local W×T/X."""
    assert score("≤20", "25", "10", level2="成本指标").score == D("7.50")
    assert score("≤20", "25", "10", level2="成本指标", policy=RATIO).score == D("8.00")


def test_explanations_read_like_the_accountant_writes_them():
    assert (
        score("每月一次", "11 次", "6").explanation
        == "指标值为频次，按正向计分；每月一次=12次/年，实际11次：11/12×6=5.50"
    )
    assert (
        score("20万", "19.89万", level2="成本指标").explanation
        == "二级为“成本指标”，按反向计分；19.89万元≤20万元，满分10"
    )


@pytest.mark.parametrize(
    ("target", "actual", "level2", "rule"),
    [
        ("≥0", "5", "数量指标", "IND-TARGET-ZERO"),
        ("不少于150篇", "180", "社会效益指标", "IND-OVER-TARGET"),  # seed I17: 180/150 = 120%
        ("≥90%", "120%", "质量指标", "IND-PERCENT-OVER"),
        ("100%", "", "数量指标", "IND-ACTUAL-MISSING"),
        ("100%", "见说明", "数量指标", "IND-ACTUAL-TEXT"),
        ("100%", "5次", "数量指标", "IND-UNIT-MISMATCH"),
        ("38万", "12次", "成本指标", "IND-UNIT-MISMATCH"),
        ("12次", "完成", "数量指标", "IND-ACTUAL-TIER"),
    ],
)
def test_quantitative_flags(target, actual, level2, rule):
    assert rule in rules_of(score(target, actual, level2=level2))


def test_unit_mismatch_and_text_actuals_score_zero():
    assert score("100%", "5次").score == D(0)
    assert score("100%", "见说明").score == D(0)


def test_over_target_threshold_is_a_setting():
    strict = ScoringPolicy(over_target_threshold=D("0.5"))
    assert "IND-OVER-TARGET" not in rules_of(score("不少于150篇", "180", policy=strict))


def test_timeliness_tier_words_are_accepted_silently():
    result = score("每月 10 日之前", "按时", "5", level2="时效指标")
    assert (result.score, result.flags) == (D(5), [])


# ---------------------------------------------------------------- R3 qualitative


@pytest.mark.parametrize(
    ("actual", "reported", "policy", "expected", "rule"),
    [
        ("达成", None, FASP, D(10), None),
        ("按时", "9", FASP, D(10), None),  # 达成 always earns W
        ("部分达成", "7.5", FASP, D("7.5"), None),  # inside [6, 8)
        ("基本完成", None, FASP, D("7.00"), "IND-QUAL-DEFAULT"),  # midpoint, asks to confirm
        ("部分达成", "9", FASP, D("7.00"), "IND-QUAL-BAND"),  # outside the band
        ("未完成", "2", FASP, D(2), None),  # inside [0, 6)
        ("未达成", None, FASP, D("3.00"), "IND-QUAL-DEFAULT"),
        ("部分达成", None, ScoringPolicy(qual_bands="80-50"), D("6.50"), "IND-QUAL-DEFAULT"),
        ("有待观察", "6", FASP, D(6), "IND-QUAL-UNKNOWN"),  # keeps a plausible entered score
        ("有待观察", None, FASP, D(0), "IND-QUAL-UNKNOWN"),
    ],
)
def test_qualitative(actual, reported, policy, expected, rule):
    result = score(
        "按时按计划开展",
        actual,
        "10",
        policy=policy,
        level2="时效指标",
        reported_score=D(reported) if reported else None,
    )
    assert result.score == expected
    assert rules_of(result) == ([rule] if rule else [])


def test_mode_override():
    assert score("100", "90", mode="反向").score == D(10)
    assert score("100", "90", mode="正向").score == D(9)
    assert score("100", "达成", mode="定性").mode == "定性"


# ---------------------------------------------------------------- R4/R5 roll-up, totals, grade


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (D(100), "优"),
        (D(90), "优"),
        (D("89.99"), "良"),
        (D(80), "良"),
        (D("79.99"), "中"),
        (D(60), "中"),
        (D("59.99"), "差"),
        (D(0), "差"),
    ],
)
def test_grade_bounds_are_inclusive(total, grade):
    assert grade_of(total, FASP) == grade


def _evaluation(weights, actuals, executed="100"):
    rows = [
        indicator("100%", a, w, level1=l1, level2=l2) for (l1, l2, w), a in zip(weights, actuals, strict=True)
    ]
    return Evaluation(budget=Budget(full_year=D(100), executed=D(executed), weight=D(10)), indicators=rows)


FULL_TREE = [
    ("产出指标", "数量指标", "50"),
    ("效益指标", "社会效益指标", "30"),
    ("满意度指标", "服务对象满意度指标", "10"),
]


def test_totals_are_sums_of_rounded_parts():
    ev = _evaluation(FULL_TREE, ["100%", "100%", "95%"], executed="99.5")
    result = score_evaluation(ev, "1-2", "单位", "附件1-2", FASP)
    assert result.exec.score == D("9.95")
    assert result.level1_scores == {"产出指标": D(50), "效益指标": D(30), "满意度指标": D("9.50")}
    assert result.total == D("99.45")
    assert result.weight_total == D(100)
    assert result.grade == "优"


def test_missing_block_as_filed_or_rescaled():
    """Seed I11: 1-3 项目1 has no 满意度 block; weights add to 90."""
    ev = _evaluation(FULL_TREE[:2], ["100%", "100%"])
    assert score_evaluation(ev, "1-3", "p", "s", FASP).total == D(90)
    rescaled = score_evaluation(ev, "1-3", "p", "s", ScoringPolicy(missing_block="rescale"))
    assert rescaled.total == D("100.00")


def test_execution_cap_is_optional():
    ev = _evaluation(FULL_TREE, ["100%", "100%", "100%"], executed="65")
    assert score_evaluation(ev, "1-2", "u", "s", FASP).total == D("96.50")
    assert score_evaluation(ev, "1-2", "u", "s", ScoringPolicy(exec_cap=True)).total == D(79)


# ---------------------------------------------------------------- properties

weights = st.decimals(min_value=D("0.5"), max_value=D(50), places=1)
amounts = st.decimals(min_value=D(0), max_value=D(1000), places=2)
targets = st.decimals(min_value=D("0.01"), max_value=D(1000), places=2)


@given(targets, amounts, weights, st.sampled_from(["数量指标", "成本指标"]), st.sampled_from([FASP, RATIO]))
def test_score_stays_between_zero_and_weight(t, x, w, level2, policy):
    result = score(f"{t}", f"{x}", f"{w}", policy=policy, level2=level2)
    assert D(0) <= result.score <= w


@given(targets, amounts, amounts, weights)
def test_forward_scores_never_fall_as_the_actual_rises(t, x1, x2, w):
    low, high = sorted((x1, x2))
    assert score(f"≥{t}", f"{low}", f"{w}").score <= score(f"≥{t}", f"{high}", f"{w}").score


@given(targets, amounts, amounts, weights, st.sampled_from([FASP, RATIO]))
def test_reverse_scores_never_rise_as_the_actual_rises(t, x1, x2, w, policy):
    low, high = sorted((x1, x2))
    lower = score(f"≤{t}", f"{low}", f"{w}", policy=policy).score
    assert lower >= score(f"≤{t}", f"{high}", f"{w}", policy=policy).score


@given(targets, amounts, weights)
def test_proportional_score_is_exactly_rounded(t, x, w):
    result = score(f"≥{t}", f"{x}", f"{w}")
    expected = w if x >= t else half_up(Fraction(x) / Fraction(t) * Fraction(w))
    assert result.score == expected


@given(amounts, targets, weights)
def test_execution_score_is_exactly_rounded(b, a, w):
    result = score_execution(Budget(full_year=a, executed=b, weight=w), FASP)
    assert result.score == half_up(Fraction(w) * min(Fraction(b) / Fraction(a), Fraction(1)))


def test_over_target_penalty_is_an_optional_setting():
    """RULES §0: a result ≥30% above target may cost points in some provinces; off by default."""
    assert score("不少于100篇", "140", "10").score == D(10)
    penalised = score("不少于100篇", "140", "10", policy=ScoringPolicy(over_target_penalty=D("0.1")))
    assert penalised.score == D(9)
    assert "按偏离度调减1.00=9.00" in penalised.explanation
    within = score("不少于100篇", "120", "10", policy=ScoringPolicy(over_target_penalty=D("0.1")))
    assert within.score == D(10)


@pytest.mark.parametrize(
    ("actual", "expected"), [("8日", D(5)), ("10日", D(5)), ("12日", D("1.50")), ("按时", D(5))]
)
def test_deadline_actuals(actual, expected):
    """RULES R3/§5a: a day against 每月10日之前 is met iff within the limit (之前 read as ≤); missed is
    未达成 (no filed score: the band's midpoint 0.3×5)."""
    assert score("每月10日之前", actual, "5", level2="时效指标").score == expected


def test_deviation_reason_contradicting_a_full_score_is_reported(tmp_path):
    from jixiao.checks import check_filing
    from jixiao.samples import load_sample
    from jixiao.scoring import score_filing

    filing, _ = load_sample()
    filing.t12.indicators[6].deviation = "因故未能按时发放"  # 工资待遇按时发放, actual 按时, full marks
    findings = check_filing(filing, score_filing(filing))
    assert any(f.rule == "IND-DEVIATION-CONTRADICTION" and f.subject == "工资待遇按时发放" for f in findings)
