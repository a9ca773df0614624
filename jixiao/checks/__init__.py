"""The checks (RULES.md §1 sums, §3 R1–R7, §4 cross-table identities, §5 plausibility), by subject.

Each rule is a record in ``data/rules*.toml`` with a stable ID (severity, tolerance, message);
each is emitted by one function, registered with its ID (:data:`registry.REGISTRY`):
``sums`` (附件1-1), ``budget`` (budget blocks and execution), ``indicators``, ``weights``
(weights, dimensions, totals), ``cross`` (cross-table), ``input`` (input values), ``prose`` (the
figures of the accountant's report paragraphs) and ``report`` (the figures of a hand-written
自评报告). ``check_filing(filing, scores)`` returns every finding of a filing;
``check_report(path, filing, scores)`` those of a report.
"""

from __future__ import annotations

from jixiao.checks.budget import check_execution, check_project_funds, check_rate_precision, check_t12_budget
from jixiao.checks.cross import check_cross_tables
from jixiao.checks.indicators import (
    check_flat,
    check_indicator,
    check_relevance,
    check_taxonomy,
    check_unassessed,
)
from jixiao.checks.input import check_empty, check_negative_amounts, check_required
from jixiao.checks.prose import check_prose
from jixiao.checks.registry import Checker
from jixiao.checks.report import check_report, check_report_text
from jixiao.checks.sums import check_t11
from jixiao.checks.weights import check_dimensions, check_total, check_weights
from jixiao.findings import REGISTRY, Finding, rule
from jixiao.model import Filing, ProjectEvaluation
from jixiao.scoring import FilingScore, TableScore

__all__ = ["REGISTRY", "Checker", "check_filing", "check_report", "check_report_text", "rule"]


def check_filing(filing: Filing, scores: FilingScore) -> list[Finding]:
    """Return every finding of ``filing`` given its ``scores``.

    Only the tables the filing holds are checked (an absent table raises nothing, RULES §5a); a
    filing that holds no table at all gets that one finding.
    """
    checker = Checker(filing, scores)
    if check_empty(checker):
        return checker.findings
    check_required(checker)
    check_negative_amounts(checker)
    if filing.has_t11():
        check_t11(checker)
    if scores.department is not None:
        check_t12_budget(checker)
    for table_score in scores.tables():
        _check_evaluation(checker, table_score)
    check_rate_precision(checker)
    check_cross_tables(checker)
    check_prose(checker)
    return checker.findings


def _check_evaluation(c: Checker, ts: TableScore) -> None:
    """Check one 附件1-2 or 附件1-3 table."""
    ev = ts.evaluation
    check_execution(c, ts)
    if isinstance(ev, ProjectEvaluation):
        check_project_funds(c, ev)
    if ev.is_flat():
        check_flat(c, ts)
    else:
        check_taxonomy(c, ev)
    if not check_unassessed(c, ts):
        for s in ts.indicators:
            check_indicator(c, s)
    check_weights(c, ts)
    if not ev.is_flat():
        check_dimensions(c, ts)
    check_total(c, ts)
    if isinstance(ev, ProjectEvaluation):
        check_relevance(c, ev, ts)
