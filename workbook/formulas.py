"""The native formulas of 附件1-2 and 1-3: 执行率, its score, 总分 and 等级.

They are written from the definitions the scorer uses (``jixiao.policy`` EXEC_CAPS and
GRADE_LINES, the policy's defined names), so Excel's figures before 计算得分 agree with jixiao's.
Only SUM, ROUND, IF, MIN and IFERROR are used.
"""

from __future__ import annotations

from jixiao.numbers import fmt_plain
from jixiao.policy import EXEC_CAPS, GRADE_LINES, LOWEST_GRADE
from jixiao.workbook.layout import policy_name


def exec_formulas(row: int) -> tuple[str, str]:
    """Return the native formulas of 执行率 and 执行率得分 for the budget row ``row`` (D:I)."""
    weight = f'IF(G{row}="",{policy_name("exec_weight")},G{row})'
    rate = f'=IFERROR(IF(E{row}="","—",IF(F{row}="","—",IF(E{row}=0,"—",F{row}/E{row}))),"—")'
    score = (
        f'=IFERROR(IF(E{row}="",0,IF(F{row}="",0,IF(E{row}<0,0,IF(F{row}<0,0,'
        f'IF(E{row}=0,IF(F{row}=0,"—",0),ROUND({weight}*MIN(F{row}/E{row},1),{policy_name("score_places")})))))),0)'
    )
    return rate, score


def _capped(rate: str, total: str) -> str:
    """Return ``total`` capped by the 执行率 in ``rate`` as EXEC_CAPS says (tightest limit first)."""
    formula = total
    for limit, cap in reversed(EXEC_CAPS):
        formula = f"IF({rate}<{fmt_plain(limit)},MIN({total},{fmt_plain(cap)}),{formula})"
    return formula


def total_formula(exec_row: int, scores: str, weight_total: str) -> str:
    """Return the native formula of 总分: the rounded parts, rescaled or capped as the policy says."""
    places = policy_name("score_places")
    raw = f"ROUND(IFERROR(I{exec_row}+0,0)+SUM({scores}),{places})"
    rescaled = (
        f'IF({policy_name("missing_block")}="rescale",IF({weight_total}=0,{raw},IF({weight_total}=100,{raw},'
        f"ROUND({raw}/{weight_total}*100,{places}))),{raw})"
    )
    capped = f"IFERROR({_capped(f'H{exec_row}', rescaled)},{rescaled})"
    return f'=IF({policy_name("exec_cap")}="true",{capped},{rescaled})'


def grade_formula(total: str) -> str:
    """Return the native formula of 等级 for the 总分 cell ``total``, on the policy's grade lines."""
    rounded = f"ROUND({total},{policy_name('score_places')})"
    formula = f'"{LOWEST_GRADE}"'
    for grade, key in reversed(GRADE_LINES):
        formula = f'IF({rounded}>={policy_name(key)},"{grade}",{formula})'
    return "=" + formula
