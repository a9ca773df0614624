"""Every row kind of issue 11's "What goes wrong today", as RULES §2a/§5a say it must behave.

The cases are data (tests/data/row_cases.toml). Each replaces one 附件1-2 indicator of the clean
base filing (tests/rules/base.json, which raises no finding), refiles the 总分 to match, and runs
the whole pipeline as ``jixiao check`` does. It asserts the score, the direction and the step that
decided it (in the explanation), and the exact findings of that row: no false error on a row that
is fine, and the one warning a doubtful row deserves.
"""

from __future__ import annotations

import copy
import sys
from decimal import Decimal
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from jixiao.datafile import filing_from_dict
from jixiao.pipeline import Result, evaluate
from tests.rules.cases import base_data

ROW = 1  # the base's 学生资助验收合格率 row under 产出指标/质量指标, weight 11
CASES = tomllib.loads((Path(__file__).parent / "data" / "row_cases.toml").read_text(encoding="utf-8"))["case"]


def _result(fields: dict) -> Result:
    """Return the pipeline's result on the base with the row changed and its 总分 refiled to match."""
    data = copy.deepcopy(base_data())
    row = data["t12"]["indicators"][ROW]
    row.update({"reported_score": "11", "deviation": None, "mode": None})
    row.update({k: (v if v != "" else None) for k, v in fields.items()})
    result = evaluate(*filing_from_dict(data))
    data["t12"]["reported_total"] = str(result.scores.department.total)
    return evaluate(*filing_from_dict(data))


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_a_row_real_filings_hold_is_scored_as_the_rules_say(case):
    result = _result(case["set"])
    score = result.scores.department.indicators[ROW]
    assert score.score == Decimal(case["score"]), score.explanation
    assert score.mode == case["mode"], score.explanation
    for word in case["words"]:
        assert word in score.explanation
    mine = [f for f in result.findings if (f.field or "").startswith(f"t12.indicators[{ROW}]")]
    assert {f.rule for f in mine} == set(case["rules"]), [f.message for f in mine]
    errors = [f.message for f in result.findings if f.severity == "error" and f not in mine]
    assert not errors, errors  # nothing else on the filing
    if not case.get("error"):
        assert all(f.severity != "error" for f in mine), [f.message for f in mine]
