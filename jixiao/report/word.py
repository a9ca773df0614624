"""The Word (.docx) export in the GB/T 9704-2012 公文 layout, with 附件1-1/1-2/1-3 as Word tables.

A4; margins 37/35/28/26 mm; title 方正小标宋简体 二号; body 仿宋_GB2312 三号 on a grid of 22 lines of
28 characters; 一级 headings 黑体, 二级 楷体_GB2312, 三级 仿宋 bold; page numbers “— 1 —” in the
footer, odd pages right and even pages left. East-Asian font names are written to ``w:eastAsia``
so Word uses them for Chinese text.
The page and font settings live in ``data/page_style.toml``.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jixiao.fileio import write_bytes_atomic
from jixiao.report.document import MARK, TITLE_BREAK, Block, ReportDocument, plain
from jixiao.report.tables import Grid
from jixiao.resources import load_data


@cache
def page_style() -> dict:
    """Return the page, font and table settings of the Word export (``data/page_style.toml``)."""
    return load_data("page_style.toml", "jixiao.report")


def _set_fonts(rpr_owner, font: str, size: float | None = None, bold: bool | None = None) -> None:
    """Give a run or style the font ``font`` for Latin and East-Asian text (w:eastAsia)."""
    rpr = rpr_owner._element.get_or_add_rPr() if hasattr(rpr_owner, "_element") else rpr_owner
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    if size is not None:
        _set_val(rpr, ("w:sz", "w:szCs"), str(int(size * 2)))
    if bold is not None:
        _set_val(rpr, ("w:b", "w:bCs"), "1" if bold else "0")


def _set_val(rpr, tags: tuple[str, ...], value: str) -> None:
    """Set ``w:val`` of each child ``tags`` of ``rpr``, adding the children that are missing."""
    for tag in tags:
        element = rpr.find(qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(qn("w:val"), value)


def _run(paragraph, text: str, font: str, size: float, bold: bool = False):
    run = paragraph.add_run(text)
    _set_fonts(run._element.get_or_add_rPr(), font, size, bold)
    return run


def _marked(paragraph, text: str, font: str, size: float, highlight: str) -> None:
    """Add ``text``, each 【请核实：…】 / 【请填写：…】 mark in it highlighted (it must be resolved)."""
    start = 0
    for match in MARK.finditer(text):
        if match.start() > start:
            _run(paragraph, text[start : match.start()], font, size)
        run = _run(paragraph, match.group(0), font, size)
        mark = OxmlElement("w:highlight")
        mark.set(qn("w:val"), highlight)
        run._element.get_or_add_rPr().append(mark)
        start = match.end()
    if start < len(text) or not text:
        _run(paragraph, text[start:], font, size)


def _lines(paragraph, text: str, font: str, size: float) -> None:
    """Add ``text`` with a line break at every TITLE_BREAK (the template's chosen break points)."""
    for index, part in enumerate(text.split(TITLE_BREAK)):
        run = _run(paragraph, part, font, size)
        if index:
            run._element.addprevious(_break_run(font, size))


def _break_run(font: str, size: float):
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    run.append(rpr)
    _set_fonts(rpr, font, size)
    run.append(OxmlElement("w:br"))
    return run


def _paragraph_format(paragraph, *, indent_chars: int = 0, align=None, exact: float | None = None) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if exact is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(exact)
    if align is not None:
        fmt.alignment = align
    if indent_chars:
        body = page_style()["body"]
        fmt.first_line_indent = Pt(body["size"] * indent_chars)
        ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:firstLineChars"), str(indent_chars * 100))


def _outline(paragraph, level: int) -> None:
    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    paragraph._p.get_or_add_pPr().append(element)


def _setup_page(section) -> None:
    page = page_style()["page"]
    section.page_width, section.page_height = Mm(page["width"]), Mm(page["height"])
    section.top_margin, section.bottom_margin = Mm(page["top"]), Mm(page["bottom"])
    section.left_margin, section.right_margin = Mm(page["left"]), Mm(page["right"])
    section.footer_distance = Mm(page["footer"])
    section.header_distance = Mm(page["header"])
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), page["grid_type"])
    grid.set(qn("w:linePitch"), str(page["line_pitch_twips"]))
    grid.set(qn("w:charSpace"), str(page["char_space"]))


