"""A province template's own table in the prepared workbook (四川 项目支出, 重庆 部门整体).

The sheet is laid out by ``jixiao/data/layout_<template>.toml`` as the province prints it (TEMPLATES.md)
and takes the place of the national 附件1-2 or 附件1-3; the workbook records its template in the
defined name ``JX_TEMPLATE`` (a constant) and the template's policy preset in 基本信息. Here: the
sheet built from a table (:func:`build_table`; reading it back is in ``template_read``, which
imports no openpyxl) and the scores jixiao writes into it (:func:`plan_table`).
Inputs are tinted and unlocked, outputs locked; every input and output has a ``JX_<prefix>…``
name, sheet-scoped like the national 1-3 sheets; 执行率, its 得分, 合计 and 等级 are native formulas.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.importers.evaluation import row_values
from jixiao.model import Evaluation, Indicator
from jixiao.numbers import fmt_plain, quantize
from jixiao.policy import EXEC_CAPS
from jixiao.templates import sheet_layout, span
from jixiao.workbook import styles
from jixiao.workbook.formulas import grade_formula
from jixiao.workbook.layout import default_level2, get_path, name, policy_name
from jixiao.workbook.pages import footer, protect, set_widths, setup_page, year_text
from jixiao.workbook.sheet import SheetWriter
from jixiao.workbook.template_read import NUMBER_FIELDS, TEMPLATE_NAME

_FORMATS = {"score": styles.SCORE_FORMAT, "text": "@"}


def record_template(wb: Workbook, template: str) -> None:
    """Record ``template`` in the workbook ``wb`` as the constant name JX_TEMPLATE."""
    wb.defined_names[name(TEMPLATE_NAME)] = DefinedName(name(TEMPLATE_NAME), attr_text=f'"{template}"')


# ------------------------------------------------------------------ formulas


def _exec_formulas(spec: dict[str, Any]) -> tuple[str, str]:
    """Return the native formulas of 执行率 and its 得分 on the execution row (执行数 ÷ 调整后预算数)."""
    e = spec["exec"]
    row = e["row"]
    fy, ex, w = f"{e['full_year']}{row}", f"{e['executed']}{row}", f"{e['weight']}{row}"
    weight = f'IF({w}="",{policy_name("exec_weight")},{w})'
    rate = f'=IFERROR(IF({fy}="","—",IF({ex}="","—",IF({fy}=0,"—",{ex}/{fy}))),"—")'
    score = (
        f'=IFERROR(IF({fy}="",0,IF({ex}="",0,IF({fy}<=0,0,IF({ex}<0,0,'
        f"ROUND({weight}*MIN({ex}/{fy},1),{policy_name('score_places')}))))),0)"
    )
    return rate, score


def _total_formula(spec: dict[str, Any], scores: str, weight_total: str) -> str:
    """Return the native 合计: 执行率得分 + Σ 指标得分, rescaled or capped as the policy says."""
    e = spec["exec"]
    places = policy_name("score_places")
    raw = f"ROUND(IFERROR({e['score']}{e['row']}+0,0)+SUM({scores}),{places})"
    rescaled = (
        f'IF({policy_name("missing_block")}="rescale",IF({weight_total}=0,{raw},IF({weight_total}=100,{raw},'
        f"ROUND({raw}/{weight_total}*100,{places}))),{raw})"
    )
    capped = rescaled
    for limit, cap in reversed(EXEC_CAPS):
        capped = f"IF({e['rate']}{e['row']}<{fmt_plain(limit)},MIN({rescaled},{fmt_plain(cap)}),{capped})"
    return f'=IF({policy_name("exec_cap")}="true",IFERROR({capped},{rescaled}),{rescaled})'


def _coefficient_formula(cols: dict[str, str], row: int) -> str:
    """Return the native 指标得分 of a 重庆 row: 指标权重 × 得分系数 (92 or 0.92 → 92%), held within 0–100%;
    blank when either is blank, not a number or the weight is not above 0 (:func:`_coefficient_twin`)."""
    w, c = f"{cols['weight']}{row}", f"{cols['coefficient']}{row}"
    share = f"MIN(MAX(IF({c}>1,{c}/100,{c}),0),1)"
    score = f'IF({w}>0,ROUND({w}*{share},{policy_name("score_places")}),"")'
    return f'=IF(AND(ISNUMBER({w}),ISNUMBER({c})),{score},"")'


def _coefficient_twin(weight: Any, coefficient: Any, places: int) -> Decimal | None:
    """Return what :func:`_coefficient_formula` gives for these cell values (None: blank)."""
    numbers = [
        v for v in (weight, coefficient) if isinstance(v, int | float | Decimal) and not isinstance(v, bool)
    ]
    if len(numbers) < 2:
        return None
    w, c = (Decimal(repr(v)) if isinstance(v, float) else Decimal(v) for v in numbers)
    if w <= 0:
        return None
    share = min(max(c / 100 if c > 1 else c, Decimal(0)), Decimal(1))
    return quantize(w * share, places)


# ------------------------------------------------------------------ build


def _rows(spec: dict[str, Any], ev: Evaluation) -> list[Indicator]:
    """Return the indicator rows the sheet shows: the table's, or a blank table's offer, and spares."""
    rows = list(ev.indicators)
    if not rows:
        if spec["indicators"]["levels"]:
            rows = [Indicator(level1=l1, level2=l2) for l1, names in default_level2().items() for l2 in names]
        else:
            rows = [Indicator() for _ in range(spec["indicators"].get("blank_rows", 8))]
    return rows + [Indicator() for _ in range(spec["indicators"]["spare_rows"])]


def build_table(wb: Workbook, sheet: str, template: str, ev: Evaluation) -> Worksheet:
    """Add the sheet ``sheet`` holding ``ev`` in ``template``'s own layout; return it."""
    spec = sheet_layout(template)
    assert spec is not None
    ws = wb.create_sheet(sheet)
    w = SheetWriter(ws, scoped_names=spec["table"] == "t13")  # 1-2 names are the workbook's
    prefix, last = spec["prefix"], spec["last_column"]
    set_widths(ws, spec["widths"])
    head = styles.HEADING_FONT
    w.label("A1", spec["caption"], horizontal="left", border=False, font_name=head, size=12, wrap=False)
    title_ref, year_ref = spec["title_rows"]
    w.label(title_ref, spec["title"], bold=True, size=16, border=False, font_name=styles.TITLE_FONT)
    w.label(year_ref, year_text(spec["year_line"]), border=False)
    ws.row_dimensions[2].height = 32
    for ref, text in spec["labels"]:
        helper = ref[0] > last
        w.label(ref, text, size=9 if helper else 10.5, bold=not helper and ref.startswith("A"))
    for item in spec["cells"]:
        w.input(item["ref"], get_path(ev, item["path"]), item["kind"], ident=prefix + item["id"])
    e = spec["exec"]
    rate, score = _exec_formulas(spec)
    w.output(f"{e['rate']}{e['row']}", rate, ident=prefix + "EXEC_RATE", number_format=styles.PERCENT_FORMAT)
    score_ref = e.get("score_ref", f"{e['score']}{e['row']}")
    w.output(score_ref, score, ident=prefix + "EXEC_SCORE", number_format=styles.SCORE_FORMAT)
    explanation = f"{e['explanation']}{e['row']}"
    w.output(explanation, None, helper=True, horizontal="left", ident=prefix + "EXEC_EXPLANATION")
    row = _indicators(w, spec, ev)
    for item in spec.get("after", []):
        w.label(f"A{row}", item["label"], bold=True)
        w.input(f"B{row}:{last}{row}", get_path(ev, item["path"]), item["kind"], ident=prefix + item["id"])
        ws.row_dimensions[row].height = 48
        row += 1
    if "signature" in spec:
        for item in spec["signature"]["cells"]:
            w.label(span(item["label_ref"], row), item["label"], bold=True)
            w.input(span(item["ref"], row), get_path(ev, item["path"]), "text", ident=prefix + item["id"])
        ws.row_dimensions[row].height = 24
        row += 1
    if spec.get("footer"):
        row += 1
        footer(w, row, last)
        row += 1
    for r in range(4, row):
        if ws.row_dimensions[r].height is None:
            styles.fit_row_height(ws, r)
    header = spec["indicators"]["header_row"]
    setup_page(ws, last, row - 1, f"{header}:{header}")
    protect(ws)
    return ws


