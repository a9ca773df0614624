"""The fast reader: a workbook package read with zipfile and lxml into ``workbook/source.py``'s classes.

It reads what the reader needs and nothing else: the workbook part (sheets, defined names, the
1904 flag), the shared strings, the cell formats' number formats and locked flags, and each
worksheet's cells, merges, hyperlink and comment cells (openpyxl creates those cells, and the last
row follows them). It follows openpyxl's reading rules cell for cell (see source.py), so that
the filing and the findings are the same. Anything it does not know how to read the way openpyxl
would (a strict-OOXML package, array or data-table formulas, ISO dates, an unknown cell type, a
sheet type other than worksheet and chart sheet, a damaged part) raises :class:`Unsupported`, and
the caller reads the file with openpyxl instead (saying so when JIXIAO_DEBUG is set).

A shared formula's dependent cell reads as openpyxl translates it; the translation (openpyxl's
formula tokenizer) is imported only when such a cell's value is read.

The number-format and date rules below follow openpyxl 3.1 (``openpyxl.styles.numbers`` and
``openpyxl.utils.datetime``, MIT licence), so that a date typed in a cell reads the same.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from jixiao.workbook.source import (
    DEFAULT_STYLE,
    LOCKED,
    UNLOCKED,
    Book,
    Cell,
    CellRange,
    ChartSheet,
    DefinedName,
    LazyValue,
    MergedCell,
    Sheet,
    Style,
    coordinate_tuple,
    range_boundaries,
)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
WORKBOOK_TYPES = (  # the order openpyxl looks for them in
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    f"{_SHEET}.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    f"{_SHEET}.sheet.main+xml",
)
SHARED_STRINGS_TYPE = f"{_SHEET}.sharedStrings+xml"
WORKSHEET_REL = REL + "/worksheet"
CHARTSHEET_REL = REL + "/chartsheet"
COMMENTS_REL = REL + "/comments"
STYLES_PART = "xl/styles.xml"  # openpyxl reads the styles from this path, whatever the relationships say

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_RESERVED = re.compile(
    r"^_xlnm\.(Print_Area|Print_Titles|Criteria|_FilterDatabase|Extract|Consolidate_Area|Sheet_Title)"
)
_GLOBAL_SKIPPED = ("_xlnm.Print_Titles", "_xlnm.Print_Area", "_xlnm._FilterDatabase")


def _q(tag: str) -> str:
    return f"{{{MAIN}}}{tag}"


C, V, F, IS, T, R, ROW = (_q(t) for t in ("c", "v", "f", "is", "t", "r", "row"))
SHEET_DATA, MERGE_CELL, HYPERLINK = _q("sheetData"), _q("mergeCell"), _q("hyperlink")


class Unsupported(Exception):
    """Raised for a package the fast reader does not read the way openpyxl would; the message says why."""


# ------------------------------------------------------------------ number formats and dates (openpyxl 3.1)

BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)', 9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?",
    13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: "mm:ss", 46: "[h]:mm:ss",
    47: "mmss.0", 48: "##0.0E+0", 49: "@",
}  # fmt: skip
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_DATE_CHAR = re.compile(r"(?<![_\\])[dmhysDMHYS]")
WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def is_date_format(fmt: str | None) -> bool:
    """Return True when the number format ``fmt`` shows a date or time (openpyxl's rule)."""
    if fmt is None:
        return False
    return _DATE_CHAR.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    """Return True when ``fmt`` shows elapsed time ([h]:mm)."""
    return fmt is not None and _TIMEDELTA.search(fmt.split(";")[0]) is not None


def from_excel(value: float, epoch: dt.datetime, timedelta: bool = False) -> Any:
    """Return the date, time, datetime or timedelta of the serial ``value`` (openpyxl's rule)."""
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + dt.timedelta(days=day) + diff


def _bool(text: str | None, default: bool) -> bool:
    if text is None:
        return default
    lowered = text.strip().lower()
    if lowered in ("1", "true"):
        return True
    if lowered in ("0", "false"):
        return False
    raise Unsupported(f"布尔值 {text!r}")


def _number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


# ------------------------------------------------------------------ the package


def load(path: str | Path) -> Book:
    """Return the workbook ``path`` read into source.Book; raise Unsupported when openpyxl must read it."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _Package(archive).book()
    except Unsupported:
        raise
    except Exception as exc:  # a damaged part: openpyxl's reader gives the user's message
        raise Unsupported(f"{type(exc).__name__}: {exc}") from None


class _Package:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = set(archive.namelist())

    def xml(self, part: str) -> Any:
        return etree.fromstring(self.archive.read(part), _PARSER)

    def rels(self, part: str) -> dict[str, tuple[str, str, str]]:
        """Return id → (type, target resolved as openpyxl resolves it, mode) of ``part``'s relationships."""
        folder, leaf = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", f"{leaf}.rels")
        if rels_part not in self.names:
            return {}
        parent = posixpath.split(posixpath.dirname(rels_part))[0]
        found = {}
        for rel in self.xml(rels_part).iter(f"{{{PKG_REL}}}Relationship"):
            target, mode = rel.get("Target"), rel.get("TargetMode")
            if target is None or rel.get("Id") is None or rel.get("Type") is None:
                raise Unsupported(f"{rels_part} 的关系不完整")
            if mode != "External":
                target = (
                    target[1:]
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join(parent, target))
                )
            found[rel.get("Id")] = (rel.get("Type"), target, mode)
        return found

    def book(self) -> Book:
        types = self.xml("[Content_Types].xml")
        overrides = [
            (o.get("PartName") or "", o.get("ContentType"))
            for o in types.iter(f"{{{CONTENT_TYPES}}}Override")
        ]
        workbook_part = next(
            (name[1:] for ct in WORKBOOK_TYPES for name, kind in overrides if kind == ct), None
        )
        if workbook_part is None:
            raise Unsupported("内容类型中没有工作簿部件")
        strings_part = next((name[1:] for name, kind in overrides if kind == SHARED_STRINGS_TYPE), None)
        strings = self.shared_strings(strings_part) if strings_part else []
        styles = self.styles()
        root = self.xml(workbook_part)
        if root.tag != _q("workbook"):
            raise Unsupported(f"工作簿部件的根元素 {root.tag}")
        props = root.find(_q("workbookPr"))
        epoch = MAC_EPOCH if props is not None and _bool(props.get("date1904"), False) else WINDOWS_EPOCH
        rels = self.rels(workbook_part)
        book = Book()
        sheets_node = root.find(_q("sheets"))
        for node in sheets_node if sheets_node is not None else ():
            if node.tag != _q("sheet"):
                continue
            title, rid = node.get("name"), node.get(f"{{{REL}}}id")
            if title is None or not rid or rid not in rels:
                raise Unsupported(f"工作表 {title!r} 的关系无效")
            kind, target, _ = rels[rid]
            if target not in self.names:
                continue  # openpyxl skips it too
            if "chartsheet" in kind:
                book.add(ChartSheet(title))
            elif kind == WORKSHEET_REL:
                if title in book:
                    raise Unsupported(f"工作表名称重复：{title}")
                book.add(self.sheet(title, target, strings, styles, epoch))
            else:
                raise Unsupported(f"工作表类型 {kind}")
        self.names_into(book, root)
        return book

    def names_into(self, book: Book, root: Any) -> None:
        """Bind the defined names as openpyxl does: globals to the book, locals to their sheets."""
        node = root.find(_q("definedNames"))
        for defn in node.iter(_q("definedName")) if node is not None else ():
            name = defn.get("name")
            if name is None:
                raise Unsupported("定义名称缺少 name")
            entry = DefinedName(name, defn.text or None)
            local = defn.get("localSheetId")
            if local is None:
                if name not in _GLOBAL_SKIPPED:
                    book.defined_names[name] = entry
                continue
            try:
                index = int(local)
            except ValueError:
                raise Unsupported(f"定义名称 {name} 的 localSheetId {local!r}") from None
            if not 0 <= index < len(book.sheets):
                continue  # openpyxl warns and drops it
            sheet = book.sheets[index]
            if _RESERVED.match(name):
                continue  # print titles and areas: the sheet's, not a name the reader reads
            if isinstance(sheet, ChartSheet):
                raise Unsupported(f"定义名称 {name} 属于图表工作表")
            sheet.defined_names[name] = entry

    def shared_strings(self, part: str) -> list[str]:
        strings = []
        for si in self.xml(part).iter(_q("si")):
            strings.append(_text(si).replace("x005F_", ""))
        return strings

    def styles(self) -> list[Style]:
        if STYLES_PART not in self.names:
            raise Unsupported("没有 xl/styles.xml")
        root = self.xml(STYLES_PART)
        custom: dict[int, str] = {}
        fmts = root.find(_q("numFmts"))
        for fmt in fmts.iter(_q("numFmt")) if fmts is not None else ():
            custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
        xfs = root.find(_q("cellXfs"))
        styles = []
        for xf in xfs.iter(_q("xf")) if xfs is not None else ():
            fmt_id = int(xf.get("numFmtId", 0))
            if fmt_id >= 164 and fmt_id not in custom:
                raise Unsupported(f"数字格式 {fmt_id} 未定义")
            code = custom[fmt_id] if fmt_id in custom else BUILTIN_FORMATS.get(fmt_id)
            shown = code if fmt_id in custom or fmt_id >= 164 else BUILTIN_FORMATS.get(fmt_id, "General")
            prot = xf.find(_q("protection"))
            locked = True if prot is None else _bool(prot.get("locked"), True)
            styles.append(
                Style(shown, LOCKED if locked else UNLOCKED, is_date_format(code), is_timedelta_format(code))
            )
        if not styles:
            raise Unsupported("样式表没有单元格格式")
        return styles

    def sheet(
        self, title: str, part: str, strings: list[str], styles: list[Style], epoch: dt.datetime
    ) -> Sheet:
        ws = Sheet(title)
        root = self.xml(part)
        if root.tag != _q("worksheet"):
            raise Unsupported(f"工作表 {title} 的根元素 {root.tag}")
        cells = ws._cells
        shared: dict[str, tuple[str, str]] = {}
        by_id: dict[str | None, Style] = {None: styles[0]}  # a cell's s attribute → its format
        row_counter = 0
        data = root.find(SHEET_DATA)
        for row in data.iter(ROW) if data is not None else ():
            r = row.get("r")
            row_counter = int(r) if r is not None else row_counter + 1
            col_counter = 0
            for c in row.iter(C):
                ref = c.get("r")
                if ref:
                    at_row, at_col = coordinate_tuple(ref)
                    col_counter = at_col
                else:
                    col_counter += 1
                    at_row, at_col = row_counter, col_counter
                    ref = None
                s = c.get("s")
                style = by_id.get(s)
                if style is None:
                    style = by_id[s] = styles[int(s)] if s else styles[0]
                if len(c) == 0:  # no value, no formula: an empty formatted cell (most of a form)
                    data_type = c.get("t", "n")
                    if data_type not in _EMPTY_TYPES:
                        raise Unsupported(f"单元格类型 {data_type}")
                    cells[(at_row, at_col)] = Cell(at_row, at_col, None, data_type, style)
                    continue
                cells[(at_row, at_col)] = _cell(c, at_row, at_col, ref, strings, style, epoch, shared)
        for node in root.iter(MERGE_CELL):
            min_col, min_row, max_col, max_row = range_boundaries(node.get("ref"))
            if None in (min_col, min_row):
                raise Unsupported(f"合并区域 {node.get('ref')}")
            rng = CellRange(min_col, min_row, max_col, max_row)
            for r in range(min_row, max_row + 1):
                for col in range(min_col, max_col + 1):
                    if (r, col) == (min_row, min_col):
                        continue
                    read = cells.get((r, col))
                    cells[(r, col)] = MergedCell(r, col, None, "n", read.style if read else DEFAULT_STYLE)
            ws.merged_cells.ranges.append(rng)
        if cells:
            ws._max_row = max(key[0] for key in cells)
        for link in root.iter(HYPERLINK):  # openpyxl binds a hyperlink to its cells, creating them
            ref = link.get("ref") or ""
            if ":" in ref:
                min_col, min_row, max_col, max_row = range_boundaries(ref)
                for r in range(min_row, max_row + 1):
                    for col in range(min_col, max_col + 1):
                        ws.cell(r, col)
            else:
                ws[ref]
        for kind, target, mode in self.rels(part).values():
            if kind == COMMENTS_REL and mode != "External" and target in self.names:
                for comment in self.xml(target).iter(_q("comment")):
                    ws[comment.get("ref")]
        return ws


