"""A workbook file as a package of parts, edited at the XML level: every part not edited stays byte for byte.

:class:`Package` reads the zip once; :meth:`Package.xml` parses a part with lxml (namespace
prefixes such as ``x:`` kept) and marks it changed; :meth:`Package.save` writes the members in
their order, each untouched one with exactly its bytes. :class:`SheetXml` edits the cells of one
worksheet part; :class:`StylesXml` finds or appends the fonts, fills, borders, cell formats and
differential formats jixiao needs, never changing an existing one.
"""

from __future__ import annotations

import copy
import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from lxml import etree

from jixiao.errors import InputError
from jixiao.textsafe import FORMULA_START, cell_text

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = REL + "/officeDocument"
STYLES = REL + "/styles"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")

# the order of a worksheet's children (CT_Worksheet), for inserting an element where it belongs
WORKSHEET_ORDER = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts",
    "extLst",
)  # fmt: skip
WORKBOOK_ORDER = (
    "fileVersion", "fileSharing", "workbookPr", "workbookProtection", "bookViews", "sheets",
    "functionGroups", "externalReferences", "definedNames", "calcPr", "oleSize", "customWorkbookViews",
    "pivotCaches", "smartTagPr", "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects",
    "extLst",
)  # fmt: skip
STYLES_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
                "tableStyles", "colors", "extLst")  # fmt: skip


def q(tag: str) -> str:
    """Return the SpreadsheetML tag ``tag`` with its namespace."""
    return f"{{{MAIN}}}{tag}"


def local(element: Any) -> str:
    """Return the tag of ``element`` without its namespace."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def column_number(letters: str) -> int:
    """Return the number of the column ``letters`` (A → 1)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letters(number: int) -> str:
    """Return the letters of column ``number`` (1 → A)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split_ref(ref: str) -> tuple[int, int]:
    """Return (column, row) of the cell reference ``ref`` ('H14' → (8, 14))."""
    match = _CELL_REF.match(ref)
    if match is None:
        raise ValueError(ref)
    return column_number(match.group(1)), int(match.group(2))


def insert_in_order(parent: Any, tag: str, order: tuple[str, ...], **attributes: str) -> Any:
    """Return a new child ``tag`` of ``parent`` placed after the last child that comes before it in ``order``.

    Made in place (not moved in from outside), so it takes the prefix the part already uses.
    """
    element = sub(parent, tag, **attributes)
    rank = order.index(tag)
    position = 0
    for index, child in enumerate(parent):
        name = local(child)
        if child is not element and name in order and order.index(name) <= rank:
            position = index + 1
    parent.insert(position, element)
    return element


def sub(parent: Any, tag: str, **attributes: str) -> Any:
    """Return a new SpreadsheetML child ``tag`` of ``parent``."""
    return etree.SubElement(parent, q(tag), {k: v for k, v in attributes.items() if v is not None})


def number_text(value: Any) -> str:
    """Return a number as the text of a ``<v>`` element (no exponent, no float noise)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if len(value.as_tuple().digits) > 17:  # a ratio such as 2681.55/2707.46: what a double holds
            value = Decimal(repr(float(value)))
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


# ------------------------------------------------------------------ the package


@dataclass
class _Member:
    info: zipfile.ZipInfo
    data: bytes