def _page_number_footer(section) -> None:
    """Put “— N —” in the section's footers: odd pages right, even pages left, one character in
    from the edge of the text area (GB/T 9704-2012 §7.5; the document sets evenAndOddHeaders)."""
    spec = page_style()["page_number"]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
        indent = Pt(spec["size"] * spec["indent_chars"])
        if align == "right":
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        _page_number_field(paragraph, spec)


def _page_number_field(paragraph, spec: dict) -> None:
    """Append “— PAGE —” (a PAGE field between two 一字线) to ``paragraph``."""
    _run(paragraph, "— ", spec["font"], spec["size"])
    run = _run(paragraph, "", spec["font"], spec["size"])
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._element.append(element)
    _run(paragraph, " —", spec["font"], spec["size"])


def _page_number_start(section, start: int) -> None:
    element = section._sectPr.find(qn("w:pgNumType"))
    if element is None:
        element = OxmlElement("w:pgNumType")
        section._sectPr.append(element)
    element.set(qn("w:start"), str(start))


def _default_style(document) -> None:
    body = page_style()["body"]
    style = document.styles["Normal"]
    _set_fonts(style.element.get_or_add_rPr(), body["font"], body["size"])
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = Pt(body["line_exact"])
    # w:overflowPunct: see data/page_style.toml — Word's own default, written out because LibreOffice
    # (7.4) reads it inverted: absent or 0 it hangs line-end punctuation and a justified line then
    # loses the hung mark from the PDF, text layer included
    ppr = style.element.get_or_add_pPr()
    punct = OxmlElement("w:overflowPunct")
    punct.set(qn("w:val"), str(page_style()["page"]["overflow_punct"]))
    ppr.insert(0, punct)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(page_style()["page"]["body_char_spacing_twentieths"]))
    style.element.get_or_add_rPr().append(spacing)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    style.element.get_or_add_rPr().append(lang)


def _cover(document, doc: ReportDocument) -> None:
    spec = page_style()
    blank = spec["cover"]["blank_lines_before_title"]
    for _ in range(blank):
        _paragraph_format(document.add_paragraph(), exact=spec["body"]["line_exact"])
    title = document.add_paragraph()
    _paragraph_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, exact=spec["cover"]["title_line"])
    _no_grid_snap(title)
    _lines(title, doc.cover_title, spec["title"]["font"], spec["cover"]["title_size"])
    for _ in range(spec["cover"]["blank_lines_after_title"]):
        _paragraph_format(document.add_paragraph(), exact=spec["body"]["line_exact"])
    for text in (doc.cover_unit, doc.cover_date):
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, exact=spec["cover"]["info_line"])
        _run(paragraph, text, spec["body"]["font"], spec["cover"]["info_size"])
    for _ in range(spec["cover"]["blank_lines_before_note"]):
        _paragraph_format(document.add_paragraph(), exact=spec["body"]["line_exact"])
    note = document.add_paragraph()
    _paragraph_format(note, align=WD_ALIGN_PARAGRAPH.CENTER, exact=spec["body"]["line_exact"])
    _run(note, doc.cover_note, spec["body"]["font"], spec["body"]["size"])


