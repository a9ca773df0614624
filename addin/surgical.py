"""The JSON engine's actions applied to a workbook file's package at the XML level (``jixiao addin click``).

A button that does not change the workbook's structure (校验, 计算得分, 生成报告 into its own sheet)
queues values, formats, internal links, row heights, column widths and jixiao's marks.
:func:`apply_to_package` makes exactly those edits: in the sheet parts the actions target, in the
styles part (a new format is appended, never an existing one changed) and the workbook's
recalculate-on-open flag. Every other part — pictures, drawings, comments, extLst, customXml, VBA,
the ribbon link — and every other cell and element of the parts that change stays as it was. The
selection and the active sheet (view-only actions) are not written. An action outside
:data:`SURGICAL` (inserting rows, adding or copying sheets, merging, names, notes) is structural:
:func:`surgical` says so and the caller takes the openpyxl path (:mod:`jixiao.addin.actions`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from openpyxl.styles.numbers import BUILTIN_FORMATS

from jixiao.addin.actions import registrar
from jixiao.addin.adapters import MARKS_MACRO
from jixiao.workbook.package import (
    WORKBOOK_ORDER,
    Package,
    SheetXml,
    StylesXml,
    column_letters,
    insert_in_order,
    local,
    q,
    sub,
)
from jixiao.workbook.surgery import mark_cells
from jixiao.workbook.writer import MARK_FORMULA

SURGICAL = frozenset(
    {"alert", "activateSheet", "rangeSelect", "setValues", "setFormula", "rangeClearContents",
     "setRangeColor", "addHyperlink", "setFontProperty", "setWrapText", "setHorizontalAlignment",
     "setNumberFormat", "setRowHeight", "setColumnWidth", "runMacro"}
)  # fmt: skip
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color",
              "name", "family", "charset", "scheme")  # fmt: skip
XF_ORDER = ("alignment", "protection", "extLst")
_FONT_TAGS = {"bold": "b", "italic": "i", "size": "sz", "name": "name", "color": "color"}
_MAX_CELLS = 100_000  # a range larger than this (a whole column) is left to the openpyxl path


def _args(action: dict[str, Any]) -> list[Any]:
    return action.get("args") or []


def _supported(action: dict[str, Any]) -> bool:
    func, args = action["func"], _args(action)
    if func not in SURGICAL:
        return False
    if func == "addHyperlink":
        return bool(args) and str(args[0]).startswith("#")  # a link inside the workbook: no relationship
    if func == "runMacro":
        return bool(args) and args[0] == MARKS_MACRO
    if func == "setFontProperty":
        return bool(args) and args[0] in _FONT_TAGS
    count = (action.get("row_count") or 0) * (action.get("column_count") or 0)
    return count <= _MAX_CELLS


def surgical(actions: list[dict[str, Any]]) -> bool:
    """Return True when every action of ``actions`` can be applied to the package in place."""
    return all(_supported(a) for a in actions)


class _Book:
    """The package being edited, its sheets and styles parsed only when an action needs them."""

    def __init__(self, package: Package, titles: list[str]) -> None:
        self.package = package
        self.titles = titles  # the sheets in the order the payload gave them (sheet_position)
        self.parts = package.sheet_parts()
        self._sheets: dict[str, SheetXml] = {}
        self._styles: StylesXml | None = None
        self.recalculate = False

    def title(self, action: dict[str, Any]) -> str:
        return self.titles[action["sheet_position"]]

    def sheet(self, title: str) -> SheetXml:
        if title not in self._sheets:
            self._sheets[title] = SheetXml(self.package.xml(self.parts[title]))
        return self._sheets[title]

    @property
    def sheets_edited(self) -> bool:
        return bool(self._sheets) or self._styles is not None

    @property
    def styles(self) -> StylesXml:
        if self._styles is None:
            part = self.package.styles_part()
            if part is None:
                raise NotImplementedError("a workbook without a styles part")
            self._styles = StylesXml(self.package.xml(part))
        return self._styles

    def cells(self, action: dict[str, Any]) -> list[list[str]]:
        """Return the references of the action's range, a merged cell as its range's top-left cell."""
        sheet = self.sheet(self.title(action))
        merges = sheet.merges()
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        rows = []
        for r in range(r0, r0 + action["row_count"]):
            row = []
            for c in range(c0, c0 + action["column_count"]):
                anchor = next(
                    ((m[0], m[1]) for m in merges if m[0] <= c <= m[2] and m[1] <= r <= m[3]), (c, r)
                )
                row.append(f"{column_letters(anchor[0])}{anchor[1]}")
            rows.append(row)
        return rows

    def restyle(self, action: dict[str, Any], change: Callable[[Any, Any], None]) -> None:
        """Give every cell of the action's range a copy of its cell format edited by ``change(xf, cell)``."""
        sheet = self.sheet(self.title(action))
        for row in self.cells(action):
            for ref in row:
                c = sheet.cell(ref)
                index = int(c.get("s", "0"))
                c.set("s", str(self.styles.variant("cellXfs", index, lambda xf, c=c: change(xf, c))))


