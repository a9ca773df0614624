"""A qualitative row's 计算说明 names its mode once (issue 16, 校验结果: "定性：定性：" doubled)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from jixiao.samples import load_sample
from jixiao.workbook.scored import build_scored


def test_qualitative_explanations_say_the_mode_once(tmp_path: Path):
    filing = copy.deepcopy(load_sample()[0])
    rows = [  # target, actual, 计分方式, 原表得分
        ("有效", "效果不错", None, None),  # no tier can be read
        ("明显提升", "有待观察", "定性", None),
        ("有效", "部分达成", None, "3"),  # a tier word
        ("满意", "很满意", "定性", "2"),  # the accountant chose 定性 and scored it
    ]
    for indicator, (target, actual, mode, score) in zip(filing.t12.indicators, rows, strict=False):
        indicator.target, indicator.actual, indicator.mode = target, actual, mode
        indicator.reported_score = Decimal(score) if score else None
    path = tmp_path / "定性.xlsx"
    result = build_scored(filing, path)
    ws = load_workbook(path)["附件1-2"]
    scored = result.scores.department.indicators[:4]
    notes = [ws[s.indicator.where.cells["explanation"]].value for s in scored]
    assert notes[0] == "定性：无法判断档次，暂按 0 分计"
    assert notes[2].startswith("定性：“部分达成”→部分达成")
    assert notes[3] == "定性：沿用填报得分 2（计分方式已选“定性”）"
    texts = [c.value for sheet in load_workbook(path) for row in sheet.iter_rows() for c in row]
    assert not any(isinstance(t, str) and "定性：定性" in t for t in texts)
