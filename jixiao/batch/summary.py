"""The summary workbook of a batch: 汇总, 问题清单, 统计 (with charts), 未填写 and 无法读取.

Written in openpyxl's write-only mode, row by row from a :class:`~jixiao.batch.tally.Tally`, so
that writing it costs little beyond the rows themselves. Every sheet prints on A4 landscape, one
page wide, its header row repeated on every page, long text wrapped.
"""

from __future__ import annotations

import io
import math
import os
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from jixiao.batch.digest import BatchResult
from jixiao.batch.frame import LOW_EXECUTION, Statistics, statistics
from jixiao.batch.rows import (
    BLANK_HEADERS,
    COLUMN,
    FINDING_COLUMN,
    ROW_HEADERS,
    UNREADABLE_HEADERS,
)
from jixiao.batch.tally import Tally
from jixiao.fileio import write_bytes_atomic
from jixiao.findings import SEVERITY_LABEL
from jixiao.safety import WORKBOOK_SUFFIXES
from jixiao.textsafe import put_text

SUMMARY_KIND = "batch"  # the kind of jixiao's stamp on a summary (a workbook, but no filing)
CHART_ROWS = 16  # rows a chart beside a small table takes
TOP_RULES = 10  # rules in the chart of frequent problems
LINE_HEIGHT = 15  # points per line of wrapped text
SHOWN_WARNINGS = 10  # warnings listed in 统计 (every duplicate is marked in 汇总)

# (width, kind) of each 汇总 column; kind: "wrap" text, a number format, or "" plain
_SUMMARY_LAYOUT = {
    "文件": (20, "wrap"),
    "年度": (6, ""),
    "类型": (5, ""),
    "单位": (16, "wrap"),
    "主管部门": (14, "wrap"),
    "模板": (8, ""),
    "项目": (18, "wrap"),
    "全年预算数（万元）": (11, "#,##0.00"),
    "全年执行数（万元）": (11, "#,##0.00"),
    "执行率": (8, "0.00%"),
    "执行率得分": (7, "0.00"),
    "总分": (7, "0.00"),
    "填报总分": (7, "0.00"),
    "等级": (5, ""),
    "错误": (5, ""),
    "警告": (5, ""),
    "提示": (5, ""),
    "备注": (14, "wrap"),
    "最主要的问题": (44, "wrap"),
}
SUMMARY_COLUMNS = tuple((name, *_SUMMARY_LAYOUT[name]) for name in ROW_HEADERS)
ISSUE_COLUMNS = (  # 问题清单 as printed: the rule by its name, sheet and cell as one linked place
    ("文件", 20, "wrap"),
    ("单位", 14, "wrap"),
    ("严重程度", 6, ""),
    ("问题", 16, "wrap"),
    ("位置", 14, "wrap"),
    ("对象", 18, "wrap"),
    ("说明", 58, "wrap"),
    ("应为", 10, "wrap"),
    ("填报", 10, "wrap"),
)
PLACE = [name for name, _, _ in ISSUE_COLUMNS].index("位置")
BLANK_COLUMNS = tuple(zip(BLANK_HEADERS, (40, 24, 8, 60), ("wrap", "wrap", "", "wrap"), strict=True))
UNREADABLE_COLUMNS = tuple(zip(UNREADABLE_HEADERS, (40, 90), ("wrap", "wrap"), strict=True))
STATS_WIDTHS = (30, 20, 11, 11, 12, 60)  # A–F of 统计


@dataclass
class _Styles:
    """The cell styles of the summary, made once (copied into each cell that takes one)."""

    book: Any

    def __post_init__(self) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        owner = SimpleNamespace(parent=self.book)  # a cell's styles are registered in its sheet's book

        def proto(**style: Any) -> Any:
            cell = WriteOnlyCell(owner)
            for name, value in style.items():
                setattr(cell, name, value)
            return cell._style

        top = Alignment(vertical="top")
        self.header = proto(
            font=Font(bold=True),
            fill=PatternFill("solid", fgColor="DDEBF7"),
            alignment=Alignment(wrap_text=True, horizontal="center", vertical="center"),
        )
        self.wrap = proto(alignment=Alignment(wrap_text=True, vertical="top"))
        self.link = proto(font=Font(color="0563C1", underline="single"), alignment=top)
        self.bold = proto(font=Font(bold=True))
        self.title = proto(font=Font(bold=True, size=12))
        self.warn = proto(font=Font(bold=True, color="C00000"))
        self.number = {fmt: proto(number_format=fmt, alignment=top) for fmt in ("#,##0.00", "0.00%", "0.00")}
        self.plain = proto(alignment=top)

    def of(self, kind: str) -> Any:
        """Return the style of a column kind ("wrap", a number format or "")."""
        return self.wrap if kind == "wrap" else self.number.get(kind, self.plain)


