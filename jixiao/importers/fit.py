"""Fitting a filing read in another template into the national workbook (``jixiao import``): the
national tables of a template workbook (四川's 附件1-2, 重庆's 附件1-3) and a national one.

The national 附件1-3 has three fund sources; 四川's 财政专户管理资金 and 单位资金 are added into 其他资金
so that every amount and sum is kept. What the national workbook has no cell for is named, never
dropped silently.
"""

from __future__ import annotations

from collections.abc import Collection

from jixiao.model import Filing, FundLine, sum_known

_EXTRA_TEXTS = {  # record field → what the national workbook lacks (the user is told)
    "reason": "执行率原因",
    "conclusion": "评价结论",
    "problems": "存在问题",
    "improvements": "改进措施",
    "project_lead": "项目负责人",
    "finance_lead": "财务负责人",
    "finance_office": "财政处室",
    "contact": "部门联系人",
    "goal_adjusted": "全年(调整)绩效目标",
}


def fit_national(filing: Filing, own: Collection[str] = ()) -> list[str]:
    """Fold the fund rows the national 附件1-3 lacks into 其他资金; return one note per change or loss.
    The tables in ``own`` ('t12', 't13': those the filing's template lays out itself) keep everything."""
    notes: list[str] = []
    projects = [] if "t13" in own else filing.t13
    for project in projects:
        extra = [line for line in (project.special_account, project.unit_funds) if not line.is_blank()]
        if extra:
            parts = [project.other, *extra]
            project.other = FundLine(
                *(
                    sum_known(*(getattr(p, name) for p in parts))
                    for name in ("initial", "full_year", "executed")
                ),
                where=project.other.where,
            )
            project.special_account, project.unit_funds = FundLine(), FundLine()
            notes.append(
                f"{project.name}：财政专户管理资金、单位资金并入“其他资金”（全国模板只有三项资金来源）"
            )
    lost = []
    for record in [*([] if "t12" in own else [filing.t12]), *projects]:
        for name, label in _EXTRA_TEXTS.items():
            holder = record.budget if name == "reason" else record
            if getattr(holder, name, None):
                lost.append(label)
        if any(
            i.coefficient is not None or i.target_initial or i.core is not None for i in record.indicators
        ):
            lost.append("得分系数、年初指标值、核心指标")
    if lost:
        shown = "、".join(dict.fromkeys(lost))
        notes.append(f"全国模板工作簿没有以下栏目，未带入（请在原表中查看）：{shown}")
    return notes
