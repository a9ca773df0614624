"""The native formulas of 附件1-2 and 1-3: 执行率, its score, 总分 and 等级.

They are written from the definitions the scorer uses (``jixiao.policy`` EXEC_CAPS and
GRADE_LINES, the policy's defined names), so Excel's figures before 计算得分 agree with jixiao's.
Only functions Excel 2010+, WPS and LibreOffice share are used (SUM, ROUND, IF, MIN, MAX, IFERROR,
AND, OR, NOT, ISNUMBER, COUNTIF, COUNTA).
"""

from __future__ import annotations

from jixiao.numbers import fmt_plain
from jixiao.policy import EXEC_CAPS, GRADE_LINES, LOWEST_GRADE
from jixiao.targets import ACHIEVED, MISSED, PARTIAL
from jixiao.workbook.layout import layout, policy_name


def exec_formulas(row: int, blank: str | None = None) -> tuple[str, str]:
    """Return the native formulas of 执行率 and 执行率得分 for the budget row ``row`` (D:I); with
    ``blank`` (the 总分 row's 空表 cell) the score is empty on a blank form."""
    weight = f'IF(G{row}="",{policy_name("exec_weight")},G{row})'
    rate = f'=IFERROR(IF(E{row}="","—",IF(F{row}="","—",IF(E{row}=0,"—",F{row}/E{row}))),"—")'
    score = (
        f'=IFERROR(IF(E{row}="",0,IF(F{row}="",0,IF(E{row}<0,0,IF(F{row}<0,0,'
        f'IF(E{row}=0,IF(F{row}=0,"—",0),ROUND({weight}*MIN(F{row}/E{row},1),{policy_name("score_places")})))))),0)'
    )
    if blank is not None:
        score = f'=IF({blank}=1,"",{score[1:]})'
    return rate, score


def _capped(rate: str, total: str) -> str:
    """Return ``total`` capped by the 执行率 in ``rate`` as EXEC_CAPS says (tightest limit first)."""
    formula = total
    for limit, cap in reversed(EXEC_CAPS):
        formula = f"IF({rate}<{fmt_plain(limit)},MIN({total},{fmt_plain(cap)}),{formula})"
    return formula


def grade_formula(total: str) -> str:
    """Return the native formula of 等级 for the 总分 cell ``total``, on the policy's grade lines."""
    rounded = f"ROUND({total},{policy_name('score_places')})"
    formula = f'"{LOWEST_GRADE}"'
    for grade, key in reversed(GRADE_LINES):
        formula = f'IF({rounded}>={policy_name(key)},"{grade}",{formula})'
    return "=" + formula


# ------------------------------------------------------------------ native scoring of an indicator row
# One formula per helper cell (columns in data/layout.toml [evaluation.columns]); jixiao's Python
# twin of them is jixiao.workbook.native, which must stay in step with every line here.


def _number_used(typed: str, manual: str, number: str, source: str) -> str:
    """Return the formula of the number a row scores with: the number the accountant typed in the
    手填 column, else the cell itself when it is a number, else jixiao's while the text it was read
    from is unchanged."""
    read = f'IF(AND(ISNUMBER({number}),{source}={typed}),{number},"")'
    return f"=IF(ISNUMBER({manual}),{manual},IF(ISNUMBER({typed}),{typed},{read}))"


