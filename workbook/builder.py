"""The builder: a filing (or a blank one) → the prepared workbook, laid out by ``data/layout.toml``.

Sheets 填表说明, 基本信息 (:mod:`.sheet_info`), 附件1-1 (:mod:`.sheet_t11`), 附件1-2 and one 附件1-3
per project (:mod:`.sheet_evaluation`), 校验结果 and 自评报告. Inputs are unlocked and tinted,
computed cells locked and written as native formulas (functions Excel 2010+, WPS and LibreOffice share); every
input and output carries a ``JX_…`` defined name (docs/workbook.md).
"""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook
from openpyxl.workbook.properties import CalcProperties

from jixiao.model import Filing, ProjectEvaluation, project_sheet_name
from jixiao.policy import ScoringPolicy
from jixiao.workbook import styles
from jixiao.workbook.layout import name, sheet_names
from jixiao.workbook.pages import set_widths, setup_page
from jixiao.workbook.sheet import SheetWriter
from jixiao.workbook.sheet_evaluation import build_t12, build_t13
from jixiao.workbook.sheet_info import build_guide, build_info
from jixiao.workbook.sheet_t11 import build_t11
from jixiao.workbook.sheet_template import build_table, record_template, template_tables

# ------------------------------------------------------------------ 校验结果 and 自评报告

NOT_CHECKED = "尚未校验。请点击“绩效自评 › 计算得分”，或运行 jixiao score 本文件。"
FINDINGS_HEADER = ("序号", "级别", "表", "位置", "对象", "问题说明", "应为", "填报")
FINDINGS_WIDTHS = {"A": 6, "B": 7, "C": 7, "D": 16, "E": 24, "F": 70, "G": 12, "H": 12}


def _build_findings(wb: Workbook) -> None:
    """Add the sheet 校验结果, empty until jixiao writes the findings."""
    ws = wb.create_sheet(sheet_names()["findings"])
    w = SheetWriter(ws)
    set_widths(ws, FINDINGS_WIDTHS)
    w.label("A1:H1", "校验结果", bold=True, size=16, border=False, font_name=styles.TITLE_FONT)
    w.output("A2:H2", NOT_CHECKED, horizontal="left", border=False, ident="FINDINGS_SUMMARY")
    for col, text in zip("ABCDEFGH", FINDINGS_HEADER, strict=True):
        w.label(f"{col}3", text, bold=True)
    w.define("FINDINGS", "A4:H4")
    ws.freeze_panes = "A4"
    setup_page(ws, "H", 4, "3:3")
    ws.page_setup.orientation = "landscape"


def _build_report(wb: Workbook) -> None:
    """Add the sheet 自评报告, empty until jixiao writes the report."""
    ws = wb.create_sheet(sheet_names()["report"])
    w = SheetWriter(ws)
    set_widths(ws, {"A": 80})
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
    setup_page(ws, "A", 2)


# ------------------------------------------------------------------ the workbook


def build_workbook(filing: Filing) -> Workbook:
    """Return the prepared workbook holding ``filing`` (inputs filled, scores not yet written)."""
    wb = Workbook()
    wb.remove(wb.active)
    build_guide(wb, filing.policy)
    build_info(wb, filing)
    build_t11(wb, filing)
    own = template_tables(filing)  # the tables the filing's template lays out itself (sheet_template)
    if "t12" in own:
        build_table(wb, sheet_names()["t12"], filing.template, filing.t12)
    else:
        build_t12(wb, filing)
    for index, project in enumerate(filing.t13):
        if "t13" in own:
            build_table(wb, project_sheet_name(index), filing.template, project)
        else:
            build_t13(wb, project, index, filing.policy, filing.year)
    if filing.template != "national":
        record_template(wb, filing.template)
    _build_findings(wb)
    _build_report(wb)
    wb.calculation = CalcProperties(fullCalcOnLoad=True)
    wb.active = 1
    return wb


def blank_filing(unit: str, year: int, projects: int = 1, template: str = "national") -> Filing:
    """Return an empty filing of ``unit`` for ``year`` with ``projects`` empty project tables, in
    ``template`` (its policy preset set)."""
    from jixiao.templates import template as template_of

    filing = Filing(unit=unit, year=year, template=template, policy=template_of(template).policy())
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
