"""What every sheet of the prepared workbook shares: page setup, protection, title and footer."""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from jixiao.forms import footer_labels, year_parts
from jixiao.workbook import styles
from jixiao.workbook.layout import name
from jixiao.workbook.sheet import SheetWriter


def setup_page(ws: Worksheet, last_col: str, last_row: int, title_rows: str | None = None) -> None:
    """Set the print area, A4 portrait fitted to the width, margins and the page-number footer."""
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.blackAndWhite = True  # the tints guide the typing; the printed form is plain
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = 0.6
    # the footer sits 0.3" from the edge inside a 0.8" margin: LibreOffice crops a footer taller
    # than bottom − footer margin (0.1" before), and Excel would print it over the table
    ws.page_margins.bottom = 0.8
    ws.page_margins.footer = 0.3
    ws.page_margins.header = 0.3
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def protect(ws: Worksheet) -> None:
    """Protect the sheet without a password, still letting the user insert rows and resize."""
    p = ws.protection
    p.sheet = True
    p.insertRows = False
    p.deleteRows = False
    p.formatRows = False
    p.formatColumns = False
    p.formatCells = False
    p.insertHyperlinks = False


def set_widths(ws: Worksheet, widths: dict[str, float]) -> None:
    """Set the width of each column in ``widths``."""
    for col, width in widths.items():
        ws.column_dimensions[col].width = width


def year_text(template: str) -> str:
    """Return a forms text with {year}/{prev} as a formula on JX_YEAR, or the text itself.

    '{year}年度…' → ``=JX_YEAR&"年度…"``; '{prev}年决算数' → ``=(JX_YEAR-1)&"年决算数"``.
    """
    parts = year_parts(template)
    if len(parts) == 1 and parts[0] not in ("{year}", "{prev}"):
        return template
    refs = {"{year}": name("YEAR"), "{prev}": f"({name('YEAR')}-1)"}
    return "=" + "&".join(refs.get(part, f'"{part}"') for part in parts)


def title(w: SheetWriter, caption: str, template: str, last_col: str) -> None:
    """Write the caption (附件1-1) in A1 and the form's title, built on JX_YEAR, across row 2."""
    head = styles.HEADING_FONT
    w.label("A1", caption, horizontal="left", border=False, font_name=head, size=12, wrap=False)
    w.label(
        f"A2:{last_col}2", year_text(template), bold=True, size=16, border=False, font_name=styles.TITLE_FONT
    )
    w.ws.row_dimensions[2].height = 36


def footer(w: SheetWriter, row: int, last_col: str) -> None:
    """Write the signature line (填表人 … 单位负责人签字) on ``row``, filled from 基本信息."""
    refs = (name("SIGN_FILLER"), name("SIGN_DATE"), name("SIGN_PHONE"), name("SIGN_HEAD"))
    parts = [
        f'"{"　　" if i else ""}{label}："&{ref}'
        for i, (label, ref) in enumerate(zip(footer_labels(), refs, strict=True))
    ]
    w.output(f"A{row}:{last_col}{row}", "=" + "&".join(parts), horizontal="left", border=False)
    w.ws.row_dimensions[row].height = 24
