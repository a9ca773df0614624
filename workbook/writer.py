"""The writer: scores, explanations and findings into a workbook's output cells only.

Input cells keep their values; the problem cells a finding points at are tinted and get a
comment by "jixiao" (both removed again on the next run). Files are written through a temporary
file and a rename; writing in place keeps a dated backup ``<name>.bak-YYYYMMDD-HHMMSS.xlsx`` first.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.errors import InputError
from jixiao.fileio import atomic_path, keep_backup
from jixiao.findings import SEVERITY_LABEL, Finding
from jixiao.numbers import fmt
from jixiao.scoring import TableScore
from jixiao.textsafe import put_text
from jixiao.workbook import Opened, styles
from jixiao.workbook.builder import FINDINGS_HEADER
from jixiao.workbook.cells import Cells
from jixiao.workbook.layout import layout, name, sheet_names, table_prefix
from jixiao.workbook.sheet import quote_sheet

AUTHOR = "jixiao"


def write_result(source: Path, destination: Path, result: Any, opened: Opened | None = None) -> Path:
    """Write ``result`` (a pipeline Result read from ``source``) into ``destination``; return it.

    ``opened`` is ``source`` as the reader loaded it (``Loaded.book``); it is used when the file is
    unchanged since, else the file is opened again.
    """
    source, destination = Path(source), Path(destination)
    keep_vba = source.suffix.lower() == ".xlsm"
    wb = opened.still(source) if opened is not None else None
    if wb is None:
        wb = reopen(source, keep_vba)
    fill_workbook(wb, result)
    return save_over(wb, source, destination, keep_vba)


def reopen(source: Path, keep_vba: bool = False) -> Any:
    """Return the workbook ``source`` opened again for writing (its macros kept with ``keep_vba``)."""
    try:
        return load_workbook(source, keep_vba=keep_vba)
    except Exception as exc:  # the reader accepted it a moment ago; the file changed under us
        raise InputError(f"无法重新打开工作簿（{type(exc).__name__}）", place=str(source)) from None


def save_over(wb: Any, source: Path | None, destination: Path, keep_vba: bool = False) -> Path:
    """Save ``wb`` (read from ``source``) atomically to ``destination``; return it.

    Writing over ``source`` keeps a dated backup first; a macro workbook keeps its ribbon link.
    """
    links = ribbon_links(source) if keep_vba and source is not None else []
    if source is not None and destination.exists() and source.resolve() == destination.resolve():
        keep_backup(source)
    save_atomic(wb, destination)
    if links:
        restore_ribbon_links(destination, links)
    return destination


def fill_workbook(wb: Any, result: Any) -> None:
    """Write the scores and findings of ``result`` into the output cells of ``wb``."""
    cells = Cells(wb)
    scores = result.scores
    places = result.filing.policy.score_places
    _write_table(cells, "t12", scores.department, None, places)
    by_sheet = {table.sheet: table for table in scores.projects}
    for ws in cells.scoped_sheets(name("T13_NAME")):  # a blank (absent) project sheet gets no scores
        _write_table(cells, "t13", by_sheet.get(ws.title), ws, places)
    fill_findings(wb, result.findings)
    wb.calculation.fullCalcOnLoad = True


def fill_findings(wb: Any, findings: list[Finding]) -> None:
    """Write ``findings`` into 校验结果 and mark the problem cells; scores stay as they are."""
    _clear_marks(wb)
    _write_findings(wb, findings)
    _mark_problems(wb, findings)


def _write_table(
    cells: Cells, kind: str, table: TableScore | None, ws: Worksheet | None, places: int
) -> None:
    """Write the scores of ``table`` into its sheet (``kind`` t12 or t13); an absent table (None)
    has its output cells cleared."""
    prefix = table_prefix(kind)
    cols = layout()["evaluation"]["columns"]
    first = cells.place(name(prefix + "IND"), ws)
    total = cells.place(name(prefix + "TOTAL"), ws)
    if first is None or total is None:
        return
    sheet = first.ws
    for row in range(first.row, total.row):  # clear the score column: rows may have become blank
        sheet[f"{cols['score']}{row}"].value = None
        sheet[f"{cols['explanation']}{row}"].value = None
    explanations = [cells.place(name(prefix + key), ws) for key in ("EXEC_EXPLANATION", "TOTAL_EXPLANATION")]
    if table is None:
        for place in explanations:
            if place is not None:
                sheet[place.coordinate].value = None
        return
    for s in table.indicators:
        where = s.indicator.where
        if where is None or "score" not in where.cells or where.sheet != sheet.title:
            continue
        sheet[where.cells["score"]].value = s.score
        put_text(sheet[where.cells["explanation"]], f"{s.mode}：{s.explanation}")
    exec_explanation, total_explanation = explanations
    if exec_explanation is not None:
        sheet[exec_explanation.coordinate].value = f"执行率 {table.exec.rate_text}：{table.exec.explanation}"
    if total_explanation is not None:
        text = f"总分 {fmt(table.total, places)}（{table.grade}）：{table.explanation}"
        sheet[total_explanation.coordinate].value = text


# ------------------------------------------------------------------ 校验结果


def _write_findings(wb: Any, findings: list[Finding]) -> None:
    title = sheet_names()["findings"]
    if title not in wb.sheetnames:
        return
    ws = wb[title]
    for row in ws.iter_rows(min_row=4, max_row=max(ws.max_row, 4)):
        for cell in row:
            cell.value = None
            cell.hyperlink = None
            cell.border = styles.NO_BORDER
            cell.fill = styles.NO_FILL
    summary = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABEL}
    ws["A2"].value = (
        f"共 {len(findings)} 条：{summary['error']} 个错误、{summary['warning']} 个警告、"
        f"{summary['info']} 个提示。点击“位置”跳到对应单元格；改正后重新计算得分。"
        if findings
        else "校验通过，没有发现问题。"
    )
    for i, f in enumerate(findings, start=1):
        row = 3 + i
        place = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or f.field or f.table)
        values = (i, SEVERITY_LABEL[f.severity], f.table, place, f.subject, f.message, f.expected, f.actual)
        for col, value in zip("ABCDEFGH", values, strict=True):
            cell = ws[f"{col}{row}"]
            put_text(cell, value)  # a subject or an actual value such as '=1+1' stays text
            cell.border = styles.GRID
            cell.font = styles.font(10)
            cell.alignment = styles.align("left" if col in "DEF" else "center")
        if f.sheet and f.cell and f.sheet in wb.sheetnames:
            link = ws[f"D{row}"]
            link.hyperlink = Hyperlink(
                ref=f"D{row}", location=f"{quote_sheet(f.sheet)}!{f.cell}", display=place
            )
            link.font = styles.font(10, color="0563C1")
        if f.severity == "error":
            ws[f"B{row}"].fill = styles.PROBLEM_FILL
        styles.fit_row_height(ws, row, last_col=8)
    last = 3 + max(len(findings), 1)
    ws.print_area = f"A1:{chr(ord('A') + len(FINDINGS_HEADER) - 1)}{last}"


# ------------------------------------------------------------------ marks on problem cells


def _data_sheets(wb: Any) -> Iterable[Worksheet]:
    skip = {sheet_names()["findings"], sheet_names()["report"], sheet_names()["guide"]}
    return (ws for ws in wb.worksheets if ws.title not in skip)


def _clear_marks(wb: Any) -> None:
    for ws in _data_sheets(wb):
        for row in ws.iter_rows():
            for cell in row:
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None
                    if cell.fill == styles.PROBLEM_FILL:
                        cell.fill = styles.INPUT_FILL if not cell.protection.locked else styles.NO_FILL


def _mark_problems(wb: Any, findings: list[Finding]) -> None:
    notes: dict[tuple[str, str], list[str]] = {}
    for f in findings:
        if f.sheet and f.cell and f.sheet in wb.sheetnames and f.severity != "info":
            notes.setdefault((f.sheet, f.cell), []).append(f"[{SEVERITY_LABEL[f.severity]}] {f.message}")
    for (sheet, coordinate), messages in notes.items():
        cell = wb[sheet][coordinate]
        if not hasattr(cell, "comment") or type(cell).__name__ == "MergedCell":
            continue
        comment = Comment("\n".join(messages), AUTHOR)
        comment.width, comment.height = 320, min(400, 60 + 40 * len(messages))
        cell.comment = comment
        cell.fill = styles.PROBLEM_FILL


# ------------------------------------------------------------------ files


def save_atomic(wb: Any, destination: Path) -> None:
    """Save ``wb`` to ``destination`` through a temporary file in the same folder and a rename."""
    with atomic_path(destination) as temporary:
        wb.save(temporary)


def ribbon_links(path: Path) -> list[str]:
    """Return the ribbon (customUI) relationships of the package ``path``'s ``_rels/.rels``."""
    with zipfile.ZipFile(path) as z:
        if "_rels/.rels" not in z.namelist():
            return []
        rels = z.read("_rels/.rels").decode("utf-8")
    return re.findall(r"<Relationship [^>]*ui/extensibility[^>]*/>", rels)


def restore_ribbon_links(destination: Path, links: list[str]) -> None:
    """Put ``links`` back into ``destination``'s ``_rels/.rels`` (openpyxl drops them on save)."""
    with zipfile.ZipFile(destination) as zin:
        entries = {item.filename: zin.read(item.filename) for item in zin.infolist()}
    rels = entries.get("_rels/.rels", b"").decode("utf-8")
    missing = [link for link in links if link not in rels]
    if not missing:
        return
    entries["_rels/.rels"] = rels.replace("</Relationships>", "".join(missing) + "</Relationships>").encode()
    with atomic_path(destination) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as zout:
        for filename, data in entries.items():
            zout.writestr(filename, data)
