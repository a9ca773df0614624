"""The structured 自评报告: cover, title, sections of headings and paragraphs, attachment lines.

Templates write a small line markup that :func:`parse_markup` turns into a :class:`ReportDocument`;
the Word, Markdown and workbook writers all read this one structure.

Markup, one item per line (blank lines are ignored)::

    !cover-title 2022 年度部门（单位）整体支出绩效自评报告
    !cover-unit 单位名称：…        !cover-date …        !cover-note （此页为封面）
    = the title          (“ || ” marks where a long title breaks; kept as TITLE_BREAK)
    # 一级 heading (starts a section)     ## 二级     ### 三级     #### 四级 (a run-in heading)
    !attach 附件：1-1 …               (the closing lines)
    !sign-unit …    !sign-date …      (the signature block: unit and date)
    any other line is a paragraph

Text from the filing never becomes markup: the templates see it through :func:`escape`, which
starts every line of it that could be read as markup with :data:`ESCAPE` (a private-use
character); such a line is a paragraph, and the mark is removed from every text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from jixiao.errors import InputError

MARK = re.compile(r"【请(?:核实|填写)[：:][^】]*】")  # 【请核实：…】, 【请填写：…】: to be resolved
TITLE_BREAK = "\u2028"  # a line break the title may carry (written as “ || ” in the markup)
ESCAPE = "\ue000"  # starts a line of user text: never markup (removed from the document's texts)
MARKUP_START = ("!", "=", "#")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")  # what str.splitlines splits on
HEADING_KINDS = {"#": "heading1", "##": "heading2", "###": "heading3", "####": "heading4"}
_COVER_KEYS = {
    "!cover-title": "cover_title",
    "!cover-unit": "cover_unit",
    "!cover-date": "cover_date",
    "!cover-note": "cover_note",
    "!sign-unit": "sign_unit",
    "!sign-date": "sign_date",
}


@dataclass(frozen=True)
class Block:
    """One heading or paragraph; ``kind`` is heading1…heading4 or paragraph."""

    kind: str
    text: str


@dataclass
class Section:
    """One numbered section (一、 … 十、): its heading and its blocks."""

    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class ReportDocument:
    """The whole report as structure, ready for any writer."""

    title: str = ""
    cover_title: str = ""
    cover_unit: str = ""
    cover_date: str = ""
    cover_note: str = ""
    preamble: list[Block] = field(default_factory=list)  # paragraphs before 一、 (rare)
    sections: list[Section] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    sign_unit: str = ""
    sign_date: str = ""

    def blocks(self) -> Iterator[Block]:
        """Yield the title, every heading and paragraph, and the attachment lines, in order."""
        if self.title:
            yield Block("title", plain(self.title))
        yield from self.preamble
        for section in self.sections:
            yield Block("heading1", section.heading)
            yield from section.blocks
        for line in self.attachments:
            yield Block("attachment", line)
        for kind, text in (("sign_unit", self.sign_unit), ("sign_date", self.sign_date)):
            if text:
                yield Block(kind, text)

    def text(self) -> str:
        """Return the report as plain text, one block per line (cover first)."""
        cover = [self.cover_title, self.cover_unit, self.cover_date, self.cover_note]
        lines = [line for line in cover if line]
        lines.extend(block.text for block in self.blocks())
        return "\n".join(plain(line) for line in lines) + "\n"

    def map_text(self, function: Callable[[str], str]) -> ReportDocument:
        """Return a copy with ``function`` applied to every text (used for the 公开版)."""
        return ReportDocument(
            title=function(self.title),
            cover_title=function(self.cover_title),
            cover_unit=function(self.cover_unit),
            cover_date=function(self.cover_date),
            cover_note=function(self.cover_note),
            preamble=[replace(b, text=function(b.text)) for b in self.preamble],
            sections=[
                Section(function(s.heading), [replace(b, text=function(b.text)) for b in s.blocks])
                for s in self.sections
            ],
            attachments=[function(line) for line in self.attachments],
            sign_unit=function(self.sign_unit),
            sign_date=function(self.sign_date),
        )


def plain(text: str) -> str:
    """Return ``text`` without its title line-break marks."""
    return text.replace(TITLE_BREAK, "")


def escape(text: str) -> str:
    """Return user ``text`` for the markup: each of its lines that could be markup (every line
    when it has several) starts with ESCAPE, and its “||” is not a title break."""
    text = text.replace(ESCAPE, "")
    if not (_LINE_BREAK.search(text) or text.lstrip().startswith(MARKUP_START) or "||" in text):
        return text
    text = text.replace("||", f"|{ESCAPE}|")
    return ESCAPE + _LINE_BREAK.sub("\n" + ESCAPE, text)


def _unescape(text: str) -> str:
    return text.replace(ESCAPE, "")


def parse_markup(markup: str, source: str = "模板") -> ReportDocument:
    """Return the document written in the line markup ``markup``; raise InputError if malformed."""
    doc = ReportDocument()
    for number, raw in enumerate(markup.splitlines(), start=1):
        line = raw.strip()
        if not _unescape(line).strip():
            continue
        # a line of user text (it starts with ESCAPE) is a paragraph, whatever follows
        head, _, rest = ("", "", "") if line.startswith(ESCAPE) else line.partition(" ")
        rest = _unescape(re.sub(r"\s*\|\|\s*", TITLE_BREAK, rest.strip()))
        if head in _COVER_KEYS:
            setattr(doc, _COVER_KEYS[head], rest)
        elif head == "!attach":
            doc.attachments.append(rest)
        elif head.startswith("!"):
            raise InputError(f"第 {number} 行的标记“{head}”不认识", place=source)
        elif head == "=":
            doc.title = rest
        elif head in HEADING_KINDS:
            if not rest:
                raise InputError(f"第 {number} 行的标题为空", place=source)
            if head == "#":
                doc.sections.append(Section(rest))
            elif doc.sections:
                doc.sections[-1].blocks.append(Block(HEADING_KINDS[head], rest))
            else:
                doc.preamble.append(Block(HEADING_KINDS[head], rest))
        else:
            target = doc.sections[-1].blocks if doc.sections else doc.preamble
            target.append(Block("paragraph", _unescape(line).strip()))
    if not doc.title:
        raise InputError("模板没有写标题行（以“= ”开头）", place=source)
    return doc
