"""The 公开版 of a workbook, made in its package: no text, number, note or property names a person.

:func:`public_package` applies the report's redactor at the XML level, to a workbook jixiao has
just written (surgically into the user's file, or built from a data file). Parts that hold no
text — pictures, the VBA project, the ribbon, themes, styles, printer settings — stay byte for
byte. What changes:

- every cell: text (shared strings, inline strings, cached formula text) is redacted, and the
  string literals of formulas; a number that is a phone or ID number becomes the replacement
  text (a formula's cached number of that kind is dropped); the 填表人 / 联系电话 / 单位负责人
  inputs are emptied whatever they hold;
- comments (their text redacted, every author ``jixiao``), threaded comments and their persons;
- hyperlinks: one whose target carries a number or an address is removed with its relationship,
  the others' display text, tooltip and location are redacted; other external targets redacted;
- page headers and footers, data-validation prompts, titles, messages and list literals (the x14
  ones of extLst too), defined names' comments and string literals;
- text in drawings and charts (text boxes, titles, cached labels) and shapes' names and alt text;
- sheet names, renamed with every reference to them (formulas, defined names, validations,
  conditional formats, hyperlink locations, charts, the document's list of titles);
- the document properties: creator and last modified by become ``jixiao``, title, subject,
  description, keywords, category, identifier and status are redacted, company, manager and
  hyperlink base are dropped, and so are the custom properties and customXml parts (an OA
  system's data).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from jixiao.report.redact import private_number, replacement
from jixiao.workbook.layout import info_fields, name
from jixiao.workbook.package import (
    XML_SPACE,
    Package,
    SheetXml,
    column_letters,
    local,
    q,
    split_ref,
    sub,
)
from jixiao.workbook.sheet import quote_sheet, unquote_sheet

AUTHOR = "jixiao"  # the author the 公开版 gives its comments and document properties

Redact = Callable[[str], str]
SIGNER_PATHS = ("signers.filler", "signers.phone", "signers.head")  # emptied whatever they hold
_STRING = re.compile(r'"(?:[^"]|"")*"')
_INVALID_TITLE = re.compile(r"[\\*?:/\[\]]")
_HEADERS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
_PROMPTS = ("prompt", "promptTitle", "error", "errorTitle")
_CORE_AUTHORS = ("creator", "lastModifiedBy")
_CORE_TEXTS = ("title", "subject", "description", "keywords", "category", "identifier", "contentStatus")
_APP_DROPPED = ("Company", "Manager", "HyperlinkBase")
_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHAPE_TEXTS = ("name", "descr", "title")  # a drawing's cNvPr: what a shape is called and its alt text


def redact_formula(formula: str, redact: Redact) -> str:
    """Return ``formula`` with its string literals redacted (references and functions untouched)."""

    def literal(match: re.Match[str]) -> str:
        inner = match.group()[1:-1].replace('""', '"')
        return '"' + redact(inner).replace('"', '""') + '"'

    return _STRING.sub(literal, formula)


def retitle(old: str, new: str) -> Callable[[Any], Any]:
    """Return what rewrites a formula's references to the sheet ``old`` as references to ``new``."""
    quoted = re.escape(quote_sheet(old)) + "!"
    plain = r"(?<![\w'.])" + re.escape(old) + "!" if re.fullmatch(r"\w+", old) else None
    pattern = re.compile(quoted if plain is None else f"{quoted}|{plain}")
    target = quote_sheet(new) + "!"
    return lambda text: pattern.sub(lambda _m: target, text) if isinstance(text, str) else text


class _Scrub:
    """One 公开版 in the making: the package, the redactor and the parts already edited."""

    def __init__(self, package: Package, redact: Redact) -> None:
        self.package, self.redact = package, redact
        self.trees: dict[str, Any] = {}

    def tree(self, part: str) -> Any:
        """Return ``part`` parsed, to be written back when the scrub ends."""
        if part not in self.trees:
            self.trees[part] = self.package.peek(part)
        return self.trees[part]

    def text(self, element: Any) -> None:
        """Redact the text of ``element``."""
        if element is not None and element.text:
            element.text = self.redact(element.text)

    def attributes(self, element: Any, names: tuple[str, ...]) -> None:
        for key in names:
            if element.get(key):
                element.set(key, self.redact(element.get(key)))

    def rich(self, holder: Any) -> None:
        """Redact a string item (``<si>``, ``<is>``, a comment's ``<text>``): its runs as one text."""
        runs = holder.findall(q("r"))
        if not runs:
            self.text(holder.find(q("t")))
        else:
            text = "".join(r.findtext(q("t")) or "" for r in runs)
            redacted = self.redact(text)
            if redacted != text:  # a number split over runs is found too; the runs' formats go
                for run in runs:
                    holder.remove(run)
                single = etree.Element(q("t"))
                holder.insert(0, single)
                single.text = redacted
                single.set(XML_SPACE, "preserve")
        for phonetic in holder.findall(q("rPh")):
            self.text(phonetic.find(q("t")))

    def paragraphs(self, root: Any) -> None:
        """Redact each DrawingML paragraph of ``root`` as one text (kept in its first run)."""
        for paragraph in root.iter(f"{{{_DRAWING_NS}}}p"):
            texts = list(paragraph.iter(f"{{{_DRAWING_NS}}}t"))
            whole = "".join(t.text or "" for t in texts)
            redacted = self.redact(whole)
            if texts and redacted != whole:
                texts[0].text = redacted
                for rest in texts[1:]:
                    rest.text = ""

    def save(self) -> bytes:
        for part, root in self.trees.items():
            if self.package.has(part):
                self.package.put_xml(part, root)
        return self.package.save()


