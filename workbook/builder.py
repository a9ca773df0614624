"""The builder: a filing (or a blank one) → the prepared workbook, laid out by ``data/layout.toml``.

Sheets 填表说明, 基本信息, 附件1-1, 附件1-2, one 附件1-3 per project, 校验结果 and 自评报告. Inputs
are unlocked and tinted, computed cells locked and written as native formulas (SUM, ROUND, IF,
MIN, IFERROR only); every input and output carries a ``JX_…`` defined name (docs/workbook.md).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.model import (
    CostLine,
    Evaluation,
    Filing,
    Indicator,
    ProjectEvaluation,
    project_sheet_name,
)
from jixiao.numbers import fmt_plain
from jixiao.policy import ScoringPolicy
from jixiao.workbook import styles
from jixiao.workbook.layout import (
    PRINT_COLUMNS,
    T11_AMOUNT_COLUMNS,
    T11_SUM_COLUMNS,
    default_level2,
    layout,
    name,
    policy_name,
    sheet_names,
    table_prefix,
)
from jixiao.workbook.sheet import SheetWriter

INFO_SUFFIX = "_LABEL"
FOOTER = '="填表人："&{f}&"　　填报日期："&{d}&"　　联系电话："&{p}&"　　单位负责人签字："&{h}'


def get_path(obj: Any, path: str) -> Any:
    """Return the attribute at the dotted ``path`` of ``obj``."""
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def set_path(obj: Any, path: str, value: Any) -> None:
    """Set the attribute at the dotted ``path`` of ``obj``."""
    parts = path.split(".")
    for part in parts[:-1]:
        obj = getattr(obj, part)
    setattr(obj, parts[-1], value)


def _setup_page(ws: Worksheet, last_col: str, last_row: int, title_rows: str | None = None) -> None:
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.blackAndWhite = True  # the tints guide the typing; the printed form is plain
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _protect(ws: Worksheet) -> None:
    """Protect the sheet without a password, still letting the user insert rows and resize."""
    p = ws.protection
    p.sheet = True
    p.insertRows = False
    p.deleteRows = False
    p.formatRows = False
    p.formatColumns = False
    p.formatCells = False
    p.insertHyperlinks = False


def _widths(ws: Worksheet, widths: dict[str, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[col].width = width


def _title(w: SheetWriter, attachment: str, suffix_formula: str, last_col: str) -> None:
    head = styles.HEADING_FONT
    w.label("A1", attachment, horizontal="left", border=False, font_name=head, size=12, wrap=False)
    w.label(f"A2:{last_col}2", suffix_formula, bold=True, size=16, border=False, font_name=styles.TITLE_FONT)
    w.ws.row_dimensions[2].height = 36


def _footer(w: SheetWriter, row: int, last_col: str) -> None:
    formula = FOOTER.format(
        f=name("SIGN_FILLER"), d=name("SIGN_DATE"), p=name("SIGN_PHONE"), h=name("SIGN_HEAD")
    )
    w.output(f"A{row}:{last_col}{row}", formula, horizontal="left", border=False)
    w.ws.row_dimensions[row].height = 24


# ------------------------------------------------------------------ 填表说明


def _build_guide(wb: Workbook) -> None:
    ws = wb.create_sheet(sheet_names()["guide"])
    w = SheetWriter(ws)
    _widths(ws, {"A": 80})
    guide = layout()["guide"]
    for row, entry in enumerate(guide, start=1):
        text, kind = entry["text"], entry.get("style", "")
        size, bold, font_name = 10.5, False, styles.BODY_FONT
        if kind == "title":
            size, bold, font_name = 16, True, styles.TITLE_FONT
        elif kind == "heading":
            size, bold, font_name = 12, True, styles.HEADING_FONT
        w.label(
            f"A{row}",
            text,
            bold=bold,
            size=size,
            horizontal="center" if kind == "title" else "left",
            border=False,
            font_name=font_name,
        )
        styles.fit_row_height(ws, row, last_col=1, minimum=30 if kind == "title" else 20, line=16)
    _setup_page(ws, "A", len(guide))
    _protect(ws)


# ------------------------------------------------------------------ 基本信息


def _section(w: SheetWriter, row: int, title: str) -> int:
    w.label(f"A{row}:C{row}", title, bold=True, horizontal="left", font_name=styles.HEADING_FONT)
    w.ws[f"A{row}"].fill = styles.HELPER_FILL
    w.ws.row_dimensions[row].height = 22
    return row + 1


def _info_value(filing: Filing, field: dict[str, Any]) -> Any:
    value = get_path(filing, field["path"])
    if field["kind"] == "date" and value:
        return str(value)
    return value


def _build_list(w: SheetWriter, row: int, spec: dict[str, Any], items: list[Any]) -> int:
    row = _section(w, row, spec["title"])
    for i, col in enumerate(spec["columns"]):
        w.label(f"{'ABC'[i]}{row}", col["header"], bold=True)
    row += 1
    first = row
    count = len(items) + spec["spare"]
    for k in range(count):
        item = items[k] if k < len(items) else None
        for i, col in enumerate(spec["columns"]):
            value = getattr(item, col["field"]) if item is not None else None
            w.input(f"{'ABC'[i]}{row}", value, col["kind"], horizontal="left" if i != 1 else "center")
        row += 1
    w.define(spec["id"], f"A{first}:C{row - 1}")
    return row


def _build_info(wb: Workbook, filing: Filing) -> None:
    ws = wb.create_sheet(sheet_names()["info"])
    w = SheetWriter(ws)
    _widths(ws, {"A": 34, "B": 70, "C": 34})
    w.label("A1:C1", "基本信息", bold=True, size=16, border=False, font_name=styles.TITLE_FONT)
    ws.row_dimensions[1].height = 32
    row = 2
    info = layout()["info"]
    field_rows: dict[str, int] = {}
    for section in info["section"]:
        if section["title"].startswith("七"):
            row = _build_list(w, row, info["projects"], filing.spending.projects)
            row = _build_list(w, row, info["balance"], filing.spending.balance_items)
        row = _section(w, row, section["title"])
        for field in section["fields"]:
            w.label(f"A{row}", field["label"], horizontal="left")
            kind = field["kind"]
            w.input(
                f"B{row}",
                _info_value(filing, field),
                kind,
                ident=field["id"],
                horizontal="left" if kind in ("text", "prose", "date") else "center",
            )
            w.label(f"C{row}", field.get("hint", ""), horizontal="left", size=9)
            if kind == "prose":
                text = _info_value(filing, field) or ""
                lines = sum(1 + len(part) // 40 for part in str(text).split("\n")) if text else 2
                ws.row_dimensions[row].height = min(409, max(36, 15 * lines))
            field_rows[field["id"]] = row
            row += 1
        for comp in section.get("computed", []):
            w.label(f"A{row}", comp["label"], horizontal="left")
            refs = ",".join(f"B{field_rows[i]}" for i in comp["sum"])
            w.output(f"B{row}", f"=SUM({refs})", ident=comp["id"], number_format=styles.AMOUNT_FORMAT)
            w.label(f"C{row}", "自动计算", horizontal="left", size=9)
            row += 1
    row = _build_policy(w, row, filing.policy)
    _setup_page(ws, "C", row - 1)
    _protect(ws)


def _build_policy(w: SheetWriter, row: int, policy: ScoringPolicy) -> int:
    spec = layout()["info"]["policy"]
    row = _section(w, row, spec["title"])
    settings = policy.to_settings()
    types = {f.name: f.type for f in dataclasses.fields(ScoringPolicy)}
    for key, text in settings.items():
        w.label(f"A{row}", spec["labels"].get(key, key), horizontal="left")
        numeric = types[key] in ("Decimal", "int")
        value: Any = Decimal(text) if numeric else text
        w.input(f"B{row}", value, "number" if numeric else "text", choices=spec["choices"].get(key))
        w.define(policy_name(key)[len("JX_") :], f"B{row}")
        w.label(f"C{row}", key, horizontal="left", size=9)
        row += 1
    return row


# ------------------------------------------------------------------ 附件1-1


def _cost_row(w: SheetWriter, row: int, ident: str, line: CostLine, kind: str, *, label_input: bool) -> None:
    if label_input:
        w.input(f"A{row}", line.label, "text", horizontal="left")
    else:
        w.label(f"A{row}", line.label, horizontal="left")
    for fieldname, col in T11_AMOUNT_COLUMNS.items():
        ref = f"{col}{row}:{get_column_letter(column_index_from_string(col) + 1)}{row}"
        if kind == "dash" and fieldname == "prev_final":
            w.label(ref, "—")
            continue
        suffix = {"prev_final": "PREV", "budget": "BUDGET", "final": "FINAL"}[fieldname]
        w.input(ref, getattr(line, fieldname), "amount", ident=f"{ident}_{suffix}" if ident else None)


def _build_t11(wb: Workbook, filing: Filing) -> None:
    spec = layout()["t11"]
    ws = wb.create_sheet(sheet_names()["t11"])
    w = SheetWriter(ws)
    _widths(ws, {"A": 30, "B": 9, "C": 9, "D": 9, "E": 9, "F": 9, "G": 9, "H": 2, "I": 12, "J": 12, "K": 12})
    t = filing.t11
    _title(w, "附件1-1", f'={name("YEAR")}&"{spec["title_suffix"]}"', "G")
    # 财政供养人员情况
    w.label("A3:A4", "财政供养人员情况(人)")
    w.label("B3:C3", "编制数")
    w.label("D3:E3", f'={name("YEAR")}&"年实际在职人数"')
    w.label("F3:G3", "控制率")
    w.input("B4:C4", t.staff.authorized, "count", ident="T11_STAFF_AUTHORIZED")
    w.input("D4:E4", t.staff.actual, "count", ident="T11_STAFF_ACTUAL")
    rate = '=IFERROR(D4/B4,"—")'
    w.output("F4:G4", rate, ident="T11_STAFF_RATE", number_format=styles.WHOLE_PERCENT_FORMAT)
    w.label("I3", "原表控制率", size=9)
    w.input("I4", t.staff.reported_control_rate, "text", ident="T11_STAFF_RATE_REPORTED")
    # 经费控制情况
    w.label("A5", "经费控制情况(万元)")
    w.label("B5:C5", f'=({name("YEAR")}-1)&"年决算数"')
    w.label("D5:E5", f'={name("YEAR")}&"年预算数"')
    w.label("F5:G5", f'={name("YEAR")}&"年决算数"')
    for col, text in zip("IJK", ("下级合计·上年决算", "下级合计·本年预算", "下级合计·本年决算"), strict=True):
        w.label(f"{col}5", text, size=9)
    row = 6
    rows_of: dict[str, tuple[int, int]] = {}
    for item in spec["rows"]:
        ident, path, kind = item["id"], item["path"], item["kind"]
        value = get_path(filing, path)
        if kind == "list":
            lines = list(value)
            if not lines and item["default_labels"]:
                lines = [CostLine(label=label) for label in item["default_labels"]]
            count = max(len(lines) + item["spare"], item["min_rows"])
            lines += [CostLine(label=None) for _ in range(count - len(lines))]
            first = row
            for line in lines:
                _cost_row(w, row, "", line, "cost", label_input=True)
                row += 1
            w.define(ident, f"A{first}:G{row - 1}")
            rows_of[ident] = (first, row - 1)
        else:
            _cost_row(w, row, ident, value, kind, label_input=False)
            w.define(f"{ident}_LABEL", f"A{row}")
            rows_of[ident] = (row, row)
            row += 1
    for item in spec["rows"]:
        if "sum" not in item:
            continue
        target = rows_of[item["id"]][0]
        for fieldname, col in T11_AMOUNT_COLUMNS.items():
            refs = ",".join(f"{col}{rows_of[s][0]}:{col}{rows_of[s][1]}" for s in item["sum"])
            w.output(
                f"{T11_SUM_COLUMNS[fieldname]}{target}",
                f"=SUM({refs})",
                helper=True,
                number_format=styles.AMOUNT_FORMAT,
            )
    # 楼堂馆所
    b = t.buildings
    w.label(f"A{row}:A{row + 1}", f'="楼堂馆所控制情况("&{name("YEAR")}&"年完工项目)"')
    for col, text in zip("BCDEFG", layout()["t11"]["buildings_header"], strict=True):
        w.label(f"{col}{row}", text, size=9)
    v = row + 1
    w.input(f"B{v}", b.approved_m2, "number", ident="T11_BLD_APPROVED_M2")
    w.input(f"C{v}", b.actual_m2, "number", ident="T11_BLD_ACTUAL_M2")
    pct = styles.PERCENT_FORMAT
    w.output(f"D{v}", f'=IFERROR(C{v}/B{v},"—")', ident="T11_BLD_SCALE_RATE", number_format=pct)
    w.input(f"E{v}", b.budget_invest, "amount", ident="T11_BLD_BUDGET_INVEST")
    w.input(f"F{v}", b.actual_invest, "amount", ident="T11_BLD_ACTUAL_INVEST")
    w.output(f"G{v}", f'=IFERROR(F{v}/E{v},"—")', ident="T11_BLD_INVEST_RATE", number_format=pct)
    w.label(f"I{row}", "原表规模控制率", size=9)
    w.label(f"J{row}", "原表投资概算控制率", size=9)
    w.input(f"I{v}", b.reported_scale_rate, "text", ident="T11_BLD_SCALE_RATE_REPORTED")
    w.input(f"J{v}", b.reported_invest_rate, "text", ident="T11_BLD_INVEST_RATE_REPORTED")
    ws.row_dimensions[row].height = 30
    row += 2
    w.label(f"A{row}", "厉行节约保障措施")
    w.input(f"B{row}:G{row}", t.thrift_measures, "prose", ident="T11_THRIFT")
    ws.row_dimensions[row].height = 48
    row += 1
    w.label(f"A{row}:G{row}", spec["note"], horizontal="left", border=False, size=9)
    ws.row_dimensions[row].height = 30
    row += 1
    _footer(w, row, "G")
    _setup_page(ws, "G", row, "5:5")
    _protect(ws)


# ------------------------------------------------------------------ 附件1-2 and 附件1-3


def _level1_key(label: str | None) -> str:
    from jixiao.taxonomy import strip_label

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
    return f"{level1}\n({fmt_plain(weight)}分)" if weight is not None else level1


def _indicator_row(w: SheetWriter, row: int, ind: Indicator | None) -> None:
    cols = layout()["evaluation"]["columns"]
    modes = layout()["evaluation"]["modes"]
    level2_names = [n for names in default_level2().values() for n in names]
    ind = ind or Indicator()
    w.input(f"{cols['name']}{row}", ind.name, "indicator", horizontal="left")
    w.input(f"{cols['target']}{row}", ind.target, "indicator")
    w.input(f"{cols['actual']}{row}", ind.actual, "indicator")
    w.input(f"{cols['weight']}{row}", ind.weight, "number")
    w.output(f"{cols['score']}{row}", None, number_format=styles.SCORE_FORMAT)
    w.input(f"{cols['deviation']}{row}", ind.deviation, "indicator", horizontal="left")
    w.input(f"{cols['mode']}{row}", ind.mode, "text", choices=modes)
    w.input(f"{cols['unit']}{row}", ind.unit, "text")
    w.input(f"{cols['reported_score']}{row}", ind.reported_score, "number")
    w.output(f"{cols['explanation']}{row}", None, helper=True, horizontal="left")
    if ind.level2 is None:  # a row that starts its own 二级 cell; merged later when labels repeat
        w.input(f"{cols['level2']}{row}", None, "text", choices=level2_names)


def _build_indicators(w: SheetWriter, prefix: str, first_row: int, ev: Evaluation, exec_row: int) -> int:
    """Write the indicator rows and the 总分 row; return the row after the 总分 row."""
    spec = layout()["evaluation"]
    cols = spec["columns"]
    header_row = first_row - 1
    for col, text in zip(PRINT_COLUMNS, spec["header"], strict=True):
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
            _indicator_row(w, row, ind)
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
    w.label(f"A{header_row}:A{last}", "绩效指标", bold=True)
    # 总分
    tot = layout()["total"]
    w.label(f"A{row}:F{row}", tot["label"], bold=True)
    g, h = cols["weight"], cols["score"]
    exec_weight = f'IF(G{exec_row}="",{policy_name("exec_weight")},G{exec_row})'
    weight_formula = f"={exec_weight}+SUM({g}{first_row}:{g}{last})"
    w.output(f"{tot['weight']}{row}", weight_formula, ident=f"{prefix}WEIGHT_TOTAL", number_format="0.##")
    formula = total_formula(exec_row, f"{h}{first_row}:{h}{last}", f"{tot['weight']}{row}")
    w.output(f"{tot['total']}{row}", formula, ident=f"{prefix}TOTAL", number_format=styles.SCORE_FORMAT)
    places = policy_name("score_places")
    grade = (
        f'=IF(ROUND({tot["total"]}{row},{places})>={policy_name("grade_excellent")},"优",'
        f'IF(ROUND({tot["total"]}{row},{places})>={policy_name("grade_good")},"良",'
        f'IF(ROUND({tot["total"]}{row},{places})>={policy_name("grade_fair")},"中","差")))'
    )
    w.output(f"{tot['grade']}{row}", grade, ident=f"{prefix}GRADE", number_format=styles.GRADE_FORMAT)
    w.label(f"K{row}", "原表填报→", size=9)
    w.input(
        f"{tot['weight_reported']}{row}", ev.total_weight, "number", ident=prefix + "TOTAL_WEIGHT_REPORTED"
    )
    w.input(f"{tot['reported']}{row}", ev.reported_total, "number", ident=prefix + "TOTAL_REPORTED")
    explanation = f"{tot['explanation']}{row}"
    w.output(explanation, None, helper=True, horizontal="left", ident=prefix + "TOTAL_EXPLANATION")
    w.ws.row_dimensions[row].height = 22
    return row + 1


def exec_formulas(row: int) -> tuple[str, str]:
    """Return the native formulas of 执行率 and 执行率得分 for the budget row ``row`` (D:I)."""
    weight = f'IF(G{row}="",{policy_name("exec_weight")},G{row})'
    rate = f'=IFERROR(IF(E{row}="","—",IF(F{row}="","—",IF(E{row}=0,"—",F{row}/E{row}))),"—")'
    score = (
        f'=IFERROR(IF(E{row}="",0,IF(F{row}="",0,IF(E{row}<0,0,IF(F{row}<0,0,'
        f'IF(E{row}=0,IF(F{row}=0,"—",0),ROUND({weight}*MIN(F{row}/E{row},1),{policy_name("score_places")})))))),0)'
    )
    return rate, score


def total_formula(exec_row: int, scores: str, weight_total: str) -> str:
    """Return the native formula of 总分: the rounded parts, rescaled or capped as the policy says."""
    places = policy_name("score_places")
    raw = f"ROUND(IFERROR(I{exec_row}+0,0)+SUM({scores}),{places})"
    rescaled = (
        f'IF({policy_name("missing_block")}="rescale",IF({weight_total}=0,{raw},IF({weight_total}=100,{raw},'
        f"ROUND({raw}/{weight_total}*100,{places}))),{raw})"
    )
    rate = f"H{exec_row}"
    capped = (
        f"IFERROR(IF({rate}<0.6,MIN({rescaled},69),IF({rate}<0.7,MIN({rescaled},79),"
        f"IF({rate}<0.8,MIN({rescaled},89),{rescaled}))),{rescaled})"
    )
    return f'=IF({policy_name("exec_cap")}="true",{capped},{rescaled})'


def _budget_row(w: SheetWriter, prefix: str, row: int, label_ref: str, header_row: int) -> None:
    for col, text in zip("DEFGHI", layout()["evaluation"]["budget_header"], strict=True):
        w.label(f"{col}{header_row}", text)
    w.label(label_ref, "年度资金总额")
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


def _eval_sheet(wb: Workbook, title: str, table: str) -> tuple[Worksheet, SheetWriter, dict[str, Any]]:
    """Return a new 1-2 or 1-3 sheet with its widths and title, its writer and its layout."""
    ws = wb.create_sheet(title)
    w = SheetWriter(ws, scoped_names=table == "t13")
    _widths(ws, {"A": 8, "B": 10, "C": 10, "D": 20, "E": 14, "F": 11, "G": 7, "H": 8, "I": 16,
                 "J": 2, "K": 10, "L": 10, "M": 10, "N": 40, "O": 10, "P": 10})  # fmt: skip
    spec = layout()[table]
    _title(w, "附件" + table[1] + "-" + table[2], f'={name("YEAR")}&"{spec["title_suffix"]}"', "I")
    return ws, w, spec


def _build_t12(wb: Workbook, filing: Filing) -> None:
    ws, w, spec = _eval_sheet(wb, sheet_names()["t12"], "t12")
    w.label("A3", "市级预算部门名称")
    w.label("A4:A10", "年度预算申请(万元)")
    w.label("B4:C4", "")
    _budget_row(w, "T12_", 5, "B5:C5", 4)
    w.label("B6:E6", "按收入性质分：", horizontal="left")
    w.label("F6:I6", "按支出性质分：", horizontal="left")
    for row, text in zip(range(7, 11), layout()["t12"]["revenue_labels"], strict=True):
        w.label(f"B{row}:D{row}", text, horizontal="left")
    w.label("F7:H7", "其中：基本支出", horizontal="left")
    w.label("F8:H8", "项目支出", horizontal="left")
    w.label("F9:I9", "")
    w.label("F10:I10", "")
    w.label("A11:A12", "年度总体目标")
    w.label("B11:E11", "预期目标")
    w.label("F11:I11", "实际完成情况")
    _fixed_inputs(w, "t12", filing.t12)
    w.output("K7", "=SUM(E7:E10)", ident="T12_REV_SUM", helper=True, number_format=styles.AMOUNT_FORMAT)
    w.output("K8", "=SUM(I7:I8)", ident="T12_EXP_SUM", helper=True, number_format=styles.AMOUNT_FORMAT)
    w.label("L7", "← 按收入性质合计", size=9, horizontal="left", border=False)
    w.label("L8", "← 按支出性质合计", size=9, horizontal="left", border=False)
    for r in range(3, 12):
        styles.fit_row_height(ws, r)
    styles.fit_row_height(ws, 12, minimum=36)
    row = _build_indicators(w, "T12_", spec["first_indicator_row"], filing.t12, 5)
    row += 1
    _footer(w, row, "I")
    _setup_page(ws, "I", row, f"{spec['first_indicator_row'] - 1}:{spec['first_indicator_row'] - 1}")
    _protect(ws)


def _build_t13(wb: Workbook, project: ProjectEvaluation, index: int) -> Worksheet:
    ws, w, spec = _eval_sheet(wb, project_sheet_name(index), "t13")
    w.label("A3", "项目支出名称")
    w.label("A4", "主管部门")
    w.label("F4", "实施单位")
    w.label("A5:A9", "项目资金(万元)")
    w.label("B5:C5", "")
    _budget_row(w, "T13_", 6, "B6:C6", 5)
    for row, text in zip(range(7, 10), ("其中：当年财政拨款", "上年结转资金", "其他资金"), strict=True):
        w.label(f"B{row}:C{row}", text, horizontal="left")
        w.label(f"G{row}:I{row}", "")
    w.label("A10:A11", "年度总体目标")
    w.label("B10:E10", "预期目标")
    w.label("F10:I10", "实际完成情况")
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
    row = _build_indicators(w, "T13_", spec["first_indicator_row"], project, 6)
    w.label(f"A{row}:I{row}", spec["note"], horizontal="left", border=False)
    row += 1
    _footer(w, row, "I")
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
    _setup_page(ws, "I", last_print, f"{spec['first_indicator_row'] - 1}:{spec['first_indicator_row'] - 1}")
    _protect(ws)
    return ws


# ------------------------------------------------------------------ 校验结果 and 自评报告

NOT_CHECKED = "尚未校验。请点击“绩效自评 › 计算得分”，或运行 jixiao score 本文件。"
FINDINGS_HEADER = ("序号", "级别", "表", "位置", "对象", "问题说明", "应为", "填报")
FINDINGS_WIDTHS = {"A": 6, "B": 7, "C": 7, "D": 16, "E": 24, "F": 70, "G": 12, "H": 12}


def _build_findings(wb: Workbook) -> None:
    ws = wb.create_sheet(sheet_names()["findings"])
    w = SheetWriter(ws)
    _widths(ws, FINDINGS_WIDTHS)
    w.label("A1:H1", "校验结果", bold=True, size=16, border=False, font_name=styles.TITLE_FONT)
    w.output("A2:H2", NOT_CHECKED, horizontal="left", border=False, ident="FINDINGS_SUMMARY")
    for col, text in zip("ABCDEFGH", FINDINGS_HEADER, strict=True):
        w.label(f"{col}3", text, bold=True)
    w.define("FINDINGS", "A4:H4")
    ws.freeze_panes = "A4"
    _setup_page(ws, "H", 4, "3:3")
    ws.page_setup.orientation = "landscape"


def _build_report(wb: Workbook, filing: Filing) -> None:
    ws = wb.create_sheet(sheet_names()["report"])
    w = SheetWriter(ws)
    _widths(ws, {"A": 80})
    w.label(
        "A1",
        f'={name("UNIT")}&{name("YEAR")}&"年度部门整体支出绩效自评报告"',
        bold=True,
        size=18,
        border=False,
        font_name=styles.TITLE_FONT,
    )
    ws.row_dimensions[1].height = 48
    w.output(
        "A2",
        "（点击“绩效自评 › 生成报告”或运行 jixiao report 后，报告正文写在这里。）",
        border=False,
        ident="REPORT_BODY",
    )
    _setup_page(ws, "A", 2)


# ------------------------------------------------------------------ the workbook


def build_workbook(filing: Filing) -> Workbook:
    """Return the prepared workbook holding ``filing`` (inputs filled, scores not yet written)."""
    wb = Workbook()
    wb.remove(wb.active)
    _build_guide(wb)
    _build_info(wb, filing)
    _build_t11(wb, filing)
    _build_t12(wb, filing)
    for index, project in enumerate(filing.t13):
        _build_t13(wb, project, index)
    _build_findings(wb)
    _build_report(wb, filing)
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    wb.active = 1
    return wb


def blank_filing(unit: str, year: int, projects: int = 1) -> Filing:
    """Return an empty filing of ``unit`` for ``year`` with ``projects`` empty project tables."""
    filing = Filing(unit=unit, year=year)
    filing.t12.dept_name = unit
    filing.t12.budget.weight = filing.policy.exec_weight
    filing.t12.level1_weights = {k: v for k, v in filing.policy.level1_weights.items()}
    for _ in range(projects):
        filing.t13.append(blank_project(unit, filing.policy, filing.t12.level1_weights))
    return filing


def blank_project(
    unit: str | None, policy: ScoringPolicy, level1_weights: dict[str, Any]
) -> ProjectEvaluation:
    """Return an empty project table of ``unit`` with the policy's 执行率 weight and the 一级 weights."""
    project = ProjectEvaluation(implementer=unit)
    project.budget.weight = policy.exec_weight
    project.level1_weights = dict(level1_weights)
    return project