def _block(document, block: Block, doc: ReportDocument) -> None:
    spec = page_style()
    body = spec["body"]
    paragraph = document.add_paragraph()
    if block.kind == "title":
        _paragraph_format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, exact=spec["title"]["line_exact"])
        _no_grid_snap(paragraph)
        _lines(paragraph, doc.title, spec["title"]["font"], spec["title"]["size"])
        # one blank line between the title and the text, as the standard shows
        _paragraph_format(document.add_paragraph(), exact=body["line_exact"])
        return
    if block.kind == "attachment":
        first = block.text.startswith("附件")
        _paragraph_format(paragraph, exact=body["line_exact"], align=WD_ALIGN_PARAGRAPH.LEFT)
        fmt = paragraph.paragraph_format
        # 附件说明: indented two characters; later lines align after “附件：”
        fmt.left_indent = Pt(body["size"] * (2 if first else 5))
        if first:
            fmt.space_before = Pt(body["line_exact"])
        fmt.keep_with_next = True  # the 附件 list and the signature never part across a page
        _run(paragraph, block.text, body["font"], body["size"])
        return
    if block.kind in ("sign_unit", "sign_date"):
        _paragraph_format(paragraph, exact=body["line_exact"], align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(body["size"] * 4)
        if block.kind == "sign_unit":
            paragraph.paragraph_format.space_before = Pt(body["line_exact"] * 2)
            paragraph.paragraph_format.keep_with_next = True  # the date stays under the unit
        _run(paragraph, block.text, body["font"], body["size"])
        return
    style = spec["headings"].get(block.kind)
    _paragraph_format(paragraph, indent_chars=2, exact=body["line_exact"], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    if style is None:
        _marked(paragraph, block.text, body["font"], body["size"], spec["mark"]["highlight"])
        return
    _outline(paragraph, style["outline"])
    paragraph.paragraph_format.keep_with_next = True
    _run(paragraph, block.text, style["font"], body["size"], bold=style.get("bold", False))


def _cell_text(cell, text: str, align: str, bold: bool) -> None:
    spec = page_style()["table"]
    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(spec["cell_line"])
    fmt.first_line_indent = Pt(0)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if align == "left" else WD_ALIGN_PARAGRAPH.CENTER
    if text:
        _run(paragraph, text, spec["font"], spec["size"], bold=bold)


def _no_grid_snap(paragraph) -> None:
    element = OxmlElement("w:snapToGrid")
    element.set(qn("w:val"), "0")
    paragraph._p.get_or_add_pPr().append(element)


def add_grid(document, grid: Grid, first: bool = False) -> None:
    """Append one 附件 table: the caption, its title, the table and the lines under it."""
    spec = page_style()
    body, table_spec = spec["body"], spec["table"]
    caption = document.add_paragraph()
    _paragraph_format(caption, exact=body["line_exact"])
    if not first:
        caption.paragraph_format.page_break_before = True
    _run(caption, grid.caption, spec["headings"]["heading1"]["font"], body["size"])
    title = document.add_paragraph()
    _paragraph_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, exact=table_spec["title_line"])
    _run(title, grid.title, spec["title"]["font"], table_spec["title_size"])
    table = document.add_table(rows=grid.rows, cols=grid.cols)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for index, column in enumerate(table.columns):
        column.width = Mm(grid.widths[index])
    tbl_pr = table._tbl.tblPr
    layout_element = OxmlElement("w:tblLayout")
    layout_element.set(qn("w:type"), "fixed")
    tbl_pr.append(layout_element)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(table_spec["cell_margin_twips"]))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Mm(grid.widths[index])
    for cell_spec in grid.cells:
        cell = table.cell(cell_spec.row, cell_spec.col)
        if cell_spec.rowspan > 1 or cell_spec.colspan > 1:
            other = table.cell(cell_spec.row + cell_spec.rowspan - 1, cell_spec.col + cell_spec.colspan - 1)
            cell = cell.merge(other)
        _cell_text(cell, cell_spec.text, cell_spec.align, cell_spec.bold)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                _no_grid_snap(paragraph)
    for note in grid.notes:
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, exact=table_spec["note_line"])
        _no_grid_snap(paragraph)
        _run(paragraph, note, table_spec["font"], table_spec["size"])


def build_docx(doc: ReportDocument, grids: list[Grid] | None = None):
    """Return a python-docx Document of the report (cover, body, then the 附件 tables)."""
    document = Document()
    _default_style(document)
    cover = document.sections[0]
    _setup_page(cover)
    _cover(document, doc)
    body = document.add_section(WD_SECTION.NEW_PAGE)
    _setup_page(body)
    _page_number_footer(body)
    _page_number_start(body, 1)
    cover.footer.is_linked_to_previous = False
    for block in doc.blocks():
        _block(document, block, doc)
    for index, grid in enumerate(grids or []):
        if index == 0:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        add_grid(document, grid, first=index == 0)
    document.settings.odd_and_even_pages_header_footer = True
    _properties(document, doc)
    return document


def _properties(document, doc: ReportDocument) -> None:
    """Set the document properties: title, the unit as author (blank when unknown), created and
    modified now (not the date of python-docx's template), no comments or keywords."""
    props = document.core_properties
    now = datetime.now(timezone.utc).replace(microsecond=0, tzinfo=None)
    props.title = plain(doc.title)
    props.author = props.last_modified_by = doc.sign_unit or ""
    props.created = props.modified = now
    props.revision = 1
    props.comments = props.keywords = props.subject = props.category = ""


def write_docx(doc: ReportDocument, path: Path, grids: list[Grid] | None = None) -> Path:
    """Write the report to ``path`` (.docx) atomically and return the path."""
    buffer = io.BytesIO()
    build_docx(doc, grids).save(buffer)
    return write_bytes_atomic(Path(path), buffer.getvalue(), mark=True)
