"""The writer: scores, explanations and findings into a workbook's output cells only.

What jixiao writes for a result is one :class:`Plan`, made from the workbook as the reader loaded
it: the output cells (indicator 得分 and every 计算说明), the results of jixiao's own formula cells
(执行率, 得分, 分值合计, 总分, 等级, the 一级 subtotals) as cached values, the 校验结果 sheet, and
the cells a finding points at. Those are highlighted by one jixiao-owned conditional format per
sheet (replaced on every run, removed when clean); the user's own fills and comments are never
changed. The plan is applied in one of two ways:

- :func:`write_result` — ``jixiao score``, and ``jixiao report --format xlsx`` with the 自评报告
  sheet — edits the file's package at the XML level (:mod:`jixiao.workbook.surgery`): only those
  cells and parts change, every other part (pictures, drawings, comments, extLst, customXml, VBA
  and the ribbon link) stays byte for byte;
- :func:`fill_workbook` / :func:`fill_findings` apply it to an openpyxl workbook that jixiao is
  building (from a data file) or that the add-in diffs (openpyxl keeps no cached values).

Files are written through a temporary file and a rename (:mod:`jixiao.fileio`); writing in place
keeps a dated backup ``<name>.bak-YYYYMMDD-HHMMSS.xlsx`` first.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.errors import InputError
from jixiao.fileio import write_bytes_atomic
from jixiao.findings import SEVERITY_LABEL, Finding
from jixiao.numbers import fmt
from jixiao.policy import ScoringPolicy
from jixiao.scoring import TableScore, rescaled_total
from jixiao.textsafe import put_text
from jixiao.workbook import Opened, file_stamp, native, styles
from jixiao.workbook.builder import FINDINGS_HEADER
from jixiao.workbook.cells import Cells
from jixiao.workbook.layout import layout, name, sheet_names, table_prefix
from jixiao.workbook.sheet import quote_sheet
from jixiao.workbook.sheet_template import plan_table
from jixiao.workbook.template_read import template_tables

MARK_FORMULA = '"jixiao"<>""'  # always true; it also tells jixiao's conditional format from the user's
MARK_RGB = "F8CBAD"  # salmon: a finding points here
FINDINGS_FIRST_ROW = 4
_SUM = re.compile(r"^=?SUM\(\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)\)$")

Key = tuple[str, str]  # (sheet title, cell)


@dataclass(frozen=True)
class FindingRow:
    """One row of 校验结果: its eight values, the cell its 位置 links to, and whether it is an error."""

    values: tuple[Any, ...]
    link: str | None
    display: str
    error: bool


@dataclass
class Plan:
    """What jixiao writes into a workbook for one result (see the module docstring)."""

    values: dict[Key, Any] = field(default_factory=dict)  # output cells; None clears
    cached: dict[Key, Any] = field(default_factory=dict)  # jixiao's formula cells: their results
    summary: str | None = None  # the 校验结果 summary line, None when the findings are not written
    rows: list[FindingRow] = field(default_factory=list)
    marks: dict[str, list[str]] = field(default_factory=dict)  # sheet -> cells with a finding

    @property
    def last_row(self) -> int:
        """Return the last row of 校验结果's print area."""
        return FINDINGS_FIRST_ROW - 1 + max(len(self.rows), 1)


# ------------------------------------------------------------------ the plan


def plan_result(wb: Any, result: Any, normalise: bool = False) -> Plan:
    """Return the plan of writing ``result``'s scores and findings into ``wb`` (as the reader loaded it).

    With ``normalise`` (``jixiao score``) every number stored as text (INPUT-TEXT-NUMBER) is
    written as the number it reads as; the backup keeps what was typed.
    """
    cells = Cells(wb)
    plan = plan_findings(wb, result.findings)
    for f in result.findings if normalise else []:
        if f.rule == "INPUT-TEXT-NUMBER" and f.sheet in wb.sheetnames and f.cell and f.expected:
            plan.values[(f.sheet, f.cell)] = Decimal(f.expected)
    policy = result.filing.policy
    _plan_table(plan, cells, "t12", result.scores.department, None, policy)
    by_sheet = {table.sheet: table for table in result.scores.projects}
    for ws in cells.scoped_sheets(name("T13_NAME")):  # a blank (absent) project sheet gets no scores
        _plan_table(plan, cells, "t13", by_sheet.get(ws.title), ws, policy)
    own = template_tables(result.filing)  # a province template's own tables (sheet_template)
    places = policy.score_places
    if "t12" in own:
        plan_table(plan, cells, result.filing.template, result.scores.department, None, places)
    if "t13" in own:
        for ws in cells.scoped_sheets(name(own["t13"]["prefix"] + "NAME")):
            plan_table(plan, cells, result.filing.template, by_sheet.get(ws.title), ws, places)
    return plan


