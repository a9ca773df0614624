"""The typed model of one unit's yearly filing: 基本信息, 附件1-1, 附件1-2 and the 附件1-3 tables.

Amounts are ``Decimal`` in 万元 (``None`` where the cell is empty); texts stay as typed, because
the scoring reads meaning out of them (年度指标值, 实际完成值) and the checks quote them.
Every record may carry a :class:`Where` saying which sheet, cells and data-file path it came from,
so that a finding can point the user at the exact place.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.forms import t11_label
from jixiao.numbers import normalize_text
from jixiao.policy import ScoringPolicy

Amount = Decimal | None

SHEET_INFO = "基本信息"
SHEET_T11 = "附件1-1"
SHEET_T12 = "附件1-2"
SHEET_T13 = "附件1-3"


def project_sheet_name(index: int) -> str:
    """Return the sheet name of the 1-3 table of project number ``index`` (0-based)."""
    return f"{SHEET_T13}({index + 1})"


@dataclass
class Where:
    """Where a record came from: its sheet, the data-file path and (from a workbook) its cells."""

    sheet: str
    path: str
    cells: dict[str, str] = field(default_factory=dict)
    table: str | None = None  # the table code (1-1, 1-2, 1-3) when the sheet name does not tell it

    def cell(self, field_name: str | None) -> str | None:
        """Return the cell address of ``field_name``, or the record's anchor cell, or None."""
        if field_name and field_name in self.cells:
            return self.cells[field_name]
        return self.cells.get("")

    def field_path(self, field_name: str | None) -> str:
        """Return the data-file path of ``field_name`` inside this record."""
        if not field_name:
            return self.path
        return f"{self.path}.{field_name}" if self.path else field_name


def _where() -> Where | None:
    return field(default=None, compare=False, repr=False)  # type: ignore[return-value]


# What a prepared form prints before anyone fills it (jixiao new, a 主管部门's template): row labels,
# 一级/二级 names, weights (分值, 产出指标(50分), the 总分 row's 100), the 计分方式 and 计量单位 helpers
# and the names copied from 基本信息 (部门名称, 主管部门, 实施单位). They do not make a table filed.
PREPRINTED = frozenset(
    {"label", "level1", "level2", "weight", "level1_weights", "total_weight", "mode", "unit"}
    | {"dept_name", "department", "implementer", "where"}
)


def has_values(record: Any) -> bool:
    """Return True when ``record`` (a table, a row, a list of rows) holds any value a filer enters.

    Pre-printed fields (:data:`PREPRINTED`) do not count; blank text does not count.
    """
    if record is None:
        return False
    if isinstance(record, str):
        return bool(record.strip())
    if isinstance(record, list | tuple):
        return any(has_values(item) for item in record)
    if isinstance(record, dict):
        return any(has_values(item) for item in record.values())
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        fields = [f.name for f in dataclasses.fields(record) if f.name not in PREPRINTED]
        return any(has_values(getattr(record, name)) for name in fields)
    return True


# ---------------------------------------------------------------- 基本信息


@dataclass
class Signers:
    """The footer of every table: 填表人, 填报日期, 联系电话, 单位负责人."""

    filler: str | None = None
    fill_date: str | None = None
    phone: str | None = None
    head: str | None = None
    where: Where | None = _where()


@dataclass
class Prose:
    """The texts the 自评报告 weaves in; paragraphs are separated by newlines."""

    functions: str | None = None  # 主要职能
    organization: str | None = None  # 机构设置
    staffing: str | None = None  # 人员情况
    duties: str | None = None  # 履职情况
    problems: str | None = None  # 存在的问题
    improvements: str | None = None  # 改进措施
    publication: str | None = None  # 公开情况
    other: str | None = None  # 其他需要说明的情况
    personnel_change_reason: str | None = None  # 人员经费增减原因
    public_change_reason: str | None = None  # 日常公用经费增减原因
    sangong_change_reason: str | None = None  # 三公经费增减原因
    internal_control: str | None = None  # 内部控制
    satisfaction: str | None = None  # 满意度调查情况
    where: Where | None = _where()


@dataclass
class Headcount:
    """Staff counts the report quotes (人): 编制 and how it is used, 在职, 离休, 退休."""

    establishment: Decimal | None = None  # 编制人数
    establishment_lent: Decimal | None = None  # 其中用于安置其他单位人员
    in_service: Decimal | None = None  # 实有在职人员
    retired_cadres: Decimal | None = None  # 离休人员
    retirees: Decimal | None = None  # 退休人员
    early_leave: Decimal | None = None  # 提前离岗人员
    where: Where | None = _where()


