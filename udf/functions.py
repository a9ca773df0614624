"""Worksheet functions for Excel (xlwings ``@func``): thin wrappers over the jixiao scoring core.

Use them in a cell, e.g. ``=JX_SCORE("≥12次", "11次", 6)`` → 5.5. They score with the default
policy (RULES.md §0); the prepared workbook never depends on them, because 计算得分 writes the
scores as values. A bad argument gives the Excel error ``#VALUE!``; a value that does not apply
(such as an execution rate with no budget and no spending) gives ``#N/A``. Both are returned as
xlwings' error strings, which Excel and xlwings Lite show as error values.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.model import Budget, Indicator
from jixiao.numbers import fmt_plain, parse_amount, parse_count
from jixiao.policy import LOWEST_GRADE, ScoringPolicy
from jixiao.scoring import MODES, grade_of, score_execution, score_indicator
from jixiao.targets import MISSING, parse_target

try:  # xlwings is optional: without it these are plain Python functions
    import xlwings as xw

    func, arg = xw.func, xw.arg
except ImportError:  # pragma: no cover - exercised only where xlwings is absent

    def func(f=None, **_kwargs):
        return f if f is not None else (lambda g: g)

    def arg(*_args, **_kwargs):
        return lambda g: g


VALUE_ERROR = "#VALUE!"
NA_ERROR = "#N/A"
_POLICY = ScoringPolicy()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object, parse=parse_count) -> Decimal | None:
    """Return ``value`` as a Decimal, or None when it is blank or not a number."""
    if _blank(value):
        return None
    try:
        return parse(value)
    except (ValueError, ArithmeticError):
        return None


def _text(value: object) -> str | None:
    """Return a cell value as the text a user typed (12.0 → '12')."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return fmt_plain(_number(value))
    return str(value)


def _out(value: Decimal) -> float:
    """Return a quantized Decimal as the float Excel stores (no rounding happens here)."""
    return float(value)


@func(category="jixiao")
@arg("target", doc="年度指标值，如 ≥12次、95%、12月底前")
@arg("actual", doc="实际完成值，如 11次、96%、已完成")
@arg("weight", doc="分值（大于 0 的数）")
@arg("mode", doc=f"计分方式（可省略）：{'/'.join(MODES)}")
@arg("name", doc="三级指标名称（可省略）：名称含“控制率”“调整率”等时按反向计分")
@arg("level2", doc="二级指标（可省略）：成本指标按反向计分")
def JX_SCORE(target, actual, weight, mode=None, name=None, level2=None):
    """返回一个三级指标的得分（两位小数，按 RULES.md 默认规则），参数有误时返回 #VALUE!。"""
    w = _number(weight)
    mode_text = None if _blank(mode) else str(mode).strip()
    if w is None or w <= 0 or (mode_text is not None and mode_text not in MODES):
        return VALUE_ERROR
    ind = Indicator(
        name=None if _blank(name) else _text(name),
        level2=None if _blank(level2) else _text(level2),
        target=_text(target),
        actual=_text(actual),
        weight=w,
        mode=mode_text,
    )
    result = score_indicator(ind, 0, _POLICY)
    return VALUE_ERROR if result.score is None else _out(result.score)


@func(category="jixiao")
@arg("budget", doc="全年预算数（万元）")
@arg("executed", doc="全年执行数（万元）")
@arg("weight", doc="分值（可省略，默认 10）")
def JX_EXEC_SCORE(budget, executed, weight=None):
    """返回预算执行率得分：分值 × min(执行数/预算数, 1)，两位小数；参数有误时返回 #VALUE!。"""
    a, b = _number(budget, parse_amount), _number(executed, parse_amount)
    w = _POLICY.exec_weight if _blank(weight) else _number(weight)
    if a is None or b is None or w is None or a < 0 or b < 0 or w < 0:
        return VALUE_ERROR
    result = score_execution(Budget(full_year=a, executed=b, weight=w), _POLICY)
    return NA_ERROR if result.score is None else _out(result.score)


def _template_score(template: str, values: dict[str, object], weight: object) -> float | str:
    """Return the score of one row of ``template``'s own table (its cells by import_headers.toml key),
    read as the template sheet is read and scored by the template's policy, as 计算得分 does."""
    from jixiao.importers.evaluation import indicator_texts
    from jixiao.templates import template as template_named

    w = _number(weight)
    if w is None or w <= 0:
        return VALUE_ERROR
    typed = {key: _text(value) for key, value in values.items()}
    ind = Indicator(**indicator_texts(typed), weight=w)
    ind.level2 = typed.get("level2")
    result = score_indicator(ind, 0, template_named(template).policy())
    return VALUE_ERROR if result.score is None else _out(result.score)


@func(category="jixiao")
@arg("operator", doc="指标性质（=、≥、≤ …，或 正向/反向）")
@arg("target", doc="指标值，如 10、95")
@arg("unit", doc="度量单位，如 处、%")
@arg("actual", doc="完成值，如 9")
@arg("weight", doc="权重（大于 0 的数）")
@arg("name", doc="三级指标名称（可省略）")
@arg("level2", doc="二级指标（可省略）：成本指标按反向计分")
def JX_SC_SCORE(operator, target, unit, actual, weight, name=None, level2=None):
    """返回四川项目支出表一个三级指标的得分（指标性质·指标值·度量单位合为指标值）；有误时返回 #VALUE!。"""
    values = {"operator": operator, "target": target, "unit": unit, "actual": actual, "name": name}
    return _template_score("sichuan", {**values, "level2": level2}, weight)


@func(category="jixiao")
@arg("weight", doc="指标权重（分，大于 0）")
@arg("coefficient", doc="得分系数（%），如 92 或 92%")
def JX_CQ_SCORE(weight, coefficient):
    """返回重庆部门整体表一个指标的得分：指标权重 × 得分系数（限 0–100%）；有误时返回 #VALUE!。"""
    if _blank(coefficient) or _number(str(coefficient).rstrip("%％")) is None:
        return VALUE_ERROR
    return _template_score("chongqing", {"coefficient": coefficient}, weight)


def _with_grade_lines(f):
    """Return ``f`` with ``{grades}`` in its docstring filled from the default policy's grade lines."""
    lines = "、".join(f"{grade}（≥{fmt_plain(bound)}）" for grade, bound in _POLICY.grade_lines)
    f.__doc__ = f.__doc__.format(grades=f"{lines}或{LOWEST_GRADE}")
    return f


@func(category="jixiao")
@arg("total", doc="总分（0–100）")
@_with_grade_lines
def JX_GRADE(total):
    """返回总分对应的等级：{grades}；参数有误时返回 #VALUE!。"""
    t = _number(total)
    if t is None or t < 0 or t > 100:
        return VALUE_ERROR
    return grade_of(t, _POLICY)


@func(category="jixiao")
@arg("target_text", doc="年度指标值的文字，如 每月一次、≥95%")
def JX_PARSE(target_text):
    """返回 jixiao 对年度指标值的理解，如 “≥12次/年（每月1次）”或“定性”；为空时返回 #VALUE!。"""
    target = parse_target(_text(target_text))
    if target.kind == MISSING:
        return VALUE_ERROR
    return target.describe()
