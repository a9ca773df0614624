"""The figures of the 自评报告, each computed once from the model and the scores.

:func:`build_facts` returns plain dataclasses of ``Decimal`` values that the templates format and
the figure check of a hand-written report compares against; nothing here formats text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.model import Amount, Filing, ProjectEvaluation, Where, same_project, sum_known
from jixiao.numbers import ZERO
from jixiao.scoring import FilingScore, IndicatorScore, TableScore


def _diff(a: Amount, b: Amount) -> Amount:
    return a - b if a is not None and b is not None else None


def _ratio(a: Amount, b: Amount) -> Decimal | None:
    return a / b if a is not None and b not in (None, ZERO) else None


def split_paragraphs(text: str | None) -> list[str]:
    """Return the non-empty paragraphs of a prose field (one per line), stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass
class Change:
    """A figure compared with the previous year: value, previous value, change and ratio."""

    value: Amount
    prev: Amount
    delta: Amount = None
    ratio: Decimal | None = None  # delta / prev

    def __post_init__(self) -> None:
        self.delta = _diff(self.value, self.prev)
        self.ratio = _ratio(self.delta, self.prev)


@dataclass
class Shortfall:
    """An indicator that missed its target or lost points."""

    table: str  # 附件1-2 or the project name
    name: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    deviation: str | None
    level2: str | None
    where: Where | None = None  # the indicator's row (its 偏差原因 cell, for a 【请填写】 mark)


@dataclass
class TableFacts:
    """The scores of one 1-2 or 1-3 table as the report quotes them."""

    total: Decimal
    grade: str
    exec_rate: Decimal | None
    exec_score: Decimal | None
    indicator_count: int
    met_count: int
    shortfalls: list[Shortfall]
    satisfaction: list[IndicatorScore]  # 满意度 indicators with a numeric actual

    @property
    def all_met(self) -> bool:
        """Return True when every indicator met its target with full marks."""
        return not self.shortfalls


@dataclass
class ProjectFacts:
    """One project of the year: amounts from its 1-3 table when it has one, else from 支出情况."""

    name: str
    initial: Amount
    budget: Amount
    executed: Amount
    has_table: bool
    evaluation: ProjectEvaluation | None = None
    scores: TableFacts | None = None
    added_midyear: bool = False

    @property
    def balance(self) -> Amount:
        """Return 结余结转 = 全年预算数 − 全年执行数 (None when either is unknown)."""
        return _diff(self.budget, self.executed)

    @property
    def adjustment(self) -> Amount:
        """Return the in-year 调增（减） = 全年预算数 − 年初预算数."""
        return _diff(self.budget, self.initial)

    @property
    def rate(self) -> Decimal | None:
        """Return the 资金使用率 (执行率) as a ratio."""
        return _ratio(self.executed, self.budget)


@dataclass
class Facts:
    """Every figure the report states, from one source each."""

    unit: str
    year: int | None
    report_date: str | None
    # 支出情况 (基本信息)
    wages: Amount
    goods_services: Amount
    family_subsidies: Amount
    capital: Amount
    basic: Amount
    personnel: Change
    public: Change
    gov_fund: Amount
    state_capital: Amount
    social_insurance: Amount
    # 附件1-2
    initial: Amount
    full_year: Amount
    executed: Amount
    project_total: Amount
    balance: Amount
    balance_items: list = field(default_factory=list)
    # 附件1-1
    sangong: Change = field(default_factory=lambda: Change(None, None))
    sangong_budget: Amount = None
    car: Amount = None
    abroad: Amount = None
    reception: Amount = None
    # projects and scores
    projects: list[ProjectFacts] = field(default_factory=list)
    department: TableFacts | None = None  # None when the filing holds no 附件1-2
    has_t11: bool = True  # the filing holds 附件1-1 (its figures are None otherwise)

    @property
    def project_balance(self) -> Amount:
        """Return Σ 结余结转 over the projects whose budget is known."""
        return sum_known(*(p.balance for p in self.projects))

    @property
    def project_parts(self) -> Amount:
        """Return Σ 实际支出 over the projects, as the report lists them under 项目支出."""
        return sum_known(*(p.executed for p in self.projects))

    @property
    def table_projects(self) -> list[ProjectFacts]:
        """Return the projects that have a 附件1-3 table, in table order."""
        return [p for p in self.projects if p.has_table]

    @property
    def shortfalls(self) -> list[Shortfall]:
        """Return the shortfalls of every table, 附件1-2 first."""
        tables = [self.department, *(p.scores for p in self.table_projects)]
        return [s for t in tables if t for s in t.shortfalls]


