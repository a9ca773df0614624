"""The budget blocks (RULES.md §1.2, §1.3, R1, R6): the 附件1-2 revenue and expenditure splits, budget
execution of every table, the 附件1-3 fund sources and the precision rates are shown with."""

from __future__ import annotations

from decimal import Decimal

from jixiao.checks.registry import Checker, rate_matches, sum_filled
from jixiao.findings import rule
from jixiao.forms import form
from jixiao.model import (
    SHEET_T12,
    DepartmentEvaluation,
    Evaluation,
    Filing,
    FundLine,
    ProjectEvaluation,
    Where,
)
from jixiao.numbers import HUNDRED, fmt, fmt_percent, fmt_plain, normalize_text, parse_percent
from jixiao.scoring import TableScore

COLUMNS_FUND = (("initial", "年初预算数"), ("full_year", "全年预算数"), ("executed", "全年执行数"))


def _label(text: str) -> str:
    return text.removeprefix("其中：").rstrip("：")


def funds_without_total(ev: Evaluation) -> str | None:
    """Return the filled sub-rows of a 年度资金总额 row that is 0 or blank in every column, as text
    ('当年财政拨款 90'), or None when the total row holds an amount or no sub-row is filled.

    The sub-rows are the fund sources of a 附件1-3 and the 按收入性质 / 按支出性质 split of a 附件1-2.
    """
    b = ev.budget
    if any(v for v in (b.initial, b.full_year, b.executed)):
        return None
    parts: list[tuple[str, object]] = []
    if isinstance(ev, ProjectEvaluation):
        for label, line in zip(form("t13")["sources"], (ev.fiscal, ev.carryover, ev.other), strict=True):
            amount = next((v for v in (line.executed, line.full_year, line.initial) if v), None)
            parts.append((_label(label), amount))
    elif isinstance(ev, DepartmentEvaluation):
        spec = form("t12")
        rv, ex = ev.revenue, ev.expenditure
        values = (rv.general, rv.gov_fund, rv.special_account, rv.other, ex.basic, ex.project)
        parts = list(zip(map(_label, (*spec["revenue"], *spec["expenditure"])), values, strict=True))
    filled = [f"{label} {fmt_plain(v)}" for label, v in parts if v]
    return "、".join(filled) or None


@rule("T12-REVENUE-SUM", "T12-EXPENDITURE-SUM", "T12-DEPT-NAME")
def check_t12_budget(c: Checker) -> None:
    """Emit the 附件1-2 revenue and expenditure sums and a 部门名称 unlike the unit."""
    t = c.filing.t12
    executed = t.budget.executed
    if executed is not None and not funds_without_total(t):
        _check_splits(c, executed)
    if t.dept_name and c.filing.unit and normalize_text(t.dept_name) != normalize_text(c.filing.unit):
        c.emit(
            "T12-DEPT-NAME",
            t.where,
            "dept_name",
            subject="部门名称",
            expected=c.filing.unit,
            actual=t.dept_name,
        )


def _check_splits(c: Checker, executed: Decimal) -> None:
    """Emit the 按收入性质分 / 按支出性质分 sums that differ from 全年执行数."""
    t = c.filing.t12
    revenue = [t.revenue.general, t.revenue.gov_fund, t.revenue.special_account, t.revenue.other]
    if any(v is not None for v in revenue):
        c.compare(
            "T12-REVENUE-SUM",
            sum_filled(revenue),
            executed,
            t.revenue.where,
            "general",
            subject="按收入性质分",
        )
    spend = [t.expenditure.basic, t.expenditure.project]
    if any(v is not None for v in spend):
        c.compare(
            "T12-EXPENDITURE-SUM",
            sum_filled(spend),
            executed,
            t.expenditure.where,
            "basic",
            subject="按支出性质分",
        )