def plan_findings(wb: Any, findings: list[Finding]) -> Plan:
    """Return the plan of writing ``findings`` into 校验结果 and marking their cells; no scores."""
    plan = Plan()
    if sheet_names()["findings"] in wb.sheetnames:
        plan.summary, plan.rows = findings_rows(findings, set(wb.sheetnames))
    skip = {sheet_names()["findings"], sheet_names()["report"], sheet_names()["guide"]}
    for f in findings:
        if not (f.sheet and f.cell and f.sheet in wb.sheetnames and f.sheet not in skip):
            continue
        if f.severity == "info" or type(wb[f.sheet][f.cell]).__name__ == "MergedCell":
            continue
        marked = plan.marks.setdefault(f.sheet, [])
        if f.cell not in marked:
            marked.append(f.cell)
    return plan


def findings_rows(findings: list[Finding], sheets: set[str]) -> tuple[str, list[FindingRow]]:
    """Return the summary line of 校验结果 and its rows for ``findings`` (links only to ``sheets``)."""
    summary = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABEL}
    line = (
        f"共 {len(findings)} 条：{summary['error']} 个错误、{summary['warning']} 个警告、"
        f"{summary['info']} 个提示。点击“位置”跳到对应单元格；改正后重新计算得分。"
        if findings
        else "校验通过，没有发现问题。"
    )
    rows = []
    for i, f in enumerate(findings, start=1):
        place = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or f.field or f.table)
        shown = (_short(f.expected, f.message), _short(f.actual, f.message))
        values = (i, SEVERITY_LABEL[f.severity], f.table, place, f.subject, f.message, *shown)
        link = f"{quote_sheet(f.sheet)}!{f.cell}" if f.sheet and f.cell and f.sheet in sheets else None
        rows.append(FindingRow(values, link, place, f.severity == "error"))
    return line, rows


def _plan_table(
    plan: Plan, cells: Cells, kind: str, table: TableScore | None, ws: Worksheet | None, policy: ScoringPolicy
) -> None:
    """Plan the scores of ``table`` into its sheet (``kind`` t12 or t13); an absent table (None)
    has its output cells cleared."""
    prefix = table_prefix(kind)
    cols = layout()["evaluation"]["columns"]
    first = cells.place(name(prefix + "IND"), ws)
    total = cells.place(name(prefix + "TOTAL"), ws)
    if first is None or total is None:
        return
    sheet = first.ws
    title = sheet.title
    places = policy.score_places
    by_row = {
        sheet[s.indicator.where.cells["score"]].row: s
        for s in (table.indicators if table is not None else [])
        if s.indicator.where is not None
        and "score" in s.indicator.where.cells
        and s.indicator.where.sheet == title
    }
    for row in range(first.row, total.row):  # clear the score column: rows may have become blank
        if holds_formula(sheet, f"{cols['score']}{row}"):
            _plan_native_row(plan, sheet, row, by_row.get(row), policy)
        else:  # a workbook from before native scoring: 得分 is a value jixiao writes
            plan.values[(title, f"{cols['score']}{row}")] = None
        plan.values[(title, f"{cols['explanation']}{row}")] = None
    if table is None:
        plan_outputs(plan, cells, prefix, ws, None, places)
        return
    scores: dict[int, Decimal] = {}
    for s in table.indicators:
        where = s.indicator.where
        if where is None or "score" not in where.cells or where.sheet != title:
            continue
        if not holds_formula(sheet, where.cells["score"]):
            plan.values[(title, where.cells["score"])] = s.score
        plan.values[(title, where.cells["explanation"])] = f"{s.mode}：{s.explanation}"
        if s.score is not None:
            scores[sheet[where.cells["score"]].row] = s.score
    plan_outputs(plan, cells, prefix, ws, table, places)
    helpers = layout()["evaluation"]["total_helpers"]
    if holds_formula(sheet, f"{helpers['capped']['col']}{total.row}"):
        pending = sum(
            1
            for r in range(first.row, total.row)
            if plan.cached.get((title, f"{cols['score']}{r}")) == layout()["evaluation"]["pending"]
        )
        figures = {
            "pending_count": pending,
            "blank": 0,
            "raw": table.raw_total,
            "rescaled": rescaled_total(table.raw_total, table.weight_total, policy),
            "capped": table.total,
        }
        for key, value in figures.items():
            if value is not None:
                plan.cached[(title, f"{helpers[key]['col']}{total.row}")] = value
    for row in range(first.row, total.row):  # the 一级 subtotals: SUM of a block's 分值 or 得分
        for col in (cols["level1_weight_sum"], cols["level1_score_sum"]):
            formula = sheet[f"{col}{row}"].value
            match = _SUM.match(formula) if isinstance(formula, str) else None
            if match is None or match.group(1) != match.group(3):
                continue
            source, top, bottom = match.group(1), int(match.group(2)), int(match.group(4))
            if source == cols["score"]:
                values: Iterable[Any] = (scores.get(r) for r in range(top, bottom + 1))
            else:
                values = (sheet[f"{source}{r}"].value for r in range(top, bottom + 1))
            plan.cached[(title, f"{col}{row}")] = _sum(values)