def indicator_formulas(row: int) -> dict[str, str]:
    """Return the native formulas of the indicator row ``row``: column letter → formula."""
    c = {k: f"{v}{row}" for k, v in layout()["evaluation"]["columns"].items()}
    pending = layout()["evaluation"]["pending"]
    places = policy_name("score_places")
    g, t, x, y, m = c["weight"], c["target_used"], c["actual_used"], c["direction_used"], c["reported_score"]
    k, v = c["mode"], c["tier"]
    pos = f"MAX({x},0)"  # a negative actual is scored as 0 ([FASP])
    forward = f'IF({t}<=0,"",IF({pos}>={t},{g},ROUND({pos}/{t}*{g},{places})))'
    fasp = f"IF({pos}>=2*{t},0,ROUND((1-({pos}-{t})/{t})*{g},{places}))"
    ratio = f"ROUND({g}*{t}/{pos},{places})"
    reverse = f'IF({pos}<={t},{g},IF({t}<=0,0,IF({policy_name("reverse_formula")}="ratio",{ratio},{fasp})))'
    quant = (
        f'=IF(OR(NOT(ISNUMBER({g})),NOT(ISNUMBER({t})),NOT(ISNUMBER({x}))),"",'
        f'IF({y}="正向",{forward},IF({y}="等于",IF({t}=0,IF({x}<=0,{g},0),{forward}),'
        f'IF({y}="反向",{reverse},""))))'
    )
    high = f"ROUND({g}*0.8,{places})"
    low = f'ROUND({g}*IF({policy_name("qual_bands")}="80-50",0.5,0.6),{places})'

    def band(lower: str, upper: str) -> str:  # the entered score inside [lower, upper), else the midpoint
        inside = f"AND(ISNUMBER({m}),{m}>={lower},{m}<{upper})"
        return f"IF({inside},ROUND({m},{places}),ROUND(({lower}+{upper})/2,{places}))"

    qual = (
        f'=IF(OR({v}="",NOT(ISNUMBER({g}))),"",IF({v}="{ACHIEVED}",ROUND({g},{places}),'
        f'IF({v}="{PARTIAL}",{band(low, high)},IF({v}="{MISSED}",{band("0", low)},""))))'
    )
    modes = ",".join(f'{k}="{mode}"' for mode in ("正向", "反向", "等于", "定性"))
    score = (
        f'=IF({g}="","",IF(AND({c["python_score"]}<>"",{c["basis"]}={c["basis_now"]}),{c["python_score"]},'
        f'IF(NOT(ISNUMBER({g})),"{pending}",IF({g}<=0,"",'
        f'IF({y}="定性",IF({c["qual_score"]}="","{pending}",{c["qual_score"]}),'
        f'IF({c["quant_score"]}<>"",{c["quant_score"]},'
        f'IF({c["target"]}="",0,IF({c["actual"]}="",0,"{pending}"))))))))'
    )
    cols = layout()["evaluation"]["columns"]
    return {
        cols["target_used"]: _number_used(
            c["target"], c["target_manual"], c["target_number"], c["target_source"]
        ),
        cols["actual_used"]: _number_used(
            c["actual"], c["actual_manual"], c["actual_number"], c["actual_source"]
        ),
        cols["direction_used"]: f'=IF({v}<>"","定性",IF(OR({modes}),{k},{c["direction"]}))',
        cols["quant_score"]: quant,
        cols["qual_score"]: qual,
        cols["basis_now"]: "=" + '&"|"&'.join(c[f] for f in BASIS_FIELDS),
        cols["score"]: score,
    }


BASIS_FIELDS = (
    "target",
    "actual",
    "weight",
    "reported_score",
    "mode",
    "tier",
    "target_manual",
    "actual_manual",
)  # what AB depends on


def total_helper_formulas(
    exec_row: int, first: int, last: int, total_row: int, weight_total: str
) -> dict[str, str]:
    """Return the 总分 row's helper formulas (key of [evaluation.total_helpers] → formula)."""
    spec = layout()["evaluation"]
    cols, helpers = spec["columns"], spec["total_helpers"]
    h = cols["score"]
    at = {key: f"{item['col']}{total_row}" for key, item in helpers.items()}
    places = policy_name("score_places")
    inputs = f"D{exec_row}:F{exec_row},{cols['name']}{first}:{cols['actual']}{last}"
    raw = f"=ROUND(IFERROR(I{exec_row}+0,0)+SUM({h}{first}:{h}{last}),{places})"
    rescaled = (
        f'=IF({policy_name("missing_block")}="rescale",IF(OR({weight_total}=0,{weight_total}=100),{at["raw"]},'
        f"ROUND({at['raw']}/{weight_total}*100,{places})),{at['raw']})"
    )
    cap = _capped(f"H{exec_row}", at["rescaled"])
    capped = f'=IF({policy_name("exec_cap")}="true",IFERROR({cap},{at["rescaled"]}),{at["rescaled"]})'
    return {
        "pending_count": f'=COUNTIF({h}{first}:{h}{last},"{spec["pending"]}")',
        "blank": f"=IF(COUNTA({inputs})=0,1,0)",
        "raw": raw,
        "rescaled": rescaled,
        "capped": capped,
    }


def native_total_formula(total_row: int) -> str:
    """Return the formula of 总分: blank for a blank form, else the capped total helper."""
    at = {key: f"{item['col']}{total_row}" for key, item in layout()["evaluation"]["total_helpers"].items()}
    return f'=IF({at["blank"]}=1,"",{at["capped"]})'


def native_grade_formula(total_row: int, total: str) -> str:
    """Return the formula of 等级: none for a blank form, 暂计 while a row waits for Python."""
    at = {key: f"{item['col']}{total_row}" for key, item in layout()["evaluation"]["total_helpers"].items()}
    provisional = layout()["evaluation"]["provisional"]
    return f'=IF({total}="","",IF({at["pending_count"]}>0,"{provisional}",{grade_formula(total)[1:]}))'
