"""``使用说明.pdf`` of the offline bundle: the README's Windows section on one A4 page.

The section between ``<!-- windows -->`` and ``<!-- /windows -->`` of README.md is the one home of
the Windows instructions. It is written in a small Markdown subset — a ``###`` title, paragraphs,
numbered items (``1.``), bullets (``-``), ``**bold**``, ```code```, ``<address>`` and
``[text](target)`` — which is laid out here as a .docx and turned into PDF by LibreOffice.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from jixiao.errors import InputError

START, END = "<!-- windows -->", "<!-- /windows -->"
BODY_FONT, HEADING_FONT, CODE_FONT = "宋体", "黑体", "Consolas"
BODY_SIZE, TITLE_SIZE = 10.5, 16
MARGIN_MM = 16
_ITEM = re.compile(r"^(\d+\.|-)\s+(.*)$")
_INLINE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|`(?P<code>[^`]+)`|<(?P<url>https?://[^>]+)>|\[(?P<link>[^\]]+)\]\([^)]+\)"
)
_WIDE = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’…—]")


@dataclass
class Block:
    """One paragraph of the guide: its kind (title, para, item), the item's mark and the Markdown text."""

    kind: str
    text: str
    mark: str = ""


def windows_section(readme: str) -> str:
    """Return the Markdown between the Windows markers of ``readme``."""
    if readme.count(START) != 1 or readme.count(END) != 1 or readme.index(START) > readme.index(END):
        raise InputError(f"README.md 中应有一对 {START} … {END} 标记，围住 Windows 使用说明")
    return readme[readme.index(START) + len(START) : readme.index(END)]


def _join(left: str, right: str) -> str:
    """Return two source lines joined as Markdown would, without a space between Chinese characters."""
    if not left or not right:
        return left + right
    return left + right if _WIDE.match(left[-1]) or _WIDE.match(right[0]) else f"{left} {right}"


def blocks(markdown: str) -> list[Block]:
    """Return the paragraphs of the Markdown subset ``markdown``, in order."""
    out: list[Block] = []
    current: Block | None = None
    for raw in markdown.splitlines():
        line = raw.strip()
        item = _ITEM.match(line)
        if not line or line.startswith("<!--"):
            current = None
        elif line.startswith("### "):
            current = None
            out.append(Block("title", line[4:].strip()))
        elif item and not raw.startswith(" "):
            current = Block("item", item.group(2), "·" if item.group(1) == "-" else item.group(1))
            out.append(current)
        elif current is not None:
            current.text = _join(current.text, line)
        else:
            current = Block("para", line)
            out.append(current)
    return out


def _fonts(run, font: str, east_asia: str) -> None:
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _runs(paragraph, text: str, size: float) -> None:
    """Add ``text`` to ``paragraph`` as runs: plain, bold, code, addresses and link texts."""
    position = 0
    for match in [*_INLINE.finditer(text), None]:
        plain = text[position : match.start() if match else len(text)]
        if plain:
            run = paragraph.add_run(plain)
            _fonts(run, BODY_FONT, BODY_FONT)
            run.font.size = Pt(size)
        if match is None:
            break
        position = match.end()
        kind = match.lastgroup
        run = paragraph.add_run(match.group(kind).replace("`", ""))  # code inside bold: shown bold
        run.font.size = Pt(size)
        if kind == "code":
            _fonts(run, CODE_FONT, HEADING_FONT)
            run.font.color.rgb = RGBColor(0x1F, 0x3A, 0x68)
        elif kind == "bold":
            _fonts(run, HEADING_FONT, HEADING_FONT)
            run.bold = True
        else:
            _fonts(run, BODY_FONT, BODY_FONT)
            run.underline = kind == "url"


def guide_docx(markdown: str, path: Path) -> Path:
    """Write the Markdown subset ``markdown`` as a one-column A4 .docx at ``path``; return it."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    for block in blocks(markdown):
        paragraph = document.add_paragraph()
        layout = paragraph.paragraph_format
        layout.space_before, layout.space_after, layout.line_spacing = Pt(0), Pt(3), 1.1
        if block.kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            layout.space_after = Pt(8)
            run = paragraph.add_run(block.text)
            _fonts(run, HEADING_FONT, HEADING_FONT)
            run.font.size, run.bold = Pt(TITLE_SIZE), True
            continue
        if block.kind == "item":
            layout.left_indent, layout.first_line_indent = Mm(6), Mm(-6)
            mark = paragraph.add_run(f"{block.mark}\t")
            _fonts(mark, HEADING_FONT, HEADING_FONT)
            mark.font.size, mark.bold = Pt(BODY_SIZE), True
            layout.tab_stops.add_tab_stop(Mm(6))
        _runs(paragraph, block.text, BODY_SIZE)
    document.save(str(path))
    return Path(path)


def guide_pdf(readme: str, pdf: Path) -> Path:
    """Write the README's Windows section as a PDF at ``pdf`` (LibreOffice); return its path."""
    from jixiao.report.pdf import docx_to_pdf

    with tempfile.TemporaryDirectory(prefix="jixiao-guide-") as folder:
        docx = guide_docx(windows_section(readme), Path(folder) / "guide.docx")
        return docx_to_pdf(docx, Path(pdf))