class Package:
    """The parts of one OOXML file; parts edited through :meth:`xml` or :meth:`put` are rewritten on save."""

    def __init__(self, data: bytes, place: str = "") -> None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self.members = [_Member(i, archive.read(i)) for i in archive.infolist()]
                self.comment = archive.comment
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise InputError(f"文件已损坏，无法写入（{exc}）", place=place) from None
        self.place = place
        self._index = {m.info.filename: m for m in self.members}
        self._trees: dict[str, Any] = {}

    def names(self) -> list[str]:
        """Return the part names in their order."""
        return [m.info.filename for m in self.members]

    def read(self, part: str) -> bytes:
        """Return the bytes of ``part`` as they are now."""
        if part in self._trees:
            return self._serialise(part)
        return self._index[part].data

    def has(self, part: str) -> bool:
        """Return True when the package holds ``part``."""
        return part in self._index

    def add(self, part: str, data: bytes, after: str | None = None) -> None:
        """Add the new part ``part`` holding ``data`` (placed after the part ``after``)."""
        info = zipfile.ZipInfo(part, datetime.now().timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        member = _Member(info, data)
        names = self.names()
        self.members.insert(names.index(after) + 1 if after in names else len(names), member)
        self._index[part] = member

    def remove(self, part: str) -> None:
        """Drop ``part`` from the package (its relationships and content type are the caller's)."""
        member = self._index.pop(part)
        self.members.remove(member)
        self._trees.pop(part, None)

    def put_xml(self, part: str, root: Any) -> None:
        """Make ``root`` (an edited :meth:`peek` of ``part``) the part's content when the package is saved."""
        self._trees[part] = root

    def free_name(self, pattern: str) -> str:
        """Return the first part name ``pattern`` (with ``{}`` for a number from 1) not yet taken."""
        number = 1
        while self.has(pattern.format(number)):
            number += 1
        return pattern.format(number)

    def xml(self, part: str) -> Any:
        """Return the root of ``part`` parsed (once); the part is rewritten when the package is saved."""
        if part not in self._trees:
            try:
                self._trees[part] = etree.fromstring(self._index[part].data, _PARSER)
            except KeyError:
                raise InputError(f"工作簿缺少部件 {part}，无法写入", place=self.place) from None
            except etree.XMLSyntaxError as exc:
                raise InputError(f"部件 {part} 不是有效的 XML（{exc}），无法写入", place=self.place) from None
        return self._trees[part]

    def peek(self, part: str) -> Any:
        """Return ``part`` parsed, without marking it changed (for reading only)."""
        if part in self._trees:
            return self._trees[part]
        return etree.fromstring(self._index[part].data, _PARSER)

    def _serialise(self, part: str) -> bytes:
        original = self._index[part].data
        body = etree.tostring(self._trees[part], encoding="UTF-8", xml_declaration=False)
        return DECLARATION + body if original.lstrip()[:5] == b"<?xml" else body

    def save(self) -> bytes:
        """Return the package as zip bytes: members in their order, untouched ones byte for byte."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
            for member in self.members:
                name = member.info.filename
                data = self._serialise(name) if name in self._trees else member.data
                info = zipfile.ZipInfo(name, member.info.date_time)
                info.compress_type = member.info.compress_type
                info.external_attr = member.info.external_attr
                info.create_system = member.info.create_system
                info.comment = member.info.comment
                archive.writestr(info, data)
            archive.comment = self.comment
        return out.getvalue()

    # -------------------------------------------------------------- relationships

    def relationships(self, part: str) -> list[dict[str, str]]:
        """Return the relationships of ``part`` (Id, Type, Target resolved to a part name, TargetMode)."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return []
        found = []
        for rel in self.peek(rels):
            if local(rel) != "Relationship":
                continue
            target = rel.get("Target", "")
            if rel.get("TargetMode") != "External":
                target = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(folder, target))
                )
            found.append({"Id": rel.get("Id", ""), "Type": rel.get("Type", ""), "Target": target,
                          "TargetMode": rel.get("TargetMode", "")})  # fmt: skip
        return found

    def workbook_part(self) -> str:
        """Return the name of the workbook part (from the package's own relationships)."""
        for rel in self.relationships(""):
            if rel["Type"] == OFFICE_DOCUMENT or rel["Type"].endswith("/officeDocument"):
                return rel["Target"]
        return "xl/workbook.xml"

    def sheet_parts(self) -> dict[str, str]:
        """Return the worksheet part of each sheet title, in workbook order."""
        workbook = self.workbook_part()
        targets = {r["Id"]: r["Target"] for r in self.relationships(workbook)}
        parts = {}
        sheets = self.peek(workbook).find(q("sheets"))
        for sheet in sheets if sheets is not None else []:
            target = targets.get(sheet.get(f"{{{REL}}}id", ""))
            if target and self.has(target):
                parts[sheet.get("name", "")] = target
        return parts

    def styles_part(self) -> str | None:
        """Return the name of the styles part, or None."""
        for rel in self.relationships(self.workbook_part()):
            if rel["Type"] == STYLES or rel["Type"].endswith("/styles"):
                return rel["Target"] if self.has(rel["Target"]) else None
        return None