def _cell(sheet: Any, value: object, style: Any = None) -> Any:
    """Return a write-only cell holding ``value`` (text stays text, even '=…') in ``style``."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet)
    if style is not None:
        cell._style = copy(style)
    put_text(cell, value)  # after the style: its quote prefix stays
    return cell


def _text_width(value: object) -> float:
    """Return roughly how many column-width units ``value`` takes (a CJK character about two)."""
    text = "" if value is None else str(value)
    return sum(1.6 if unicodedata.east_asian_width(ch) in "WF" else 1.0 for ch in text)


def _append(sheet: Any, row: int, cells: list[Any], widths: Sequence[int | None]) -> None:
    """Append row number ``row`` of ``cells``, as tall as its longest wrapped text needs (``widths`` of the
    wrapped columns, None for the others): neither Excel nor LibreOffice sizes a row on opening."""
    lines = 1
    for cell, width in zip(cells, widths, strict=False):
        value = cell.value if hasattr(cell, "value") else cell
        if width and value is not None:
            needed = sum(
                max(1, math.ceil(_text_width(part) / (width - 1))) for part in str(value).split("\n")
            )
            lines = max(lines, needed)
    if lines > 1:
        sheet.row_dimensions[row].height = LINE_HEIGHT * lines
    sheet.append(cells)
    sheet.row_dimensions.pop(row, None)  # the row is written: its height is let go


def _wrapped(columns: Sequence[tuple[str, int, str]]) -> list[int | None]:
    return [width if kind == "wrap" else None for _, width, kind in columns]


def _list_sheet(book: Any, styles: _Styles, title: str, columns: Sequence[tuple[str, int, str]]) -> Any:
    """Return a new list sheet with its header row: widths set, frozen, printed as the lists are."""
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    for i, (_, width, _) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    _print_setup(sheet)
    sheet.print_title_rows = "1:1"
    _append(
        sheet, 1, [_cell(sheet, name, styles.header) for name, _, _ in columns], [w for _, w, _ in columns]
    )
    return sheet


def _rows(
    sheet: Any, styles: _Styles, columns: Sequence[tuple[str, int, str]], rows: Iterable[Sequence[object]]
) -> int:
    """Append ``rows`` in the columns' styles; return how many."""
    kinds = [styles.of(kind) for _, _, kind in columns]
    widths = _wrapped(columns)
    count = 0
    for row in rows:
        count += 1
        _append(
            sheet, count + 1, [_cell(sheet, v, style) for v, style in zip(row, kinds, strict=True)], widths
        )
    return count


def _filter(sheet: Any, columns: int, rows: int) -> None:
    from openpyxl.utils import get_column_letter

    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{rows + 1}"


def _print_setup(sheet: Any) -> None:
    """Print ``sheet`` on A4 landscape, all columns on one page width, narrow margins, page numbers."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    sheet.oddHeader.left.text = "&A"  # the sheet's name
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _link(target_file: str, summary: Path, sheet: str, cell: str) -> str | None:
    """Return a hyperlink from the summary to ``sheet!cell`` of a workbook, or None."""
    if not target_file.lower().endswith(WORKBOOK_SUFFIXES) or "#" in target_file:
        return None
    try:
        relative = os.path.relpath(target_file, summary.resolve().parent)
    except ValueError:  # another drive on Windows
        relative = Path(target_file).resolve().as_uri()
    quoted = sheet.replace("'", "''")
    return f"{Path(relative).as_posix()}#'{quoted}'!{cell}"


def _issue_rows(tally: Tally, summary: Path, sheet: Any, styles: _Styles) -> Iterable[list[Any]]:
    """Yield the printed 问题清单 rows: the place as one cell, linked to the workbook's cell."""
    c = FINDING_COLUMN
    kinds = [styles.of(kind) for _, _, kind in ISSUE_COLUMNS]
    for row in tally.findings:
        file, where, cell = str(row[c["文件"]]), str(row[c["工作表"]]), str(row[c["单元格"]])
        place = f"{where}!{cell}" if where and cell else where or str(row[c["表"]])
        values = [row[c[name]] if name != "位置" else place for name, _, _ in ISSUE_COLUMNS]
        link = (
            _link(tally.paths[file], summary, where, cell) if where and cell and file in tally.paths else None
        )
        styled = [styles.link if link and i == PLACE else style for i, style in enumerate(kinds)]
        cells = [_cell(sheet, value, style) for value, style in zip(values, styled, strict=True)]
        if link:
            cells[PLACE].hyperlink = link
        yield cells


