"""The checks (RULES.md §1 sums, §3 R1–R7, §4 cross-table identities, §5 plausibility).

Each rule is a record in ``data/rules.toml`` with a stable ID; this module holds the logic and
emits findings through :class:`Checker`. ``check_filing(filing, scores)`` returns every finding.
Amount identities use the rule's tolerance: a gap above it is the rule's severity, a gap within
it (a rounding-only difference, RULES §0) is an info hint, no gap is silent.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from decimal import Decimal

from jixiao.datafile import table_of
from jixiao.findings import Finding, make_finding, rules
from jixiao.model import (
    SHEET_INFO,
    SHEET_T12,
    CostLine,
    Evaluation,
    Filing,
    FundLine,
    ProjectEvaluation,
    Where,
    same_project,
)
from jixiao.numbers import HUNDRED, ZERO, fmt, fmt_plain, normalize_text, parse_percent, quantize
from jixiao.scoring import FilingScore, IndicatorScore, TableScore
from jixiao.targets import is_count_unit, says_shortfall
from jixiao.taxonomy import taxonomy

COLUMNS_11 = (("prev_final", "上年决算数"), ("budget", "本年预算数"), ("final", "本年决算数"))
COLUMNS_FUND = (("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数"))
OUTPUT_DIMENSIONS = ("数量指标", "质量指标", "时效指标", "成本指标")
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


class Checker:
    """Collects findings for one filing."""

    def __init__(self, filing: Filing, scores: FilingScore) -> None:
        self.filing = filing
        self.scores = scores
        self.policy = filing.policy
        self.findings: list[Finding] = []

    def emit(
        self,
        rule_id: str,
        where: Where | None,
        field: str | None = None,
        *,
        subject: str = "",
        expected: object = None,
        actual: object = None,
        table: str | None = None,
        severity: str | None = None,
        **values: object,
    ) -> None:
        """Add a finding of ``rule_id`` located at ``field`` of the record ``where``."""
        self.findings.append(
            make_finding(
                rule_id,
                table=table or rules()[rule_id].table or table_of(where),
                sheet=where.sheet if where else None,
                cell=where.cell(field) if where else None,
                field=where.field_path(field) if where else field,
                subject=subject,
                expected=_text(expected),
                actual=_text(actual),
                severity=severity,
                **{k: _text(v) for k, v in values.items()},
            )
        )

    def compare(
        self,
        rule_id: str,
        expected: Decimal,
        actual: Decimal,
        where: Where | None,
        field: str | None = None,
        **kwargs: object,
    ) -> None:
        """Emit ``rule_id`` when two amounts differ: beyond tolerance as the rule's severity,
        within it as an info hint (a rounding-only gap)."""
        diff = actual - expected
        if diff == 0:
            return
        tolerance = self.policy.tolerance(rules()[rule_id].tolerance)
        severity = None if abs(diff) > tolerance else "info"
        self.emit(
            rule_id,
            where,
            field,
            expected=fmt_plain(expected),
            actual=fmt_plain(actual),
            diff=_signed(diff),
            severity=severity,
            **kwargs,
        )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return fmt_plain(value)
    return str(value)


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + fmt_plain(value)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), ZERO)


# ------------------------------------------------------------------ entry point


def check_filing(filing: Filing, scores: FilingScore) -> list[Finding]:
    """Return every finding of ``filing`` given its ``scores``."""
    checker = Checker(filing, scores)
    _check_required(checker)
    _check_negative_amounts(checker)
    _check_t11(checker)
    _check_t12_budget(checker)
    for table_score in scores.tables():
        _check_evaluation(checker, table_score)
    for project in filing.t13:
        _check_project_funds(checker, project)
    _check_rate_precision(checker)
    _check_cross_tables(checker)
    return checker.findings


# ------------------------------------------------------------------ input


def _check_required(c: Checker) -> None:
    f = c.filing
    info = Where(sheet=SHEET_INFO, path="")
    if not f.unit:
        c.emit("INPUT-REQUIRED", info, "unit", subject="单位名称", table="报告")
    if f.year is None:
        c.emit("INPUT-REQUIRED", info, "year", subject="年度", table="报告")
    for i, project in enumerate(f.t13):
        if not project.name:
            c.emit("INPUT-REQUIRED", project.where, "name", subject=f"第{i + 1}个项目的项目支出名称")


def _walk_amounts(record: object) -> Iterable[tuple[object, str, Decimal]]:
    """Yield (record, field, value) for every Decimal field below ``record``."""
    if isinstance(record, list):
        for item in record:
            yield from _walk_amounts(item)
        return
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, Decimal):
            yield record, f.name, value
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, Decimal):
                    yield record, f"{f.name}.{key}", item
        elif f.name not in ("where", "policy"):
            yield from _walk_amounts(value)


def _check_negative_amounts(c: Checker) -> None:
    for record, name, value in _walk_amounts(c.filing):
        if value < 0:
            where = getattr(record, "where", None)
            label = getattr(record, "label", None) or getattr(record, "name", None) or name
            c.emit("AMOUNT-NEGATIVE", where, name, subject=f"{label}（{name}）", actual=value)


# ------------------------------------------------------------------ 附件1-1


def _sum_rule(c: Checker, rule_id: str, total: CostLine, parts: list[CostLine], **values: object) -> None:
    for column, label in COLUMNS_11:
        part_values = [getattr(p, column) for p in parts]
        total_value = getattr(total, column)
        if total_value is None and all(v is None for v in part_values):
            continue
        expected = _sum(part_values)
        c.compare(
            rule_id,
            expected,
            total_value or ZERO,
            total.where,
            column,
            column=label,
            subject=total.label or "",
            **values,
        )


def _check_t11(c: Checker) -> None:
    t = c.filing.t11
    _sum_rule(c, "T11-SUM-SANGONG", t.sangong, [t.car, t.abroad, t.reception])
    _sum_rule(c, "T11-SUM-CAR", t.car, [t.car_purchase, t.car_running])
    project_parts = [line for line in [*t.project_lines, t.special] if not line.is_blank()]
    for column, label in COLUMNS_11:
        values = [getattr(p, column) for p in project_parts]
        total = getattr(t.projects, column)
        if total is None and all(v is None for v in values):
            continue
        parts = " + ".join(
            f"{_short(p.label)} {fmt_plain(getattr(p, column) or ZERO)}" for p in project_parts
        )
        c.compare(
            "T11-SUM-PROJECTS",
            _sum(values),
            total or ZERO,
            t.projects.where,
            column,
            column=label,
            parts=parts,
            subject="项目支出",
        )
    if t.special_items:
        _sum_rule(c, "T11-SUM-SPECIAL", t.special, t.special_items)
    public_parts = [t.public_office, t.public_utilities, t.public_meetings]
    for column, label in COLUMNS_11:
        values = [getattr(p, column) for p in public_parts]
        total = getattr(t.public, column)
        if total is None or all(v is None for v in values):
            continue
        parts = _sum(values)
        if parts > total + c.policy.amount_tolerance:
            c.emit(
                "T11-PUBLIC-OVER",
                t.public.where,
                column,
                subject="公用经费",
                column=label,
                expected=parts,
                actual=total,
            )
        elif parts != total:
            c.compare(
                "T11-PUBLIC-PARTS", parts, total, t.public.where, column, column=label, subject="公用经费"
            )
    if t.sangong.budget is not None and t.sangong.final is not None and t.sangong.final > t.sangong.budget:
        c.emit(
            "T11-SANGONG-OVER",
            t.sangong.where,
            "final",
            subject="三公经费",
            expected=t.sangong.budget,
            actual=t.sangong.final,
        )
    _check_t11_rates(c)
    _check_staff_definition(c)
    _check_budget_adjustment(c)


def _short(label: str | None) -> str:
    text = re.sub(r"^(\d+、|其中[:：]\s*)", "", label or "").strip()
    return re.sub(r"\(.*?\)|（.*?）", "", text) or "（未命名）"


def _rate_matches(reported: str, ratio: Decimal) -> tuple[bool, str]:
    """Return whether a printed rate equals ``ratio`` at the precision it shows, and the 2-dp text."""
    expected = f"{fmt(ratio * HUNDRED, 2)}%"
    parsed = parse_percent(reported)
    if parsed is None:
        return False, expected
    value, places = parsed
    return quantize(ratio * HUNDRED, places) == value, expected


def _check_t11_rates(c: Checker) -> None:
    t = c.filing.t11
    staff = t.staff
    if staff.authorized and staff.actual is not None and staff.reported_control_rate:
        ratio = staff.actual / staff.authorized
        ok, expected = _rate_matches(staff.reported_control_rate, ratio)
        if not ok:
            c.emit(
                "T11-CONTROL-RATE",
                staff.where,
                "reported_control_rate",
                subject="在职人员控制率",
                expected=expected,
                actual=staff.reported_control_rate,
                explanation=f"{fmt_plain(staff.actual)}/{fmt_plain(staff.authorized)}",
            )
    b = t.buildings
    for label, num, den, field in (
        ("规模控制率", b.actual_m2, b.approved_m2, "reported_scale_rate"),
        ("投资概算控制率", b.actual_invest, b.budget_invest, "reported_invest_rate"),
    ):
        reported = getattr(b, field)
        if reported is None or normalize_text(reported) in ("—", "-", "/", ""):
            continue
        if not den:
            c.emit("T11-RATE-NA", b.where, field, subject=label, actual=reported)
        elif num is not None:
            ok, expected = _rate_matches(reported, num / den)
            if not ok:
                c.emit(
                    "T11-CONTROL-RATE",
                    b.where,
                    field,
                    subject=label,
                    expected=expected,
                    actual=reported,
                    explanation=f"{fmt_plain(num)}/{fmt_plain(den)}",
                )


def _check_staff_definition(c: Checker) -> None:
    staff, head = c.filing.t11.staff, c.filing.headcount
    if staff.authorized is None or head.establishment is None or staff.authorized == head.establishment:
        return
    net = head.establishment - (head.establishment_lent or ZERO)
    if head.establishment_lent and net == staff.authorized:
        c.emit(
            "T11-STAFF-DEFINITION",
            staff.where,
            "authorized",
            subject="编制数",
            expected=net,
            actual=staff.authorized,
            establishment=head.establishment,
            lent=head.establishment_lent,
        )
    else:
        c.emit(
            "T11-STAFF-MISMATCH",
            staff.where,
            "authorized",
            subject="编制数",
            expected=head.establishment,
            actual=staff.authorized,
        )


def _check_budget_adjustment(c: Checker) -> None:
    f = c.filing
    budget = f.t12.budget
    if budget.initial is None or budget.full_year is None or not budget.initial:
        return
    increase = budget.full_year - budget.initial
    project_increase = _sum(
        p.budget.full_year - p.budget.initial
        for p in f.t13
        if p.budget.full_year is not None and p.budget.initial is not None
    )
    basic = increase - project_increase
    reported = (
        f.t11.basic_adjustment.final
        if f.t11.basic_adjustment.final is not None
        else f.t11.basic_adjustment.budget
    )
    if basic > c.policy.amount_tolerance and not reported:
        c.emit(
            "T11-ADJUSTMENT",
            f.t11.basic_adjustment.where,
            "final",
            subject="部门基本支出预算调整",
            expected=basic,
            actual=reported if reported is not None else "空",
            increase=increase,
            share=f"+{fmt(increase / budget.initial * HUNDRED, 1)}%",
            projects=project_increase,
            basic=basic,
        )


# ------------------------------------------------------------------ 附件1-2 budget block


def _check_t12_budget(c: Checker) -> None:
    t = c.filing.t12
    executed = t.budget.executed
    if executed is None:
        return
    revenue = [t.revenue.general, t.revenue.gov_fund, t.revenue.special_account, t.revenue.other]
    if any(v is not None for v in revenue):
        c.compare(
            "T12-REVENUE-SUM", _sum(revenue), executed, t.revenue.where, "general", subject="按收入性质分"
        )
    spend = [t.expenditure.basic, t.expenditure.project]
    if any(v is not None for v in spend):
        c.compare(
            "T12-EXPENDITURE-SUM", _sum(spend), executed, t.expenditure.where, "basic", subject="按支出性质分"
        )
    if t.dept_name and c.filing.unit and normalize_text(t.dept_name) != normalize_text(c.filing.unit):
        c.emit(
            "T12-DEPT-NAME",
            t.where,
            "dept_name",
            subject="部门名称",
            expected=c.filing.unit,
            actual=t.dept_name,
        )


# ------------------------------------------------------------------ 1-2 / 1-3 evaluation


def _check_evaluation(c: Checker, ts: TableScore) -> None:
    ev = ts.evaluation
    _check_execution(c, ts)
    _check_taxonomy(c, ev)
    for s in ts.indicators:
        _check_indicator(c, s)
    _check_weights(c, ts)
    _check_dimensions(c, ts)
    hand_scored = any(s.indicator.reported_score is not None for s in ts.indicators)
    if ts.reported_total is None and hand_scored:  # scores typed by hand but no 总分 row
        c.emit(
            "TOTAL-MISSING",
            ev.where,
            "reported_total",
            subject=ts.subject,
            expected=fmt(ts.total, c.policy.score_places),
            grade=ts.grade,
        )
    elif ts.reported_total is not None and abs(ts.reported_total - ts.total) > c.policy.score_tolerance:
        c.emit(
            "TOTAL-SCORE",
            ev.where,
            "reported_total",
            subject=ts.subject,
            expected=fmt(ts.total, c.policy.score_places),
            actual=ts.reported_total,
            explanation=ts.explanation,
        )
    if isinstance(ev, ProjectEvaluation):
        _check_relevance(c, ev, ts)


def _check_execution(c: Checker, ts: TableScore) -> None:
    budget, ex = ts.evaluation.budget, ts.exec
    where = budget.where
    for flag in ex.flags:
        c.emit(flag.rule, where, "executed", subject=ts.subject, **flag.values)
    if (
        ex.score is not None
        and budget.reported_score is not None
        and abs(budget.reported_score - ex.score) > c.policy.score_tolerance
    ):
        c.emit(
            "EXEC-SCORE",
            where,
            "reported_score",
            subject=ts.subject,
            expected=fmt(ex.score, c.policy.score_places),
            actual=budget.reported_score,
            explanation=ex.explanation,
        )
    if ex.rate is not None and budget.reported_rate:
        ok, expected = _rate_matches(budget.reported_rate, ex.rate)
        if not ok:
            c.emit(
                "EXEC-RATE",
                where,
                "reported_rate",
                subject=ts.subject,
                expected=expected,
                actual=budget.reported_rate,
            )
    if (
        ex.rate is not None
        and ex.rate < 1
        and budget.full_year is not None
        and budget.executed is not None
        and not (ts.table == "1-2" and _balance_explained(c.filing))
    ):
        c.emit(
            "EXEC-BELOW-FULL",
            where,
            "executed",
            subject=ts.subject,
            actual=ex.rate_text,
            balance=budget.full_year - budget.executed,
        )


def _balance_explained(filing: Filing) -> bool:
    """Return True when the 结余 breakdown of 支出情况 accounts for the whole balance, each with a reason."""
    items, budget = filing.spending.balance_items, filing.t12.budget
    if not items or budget.full_year is None or budget.executed is None:
        return False
    complete = all(item.amount is not None and (item.reason or "").strip() for item in items)
    return complete and _sum(item.amount for item in items) == budget.full_year - budget.executed


def _check_taxonomy(c: Checker, ev: Evaluation) -> None:
    tax = taxonomy()
    for ind in ev.indicators:
        if ind.is_placeholder() and not ind.level2:
            continue
        level1 = tax.canonical_level1(ind.level1)
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


def _check_indicator(c: Checker, s: IndicatorScore) -> None:
    ind, where, places = s.indicator, s.indicator.where, c.policy.score_places
    subject = ind.subject
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
        "IND-QUAL-BAND": "reported_score",
        "IND-QUAL-DEFAULT": "reported_score",
    }
    for flag in s.flags:
        c.emit(flag.rule, where, field_of.get(flag.rule, "actual"), subject=subject, **flag.values)
    if s.score is None or s.weight is None:
        return
    reported = ind.reported_score
    shortfall_reason = says_shortfall(ind.deviation)
    if reported is not None and reported > s.weight:
        c.emit("IND-SCORE-OVER", where, "reported_score", subject=subject, expected=s.weight, actual=reported)
    elif reported is not None and abs(reported - s.score) > c.policy.score_tolerance:
        contradiction = ""
        if shortfall_reason and reported >= s.weight:
            contradiction = f"；偏差原因“{ind.deviation.strip()}”已说明未完成，却给了满分"
        c.emit(
            "IND-SCORE",
            where,
            "reported_score",
            subject=subject,
            expected=fmt(s.score, places),
            actual=reported,
            explanation=s.explanation,
            contradiction=contradiction,
        )
    if not s.full and not (ind.deviation or "").strip():
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


def _canonical_weights(ev: Evaluation) -> dict[str, Decimal | None]:
    tax = taxonomy()
    out: dict[str, Decimal | None] = {}
    for label, weight in ev.level1_weights.items():
        out[tax.canonical_level1(label) or label] = weight
    return out


def _check_weights(c: Checker, ts: TableScore) -> None:
    ev = ts.evaluation
    declared = _canonical_weights(ev)
    expected_split = c.policy.level1_weights
    for level1 in taxonomy().required_level1:
        if level1 not in ts.level1_weights:
            c.emit("IND-BLOCK-MISSING", ev.where, "indicators", subject=level1)
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


def _check_dimensions(c: Checker, ts: TableScore) -> None:
    ev = ts.evaluation
    tax = taxonomy()
    filled = {s.level2 for s in ts.indicators if s.level2}
    shown = [tax.canonical_level2(i.level2) for i in ev.indicators if i.is_placeholder() and i.level2]
    if ts.table == "1-3":
        missing = [d for d in OUTPUT_DIMENSIONS if d not in filled]
        if missing:
            c.emit(
                "IND-OUTPUT-DIMENSIONS", ev.where, "indicators", subject=ts.subject, actual="、".join(missing)
            )
    elif "成本指标" not in filled:
        c.emit("IND-NO-COST", ev.where, "indicators", subject=ts.subject)
    empty = [
        d
        for d in dict.fromkeys(shown)
        if d and d not in filled and not (ts.table == "1-3" and d in OUTPUT_DIMENSIONS)
    ]
    if empty:
        c.emit("IND-EMPTY-LEVEL2", ev.where, "indicators", subject=ts.subject, actual="、".join(empty))


def _bigrams(text: str) -> set[str]:
    cleaned = normalize_text(text)
    for word in _GENERIC_NAME_WORDS:
        cleaned = cleaned.replace(word, "|")
    return {cleaned[i : i + 2] for i in range(len(cleaned) - 1) if "|" not in cleaned[i : i + 2]}


def _check_relevance(c: Checker, ev: ProjectEvaluation, ts: TableScore) -> None:
    if not ev.name or not ts.indicators:
        return
    content = " ".join([ev.goal_expected or "", *(s.indicator.name or "" for s in ts.indicators)])
    if _bigrams(ev.name) and not _bigrams(ev.name) & _bigrams(content):
        names = "、".join(s.indicator.name or "" for s in ts.indicators[:4])
        c.emit("IND-RELEVANCE", ev.where, "name", subject=ev.name, actual=names)


# ------------------------------------------------------------------ 附件1-3 funds


def _check_project_funds(c: Checker, project: ProjectEvaluation) -> None:
    parts: list[FundLine] = [project.fiscal, project.carryover, project.other]
    for column, label in COLUMNS_FUND:
        values = [getattr(p, column) for p in parts]
        if all(v is None for v in values):
            continue
        total = getattr(project.budget, column)
        c.compare(
            "T13-FUNDS-SUM",
            _sum(values),
            total or ZERO,
            project.budget.where,
            column,
            subject=project.name or "",
            column=label,
        )


# ------------------------------------------------------------------ rates shown


def _check_rate_precision(c: Checker) -> None:
    shown: list[tuple[str, str, int]] = []
    f = c.filing
    staff = f.t11.staff
    if staff.authorized and staff.actual is not None and staff.reported_control_rate:
        shown.append(("附件1-1 控制率", staff.reported_control_rate, staff.actual / staff.authorized))
    for ts in c.scores.tables():
        if ts.exec.rate is not None and ts.evaluation.budget.reported_rate:
            shown.append((f"{ts.sheet} 执行率", ts.evaluation.budget.reported_rate, ts.exec.rate))
    rounded = []
    for label, text, ratio in shown:
        parsed = parse_percent(text)
        if parsed is None:
            continue
        value, places = parsed
        if value != ratio * HUNDRED:  # an exact figure (100%) says nothing about precision
            rounded.append((label, text.strip(), places, ratio))
    if len({places for _, _, places, _ in rounded}) > 1:
        listing = "；".join(f"{label} {text}（{places} 位小数）" for label, text, places, _ in rounded)
        example = f"{fmt(rounded[0][3] * HUNDRED, 2)}%"
        c.emit(
            "RATE-PRECISION",
            Where(sheet=SHEET_T12, path="t12.budget"),
            "reported_rate",
            subject="执行率/控制率",
            actual=listing,
            expected="2 位小数",
            example=example,
            table="1-2",
        )


# ------------------------------------------------------------------ cross-table identities


def _check_cross_tables(c: Checker) -> None:
    f = c.filing
    t11, t12 = f.t11, f.t12
    project_12 = t12.expenditure.project
    if t11.projects.final is not None and project_12 is not None:
        c.compare(
            "X-PROJECTS-11-12",
            project_12,
            t11.projects.final,
            t11.projects.where,
            "final",
            subject="项目支出",
        )
    executed = [(p.name or f"项目{i + 1}", p.budget.executed) for i, p in enumerate(f.t13)]
    if project_12 is not None and f.t13:
        parts = " + ".join(f"{name} {fmt_plain(v or ZERO)}" for name, v in executed)
        c.compare(
            "X-PROJECTS-12-13",
            _sum(v for _, v in executed),
            project_12,
            t12.expenditure.where,
            "project",
            parts=parts,
            subject="项目支出",
        )
    for item in t11.special_items:
        match = next((p for p in f.t13 if same_project(item.label, p.name)), None)
        if match is not None and item.final is not None and match.budget.executed is not None:
            c.compare(
                "X-SPECIAL-11-13",
                match.budget.executed,
                item.final,
                item.where,
                "final",
                subject=item.label or "",
                project=match.name,
            )
    spending = f.spending
    for spend in spending.projects:
        if not any(same_project(spend.name, p.name) for p in f.t13):
            c.emit(
                "X-PROJECT-NO-TABLE",
                spend.where,
                "name",
                subject=spend.name or "（未命名）",
                actual=spend.executed if spend.executed is not None else "—",
            )
    if spending.projects and project_12 is not None:
        parts = " + ".join(f"{p.name} {fmt_plain(p.executed or ZERO)}" for p in spending.projects)
        c.compare(
            "X-PROJECTS-SPENDING",
            project_12,
            _sum(p.executed for p in spending.projects),
            spending.where,
            "projects",
            parts=parts,
            subject="项目支出",
        )
    basic = spending.basic_total
    if basic is not None and t12.expenditure.basic is not None:
        c.compare(
            "X-BASIC-SPENDING", t12.expenditure.basic, basic, spending.where, "wages", subject="基本支出"
        )
    if spending.goods_services is not None and t11.public.final is not None:
        c.compare(
            "X-PUBLIC-11",
            spending.goods_services,
            t11.public.final,
            t11.public.where,
            "final",
            subject="公用经费",
        )
    budget = t12.budget
    if spending.balance_items and budget.full_year is not None and budget.executed is not None:
        balance = budget.full_year - budget.executed
        listed = _sum(item.amount for item in spending.balance_items)
        unquantified = [item.label or "（未命名）" for item in spending.balance_items if item.amount is None]
        if listed != balance or unquantified:
            rest = f"其余 {fmt_plain(balance - listed)} 万元"
            rest += f"（{'、'.join(unquantified)}）未列金额" if unquantified else "未说明"
            c.emit(
                "X-BALANCE-PARTS",
                spending.where,
                "balance_items",
                subject="结余",
                expected=balance,
                actual=listed,
                rest=rest,
            )
