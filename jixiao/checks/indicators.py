"""The indicators (RULES.md §2, R2–R4, R7, R8): 一级/二级 labels, each indicator's weight, target,
score and deviation, and whether a project's indicators speak of the project."""

from __future__ import annotations

from jixiao.checks.registry import Checker
from jixiao.findings import rule
from jixiao.model import (
    Evaluation,
    ProjectEvaluation,
)
from jixiao.numbers import fmt, fmt_plain, normalize_text
from jixiao.scoring import IndicatorScore, TableScore
from jixiao.targets import is_count_unit, says_shortfall
from jixiao.taxonomy import taxonomy

_GENERIC_NAME_WORDS = (
    "专项资金",
    "专项经费",
    "资金",
    "经费",
    "专项",
    "项目",
    "业务",
    "全市",
    "市级",
    "工作",
    "补助",
    "支出",
)


@rule("IND-FLAT")
def check_flat(c: Checker, ts: TableScore) -> None:
    """Emit IND-FLAT, once per table, for a flat indicator list (no 一级/二级 columns, RULES §5a)."""
    c.emit("IND-FLAT", ts.evaluation.where, "indicators", subject=ts.subject, actual=len(ts.indicators))


@rule("IND-ACTUALS-MISSING")
def check_unassessed(c: Checker, ts: TableScore) -> bool:
    """Emit IND-ACTUALS-MISSING once when no indicator of a table has its 实际完成值; return True then.

    A table carried over from last year (names, targets, weights) that is not yet assessed is one
    missing thing, not one per row (RULES §5a).
    """
    rows = ts.indicators
    if len(rows) < 2 or any(s.actual.kind != "missing" for s in rows):
        return False
    c.emit("IND-ACTUALS-MISSING", ts.evaluation.where, "indicators", subject=ts.subject, actual=len(rows))
    return True


@rule("IND-LEVEL1-UNKNOWN", "IND-LEVEL2-UNKNOWN", "IND-LEVEL2-PARENT")
def check_taxonomy(c: Checker, ev: Evaluation) -> None:
    """Emit 一级/二级 labels outside the vocabulary or under the wrong 一级."""
    tax = taxonomy()
    for ind in ev.indicators:
        if ind.is_placeholder() and not ind.level2:
            continue
        level1 = tax.level1_of(ind.level1, ind.level2)
        if level1 is None:
            c.emit(
                "IND-LEVEL1-UNKNOWN",
                ind.where,
                "level1",
                subject=ind.subject,
                actual=ind.level1 or "（空）",
                expected="、".join(tax.level1_names),
            )
            continue
        if not ind.level2:
            continue
        level2 = tax.canonical_level2(ind.level2)
        if level2 is None:
            c.emit(
                "IND-LEVEL2-UNKNOWN",
                ind.where,
                "level2",
                subject=ind.subject,
                actual=ind.level2,
                level1=level1,
                expected="、".join(tax.level2_names(level1)),
            )
        elif tax.level2[level2].level1 != level1:
            c.emit(
                "IND-LEVEL2-PARENT",
                ind.where,
                "level2",
                subject=ind.subject,
                actual=ind.level2,
                level1=level1,
                expected=tax.level2[level2].level1,
            )


