"""Every rule has its cases (tests/rules/<ID>.toml): one that fires it, one that keeps it silent.

The cases are data (see tests/rules/cases.py); this harness runs each and fails when a rule of
the catalogue has no firing or no silent case, or when a case names a rule that does not exist.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import jixiao.checks
import jixiao.importers
import jixiao.safety
import jixiao.workbook.reader  # noqa: F401
from jixiao.datafile import filing_from_dict
from jixiao.findings import REGISTRY, rules
from jixiao.pipeline import evaluate
from tests.rules.cases import base_data, case_findings, load_cases

CASES = load_cases()


def test_the_base_filing_is_clean():
    filing, findings = filing_from_dict(base_data())
    assert evaluate(filing, findings).findings == []


def test_every_rule_has_a_firing_and_a_silent_case():
    fired = {c.rule for c in CASES if c.fires}
    silent = {c.rule for c in CASES if not c.fires}
    missing = sorted((set(rules()) - fired) | (set(rules()) - silent))
    assert not missing, f"rules without a firing and a silent case in tests/rules/: {missing}"
    assert {c.rule for c in CASES} <= set(rules()), "a case file names a rule not in the catalogue"


def test_every_rule_is_registered_with_the_code_that_emits_it():
    assert set(REGISTRY) == set(rules())
    assert all(len(emitters) == 1 for rule_id, emitters in REGISTRY.items() if rule_id != "INPUT-NUMBER")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case, tmp_path: Path):
    found = case_findings(case, tmp_path)
    raised = [f.rule for f in found]
    if case.fires:
        assert case.rule in raised, f"{case.title}: raised {sorted(set(raised))}"
        if case.raises is not None:
            assert set(raised) == case.raises
        if "cell" in case.spec:  # the finding points at a cell the accountant sees on paper
            cells = [f"{f.sheet}!{f.cell}" for f in found if f.rule == case.rule]
            assert case.spec["cell"] in cells, f"{case.title}: points at {cells}"
    else:
        assert case.rule not in raised, f"{case.title}: raised {sorted(set(raised))}"