def _indicators(w: SheetWriter, spec: dict[str, Any], ev: Evaluation) -> int:
    """Write the indicator header, rows and the 合计 row; return the row after it."""
    ind_spec, prefix, last = spec["indicators"], spec["prefix"], spec["last_column"]
    cols, headers, choices = ind_spec["columns"], ind_spec["headers"], ind_spec.get("choices", {})
    header = ind_spec["header_row"]
    for key, col in cols.items():
        helper = col > last
        w.label(f"{col}{header}", headers[key], bold=not helper, size=9 if helper else 10.5)
        if helper:
            w.ws[f"{col}{header}"].fill = styles.HELPER_FILL
    styles.fit_row_height(w.ws, header)
    first = row = header + 1
    rows = _rows(spec, ev)
    for index, ind in enumerate(rows):
        values = row_values(ind)
        for key, col in cols.items():
            ref = f"{col}{row}"
            if key == "level1":  # one cell over its block, as the form prints it; the reader carries it down
                if index and rows[index - 1].level1 == ind.level1 and ind.level1:
                    continue
                end = index
                while end + 1 < len(rows) and ind.level1 and rows[end + 1].level1 == ind.level1:
                    end += 1
                ref = f"{col}{row}:{col}{row + end - index}"
            if (
                key == "score"
            ):  # native where the layout has a 得分系数 column (重庆), else written by 计算得分
                formula = _coefficient_formula(cols, row) if "coefficient" in cols else None
                w.output(ref, formula, number_format=styles.SCORE_FORMAT)
            elif key == "explanation":
                w.output(ref, None, helper=True, horizontal="left")
            else:
                kind = "number" if key in (*NUMBER_FIELDS, "coefficient") else "indicator"
                value = values[key]
                left = "left" if key in ("name", "deviation") else None
                w.input(
                    ref,
                    value,
                    kind if key not in choices else "text",
                    horizontal=left,
                    choices=choices.get(key),
                )
        row += 1
    w.define(prefix + "IND", f"A{first}")
    w.define(prefix + "IND_HEADER", f"A{header}")
    tot = spec["total"]
    w.label(span(tot["label_ref"], row), tot["label"], bold=True)
    weights, scores = (
        f"{cols['weight']}{first}:{cols['weight']}{row - 1}",
        f"{cols['score']}{first}:{cols['score']}{row - 1}",
    )
    e = spec["exec"]
    exec_weight = f'IF({e["weight"]}{e["row"]}="",{policy_name("exec_weight")},{e["weight"]}{e["row"]})'
    weight_total = f"{tot['weight']}{row}"
    w.output(
        weight_total, f"={exec_weight}+SUM({weights})", ident=prefix + "WEIGHT_TOTAL", number_format="0.##"
    )
    total = f"{tot['total']}{row}"
    w.output(
        total,
        _total_formula(spec, scores, weight_total),
        ident=prefix + "TOTAL",
        number_format=styles.SCORE_FORMAT,
    )
    w.output(
        f"{tot['grade']}{row}",
        grade_formula(total),
        ident=prefix + "GRADE",
        number_format=styles.GRADE_FORMAT,
    )
    w.input(f"{tot['reported']}{row}", ev.reported_total, "number", ident=prefix + "TOTAL_REPORTED")
    w.output(
        f"{tot['explanation']}{row}", None, helper=True, horizontal="left", ident=prefix + "TOTAL_EXPLANATION"
    )
    for item in spec.get("outputs", []):
        formula = item["formula"].replace("{total}", total)
        w.output(
            item["ref"],
            formula,
            ident=prefix + item["id"],
            number_format=_FORMATS.get(item.get("format", "")),
        )
    w.ws.row_dimensions[row].height = 22
    return row + 1


