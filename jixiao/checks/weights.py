"""Weights, dimensions and totals (RULES.md §1.2, §1.3, R4, R5): the 一级 blocks and their weights,
the 二级 dimensions a table covers, and the 总分 typed against the one computed."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.registry import Checker
from jixiao.findings import rule
from jixiao.model import (
    Evaluation,
)
from jixiao.numbers import HUNDRED, fmt
from jixiao.scoring import TableScore
from jixiao.taxonomy import taxonomy


def _canonical_weights(ev: Evaluation) -> dict[str, Decimal | None]:
    tax = taxonomy()
    out: dict[str, Decimal | None] = {}
    for label, weight in ev.level1_weights.items():
        out[tax.canonical_level1(label) or label] = weight
    return out


@rule("IND-BLOCK-MISSING", "IND-WEIGHT-LEVEL1", "IND-WEIGHT-SPLIT", "IND-WEIGHT-TOTAL")
def check_weights(c: Checker, ts: TableScore) -> None:
    """Emit missing 一级 blocks and weights that do not add up or differ from the usual split."""
    ev = ts.evaluation
    if not ev.is_flat():  # a flat list has no 一级 blocks to weigh (RULES §5a); its total still counts
        _check_level1_weights(c, ts)
    if ts.weight_total != HUNDRED:
        c.emit(
            "IND-WEIGHT-TOTAL",
            ev.where,
            "total_weight",
            subject=ts.subject,
            expected="100",
            actual=ts.weight_total,
            exec_weight=ts.exec.weight,
            indicators=ts.weight_total - ts.exec.weight,
        )


def _check_level1_weights(c: Checker, ts: TableScore) -> None:
    """Emit the 一级 blocks that are missing, or weigh other than stated or than the usual split."""
    ev = ts.evaluation
    declared = _canonical_weights(ev)
    free = c.policy.weight_split == "free"  # 四川: 90 indicator points split freely, 满意度 optional
    expected_split = {} if free else c.policy.level1_weights
    for level1 in taxonomy().required_level1:
        if level1 not in ts.level1_weights and not (free and level1 == "满意度指标"):
            c.emit("IND-BLOCK-MISSING", ev.where, "indicators", at=f"level1:{level1}", subject=level1)
    for level1, total in ts.level1_weights.items():
        stated = declared.get(level1)
        if stated is not None and total != stated:
            c.compare("IND-WEIGHT-LEVEL1", stated, total, ev.where, "level1_weights", subject=level1)
        shown = stated if stated is not None else total
        if level1 in expected_split and shown != expected_split[level1]:
            c.emit(
                "IND-WEIGHT-SPLIT",
                ev.where,
                "level1_weights",
                subject=level1,
                actual=shown,
                expected=expected_split[level1],
            )


@rule("IND-OUTPUT-DIMENSIONS", "IND-NO-COST", "IND-EMPTY-LEVEL2")
def check_dimensions(c: Checker, ts: TableScore) -> None:
    """Emit missing 产出 dimensions (附件1-3), a missing 成本指标 (附件1-2) and empty 二级 headings."""
    ev = ts.evaluation
    tax = taxonomy()
    filled = {s.level2 for s in ts.indicators if s.level2}
    dimensions = tax.output_dimensions
    shown = [tax.canonical_level2(i.level2) for i in ev.indicators if i.is_placeholder() and i.level2]
    if ts.table == "1-3":
        missing = [d for d in dimensions if d not in filled]
        if missing:
            c.emit(
                "IND-OUTPUT-DIMENSIONS",
                ev.where,
                "indicators",
                subject=ts.subject,
                actual="、".join(missing),
                at=_row_of(ev, missing[0], "产出指标"),
            )
    elif "成本指标" not in filled:
        at = _row_of(ev, "成本指标", "产出指标")
        c.emit("IND-NO-COST", ev.where, "indicators", subject=ts.subject, at=at)
    empty = [
        d
        for d in dict.fromkeys(shown)
        if d and d not in filled and not (ts.table == "1-3" and d in dimensions)
    ]
    if empty:
        at = _row_of(ev, empty[0], None)
        c.emit("IND-EMPTY-LEVEL2", ev.where, "indicators", subject=ts.subject, actual="、".join(empty), at=at)


def _row_of(ev: Evaluation, level2: str, level1: str | None) -> str | None:
    """Return the key of ``ev.where`` naming the cell a finding on the missing ``level2`` points at.

    That is the 三级指标 cell of the empty row under that 二级 heading; without one, the first free
    row of the ``level1`` block. ``ev.where`` gets the key when the workbook told the cell.
    """
    tax = taxonomy()
    for ind in ev.indicators:
        if ind.is_placeholder() and ind.level2 and tax.canonical_level2(ind.level2) == level2 and ind.where:
            cell = ind.where.cells.get("name")
            if cell and ind.where.sheet == ev.where.sheet:
                ev.where.cells[f"level2:{level2}"] = cell
                return f"level2:{level2}"
    return f"level1:{level1}" if level1 else None


@rule("TOTAL-MISSING", "TOTAL-SCORE")
def check_total(c: Checker, ts: TableScore) -> None:
    """Emit a 总分 that differs from the computed one, or is missing though scores were typed."""
    ev = ts.evaluation
    hand_scored = any(s.indicator.reported_score is not None for s in ts.indicators)
    if ts.reported_total is None and hand_scored:  # scores typed by hand but no 总分 row
        c.emit(
            "TOTAL-MISSING",
            ev.where,
            "reported_total",
            at="total",
            subject=ts.subject,
            expected=fmt(ts.total, c.policy.score_places),
            grade=ts.grade,
        )
    elif ts.reported_total is not None and abs(ts.reported_total - ts.total) > c.policy.score_tolerance:
        c.emit(
            "TOTAL-SCORE",
            ev.where,
            "reported_total",
            at="total",
            subject=ts.subject,
            expected=fmt(ts.total, c.policy.score_places),
            actual=ts.reported_total,
            explanation=ts.explanation,
        )