# ------------------------------------------------------------------ a worksheet


class SheetXml:
    """The cells of one worksheet part: find, create, set and clear, rows kept in order."""

    def __init__(self, root: Any, styles: StylesXml | None = None) -> None:
        self.root = root
        self.styles = (
            styles  # when given, formula-like text gets Excel's quote prefix (stays text when edited)
        )
        data = root.find(q("sheetData"))
        if data is None:
            data = insert_in_order(root, "sheetData", WORKSHEET_ORDER)
        self.data = data
        self._rows: dict[int, Any] = {}
        previous = 0
        for row in data.findall(q("row")):
            number = int(row.get("r") or previous + 1)
            if row.get("r") is None:
                row.set("r", str(number))
            self._rows[number] = row
            previous = number

    def row(self, number: int, create: bool = True) -> Any | None:
        """Return the ``<row>`` of ``number`` (created in order when missing and ``create``)."""
        found = self._rows.get(number)
        if found is not None or not create:
            return found
        row = sub(self.data, "row", r=str(number))
        later = [r for n, r in self._rows.items() if n > number]
        if later:
            min(later, key=lambda r: int(r.get("r"))).addprevious(row)
        self._rows[number] = row
        return row

    def rows(self) -> dict[int, Any]:
        """Return every ``<row>`` by its number."""
        return dict(self._rows)

    def drop_rows(self, first: int) -> None:
        """Remove every row from ``first`` down."""
        for number in [n for n in self._rows if n >= first]:
            self.data.remove(self._rows.pop(number))

    def cell(self, ref: str, create: bool = True) -> Any | None:
        """Return the ``<c>`` of ``ref`` (created in column order when missing and ``create``)."""
        col, number = split_ref(ref)
        row = self.row(number, create)
        if row is None:
            return None
        previous = 0
        for c in row.findall(q("c")):
            at = split_ref(c.get("r"))[0] if c.get("r") else previous + 1
            if c.get("r") is None:
                c.set("r", f"{column_letters(at)}{number}")
            if at == col:
                return c
            if at > col:
                if not create:
                    return None
                new = sub(row, "c", r=ref)
                c.addprevious(new)
                return self._widen(row, col, new)
            previous = at
        if not create:
            return None
        return self._widen(row, col, sub(row, "c", r=ref))

    @staticmethod
    def _widen(row: Any, col: int, cell: Any) -> Any:
        """Return ``cell``, the row's optional ``spans`` hint widened to hold its column."""
        spans = row.get("spans", "")
        if re.fullmatch(r"\d+:\d+", spans):
            low, high = (int(p) for p in spans.split(":"))
            row.set("spans", f"{min(low, col)}:{max(high, col)}")
        return cell

    def _empty(self, c: Any) -> None:
        formula = c.find(q("f"))
        if formula is not None and formula.get("t") == "shared" and formula.get("ref"):
            self._unshare(c, formula)
        for child in list(c):
            if local(child) in ("f", "v", "is"):
                c.remove(child)
        for attribute in ("t", "vm", "cm"):  # a value's type and its rich-value metadata go with it
            c.attrib.pop(attribute, None)

    def _unshare(self, master: Any, formula: Any) -> None:
        """Give every cell sharing ``master``'s formula a formula of its own (the master is emptied)."""
        from openpyxl.formula.translate import Translator

        group = formula.get("si")
        for c in self.data.iter(q("c")):
            shared = c.find(q("f"))
            if c is master or shared is None or shared.get("t") != "shared" or shared.get("si") != group:
                continue
            moved = Translator("=" + (formula.text or ""), master.get("r")).translate_formula(c.get("r"))
            shared.text = moved[1:]
            for attribute in ("t", "si", "ref"):
                shared.attrib.pop(attribute, None)

    def clear(self, ref: str) -> None:
        """Remove the value (and formula) of ``ref``, keeping its style."""
        c = self.cell(ref, create=False)
        if c is not None:
            self._empty(c)

    def put(self, ref: str, value: Any, style: int | None = None) -> None:
        """Write ``value`` into ``ref`` as a constant: a number, or text stored inline (never a formula)."""
        c = self.cell(ref)
        self._empty(c)
        if style is not None:
            c.set("s", str(style))
        if value is None:
            return
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            sub(c, "v").text = number_text(value)
            return
        c.set("t", "inlineStr")
        text = sub(sub(c, "is"), "t")
        text.text = str(cell_text(str(value)))
        if self.styles is not None and text.text.startswith(FORMULA_START):
            c.set("s", str(self.styles.quoted(int(c.get("s", "0")))))
        if text.text != text.text.strip() or "\n" in text.text:
            text.set(XML_SPACE, "preserve")

    def formula_cell(self, ref: str) -> Any | None:
        """Return the ``<c>`` of ``ref`` when it holds a formula, else None."""
        c = self.cell(ref, create=False)
        return c if c is not None and c.find(q("f")) is not None else None

    def cache(self, ref: str, value: Any) -> bool:
        """Give the formula in ``ref`` the cached result ``value``; return False when there is no formula."""
        c = self.formula_cell(ref)
        if c is None:
            return False
        for child in c.findall(q("v")):
            c.remove(child)
        if value is None:
            c.attrib.pop("t", None)
            return True
        v = sub(c, "v")
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            c.attrib.pop("t", None)
            v.text = number_text(value)
        else:
            c.set("t", "str")
            v.text = str(cell_text(str(value)))
        return True

    def merges(self) -> list[tuple[int, int, int, int]]:
        """Return the merged ranges as (min_col, min_row, max_col, max_row)."""
        found = []
        block = self.root.find(q("mergeCells"))
        for merge in block if block is not None else []:
            ref = merge.get("ref", "")
            if ":" in ref:
                (c1, r1), (c2, r2) = (split_ref(p) for p in ref.split(":"))
                found.append((min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)))
        return found

    def widths(self) -> dict[int, float]:
        """Return the width of each column the sheet sets."""
        found: dict[int, float] = {}
        cols = self.root.find(q("cols"))
        for col in cols if cols is not None else []:
            if col.get("width"):
                for number in range(int(col.get("min", 1)), int(col.get("max", 1)) + 1):
                    found[number] = float(col.get("width"))
        return found

    def column(self, number: int) -> Any:
        """Return the ``<col>`` that covers exactly column ``number`` (a wider range is split)."""
        cols = self.child("cols")
        for col in cols.findall(q("col")):
            low, high = int(col.get("min", 0)), int(col.get("max", 0))
            if not low <= number <= high:
                continue
            if low == high:
                return col
            pieces = [(low, number - 1), (number, number), (number + 1, high)]
            made = None
            for first, last in pieces:
                if first > last:
                    continue
                piece = sub(cols, "col", **{k: v for k, v in col.attrib.items()})
                piece.set("min", str(first))
                piece.set("max", str(last))
                col.addprevious(piece)
                made = piece if first == number else made
            cols.remove(col)
            return made
        col = sub(cols, "col", min=str(number), max=str(number))
        later = [c for c in cols.findall(q("col")) if c is not col and int(c.get("min", 0)) > number]
        if later:
            later[0].addprevious(col)
        return col

    def child(self, tag: str, create: bool = True) -> Any | None:
        """Return the worksheet's child ``tag`` (created where the schema puts it when missing)."""
        found = self.root.find(q(tag))
        if found is None and create:
            found = insert_in_order(self.root, tag, WORKSHEET_ORDER)
        return found

    def used_rows(self) -> Iterator[int]:
        """Yield the numbers of the rows that have cells."""
        return (n for n, r in self._rows.items() if r.find(q("c")) is not None)