Handler = Callable[[_Book, dict[str, Any]], str | None]
HANDLERS: dict[str, Handler] = {}


_handles = registrar(HANDLERS)


@_handles("alert")
def _alert(book: _Book, action: dict[str, Any]) -> str | None:
    return str(_args(action)[0])


@_handles("activateSheet", "rangeSelect")
def _view(book: _Book, action: dict[str, Any]) -> str | None:
    return None  # the selection and the active sheet are not part of what a click writes


def put(sheet: SheetXml, ref: str, value: Any) -> None:
    """Write ``value`` as Excel takes it from a client: '' or None clears, '=…' is a formula."""
    if value is None or value == "":
        sheet.clear(ref)
    elif isinstance(value, bool):
        sheet.clear(ref)
        c = sheet.cell(ref)
        c.set("t", "b")
        sub(c, "v").text = "1" if value else "0"
    elif isinstance(value, str) and value.startswith("="):
        sheet.clear(ref)
        sub(sheet.cell(ref), "f").text = value[1:]
    else:
        sheet.put(ref, value)


@_handles("setValues", "setFormula")
def _set_values(book: _Book, action: dict[str, Any]) -> str | None:
    sheet = book.sheet(book.title(action))
    for refs, values in zip(book.cells(action), action["values"], strict=True):
        for ref, value in zip(refs, values, strict=True):
            put(sheet, ref, value)
    book.recalculate = True
    return None


@_handles("rangeClearContents")
def _clear(book: _Book, action: dict[str, Any]) -> str | None:
    sheet = book.sheet(book.title(action))
    for refs in book.cells(action):
        for ref in refs:
            sheet.clear(ref)
    book.recalculate = True
    return None


@_handles("setRangeColor")
def _color(book: _Book, action: dict[str, Any]) -> str | None:
    color = _args(action)[0] if _args(action) else None
    fill = book.styles.fill(str(color).lstrip("#").upper() if color else None)

    def change(xf: Any, cell: Any) -> None:
        xf.set("fillId", str(fill))
        xf.set("applyFill", "1")

    book.restyle(action, change)
    return None


def _set_font_child(font: Any, prop: str, value: Any) -> None:
    """Set one property of the ``<font>`` element ``font`` (its children kept in the schema's order)."""
    tag = _FONT_TAGS[prop]
    for old in font.findall(q(tag)):
        font.remove(old)
    if tag in ("b", "i"):
        if value:
            insert_in_order(font, tag, FONT_ORDER)
    elif tag == "color":
        insert_in_order(font, tag, FONT_ORDER, rgb="FF" + str(value).lstrip("#").upper()[-6:])
    else:
        insert_in_order(font, tag, FONT_ORDER, val=str(value))


@_handles("setFontProperty")
def _font(book: _Book, action: dict[str, Any]) -> str | None:
    prop, value = _args(action)[:2]
    styles = book.styles

    def change(xf: Any, cell: Any) -> None:
        font = styles.variant("fonts", int(xf.get("fontId", "0")), lambda f: _set_font_child(f, prop, value))
        xf.set("fontId", str(font))
        xf.set("applyFont", "1")

    book.restyle(action, change)
    return None


def _align(**attributes: str | None) -> Callable[[Any, Any], None]:
    """Return a change of a cell format's alignment (an attribute of None is removed)."""

    def change(xf: Any, cell: Any) -> None:
        alignment = xf.find(q("alignment"))
        if alignment is None:
            alignment = insert_in_order(xf, "alignment", XF_ORDER)
        for key, value in attributes.items():
            if value is None:
                alignment.attrib.pop(key, None)
            else:
                alignment.set(key, value)
        xf.set("applyAlignment", "1")

    return change


@_handles("setWrapText")
def _wrap(book: _Book, action: dict[str, Any]) -> str | None:
    args = _args(action)
    book.restyle(action, _align(wrapText="1" if args and args[0] else None))
    return None


@_handles("setHorizontalAlignment")
def _horizontal(book: _Book, action: dict[str, Any]) -> str | None:
    book.restyle(action, _align(horizontal=str(_args(action)[0]).lower()))
    return None