def holds_formula(sheet: Worksheet, ref: str) -> bool:
    """Return True when ``ref`` of ``sheet`` holds a formula (a native-scoring layout)."""
    value = sheet[ref].value
    return isinstance(value, str) and value.startswith("=")


def _plan_native_row(plan: Plan, sheet: Worksheet, row: int, score: Any, policy: ScoringPolicy) -> None:
    """Plan the helper inputs jixiao fills on indicator row ``row`` and its formulas' cached results."""
    cols = layout()["evaluation"]["columns"]
    values = native.row_values(sheet, row)
    filled = native.fill(score, values, policy)
    for key, value in filled.items():
        plan.values[(sheet.title, f"{cols[key]}{row}")] = value
    for key, value in native.evaluate({**values, **filled}, policy).items():
        plan.cached[(sheet.title, f"{cols[key]}{row}")] = value


def plan_outputs(
    plan: Plan,
    cells: Cells,
    prefix: str,
    ws: Worksheet | None,
    table: TableScore | None,
    places: int,
    **more: Any,
) -> None:
    """Plan a table's 执行率 and 总分 explanations and the results of its named output cells
    (``prefix`` + EXEC_RATE, EXEC_SCORE, WEIGHT_TOTAL, TOTAL, GRADE and the names in ``more``);
    an absent table (None) has its explanations cleared."""
    if table is None:
        for key in ("EXEC_EXPLANATION", "TOTAL_EXPLANATION"):
            place = cells.place(name(prefix + key), ws)
            if place is not None:
                plan.values[(place.ws.title, place.coordinate)] = None
        return
    texts = {
        "EXEC_EXPLANATION": f"执行率 {table.exec.rate_text}：{table.exec.explanation}",
        "TOTAL_EXPLANATION": f"总分 {fmt(table.total, places)}（{table.grade}）：{table.explanation}",
    }
    for key, text in texts.items():
        place = cells.place(name(prefix + key), ws)
        if place is not None:
            plan.values[(place.ws.title, place.coordinate)] = text
    results = {
        "EXEC_RATE": table.exec.rate if table.exec.rate is not None else "—",
        "EXEC_SCORE": table.exec.score if table.exec.score is not None else "—",
        "WEIGHT_TOTAL": table.weight_total,
        "TOTAL": table.total,
        "GRADE": table.grade,
        **more,
    }
    for key, value in results.items():
        place = cells.place(name(prefix + key), ws)
        if place is not None:
            plan.cached[(place.ws.title, place.coordinate)] = value


def _sum(values: Iterable[Any]) -> Decimal:
    """Return what SUM gives for ``values``: the numbers added, text and blanks skipped."""
    total = Decimal(0)
    for value in values:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            total += value
        elif isinstance(value, float):
            total += Decimal(repr(value))
    return total


# ------------------------------------------------------------------ the file, surgically


def write_result(
    source: Path,
    destination: Path,
    result: Any,
    opened: Opened | None = None,
    report: Any = None,
    normalise: bool = False,
    **write: Any,
) -> Path:
    """Write ``result`` (a pipeline Result read from ``source``) into ``destination``; return it.

    ``normalise`` (``jixiao score``): numbers stored as text become numbers (see :func:`plan_result`).

    Only jixiao's cells and parts change (see the module docstring); with ``report`` (a report
    document) the 自评报告 sheet too. ``opened`` is ``source`` as the reader loaded it
    (``Loaded.book``), used to find the cells while the file is unchanged since. ``write`` goes to
    :func:`jixiao.fileio.write_bytes_atomic` (``backup``, ``keep``, ``mark``); writing over
    ``source`` always keeps a backup.
    """
    source, destination = Path(source), Path(destination)
    package = result_package(source, result, opened, report, normalise=normalise)
    if destination.exists() and destination.resolve() == source.resolve():
        write["backup"] = True
    return write_bytes_atomic(destination, package, **write)


def result_package(
    source: Path, result: Any, opened: Opened | None = None, report: Any = None, normalise: bool = False
) -> bytes:
    """Return the package of the workbook ``source`` with ``result`` (and ``report``) written into it,
    as :func:`write_result` writes it."""
    from jixiao.workbook.surgery import apply_plan

    stamp = file_stamp(source)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"无法重新读取工作簿（{exc.strerror or exc}）", place=str(source)) from None
    wb = opened.still(source) if opened is not None else None
    if wb is None or stamp != opened.stamp:  # type: ignore[union-attr]
        wb = reopen_bytes(data, source)
    return apply_plan(data, plan_result(wb, result, normalise), str(source), wb, report)