_EMPTY_TYPES = frozenset(("n", "s", "b", "e", "str", "inlineStr"))  # the types openpyxl keeps without a value


def _text(node: Any) -> str:
    """Return the text of a string item (<si> or <is>): its <t> and its runs' <t>, as openpyxl joins them."""
    if len(node) == 1 and node[0].tag == T:  # one plain <t>: most strings
        return node[0].text or ""
    parts = []
    plain = node.find(T)
    if plain is not None and plain.text:
        parts.append(plain.text)
    for run in node.iterfind(R):
        t = run.find(T)
        if t is not None and t.text is not None:
            parts.append(t.text)
    return "".join(parts)


def _cell(
    c: Any,
    row: int,
    column: int,
    ref: str | None,
    strings: list[str],
    style: Style,
    epoch: dt.datetime,
    shared: dict[str, tuple[str, str]],
) -> Cell:
    data_type = c.get("t", "n")
    value: Any = None
    formula = inline = None
    for child in c:  # one pass over <v>, <f>, <is> (openpyxl takes the first of each)
        tag = child.tag
        if tag == V:
            if value is None:
                value = child.text or ""
        elif tag == F:
            formula = child if formula is None else formula
        elif tag == IS:
            inline = child if inline is None else inline
    if data_type == "inlineStr" or not value:
        value = None
    if formula is not None:
        kind = formula.get("t")
        text = "=" + (formula.text or "")
        if kind in ("array", "dataTable"):
            raise Unsupported(f"{kind} 公式")
        if kind == "shared":
            index = formula.get("si")
            if index in shared:
                master, at = shared[index]
                if ref is None:
                    raise Unsupported("共享公式单元格缺少坐标")
                text = LazyValue(_translate, master, at, ref)  # type: ignore[assignment]
            elif text != "=":
                if ref is None:
                    raise Unsupported("共享公式单元格缺少坐标")
                shared[index] = (text, ref)
        return Cell(row, column, text, "f", style)
    if value is not None:
        if data_type == "n":
            value = _number(value)
            if style.is_date:
                try:
                    value = from_excel(value, epoch, style.is_timedelta)
                    data_type = "d"
                except (OverflowError, ValueError):
                    data_type, value = "e", "#VALUE!"
        elif data_type == "s":
            value = strings[int(value)]
        elif data_type == "b":
            value = bool(int(value))
        elif data_type == "str":
            data_type = "s"
        elif data_type != "e":
            raise Unsupported(f"单元格类型 {data_type}")
    elif data_type == "inlineStr":
        if inline is not None:  # without <is> (openpyxl writes "" so) it stays an empty inlineStr
            data_type, value = "s", _text(inline)
    elif data_type not in _EMPTY_TYPES:
        raise Unsupported(f"单元格类型 {data_type}")
    return Cell(row, column, value, data_type, style)


def _translate(master: str, origin: str, destination: str) -> str:
    """Return the shared formula ``master`` (written at ``origin``) as it reads at ``destination``."""
    from openpyxl.formula.translate import Translator

    return Translator(master, origin).translate_formula(destination)
