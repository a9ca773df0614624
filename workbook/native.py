"""The Python twin of the native indicator formulas (:func:`jixiao.workbook.formulas.indicator_formulas`).

jixiao fills the helper inputs of a row (目标值（数）, 实际值（数）, 计分方向 and the text they were
read from) from its own score, then evaluates the row's formulas as Excel would. Where they give
jixiao's score, the row scores natively; where not (a deadline, a tier read from words, a target
only the parser reads), jixiao's score goes into the jixiao得分 cell with the row's inputs as its
basis, so the sheet shows it while the inputs are unchanged and 待计算 once they change. The
evaluated values are also the cached results the writer stores, so readers that trust cached
values (pandas, calamine) see jixiao's numbers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jixiao.policy import ScoringPolicy
from jixiao.scoring import IndicatorScore
from jixiao.targets import ACHIEVED, MISSED, PARTIAL
from jixiao.workbook.formulas import BASIS_FIELDS
from jixiao.workbook.layout import layout

_OP_DIRECTION = {">=": "正向", ">": "正向", "<=": "反向", "<": "反向", "=": "等于"}
_MODES = ("正向", "反向", "等于", "定性")
FILLED = (
    "target_number",
    "target_source",
    "actual_number",
    "actual_source",
    "direction",
    "python_score",
    "basis",
)
FORMULAS = ("target_used", "actual_used", "direction_used", "quant_score", "qual_score", "basis_now", "score")


def _num(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _dec(value: Any) -> Decimal:
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _blank(value: Any) -> bool:
    return value is None or value == ""


def _same(a: Any, b: Any) -> bool:
    """Return Excel's ``a=b`` for two cell values (text case-blind, an empty cell equal to "")."""
    if _blank(a) and _blank(b):
        return True
    if _num(a) and _num(b):
        return _dec(a) == _dec(b)
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold() == b.casefold()
    return False


def text_of(value: Any) -> str:
    """Return a cell value as Excel's ``&`` spells it (numbers in General format, 15 digits)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if _num(value):
        d = Decimal(f"{value:.15g}") if isinstance(value, float) else Decimal(value)
        return format(d.normalize(), "f")
    return str(value)


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def evaluate(row: dict[str, Any], policy: ScoringPolicy) -> dict[str, Any]:
    """Return the values of the row's formula cells (field → value; "" for an empty text result).

    ``row`` maps the fields of [evaluation.columns] to the cell values (None for empty).
    """
    pending = layout()["evaluation"]["pending"]
    out: dict[str, Any] = {}

    def used(typed: str, manual: str, number: str, source: str) -> Any:
        if _num(row.get(manual)):
            return _dec(row[manual])
        if _num(row.get(typed)):
            return _dec(row[typed])
        if _num(row.get(number)) and _same(row.get(source), row.get(typed)):
            return _dec(row[number])
        return ""

    t = out["target_used"] = used("target", "target_manual", "target_number", "target_source")
    x = out["actual_used"] = used("actual", "actual_manual", "actual_number", "actual_source")
    k, v, g, m = row.get("mode"), row.get("tier"), row.get("weight"), row.get("reported_score")
    if not _blank(v):
        y: Any = "定性"
    elif isinstance(k, str) and any(_same(k, mode) for mode in _MODES):
        y = k
    else:
        y = row.get("direction") if not _blank(row.get("direction")) else 0  # a blank reference is 0
    out["direction_used"] = y
    out["quant_score"] = _quant(t, x, g, y, policy)
    out["qual_score"] = _qual(v, g, m, policy)
    out["basis_now"] = "|".join(text_of(row.get(f)) for f in BASIS_FIELDS)
    ab = row.get("python_score")
    if _blank(g):
        h: Any = ""
    elif not _blank(ab) and _same(row.get("basis"), out["basis_now"]):
        h = _dec(ab) if _num(ab) else ab
    elif not _num(g):
        h = pending
    elif _dec(g) <= 0:
        h = ""
    elif _same(y, "定性"):
        h = pending if out["qual_score"] == "" else out["qual_score"]
    elif out["quant_score"] != "":
        h = out["quant_score"]
    elif _blank(row.get("target")) or _blank(row.get("actual")):
        h = Decimal(0)
    else:
        h = pending
    out["score"] = h
    return out


def _quant(t: Any, x: Any, g: Any, y: Any, policy: ScoringPolicy) -> Any:
    if not (_num(g) and _num(t) and _num(x)):
        return ""
    g, p = _dec(g), policy.score_places
    pos = max(x, Decimal(0))

    def forward() -> Any:
        if t <= 0:
            return ""
        return g if pos >= t else _round(pos / t * g, p)

    if _same(y, "正向"):
        return forward()
    if _same(y, "等于"):
        return (g if x <= 0 else Decimal(0)) if t == 0 else forward()
    if _same(y, "反向"):
        if pos <= t:
            return g
        if t <= 0:
            return Decimal(0)
        if policy.reverse_formula == "ratio":
            return _round(g * t / pos, p)
        return Decimal(0) if pos >= 2 * t else _round((1 - (pos - t) / t) * g, p)
    return ""


def _qual(v: Any, g: Any, m: Any, policy: ScoringPolicy) -> Any:
    if _blank(v) or not _num(g):
        return ""
    g, p = _dec(g), policy.score_places
    high = _round(g * Decimal("0.8"), p)
    low = _round(g * (Decimal("0.5") if policy.qual_bands == "80-50" else Decimal("0.6")), p)

    def band(lower: Decimal, upper: Decimal) -> Decimal:
        if _num(m) and lower <= _dec(m) < upper:
            return _round(_dec(m), p)
        return _round((lower + upper) / 2, p)

    if _same(v, ACHIEVED):
        return _round(g, p)
    if _same(v, PARTIAL):
        return band(low, high)
    if _same(v, MISSED):
        return band(Decimal(0), low)
    return ""


def fill(score: IndicatorScore | None, row: dict[str, Any], policy: ScoringPolicy) -> dict[str, Any]:
    """Return the helper inputs jixiao writes for a row (field → value, None clears) so that its
    formulas give ``score``'s score; ``row`` holds the row's cell values (its inputs)."""
    filled: dict[str, Any] = dict.fromkeys(FILLED)
    if score is not None and score.op is not None and score.t is not None and score.x is not None:
        filled["direction"] = _OP_DIRECTION[score.op]
        filled["target_number"] = score.t
        filled["target_source"] = row.get("target") if isinstance(row.get("target"), str) else None
        filled["actual_number"] = score.x
        filled["actual_source"] = row.get("actual") if isinstance(row.get("actual"), str) else None
    wanted = score.score if score is not None else None
    native = evaluate({**row, **filled}, policy)["score"]
    if not _agrees(native, wanted):
        filled["python_score"] = wanted
        filled["basis"] = evaluate({**row, **filled}, policy)["basis_now"]
    return filled


def _agrees(native: Any, wanted: Decimal | None) -> bool:
    if wanted is None:
        return native == ""
    return _num(native) and _dec(native) == wanted


def row_values(ws: Any, row: int) -> dict[str, Any]:
    """Return the cell values of indicator row ``row`` of the openpyxl sheet ``ws`` by field."""
    cols = layout()["evaluation"]["columns"]
    return {f: ws[f"{col}{row}"].value for f, col in cols.items() if f not in FORMULAS}