def write_summary(source: BatchResult | Tally, path: str | Path, stats: Statistics | None = None) -> None:
    """Write the summary workbook of a batch to ``path`` atomically (``stats`` when already made)."""
    from openpyxl import Workbook

    path = Path(path)
    tally = source if isinstance(source, Tally) else Tally.of(source)
    stats = stats or statistics(tally)
    book = Workbook(write_only=True)
    styles = _Styles(book)
    summary = _list_sheet(book, styles, "汇总", SUMMARY_COLUMNS)
    order = [COLUMN[name] for name, _, _ in SUMMARY_COLUMNS]
    count = _rows(summary, styles, SUMMARY_COLUMNS, ([row[i] for i in order] for row in tally.tables))
    _filter(summary, len(SUMMARY_COLUMNS), count)
    issues = _list_sheet(book, styles, "问题清单", ISSUE_COLUMNS)
    widths = _wrapped(ISSUE_COLUMNS)
    for row, cells in enumerate(_issue_rows(tally, path, issues, styles), start=2):
        _append(issues, row, cells, widths)
    _filter(issues, len(ISSUE_COLUMNS), len(tally.findings))
    _statistics_sheet(book, styles, stats)
    blank = _list_sheet(book, styles, "未填写", BLANK_COLUMNS)
    _filter(blank, len(BLANK_COLUMNS), _rows(blank, styles, BLANK_COLUMNS, tally.blank))
    unreadable = _list_sheet(book, styles, "无法读取", UNREADABLE_COLUMNS)
    _filter(unreadable, 2, _rows(unreadable, styles, UNREADABLE_COLUMNS, tally.unreadable))
    buffer = io.BytesIO()  # saved in memory: a full disk fails in jixiao's own write, in one line
    book.save(buffer)
    write_bytes_atomic(path, buffer.getvalue(), mark=SUMMARY_KIND)


