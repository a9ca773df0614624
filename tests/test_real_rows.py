"""The corpus of real indicator rows (tests/data/real_rows.toml): published 绩效自评 tables of units
in seven provinces, each row with its source and the score the national rules give, computed by hand.

Each table is read as jixiao reads a filing (its rows as one 附件1-3, or 附件1-2 for a 部门整体 table)
and checked by the whole pipeline. Every row's score and direction must match the hand computation,
an error must be raised on exactly the rows the hand computation says are wrong (a printed score that
differs, a shortfall without a 偏差原因), and a complete table's total must match its hand total.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.model import Budget, DepartmentEvaluation, Filing, Indicator, ProjectEvaluation, Where
from jixiao.numbers import parse_amount
from jixiao.pipeline import evaluate

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

CORPUS = tomllib.loads((Path(__file__).parent / "data" / "real_rows.toml").read_text(encoding="utf-8"))
TABLES = {t["id"]: t for t in CORPUS["table"]}
# the deciding steps the hand computation names, as jixiao's explanation words them
STEP_WORDS = {"运算符": "指标值写明", "名称": "名称含", "目标类型": "指标值为"}


def _amount(text: str | None) -> Decimal | None:
    return parse_amount(text) if text not in (None, "") else None


def _filing(table_id: str) -> tuple[Filing, list[dict], str]:
    """Return the table as a filing, its corpus rows, and the data path of its indicators."""
    table = TABLES[table_id]
    rows = [r for r in CORPUS["row"] if r["table"] == table_id]
    department = table["form"] == "部门整体"
    path = "t12" if department else "t13[0]"
    indicators = [
        Indicator(
            level1=r["level1"] or None,
            level2=r["level2"] or None,
            name=r["name"],
            target=r["target"],
            actual=r["actual"],
            weight=_amount(r["weight"]),
            reported_score=_amount(r["score"]),
            deviation=r["reason"] or None,
            where=Where("表", f"{path}.indicators[{i}]"),
        )
        for i, r in enumerate(rows)
    ]
    budget = Budget(
        full_year=_amount(table.get("budget")),
        executed=_amount(table.get("spent")),
        weight=_amount(table.get("exec_weight")),
        reported_score=_amount(table.get("exec_score")),
        where=Where("表", f"{path}.budget"),
    )
    filing = Filing(unit=table["unit"], year=table["year"])
    kind = DepartmentEvaluation if department else ProjectEvaluation
    evaluation = kind(
        budget=budget, indicators=indicators, reported_total=_amount(table.get("total_printed"))
    )
    evaluation.where = Where("表", path)
    if department:
        filing.t12 = evaluation
    else:
        evaluation.name = table["name"]
        filing.t13 = [evaluation]
    return filing, rows, path


def _scored(table_id: str):
    filing, rows, path = _filing(table_id)
    result = evaluate(filing)
    ts = result.scores.department if path == "t12" else result.scores.projects[0]
    return result, ts, rows, path


@pytest.mark.parametrize("table_id", sorted(TABLES))
def test_every_real_row_scores_as_computed_by_hand(table_id):
    result, ts, rows, path = _scored(table_id)
    wrong = []
    for i, (row, s) in enumerate(zip(rows, ts.indicators, strict=True)):
        mode = "反向" if s.mode == "零目标" else s.mode
        step = STEP_WORDS.get(row["decided_by"])
        mine = [f for f in result.findings if (f.field or "").startswith(f"{path}.indicators[{i}]")]
        errors = [f.message for f in mine if f.severity == "error"]
        problems = []
        if s.score != Decimal(row["expected"]):
            problems.append(f"得分 {s.score} ≠ {row['expected']}")
        if mode != row["direction"]:
            problems.append(f"方向 {mode} ≠ {row['direction']}")
        deadline = s.target.is_deadline  # a deadline is scored by its date, whatever named it
        if step and row["direction"] != "定性" and not deadline and step not in s.explanation:
            problems.append(f"决定方向的步骤应为{row['decided_by']}")
        if bool(errors) != row["error"]:
            problems.append(f"错误 {errors} 与手算 error={row['error']} 不符")
        if problems:
            wrong.append(
                f"{row['name']}（{row['target']} / {row['actual']}）：{'；'.join(problems)}；{s.explanation}"
            )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("table_id", sorted(t for t in TABLES if TABLES[t]["complete"]))
def test_a_complete_real_table_totals_as_computed_by_hand(table_id):
    result, ts, _, _ = _scored(table_id)
    table = TABLES[table_id]
    assert ts.total == Decimal(table["total_expected"]), table["total_why"]
    on_table = [f for f in result.findings if "indicators[" not in (f.field or "")]
    errors = {f.rule for f in on_table if f.severity == "error"}
    assert errors == set(table["table_errors"]), table["table_errors_why"]


def test_the_corpus_is_real_and_large_enough():
    provinces = {t["province"] for t in CORPUS["table"]}
    assert len(CORPUS["row"]) >= 100 and len(TABLES) >= 8 and len(provinces) >= 4
    assert all(t["source"].startswith("http") for t in CORPUS["table"])
    assert all(r["why"] for r in CORPUS["row"])