# ------------------------------------------------------------------ styles


def _shape(element: Any) -> tuple[Any, ...]:
    """Return a comparable form of ``element``: tag, attributes and children, prefixes ignored."""
    return (
        local(element),
        tuple(sorted((etree.QName(k).localname, v) for k, v in element.attrib.items())),
        tuple(_shape(c) for c in element if isinstance(c.tag, str)),
    )


class StylesXml:
    """The styles part: what jixiao needs is found among the existing entries or appended."""

    def __init__(self, root: Any) -> None:
        self.root = root

    def _list(self, tag: str) -> Any:
        found = self.root.find(q(tag))
        if found is None:
            found = insert_in_order(self.root, tag, STYLES_ORDER, count="0")
        return found

    def _find_or_add(self, tag: str, build: Any, key: Any = _shape) -> int:
        """Return the index in ``tag`` of the entry ``build(holder)`` makes, appended only when new."""
        holder = self._list(tag)
        entries = [e for e in holder if isinstance(e.tag, str)]
        made = build(holder)
        wanted = key(made)
        for index, entry in enumerate(entries):
            if key(entry) == wanted:
                holder.remove(made)
                return index
        holder.set("count", str(len(entries) + 1))
        return len(entries)

    @staticmethod
    def _xf_key(entry: Any) -> tuple[Any, ...]:
        """Return what makes a cell format (xf) look the same, ignoring its apply* flags."""
        keep = ("numFmtId", "fontId", "fillId", "borderId", "xfId")
        attrs = tuple((k, entry.get(k, "0")) for k in keep)
        return attrs, tuple(_shape(c) for c in entry if isinstance(c.tag, str))

    def font(self, name: str, size: float, color: str | None = None, bold: bool = False) -> int:
        """Return the index of the font (found or appended)."""

        def build(holder: Any) -> Any:
            font = sub(holder, "font")
            if bold:
                sub(font, "b", val="1")
            sub(font, "sz", val=number_text(Decimal(str(size))))
            if color:
                sub(font, "color", rgb="FF" + color[-6:])
            sub(font, "name", val=name)
            return font

        return self._find_or_add("fonts", build)

    def fill(self, rgb: str | None) -> int:
        """Return the index of a solid fill of ``rgb`` (found or appended); 0 (none) when None."""
        if rgb is None:
            return 0

        def build(holder: Any) -> Any:
            fill = sub(holder, "fill")
            pattern = sub(fill, "patternFill", patternType="solid")
            sub(pattern, "fgColor", rgb="FF" + rgb[-6:])
            sub(pattern, "bgColor", indexed="64")
            return fill

        return self._find_or_add("fills", build)

    def grid(self) -> int:
        """Return the index of a thin black border on all four sides (found or appended)."""

        def build(holder: Any) -> Any:
            border = sub(holder, "border")
            for side in ("left", "right", "top", "bottom"):
                sub(sub(border, side, style="thin"), "color", rgb="FF000000")
            sub(border, "diagonal")
            return border

        return self._find_or_add("borders", build)

    def xf(
        self, font: int, fill: int, border: int, horizontal: str, vertical: str = "center", wrap: bool = True
    ) -> int:
        """Return the index of the cell format with these parts, aligned and wrapped (found or appended)."""

        def build(holder: Any) -> Any:
            xf = sub(holder, "xf", numFmtId="0", fontId=str(font), fillId=str(fill), borderId=str(border),
                     xfId="0", applyFont="1", applyFill="1", applyBorder="1", applyAlignment="1")  # fmt: skip
            sub(xf, "alignment", horizontal=horizontal, vertical=vertical, wrapText="1" if wrap else None)
            return xf

        return self._find_or_add("cellXfs", build, self._xf_key)

    def quoted(self, index: int) -> int:
        """Return the index of cell format ``index`` with Excel's quote prefix set (found or appended)."""
        entries = [e for e in self._list("cellXfs") if isinstance(e.tag, str)]
        if index >= len(entries) or entries[index].get("quotePrefix") == "1":
            return index

        def build(holder: Any) -> Any:
            twin = copy.deepcopy(entries[index])
            twin.set("quotePrefix", "1")
            holder.append(twin)
            return twin

        return self._find_or_add("cellXfs", build, lambda e: (self._xf_key(e), e.get("quotePrefix")))

    def variant(self, tag: str, index: int, change: Any) -> int:
        """Return the index in ``tag`` ('cellXfs', 'fonts') of a copy of its entry ``index`` that
        ``change(copy)`` edited (found among the entries or appended; the entry itself unchanged)."""
        entries = [e for e in self._list(tag) if isinstance(e.tag, str)]

        def build(holder: Any) -> Any:
            if index < len(entries):
                twin = copy.deepcopy(entries[index])
                holder.append(twin)
            else:  # a cell pointing past the list: Excel shows it with the default entry
                twin = sub(holder, "xf" if tag == "cellXfs" else tag[:-1])
            change(twin)
            return twin

        return self._find_or_add(tag, build)

    def dxf_fill(self, rgb: str) -> int:
        """Return the index of a differential format that fills with ``rgb`` (found or appended)."""

        def build(holder: Any) -> Any:
            dxf = sub(holder, "dxf")
            pattern = sub(sub(dxf, "fill"), "patternFill", patternType="solid")
            sub(pattern, "fgColor", rgb="FF" + rgb[-6:])
            sub(pattern, "bgColor", rgb="FF" + rgb[-6:])
            return dxf

        return self._find_or_add("dxfs", build)


