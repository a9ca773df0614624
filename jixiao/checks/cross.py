"""Cross-table identities (RULES.md §1, §4): 1-1 ↔ 1-2 ↔ Σ1-3 and the 支出情况 block of the report."""

from __future__ import annotations

from jixiao.checks.registry import Checker, sum_filled
from jixiao.findings import rule
from jixiao.model import (
    same_project,
)
from jixiao.numbers import ZERO, fmt_plain


@rule(
    "X-PROJECTS-11-12",
    "X-PROJECTS-12-13",
    "X-SPECIAL-11-13",
    "X-PROJECT-NO-TABLE",
    "X-PROJECTS-SPENDING",
    "X-BASIC-SPENDING",
    "X-PUBLIC-11",
    "X-BALANCE-PARTS",
)
def check_cross_tables(c: Checker) -> None:
    """Emit the identities between the tables and the 支出情况 block that do not hold.

    Each runs only between tables the filing holds (an absent table's amounts are all blank; with
    no 附件1-3 at all, no project is asked for its table).
    """
    f = c.filing
    t11, t12 = f.t11, f.t12
    projects = f.filed_projects()
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
    executed = [(ts.subject, ts.evaluation.budget.executed) for ts in c.scores.projects]
    # a project without 全年执行数 is reported at the project; the sum cannot be told without it
    if project_12 is not None and projects and all(v is not None for _, v in executed):
        parts = " + ".join(f"{name} {fmt_plain(v or ZERO)}" for name, v in executed)
        c.compare(
            "X-PROJECTS-12-13",
            sum_filled(v for _, v in executed),
            project_12,
            t12.expenditure.where,
            "project",
            parts=parts,
            subject="项目支出",
        )
    for item in t11.special_items:
        match = next((p for p in projects if same_project(item.label, p.name)), None)
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
    for spend in spending.projects if projects else []:
        if not any(same_project(spend.name, p.name) for p in projects):
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
            sum_filled(p.executed for p in spending.projects),
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
        listed = sum_filled(item.amount for item in spending.balance_items)
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
