"""Every scoring-policy setting the workbook shows changes an outcome (issue 10, point 3).

One row per ``ScoringPolicy`` field: on the bundled sample (patched where the setting needs a
condition the sample lacks), the default policy gives one value and the changed setting another.
A field with no row fails ``test_every_setting_has_a_row``: a new setting must prove it does
something, or it does not belong in 基本信息.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal as D

import pytest

from jixiao.checks import check_filing
from jixiao.policy import ScoringPolicy
from jixiao.report.tables import table_12
from jixiao.samples import load_sample
from jixiao.scoring import score_filing


def _indicator(evaluation, name):
    return next(i for i in evaluation.indicators if i.name == name)


def _score(name, table=0):
    """Return a probe of the score of indicator ``name`` (table 0 = 附件1-2, n = project n)."""

    def probe(filing, scores, findings):
        ts = scores.tables()[table]
        return next(s.score for s in ts.indicators if s.indicator.name == name)

    return probe


def _finding(rule, subject):
    """Return a probe of the severity of finding ``rule`` about ``subject`` (None when silent)."""

    def probe(filing, scores, findings):
        return next((f.severity for f in findings if f.rule == rule and f.subject == subject), None)

    return probe


def _patch_actual(name, actual, table=0, reported=None):
    def patch(filing):
        evaluation = [filing.t12, *filing.t13][table]
        ind = _indicator(evaluation, name)
        ind.actual = actual
        ind.reported_score = reported

    return patch


def _no_weight(filing):
    filing.t12.budget.weight = None  # 分值 left blank: the policy's 执行率 weight applies


def _low_execution(filing):
    filing.t12.budget.executed = D("2000")  # 73.87 % of 2707.46


def _coefficient(name, share):
    def patch(filing):
        _indicator(filing.t12, name).coefficient = D(share)  # 重庆 得分系数

    return patch


def _low_execution_explained(filing):
    _low_execution(filing)
    filing.t13[0].budget.reason = "工程款未到结算期"  # 四川 原因 on project 1 only


def _project_total(table):
    return lambda filing, scores, findings: scores.tables()[table].total


def _grade(table):
    return lambda filing, scores, findings: scores.tables()[table].grade


def _printed_total(filing, scores, findings):
    grid = table_12(filing, scores)
    row = next(r for r in grid.matrix() if r[0] == "总分")
    return row[7]


_OUTREACH = "鼓励老干发挥余热, 维护社会和谐"  # 不少于150篇, actual 180 (W 15)
_WAGES = "工资待遇按时发放"  # 每月10日之前 (W 5)
_HAPPINESS = "提升老干幸福感，归属感"  # project 1: 100%, W 30

# setting, changed value, other settings of the case, filing patch, probe, default → changed
CASES = [
    ("exec_weight", "20", {}, _no_weight, lambda f, s, x: s.department.exec.score, D("9.90"), D("19.81")),
    (
        "reverse_formula",
        "ratio",
        {},
        _patch_actual("项目支出安排金额", "25万", table=2),  # 成本 ≤20万, actual 25万
        _score("项目支出安排金额", table=2),
        D("7.50"),  # (1 − 5/20) × 10
        D("8.00"),  # 10 × 20/25
    ),
    (
        "qual_bands",
        "80-50",
        {},
        _patch_actual(_WAGES, "基本完成"),  # 部分达成, no score entered: the band's midpoint
        _score(_WAGES),
        D("3.50"),  # [3, 4)
        D("3.25"),  # [2.5, 4)
    ),
    ("over_target_threshold", "0.25", {}, None, _finding("IND-OVER-TARGET", _OUTREACH), "warning", None),
    # 10日 against 每月10日之前: in time when 之前 includes the day, else missed (未达成 midpoint 0.3×5)
    ("before_inclusive", "false", {}, _patch_actual(_WAGES, "10日"), _score(_WAGES), D("5"), D("1.50")),
    ("score_places", "1", {}, None, lambda f, s, x: s.projects[1].exec.score, D("9.95"), D("9.9")),
    ("display_places", "1", {}, None, _printed_total, "99.40", "99.4"),
    ("weight_output", "40", {}, None, _finding("IND-WEIGHT-SPLIT", "产出指标"), None, "warning"),
    ("weight_effect", "40", {}, None, _finding("IND-WEIGHT-SPLIT", "效益指标"), None, "warning"),
    ("weight_satisfaction", "20", {}, None, _finding("IND-WEIGHT-SPLIT", "满意度指标"), None, "warning"),
    ("grade_excellent", "99.5", {}, None, _grade(0), "优", "良"),  # 总分 99.40
    ("grade_good", "89.5", {}, None, _grade(1), "良", "中"),  # project 1: 89.17
    (
        "grade_fair",
        "75",
        {},
        _patch_actual(_HAPPINESS, "50%", table=1),  # 30 → 15 points: project 1 at 74.17
        _grade(1),
        "中",
        "差",
    ),
    ("amount_tolerance", "0", {}, None, _finding("X-PROJECTS-SPENDING", "项目支出"), "info", "error"),
    # project 2 filed 99.9 against 99.95: a display rounding within 0.05
    (
        "score_tolerance",
        "0.01",
        {},
        None,
        _finding("TOTAL-SCORE", "全市工业经济运行调度专项资金"),
        None,
        "error",
    ),
    ("missing_block", "rescale", {}, None, _project_total(1), D("89.17"), D("99.08")),  # 满意度 missing
    ("exec_cap", "true", {}, _low_execution, _project_total(0), D("96.89"), D("89")),
    (
        "over_target_penalty_threshold",
        "0.2",
        {"over_target_penalty": "0.1"},
        None,
        _score(_OUTREACH),
        D("15"),
        D("13.50"),
    ),
    # 四川: 90 indicator points split freely, so 产出 at 40 is no split to warn about
    (
        "weight_split",
        "free",
        {"weight_output": "40"},
        None,
        _finding("IND-WEIGHT-SPLIT", "产出指标"),
        "warning",
        None,
    ),
    # 重庆: a filed 得分系数 of 50% scores half the weight (6), the national rules ignore it
    (
        "coefficient_scoring",
        "true",
        {},
        _coefficient(_OUTREACH, "0.5"),
        _score(_OUTREACH),
        D("15"),
        D("7.50"),
    ),
    # 四川: 执行率 73.87% below 90% without a 原因 (附件1-2 has none; project 1 explains it)
    (
        "exec_reason_below",
        "0.9",
        {},
        _low_execution_explained,
        _finding("EXEC-REASON", "株洲市行业办公室"),
        None,
        "warning",
    ),
    (
        "over_target_penalty",
        "0.1",
        {},
        _patch_actual(_OUTREACH, "200"),
        _score(_OUTREACH),
        D("15"),
        D("13.50"),
    ),
]


def _outcome(settings, patch, probe):
    filing, _ = load_sample()
    if patch is not None:
        patch(filing)
    filing.policy = ScoringPolicy.from_settings(settings)
    scores = score_filing(filing)
    return probe(filing, scores, check_filing(filing, scores))


@pytest.mark.parametrize(
    ("key", "value", "base", "patch", "probe", "before", "after"),
    CASES,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_setting_changes_an_outcome(key, value, base, patch, probe, before, after):
    """The default gives ``before``; setting ``key`` to ``value`` gives ``after``."""
    assert _outcome(base, patch, probe) == before
    assert _outcome({**base, key: value}, patch, probe) == after


def test_every_setting_has_a_row():
    """No setting without a case: every field of ScoringPolicy appears in CASES."""
    assert sorted(case[0] for case in CASES) == sorted(f.name for f in fields(ScoringPolicy))


def test_a_retired_setting_in_an_older_file_is_ignored():
    """deviation_threshold never changed an outcome; files that still carry it load unchanged."""
    assert ScoringPolicy.from_settings({"deviation_threshold": "0.5"}) == ScoringPolicy()