# ------------------------------------------------------------------ read


# ------------------------------------------------------------------ scores


def plan_table(plan: Any, cells: Any, template: str, table: Any, ws: Any, places: int) -> None:
    """Plan ``table``'s scores (a TableScore, None: absent) into ``template``'s sheet ``ws``."""
    spec = sheet_layout(template)
    assert spec is not None
    prefix, cols = spec["prefix"], spec["indicators"]["columns"]
    first = cells.place(name(prefix + "IND"), ws)
    total = cells.place(name(prefix + "TOTAL"), ws)
    if first is None or total is None:
        return
    title, sheet = first.ws.title, first.ws
    from jixiao.workbook.writer import holds_formula, plan_outputs  # the writer imports this module

    native = set()  # the score cells holding the native formula (重庆)
    for row in range(first.row, total.row):
        ref = f"{cols['score']}{row}"
        if holds_formula(sheet, ref):
            native.add(ref)
        else:
            plan.values[(title, ref)] = None
        plan.values[(title, f"{cols['explanation']}{row}")] = None

    if table is None:
        plan_outputs(plan, cells, prefix, ws, None, places)
        return
    for s in table.indicators:
        where = s.indicator.where
        if where is None or where.sheet != title or "score" not in where.cells:
            continue
        ref = where.cells["score"]
        if ref in native:
            row = sheet[ref].row
            twin = _coefficient_twin(
                sheet[f"{cols['weight']}{row}"].value, sheet[f"{cols['coefficient']}{row}"].value, places
            )
            if twin == s.score:  # the formula gives jixiao's score: it stays, its result cached
                plan.cached[(title, ref)] = s.score
            else:  # scored otherwise (no 得分系数, a coefficient typed as text): jixiao's score as a value
                plan.values[(title, ref)] = s.score
        else:
            plan.values[(title, ref)] = s.score
        plan.values[(title, where.cells["explanation"])] = f"{s.mode}：{s.explanation}"
    plan_outputs(plan, cells, prefix, ws, table, places, SELF_TOTAL=table.total)
