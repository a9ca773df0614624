"""The 自评报告 sheet: the generated report, one block per row, styled and ready for A4.

The report comes from :func:`jixiao.report.narrative.build_report` as blocks (title, headings,
paragraphs, attachment and signature lines). The sheet keeps a stamp (a hash of the text jixiao
wrote) in a hidden column; when the text on the sheet no longer matches the stamp, a person edited
the report, and their text is kept as a dated copy sheet before the new report is written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.errors import InputError
from jixiao.textsafe import put_text
from jixiao.workbook import SUFFIXES, styles
from jixiao.workbook.cells import Cells
from jixiao.workbook.layout import layout, name, sheet_names

PLACEHOLDER_MARK = "生成报告"  # the builder's placeholder text names the button
STAMP_NAME = "REPORT_STAMP"
# headings stay with their text; the 附件 list and the signature stay together
KEEP_WITH_NEXT = ("title", "heading1", "heading2", "heading3", "attachment", "sign_unit")
FOOTER = "第 &P 页，共 &N 页"  # the centre of the footer (Excel's &P page, &N pages)


def spec() -> dict[str, Any]:
    """Return the layout data of the 自评报告 sheet."""
    return layout()["report_sheet"]


def _blocks(document: Any) -> list[tuple[str, str]]:
    """Return (kind, cell text) of every block of ``document``, paragraphs indented."""
    kinds = spec()["kind"]
    rows = []
    for block in document.blocks():
        style = kinds.get(block.kind, kinds["paragraph"])
        text = block.text.strip()
        rows.append((block.kind, spec()["indent"] + text if style["indent"] else text))
    return rows


def stamp(texts: Iterable[str]) -> str:
    """Return the stamp of the report texts: a short SHA-256 of the lines."""
    return hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:32]


# ------------------------------------------------------------------ reading the sheet


def body_of(wb: Any) -> tuple[Worksheet, int] | None:
    """Return the report sheet and the row of its body anchor (JX_REPORT_BODY), or None."""
    place = Cells(wb).place(name("REPORT_BODY"))
    if place is not None:
        return place.ws, place.row
    title = sheet_names()["report"]
    if title in wb.sheetnames:
        return wb[title], 2
    return None


def report_sheet_of(wb: Any) -> tuple[Worksheet, int]:
    """Return the report sheet and its body row; raise InputError when the workbook has none."""
    found = body_of(wb)
    if found is None:
        raise InputError(f"工作簿中没有“{sheet_names()['report']}”工作表；请用 jixiao new 重新生成工作簿")
    return found


def _title_row(body_row: int) -> int:
    return body_row - 1 if body_row > 1 else body_row


def sheet_texts(ws: Worksheet, body_row: int) -> list[str]:
    """Return the texts of column A from the title row down (formulas and empty cells skipped)."""
    texts = []
    for row in range(_title_row(body_row), ws.max_row + 1):
        cell = ws.cell(row, 1)
        value = cell.value
        if value is None or cell.data_type == "f" or (isinstance(value, str) and not value.strip()):
            continue
        texts.append(str(value))
    return texts


def edited(ws: Worksheet, body_row: int) -> bool:
    """Return True when the sheet holds text jixiao did not write (a person's edits)."""
    texts = sheet_texts(ws, body_row)
    recorded = ws[f"{spec()['stamp_column']}1"].value
    if recorded:
        return stamp(texts) != recorded
    return any(PLACEHOLDER_MARK not in t for t in texts)


# ------------------------------------------------------------------ the layout of the text


@dataclass(frozen=True)
class ReportRow:
    """One block of the report on its row: the text, its style (``[report_sheet.kind]``) and height."""

    row: int
    text: str
    style: dict[str, Any]
    height: float


@dataclass(frozen=True)
class ReportLayout:
    """Where the report goes: rows cleared from ``clear_from`` down, its rows, the rows a page
    breaks after, the stamp of the texts and the last row of the print area."""

    clear_from: int
    rows: list[ReportRow]
    breaks: list[int]
    stamp: str
    last: int


_SENTENCE_END = re.compile(r"(?<=[。；！？])")


def pieces(text: str, size: float) -> list[str]:
    """Return ``text`` cut after sentence ends into pieces of at most ``max_lines`` wrapped lines.

    A page then breaks between pieces rather than before a whole long paragraph (which left half a
    page blank); the pieces joined give ``text`` back. A sentence longer than that stays whole.
    """
    s = spec()
    out: list[str] = []
    for sentence in (part for part in _SENTENCE_END.split(text) if part):
        if out and _lines(out[-1] + sentence, size, s["width"]) <= s["max_lines"]:
            out[-1] += sentence
        else:
            out.append(sentence)
    return out or [text]


def report_layout(document: Any, body_row: int) -> ReportLayout:
    """Return the layout of ``document`` on a report sheet whose body starts at ``body_row``."""
    s = spec()
    clear_from = first = _title_row(body_row)
    blocks = _blocks(document)
    if blocks and blocks[0][0] != "title":
        first = body_row
    rows: list[ReportRow] = []
    kinds: list[str] = []
    for kind, text in blocks:
        style = s["kind"].get(kind, s["kind"]["paragraph"])
        for k, piece in enumerate(pieces(text, style["size"]) if kind == "paragraph" else [text]):
            lines = _lines(piece, style["size"], s["width"])
            height = lines * style["size"] * s["line_factor"] + (style["before"] if k == 0 else 0)
            rows.append(ReportRow(first + len(rows), piece, style, min(409, round(height, 1))))
            kinds.append(kind)
    breaks = page_breaks(first, kinds, [r.height for r in rows])
    last = max(first + len(rows) - 1, first)
    return ReportLayout(clear_from, rows, breaks, stamp(r.text for r in rows), last)


def page_breaks(first: int, kinds: list[str], heights: list[float]) -> list[int]:
    """Return the rows after which a page breaks, by the estimated heights; a heading never ends a page."""
    page = spec()["page_height"]
    breaks, used = [], 0.0
    for i, height in enumerate(heights):
        following, j = 0.0, i
        while j + 1 < len(heights) and kinds[j] in KEEP_WITH_NEXT:  # headings stay with their text
            j += 1
            following += heights[j]
        if used and used + height + following > page:
            breaks.append(first + i - 1)
            used = 0.0
        used += height
    return breaks


def copy_title(titles: list[str], title: str, now: datetime) -> str:
    """Return the name of the dated copy of the sheet ``title``: '自评报告(YYYY-MM-DD HHMM)', unique."""
    s = spec()
    base = s["copy_format"].format(title=title, stamp=now.strftime(s["copy_stamp"]))[:31]
    name_, counter = base, 2
    while name_ in titles:
        name_ = f"{base[:28]}-{counter}"
        counter += 1
    return name_


# ------------------------------------------------------------------ writing (openpyxl)


def _copy_sheet(wb: Any, ws: Worksheet, now: datetime) -> Worksheet:
    """Return a copy of ``ws`` named '自评报告(YYYY-MM-DD HHMM)', placed right after it."""
    title = copy_title(wb.sheetnames, ws.title, now)
    copy = wb.copy_worksheet(ws)
    copy.title = title
    copy.sheet_properties.tabColor = "BFBFBF"
    wb.move_sheet(copy, offset=wb.sheetnames.index(ws.title) + 1 - wb.sheetnames.index(copy.title))
    copy.protection.sheet = False
    return copy


def _lines(text: str, size: float, width: float) -> int:
    """Return how many lines ``text`` wraps to in a column ``width`` units wide at font ``size``."""
    per_line = max(1.0, width - 1)
    scale = size / 10.5 * spec()["char_scale"]
    return sum(max(1, -(-int(styles.text_width(part) * scale) // int(per_line))) for part in text.split("\n"))


def fill_report_sheet(wb: Any, document: Any, now: datetime | None = None) -> Worksheet | None:
    """Write ``document`` into the 自评报告 sheet of ``wb``; return the dated copy kept, if any.

    Output cells only: column A of the sheet from the title row down, and the stamp. When the
    sheet's text differs from what jixiao wrote last, it is first copied to a dated sheet.
    """
    ws, body_row = report_sheet_of(wb)
    s = spec()
    kept = _copy_sheet(wb, ws, now or datetime.now()) if edited(ws, body_row) else None
    layout = report_layout(document, body_row)
    for row in range(layout.clear_from, max(ws.max_row, layout.clear_from) + 1):
        cell = ws.cell(row, 1)
        cell.value = None
        ws.row_dimensions[row].height = None
    ws.row_breaks = RowBreak()
    ws.column_dimensions["A"].width = s["width"]
    column = s["stamp_column"]
    ws.column_dimensions[column].hidden = True
    for item in layout.rows:
        style = item.style
        cell = ws.cell(item.row, 1)
        put_text(cell, item.text)  # prose that starts with = + - @ stays text
        cell.font = Font(name=style["font"], size=style["size"], bold=style["bold"])
        cell.alignment = Alignment(
            horizontal=style["horizontal"], vertical=style.get("vertical", "bottom"), wrap_text=True
        )
        cell.protection = styles.LOCKED
        cell.border = styles.NO_BORDER
        cell.fill = styles.NO_FILL
        ws.row_dimensions[item.row].height = item.height
    for row in layout.breaks:
        ws.row_breaks.append(Break(id=row))
    ws[f"{column}1"].value = layout.stamp
    ws[f"{column}1"].protection = styles.LOCKED
    _page_setup(ws, layout.last)
    return kept


def _page_setup(ws: Worksheet, last: int) -> None:
    margins = spec()["margins"]
    ws.print_area = f"A1:A{last}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    for side in ("top", "bottom", "left", "right"):
        setattr(ws.page_margins, side, margins[side])
    ws.oddFooter.center.text = FOOTER
    ws.sheet_view.showGridLines = False


# ------------------------------------------------------------------ the file (jixiao report --format xlsx)


def report_document(result: Any, public: bool = False) -> Any:
    """Return the report document of ``result`` (the 公开版 when ``public``)."""
    from jixiao.report.export import report_parts

    return report_parts(result, public=public)[0]


def write_report_workbook(
    result: Any,
    document: Any,
    out_path: Path,
    public: bool = False,
    force: bool = False,
    keep: int | None = None,
) -> Path:
    """Write the workbook of ``result`` with its 自评报告 sheet holding ``document`` to ``out_path``.

    The workbook is ``result.source`` when that is a workbook: its scores, findings and the sheet
    are written surgically, every other part kept byte for byte (as ``jixiao score`` does); writing
    over the source keeps a dated backup first, and the output has the source's package type
    (.xlsm for .xlsm). From a data file the workbook is built with openpyxl. The 公开版
    (``public``) is that workbook redacted in its package (:func:`~jixiao.workbook.public.public_package`),
    always a new file. ``force`` is not needed by either.
    """
    import io

    from jixiao.fileio import write_bytes_atomic
    from jixiao.outputs import same_file, same_package_type
    from jixiao.workbook.builder import build_workbook
    from jixiao.workbook.writer import fill_workbook, result_package, write_result

    out_path = Path(out_path)
    source = Path(result.source) if result.source else None
    is_workbook = source is not None and source.suffix.lower() in SUFFIXES and source.is_file()
    in_place = is_workbook and out_path.exists() and same_file(source, out_path)
    if public and in_place:
        raise InputError("公开版会删去工作簿中的姓名和电话，不能写回原工作簿；请用 -o 指定另一个文件")
    if is_workbook:
        same_package_type(source, out_path)
        if not public:
            return write_result(source, out_path, result, report=document, keep=keep, mark=not in_place)
        data = result_package(source, result, report=document)
    else:
        wb = build_workbook(result.filing)
        fill_workbook(wb, result)
        fill_report_sheet(wb, document)
        buffer = io.BytesIO()
        wb.save(buffer)
        data = buffer.getvalue()
    if public:
        from jixiao.report.redact import redactor_for
        from jixiao.workbook.public import public_package

        data = public_package(data, redactor_for(result.filing), str(out_path))
    return write_bytes_atomic(out_path, data, keep=keep, mark=not in_place)
