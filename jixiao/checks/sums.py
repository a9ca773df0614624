"""附件1-1 (RULES.md §1.1): the column sums, 公用经费, 三公 over budget, control rates, 编制数 and the
budget adjustment. Amount identities use the rule's tolerance (a gap within it is an info hint)."""

from __future__ import annotations

import re

from jixiao.checks.registry import Checker, rate_matches, sum_filled
from jixiao.findings import rule
from jixiao.model import CostLine
from jixiao.numbers import HUNDRED, ZERO, fmt, fmt_percent, fmt_plain, is_not_applicable, normalize_text

COLUMNS_11 = (("prev_final", "上年决算数"), ("budget", "本年预算数"), ("final", "本年决算数"))


def _sum_rule(
    c: Checker, rule_id: str, total: CostLine, parts: list[CostLine], subject: str | None = None
) -> None:
    """Compare ``total`` with the sum of ``parts`` in each column where a part is filled.

    The columns where only the total is filled (every part blank) are one T11-NO-DETAIL warning,
    not a sum error per column ("应等于其下各行之和 0").
    """
    subject = subject or total.label or ""
    total_only = []
    for column, label in COLUMNS_11:
        part_values = [getattr(p, column) for p in parts]
        total_value = getattr(total, column)
        if all(v is None for v in part_values):
            if total_value:
                total_only.append((column, label))
            continue
        filled = [p for p in parts if getattr(p, column) is not None]
        c.compare(
            rule_id,
            sum_filled(part_values),
            total_value or ZERO,
            total.where,
            column,
            column=label,
            subject=subject,
            parts=" + ".join(f"{_short(p.label)} {fmt_plain(getattr(p, column))}" for p in filled),
        )
    if total_only:
        labels = [_short(p.label) for p in parts if (p.label or "").strip(" .．…")]
        c.emit(
            "T11-NO-DETAIL",
            total.where,
            total_only[0][0],
            subject=_short(subject),
            columns="、".join(label for _, label in total_only),
            parts="、".join(labels),
        )


@rule(
    "T11-SUM-SANGONG",
    "T11-SUM-CAR",
    "T11-SUM-PROJECTS",
    "T11-SUM-SPECIAL",
    "T11-NO-DETAIL",
    "T11-PUBLIC-OVER",
    "T11-SANGONG-OVER",
)
def check_t11(c: Checker) -> None:
    """Emit the 附件1-1 sum, 公用经费 and 三公-over-budget findings, then its rates, 编制数 and adjustment."""
    t = c.filing.t11
    _sum_rule(c, "T11-SUM-SANGONG", t.sangong, [t.car, t.abroad, t.reception])
    _sum_rule(c, "T11-SUM-CAR", t.car, [t.car_purchase, t.car_running])
    _sum_rule(c, "T11-SUM-PROJECTS", t.projects, [*t.project_lines, t.special], "项目支出")
    if t.special_items:
        _sum_rule(c, "T11-SUM-SPECIAL", t.special, t.special_items)
    # 公用经费 其中 rows are never exhaustive (RULES §1.1): only a sum above the total is wrong
    public_parts = [t.public_office, t.public_utilities, t.public_meetings]
    for column, label in COLUMNS_11:
        values = [getattr(p, column) for p in public_parts]
        total = getattr(t.public, column)
        if total is None or all(v is None for v in values):
            continue
        parts = sum_filled(values)
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


@rule("T11-CONTROL-RATE", "T11-RATE-NA", "T11-STAFF-OVER")
def _check_t11_rates(c: Checker) -> None:
    """Emit the 附件1-1 control rates that do not match their figures, have no denominator, or
    show more staff in service than the 编制 (a reason is asked for)."""
    t = c.filing.t11
    staff = t.staff
    if staff.authorized and staff.actual is not None and staff.actual > staff.authorized:
        c.emit(
            "T11-STAFF-OVER",
            staff.where,
            "actual",
            subject="在职人员控制率",
            expected=staff.authorized,
            actual=staff.actual,
            rate=fmt_percent(staff.actual / staff.authorized),
        )
    if staff.authorized and staff.actual is not None and staff.reported_control_rate:
        ratio = staff.actual / staff.authorized
        ok, expected = rate_matches(staff.reported_control_rate, ratio)
        if not ok:
            c.emit(
                "T11-CONTROL-RATE",
                staff.where,
                "reported_control_rate",
                at="control_rate",
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
        if reported is None or not normalize_text(reported) or is_not_applicable(reported):
            continue
        if not den:
            at = field.removeprefix("reported_")  # the printed rate, not the one typed beside the form
            c.emit("T11-RATE-NA", b.where, field, subject=label, actual=reported, at=at)
        elif num is not None:
            ok, expected = rate_matches(reported, num / den)
            if not ok:
                c.emit(
                    "T11-CONTROL-RATE",
                    b.where,
                    field,
                    at=field.removeprefix("reported_"),
                    subject=label,
                    expected=expected,
                    actual=reported,
                    explanation=f"{fmt_plain(num)}/{fmt_plain(den)}",
                )


@rule("T11-STAFF-DEFINITION", "T11-STAFF-MISMATCH")
def _check_staff_definition(c: Checker) -> None:
    """Emit a 编制数 that differs from 人员情况 (explained by 安置 people, or not)."""
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


@rule("T11-ADJUSTMENT")
def _check_budget_adjustment(c: Checker) -> None:
    """Emit a 基本支出 budget increase that 部门基本支出预算调整 does not report."""
    f = c.filing
    budget = f.t12.budget
    if budget.initial is None or budget.full_year is None or not budget.initial:
        return
    increase = budget.full_year - budget.initial
    project_increase = sum_filled(
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