_SATISFACTION = re.compile("满意")


def table_facts(ts: TableScore, label: str) -> TableFacts:
    """Return what the report says about one scored table."""
    shortfalls = [
        Shortfall(
            label,
            s.indicator.subject,
            (s.indicator.target or "").strip(),
            (s.indicator.actual or "").strip(),
            s.weight,
            s.score,
            s.indicator.deviation,
            s.level2,
            s.indicator.where,
        )
        for s in ts.indicators
        if s.weight is not None and (s.met is False or not s.full)
    ]
    scored = [s for s in ts.indicators if s.weight is not None]
    satisfaction = [
        s
        for s in scored
        if (s.level1 == "满意度指标" or _SATISFACTION.search(s.indicator.subject))
        and s.actual.value is not None
    ]
    return TableFacts(
        total=ts.total,
        grade=ts.grade,
        exec_rate=ts.exec.rate,
        exec_score=ts.exec.score,
        indicator_count=len(scored),
        met_count=len(scored) - len(shortfalls),
        shortfalls=shortfalls,
        satisfaction=satisfaction,
    )


def _projects(filing: Filing, scores: FilingScore) -> list[ProjectFacts]:
    result: list[ProjectFacts] = []
    for ts in scores.projects:
        ev = ts.evaluation
        assert isinstance(ev, ProjectEvaluation)
        name = ev.name or ts.subject
        result.append(
            ProjectFacts(
                name=name,
                initial=ev.budget.initial,
                budget=ev.budget.full_year,
                executed=ev.budget.executed,
                has_table=True,
                evaluation=ev,
                scores=table_facts(ts, name),
                added_midyear=ev.budget.initial == ZERO
                and ev.budget.full_year is not None
                and ev.budget.full_year > 0,
            )
        )
    for spend in filing.spending.projects:
        if any(same_project(spend.name, p.name) for p in result):
            continue
        result.append(
            ProjectFacts(
                name=spend.name or "（未命名项目）",
                initial=None,
                budget=spend.budget,
                executed=spend.executed,
                has_table=False,
            )
        )
    return result


def build_facts(filing: Filing, scores: FilingScore) -> Facts:
    """Return every figure of the report, computed from ``filing`` and its ``scores``."""
    sp, t11, t12 = filing.spending, filing.t11, filing.t12
    projects = _projects(filing, scores)
    project_total = t12.expenditure.project
    if project_total is None:
        project_total = sum_known(*(p.executed for p in projects))
    basic = sp.basic_total if sp.basic_total is not None else t12.expenditure.basic
    executed = t12.budget.executed
    if executed is None and basic is not None and project_total is not None:
        executed = basic + project_total  # a total is claimed only from both of its parts
    return Facts(
        unit=filing.unit or t12.dept_name or "（单位名称）",
        year=filing.year,
        report_date=filing.report_date,
        wages=sp.wages,
        goods_services=sp.goods_services,
        family_subsidies=sp.family_subsidies,
        capital=sp.capital,
        basic=basic,
        personnel=Change(sp.personnel, sp.prev_personnel),
        public=Change(sp.public, sp.prev_public),
        gov_fund=sp.gov_fund,
        state_capital=sp.state_capital,
        social_insurance=sp.social_insurance,
        initial=t12.budget.initial,
        full_year=t12.budget.full_year,
        executed=executed,
        project_total=project_total,
        balance=_diff(t12.budget.full_year, executed),
        balance_items=list(sp.balance_items),
        sangong=Change(t11.sangong.final, t11.sangong.prev_final),
        sangong_budget=t11.sangong.budget,
        car=t11.car.final,
        abroad=t11.abroad.final,
        reception=t11.reception.final,
        projects=projects,
        department=table_facts(scores.department, "部门整体") if scores.department is not None else None,
        has_t11=filing.has_t11(),
    )
