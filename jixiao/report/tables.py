"""附件1-1, 1-2 and 1-3 as neutral grids (cells with spans), laid out like the seed's tables.

Every printed word comes from the forms description (:mod:`jixiao.forms`), shared with the workbook.

The Word writer turns a :class:`Grid` into a Word table with merged cells; the Markdown writer
flattens it. Amounts are shown as filed; rates and scores are the computed ones, so the tables
agree with the narrative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.forms import footer_labels, form, level1_label, t11_rows, with_year
from jixiao.model import CostLine, Evaluation, Filing, FundLine, ProjectEvaluation, Signers
from jixiao.numbers import fmt, fmt_percent, fmt_plain
from jixiao.scoring import FilingScore, TableScore
from jixiao.taxonomy import taxonomy

WIDTHS_7 = (44.0, 18.0, 19.0, 18.0, 19.0, 19.0, 19.0)  # mm, 156 in all
WIDTHS_9 = (13.0, 15.0, 17.0, 26.0, 19.0, 18.0, 11.0, 17.0, 20.0)  # mm, 156 in all


@dataclass(frozen=True)
class Cell:
    """One (possibly merged) cell: its top-left position, spans, text and alignment."""

    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    align: str = "center"  # center | left
    bold: bool = False


@dataclass
class Grid:
    """A table as rows × columns with merged cells, plus the lines printed under it."""

    caption: str  # 附件1-1
    title: str
    widths: tuple[float, ...]
    cells: list[Cell] = field(default_factory=list)
    rows: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def cols(self) -> int:
        """Return the number of columns."""
        return len(self.widths)

    def add(self, row: int, col: int, text: object, rowspan: int = 1, colspan: int = 1, **style) -> None:
        """Place a cell; the grid grows to hold it."""
        self.cells.append(Cell(row, col, "" if text is None else str(text), rowspan, colspan, **style))
        self.rows = max(self.rows, row + rowspan)

    def line(self, *texts: tuple[object, int] | object, **style) -> int:
        """Append a row of cells given as text or (text, colspan); return its index."""
        row, col = self.rows, 0
        for item in texts:
            text, span = item if isinstance(item, tuple) else (item, 1)
            self.add(row, col, text, colspan=span, **style)
            col += span
        self.rows = max(self.rows, row + 1)
        return row

    def matrix(self) -> list[list[str]]:
        """Return the text of every position (a merged cell's text at its top-left only)."""
        out = [[""] * self.cols for _ in range(self.rows)]
        for cell in self.cells:
            out[cell.row][cell.col] = cell.text
        return out


def _amt(value: Decimal | None) -> str:
    return fmt_plain(value) if value is not None else ""


def _rate(numerator: Decimal | None, denominator: Decimal | None) -> str:
    if numerator is None or denominator is None:
        return ""
    return "—" if denominator == 0 else fmt_percent(numerator / denominator)


def signer_line(signers: Signers, public: bool = False) -> str:
    """Return the footer line 填表人 / 填报日期 / 联系电话 / 单位负责人签字 (names blank if public)."""
    filler = "" if public else signers.filler or ""
    phone = "" if public else signers.phone or ""
    head = "" if public else signers.head or ""
    values = (filler or " " * 8, signers.fill_date or " " * 8, phone or " " * 12, head)
    pairs = zip(footer_labels(), values, strict=True)
    return "    ".join(f"{label}：{value}" for label, value in pairs)


def table_11(filing: Filing, public: bool = False) -> Grid:
    """Return 附件1-1 部门整体支出绩效评价基础数据表."""
    t, year, spec = filing.t11, filing.year, form("t11")
    g = Grid(spec["caption"], with_year(spec["title"], year), WIDTHS_7)
    g.add(0, 0, spec["staff"], rowspan=2)
    for col, text in zip((1, 3, 5), spec["staff_header"], strict=True):
        g.add(0, col, with_year(text, year), colspan=2)
    staff = t.staff
    g.add(1, 1, _amt(staff.authorized), colspan=2)
    g.add(1, 3, _amt(staff.actual), colspan=2)
    g.add(1, 5, _rate(staff.actual, staff.authorized), colspan=2)
    g.line(spec["costs"], *((with_year(text, year), 2) for text in spec["cost_header"]))

    def cost(line: CostLine, prev_dash: bool = False) -> None:
        row = g.rows
        g.add(row, 0, line.label or "", align="left")
        g.add(row, 1, spec["dash"] if prev_dash else _amt(line.prev_final), colspan=2)
        g.add(row, 3, _amt(line.budget), colspan=2)
        g.add(row, 5, _amt(line.final), colspan=2)

    for item in t11_rows():
        value = getattr(t, item["field"])
        for line in value if item["kind"] == "list" else [value]:
            cost(line, prev_dash=item["kind"] == "dash")
    b = t.buildings
    start = g.rows
    g.add(start, 0, with_year(spec["buildings"], year), rowspan=2)
    for col, label in enumerate(spec["buildings_header"], start=1):
        g.add(start, col, label)
    values = (
        _amt(b.approved_m2),
        _amt(b.actual_m2),
        _rate(b.actual_m2, b.approved_m2),
        _amt(b.budget_invest),
        _amt(b.actual_invest),
        _rate(b.actual_invest, b.budget_invest),
    )
    for col, value in enumerate(values, start=1):
        g.add(start + 1, col, value)
    g.line(spec["thrift"], (t.thrift_measures or "", 6))
    g.notes = [spec["note"], signer_line(filing.signers, public)]
    return g


def _budget_block(
    g: Grid, row: int, label: str, rows: int, ev: Evaluation, ts: TableScore, places: int
) -> None:
    """Place the fund block's label, its header row and the 年度资金总额 row starting at ``row``."""
    spec = form("evaluation")
    g.add(row, 0, label, rowspan=rows)
    g.add(row, 1, "", colspan=2)
    for col, text in enumerate(spec["budget_header"], start=3):
        g.add(row, col, text)
    b = ev.budget
    g.add(row + 1, 1, spec["total_funds"], colspan=2)
    exec_score = fmt(ts.exec.score, places) if ts.exec.score is not None else "—"
    weight = fmt_plain(ts.exec.weight)
    for col, text in enumerate(
        (_amt(b.initial), _amt(b.full_year), _amt(b.executed), weight, ts.exec.rate_text, exec_score), start=3
    ):
        g.add(row + 1, col, text)


def _fund_row(g: Grid, row: int, label: str, line: FundLine) -> None:
    g.add(row, 1, label, colspan=2, align="left")
    for col, value in enumerate((line.initial, line.full_year, line.executed), start=3):
        g.add(row, col, _amt(value))
    for col in (6, 7, 8):
        g.add(row, col, "")


def _goal_rows(g: Grid, ev: Evaluation) -> None:
    start, spec = g.rows, form("evaluation")
    expected, actual = spec["goal_header"]
    g.add(start, 0, spec["goal"], rowspan=2)
    g.add(start, 1, expected, colspan=4)
    g.add(start, 5, actual, colspan=4)
    g.add(start + 1, 1, ev.goal_expected or "", colspan=4, align="left")
    g.add(start + 1, 5, ev.goal_actual or "", colspan=4, align="left")


def _indicator_rows(g: Grid, ev: Evaluation, ts: TableScore, places: int) -> None:
    tax, spec = taxonomy(), form("evaluation")
    rows = [i for i in ev.indicators if i.level1 or i.level2 or not i.is_placeholder()]
    scores = {id(s.indicator): s for s in ts.indicators}
    start = g.rows
    g.add(start, 0, spec["indicators"], rowspan=len(rows) + 1)
    for col, label in enumerate(spec["indicator_header"], start=1):
        g.add(start, col, label)
    r0 = start + 1
    levels: list[tuple[str, str]] = []
    for i, ind in enumerate(rows):
        row = r0 + i
        level1 = tax.canonical_level1(ind.level1) or ind.level1 or ""
        level2 = ind.level2 or ""
        levels.append((level1, level2))
        s = scores.get(id(ind))
        score = fmt(s.score, places) if s is not None and s.score is not None else ""
        texts = (ind.name, ind.target, ind.actual, _amt(ind.weight), score, ind.deviation)
        for col, text in enumerate(texts, start=3):
            g.add(row, col, text or "", align="left" if col in (3, 8) else "center")
    # merge equal 一级 / 二级 runs
    for level, col in ((0, 1), (1, 2)):
        i = 0
        while i < len(rows):
            j = i
            key = levels[i][: level + 1]
            while j + 1 < len(rows) and levels[j + 1][: level + 1] == key and key[level]:
                j += 1
            text = levels[i][level]
            if level == 0 and text:
                weight = ev.level1_weights.get(text)
                if weight is None:
                    weight = ts.level1_weights.get(text)
                text = level1_label(text, fmt_plain(weight)) if weight is not None else text
            g.add(r0 + i, col, text, rowspan=j - i + 1)
            i = j + 1
    total_row = g.rows
    g.add(total_row, 0, spec["total"], colspan=6)
    g.add(total_row, 6, fmt_plain(ts.weight_total))
    g.add(total_row, 7, fmt(ts.total, places))
    g.add(total_row, 8, spec["grade"].format(grade=ts.grade))


def table_12(filing: Filing, scores: FilingScore, public: bool = False) -> Grid:
    """Return 附件1-2 部门整体支出绩效自评表 with the computed scores (the filing holds a 附件1-2)."""
    ev, ts, places = filing.t12, scores.department, filing.policy.display_places
    if ts is None:
        raise ValueError("the filing holds no 附件1-2")
    spec = form("t12")
    g = Grid(spec["caption"], with_year(spec["title"], filing.year), WIDTHS_9)
    g.add(0, 0, spec["name"], colspan=2)
    g.add(0, 2, ev.dept_name or filing.unit or "", colspan=7, align="left")
    _budget_block(g, 1, spec["funds"], 7, ev, ts, places)
    rv, ex = ev.revenue, ev.expenditure
    revenue = (rv.general, rv.gov_fund, rv.special_account, rv.other)
    expenditure = (ex.basic, ex.project)
    left = (
        spec["by_revenue"],
        *(f"{label}：{_amt(v)}" for label, v in zip(spec["revenue"], revenue, strict=True)),
    )
    right = (
        spec["by_expenditure"],
        *(f"{label}：{_amt(v)}" for label, v in zip(spec["expenditure"], expenditure, strict=True)),
        "",
        "",
    )
    for offset, (a, b) in enumerate(zip(left, right, strict=True)):
        g.add(3 + offset, 1, a, colspan=4, align="left")
        g.add(3 + offset, 5, b, colspan=4, align="left")
    _goal_rows(g, ev)
    _indicator_rows(g, ev, ts, places)
    g.notes = [signer_line(filing.signers, public)]
    return g


def table_13(filing: Filing, project: ProjectEvaluation, ts: TableScore, public: bool = False) -> Grid:
    """Return the 附件1-3 项目支出绩效自评表 of one project with the computed scores."""
    places, spec = filing.policy.display_places, form("t13")
    g = Grid(spec["caption"], with_year(spec["title"], filing.year), WIDTHS_9)
    g.add(0, 0, spec["name"], colspan=2)
    g.add(0, 2, project.name or "", colspan=7, align="left")
    g.add(1, 0, spec["department"], colspan=2)
    g.add(1, 2, project.department or "", colspan=3, align="left")
    g.add(1, 5, spec["implementer"], colspan=2)
    g.add(1, 7, project.implementer or "", colspan=2, align="left")
    _budget_block(g, 2, spec["funds"], 5, project, ts, places)
    sources = (project.fiscal, project.carryover, project.other)
    for row, (label, line) in enumerate(zip(spec["sources"], sources, strict=True), start=4):
        _fund_row(g, row, label, line)
    _goal_rows(g, project)
    _indicator_rows(g, project, ts, places)
    g.notes = [spec["note"], signer_line(filing.signers, public)]
    return g


def build_tables(filing: Filing, scores: FilingScore, public: bool = False) -> list[Grid]:
    """Return the tables the filing holds, in print order: 附件1-1, 附件1-2, one 附件1-3 per project."""
    from jixiao.report.template_tables import template_grid
    from jixiao.templates import sheet_layout

    spec = sheet_layout(filing.template)
    own = (
        {spec["table"]} if spec is not None else set()
    )  # the tables the filing's template lays out itself: in its columns
    grids = [table_11(filing, public)] if filing.has_t11() else []
    if scores.department is not None:
        t12 = template_grid(filing, scores.department, public) if "t12" in own else None
        grids.append(t12 or table_12(filing, scores, public))
    for ts in scores.projects:
        assert isinstance(ts.evaluation, ProjectEvaluation)
        grids.append(
            template_grid(filing, ts, public) if "t13" in own else table_13(filing, ts.evaluation, ts, public)
        )
    return grids
