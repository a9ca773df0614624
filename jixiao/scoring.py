"""The scoring engine (RULES.md §0, §3 R1–R6): execution, indicators, roll-ups, totals and grade.

Every number is a ``Decimal`` rounded half-up; every score carries a Chinese explanation such as
``11/12×6=5.50``. Scoring never raises on odd input: what it cannot score it scores 0 (or leaves
empty) and records a flag that :mod:`jixiao.checks` turns into a finding.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.dates import on_time
from jixiao.direction import BY_MODE, Direction, decide, mode_of
from jixiao.direction import OP_MODE as _OP_MODE
from jixiao.model import Budget, Evaluation, Filing, Indicator
from jixiao.numbers import HUNDRED, ZERO, fmt, fmt_percent, fmt_plain, parse_percent, quantize
from jixiao.policy import EXEC_CAPS, LOWEST_GRADE, ScoringPolicy
from jixiao.policy import GRADES as GRADES  # re-exported: the grade names live in jixiao.policy
from jixiao.targets import (
    ACHIEVED,
    DATE,
    DEADLINE,
    MISSED,
    MISSING,
    PARTIAL,
    QUALITATIVE,
    QUANTITATIVE,
    UNREADABLE,
    Actual,
    Target,
    is_count_unit,
    parse_actual,
    parse_target,
    relative_tier,
    units_compatible,
)
from jixiao.taxonomy import taxonomy

NO_SCORED_TABLE = "没有可计分的表：附件1-2 和附件1-3 均未填写。"  # what a filing without them shows

# 计分方式 a row may state (the workbook's drop-down list): 自动 = from the target text
MODES = ("自动", "正向", "反向", "等于", "定性")
_TEN_THOUSAND = Decimal(10000)


@dataclass
class Flag:
    """Something scoring noticed about an indicator, for the checks to report."""

    rule: str
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class ExecScore:
    """预算执行率 and its score."""

    weight: Decimal
    rate: Decimal | None  # B/A as a ratio (0.990430…), uncapped
    score: Decimal | None
    explanation: str
    flags: list[Flag] = field(default_factory=list)
    verified: bool = True  # False: the amounts are missing and the score is the printed one

    @property
    def rate_text(self) -> str:
        """Return the rate as '99.04%' (2 places), or '—' when not applicable."""
        return fmt_percent(self.rate)


@dataclass
class IndicatorScore:
    """The score of one 三级 indicator, with how it was derived."""

    indicator: Indicator
    position: int  # index in Evaluation.indicators
    level1: str | None  # canonical 一级 name (None when unknown)
    level2: str | None  # canonical 二级 name (None when unknown)
    mode: str  # 正向 / 反向 / 等于 / 定性 / 零目标
    target: Target
    actual: Actual
    weight: Decimal | None
    score: Decimal | None
    explanation: str
    met: bool | None = None  # the target was met (None when it cannot be told)
    tier: str | None = None  # 达成 / 部分达成 / 未达成 for qualitative scoring
    op: str | None = None
    x: Decimal | None = None  # the actual value compared
    t: Decimal | None = None  # the target value compared (in the actual's unit)
    flags: list[Flag] = field(default_factory=list)
    direction: Direction | None = None  # how the direction was decided (quantitative rows)
    review: bool = False  # no rule could score it: the filed score is kept for manual review

    @property
    def full(self) -> bool:
        """Return True when the indicator earned its whole weight."""
        return self.score is not None and self.weight is not None and self.score >= self.weight


@dataclass
class TableScore:
    """The scores of one 附件1-2 or 附件1-3 table."""

    table: str  # "1-2" or "1-3"
    subject: str  # unit or project name
    sheet: str
    evaluation: Evaluation
    exec: ExecScore
    indicators: list[IndicatorScore]
    level1_scores: dict[str, Decimal]
    level1_weights: dict[str, Decimal]
    weight_total: Decimal  # execution weight + every indicator weight
    raw_total: Decimal  # sum of the rounded parts
    total: Decimal  # raw_total, rescaled or capped when the policy says so
    grade: str
    explanation: str
    reported_total: Decimal | None

    def to_dict(self, places: int = 2) -> dict[str, object]:
        """Return the score summary in the DESIGN.md JSON format (numbers as fixed strings)."""
        return {
            "table": self.table,
            "subject": self.subject,
            "sheet": self.sheet,
            "exec_rate": self.exec.rate_text,
            "exec_score": fmt(self.exec.score, places) if self.exec.score is not None else "—",
            "total": fmt(self.total, places),
            "grade": self.grade,
            "reported_total": fmt_plain(self.reported_total) if self.reported_total is not None else None,
            "weight_total": fmt_plain(self.weight_total),
            "explanation": self.explanation,
            "indicators": [
                {
                    "name": s.indicator.subject,
                    "level1": s.level1,
                    "level2": s.level2,
                    "mode": s.mode,
                    "weight": fmt_plain(s.weight) if s.weight is not None else None,
                    "score": fmt(s.score, places) if s.score is not None else None,
                    "reported": fmt_plain(s.indicator.reported_score)
                    if s.indicator.reported_score is not None
                    else None,
                    "explanation": s.explanation,
                }
                for s in self.indicators
            ],
        }


@dataclass
class FilingScore:
    """The scores of the tables a filing holds: its 附件1-2 (None when absent) and its 附件1-3."""

    department: TableScore | None
    projects: list[TableScore]

    def tables(self) -> list[TableScore]:
        """Return the scored tables: 附件1-2 when filed, then every filed 附件1-3."""
        return [*([self.department] if self.department is not None else []), *self.projects]


# ------------------------------------------------------------------ R1 budget execution


def score_execution(budget: Budget, policy: ScoringPolicy) -> ExecScore:
    """Return the 预算执行率 score: W × min(B/A, 1), with the edge cases of RULES R1."""
    # a negative 分值 is reported by AMOUNT-NEGATIVE; the policy's weight is used meanwhile
    weight = budget.weight if budget.weight is not None and budget.weight >= 0 else policy.exec_weight
    a, b = budget.full_year, budget.executed
    if a is None or b is None:
        missing = "、".join(n for n, v in (("全年预算数", a), ("全年执行数", b)) if v is None)
        printed = _printed_execution(budget, weight, missing, policy)
        if printed is not None:
            return printed
        return ExecScore(weight, None, ZERO, f"未填{missing}，得0", [Flag("EXEC-MISSING", {"what": missing})])
    if b < 0 or a < 0:
        return ExecScore(weight, None, ZERO, "金额为负数，得0")
    if a == 0:
        if b == 0:
            return ExecScore(weight, None, None, "全年预算数与执行数均为0，执行率不适用", [Flag("EXEC-NA")])
        return ExecScore(
            weight,
            None,
            ZERO,
            "全年预算数为0，无法计算，得0",
            [Flag("EXEC-NO-BUDGET", {"actual": fmt_plain(b)})],
        )
    rate = b / a
    flags = []
    if rate > 1:
        flags.append(Flag("EXEC-OVER", {"expected": fmt_plain(a), "actual": fmt_plain(b)}))
    score = quantize(weight * min(rate, Decimal(1)), policy.score_places)
    explanation = f"{fmt_plain(b)}/{fmt_plain(a)}×{fmt_plain(weight)}={fmt(score, policy.score_places)}"
    if rate > 1:
        explanation = f"执行率超过100%，按100%计：{fmt_plain(weight)}"
    return ExecScore(weight, rate, score, explanation, flags)


def _printed_execution(
    budget: Budget, weight: Decimal, missing: str, policy: ScoringPolicy
) -> ExecScore | None:
    """Return the printed 得分 (or W × the printed 执行率) as an unverified score, or None (RULES §5a).

    Used when the amounts are missing: the score cannot be checked, so it is taken as filed.
    """
    places = policy.score_places
    parsed = parse_percent(budget.reported_rate) if budget.reported_rate else None
    rate = parsed[0] / HUNDRED if parsed is not None and parsed[0] >= 0 else None
    reported = budget.reported_score
    if reported is not None and ZERO <= reported <= weight:
        score, source = quantize(reported, places), f"得分 {fmt_plain(reported)} 分"
    elif rate is not None:
        score = quantize(weight * min(rate, Decimal(1)), places)
        shown = f"{fmt_plain(rate * HUNDRED)}%"
        source = f"执行率 {shown}（{fmt_plain(weight)}×{shown}={fmt(score, places)} 分）"
    else:
        return None
    flag = Flag("EXEC-UNVERIFIED", {"what": missing, "source": source})
    explanation = f"未填{missing}，按填报的{source}计（未核实）"
    return ExecScore(weight, rate, score, explanation, [flag], verified=False)


# ------------------------------------------------------------------ R2/R3 indicators


def _tier_score(
    tier: str, weight: Decimal, reported: Decimal | None, policy: ScoringPolicy
) -> tuple[Decimal, list[Flag], str]:
    """Return the score of a qualitative tier, honouring an entered score inside its band."""
    places = policy.score_places
    high, low = policy.qual_band_limits
    if tier == ACHIEVED:
        return weight, [], f"达成，满分{fmt_plain(weight)}"
    if tier == PARTIAL:
        lower, upper = quantize(weight * low, places), quantize(weight * high, places)
    else:
        lower, upper = ZERO, quantize(weight * low, places)
    midpoint = quantize((lower + upper) / 2, places)
    band = f"[{fmt(lower, places)}, {fmt(upper, places)})"
    if reported is None:
        return (
            midpoint,
            [Flag("IND-QUAL-DEFAULT", {"tier": tier, "expected": fmt(midpoint, places)})],
            f"{tier}，未填得分，按区间{band}中值{fmt(midpoint, places)}",
        )
    if lower <= reported < upper:
        return reported, [], f"{tier}，填报得分{fmt_plain(reported)}在区间{band}内"
    flag = Flag(
        "IND-QUAL-BAND",
        {"tier": tier, "expected": band, "actual": fmt_plain(reported), "midpoint": fmt(midpoint, places)},
    )
    return midpoint, [flag], f"{tier}，得分应在区间{band}内，按中值{fmt(midpoint, places)}"


def _quantitative(
    op: str, t: Decimal, x: Decimal, w: Decimal, policy: ScoringPolicy, unit: str = ""
) -> tuple[Decimal, bool, str]:
    """Return (raw score, target met, formula) for a numeric target T and actual X."""
    ws, xs, ts = fmt_plain(w), fmt_plain(x), fmt_plain(t)
    xu, tu = f"{xs}{unit}", f"{ts}{unit}"  # '11/12×6' reads best bare; comparisons carry the unit
    if op in (">=", ">"):
        if x >= t:
            return w, True, f"{xu}≥{tu}，满分{ws}"
        return x / t * w, False, f"{xs}/{ts}×{ws}"
    if op == "=":
        if t == 0:
            return (w, True, f"实际{xs}=0，满分{ws}") if x <= 0 else (ZERO, False, f"实际{xs}≠0，得0")
        if x >= t:
            return w, True, f"{xu}≥{tu}，满分{ws}"
        return x / t * w, False, f"{xs}/{ts}×{ws}"
    # 反向 (≤, <)
    if t == 0:
        return (w, True, f"实际{xs}≤0，满分{ws}") if x <= 0 else (ZERO, False, f"实际{xs}>0，得0")
    if x <= t:
        return w, True, f"{xu}≤{tu}，满分{ws}"
    if policy.reverse_formula == "ratio":
        return w * t / x, False, f"{ts}/{xs}×{ws}"
    if x >= 2 * t:
        return ZERO, False, f"{xu}≥2×{tu}，得0"
    return (1 - (x - t) / t) * w, False, f"(1−({xs}−{ts})/{ts})×{ws}"


def score_indicator(
    ind: Indicator, position: int, policy: ScoringPolicy, year: int | None = None
) -> IndicatorScore:
    """Return the score of one indicator row by RULES R2 (定量), R3 (定性) and §2a (direction).

    ``year`` is the filing's: a deadline stated without a year ('年底前') falls in it.
    """
    tax = taxonomy()
    level1 = tax.level1_of(ind.level1, ind.level2)
    level2 = tax.canonical_level2(ind.level2)
    # a number typed in the workbook's 手填 columns is scored instead of the text (the sheet does so too)
    typed_target = fmt_plain(ind.target_manual) if ind.target_manual is not None else ind.target
    typed_actual = fmt_plain(ind.actual_manual) if ind.actual_manual is not None else ind.actual
    target, actual = parse_target(typed_target), parse_actual(typed_actual)
    weight = ind.weight if ind.weight is not None and ind.weight > 0 else None
    result = IndicatorScore(ind, position, level1, level2, "定性", target, actual, weight, None, "")
    flags = result.flags
    if target.problem and target.kind == QUALITATIVE:
        flags.append(Flag("IND-TARGET-UNPARSED", {"reason": target.problem}))
    if weight is None:
        result.explanation = "分值未填或不大于0，不计分"
        return result
    if policy.coefficient_scoring and ind.coefficient is not None:
        return _score_coefficient(result, ind.coefficient, policy)

    chosen = tier_of(ind.tier)
    if chosen is not None:  # the accountant chose the 定性档次: the sheet scores by it, and so does jixiao
        return _score_tier(result, chosen, f"定性档次“{chosen}”", policy)
    if target.kind == MISSING:
        result.score, result.explanation = ZERO, "未填年度指标值，得0"
        return result
    if target.kind == QUALITATIVE or mode_of(ind.mode) == "定性":
        return _score_qualitative(result, policy)
    if target.kind == UNREADABLE:
        flags.append(Flag("IND-TARGET-UNREADABLE", {"reason": target.problem or ""}))
        return _manual_review(result, policy, "年度指标值无法识别")

    direction = decide(ind.mode, target, ind.name, level2)
    result.direction, result.op = direction, direction.op
    if direction.assumed:
        flags.append(Flag("IND-DIRECTION-ASSUMED"))
    op = direction.op
    result.mode = "零目标" if target.value == 0 and op in ("<=", "<", "=") else _OP_MODE[op]
    note = direction.note + "；"

    if actual.kind == "missing":
        result.score, result.explanation = ZERO, "未填实际完成值，得0"
        flags.append(Flag("IND-ACTUAL-MISSING"))
        return result
    if actual.kind == "tier":
        timely = level2 == "时效指标" or target.is_deadline
        if not timely:
            flags.append(
                Flag(
                    "IND-ACTUAL-TIER",
                    {"expected": target.describe(op), "actual": actual.text, "tier": actual.tier or ""},
                )
            )
        return _score_tier(
            result, actual.tier or MISSED, f"{note}{target.describe(op)}，实际“{actual.text.strip()}”", policy
        )
    if target.kind == DATE:
        return _score_date(result, policy, year)
    if actual.kind in ("text", "date"):
        result.score, result.explanation = ZERO, f"实际完成值“{actual.text.strip()}”不是数字，得0"
        flags.append(Flag("IND-ACTUAL-TEXT", {"expected": target.describe(op), "actual": actual.text}))
        return result

    t, x, unit = _comparable(result, ind)
    if t is None or x is None:
        result.score = ZERO
        result.explanation = f"单位不一致（{actual.unit} 与 {target.unit}），得0"
        flags.append(Flag("IND-UNIT-MISMATCH", {"expected": target.unit or "", "actual": actual.unit or ""}))
        return result
    x = max(x, ZERO)  # a negative actual is scored as 0 ([FASP])
    strict_day = ""
    if target.kind == DEADLINE and target.before and op == "<=" and not policy.before_inclusive:
        t -= 1  # "之前" without the stated day: the day before is the last one in time
        strict_day = f"“之前”不含当日，按{fmt_plain(t)}{target.unit or ''}："
    result.x, result.t = x, t
    if t == 0 and op in (">=", ">"):
        flags.append(Flag("IND-TARGET-ZERO"))
        return _manual_review(result, policy, "正向指标的目标值为0")
    if (
        target.kind == DEADLINE
        and direction.step != BY_MODE
        and op in ("<=", "<")
        and (x > t or (op == "<" and x == t))
    ):
        # a deadline is met or not (RULES R3, §5a): missed is the 未达成 band
        lead = f"{note}{strict_day}实际{fmt_plain(x)}{unit}，超过时限{fmt_plain(t)}{unit}"
        return _score_tier(result, MISSED, lead, policy)
    return _score_number(result, op, t, x, unit, note + strict_day, policy)


TIERS = (ACHIEVED, PARTIAL, MISSED)  # the 定性档次 drop-down of the workbook


def tier_of(text: str | None) -> str | None:
    """Return the tier a 定性档次 cell names (达成 / 部分达成 / 未达成), or None."""
    word = (text or "").strip()
    return word if word in TIERS else None


def _score_coefficient(result: IndicatorScore, coefficient: Decimal, policy: ScoringPolicy) -> IndicatorScore:
    """Return ``result`` scored 权重 × 得分系数 (重庆), the coefficient held within 0–100%."""
    share = min(max(coefficient, ZERO), Decimal(1))
    weight = result.weight or ZERO
    result.score = quantize(weight * share, policy.score_places)
    result.met = share >= 1
    shown = fmt(result.score, policy.score_places)
    result.explanation = f"按得分系数：{fmt_plain(weight)}×{fmt_plain(share * HUNDRED)}%={shown}"
    return result


def _score_number(
    result: IndicatorScore, op: str, t: Decimal, x: Decimal, unit: str, note: str, policy: ScoringPolicy
) -> IndicatorScore:
    """Return ``result`` scored by the FASP formulas on the target ``t`` and actual ``x``."""
    weight, target, places = result.weight, result.target, policy.score_places
    assert weight is not None
    flags = result.flags
    raw, met, formula = _quantitative(op, t, x, weight, policy, unit)
    score = min(max(quantize(raw, places), ZERO), weight)
    result.score, result.met = score, met
    prefix = ""
    if target.per and target.per_value is not None and target.value != target.per_value:
        prefix = (
            f"{target.text.strip()}={fmt_plain(t)}{target.unit or ''}/年，"
            f"实际{fmt_plain(x)}{target.unit or ''}："
        ).replace(" ", "")
    if result.mode == "零目标":
        formula = formula if result.actual.kind != "none" else f"实际无发生，满分{fmt_plain(weight)}"
    result.explanation = note + prefix + formula + ("" if met else f"={fmt(score, places)}")
    if unit == "%" and x > HUNDRED and op not in ("<=", "<"):  # a 反向 rate over 100% is its shortfall
        flags.append(Flag("IND-PERCENT-OVER", {"actual": f"{fmt_plain(x)}%"}))
    if (
        policy.over_target_penalty
        and op in (">=", ">")
        and t > 0
        and x / t - 1 >= policy.over_target_penalty_threshold
    ):
        deduction = quantize(weight * policy.over_target_penalty, places)
        result.score = max(score - deduction, ZERO)
        result.explanation += (
            f"；超出目标{fmt_percent(x / t - 1, 0)}，按偏离度调减{fmt(deduction, places)}"
            f"={fmt(result.score, places)}"
        )
    if op in (">=", ">") and t > 0 and x / t - 1 >= policy.over_target_threshold:
        flags.append(
            Flag(
                "IND-OVER-TARGET",
                {
                    "expected": f"{fmt_plain(t)}{target.unit or ''}",
                    "actual": f"{fmt_plain(x)}{unit}",
                    "excess": fmt_percent(x / t - 1, 0),
                },
            )
        )
    return result


_MONEY_CONTEXT = re.compile(r"资金|经费|费用|成本|金额|投资|收入|预算|支出|补助|补贴|奖励|价|元")


def _comparable(result: IndicatorScore, ind: Indicator) -> tuple[Decimal | None, Decimal | None, str]:
    """Return the target and actual in one unit (None, None when they cannot be compared), and the unit.

    A bare 万 beside a count is ×10000 ('2万册' vs '15000册'); a percentage typed as a fraction
    (0.85 against 90%) is read as 85% and flagged (RULES §5a).
    """
    target, actual, flags = result.target, result.actual, result.flags
    t = target.value if target.value is not None else ZERO
    x = actual.value if actual.value is not None else ZERO
    t_unit, x_unit = target.unit, actual.unit
    money = result.level2 in ("成本指标", "经济成本指标") or bool(_MONEY_CONTEXT.search(ind.name or ""))
    if target.bare_wan and not money and (x_unit is None or is_count_unit(x_unit)):
        t, t_unit = t * _TEN_THOUSAND, x_unit
    elif actual.bare_wan and not money and (t_unit is None or is_count_unit(t_unit)):
        x, x_unit = x * _TEN_THOUSAND, t_unit
    if not units_compatible(t_unit, x_unit):
        return None, None, ""
    if t_unit and x_unit and t_unit != x_unit:  # two count units ('人' and '个'): compared by number, flagged
        flags.append(Flag("IND-UNIT-COUNT", {"expected": t_unit, "actual": x_unit}))
        t_unit = x_unit = None
    op = result.op or ">="
    forward = op in (">=", ">", "=")
    if (
        t_unit == "%"
        and x_unit is None
        and x > ZERO
        and ((x <= 1 and (forward or t >= 50)) or (x <= 2 and t >= 50))
    ):
        x, x_unit = _as_percent(flags, "实际完成值", actual.text, x), "%"
    elif x_unit == "%" and t_unit is None and ZERO < t <= 1 and target.kind == QUANTITATIVE:
        t, t_unit = _as_percent(flags, "年度指标值", target.text, t), "%"
    return t, x, x_unit or t_unit or ""


def _as_percent(flags: list[Flag], what: str, typed: str, fraction: Decimal) -> Decimal:
    """Return a fraction typed for a percentage (0.85) as the percentage (85), flagged."""
    read = fraction * HUNDRED
    flags.append(Flag("IND-FRACTION", {"what": what, "typed": typed.strip(), "read": f"{fmt_plain(read)}%"}))
    return read


def _kept(result: IndicatorScore) -> tuple[Decimal, str]:
    """Return the filed score when it lies in [0, W] (else 0) and how the explanation says so."""
    reported, weight = result.indicator.reported_score, result.weight
    if reported is not None and weight is not None and ZERO <= reported <= weight:
        return reported, f"沿用填报得分 {fmt_plain(reported)}"
    return ZERO, "暂按 0 分计"


def _manual_review(result: IndicatorScore, policy: ScoringPolicy, why: str) -> IndicatorScore:
    """Return ``result`` with the filed score kept (a target no rule can read: manual review)."""
    score, kept = _kept(result)
    result.review, result.score = True, quantize(score, policy.score_places)
    result.explanation = f"{why}，未自动计分，{kept}，请人工复核"
    return result


def _score_tier(result: IndicatorScore, tier: str, lead: str, policy: ScoringPolicy) -> IndicatorScore:
    """Return ``result`` scored in the band of ``tier`` (an entered score inside it is kept)."""
    assert result.weight is not None
    result.tier = tier
    score, tier_flags, text = _tier_score(tier, result.weight, result.indicator.reported_score, policy)
    result.flags.extend(tier_flags)
    result.score, result.met = quantize(score, policy.score_places), tier == ACHIEVED
    result.explanation = f"{lead}→{text}"
    return result


def _score_date(result: IndicatorScore, policy: ScoringPolicy, year: int | None) -> IndicatorScore:
    """Return ``result`` for a deadline date: met → full marks, missed → the 未达成 band."""
    target, actual = result.target, result.actual
    assert target.date is not None
    deadline = target.date
    if deadline.year is None and year:
        deadline = dataclasses.replace(deadline, year=year)
    done = actual.date
    if done is None or done.problem:
        result.flags.append(Flag("IND-QUAL-UNKNOWN", {"actual": actual.text, "fallback": _kept(result)[1]}))
        why = f"完成日期不存在（{done.problem}）" if done else f"期限{deadline.describe()}，完成值不是日期"
        return _manual_review(result, policy, why)
    strict = target.before and not policy.before_inclusive
    if on_time(done, deadline, strict):
        result.tier, result.met, result.score = ACHIEVED, True, quantize(result.weight, policy.score_places)
        when = f"按期限计分；完成于{done.describe_first()}，不晚于期限{deadline.describe()}"
        result.explanation = f"{when}，满分{fmt_plain(result.weight)}"
        return result
    lead = f"按期限计分；完成于{done.describe_first()}，晚于期限{deadline.describe()}"
    return _score_tier(result, MISSED, lead, policy)


def _score_qualitative(result: IndicatorScore, policy: ScoringPolicy) -> IndicatorScore:
    """Return ``result`` scored by the tier its actual value names (RULES R3, §5a words)."""
    ind, actual, weight = result.indicator, result.actual, result.weight
    assert weight is not None
    tier = relative_tier(ind.target, ind.actual)
    if tier is None and actual.kind == "tier":
        tier = actual.tier
    if tier is None:
        if actual.kind == "missing":
            result.flags.append(Flag("IND-ACTUAL-MISSING"))
            result.score, result.explanation = ZERO, "未填实际完成值，得0"
            return result
        score, fallback = _kept(result)
        if mode_of(ind.mode) == "定性" and ind.reported_score is not None and score == ind.reported_score:
            result.score = quantize(score, policy.score_places)  # the accountant chose 定性 and scored it
            result.explanation = f"{fallback}（计分方式已选“定性”）"
            return result
        result.flags.append(Flag("IND-QUAL-UNKNOWN", {"actual": actual.text, "fallback": fallback}))
        result.score, result.review = quantize(score, policy.score_places), True
        result.explanation = f"无法判断档次，{fallback}"
        return result
    return _score_tier(result, tier, f"“{actual.text.strip()}”", policy)


# ------------------------------------------------------------------ R4/R5 roll-up, total, grade


def grade_of(total: Decimal, policy: ScoringPolicy) -> str:
    """Return the grade of a total (优 / 良 / 中 / 差, each lower bound inclusive)."""
    return next((grade for grade, bound in policy.grade_lines if total >= bound), LOWEST_GRADE)


def rescales(weight_total: Decimal, policy: ScoringPolicy) -> bool:
    """Return True when the policy rescales a table whose 分值 add up to ``weight_total`` (not 100) to 100."""
    return policy.missing_block == "rescale" and weight_total not in (ZERO, HUNDRED)


def rescaled_total(raw_total: Decimal, weight_total: Decimal, policy: ScoringPolicy) -> Decimal:
    """Return the total before the 执行率 cap: ``raw_total`` rescaled to 100 when :func:`rescales`."""
    if rescales(weight_total, policy):
        return quantize(raw_total / weight_total * HUNDRED, policy.score_places)
    return raw_total


def score_evaluation(
    evaluation: Evaluation,
    table: str,
    subject: str,
    sheet: str,
    policy: ScoringPolicy,
    year: int | None = None,
) -> TableScore:
    """Return the scores of one 1-2 or 1-3 table (``year``: the filing's, for a deadline without one)."""
    exec_score = score_execution(evaluation.budget, policy)
    indicator_scores = [
        score_indicator(ind, i, policy, year)
        for i, ind in enumerate(evaluation.indicators)
        if not ind.is_placeholder()
    ]
    level1_scores: dict[str, Decimal] = {}
    level1_weights: dict[str, Decimal] = {}
    for s in indicator_scores:
        key = s.level1 or (s.indicator.level1 or "（未知）")
        level1_scores[key] = level1_scores.get(key, ZERO) + (s.score or ZERO)
        level1_weights[key] = level1_weights.get(key, ZERO) + (s.weight or ZERO)
    indicator_total = sum((s.score or ZERO for s in indicator_scores), ZERO)
    weight_total = exec_score.weight + sum(level1_weights.values(), ZERO)
    raw_total = (exec_score.score or ZERO) + indicator_total
    places = policy.score_places
    unverified = "" if exec_score.verified else "（执行率得分未核实）"
    explanation = (
        f"{fmt(exec_score.score or ZERO, places)}{unverified}+{fmt(indicator_total, places)}"
        f"={fmt(raw_total, places)}"
    )
    total = rescaled_total(raw_total, weight_total, policy)
    if rescales(weight_total, policy):
        explanation += (
            f"；分值合计{fmt_plain(weight_total)}，折算{fmt(raw_total, places)}/"
            f"{fmt_plain(weight_total)}×100={fmt(total, places)}"
        )
    if policy.exec_cap and exec_score.rate is not None:
        for limit, cap in EXEC_CAPS:
            if exec_score.rate < limit and total > cap:
                explanation += f"；执行率低于{fmt_percent(limit, 0)}，总分封顶{cap}"
                total = cap
                break
    return TableScore(
        table,
        subject,
        sheet,
        evaluation,
        exec_score,
        indicator_scores,
        level1_scores,
        level1_weights,
        weight_total,
        raw_total,
        total,
        grade_of(quantize(total, places), policy),
        explanation,
        evaluation.reported_total,
    )


def score_filing(filing: Filing) -> FilingScore:
    """Return the scores of the tables ``filing`` holds (附件1-2 when filed, each filed 附件1-3)."""
    from jixiao.model import SHEET_T12, project_sheet_name

    policy = filing.policy
    department = None
    if filing.has_t12():
        subject = filing.unit or filing.t12.dept_name or "（单位）"
        department = score_evaluation(filing.t12, "1-2", subject, SHEET_T12, policy, filing.year)
    projects = [
        score_evaluation(
            p,
            "1-3",
            p.name or f"项目{i + 1}",
            p.where.sheet if p.where else project_sheet_name(i),
            policy,
            filing.year,
        )
        for i, p in enumerate(filing.t13)
        if not p.is_blank()
    ]
    return FilingScore(department, projects)
