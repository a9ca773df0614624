"""The scoring policy: every alternative RULES.md §0 lists, as one frozen settings object.

A policy is stored with the filing (in the data file and in the workbook) as a flat mapping of
stable keys to strings, so a file scores the same wherever it is opened.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import Decimal, InvalidOperation

from jixiao.errors import PolicyError

REVERSE_FORMULAS = ("fasp", "ratio")  # 反向: national linear to 2T, or the local W×T/X
QUAL_BANDS = ("80-60", "80-50")  # 定性档次: [0.8W,W] [0.6W,0.8W) [0,0.6W) or 100–80/80–50/50–0
MISSING_BLOCK = ("as_filed", "rescale")  # a missing 一级 block: total as filed, or rescaled to 100
WEIGHT_SPLITS = ("fixed", "free")  # 一级 weights: 50/30/10, or 90 indicator points split freely (四川)
PLACES = (1, 2)  # score_places, display_places
# RULES R5: grade names with the setting holding each lower bound (inclusive), best first
GRADE_LINES = (("优", "grade_excellent"), ("良", "grade_good"), ("中", "grade_fair"))
LOWEST_GRADE = "差"
GRADES = (*(grade for grade, _ in GRADE_LINES), LOWEST_GRADE)
# exec_cap (RULES §0): below each 执行率 limit the total is capped, tightest limit first
EXEC_CAPS = ((Decimal("0.6"), Decimal(69)), (Decimal("0.7"), Decimal(79)), (Decimal("0.8"), Decimal(89)))
TOLERANCES = ("amount", "score")  # what a rule's gap is measured in (rules.toml ``tolerance``)
# settings older files may still carry; they never changed an outcome and are ignored on read
RETIRED = ("deviation_threshold",)


@dataclass(frozen=True)
class ScoringPolicy:
    """Return-free value object holding every scoring setting; defaults are RULES.md §0."""

    exec_weight: Decimal = Decimal(10)  # 预算执行率 分值 W_b
    reverse_formula: str = "fasp"
    qual_bands: str = "80-60"
    over_target_threshold: Decimal = Decimal("0.20")  # 正向 X/T−1 at or above this → advisory
    before_inclusive: bool = True  # a deadline "…之前" includes the stated day (≤); false: <
    score_places: int = 2  # indicator and execution scores are stored at this many places
    display_places: int = 2  # totals shown with 2 (or 1, 株洲 style) places
    weight_output: Decimal = Decimal(50)  # 产出指标
    weight_effect: Decimal = Decimal(30)  # 效益指标
    weight_satisfaction: Decimal = Decimal(10)  # 满意度指标
    grade_excellent: Decimal = Decimal(90)  # 优 ≥
    grade_good: Decimal = Decimal(80)  # 良 ≥
    grade_fair: Decimal = Decimal(60)  # 中 ≥
    amount_tolerance: Decimal = Decimal("0.01")  # 万元: a sum gap within this is a rounding hint
    score_tolerance: Decimal = Decimal("0.05")  # 分: a filed score or weight this close is not an error
    missing_block: str = "as_filed"
    exec_cap: bool = False  # cap the total by 执行率 (70–80% → ≤89, 60–70% → ≤79, <60% → ≤69)
    # 偏离度调减 (off by default): a 正向 result this far above target loses this share of W
    over_target_penalty_threshold: Decimal = Decimal("0.30")
    over_target_penalty: Decimal = Decimal(0)
    # template presets (TEMPLATES.md, data/templates_*.toml); off in the national default
    weight_split: str = "fixed"  # free: no 50/30/10 comparison, and no 满意度 block is this shape
    coefficient_scoring: bool = False  # a filed 得分系数 scores the row: 权重 × 系数 (重庆)
    exec_reason_below: Decimal = Decimal(0)  # 执行率 below this share needs a 原因 (四川 0.9); 0: off

    def __post_init__(self) -> None:
        if self.reverse_formula not in REVERSE_FORMULAS:
            raise PolicyError(f"计分设置 reverse_formula 只能是 {'/'.join(REVERSE_FORMULAS)}")
        if self.qual_bands not in QUAL_BANDS:
            raise PolicyError(f"计分设置 qual_bands 只能是 {'/'.join(QUAL_BANDS)}")
        if self.weight_split not in WEIGHT_SPLITS:
            raise PolicyError(f"计分设置 weight_split 只能是 {'/'.join(WEIGHT_SPLITS)}")
        if not Decimal(0) <= self.exec_reason_below <= Decimal(1):
            raise PolicyError("计分设置 exec_reason_below 须在 0 到 1 之间（执行率比例）")
        if self.missing_block not in MISSING_BLOCK:
            raise PolicyError(f"计分设置 missing_block 只能是 {'/'.join(MISSING_BLOCK)}")
        if self.score_places not in PLACES or self.display_places not in PLACES:
            raise PolicyError("计分设置 score_places / display_places 只能是 1 或 2")
        if not (self.grade_excellent > self.grade_good > self.grade_fair >= 0):
            raise PolicyError("计分设置：等级分数线须满足 优 > 良 > 中 ≥ 0")
        if not Decimal(0) <= self.over_target_penalty <= Decimal(1):
            raise PolicyError("计分设置 over_target_penalty 须在 0 到 1 之间（占分值的比例）")
        if self.exec_weight < 0 or self.exec_weight > 100:
            raise PolicyError("计分设置 exec_weight 须在 0 到 100 之间")
        if self.amount_tolerance < 0 or self.score_tolerance < 0:
            raise PolicyError("计分设置 amount_tolerance / score_tolerance 不能为负数")

    @property
    def level1_weights(self) -> dict[str, Decimal]:
        """Return the expected weight of each 一级 block."""
        return {
            "产出指标": self.weight_output,
            "效益指标": self.weight_effect,
            "满意度指标": self.weight_satisfaction,
        }

    @property
    def grade_lines(self) -> tuple[tuple[str, Decimal], ...]:
        """Return (grade, lower bound) for every grade but the lowest, best first."""
        return tuple((grade, getattr(self, key)) for grade, key in GRADE_LINES)

    def tolerance(self, kind: str | None) -> Decimal:
        """Return the tolerance of a rule measured in ``kind``: 'score' (分) or amounts (万元)."""
        return self.score_tolerance if kind == "score" else self.amount_tolerance

    @property
    def qual_band_limits(self) -> tuple[Decimal, Decimal]:
        """Return the lower bounds (达成, 部分达成) of the qualitative tiers as shares of W."""
        return (Decimal("0.8"), Decimal("0.6") if self.qual_bands == "80-60" else Decimal("0.5"))

    @staticmethod
    def choices(key: str) -> tuple[str, ...] | None:
        """Return the values setting ``key`` may take, as stored text, or None when it is a number."""
        listed = {
            "reverse_formula": REVERSE_FORMULAS,
            "qual_bands": QUAL_BANDS,
            "missing_block": MISSING_BLOCK,
            "weight_split": WEIGHT_SPLITS,
        }
        if key in listed:
            return listed[key]
        if key in ("score_places", "display_places"):
            return tuple(str(p) for p in PLACES)
        default = getattr(ScoringPolicy(), key)
        return ("true", "false") if isinstance(default, bool) else None

    def to_settings(self) -> dict[str, str]:
        """Return the policy as a flat mapping of stable keys to strings."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
        return out

    @classmethod
    def from_settings(cls, settings: dict[str, object] | None) -> ScoringPolicy:
        """Return a policy from a mapping of stable keys; unknown keys or bad values raise."""
        policy = cls()
        if not settings:
            return policy
        known = {f.name: f for f in fields(cls)}
        changes: dict[str, object] = {}
        for key, raw in settings.items():
            if key in RETIRED:
                continue
            if key not in known:
                raise PolicyError(f"未知的计分设置项 {key!r}（可用：{'、'.join(known)}）")
            default = getattr(policy, key)
            changes[key] = _coerce(key, raw, default)
        return replace(policy, **changes)


def coerce_setting(key: str, raw: object) -> object:
    """Return the value of the setting ``key`` typed as ``raw`` (a word where a number belongs raises);
    whether it fits the other settings (优 > 良 > 中) is :class:`ScoringPolicy`'s to say."""
    return _coerce(key, raw, getattr(ScoringPolicy(), key))


def _coerce(key: str, raw: object, default: object) -> object:
    text = str(raw).strip()
    if isinstance(default, bool):
        lowered = text.lower()
        if lowered in ("true", "1", "是", "yes"):
            return True
        if lowered in ("false", "0", "否", "no"):
            return False
        raise PolicyError(f"计分设置 {key} 应为 是/否，实为 {text!r}")
    if isinstance(default, int):
        try:
            return int(text)
        except ValueError:
            raise PolicyError(f"计分设置 {key} 应为整数，实为 {text!r}") from None
    if isinstance(default, Decimal):
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise PolicyError(f"计分设置 {key} 应为数字，实为 {text!r}") from None
        if not value.is_finite():
            raise PolicyError(f"计分设置 {key} 应为数字，实为 {text!r}")
        return value
    return text
