"""The direction of a quantitative indicator (RULES.md §2a): which way is better, and why.

``decide(mode, target, name, level2)`` returns a :class:`Direction`: the operator to score with,
the step that decided it, and a short Chinese note for the explanation ("名称含“控制率”，按反向计分").
The steps, the first that applies wins: the 计分方式 chosen in the workbook; an explicit operator
in the target; the indicator's name (``data/directions.toml``); the target's kind (a deadline or
a duration); the 二级. When nothing decides, the indicator is scored 正向 and flagged as assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jixiao.numbers import normalize_text
from jixiao.resources import load_data
from jixiao.targets import ZERO, Target
from jixiao.taxonomy import taxonomy

FORWARD, REVERSE, EQUAL = ">=", "<=", "="
MODE_OP = {"正向": FORWARD, "反向": REVERSE, "等于": EQUAL}
# what else a 计分方式 / 指标性质 / 计算符号 cell holds for the same choice (四川's 指标性质 is the operator)
MODE_ALIASES = {
    "≥": "正向",
    ">=": "正向",
    ">": "正向",
    "≤": "反向",
    "<=": "反向",
    "<": "反向",
    "=": "等于",
    "定量": "自动",
    "": "自动",
}
OP_MODE = {">=": "正向", ">": "正向", "=": "等于", "<=": "反向", "<": "反向"}

# the steps of RULES §2a, in order
BY_MODE, BY_OPERATOR, BY_NAME, BY_KIND, BY_LEVEL2, ASSUMED = (
    "计分方式",
    "运算符",
    "名称",
    "目标类型",
    "二级",
    "推定",
)


@dataclass(frozen=True)
class Direction:
    """How an indicator is scored: ``op`` (>=, >, =, <=, <), the deciding ``step`` and its note."""

    op: str
    step: str
    note: str

    @property
    def assumed(self) -> bool:
        """Return True when nothing decided the direction (scored 正向, to be confirmed)."""
        return self.step == ASSUMED


@cache
def _patterns() -> tuple[tuple[str, str], ...]:
    """Return (pattern, operator) for every name pattern, longest first, 反向 before 正向."""
    data = load_data("directions.toml")
    pairs = [(p["pattern"], REVERSE) for p in data["reverse"]] + [
        (p["pattern"], FORWARD) for p in data["forward"]
    ]
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[1] != REVERSE)))


def by_name(name: str | None) -> tuple[str, str] | None:
    """Return (operator, pattern) when the indicator's name says which way is better, else None."""
    text = normalize_text(name or "")
    if not text:
        return None
    for pattern, op in _patterns():
        if pattern in text:
            return op, pattern
    return None


def _word(op: str) -> str:
    return OP_MODE[op]


def mode_of(mode: str | None) -> str:
    """Return the 计分方式 a cell states (正向 / 反向 / 等于 / 定性 / 自动), its operator spellings read."""
    text = normalize_text(mode or "")
    return MODE_ALIASES.get(text, text)


def decide(mode: str | None, target: Target, name: str | None, level2: str | None) -> Direction:
    """Return the direction of an indicator by the steps of RULES §2a."""
    mode = mode_of(mode)
    if mode in MODE_OP:
        return Direction(MODE_OP[mode], BY_MODE, f"计分方式为“{mode}”")
    named = by_name(name)
    if target.kind == ZERO and not (target.op_weak and named):
        return Direction(REVERSE, BY_KIND, f"指标值为“{target.op_text or '0'}”（不发生），按反向计分")
    if target.op and target.op_text is None and target.kind != ZERO:  # implied by the target's form
        what = "频次" if target.per and not target.is_deadline else "期限"
        return Direction(target.op, BY_KIND, f"指标值为{what}，按{_word(target.op)}计分")
    if target.op and not (target.op_weak and named):
        return Direction(target.op, BY_OPERATOR, f"指标值写明“{target.op_text}”，按{_word(target.op)}计分")
    if named:  # also over a weak operator ('为', '达到'); without a name that one decided above
        op, pattern = named
        return Direction(op, BY_NAME, f"名称含“{pattern}”，按{_word(op)}计分")
    if target.is_deadline or target.is_duration:
        what = "期限" if target.is_deadline else "时长"
        return Direction(REVERSE, BY_KIND, f"指标值为{what}，按反向计分")
    level = taxonomy().level2.get(level2 or "")
    if level is not None:
        op = level.direction
        return Direction(op, BY_LEVEL2, f"二级为“{level.name}”，按{_word(op)}计分")
    return Direction(FORWARD, ASSUMED, "计分方向按正向推定")