@dataclass
class ProjectSpend:
    """One project of the year with its amounts, whether or not it has a 1-3 table."""

    name: str | None = None
    budget: Amount = None  # 全年预算数
    executed: Amount = None  # 全年执行数
    where: Where | None = _where()


@dataclass
class BalanceItem:
    """One part of the year-end 结余 and its reason."""

    label: str | None = None
    amount: Amount = None
    reason: str | None = None
    where: Where | None = _where()


@dataclass
class Spending:
    """支出情况: the figures the report needs that none of the three tables holds (万元)."""

    wages: Amount = None  # 工资福利支出
    goods_services: Amount = None  # 商品和服务支出
    family_subsidies: Amount = None  # 对个人和家庭的补助
    capital: Amount = None  # 资本性支出
    prev_personnel: Amount = None  # 上年人员经费
    prev_public: Amount = None  # 上年日常公用经费
    gov_fund: Amount = None  # 政府性基金预算支出
    state_capital: Amount = None  # 国有资本经营预算支出
    social_insurance: Amount = None  # 社会保险基金预算支出
    projects: list[ProjectSpend] = field(default_factory=list)
    balance_items: list[BalanceItem] = field(default_factory=list)
    where: Where | None = _where()

    @property
    def basic_total(self) -> Amount:
        """Return 基本支出 as the sum of its economic classes, or None if none is filled."""
        return sum_known(self.wages, self.goods_services, self.family_subsidies, self.capital)

    @property
    def personnel(self) -> Amount:
        """Return 人员经费 = 工资福利支出 + 对个人和家庭的补助."""
        return sum_known(self.wages, self.family_subsidies)

    @property
    def public(self) -> Amount:
        """Return 日常公用经费 = 商品和服务支出 + 资本性支出."""
        return sum_known(self.goods_services, self.capital)


def sum_known(*values: Amount) -> Amount:
    """Return the sum of the filled amounts, or None when none is filled."""
    known = [v for v in values if v is not None]
    return sum(known, Decimal(0)) if known else None


def same_project(a: str | None, b: str | None) -> bool:
    """Return True when two project names denote the same project ('…专项' vs '…专项资金')."""
    if not a or not b:
        return False
    na, nb = (re.sub(r"(资金|经费|项目)+$", "", normalize_text(x)) for x in (a, b))
    return na == nb or (len(min(na, nb, key=len)) >= 4 and (na in nb or nb in na))


# ---------------------------------------------------------------- 附件1-1


@dataclass
class CostLine:
    """One 经费控制 row of 附件1-1: 上年决算数, 本年预算数, 本年决算数 (万元)."""

    label: str | None = None
    prev_final: Amount = None
    budget: Amount = None
    final: Amount = None
    where: Where | None = _where()

    def is_blank(self) -> bool:
        """Return True when none of the three amounts is filled."""
        return self.prev_final is None and self.budget is None and self.final is None


@dataclass
class Staff:
    """财政供养人员情况: 编制数, 实际在职人数 and the 控制率 as printed."""

    authorized: Decimal | None = None
    actual: Decimal | None = None
    reported_control_rate: str | None = None
    where: Where | None = _where()


@dataclass
class Buildings:
    """楼堂馆所控制情况 (本年完工项目); rates as printed."""

    approved_m2: Decimal | None = None
    actual_m2: Decimal | None = None
    reported_scale_rate: str | None = None
    budget_invest: Amount = None
    actual_invest: Amount = None
    reported_invest_rate: str | None = None
    where: Where | None = _where()


def _line(name: str) -> CostLine:
    """Return a dataclass field defaulting to the 附件1-1 row ``name`` with its printed label."""
    return field(default_factory=lambda: CostLine(label=t11_label(name)))  # type: ignore[return-value]


@dataclass
class BaseTable:
    """附件1-1 部门整体支出绩效评价基础数据表 (rows and labels: ``data/forms.toml``)."""

    staff: Staff = field(default_factory=Staff)
    sangong: CostLine = _line("sangong")
    car: CostLine = _line("car")
    car_purchase: CostLine = _line("car_purchase")
    car_running: CostLine = _line("car_running")
    abroad: CostLine = _line("abroad")
    reception: CostLine = _line("reception")
    projects: CostLine = _line("projects")
    project_lines: list[CostLine] = field(default_factory=list)  # 1、业务经费 2、运行维护经费 …
    special: CostLine = _line("special")
    special_items: list[CostLine] = field(default_factory=list)  # one row per 专项
    public: CostLine = _line("public")
    public_office: CostLine = _line("public_office")
    public_utilities: CostLine = _line("public_utilities")
    public_meetings: CostLine = _line("public_meetings")
    procurement: CostLine = _line("procurement")
    basic_adjustment: CostLine = _line("basic_adjustment")
    buildings: Buildings = field(default_factory=Buildings)
    thrift_measures: str | None = None  # 厉行节约保障措施
    where: Where | None = _where()

    def is_blank(self) -> bool:
        """Return True when no value is filled (the pre-printed row labels aside): the table is absent."""
        return not has_values(self)


