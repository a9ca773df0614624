"""Generate a corpus of realistic unit filings, some with injected errors of known kinds.

Every clean filing keeps the identities the checks verify (三公 and 项目支出 sums, 1-1 ↔ 1-2 ↔ Σ1-3,
the 支出情况 block, weights 10 + 50/30/10, reported scores equal to the computed ones, the 结余
fully explained) and raises no finding at all. Each injection changes one thing and names the
exact set of rule IDs it must raise: that is the ground truth written to ``truth.json``.

    python bench/generate.py OUT_DIR -n 200 -k 3 [--seed 1] [--format xlsx|json] [--clean-share 0.5]

The files go to ``OUT_DIR/units/`` with two that are not filings (a truncated file and a foreign
one); the ground truth goes to ``OUT_DIR/truth.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import zipfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jixiao.datafile import dump_filing, filing_from_dict, filing_to_dict, write_text_atomic
from jixiao.model import (
    BalanceItem,
    BaseTable,
    Budget,
    CostLine,
    DepartmentEvaluation,
    ExpenditureSplit,
    Filing,
    FundLine,
    Headcount,
    Indicator,
    ProjectEvaluation,
    ProjectProse,
    ProjectSpend,
    Prose,
    RevenueSplit,
    Signers,
    Spending,
    Staff,
)
from jixiao.numbers import HUNDRED, ZERO, fmt, quantize
from jixiao.scoring import score_filing

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the rule cases of tests/rules/
from tests.rules.cases import Case, bench_cases, patch

CITIES = ("株洲", "湘潭", "衡阳", "岳阳", "常德", "益阳", "郴州", "永州", "怀化", "娄底", "邵阳", "张家界")
BUREAUS = {
    "教育局": ("教师培训", "学生资助", "校舍维修改造", "教育信息化建设"),
    "卫生健康委员会": ("基本公共卫生服务", "疾病预防控制", "妇幼健康服务", "医疗卫生人才培养"),
    "农业农村局": ("高标准农田建设", "农产品质量安全监管", "动物疫病防控", "农业技术推广"),
    "民政局": ("困难群众救助", "养老服务体系建设", "社区治理创新", "殡葬改革推进"),
    "文化旅游广电局": ("公共文化服务", "文物保护修缮", "全域旅游推广", "应急广播体系建设"),
    "生态环境局": ("大气污染防治", "水环境质量监测", "土壤污染防治", "生态环境执法"),
    "自然资源和规划局": ("国土空间规划编制", "不动产登记", "地质灾害防治", "耕地保护督察"),
    "市场监督管理局": ("食品安全抽检", "特种设备安全监察", "计量检定", "知识产权保护"),
    "人力资源和社会保障局": ("职业技能培训", "就业创业服务", "劳动保障监察", "人才引进"),
    "交通运输局": ("农村公路养护", "道路运输安全监管", "公交优先发展", "交通执法装备"),
    "住房和城乡建设局": ("老旧小区改造", "建筑安全监管", "城市排水防涝", "保障性住房管理"),
    "司法局": ("法律援助", "人民调解", "普法宣传", "社区矫正"),
}
PROJECT_SUFFIX = ("专项资金", "项目", "专项经费", "工作经费")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "婷",
)

Row = tuple[str, str, str, str, str]  # level1, level2, name, target, actual


def _amount(rng: random.Random, low: float, high: float) -> Decimal:
    """Return a random amount in 万元 with 2 decimals."""
    return quantize(Decimal(str(rng.uniform(low, high))), 2)


def _split(rng: random.Random, total: Decimal, parts: int, places: int = 2) -> list[Decimal]:
    """Return ``parts`` positive amounts with ``places`` decimals that add up exactly to ``total``."""
    if parts == 1:
        return [total]
    shares = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = sum(shares)
    values = [quantize(total * Decimal(str(s / scale)), places) for s in shares[:-1]]
    values.append(total - sum(values, ZERO))
    return values


def _weights(rng: random.Random, total: int, count: int) -> list[Decimal]:
    """Return ``count`` whole-number weights (each ≥ 1) adding up to ``total``."""
    base = [1] * count
    for _ in range(total - count):
        base[rng.randrange(count)] += 1
    return [Decimal(w) for w in base]


# ------------------------------------------------------------------ indicators


def _quantity(rng: random.Random, topic: str) -> Row:
    kind = rng.randrange(3)
    if kind == 0:
        n = rng.randint(4, 30)
        return ("产出指标", "数量指标", f"开展{topic}培训", f"≥{n}期", f"{n + rng.randint(0, n // 8)}期")
    if kind == 1:
        n = rng.randint(20, 200) * 10
        return ("产出指标", "数量指标", f"{topic}服务人次", f"≥{n}人次", f"{n + rng.randint(0, n // 10)}人次")
    n = rng.randint(2, 12)
    return ("产出指标", "数量指标", f"完成{topic}督导检查", f"≥{n}次", f"{n}次")


def _quality(rng: random.Random, topic: str) -> Row:
    target = rng.choice((90, 95, 98))
    actual = quantize(Decimal(str(rng.uniform(target, 100))), 1)
    return ("产出指标", "质量指标", f"{topic}验收合格率", f"≥{target}%", f"{actual}%")


def _timeliness(rng: random.Random, topic: str, year: int) -> Row:
    if rng.random() < 0.5:
        return ("产出指标", "时效指标", f"{topic}任务完成时限", f"{year}年12月31日前", "按时完成")
    return ("产出指标", "时效指标", f"{topic}资金拨付时限", f"{rng.choice((6, 9, 10))}月底前", "已完成")


def _cost(rng: random.Random, topic: str, ceiling: Decimal) -> Row:
    actual = quantize(ceiling * Decimal(str(rng.uniform(0.9, 1.0))), 2)
    return ("产出指标", "成本指标", f"{topic}成本控制", f"控制在{ceiling}万元以内", f"{actual}万元")


def _effect(rng: random.Random, topic: str) -> Row:
    kind = rng.randrange(4)
    if kind == 0:
        target = rng.choice((80, 85, 90))
        actual = quantize(Decimal(str(rng.uniform(target, min(100, target * 1.1)))), 1)
        return ("效益指标", "社会效益指标", f"{topic}群众知晓率", f"≥{target}%", f"{actual}%")
    if kind == 1:
        return ("效益指标", "社会效益指标", f"{topic}服务水平", "明显提升", "达到预期目标")
    if kind == 2:
        n = rng.randint(10, 90) * 10
        return (
            "效益指标",
            "经济效益指标",
            f"{topic}带动相关产业增收",
            f"≥{n}万元",
            f"{n + rng.randint(0, n // 10)}万元",
        )
    return ("效益指标", "可持续影响指标", f"{topic}长效管理机制", "长效机制有效运行", "达到预期目标")


def _satisfaction(rng: random.Random, topic: str) -> Row:
    target = rng.choice((85, 90, 95))
    actual = quantize(Decimal(str(rng.uniform(target, min(100, target * 1.05)))), 1)
    return ("满意度指标", "服务对象满意度指标", f"{topic}服务对象满意度", f"≥{target}%", f"{actual}%")


def _indicator_rows(
    rng: random.Random, topics: list[str], count: int, year: int, ceiling: Decimal
) -> list[Row]:
    """Return ``count`` indicator rows: every 产出 dimension, some 效益 and 满意度 rows."""
    satisfaction = max(1, count // 8)
    effect = max(1, count * 3 // 10)
    output = count - satisfaction - effect
    makers = [
        lambda t: _quantity(rng, t),
        lambda t: _quality(rng, t),
        lambda t: _timeliness(rng, t, year),
    ]
    rows: list[Row] = []
    costs = max(1, output // 6)
    for i in range(output - costs):
        rows.append(makers[i % 3](topics[i % len(topics)]))
    for part in _split(rng, ceiling, costs):
        rows.append(_cost(rng, topics[len(rows) % len(topics)], part))
    rows.extend(_effect(rng, topics[i % len(topics)]) for i in range(effect))
    rows.extend(_satisfaction(rng, topics[i % len(topics)]) for i in range(satisfaction))
    return _unique_names(rows)


def _unique_names(rows: list[Row]) -> list[Row]:
    seen: dict[str, int] = {}
    out = []
    for level1, level2, name, target, actual in rows:
        seen[name] = seen.get(name, 0) + 1
        out.append((level1, level2, name if seen[name] == 1 else f"{name}（{seen[name]}）", target, actual))
    return out


def _evaluation_indicators(rng: random.Random, rows: list[Row]) -> list[Indicator]:
    weights = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    out: list[Indicator] = []
    for level1, total in weights.items():
        block = [r for r in rows if r[0] == level1]
        for row, weight in zip(block, _weights(rng, total, len(block)), strict=True):
            out.append(
                Indicator(
                    level1=row[0], level2=row[1], name=row[2], target=row[3], actual=row[4], weight=weight
                )
            )
    return out


def _budget_row(initial: Decimal, full_year: Decimal, executed: Decimal) -> Budget:
    return Budget(initial=initial, full_year=full_year, executed=executed, weight=Decimal(10))


# ------------------------------------------------------------------ a clean filing


@dataclass
class UnitShape:
    """How big a generated unit is."""

    projects: int = 3
    t12_indicators: int = 8
    t13_indicators: int = 8


def clean_filing(rng: random.Random, index: int, shape: UnitShape, year: int = 2025) -> Filing:
    """Return a consistent filing that raises no finding, with reported scores filled in."""
    city = CITIES[index % len(CITIES)]
    bureau = list(BUREAUS)[(index // len(CITIES)) % len(BUREAUS)]
    topics = list(BUREAUS[bureau])
    unit = f"{city}市{bureau}" + (
        f"第{index // (len(CITIES) * len(BUREAUS)) + 1}分局" if index >= 144 else ""
    )
    scale = rng.choice((1, 2, 5, 10, 30))

    # projects (1-3): executed = full_year, so the whole 结余 is in 基本支出
    projects: list[ProjectEvaluation] = []
    for p in range(shape.projects):
        topic = topics[p % len(topics)] + ("" if p < len(topics) else f"（{p // len(topics) + 1}期）")
        name = topic + PROJECT_SUFFIX[(index + p) % len(PROJECT_SUFFIX)]
        full_year = _amount(rng, 10 * scale, 120 * scale)
        initial = full_year if rng.random() < 0.6 else quantize(full_year * Decimal("0.8"), 2)
        rows = _indicator_rows(rng, [topic], shape.t13_indicators, year, quantize(full_year, 0))
        evaluation = ProjectEvaluation(
            budget=_budget_row(initial, full_year, full_year),
            goal_expected=f"保障{topic}工作顺利实施，完成年度{topic}各项任务",
            goal_actual=f"{topic}各项任务按计划完成，达到预期目标",
            level1_weights={"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)},
            indicators=_evaluation_indicators(rng, rows),
            total_weight=HUNDRED,
            name=name,
            department=f"{city}市人民政府",
            implementer=unit,
            fiscal=FundLine(initial=initial, full_year=full_year, executed=full_year),
            prose=ProjectProse(
                purpose=f"用于{topic}相关支出",
                management="严格执行项目资金管理办法，专款专用。",
                implementation=f"按计划完成{topic}各项工作。",
                quality="完成质量达到预期。",
                benefit="项目效益发挥良好。",
            ),
        )
        evaluation.budget.reported_rate = "100.00%"
        projects.append(evaluation)
    project_total = sum((p.budget.executed for p in projects), ZERO)
    project_budget = sum((p.budget.full_year for p in projects), ZERO)
    project_increase = sum((p.budget.full_year - p.budget.initial for p in projects), ZERO)

    # 基本支出 by economic class; 公用经费 = 商品和服务支出
    wages = _amount(rng, 150 * scale, 400 * scale)
    family = _amount(rng, 10 * scale, 80 * scale)
    goods = _amount(rng, 40 * scale, 120 * scale)
    capital = _amount(rng, 0, 10 * scale)
    basic = wages + family + goods + capital
    executed = basic + project_total
    # most units spend nearly all; some leave a tenth or more unspent (the 结余 is explained below)
    share = rng.choice((0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.15))
    balance = quantize((basic + project_total) * Decimal(str(share * rng.uniform(0.8, 1.2))), 2)
    full_year = executed + balance
    basic_increase = _amount(rng, 0, 30 * scale) if rng.random() < 0.5 else ZERO
    initial = full_year - project_increase - basic_increase
    rate = executed / full_year

    # 附件1-1
    car_purchase = ZERO if rng.random() < 0.7 else _amount(rng, 10, 25)
    car_running = _amount(rng, 3, 15)
    abroad = ZERO
    reception = _amount(rng, 0.1, 3)

    def line(
        label: str, final: Decimal, budget: Decimal | None = None, prev: Decimal | None = None
    ) -> CostLine:
        budget = (
            budget if budget is not None else quantize(final * Decimal(str(rng.uniform(1.02, 1.3))) + 1, 2)
        )
        prev = prev if prev is not None else quantize(final * Decimal(str(rng.uniform(0.85, 1.15))), 2)
        return CostLine(label=label, prev_final=prev, budget=budget, final=final)

    car_purchase_line = line("其中：公车购置", car_purchase)
    car_running_line = line("公车运行维护", car_running)
    abroad_line = line("2、出国经费", abroad, ZERO, ZERO)
    reception_line = line("3、公务接待", reception)
    car_line = _total_line("1、公务用车购置和维护经费", [car_purchase_line, car_running_line])
    sangong = _total_line("三公经费", [car_line, abroad_line, reception_line])

    special_project = projects[0] if projects else None
    business = [p for p in projects if p is not special_project]
    business_line = CostLine(
        label="1、业务经费",
        prev_final=quantize(sum((p.budget.executed for p in business), ZERO) * Decimal("0.9"), 2),
        budget=sum((p.budget.full_year for p in business), ZERO),
        final=sum((p.budget.executed for p in business), ZERO),
    )
    running_line = CostLine(label="2、运行维护经费", prev_final=ZERO, budget=ZERO, final=ZERO)
    special_items = []
    if special_project is not None:
        special_items.append(
            CostLine(
                label=special_project.name,
                prev_final=ZERO,
                budget=special_project.budget.full_year,
                final=special_project.budget.executed,
            )
        )
    special = (
        _total_line("3、市级专项资金(一个专项一行)", special_items)
        if special_items
        else CostLine(label="3、市级专项资金(一个专项一行)", prev_final=ZERO, budget=ZERO, final=ZERO)
    )
    projects_line = _total_line("项目支出", [business_line, running_line, special])
    assert projects_line.final == project_total and projects_line.budget == project_budget

    office, utilities, meetings = _split(rng, goods, 3)
    public_parts = [
        line("其中：办公经费", office),
        line("水费、电费、差旅费", utilities),
        line("会议费、培训费", meetings),
    ]
    public = _total_line("公用经费", public_parts)
    establishment = Decimal(rng.randint(12, 160))
    in_service = establishment - rng.randint(0, int(establishment) // 10)
    t11_kwargs = dict(
        staff=Staff(
            authorized=establishment,
            actual=in_service,
            reported_control_rate=f"{fmt(in_service / establishment * HUNDRED, 2)}%",
        ),
        sangong=sangong,
        car=car_line,
        car_purchase=car_purchase_line,
        car_running=car_running_line,
        abroad=abroad_line,
        reception=reception_line,
        projects=projects_line,
        project_lines=[business_line, running_line],
        special=special,
        special_items=special_items,
        public=public,
        public_office=public_parts[0],
        public_utilities=public_parts[1],
        public_meetings=public_parts[2],
        procurement=line("政府采购金额", quantize(goods * Decimal("0.3"), 2)),
        basic_adjustment=CostLine(label="部门基本支出预算调整", budget=basic_increase, final=basic_increase),
        thrift_measures="严格执行中央八项规定精神，压减一般性支出。",
    )
    # 附件1-2
    t12_rows = _indicator_rows(rng, topics, shape.t12_indicators, year, quantize(goods, 0))
    other_revenue = ZERO if rng.random() < 0.7 else _amount(rng, 1, 5 * scale)
    t12 = DepartmentEvaluation(
        budget=_budget_row(initial, full_year, executed),
        goal_expected=f"履行{bureau}职能，完成{'、'.join(topics[:3])}等年度重点工作",
        goal_actual="年度重点工作全面完成，达到预期目标",
        level1_weights={"产出指标": Decimal(50), "效益指标": Decimal(30), "满意度指标": Decimal(10)},
        indicators=_evaluation_indicators(rng, t12_rows),
        total_weight=HUNDRED,
        dept_name=unit,
        revenue=RevenueSplit(general=executed - other_revenue, gov_fund=ZERO, other=other_revenue),
        expenditure=ExpenditureSplit(basic=basic, project=project_total),
    )
    t12.budget.reported_rate = f"{fmt(rate * HUNDRED, 2)}%"

    personnel_part = _split(rng, balance, 2)
    filler = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
    head = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    filing = Filing(
        unit=unit,
        year=year,
        report_date=f"{year + 1}-04-{rng.randint(10, 28):02d}",
        signers=Signers(
            filler=filler,
            fill_date=f"{year + 1}.4.20",
            phone=f"0731-{rng.randint(2000000, 8999999)}",
            head=head,
        ),
        prose=Prose(
            functions=f"{unit}主要负责{'、'.join(topics)}等工作。",
            organization=f"内设{rng.randint(4, 12)}个职能科室。",
            duties=f"{year}年，本单位围绕{topics[0]}等重点工作，扎实履职，各项任务按期完成。",
            problems="预算编制的精细化程度有待提高。",
            improvements="加强预算绩效目标管理，提高绩效指标的可衡量性。",
            publication="按要求在单位门户网站公开自评报告。",
        ),
        headcount=Headcount(establishment=establishment, establishment_lent=ZERO, in_service=in_service),
        spending=Spending(
            wages=wages,
            goods_services=goods,
            family_subsidies=family,
            capital=capital,
            prev_personnel=quantize((wages + family) * Decimal(str(rng.uniform(0.9, 1.05))), 2),
            prev_public=quantize(goods * Decimal(str(rng.uniform(0.9, 1.1))), 2),
            gov_fund=ZERO,
            state_capital=ZERO,
            social_insurance=ZERO,
            projects=[
                ProjectSpend(name=p.name, budget=p.budget.full_year, executed=p.budget.executed)
                for p in projects
            ],
            balance_items=[
                BalanceItem(
                    label="人员经费结余", amount=personnel_part[0], reason="年中人员退休、调出，人员经费结余"
                ),
                BalanceItem(
                    label="公用经费结余", amount=personnel_part[1], reason="厉行节约，压减一般性支出"
                ),
            ],
        ),
        t11=BaseTable(**t11_kwargs),
        t12=t12,
        t13=projects,
    )
    for evaluation in [filing.t12, *filing.t13]:
        tier = rng.random()
        if tier < 0.1:  # a weak year: several targets missed by far
            _fall_short(rng, evaluation.indicators, rng.randint(3, 6), 0.3, 0.7)
        elif tier < 0.35:
            _fall_short(rng, evaluation.indicators, rng.randint(1, 2), 0.7, 0.95)
    fill_reported(filing)
    return filing


REASONS = (
    "受上级政策调整影响，部分任务延至次年实施；下一步将加强统筹，确保按期完成",
    "受极端天气影响，部分活动未能如期开展；将优化工作计划，提前做好预案",
    "因人员调整，部分工作进度滞后；下一步将充实力量，加快推进",
)


def _fall_short(rng: random.Random, indicators: list[Indicator], count: int, low: float, high: float) -> None:
    """Let up to ``count`` "≥ N" indicators reach only ``low``–``high`` of N, each with its reason."""
    candidates = [i for i in indicators if re.fullmatch(r"≥([2-9]|\d\d+)\D.*", i.target or "")]
    for ind in rng.sample(candidates, min(count, len(candidates))):
        match = re.fullmatch(r"≥(\d+)(.*)", ind.target)
        target = int(match.group(1))
        share = rng.uniform(low, high)
        if match.group(2) == "%":
            reached = f"{quantize(Decimal(str(target * share)), 1)}"
        else:
            reached = str(min(target - 1, max(1, round(target * share))))
        ind.actual = f"{reached}{match.group(2)}"
        ind.deviation = rng.choice(REASONS)


def _total_line(label: str, parts: list[CostLine]) -> CostLine:
    """Return a 1-1 row holding the column sums of ``parts``."""
    return CostLine(
        label=label,
        prev_final=sum((p.prev_final or ZERO for p in parts), ZERO),
        budget=sum((p.budget or ZERO for p in parts), ZERO),
        final=sum((p.final or ZERO for p in parts), ZERO),
    )


def fill_reported(filing: Filing) -> None:
    """Set every reported score, execution score and total to the value jixiao computes."""
    scores = score_filing(filing)
    places = filing.policy.score_places
    for ts in scores.tables():
        ts.evaluation.budget.reported_score = ts.exec.score
        for s in ts.indicators:
            s.indicator.reported_score = s.score
        ts.evaluation.reported_total = quantize(ts.total, places)


# ------------------------------------------------------------------ injections


@dataclass(frozen=True)
class Injection:
    """One kind of error: what it changes, when (before or after scores are filled) and the rules."""

    kind: str
    rules: frozenset[str]
    before_scoring: bool
    apply: Callable[[Filing, random.Random, set[int]], None]


def _pick_indicator(filing: Filing, rng: random.Random, used: set[int], full: bool = True) -> Indicator:
    """Return a scored indicator not touched by another injection (one that earned full marks)."""
    candidates = [
        ind
        for ev in [filing.t12, *filing.t13]
        for ind in ev.scored_indicators()
        if id(ind) not in used
        and ind.weight is not None
        and ind.weight >= 2
        and (not full or ind.reported_score == ind.weight)
        and ind.level2 != "时效指标"
    ]
    choice = rng.choice(candidates)
    used.add(id(choice))
    return choice


def _ind_score(f: Filing, rng: random.Random, used: set[int]) -> None:
    ind = _pick_indicator(f, rng, used)
    ind.reported_score = ind.weight - 1


def _ind_score_over(f: Filing, rng: random.Random, used: set[int]) -> None:
    ind = _pick_indicator(f, rng, used)
    ind.reported_score = ind.weight + 2


def _contradiction(f: Filing, rng: random.Random, used: set[int]) -> None:
    ind = _pick_indicator(f, rng, used)
    ind.deviation = "受天气影响，部分工作未能按期完成"


def _deviation_missing(f: Filing, rng: random.Random, used: set[int]) -> None:
    # a quantity indicator that fell short (scored below its weight) and gives no reason
    candidates = [
        ind
        for ev in [f.t12, *f.t13]
        for ind in ev.scored_indicators()
        if id(ind) not in used and ind.level2 == "数量指标" and (ind.target or "").startswith("≥")
    ]
    ind = rng.choice(candidates)
    used.add(id(ind))
    match = re.fullmatch(r"≥(\d+)(.*)", ind.target)
    target = int(match.group(1))
    ind.actual = f"{target - max(1, target // 5)}{match.group(2)}"
    ind.deviation = None


def _block_missing(f: Filing, rng: random.Random, used: set[int]) -> None:
    project = rng.choice(f.t13)
    project.indicators = [i for i in project.indicators if i.level1 != "满意度指标"]


def _level2_parent(f: Filing, rng: random.Random, used: set[int]) -> None:
    candidates = [i for i in f.t12.indicators if i.level1 == "效益指标" and id(i) not in used]
    ind = rng.choice(candidates)
    used.add(id(ind))
    ind.level2 = "质量指标"


def _exec_rate(f: Filing, rng: random.Random, used: set[int]) -> None:
    rate = f.t12.budget.executed / f.t12.budget.full_year * HUNDRED
    f.t12.budget.reported_rate = f"{fmt(rate - Decimal('1.5'), 2)}%"


def _control_rate(f: Filing, rng: random.Random, used: set[int]) -> None:
    f.t11.staff.reported_control_rate = (
        "100.00%" if f.t11.staff.actual != f.t11.staff.authorized else "90.00%"
    )


def _case_injection(case: Case) -> Injection:
    """Return the injection of a rule case marked ``bench = true`` in tests/rules/ (a relative patch)."""

    def apply(f: Filing, rng: random.Random, used: set[int]) -> None:
        patched, _ = filing_from_dict(patch(filing_to_dict(f), case.spec))
        vars(f).update(vars(patched))

    return Injection(f"case:{case.rule}:{case.title}", frozenset(case.raises or {case.rule}), False, apply)


# Injections that need the generated filing's shape (a full-marks indicator, a shortfall, a real
# rate) are written here; every other one is a rule case of tests/rules/ marked ``bench = true``.
INJECTIONS: dict[str, Injection] = {
    i.kind: i
    for i in (
        Injection("indicator-score-typo", frozenset({"IND-SCORE"}), False, _ind_score),
        Injection("indicator-score-over-weight", frozenset({"IND-SCORE-OVER"}), False, _ind_score_over),
        Injection(
            "full-marks-despite-shortfall", frozenset({"IND-DEVIATION-CONTRADICTION"}), False, _contradiction
        ),
        Injection(
            "shortfall-without-reason", frozenset({"IND-DEVIATION-REQUIRED"}), True, _deviation_missing
        ),
        Injection(
            "project-without-satisfaction",
            frozenset({"IND-BLOCK-MISSING", "IND-WEIGHT-TOTAL"}),
            True,
            _block_missing,
        ),
        Injection("level2-under-wrong-level1", frozenset({"IND-LEVEL2-PARENT"}), True, _level2_parent),
        Injection("exec-rate-typo", frozenset({"EXEC-RATE"}), False, _exec_rate),
        Injection("control-rate-typo", frozenset({"T11-CONTROL-RATE"}), False, _control_rate),
        *(_case_injection(case) for case in bench_cases()),
    )
}


def make_unit(index: int, seed: int, shape: UnitShape, kinds: list[str]) -> Filing:
    """Return unit number ``index`` with the injections ``kinds`` applied."""
    rng = random.Random(f"{seed}:{index}")
    filing = clean_filing(rng, index, shape)
    used: set[int] = set()
    chosen = [INJECTIONS[k] for k in kinds]
    for injection in chosen:
        if injection.before_scoring:
            injection.apply(filing, rng, used)
    if any(i.before_scoring for i in chosen):
        fill_reported(filing)
    for injection in chosen:
        if not injection.before_scoring:
            injection.apply(filing, rng, used)
    return filing


def plan(units: int, seed: int, clean_share: float) -> list[list[str]]:
    """Return the injection kinds of every unit: none for about ``clean_share`` of them, else 1–2."""
    rng = random.Random(seed)
    kinds = sorted(INJECTIONS)
    out = []
    for i in range(units):
        if rng.random() < clean_share:
            out.append([])
        else:
            # every kind appears early, then at random
            first = kinds[i % len(kinds)] if i < 2 * len(kinds) else rng.choice(kinds)
            second = [rng.choice([k for k in kinds if k != first])] if rng.random() < 0.3 else []
            out.append([first, *second])
    return out


# ------------------------------------------------------------------ writing files


def write_filing(filing: Filing, path: Path) -> None:
    """Write ``filing`` as a data file (.json) or a prepared workbook (.xlsx)."""
    if path.suffix == ".json":
        dump_filing(filing, path)
        return
    from jixiao.workbook.builder import build_workbook  # the workbook layer
    from jixiao.workbook.writer import save_atomic

    save_atomic(build_workbook(filing), path)


def _write_unit(job: tuple[int, int, UnitShape, list[str], str]) -> str:
    index, seed, shape, kinds, path = job
    write_filing(make_unit(index, seed, shape, kinds), Path(path))
    return path


def write_broken(out: Path, suffix: str) -> dict[str, str]:
    """Write a truncated workbook and a file that is not a filing; return name → what it is."""
    broken = out / f"损坏的文件{suffix}"
    foreign = out / f"其他表格{suffix}"
    if suffix == ".json":
        broken.write_text('{"format": "jixiao-filing", "version": 1, "unit": "断', encoding="utf-8")
        foreign.write_text(
            json.dumps({"name": "会议签到表", "rows": [1, 2, 3]}, ensure_ascii=False), encoding="utf-8"
        )
    else:
        import openpyxl

        book = openpyxl.Workbook()
        book.active.title = "Sheet1"
        book.active.append(["姓名", "部门", "签到"])
        book.active.append(["张三", "办公室", "是"])
        book.save(foreign)
        with zipfile.ZipFile(broken, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>" * 200)
        data = broken.read_bytes()
        broken.write_bytes(data[: len(data) // 2])  # truncated: no central directory
    return {broken.name: "truncated", foreign.name: "foreign"}


def generate(
    out: Path,
    units: int,
    shape: UnitShape,
    seed: int = 1,
    suffix: str = ".xlsx",
    clean_share: float = 0.5,
    jobs: int | None = None,
    broken: bool = True,
) -> dict[str, object]:
    """Write the corpus into ``out/units`` and ``out/truth.json``; return the ground truth."""
    units_dir = out / "units"
    units_dir.mkdir(parents=True, exist_ok=True)
    kinds = plan(units, seed, clean_share)
    width = len(str(units))
    names = [f"{i + 1:0{width}d}{suffix}" for i in range(units)]
    work = [(i, seed, shape, kinds[i], str(units_dir / names[i])) for i in range(units)]
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or units < 8:
        for job in work:
            _write_unit(job)
    else:
        from jixiao.batch import mp_context

        with ProcessPoolExecutor(jobs, mp_context=mp_context()) as pool:
            list(pool.map(_write_unit, work, chunksize=max(1, units // (jobs * 8))))
    truth: dict[str, object] = {
        "files": {
            name: {"injections": k, "rules": sorted({r for kind in k for r in INJECTIONS[kind].rules})}
            for name, k in zip(names, kinds, strict=True)
        },
        "unreadable": write_broken(units_dir, suffix) if broken else {},
    }
    write_text_atomic(out / "truth.json", json.dumps(truth, ensure_ascii=False, indent=1) + "\n")
    return truth


def main(argv: list[str] | None = None) -> int:
    """Run the generator from the command line; return the exit code."""
    parser = argparse.ArgumentParser(description="生成带已知错误的自评文件语料")
    parser.add_argument("out", type=Path)
    parser.add_argument("-n", "--units", type=int, default=200)
    parser.add_argument("-k", "--projects", type=int, default=3)
    parser.add_argument("--t12-indicators", type=int, default=8)
    parser.add_argument("--t13-indicators", type=int, default=8)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=("xlsx", "json"), default="xlsx")
    parser.add_argument("--clean-share", type=float, default=0.5)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    shape = UnitShape(args.projects, args.t12_indicators, args.t13_indicators)
    truth = generate(args.out, args.units, shape, args.seed, f".{args.format}", args.clean_share, args.jobs)
    files = truth["files"]
    dirty = sum(1 for v in files.values() if v["rules"])
    print(
        f"{len(files)} units ({dirty} with injected errors) and "
        f"{len(truth['unreadable'])} broken files in {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
