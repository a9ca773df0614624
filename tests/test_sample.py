"""The bundled sample: faithful to the seed, and its findings as RULES §5 computes them."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from jixiao.datafile import filing_from_dict, filing_to_dict
from jixiao.pipeline import evaluate
from jixiao.samples import load_sample

from .conftest import SHARED

D = Decimal


@pytest.fixture(scope="module")
def result():
    filing, findings = load_sample()
    assert findings == []
    return evaluate(filing, findings)


def _find(result, rule, table=None, subject=None):
    return [
        f
        for f in result.findings
        if f.rule == rule
        and (table is None or f.table == table)
        and (subject is None or f.subject == subject)
    ]


def test_sample_round_trips_through_the_data_file_format():
    filing, _ = load_sample()
    again, findings = filing_from_dict(json.loads(json.dumps(filing_to_dict(filing))))
    assert findings == []
    assert again == filing


@pytest.mark.skipif(not (SHARED / "seed" / "seed_2022.json").exists(), reason="shared/seed not beside")
def test_sample_carries_every_figure_of_the_seed_transcription():
    seed = json.loads((SHARED / "seed" / "seed_2022.json").read_text(encoding="utf-8"))
    filing, _ = load_sample()

    def num(text):
        return None if text in (None, "—") else D(text)

    t11 = {r["label"]: r for r in seed["t11"]["rows"]}
    lines = [
        filing.t11.sangong,
        filing.t11.car,
        filing.t11.car_purchase,
        filing.t11.car_running,
        filing.t11.abroad,
        filing.t11.reception,
        filing.t11.projects,
        *filing.t11.project_lines,
        filing.t11.special,
        *filing.t11.special_items,
        filing.t11.public,
        filing.t11.public_office,
        filing.t11.public_utilities,
        filing.t11.public_meetings,
        filing.t11.procurement,
        filing.t11.basic_adjustment,
    ]
    assert [line.label for line in lines] == list(t11)
    for line in lines:
        row = t11[line.label]
        assert (line.prev_final, line.budget, line.final) == (
            num(row["prev_final"]),
            num(row["budget"]),
            num(row["final"]),
        )
    tables = [(filing.t12, seed["t12"]), *zip(filing.t13, seed["t13"], strict=True)]
    for evaluation, printed in tables:
        rows = printed["indicators"]
        assert len(evaluation.indicators) == len(rows)
        for ind, row in zip(evaluation.indicators, rows, strict=True):
            assert (ind.level1, ind.level2, ind.name, ind.target, ind.actual, ind.deviation) == (
                row["level1"],
                row["level2"],
                row["name"],
                row["target"],
                row["actual"],
                row["deviation"],
            )
            assert (ind.weight, ind.reported_score) == (num(row["weight"]), num(row["score"]))
    assert filing.t12.budget.reported_rate == "99.04 %"
    assert filing.t13[0].reported_total is None  # 项目1 was filed without a 总分 row
    assert "满意度指标" not in filing.t13[0].level1_weights
    assert filing.signers.filler == "申婷" and filing.signers.phone == "15869733298"
    assert filing.prose.duties.count("\n") == len(seed["prose"]["duties"]) - 1


def test_department_scores(result):
    t12 = result.scores.department
    assert (t12.exec.rate_text, t12.exec.score, t12.total, t12.grade) == (
        "99.04%",
        D("9.90"),
        D("99.40"),
        "优",
    )
    assert t12.reported_total == D("99.9")


def test_project_scores(result):
    first, second = result.scores.projects
    assert first.weight_total == D(90)
    assert next(s for s in first.indicators if s.indicator.name == "开展老干党支部学习活动").score == D(
        "9.17"
    )
    assert (second.exec.score, second.total, second.grade) == (D("9.95"), D("99.95"), "优")


@pytest.mark.parametrize(
    ("rule", "table", "subject", "expected", "actual"),
    [
        ("IND-SCORE", "1-2", "开展老干党支部学习活动", "5.50", "6"),  # I9
        ("IND-SCORE", "1-3", "开展老干党支部学习活动", "9.17", "10"),  # I9 in 1-3
        ("TOTAL-SCORE", "1-2", "株洲市行业办公室", "99.40", "99.9"),  # I12
        ("IND-WEIGHT-TOTAL", "1-3", "离退休老干部业务专项资金", "100", "90"),  # I11
        ("IND-BLOCK-MISSING", "1-3", "满意度指标", None, None),  # I11
        ("T11-SUM-PROJECTS", "1-1", "项目支出", "58", "38"),  # I6
        ("X-SPECIAL-11-13", "1-1", "全市工业经济运行调度专项", "19.89", "20"),  # I7
        ("X-PROJECTS-12-13", "1-2", "项目支出", "57.89", "71.98"),  # I8
        ("X-PROJECT-NO-TABLE", "报告", "财政拨款项目", None, "14.08"),  # I8
        ("X-PROJECTS-11-12", "1-1", "项目支出", "71.98", "38"),  # I6 across tables
    ],
)
def test_required_errors(result, rule, table, subject, expected, actual):
    found = _find(result, rule, table, subject)
    assert found, f"{rule} not reported"
    assert all(f.severity == "error" for f in found)
    assert (found[0].expected, found[0].actual) == (expected, actual)


def test_i9_message_names_the_contradiction(result):
    message = _find(result, "IND-SCORE", "1-2")[0].message
    assert "11/12×6=5.50" in message and "疫情影响未能开展活动" in message


@pytest.mark.parametrize(
    ("rule", "severity"),
    [
        ("RATE-PRECISION", "warning"),  # I14
        ("T11-RATE-NA", "warning"),  # I15
        ("T11-ADJUSTMENT", "warning"),  # I16
        ("IND-OVER-TARGET", "warning"),  # I17 (table side)
        ("IND-TAXONOMY-FIT", "warning"),  # I19
        ("IND-RELEVANCE", "info"),  # I20
        ("IND-OUTPUT-DIMENSIONS", "warning"),  # I21
        ("IND-NO-COST", "info"),  # I23
        ("IND-EMPTY-LEVEL2", "info"),  # I23
        ("T11-STAFF-DEFINITION", "info"),  # I24
        ("X-PROJECTS-SPENDING", "info"),  # I1: a 0.01 gap is a rounding hint (RULES §0)
    ],
)
def test_table_level_soft_findings(result, rule, severity):
    found = _find(result, rule)
    assert found and {f.severity for f in found} == {severity}


def test_i16_figures(result):
    finding = _find(result, "T11-ADJUSTMENT")[0]
    assert "1045.85" in finding.message and "+62.9%" in finding.message and finding.expected == "1025.85"


@pytest.mark.parametrize(
    "rule",
    [
        "T11-SUM-SANGONG",
        "T11-SUM-CAR",
        "T11-SUM-SPECIAL",
        "T11-PUBLIC-OVER",
        "T12-REVENUE-SUM",
        "T12-EXPENDITURE-SUM",
        "T13-FUNDS-SUM",
        "EXEC-SCORE",
        "EXEC-RATE",
        "X-BASIC-SPENDING",
        "X-PUBLIC-11",
        "T12-DEPT-NAME",
        "T11-CONTROL-RATE",
        "T11-SANGONG-OVER",
        "IND-LEVEL1-UNKNOWN",
        "IND-LEVEL2-UNKNOWN",
        "IND-WEIGHT-LEVEL1",
        "INPUT-NUMBER",
    ],
)
def test_passing_identities_stay_silent(result, rule):
    """RULES §5 'checks that pass': 2609.57 + 71.98 = 2681.55, 三公 sums, 公用经费 parts, 9.9 …"""
    assert _find(result, rule) == []


def test_project_two_total_within_display_tolerance_is_silent(result):
    assert _find(result, "TOTAL-SCORE", "1-3") == []  # reported 99.9 vs 99.95
