"""Rolling a filed year into the next: what carries over and what starts empty."""

from __future__ import annotations

import copy

from jixiao.model import BalanceItem, CostLine, Evaluation, Filing, ProjectSpend
from jixiao.numbers import fmt_plain


def _roll_cost(line: CostLine) -> None:
    line.prev_final, line.budget, line.final = line.final, None, None


def _roll_evaluation(ev: Evaluation) -> None:
    weight = ev.budget.weight
    ev.budget = type(ev.budget)(weight=weight)
    ev.goal_actual = None
    ev.reported_total = None
    ev.total_weight = None
    for ind in ev.indicators:
        ind.actual = ind.reported_score = ind.deviation = None


def next_year(filing: Filing) -> Filing:
    """Return the next year's filing: 本年决算 becomes 上年决算; texts, projects and indicators stay.

    Actual values, scores, execution figures and the year's own narrative are cleared.
    """
    new = copy.deepcopy(filing)
    new.year = filing.year + 1 if filing.year is not None else None
    new.report_date = None
    new.signers.fill_date = None
    for name in ("duties", "problems", "improvements", "other", "satisfaction"):
        setattr(new.prose, name, None)
    for name in ("personnel_change_reason", "public_change_reason", "sangong_change_reason"):
        setattr(new.prose, name, None)
    s = new.spending
    s.prev_personnel, s.prev_public = filing.spending.personnel, filing.spending.public
    s.wages = s.goods_services = s.family_subsidies = s.capital = None
    s.gov_fund = s.state_capital = s.social_insurance = None
    s.projects = [ProjectSpend(name=p.name) for p in filing.spending.projects]
    s.balance_items = [BalanceItem(label=b.label) for b in filing.spending.balance_items]
    t = new.t11
    t.staff.actual = None
    t.staff.reported_control_rate = None
    for line in (
        t.sangong, t.car, t.car_purchase, t.car_running, t.abroad, t.reception, t.projects,
        *t.project_lines, t.special, *t.special_items, t.public, t.public_office,
        t.public_utilities, t.public_meetings, t.procurement, t.basic_adjustment,
    ):  # fmt: skip
        _roll_cost(line)
    t.procurement.prev_final = t.basic_adjustment.prev_final = None  # printed "—"
    t.buildings = type(t.buildings)()
    _roll_evaluation(new.t12)
    new.t12.revenue = type(new.t12.revenue)()
    new.t12.expenditure = type(new.t12.expenditure)()
    for project in new.t13:
        _roll_evaluation(project)
        project.fiscal = type(project.fiscal)()
        project.carryover = type(project.carryover)()
        project.other = type(project.other)()
        project.prose.implementation = project.prose.quality = project.prose.benefit = None
    return new


def describe(filing: Filing) -> str:
    """Return a one-line Chinese summary of what was carried into ``filing``."""
    prev = fmt_plain(filing.t11.sangong.prev_final) or "—"
    unit = filing.unit or "（单位）"
    return f"{unit} {filing.year} 年度：{len(filing.t13)} 个项目表，上年三公经费决算 {prev} 万元"