def _number_format(styles: StylesXml, code: str) -> int:
    """Return the id of the number format ``code``: a built-in one, or one of the styles part (added)."""
    for number, builtin in BUILTIN_FORMATS.items():
        if builtin == code:
            return number
    holder = styles.root.find(q("numFmts"))
    if holder is None:
        holder = insert_in_order(styles.root, "numFmts", ("numFmts",), count="0")
    ids = [int(f.get("numFmtId", "0")) for f in holder if local(f) == "numFmt"]
    for entry in holder:
        if local(entry) == "numFmt" and entry.get("formatCode") == code:
            return int(entry.get("numFmtId"))
    number = max([163, *ids]) + 1
    sub(holder, "numFmt", numFmtId=str(number), formatCode=code)
    holder.set("count", str(len(ids) + 1))
    return number


@_handles("setNumberFormat")
def _format(book: _Book, action: dict[str, Any]) -> str | None:
    number = _number_format(book.styles, str(_args(action)[0]))

    def change(xf: Any, cell: Any) -> None:
        xf.set("numFmtId", str(number))
        xf.set("applyNumberFormat", "1")

    book.restyle(action, change)
    return None


@_handles("setRowHeight", "setColumnWidth")
def _size(book: _Book, action: dict[str, Any]) -> str | None:
    """Set the height of the action's rows, or the width of its columns."""
    sheet = book.sheet(book.title(action))
    size = f"{float(_args(action)[0]):g}"
    if action["func"] == "setRowHeight":
        first, count, element = action["start_row"], action["row_count"], sheet.row
        names = ("ht", "customHeight")
    else:
        first, count, element = action["start_column"], action["column_count"], sheet.column
        names = ("width", "customWidth")
    for number in range(first + 1, first + 1 + count):
        entry = element(number)
        entry.set(names[0], size)
        entry.set(names[1], "1")
    return None


@_handles("addHyperlink")
def _hyperlink(book: _Book, action: dict[str, Any]) -> str | None:
    target, text = [*_args(action), None][:2]
    sheet = book.sheet(book.title(action))
    ref = book.cells(action)[0][0]
    holder = sheet.child("hyperlinks")
    for old in holder.findall(q("hyperlink")):
        if old.get("ref") == ref:
            holder.remove(old)
    sub(holder, "hyperlink", ref=ref, location=str(target)[1:], display=str(text) if text else None)
    if text:
        put(sheet, ref, text)
    return None


def marks(root: Any) -> tuple[list[str], str | None]:
    """Return the cells jixiao's conditional format on the worksheet ``root`` fills and its dxfId
    (([], None) when it has none)."""
    for block in root.iter(q("conditionalFormatting")):
        for rule in block.iter(q("cfRule")):
            if rule.get("type") == "expression" and rule.findtext(q("formula")) == MARK_FORMULA:
                return block.get("sqref", "").split(), rule.get("dxfId")
    return [], None


def _dxf_rgb(book: _Book, dxf: str | None) -> str | None:
    """Return the fill colour (RRGGBB) of the differential format ``dxf`` of the styles part."""
    part = book.package.styles_part()
    holder = book.package.peek(part).find(q("dxfs")) if part and dxf is not None else None
    entries = [e for e in holder if isinstance(e.tag, str)] if holder is not None else []
    if dxf is None or not dxf.isdigit() or int(dxf) >= len(entries):
        return None
    color = entries[int(dxf)].find(f"{q('fill')}/{q('patternFill')}/{q('bgColor')}")
    return color.get("rgb", "")[-6:].upper() if color is not None else None


@_handles("runMacro")
def _marks(book: _Book, action: dict[str, Any]) -> str | None:
    _name, title, sqref, rgb = _args(action)[:4]
    refs, rgb = str(sqref or "").split(), str(rgb).lstrip("#").upper()
    part = book.parts.get(title)
    if part is None:
        return None
    now, dxf = marks(book.package.peek(part))
    if now == refs and (not refs or _dxf_rgb(book, dxf) == rgb):
        return None  # the marks the sheet shows already: the part stays byte for byte
    mark_cells(book.sheet(title), refs, book.styles.dxf_fill(rgb) if refs else None)
    return None


def apply_to_package(
    data: bytes, actions: list[dict[str, Any]], titles: list[str], place: str = ""
) -> tuple[bytes, list[str]]:
    """Return the package ``data`` with ``actions`` applied (see the module docstring) and the alerts
    shown; ``titles`` are the sheets in the payload's order. Every action must be :func:`surgical`.
    When no action changes a part, ``data`` itself comes back."""
    package = Package(data, place)
    book = _Book(package, titles)
    alerts = []
    for action in actions:
        alert = HANDLERS[action["func"]](book, action)
        if alert is not None:
            alerts.append(alert)
    if not (book.sheets_edited or book.recalculate):
        return data, alerts  # nothing to change (a clean 校验 that had no marks): the file as it is
    if book.recalculate:
        root = package.xml(package.workbook_part())
        calc = root.find(q("calcPr"))
        if calc is None:
            calc = insert_in_order(root, "calcPr", WORKBOOK_ORDER)
        calc.set("fullCalcOnLoad", "1")
    return package.save(), alerts