@rule(
    "IND-WEIGHT-MISSING",
    "IND-TARGET-MISSING",
    "IND-TARGET-UNPARSED",
    "IND-TARGET-ZERO",
    "IND-ACTUAL-MISSING",
    "IND-ACTUAL-TEXT",
    "IND-ACTUAL-TIER",
    "IND-UNIT-MISMATCH",
    "IND-PERCENT-OVER",
    "IND-QUAL-BAND",
    "IND-QUAL-DEFAULT",
    "IND-QUAL-UNKNOWN",
    "IND-TARGET-UNREADABLE",
    "IND-DIRECTION-ASSUMED",
    "IND-FRACTION",
    "IND-UNIT-COUNT",
    "IND-OVER-TARGET",
    "IND-SCORE-OVER",
    "IND-SCORE",
    "IND-DEVIATION-REQUIRED",
    "IND-DEVIATION-CONTRADICTION",
    "IND-TAXONOMY-FIT",
    "IND-ROW-EMPTY",
)
def check_indicator(c: Checker, s: IndicatorScore) -> None:
    """Emit the findings of one indicator: weight, target, the scoring flags, score, deviation.

    A named row with nothing else filled is one IND-ROW-EMPTY; a row whose target or actual is
    missing is not also told its score is wrong or asked for a 偏差原因 (what is missing is said once).
    """
    ind, where, places = s.indicator, s.indicator.where, c.policy.score_places
    subject = ind.subject
    if ind.is_unfilled():
        present = (("指标名称", ind.name), ("分值", ind.weight))
        filled = "和".join(label for label, value in present if value is not None)
        c.emit("IND-ROW-EMPTY", where, "target", subject=subject, filled=filled)
        return
    if s.weight is None:
        c.emit(
            "IND-WEIGHT-MISSING",
            where,
            "weight",
            subject=subject,
            actual=ind.weight if ind.weight is not None else "空",
        )
    if not (ind.target or "").strip():
        c.emit("IND-TARGET-MISSING", where, "target", subject=subject)
    field_of = {
        "IND-TARGET-UNPARSED": "target",
        "IND-TARGET-ZERO": "target",
        "IND-TARGET-UNREADABLE": "target",
        "IND-DIRECTION-ASSUMED": "mode",
        "IND-QUAL-BAND": "reported_score",
        "IND-QUAL-DEFAULT": "reported_score",
    }
    for flag in s.flags:
        field = field_of.get(flag.rule, "actual")
        at = "score" if field == "reported_score" else None  # 原表得分 is beside the print area
        c.emit(flag.rule, where, field, subject=subject, at=at, **flag.values)
    if s.score is None or s.weight is None:
        return
    reported = ind.reported_score
    # without a target or an actual the row scores 0 by default: that is said once (IND-TARGET-MISSING,
    # IND-ACTUAL-MISSING), not again as a wrong score or a missing 偏差原因
    unscored = any(f.rule == "IND-ACTUAL-MISSING" for f in s.flags) or not (ind.target or "").strip()
    shortfall_reason = says_shortfall(ind.deviation)
    if reported is not None and reported > s.weight:
        c.emit(
            "IND-SCORE-OVER",
            where,
            "reported_score",
            at="score",
            subject=subject,
            expected=s.weight,
            actual=reported,
        )
    elif (
        reported is not None
        and reported >= 0  # a negative score is AMOUNT-NEGATIVE's
        and abs(reported - s.score) > c.policy.score_tolerance
        and not unscored
        and not any(f.rule == "IND-QUAL-BAND" for f in s.flags)  # that finding already says it
    ):
        contradiction = ""
        if shortfall_reason and reported >= s.weight:
            contradiction = f"；偏差原因“{ind.deviation.strip()}”已说明未完成，却给了满分"
        c.emit(
            "IND-SCORE",
            where,
            "reported_score",
            at="score",
            subject=subject,
            expected=fmt(s.score, places),
            actual=reported,
            explanation=s.explanation,
            contradiction=contradiction,
        )
    if (
        not s.full
        and not (ind.deviation or "").strip()
        and not unscored
        and not (s.review and reported is None)
    ):
        c.emit("IND-DEVIATION-REQUIRED", where, "deviation", subject=subject, explanation=s.explanation)
    if s.full and shortfall_reason and (reported is None or reported >= s.weight):
        c.emit(
            "IND-DEVIATION-CONTRADICTION",
            where,
            "deviation",
            subject=subject,
            reason=ind.deviation.strip(),
            actual=fmt_plain(reported if reported is not None else s.score),
        )
    if s.level2 == "质量指标" and s.target.unit != "%" and is_count_unit(s.target.unit):
        c.emit(
            "IND-TAXONOMY-FIT", where, "level2", subject=subject, actual=ind.target.strip(), level2=s.level2
        )


def _bigrams(text: str) -> set[str]:
    cleaned = normalize_text(text)
    for word in _GENERIC_NAME_WORDS:
        cleaned = cleaned.replace(word, "|")
    return {cleaned[i : i + 2] for i in range(len(cleaned) - 1) if "|" not in cleaned[i : i + 2]}


@rule("IND-RELEVANCE")
def check_relevance(c: Checker, ev: ProjectEvaluation, ts: TableScore) -> None:
    """Emit a project whose name shares nothing with its goal and indicators."""
    if not ev.name or not ts.indicators:
        return
    content = " ".join([ev.goal_expected or "", *(s.indicator.name or "" for s in ts.indicators)])
    if _bigrams(ev.name) and not _bigrams(ev.name) & _bigrams(content):
        names = "、".join(s.indicator.name or "" for s in ts.indicators[:4])
        c.emit("IND-RELEVANCE", ev.where, "name", subject=ev.name, actual=names)