def reopen_bytes(data: bytes, source: Path) -> Any:
    """Return the workbook in ``data`` (the file ``source``) opened by openpyxl, for finding cells."""
    from jixiao.workbook.merges import plain_merges

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # about parts openpyxl skips: it only finds cells here
            with plain_merges():
                return load_workbook(io.BytesIO(data))
    except Exception as exc:  # the reader accepted it a moment ago; the file changed under us
        raise InputError(f"无法重新打开工作簿（{type(exc).__name__}）", place=str(source)) from None


# ------------------------------------------------------------------ an openpyxl workbook


def fill_workbook(wb: Any, result: Any) -> None:
    """Write the scores and findings of ``result`` into the output cells of ``wb``."""
    apply_to_openpyxl(wb, plan_result(wb, result))
    wb.calculation.fullCalcOnLoad = True


def fill_findings(wb: Any, findings: list[Finding]) -> None:
    """Write ``findings`` into 校验结果 and mark the problem cells; scores stay as they are."""
    apply_to_openpyxl(wb, plan_findings(wb, findings))


SHORT_VALUE = 12  # characters: a longer 应为/填报 the 问题说明 already spells out is not repeated


def _short(value: str | None, message: str) -> str | None:
    """Return what the 应为/填报 column shows: ``value``, or 见问题说明 for a long one the message
    holds (a list of names in a column 12 wide made rows a page tall)."""
    if value is not None and len(value) > SHORT_VALUE and value in message:
        return "见问题说明"
    return value


def apply_to_openpyxl(wb: Any, plan: Plan) -> None:
    """Apply ``plan`` to the openpyxl workbook ``wb`` (cached values are not kept by openpyxl)."""
    for (title, ref), value in plan.values.items():
        cell = wb[title][ref]
        if type(cell).__name__ != "MergedCell":
            put_text(cell, value)
    if plan.summary is not None:
        _write_findings(wb[sheet_names()["findings"]], plan)
    for ws in wb.worksheets:
        mark_sheet(ws, plan.marks.get(ws.title, []))


def _write_findings(ws: Worksheet, plan: Plan) -> None:
    for row in ws.iter_rows(min_row=FINDINGS_FIRST_ROW, max_row=max(ws.max_row, FINDINGS_FIRST_ROW)):
        for cell in row:
            cell.value = None
            cell.hyperlink = None
            cell.border = styles.NO_BORDER
            cell.fill = styles.NO_FILL
    ws["A2"].value = plan.summary
    for offset, item in enumerate(plan.rows):
        row = FINDINGS_FIRST_ROW + offset
        for col, value in zip("ABCDEFGH", item.values, strict=True):
            cell = ws[f"{col}{row}"]
            put_text(cell, value)  # a subject or an actual value such as '=1+1' stays text
            cell.border = styles.GRID
            cell.font = styles.font(10)
            cell.alignment = styles.align("left" if col in "DEF" else "center")
        if item.link is not None:
            link = ws[f"D{row}"]
            link.hyperlink = Hyperlink(ref=f"D{row}", location=item.link, display=item.display)
            link.font = styles.font(10, color="0563C1")
        if item.error:
            ws[f"B{row}"].fill = styles.PROBLEM_FILL
        styles.fit_row_height(ws, row, last_col=8)
    ws.print_area = f"A1:{chr(ord('A') + len(FINDINGS_HEADER) - 1)}{plan.last_row}"


def mark_sheet(ws: Worksheet, refs: list[str], rgb: str = MARK_RGB) -> None:
    """Replace jixiao's conditional format on ``ws`` by one filling ``refs`` with ``rgb`` (none if empty)."""
    rules = ws.conditional_formatting
    kept = [
        (cf.sqref, rule)
        for cf in rules
        for rule in cf.rules
        if not (rule.type == "expression" and list(rule.formula or []) == [MARK_FORMULA])
    ]
    if len(kept) != sum(len(cf.rules) for cf in rules) or refs:
        rules._cf_rules.clear()
        for sqref, rule in kept:
            rules.add(str(sqref), rule)
    if refs:
        fill = PatternFill("solid", fgColor=rgb.lstrip("#"), bgColor=rgb.lstrip("#"))
        rules.add(" ".join(refs), FormulaRule(formula=[MARK_FORMULA], fill=fill))


# ------------------------------------------------------------------ files


def save_atomic(wb: Any, destination: Path, **write: Any) -> Path:
    """Save ``wb`` to ``destination`` atomically; return it. ``write`` as for write_bytes_atomic.

    The workbook is saved into memory first, so that a full disk fails in jixiao's own write.
    """
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_bytes_atomic(destination, buffer.getvalue(), **write)