def defined_names(root: Any) -> Iterable[Any]:
    """Return the ``<definedName>`` elements of a workbook part's root."""
    names = root.find(q("definedNames"))
    return list(names) if names is not None else []


# ------------------------------------------------------------------ what openpyxl would drop

_EXTENSIONS = {  # worksheet extLst entries openpyxl drops, by the URI Excel gives them
    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "迷你图",
    "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}": "引用其他工作表的下拉列表（x14 数据验证）",
    "{78C0D931-6437-407d-A8EE-F0AAD7539E65}": "扩展的条件格式（如数据条、图标集）",
    "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}": "扩展的条件格式（如数据条、图标集）",
    "{A8765BA9-456A-4dab-B4F3-ACF838C121DE}": "切片器",
    "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}": "切片器",
}
_EXT_URI = re.compile(rb'<(?:\w+:)?ext\b[^>]*\buri="([^"]+)"')


def openpyxl_losses(data: bytes) -> list[str]:
    """Return what an openpyxl load and save of the workbook ``data`` would drop, in Chinese, once each."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return []
    found: list[str] = []

    def add(label: str) -> None:
        if label not in found:
            found.append(label)

    with archive:
        names = archive.namelist()
        for name in names:
            lowered = name.lower()
            if lowered.startswith("xl/media/"):
                add("图片（如扫描的公章）")
            elif lowered.startswith("customxml/"):
                add("自定义 XML 部件（如 OA 系统的数据）")
            elif lowered.startswith("xl/printersettings/"):
                add("打印机设置")
            elif lowered.startswith(("xl/threadedcomments/", "xl/persons/")):
                add("新式批注（批注会话）")
            elif lowered.startswith(("xl/ctrlprops/", "xl/activex/")):
                add("表单控件")
            elif lowered.startswith(("xl/slicers/", "xl/timelines/")):
                add("切片器或日程表")
            elif lowered.startswith("xl/drawings/") and lowered.endswith(".xml"):
                drawing = archive.read(name)
                if re.search(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)\b", drawing):
                    add("文本框或形状")
            elif lowered.startswith("xl/charts/chart"):
                add("图表（openpyxl 只保留简化的图表）")
            elif lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
                for uri in _EXT_URI.findall(archive.read(name)):
                    add(_EXTENSIONS.get(uri.decode("ascii", "replace"), "工作表的扩展内容（extLst）"))
    return found