def _kind(rel_type: str) -> str:
    return rel_type.rsplit("/", 1)[-1]


def public_package(data: bytes, redact: Redact, place: str = "") -> bytes:
    """Return the workbook package ``data`` made its own 公开版 with ``redact`` (see the module docstring)."""
    package = Package(data, place)
    scrub = _Scrub(package, redact)
    workbook = package.workbook_part()
    sheets = package.sheet_parts()
    book = scrub.tree(workbook)
    _empty_signers(scrub, book, sheets)
    for rel in package.relationships(workbook):
        kind, target = _kind(rel["Type"]), rel["Target"]
        if kind == "sharedStrings" and package.has(target):
            for item in scrub.tree(target).iter(q("si")):
                scrub.rich(item)
    for part in sheets.values():
        _sheet(scrub, part)
    for part in package.names():
        _linked_part(scrub, part)
    for defined in book.iter(q("definedName")):
        scrub.attributes(defined, ("comment", "description"))
        if defined.text:
            defined.text = redact_formula(defined.text, redact)
    _rename_sheets(scrub, book, sheets)
    _properties(scrub)
    _external_targets(scrub)
    return scrub.save()


def _empty_signers(scrub: _Scrub, book: Any, sheets: dict[str, str]) -> None:
    """Empty the 填表人 / 联系电话 / 单位负责人 inputs (through their defined names)."""
    wanted = {name(f["id"]) for f in info_fields() if f["path"] in SIGNER_PATHS}
    for defined in book.iter(q("definedName")):
        if defined.get("name") not in wanted or defined.get("localSheetId") is not None:
            continue
        title, _, ref = (defined.text or "").rpartition("!")
        part = sheets.get(unquote_sheet(title))
        ref = ref.replace("$", "").split(":")[0]
        if part is None or not re.fullmatch(r"[A-Z]{1,3}\d+", ref):
            continue
        sheet = SheetXml(scrub.tree(part))
        col, row = split_ref(ref)
        for c1, r1, c2, r2 in sheet.merges():
            if c1 <= col <= c2 and r1 <= row <= r2:
                col, row = c1, r1
        sheet.clear(f"{column_letters(col)}{row}")


