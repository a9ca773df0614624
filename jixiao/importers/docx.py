"""The tables of a Word report (.docx) as grids: each table with the paragraphs printed before it.

A report's appended 附件1-1 / 1-2 / 1-3 are Word tables; merged cells come back in every cell
they cover (python-docx resolves both spans and vertical merges), which is the carry-forward the
importers expect. The narrative itself is the figure check's to read (``jixiao.report.figures``).
"""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import InputError
from jixiao.importers.grid import Grid
from jixiao.safety import inspect_report

_TITLE_PARAGRAPHS = 3  # the caption, the title and a unit line at most


def docx_grids(path: str | Path) -> list[Grid]:
    """Return one grid per table of the .docx ``path``, in document order; raise InputError if unreadable."""
    path = Path(path)
    inspect_report(path)  # zip and XML limits before python-docx parses anything
    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = Document(str(path))
        grids: list[Grid] = []
        before: list[str] = []
        for child in document.element.body.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                line = Paragraph(child, document).text.strip()
                if line:
                    before = [*before, line][-_TITLE_PARAGRAPHS:]
            elif tag == "tbl":
                table = Table(child, document)
                rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
                grids.append(Grid(rows, sheet=None, number=len(grids) + 1, title=before))
                before = []
    except InputError:
        raise
    except Exception as exc:  # a damaged file: python-docx raises many kinds
        raise InputError(f"无法读取 Word 文档中的表格（{type(exc).__name__}）", place=str(path)) from None
    return grids
