"""The summary workbook of a batch: 汇总, 问题清单, 统计 (with charts) and 无法读取 sheets."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jixiao.batch.digest import BatchResult
from jixiao.batch.rows import (
    FINDING_HEADERS,
    LOW_EXECUTION,
    ROW_FORMATS,
    ROW_HEADERS,
    UNREADABLE_HEADERS,
    Statistics,
    finding_rows,
    statistics,
    table_rows,
    unreadable_rows,
)
from jixiao.fileio import write_bytes_atomic
from jixiao.findings import SEVERITY_LABEL
from jixiao.safety import WORKBOOK_SUFFIXES
from jixiao.textsafe import put_text


def _sheet(
    book: Any, title: str, headers: Iterable[str], rows: Iterable[list[object]], widths: list[int]
) -> Any:
    """Return a new list sheet: bold header, filters, frozen header row, its widest column wrapped."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            put_text(sheet.cell(r, c), value)  # a file or unit named '=…' stays text
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    wide = widths.index(max(widths)) + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=wide, max_col=wide):
        cell.alignment = wrap
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    _print_setup(sheet)
    sheet.print_title_rows = "1:1"
    return sheet


def _print_setup(sheet: Any) -> None:
    """Print ``sheet`` on A4 landscape, all columns on one page width."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


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


SUMMARY_KIND = "batch"  # the kind of jixiao's stamp on a summary (a workbook, but no filing)


def write_summary(batch: BatchResult, path: str | Path) -> None:
    """Write the summary workbook (汇总, 问题清单, 统计 with charts, 无法读取) to ``path`` atomically."""
    path = Path(path)
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    summary = _sheet(
        book, "汇总", ROW_HEADERS, table_rows(batch), [14, 6, 22, 26, 11, 12, 12, 9, 9, 8, 8, 6, 6, 6, 6, 60]
    )
    for column, number_format in ROW_FORMATS.items():
        for (cell,) in summary.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    findings = finding_rows(batch)
    issues = _sheet(book, "问题清单", FINDING_HEADERS, findings, [14, 22, 8, 24, 6, 11, 8, 24, 70, 12, 12])
    paths = {o.file: o.path for o in batch.outcomes if o.readable}
    for index, row in enumerate(findings, start=2):  # links made from the rows, not read back from cells
        file, sheet, cell = str(row[0]), str(row[5]), str(row[6])
        link = _link(paths[file], path, sheet, cell) if sheet and cell else None
        if link:
            address = issues.cell(index, 7)
            address.hyperlink = link
            address.style = "Hyperlink"
    _statistics_sheet(book, statistics(batch))
    _sheet(book, "无法读取", UNREADABLE_HEADERS, unreadable_rows(batch), [40, 80])
    buffer = io.BytesIO()  # saved in memory: a full disk fails in jixiao's own write, in one line
    book.save(buffer)
    write_bytes_atomic(path, buffer.getvalue(), mark=SUMMARY_KIND)


def _statistics_sheet(book: Any, stats: Statistics) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    sheet = book.create_sheet("统计", 2)
    bold = Font(bold=True)

    def title(row: int, text: str) -> None:
        sheet.cell(row, 1, text).font = Font(bold=True, size=12)

    title(1, "概况")
    overview = (
        ("文件总数", stats.files),
        ("已读取的单位", stats.read),
        ("无法读取的文件", stats.unreadable),
        ("已跳过的文件（其他格式、备份）", stats.skipped),
        ("有错误的单位", stats.with_errors),
        ("没有任何问题的单位", stats.without_findings),
    )
    for i, (label, value) in enumerate(overview, start=2):
        sheet.cell(i, 1, label)
        sheet.cell(i, 2, value)

    title(8, "等级分布")
    for col, header in enumerate(("等级", "单位（附件1-2）", "项目（附件1-3）"), start=1):
        sheet.cell(9, col, header).font = bold
    for i, (grade, (units, projects)) in enumerate(stats.grades.items(), start=10):
        sheet.cell(i, 1, grade)
        sheet.cell(i, 2, units)
        sheet.cell(i, 3, projects)
    last = 9 + len(stats.grades)
    chart = BarChart()
    chart.type = "col"
    chart.title = "等级分布"
    chart.y_axis.title = "个数"
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=9, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=10, max_row=last))
    chart.height, chart.width = 7.5, 13
    sheet.add_chart(chart, "F1")

    row = 15
    title(row, "最常见的问题")
    for col, header in enumerate(("规则", "严重程度", "次数", "涉及文件数", "示例"), start=1):
        sheet.cell(row + 1, col, header).font = bold
    top = stats.rules
    for i, item in enumerate(top, start=row + 2):
        sheet.cell(i, 1, item.rule)
        sheet.cell(i, 2, SEVERITY_LABEL.get(item.severity, item.severity))
        sheet.cell(i, 3, item.count)
        sheet.cell(i, 4, item.files)
        put_text(sheet.cell(i, 5), item.example)
    if top:
        shown = min(len(top), 10)
        rules_chart = BarChart()
        rules_chart.type = "bar"
        rules_chart.title = "最常见的问题（前 10 条规则）"
        rules_chart.add_data(
            Reference(sheet, min_col=4, min_row=row + 1, max_row=row + 1 + shown), titles_from_data=True
        )
        rules_chart.set_categories(Reference(sheet, min_col=1, min_row=row + 2, max_row=row + 1 + shown))
        rules_chart.legend = None
        rules_chart.height, rules_chart.width = 9, 13
        sheet.add_chart(rules_chart, "F17")

    row = row + 3 + max(len(top), 10)
    title(row, f"执行率低于 {LOW_EXECUTION * 100:.0f}% 的单位")
    for col, header in enumerate(("单位", "文件", "执行率"), start=1):
        sheet.cell(row + 1, col, header).font = bold
    for i, item in enumerate(stats.low_execution, start=row + 2):
        put_text(sheet.cell(i, 1), item.unit)
        put_text(sheet.cell(i, 2), item.file)
        sheet.cell(i, 3, item.rate_text)
    if not stats.low_execution:
        sheet.cell(row + 2, 1, "（无）")
    for letter, width in zip("ABCDE", (30, 18, 10, 12, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    _print_setup(sheet)
