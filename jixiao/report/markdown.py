"""The Markdown export: the report's headings and paragraphs, then the 附件 tables as pipe tables.

Every text is escaped for Markdown (:func:`md_text`): a line of the filing's prose that starts with
“#” or “=”, or holds a link or HTML, is shown as the text it is.
"""

from __future__ import annotations

import re
from dataclasses import replace

from jixiao.report.document import MARK, ReportDocument, plain
from jixiao.report.tables import Grid

_PREFIX = {"heading1": "## ", "heading2": "### ", "heading3": "#### ", "heading4": "##### "}
_INLINE = re.compile(r"([\\`*_\[\]<>])")  # emphasis, code, links, images, HTML and autolinks
_LINE_START = re.compile(r"^(\s*)([#=+\-|~>])", re.MULTILINE)  # headings, rules, lists, tables, quotes


def md_text(text: str) -> str:
    """Return ``text`` with what Markdown would read as markup backslash-escaped."""
    return _LINE_START.sub(r"\1\\\2", _INLINE.sub(r"\\\1", text))


def _cell(text: str) -> str:
    return md_text(text.replace("|", "｜").replace("\n", " ").strip())


def grid_markdown(grid: Grid) -> str:
    """Return one 附件 table as a Markdown pipe table (merged cells shown once, at their top-left)."""
    rows = grid.matrix()
    lines = [f"### {md_text(grid.caption)} {md_text(grid.title)}", ""]
    header, *body = rows or [[""] * grid.cols]
    lines.append("| " + " | ".join(_cell(c) for c in header) + " |")
    lines.append("|" + "---|" * grid.cols)
    lines.extend("| " + " | ".join(_cell(c) for c in row) + " |" for row in body)
    lines.append("")
    lines.extend(f"{md_text(note)}  " for note in grid.notes)
    return "\n".join(lines) + "\n"


def to_markdown(doc: ReportDocument, grids: list[Grid] | None = None) -> str:
    """Return the report (cover lines, title, sections, attachments, tables) as Markdown text."""
    out: list[str] = []
    cover = [plain(doc.cover_title), doc.cover_unit, doc.cover_date]
    out.extend(f"> {md_text(line)}" for line in cover if line)
    if out:
        out += ["", "---", ""]
    for block in doc.blocks():
        block = replace(block, text=MARK.sub(r"**\g<0>**", md_text(block.text)))  # marks in bold
        if block.kind == "title":
            out += [f"# {block.text}", ""]
        elif block.kind in _PREFIX:
            out += [f"{_PREFIX[block.kind]}{block.text}", ""]
        elif block.kind in ("attachment", "sign_unit", "sign_date"):
            out.append(f"{block.text}  ")
        else:
            out += [block.text, ""]
    if grids:
        out += ["", "---", ""]
        out.extend(grid_markdown(g) for g in grids)
    return "\n".join(out).rstrip("\n") + "\n"