# ---------------------------------------------------------------- 附件1-2 and 附件1-3


@dataclass
class FundLine:
    """A fund row: 年初预算数, 全年预算数, 全年执行数 (万元)."""

    initial: Amount = None
    full_year: Amount = None
    executed: Amount = None
    where: Where | None = _where()

    def is_blank(self) -> bool:
        """Return True when none of the three amounts is filled."""
        return self.initial is None and self.full_year is None and self.executed is None


@dataclass
class Budget:
    """The 年度资金总额 row with its 分值 and the 执行率 / 得分 as reported."""

    initial: Amount = None
    full_year: Amount = None
    executed: Amount = None
    weight: Decimal | None = None  # 分值 (10 by default policy)
    reported_rate: str | None = None
    reported_score: Decimal | None = None
    reason: str | None = None  # 原因 of a low 执行率 (四川: required below 90%)
    where: Where | None = _where()


@dataclass
class Indicator:
    """One 三级 indicator row, or a 二级 placeholder row when ``name`` is empty."""

    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    target: str | None = None  # 年度指标值, as typed
    actual: str | None = None  # 实际完成值, as typed
    weight: Decimal | None = None  # 分值
    reported_score: Decimal | None = None  # 得分 as filed (or entered for 定性 tiers)
    deviation: str | None = None  # 偏差原因分析及改进措施
    mode: str | None = None  # 计分方式: None/自动, 正向, 反向, 等于, 定性
    unit: str | None = None  # 计量单位 when the texts carry none
    tier: str | None = None  # 定性档次 chosen in the workbook (达成 / 部分达成 / 未达成): scored by it
    target_manual: Decimal | None = None  # 手填目标值（数）: a number typed beside the target, scored instead
    actual_manual: Decimal | None = None  # 手填实际值（数）: a number typed beside the actual, scored instead
    # what other templates hold (TEMPLATES.md); None where the national table has no such column
    target_initial: str | None = None  # 年初指标值 when the target was adjusted (调整指标值 is ``target``)
    coefficient: Decimal | None = None  # 得分系数 as a share of the weight (重庆: 0.85 for 85%)
    nature: str | None = None  # 指标性质 as 定量 / 定性 (重庆)
    core: bool | None = None  # 是否核心指标 (重庆)
    where: Where | None = _where()

    def is_placeholder(self) -> bool:
        """Return True for a row that holds no indicator (a 二级 label or a blank spare row)."""
        return not self.name and not self.target and not self.actual and self.weight is None

    def is_unfilled(self) -> bool:
        """Return True for an indicator row whose 年度指标值, 实际完成值, 得分 and 偏差原因 are all blank."""
        return not has_values([self.target, self.actual, self.reported_score, self.deviation])

    @property
    def subject(self) -> str:
        """Return the name a finding uses for this row."""
        return self.name or self.level2 or self.level1 or "（空行）"


@dataclass
class Evaluation:
    """What 附件1-2 and 附件1-3 share: the budget row, goals and the indicator tree."""

    budget: Budget = field(default_factory=Budget)
    goal_expected: str | None = None  # 年度总体目标·预期目标
    goal_actual: str | None = None  # 年度总体目标·实际完成情况
    level1_weights: dict[str, Decimal | None] = field(default_factory=dict)  # 产出指标(50分) …
    indicators: list[Indicator] = field(default_factory=list)
    total_weight: Decimal | None = None  # 总分 row 分值, as printed
    reported_total: Decimal | None = None  # 总分 row 得分, as printed
    where: Where | None = _where()

    def scored_indicators(self) -> list[Indicator]:
        """Return the rows that hold an indicator (placeholders left out)."""
        return [i for i in self.indicators if not i.is_placeholder()]

    def is_blank(self) -> bool:
        """Return True when no value is filled (labels, names and weights as printed aside): absent."""
        return not has_values(self)

    def is_flat(self) -> bool:
        """Return True for a flat indicator list: rows without 一级 or 二级 (重庆 部门整体 tables)."""
        rows = self.scored_indicators()
        return bool(rows) and all(not has_values([i.level1, i.level2]) for i in rows)


