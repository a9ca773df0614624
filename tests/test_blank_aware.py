"""What is missing is said once, at the level it is missing (RULES §1.1 revised, §5a).

Each case changes the bundled sample as a user's filing would differ and states how many findings
of which rules `jixiao check --json` gives, and which rules it must no longer give.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.cli import main
from jixiao.datafile import filing_from_dict
from jixiao.pipeline import evaluate
from jixiao.samples import sample_text

Data = dict[str, Any]


def sample() -> Data:
    return json.loads(sample_text())


def check(capsys, tmp_path: Path, data: Data) -> dict[str, Any]:
    path = tmp_path / "filing.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    main(["check", str(path), "--json"])
    return json.loads(capsys.readouterr().out)


def _blank_project_lines(d: Data) -> None:
    for line in [*d["t11"]["project_lines"], d["t11"]["special"]]:
        line.update(prev_final=None, budget=None, final=None)
    d["t11"]["special_items"] = []


def _flat(d: Data) -> None:
    d["t12"]["level1_weights"] = {}
    for ind in d["t12"]["indicators"]:
        ind["level1"] = ind["level2"] = None


def _public_parts_partial(d: Data) -> None:
    d["t11"]["public_meetings"].update(prev_final=None, budget=None, final=None)


def _public_parts_over(d: Data) -> None:
    d["t11"]["public_office"].update(prev_final="400", budget="400", final="400")


def _staff_over(d: Data) -> None:
    d["t11"]["staff"].update(actual="28", reported_control_rate="108%")


def _funds_total_zero(d: Data) -> None:
    d["t13"][0]["budget"].update(initial="0", full_year="0", executed="0")


def _row_named_only(d: Data) -> None:
    d["t12"]["indicators"][0].update(target=None, actual=None, reported_score=None, deviation=None)


def _no_unit_no_year(d: Data) -> None:
    d["unit"], d["year"] = None, None


def _actual_missing(d: Data) -> None:
    d["t12"]["indicators"][0]["actual"] = None


# case → (change, {rule: how many findings}, rules that must not appear[, the table looked at])
CASES: dict[str, tuple[Any, ...]] = {
    "项目支出 filled, every sub-row blank: one warning, no sum error per column": (
        _blank_project_lines,
        {"T11-NO-DETAIL": 1},
        {"T11-SUM-PROJECTS", "T11-SUM-SPECIAL"},
    ),
    "a sub-row filled and the sum off (the sample): an error per column off": (
        lambda d: None,
        {"T11-SUM-PROJECTS": 2},
        {"T11-NO-DETAIL"},
    ),
    "公用经费 其中 rows partial (Σ < total): silent": (
        _public_parts_partial,
        {},
        {"T11-PUBLIC-OVER"},
    ),
    "公用经费 其中 rows above the total: an error per column": (
        _public_parts_over,
        {"T11-PUBLIC-OVER": 3},
        set(),
    ),
    "在职 28 > 编制 26: one warning asking why": (
        _staff_over,
        {"T11-STAFF-OVER": 1},
        {"T11-CONTROL-RATE"},
    ),
    "1-3 年度资金总额 0/0/0 under 当年财政拨款: one error on the total row": (
        _funds_total_zero,
        {"FUNDS-TOTAL-ZERO": 1},
        {"T13-FUNDS-SUM", "EXEC-NA", "EXEC-MISSING"},
    ),
    "an indicator row with only its name and weight: one error": (
        _row_named_only,
        {"IND-ROW-EMPTY": 1},
        {"IND-TARGET-MISSING", "IND-ACTUAL-MISSING", "IND-WEIGHT-MISSING", "IND-DEVIATION-REQUIRED"},
    ),
    "an actual missing: said once, no 得分应为 0 and no 偏差原因 demanded": (
        _actual_missing,
        {"IND-ACTUAL-MISSING": 1},
        {"IND-DEVIATION-REQUIRED", "IND-ROW-EMPTY"},
    ),
    "unit name and year both missing: one finding": (
        _no_unit_no_year,
        {"INPUT-REQUIRED": 1},
        set(),
    ),
    "a flat 部门整体 indicator list: one info, no per-row 一级 error, no block or split findings": (
        _flat,
        {"IND-FLAT": 1},
        {
            "IND-LEVEL1-UNKNOWN",
            "IND-LEVEL2-UNKNOWN",
            "IND-BLOCK-MISSING",
            "IND-WEIGHT-LEVEL1",
            "IND-WEIGHT-SPLIT",
            "IND-NO-COST",
            "IND-EMPTY-LEVEL2",
        },
        "1-2",  # the sample's 1-3 tables keep their 一级/二级 and their findings
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_missing_is_said_once(capsys, tmp_path, case):
    change, counts, absent, *scope = CASES[case]
    data = sample()
    change(data)
    findings = check(capsys, tmp_path, data)["findings"]
    found = Counter(f["rule"] for f in findings if not scope or f["table"] == scope[0])
    assert {rule: found[rule] for rule in counts} == counts
    assert not absent & set(found), sorted(absent & set(found))


def test_the_sample_keeps_its_findings_under_the_revised_1_1(capsys, tmp_path):
    """The sample's 公用经费 其中 rows add up exactly: RULES §1.1's revision removes none of its findings."""
    summary = check(capsys, tmp_path, sample())["summary"]
    assert summary == {"errors": 13, "warnings": 9, "infos": 10}


def test_a_flat_list_still_needs_its_weights_to_add_up(capsys, tmp_path):
    data = sample()
    _flat(data)
    data["t12"]["indicators"][0]["weight"] = "11"  # was 6: indicators 95 + 执行 10
    findings = check(capsys, tmp_path, data)["findings"]
    found = [f for f in findings if f["rule"] == "IND-WEIGHT-TOTAL" and f["table"] == "1-2"]
    assert [(f["table"], f["expected"], f["actual"]) for f in found] == [("1-2", "100", "105")]


# ---------------------------------------------------------------- printed execution score without amounts


def test_printed_execution_score_without_amounts_is_used_unverified(capsys, tmp_path):
    data = sample()
    for key in ("full_year", "executed"):
        data["t13"][1]["budget"][key] = None  # 执行率 99.5% and 得分 9.9 stay printed
    result = check(capsys, tmp_path, data)
    project = next(s for s in result["scores"] if s["subject"] == "全市工业经济运行调度专项资金")
    assert (project["exec_score"], project["total"], project["exec_rate"]) == ("9.90", "99.90", "99.50%")
    assert project["explanation"] == "9.90（执行率得分未核实）+90.00=99.90"
    rules = Counter(
        f["rule"] for f in result["findings"] if f["table"] == "1-3" and f["sheet"] == "附件1-3(2)"
    )
    assert rules["EXEC-UNVERIFIED"] == 1 and not {"EXEC-MISSING", "EXEC-SCORE", "TOTAL-SCORE"} & set(rules)
    unverified = next(f for f in result["findings"] if f["rule"] == "EXEC-UNVERIFIED")
    assert unverified["severity"] == "info"
    assert unverified["message"] == (
        "全市工业经济运行调度专项资金：未填全年预算数、全年执行数，执行率得分无法核实，"
        "按填报的得分 9.9 分计入总分"
    )


def test_a_printed_rate_alone_gives_the_score_it_implies():
    data = sample()
    budget = data["t13"][1]["budget"]
    budget.update(full_year=None, executed=None, reported_score=None)  # only 99.5% printed
    filing, _ = filing_from_dict(data)
    ex = evaluate(filing).scores.projects[1].exec
    assert (ex.score, ex.verified) == (Decimal("9.95"), False)
    assert (
        ex.explanation == "未填全年预算数、全年执行数，按填报的执行率 99.5%（10×99.5%=9.95 分）计（未核实）"
    )