class _Stats:
    """The 统计 sheet written top to bottom: titled tables, a chart beside or above some."""

    def __init__(self, book: Any, styles: _Styles) -> None:
        from openpyxl.utils import get_column_letter

        self.sheet = book.create_sheet("统计")
        self.styles = styles
        self.row = 0  # the last row written
        for i, width in enumerate(STATS_WIDTHS, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width
        _print_setup(self.sheet)

    def line(self, *values: object, style: Any = None) -> int:
        """Append one row (the first cell in ``style``); return its number."""
        first = style or self.styles.wrap
        cells = [_cell(self.sheet, v, first if i == 0 else self.styles.wrap) for i, v in enumerate(values)]
        self.row += 1
        _append(self.sheet, self.row, cells, STATS_WIDTHS if style is None else [])
        return self.row

    def table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> tuple[int, int]:
        """Append a titled table; return the rows of its header and of its last line."""
        self.line(title, style=self.styles.title)
        header = self.row + 1
        self.row += 1
        _append(
            self.sheet, self.row, [_cell(self.sheet, h, self.styles.header) for h in headers], STATS_WIDTHS
        )
        for values in rows:
            self.line(*values)
        return header, self.row

    def page(self) -> None:
        """Start a new printed page below the last row written."""
        from openpyxl.worksheet.pagebreak import Break

        self.sheet.row_breaks.append(Break(id=self.row))

    def gap(self, until: int = 0) -> None:
        """Append empty rows up to row ``until``, and one more."""
        while self.row < until:
            self.sheet.append([])
            self.row += 1
        self.sheet.append([])
        self.row += 1

    def chart(
        self, kind: str, title: str, data: tuple[int, int, int, int], anchor: str, size: tuple[float, float]
    ) -> None:
        """Add a bar chart of columns data[0]–data[1] over rows data[2]–data[3] (a header first),
        categories in column A."""
        from openpyxl.chart import BarChart, Reference

        first, last, header, bottom = data
        chart = BarChart()
        chart.type = kind
        chart.title = title
        chart.add_data(
            Reference(self.sheet, min_col=first, max_col=last, min_row=header, max_row=bottom),
            titles_from_data=True,
        )
        chart.set_categories(Reference(self.sheet, min_col=1, min_row=header + 1, max_row=bottom))
        if kind == "bar":
            chart.y_axis.title = "涉及文件数"
            chart.x_axis.scaling.orientation = "maxMin"  # the most frequent on top
            chart.legend = None
        else:
            chart.y_axis.title = "个数"
        chart.height, chart.width = size
        self.sheet.add_chart(chart, anchor)


def _overview(stats: Statistics) -> list[tuple[str, object]]:
    lines: list[tuple[str, object]] = [
        ("文件总数", stats.files),
        ("已检查并计分的单位", stats.read),
        ("未填写的工作簿（空白表或模板，未计分，不计入统计）", stats.blank),
        ("无法读取的文件", stats.unreadable),
        ("已跳过的文件（其他格式、备份）", stats.skipped),
        ("有错误的单位", stats.with_errors),
        ("没有任何问题的单位", stats.without_findings),
        ("年度：单位数", "、".join(f"{year}：{n}" for year, n in stats.years.items()) or "—"),
    ]
    return lines


def warnings(stats: Statistics) -> list[str]:
    """Return what a reviewer must know before reading the figures: mixed years, duplicate units."""
    found = []
    if stats.mixed_years:
        years = "、".join(f"{year} 年度 {n} 个" for year, n in stats.years.items())
        found.append(f"各单位的年度不一致（{years}），统计混合了不同年度")
    for d in stats.duplicates:
        found.append(
            f"{d.file} 与 {d.first} 是同一单位（{d.unit}）、同一年度（{d.year or '未填'}）的重复提交"
        )
    return found


def _statistics_sheet(book: Any, styles: _Styles, stats: Statistics) -> None:
    s = _Stats(book, styles)
    s.line("概况", style=styles.title)
    for label, value in _overview(stats):
        s.line(label, value)
    found = warnings(stats)
    for text in found[:SHOWN_WARNINGS]:
        s.line(f"注意：{text}", style=styles.warn)
    if len(found) > SHOWN_WARNINGS:
        s.line(f"注意：另有 {len(found) - SHOWN_WARNINGS} 处重复提交，见“汇总”表的备注列", style=styles.warn)
    s.gap()

    top = s.row + 1
    header, last = s.table(
        "等级分布",
        ("等级", "单位（附件1-2）", "项目（附件1-3）"),
        [(g, u, p) for g, (u, p) in stats.grades.items()],
    )
    s.chart("col", "等级分布", (2, 3, header, last), f"D{top}", (7, 14))
    s.gap(top + CHART_ROWS)
    s.page()

    top = s.row + 1
    header, last = s.table(
        "执行率分布",
        ("执行率", "单位（附件1-2）", "项目（附件1-3）"),
        [(b, u, p) for b, (u, p) in stats.bands.items()],
    )
    s.chart("col", "执行率分布", (2, 3, header, last), f"D{top}", (7, 14))
    s.gap(top + CHART_ROWS)

    s.table(
        "按主管部门",
        ("主管部门", "单位数", "项目数", "单位平均总分", "有错误的单位", "等级（单位数）"),
        [
            (
                d.name,
                d.units,
                d.projects,
                d.mean_total,
                d.with_errors,
                "，".join(f"{g} {n}" for g, n in d.grades.items()),
            )
            for d in stats.departments
        ],
    )
    s.gap()

    s.page()
    serious = [r for r in stats.rules if r.severity != "info"]
    shown = min(len(serious), TOP_RULES)
    s.line(f"最常见的问题（错误和警告，前 {TOP_RULES} 条，按涉及文件数）", style=styles.title)
    chart_top = s.row + 1
    if shown:
        s.gap(chart_top + max(8, shown * 6 // 5 + 4))
    header, _ = s.table(
        "各规则的问题数",
        ("问题", "规则", "严重程度", "次数", "涉及文件数", "示例"),
        [
            (r.title, r.rule, SEVERITY_LABEL.get(r.severity, r.severity), r.count, r.files, r.example)
            for r in stats.rules
        ],
    )
    if shown:
        height = max(6.0, shown * 0.8 + 2)
        s.chart("bar", "最常见的问题", (5, 5, header, header + shown), f"A{chart_top}", (height, 24))
    s.gap()
    s.page()

    s.table(
        f"执行率低于 {LOW_EXECUTION * 100:.0f}% 的单位",
        ("单位", "文件", "执行率"),
        [(item.unit, item.file, item.rate_text) for item in stats.low_execution] or [("（无）",)],
    )