@rule(
    "EXEC-MISSING",
    "EXEC-UNVERIFIED",
    "EXEC-NA",
    "EXEC-NO-BUDGET",
    "EXEC-OVER",
    "EXEC-SCORE",
    "EXEC-RATE",
    "EXEC-BELOW-FULL",
    "EXEC-REASON",
    "FUNDS-TOTAL-ZERO",
)
def check_execution(c: Checker, ts: TableScore) -> None:
    """Emit the budget-execution findings of one table (the scoring flags, score, rate, balance).

    A 年度资金总额 row left 0 or blank under filled sub-rows is one FUNDS-TOTAL-ZERO error, in place
    of "执行率不适用" / "未填全年预算数" and a sum error per column.
    """
    budget, ex = ts.evaluation.budget, ts.exec
    where = budget.where
    parts = funds_without_total(ts.evaluation)
    if parts:
        c.emit("FUNDS-TOTAL-ZERO", where, "full_year", subject=ts.subject, actual=parts)
    for flag in ex.flags:
        if parts and flag.rule in ("EXEC-MISSING", "EXEC-NA"):
            continue
        field = "reported_score" if flag.rule == "EXEC-UNVERIFIED" else "executed"
        at = "score" if field == "reported_score" else None  # the printed 得分, not 原表执行率得分
        c.emit(flag.rule, where, field, subject=ts.subject, at=at, **flag.values)
    if (
        ex.score is not None
        and budget.reported_score is not None
        and abs(budget.reported_score - ex.score) > c.policy.score_tolerance
    ):
        c.emit(
            "EXEC-SCORE",
            where,
            "reported_score",
            at="score",
            subject=ts.subject,
            expected=fmt(ex.score, c.policy.score_places),
            actual=budget.reported_score,
            explanation=ex.explanation,
        )
    if ex.rate is not None and budget.reported_rate:
        ok, expected = rate_matches(budget.reported_rate, ex.rate)
        if not ok:
            c.emit(
                "EXEC-RATE",
                where,
                "reported_rate",
                at="rate",
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
    limit = c.policy.exec_reason_below
    if ex.rate is not None and ex.rate < limit and not (budget.reason or "").strip():
        percent = fmt_percent(limit, 0)
        c.emit("EXEC-REASON", where, "reason", subject=ts.subject, actual=ex.rate_text, limit=percent)


def _balance_explained(filing: Filing) -> bool:
    """Return True when the 结余 breakdown of 支出情况 accounts for the whole balance, each with a reason."""
    items, budget = filing.spending.balance_items, filing.t12.budget
    if not items or budget.full_year is None or budget.executed is None:
        return False
    complete = all(item.amount is not None and (item.reason or "").strip() for item in items)
    return complete and sum_filled(item.amount for item in items) == budget.full_year - budget.executed


@rule("T13-FUNDS-SUM")
def check_project_funds(c: Checker, project: ProjectEvaluation) -> None:
    """Emit a 附件1-3 whose fund sources do not add up to its 年度资金总额."""
    if funds_without_total(project):
        return  # FUNDS-TOTAL-ZERO says it once
    parts: list[FundLine] = project.fund_lines()
    for column, label in COLUMNS_FUND:
        values = [getattr(p, column) for p in parts]
        total = getattr(project.budget, column)
        if total is None or all(v is None for v in values):
            continue  # a blank total is said once, by EXEC-MISSING (or FUNDS-TOTAL-ZERO), not per column
        c.compare(
            "T13-FUNDS-SUM",
            sum_filled(values),
            total,
            project.budget.where,
            column,
            subject=project.name or "",
            column=label,
        )


@rule("RATE-PRECISION")
def check_rate_precision(c: Checker) -> None:
    """Emit rates shown with different numbers of decimals."""
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
        where, table = Where(sheet=SHEET_T12, path="t12.budget"), "1-2"
        if c.scores.department is not None and c.scores.department.evaluation.budget.where is not None:
            where = c.scores.department.evaluation.budget.where
        elif c.scores.department is None:  # no 附件1-2: point at the first project's 执行率
            where, table = c.scores.projects[0].evaluation.budget.where, "1-3"
        c.emit(
            "RATE-PRECISION",
            where,
            "reported_rate",
            at="rate",
            subject="执行率/控制率",
            actual=listing,
            expected="2 位小数",
            example=example,
            table=table,
        )
