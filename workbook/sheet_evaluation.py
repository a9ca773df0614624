"""The sheets 附件1-2 部门整体支出绩效自评表 and 附件1-3 项目支出绩效自评表 of the prepared workbook.

Wording: ``jixiao.forms`` (shared with the report); fixed cells and columns: ``data/layout.toml``;
the native formulas: :mod:`jixiao.workbook.formulas`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.forms import form, level1_label
from jixiao.model import Evaluation, Filing, Indicator, ProjectEvaluation, project_sheet_name
from jixiao.numbers import fmt_plain
from jixiao.policy import ScoringPolicy
from jixiao.scoring import MODES, TIERS, IndicatorScore, score_indicator
from jixiao.taxonomy import strip_label
from jixiao.textsafe import put_text
from jixiao.workbook import native, styles
from jixiao.workbook.formulas import (
    exec_formulas,
    indicator_formulas,
    native_grade_formula,
    native_total_formula,
    total_helper_formulas,
)
from jixiao.workbook.layout import (
    PRINT_COLUMNS,
    default_level2,
    get_path,
    layout,
    policy_name,
    sheet_names,
    table_prefix,
)
from jixiao.workbook.pages import footer, protect, set_widths, setup_page, title
from jixiao.workbook.sheet import SheetWriter, cell_value


def _level1_key(label: str | None) -> str:
    return strip_label(label or "")


def _blocks(ev: Evaluation) -> list[tuple[str, list[Indicator]]]:
    """Return the indicator rows grouped into 一级 blocks, standard blocks added when missing."""
    blocks: list[tuple[str, list[Indicator]]] = []
    for ind in ev.indicators:
        level1 = ind.level1 or ""
        if blocks and blocks[-1][0] == level1:
            blocks[-1][1].append(ind)
        else:
            blocks.append((level1, [ind]))
    present = {_level1_key(b[0]) for b in blocks}
    for level1 in [*ev.level1_weights, *layout()["evaluation"]["level1"]]:
        if _level1_key(level1) not in present:
            present.add(_level1_key(level1))
            if not ev.indicators:
                defaults = default_level2().get(level1, [])
                blocks.append((level1, [Indicator(level1=level1, level2=d) for d in defaults]))
            else:
                blocks.append((level1, []))
    return blocks


def _level1_label(level1: str, weights: dict[str, Decimal | None]) -> str:
    weight = weights.get(level1)
    if weight is None:
        for key, value in weights.items():
            if _level1_key(key) == _level1_key(level1):
                weight = value
    # the workbook wraps the weight onto a line of its own: 产出指标⏎(50分)
    return level1_label(f"{level1}\n", fmt_plain(weight)) if weight is not None else level1


def _indicator_row(
    w: SheetWriter, row: int, ind: Indicator | None, score: IndicatorScore | None, policy: ScoringPolicy
) -> None:
    cols = layout()["evaluation"]["columns"]
    level2_names = [n for names in default_level2().values() for n in names]
    ind = ind or Indicator()
    w.input(f"{cols['name']}{row}", ind.name, "indicator", horizontal="left")
    w.input(f"{cols['target']}{row}", ind.target, "indicator")
    w.input(f"{cols['actual']}{row}", ind.actual, "indicator")
    w.input(f"{cols['weight']}{row}", ind.weight, "number")
    w.input(f"{cols['deviation']}{row}", ind.deviation, "indicator", horizontal="left")
    w.input(f"{cols['mode']}{row}", ind.mode, "text", choices=list(MODES))
    w.input(f"{cols['unit']}{row}", ind.unit, "text")
    w.input(f"{cols['reported_score']}{row}", ind.reported_score, "number")
    w.output(f"{cols['explanation']}{row}", None, helper=True, horizontal="left")
    if ind.level2 is None:  # a row that starts its own 二级 cell; merged later when labels repeat
        w.input(f"{cols['level2']}{row}", None, "text", choices=level2_names)
    # native scoring (formulas.indicator_formulas): the helper inputs jixiao fills, then the formulas
    w.input(f"{cols['tier']}{row}", ind.tier, "text", choices=list(TIERS))
    w.input(f"{cols['target_manual']}{row}", None, "signed")
    w.input(f"{cols['actual_manual']}{row}", None, "signed")
    values = {f: w.ws[f"{col}{row}"].value for f, col in cols.items()}
    for key, value in native.fill(score, values, policy).items():  # jixiao's cells, rewritten by score
        text = key in ("target_source", "actual_source", "direction", "basis")
        w.output(f"{cols[key]}{row}", None, helper=True, number_format="@" if text else None)
        put_text(w.ws[f"{cols[key]}{row}"], cell_value(value))  # a target "=8个" stays text
    for col, formula in indicator_formulas(row).items():
        if col == cols["score"]:
            w.output(f"{col}{row}", formula, number_format=styles.SCORE_FORMAT)
        else:
            w.output(f"{col}{row}", formula, helper=True)


def _build_indicators(
    w: SheetWriter,
    prefix: str,
    first_row: int,
    ev: Evaluation,
    exec_row: int,
    policy: ScoringPolicy,
    year: int | None,
) -> int:
    """Write the indicator rows and the 总分 row; return the row after the 总分 row."""
    scores = {
        id(ind): score_indicator(ind, i, policy, year)
        for i, ind in enumerate(ev.indicators)
        if not ind.is_placeholder()
    }
    spec, printed = layout()["evaluation"], form("evaluation")
    cols = spec["columns"]
    header_row = first_row - 1
    header = [printed["indicators"], *printed["indicator_header"]]
    for col, text in zip(PRINT_COLUMNS, header, strict=True):
        w.label(f"{col}{header_row}", text, bold=True)
    for col, text in spec["helper_header"].items():
        w.label(f"{col}{header_row}", text, bold=True, size=9)
        w.ws[f"{col}{header_row}"].fill = styles.HELPER_FILL
    w.define(f"{prefix}IND_HEADER", f"B{header_row}")
    styles.fit_row_height(w.ws, header_row)
    level2_names = [n for names in default_level2().values() for n in names]
    row = first_row
    for level1, inds in _blocks(ev):
        rows = [*inds, *([None] * spec["spare_rows"])]
        block_first = row
        for ind in rows:
            _indicator_row(w, row, ind, scores.get(id(ind)), policy)
            row += 1
        block_last = row - 1
        w.input(
            f"{cols['level1']}{block_first}:{cols['level1']}{block_last}",
            _level1_label(level1, ev.level1_weights),
            "text",
        )
        # 二级: merge consecutive rows with the same label
        k = 0
        while k < len(rows):
            label = rows[k].level2 if rows[k] is not None else None
            j = k
            while label and j + 1 < len(rows) and rows[j + 1] is not None and rows[j + 1].level2 == label:
                j += 1
            if label:
                ref = f"{cols['level2']}{block_first + k}:{cols['level2']}{block_first + j}"
                w.input(ref, label, "text", choices=level2_names)
            k = j + 1
        g, h = cols["weight"], cols["score"]
        w.output(
            f"{cols['level1_weight_sum']}{block_first}",
            f"=SUM({g}{block_first}:{g}{block_last})",
            helper=True,
            number_format="0.##",
        )
        w.output(
            f"{cols['level1_score_sum']}{block_first}",
            f"=SUM({h}{block_first}:{h}{block_last})",
            helper=True,
            number_format=styles.SCORE_FORMAT,
        )
    last = row - 1
    for r in range(first_row, last + 1):
        styles.fit_row_height(w.ws, r)
    w.define(f"{prefix}IND", f"A{first_row}:{cols['explanation']}{last}")
    w.label(f"A{header_row}:A{last}", printed["indicators"], bold=True)
    # 总分
    tot = layout()["total"]
    w.label(f"A{row}:F{row}", printed["total"], bold=True)
    g, h = cols["weight"], cols["score"]
    exec_weight = f'IF(G{exec_row}="",{policy_name("exec_weight")},G{exec_row})'
    weight_formula = f"={exec_weight}+SUM({g}{first_row}:{g}{last})"
    w.output(f"{tot['weight']}{row}", weight_formula, ident=f"{prefix}WEIGHT_TOTAL", number_format="0.##")
    helpers = spec["total_helpers"]
    formulas = total_helper_formulas(exec_row, first_row, last, row, f"{tot['weight']}{row}")
    for key, item in helpers.items():
        w.label(f"{item['col']}{header_row}", item["header"], bold=True, size=9)
        w.ws[f"{item['col']}{header_row}"].fill = styles.HELPER_FILL
        w.output(f"{item['col']}{row}", formulas[key], helper=True)
    total = f"{tot['total']}{row}"
    w.output(total, native_total_formula(row), ident=f"{prefix}TOTAL", number_format=styles.SCORE_FORMAT)
    grade = native_grade_formula(row, total)
    w.output(f"{tot['grade']}{row}", grade, ident=f"{prefix}GRADE", number_format=styles.GRADE_FORMAT)
    _, exec_score = exec_formulas(exec_row, f"{helpers['blank']['col']}{row}")
    w.ws[f"I{exec_row}"].value = exec_score
    w.label(f"K{row}", "原表填报→", size=9)
    w.input(
        f"{tot['weight_reported']}{row}", ev.total_weight, "number", ident=prefix + "TOTAL_WEIGHT_REPORTED"
    )
    w.input(f"{tot['reported']}{row}", ev.reported_total, "number", ident=prefix + "TOTAL_REPORTED")
    explanation = f"{tot['explanation']}{row}"
    w.output(explanation, None, helper=True, horizontal="left", ident=prefix + "TOTAL_EXPLANATION")
    w.ws.row_dimensions[row].height = 22
    return row + 1


def _budget_row(w: SheetWriter, prefix: str, row: int, label_ref: str, header_row: int) -> None:
    printed = form("evaluation")
    for col, text in zip("DEFGHI", printed["budget_header"], strict=True):
        w.label(f"{col}{header_row}", text)
    w.label(label_ref, printed["total_funds"])
    rate, score = exec_formulas(row)
    w.output(f"H{row}", rate, ident=f"{prefix}EXEC_RATE", number_format=styles.PERCENT_FORMAT)
    w.output(f"I{row}", score, ident=f"{prefix}EXEC_SCORE", number_format=styles.SCORE_FORMAT)
    w.label(f"K{header_row}", "", size=9, border=False)
    w.label(f"L{header_row}", "原表执行率", size=9)
    w.label(f"M{header_row}", "原表得分", size=9)
    w.label(f"N{header_row}", "计算说明", size=9)
    w.label(f"K{row}", "原表填报→", size=9)
    w.output(f"N{row}", None, helper=True, horizontal="left", ident=f"{prefix}EXEC_EXPLANATION")


def _fixed_inputs(w: SheetWriter, table: str, ev: Evaluation) -> None:
    prefix = table_prefix(table)
    spec = layout()[table]
    merges = {
        "t12": {"B3": "B3:I3", "B12": "B12:E12", "F12": "F12:I12"},
        "t13": {"B3": "B3:I3", "B4": "B4:E4", "G4": "G4:I4", "B11": "B11:E11", "F11": "F11:I11"},
    }[table]
    for item in spec["cells"]:
        ref = merges.get(item["cell"], item["cell"])
        kind = item["kind"]
        value = get_path(ev, item["path"])
        w.input(
            ref,
            value,
            kind if kind != "prose" else "prose",
            ident=prefix + item["id"],
            horizontal="left" if kind in ("prose",) or item["id"] in ("DEPT_NAME", "NAME") else None,
        )


def _eval_sheet(
    wb: Workbook, sheet: str, table: str
) -> tuple[Worksheet, SheetWriter, dict[str, Any], dict[str, Any]]:
    """Return a new 1-2 or 1-3 sheet with its widths and title, its writer, layout and wording."""
    ws = wb.create_sheet(sheet)
    w = SheetWriter(ws, scoped_names=table == "t13")
    set_widths(ws, {"A": 8, "B": 10, "C": 10, "D": 20, "E": 14, "F": 11, "G": 7, "H": 8, "I": 16,
                 "J": 2, "K": 10, "L": 10, "M": 10, "N": 40, "O": 10, "P": 10})  # fmt: skip
    printed = form(table)
    title(w, printed["caption"], printed["title"], "I")
    return ws, w, layout()[table], printed


def build_t12(wb: Workbook, filing: Filing) -> None:
    """Add the sheet 附件1-2 holding ``filing.t12``."""
    ws, w, spec, printed = _eval_sheet(wb, sheet_names()["t12"], "t12")
    shared = form("evaluation")
    w.label("A3", printed["name"])
    w.label("A4:A10", printed["funds"])
    w.label("B4:C4", "")
    _budget_row(w, "T12_", 5, "B5:C5", 4)
    w.label("B6:E6", printed["by_revenue"], horizontal="left")
    w.label("F6:I6", printed["by_expenditure"], horizontal="left")
    for row, text in zip(range(7, 11), printed["revenue"], strict=True):
        w.label(f"B{row}:D{row}", text, horizontal="left")
    for row, text in zip(range(7, 9), printed["expenditure"], strict=True):
        w.label(f"F{row}:H{row}", text, horizontal="left")
    w.label("F9:I9", "")
    w.label("F10:I10", "")
    w.label("A11:A12", shared["goal"])
    w.label("B11:E11", shared["goal_header"][0])
    w.label("F11:I11", shared["goal_header"][1])
    _fixed_inputs(w, "t12", filing.t12)
    w.output("K7", "=SUM(E7:E10)", ident="T12_REV_SUM", helper=True, number_format=styles.AMOUNT_FORMAT)
    w.output("K8", "=SUM(I7:I8)", ident="T12_EXP_SUM", helper=True, number_format=styles.AMOUNT_FORMAT)
    w.label("L7", "← 按收入性质合计", size=9, horizontal="left", border=False)
    w.label("L8", "← 按支出性质合计", size=9, horizontal="left", border=False)
    for r in range(3, 12):
        styles.fit_row_height(ws, r)
    styles.fit_row_height(ws, 12, minimum=36)
    row = _build_indicators(w, "T12_", spec["first_indicator_row"], filing.t12, 5, filing.policy, filing.year)
    row += 1
    footer(w, row, "I")
    setup_page(ws, "I", row, f"{spec['first_indicator_row'] - 1}:{spec['first_indicator_row'] - 1}")
    protect(ws)


def build_t13(
    wb: Workbook,
    project: ProjectEvaluation,
    index: int,
    policy: ScoringPolicy | None = None,
    year: int | None = None,
) -> Worksheet:
    """Add the sheet of the ``index``-th 附件1-3 holding ``project``; return it."""
    ws, w, spec, printed = _eval_sheet(wb, project_sheet_name(index), "t13")
    shared = form("evaluation")
    w.label("A3", printed["name"])
    w.label("A4", printed["department"])
    w.label("F4", printed["implementer"])
    w.label("A5:A9", printed["funds"])
    w.label("B5:C5", "")
    _budget_row(w, "T13_", 6, "B6:C6", 5)
    for row, text in zip(range(7, 10), printed["sources"], strict=True):
        w.label(f"B{row}:C{row}", text, horizontal="left")
        w.label(f"G{row}:I{row}", "")
    w.label("A10:A11", shared["goal"])
    w.label("B10:E10", shared["goal_header"][0])
    w.label("F10:I10", shared["goal_header"][1])
    _fixed_inputs(w, "t13", project)
    for col, out in zip("KLM", ("FUND_SUM_INITIAL", "FUND_SUM_FULL_YEAR", "FUND_SUM_EXECUTED"), strict=True):
        src = {"K": "D", "L": "E", "M": "F"}[col]
        w.output(
            f"{col}7",
            f"=SUM({src}7:{src}9)",
            ident=f"T13_{out}",
            helper=True,
            number_format=styles.AMOUNT_FORMAT,
        )
    w.label("N7", "← 三项资金来源合计（应等于年度资金总额）", size=9, horizontal="left", border=False)
    for r in range(3, 11):
        styles.fit_row_height(ws, r)
    styles.fit_row_height(ws, 11, minimum=36)
    row = _build_indicators(
        w, "T13_", spec["first_indicator_row"], project, 6, policy or ScoringPolicy(), year
    )
    w.label(f"A{row}:I{row}", printed["note"], horizontal="left", border=False)
    row += 1
    footer(w, row, "I")
    last_print = row
    row += 2
    w.label(
        f"A{row}:I{row}",
        "项目情况（自评报告用，不打印）",
        bold=True,
        horizontal="left",
        font_name=styles.HEADING_FONT,
    )
    row += 1
    for item in spec["prose"]:
        w.label(f"A{row}:C{row}", item["label"], horizontal="left")
        w.input(f"D{row}:I{row}", get_path(project, item["path"]), "prose", ident="T13_" + item["id"])
        ws.row_dimensions[row].height = 60
        row += 1
    setup_page(ws, "I", last_print, f"{spec['first_indicator_row'] - 1}:{spec['first_indicator_row'] - 1}")
    protect(ws)
    return ws