def _number(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _sheet(scrub: _Scrub, part: str) -> None:
    """Redact the cells, links, headers and validations of the worksheet ``part``."""
    root, redact = scrub.tree(part), scrub.redact
    for c in root.iter(q("c")):
        kind, formula, value = c.get("t"), c.find(q("f")), c.find(q("v"))
        if formula is not None and formula.text:
            formula.text = redact_formula(formula.text, redact)
        if kind == "inlineStr" and c.find(q("is")) is not None:
            scrub.rich(c.find(q("is")))
        elif kind == "str":
            scrub.text(value)
        elif kind in (None, "n") and value is not None and private_number(_number(value.text)):
            c.remove(value)  # a formula's cached phone number goes: recalculated on open
            if formula is None:
                c.set("t", "inlineStr")
                sub(sub(c, "is"), "t").text = replacement()
    links = root.find(q("hyperlinks"))
    targets = {r["Id"]: r for r in scrub.package.relationships(part)}
    for link in list(links) if links is not None else []:
        rel = targets.get(_rel_id(link) or "")
        if rel is not None and redact(rel["Target"]) != rel["Target"]:
            links.remove(link)  # a mailto: or a link that carries a number, with its relationship
            _drop_relationship(scrub, part, rel["Id"])
            continue
        scrub.attributes(link, ("display", "tooltip", "location"))
    if links is not None and not len(links):
        root.remove(links)
    for tag in _HEADERS:
        for header in root.iter(q(tag)):
            scrub.text(header)
    for element in root.iter():
        if local(element) == "dataValidation":
            scrub.attributes(element, _PROMPTS)
            for formula in element:
                if local(formula) in ("formula1", "formula2"):
                    holder = formula if len(formula) == 0 else formula[0]  # x14: the formula in xm:f
                    if holder.text and holder.text.startswith('"'):
                        holder.text = redact_formula(holder.text, redact)


def _rel_id(element: Any) -> str | None:
    for key, value in element.attrib.items():
        if etree.QName(key).localname == "id" and etree.QName(key).namespace:
            return value
    return None


def _rels_part(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _drop_relationship(scrub: _Scrub, part: str, rel_id: str) -> None:
    rels = scrub.tree(_rels_part(part))
    for rel in list(rels):
        if rel.get("Id") == rel_id:
            rels.remove(rel)


def _linked_part(scrub: _Scrub, part: str) -> None:
    """Redact a part a sheet links to: comments and their authors, threaded comments and persons,
    drawings and charts."""
    lowered = part.lower()
    if not lowered.endswith(".xml"):
        return
    if lowered.startswith("xl/comments") or "/comments" in lowered:
        root = scrub.tree(part)
        for author in root.iter(q("author")):
            author.text = AUTHOR
        for text in root.iter(q("text")):
            scrub.rich(text)
    elif lowered.startswith("xl/threadedcomments/"):
        for element in scrub.tree(part).iter():
            if local(element) == "text":
                scrub.text(element)
    elif lowered.startswith("xl/persons/"):
        for element in scrub.tree(part).iter():
            if local(element) == "person":
                element.set("displayName", AUTHOR)
                element.set("userId", AUTHOR)
                element.set("providerId", "None")
    elif lowered.startswith(("xl/drawings/", "xl/charts/")):
        root = scrub.tree(part)
        scrub.paragraphs(root)
        for element in root.iter():
            tag = local(element)
            if tag == "cNvPr":
                scrub.attributes(element, _SHAPE_TEXTS)
            elif tag == "v" and element.text:  # a chart's cached label or value
                number = _number(element.text)
                if number is None:
                    scrub.text(element)
                elif private_number(number):
                    element.text = replacement()


def _safe_title(title: str) -> str:
    return _INVALID_TITLE.sub("＊", title)[:31]


def _rename_sheets(scrub: _Scrub, book: Any, sheets: dict[str, str]) -> None:
    """Give each sheet its redacted name, and every reference to it the new name."""
    entries = book.find(q("sheets"))
    titles = [s.get("name", "") for s in entries] if entries is not None else []
    fixes = []
    for entry in entries if entries is not None else []:
        old = entry.get("name", "")
        new = _safe_title(scrub.redact(old))
        if new == old:
            continue
        candidate, counter = new, 2
        while candidate in titles:
            candidate, counter = f"{new[:28]}-{counter}", counter + 1
        titles[titles.index(old)] = candidate
        entry.set("name", candidate)
        fixes.append(retitle(old, candidate))
    if not fixes:
        return

    def fix(text: str | None) -> str | None:
        for one in fixes:
            text = one(text)
        return text

    for defined in book.iter(q("definedName")):
        defined.text = fix(defined.text)
    for part in sheets.values():
        for element in scrub.tree(part).iter():
            tag = local(element)
            if tag in ("f", "formula", "formula1", "formula2") and element.text:
                element.text = fix(element.text)
            elif tag == "hyperlink" and element.get("location"):
                element.set("location", fix(element.get("location")))
    for part in scrub.package.names():
        if part.lower().startswith("xl/charts/") and part.lower().endswith(".xml"):
            for element in scrub.tree(part).iter():
                if local(element) == "f" and element.text:
                    element.text = fix(element.text)


def _properties(scrub: _Scrub) -> None:
    """Scrub the document properties; drop the custom ones and the customXml parts."""
    package = scrub.package
    for rel in package.relationships(""):
        kind, target = _kind(rel["Type"]), rel["Target"]
        if not package.has(target):
            continue
        if kind == "core-properties" or target.endswith("core.xml"):
            for element in scrub.tree(target):
                if local(element) in _CORE_AUTHORS:
                    element.text = AUTHOR
                elif local(element) in _CORE_TEXTS:
                    scrub.text(element)
        elif kind == "extended-properties":
            root = scrub.tree(target)
            for element in list(root):
                if local(element) in _APP_DROPPED:
                    root.remove(element)
            for element in root.iter():
                if local(element) == "lpstr":
                    scrub.text(element)
        elif kind == "custom-properties":
            _drop_part(scrub, "", rel["Id"], target)
    for rel in package.relationships(package.workbook_part()):
        if _kind(rel["Type"]) == "customXml" and package.has(rel["Target"]):
            item = rel["Target"]
            for linked in package.relationships(item):  # its itemProps part
                if package.has(linked["Target"]):
                    _drop_part(scrub, item, linked["Id"], linked["Target"])
            if package.has(_rels_part(item)):
                package.remove(_rels_part(item))
            _drop_part(scrub, package.workbook_part(), rel["Id"], item)


def _drop_part(scrub: _Scrub, source: str, rel_id: str, part: str) -> None:
    """Remove ``part``, the relationship ``rel_id`` of ``source`` to it, and its content type."""
    _drop_relationship(scrub, source, rel_id)
    scrub.package.remove(part)
    scrub.trees.pop(part, None)
    types = scrub.tree("[Content_Types].xml")
    for override in list(types):
        if override.get("PartName") == "/" + part:
            types.remove(override)


def _external_targets(scrub: _Scrub) -> None:
    """Redact every external relationship target left (a linked workbook's path under a user's name)."""
    for part in scrub.package.names():
        if not part.endswith(".rels"):
            continue
        root = scrub.trees.get(part)
        if root is None:
            peeked = scrub.package.peek(part)
            if not any(r.get("TargetMode") == "External" for r in peeked):
                continue
            root = scrub.tree(part)
        for rel in root:
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External" and scrub.redact(target) != target:
                rel.set("Target", scrub.redact(target))