@dataclass
class RevenueSplit:
    """按收入性质分 (万元)."""

    general: Amount = None  # 一般公共预算
    gov_fund: Amount = None  # 政府性基金拨款
    special_account: Amount = None  # 纳入专户管理的非税收入拨款
    other: Amount = None  # 其他资金
    where: Where | None = _where()


@dataclass
class ExpenditureSplit:
    """按支出性质分 (万元)."""

    basic: Amount = None  # 基本支出
    project: Amount = None  # 项目支出
    where: Where | None = _where()


@dataclass
class DepartmentEvaluation(Evaluation):
    """附件1-2 部门整体支出绩效自评表."""

    dept_name: str | None = None
    finance_office: str | None = None  # 财政处室 (重庆)
    contact: str | None = None  # 部门联系人 (重庆)
    goal_adjusted: str | None = None  # 全年(调整)绩效目标 (重庆)
    revenue: RevenueSplit = field(default_factory=RevenueSplit)
    expenditure: ExpenditureSplit = field(default_factory=ExpenditureSplit)


@dataclass
class ProjectProse:
    """The per-project paragraphs of report §六.3."""

    purpose: str | None = None  # 项目资金使用情况: 主要用于…
    management: str | None = None  # 项目资金管理情况
    implementation: str | None = None  # 项目实施情况
    quality: str | None = None  # 项目完成质量
    benefit: str | None = None  # 项目的效益性分析
    where: Where | None = _where()


@dataclass
class ProjectEvaluation(Evaluation):
    """附件1-3 项目支出绩效自评表 of one 一级项目."""

    name: str | None = None
    department: str | None = None  # 主管部门
    implementer: str | None = None  # 实施单位
    fiscal: FundLine = field(default_factory=FundLine)  # 其中：当年财政拨款
    carryover: FundLine = field(default_factory=FundLine)  # 上年结转资金
    other: FundLine = field(default_factory=FundLine)  # 其他资金
    special_account: FundLine = field(default_factory=FundLine)  # 财政专户管理资金 (四川)
    unit_funds: FundLine = field(default_factory=FundLine)  # 单位资金 (四川)
    prose: ProjectProse = field(default_factory=ProjectProse)
    conclusion: str | None = None  # 评价结论 (四川)
    problems: str | None = None  # 存在问题 (四川)
    improvements: str | None = None  # 改进措施 (四川)
    project_lead: str | None = None  # 项目负责人 (四川)
    finance_lead: str | None = None  # 财务负责人 (四川)

    def fund_lines(self) -> list[FundLine]:
        """Return the fund sources whose sum is 年度资金总额 (the national three and 四川's two more)."""
        return [self.fiscal, self.carryover, self.special_account, self.unit_funds, self.other]


# ---------------------------------------------------------------- the filing


@dataclass
class Filing:
    """One unit's 部门整体支出绩效自评 for one year."""

    unit: str | None = None
    year: int | None = None
    report_date: str | None = None  # 报告日期 on the cover, YYYY-MM-DD
    signers: Signers = field(default_factory=Signers)
    prose: Prose = field(default_factory=Prose)
    headcount: Headcount = field(default_factory=Headcount)
    spending: Spending = field(default_factory=Spending)
    t11: BaseTable = field(default_factory=BaseTable)
    t12: DepartmentEvaluation = field(default_factory=DepartmentEvaluation)
    t13: list[ProjectEvaluation] = field(default_factory=list)
    policy: ScoringPolicy = field(default_factory=ScoringPolicy)
    template: str = "national"  # the layout it was filed in (jixiao.templates; data/templates_*.toml)

    # A filing holds any of 1-1, 1-2 and zero or more 1-3 (RULES §5a): a table without values is absent.
    def has_t11(self) -> bool:
        """Return True when 附件1-1 is filed (holds a value)."""
        return not self.t11.is_blank()

    def has_t12(self) -> bool:
        """Return True when 附件1-2 is filed (holds a value)."""
        return not self.t12.is_blank()

    def filed_projects(self) -> list[ProjectEvaluation]:
        """Return the 附件1-3 tables that are filed, in order (a blank project sheet is absent)."""
        return [p for p in self.t13 if not p.is_blank()]

    def is_empty(self) -> bool:
        """Return True when the filing holds no table at all."""
        return not (self.has_t11() or self.has_t12() or self.filed_projects())
