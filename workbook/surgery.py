"""A writer :class:`~jixiao.workbook.writer.Plan` applied to a workbook file's package at the XML level.

What changes: the output cells and the cached values of the plan (on their sheets' parts), the
校验结果 sheet's rows from 4 down with its summary line, links and print area, jixiao's
conditional format on each sheet that has (or had) marks, the cell formats and the one
differential format jixiao needs (appended to the styles part when not already there), and the
workbook's calculation flag (Excel, WPS and LibreOffice recalculate on open). Every other part —
and every other cell, row and element of the parts that change — stays as it was.
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from datetime import datetime
from typing import Any

from lxml import etree

from jixiao.workbook import styles
from jixiao.workbook.layout import sheet_names
from jixiao.workbook.package import (
    DECLARATION,
    PACKAGE_REL,
    REL,
    WORKBOOK_ORDER,
    WORKSHEET_ORDER,
    Package,
    SheetXml,
    StylesXml,
    defined_names,
    insert_in_order,
    local,
    q,
    split_ref,
    sub,
)
from jixiao.workbook.writer import FINDINGS_FIRST_ROW, MARK_FORMULA, MARK_RGB, Plan

_MARK_BYTES = (b'"jixiao"&lt;&gt;""', b"&quot;jixiao&quot;&lt;&gt;&quot;&quot;")  # as serialisers spell it
FINDINGS_COLUMNS = "ABCDEFGH"
LINK_COLOR = "0563C1"


def apply_plan(data: bytes, plan: Plan, place: str = "", wb: Any = None, report: Any = None) -> bytes:
    """Return the workbook package ``data`` with ``plan`` applied (see the module docstring); with a
    ``report`` document also its 自评报告 sheet (``wb`` is ``data`` loaded by openpyxl, for reading)."""
    package = Package(data, place)
    if report is not None:
        write_report_sheet(package, wb, report, datetime.now())
    parts = package.sheet_parts()
    style_part = package.styles_part()
    stylesheet = StylesXml(package.xml(style_part)) if style_part else None
    edits: dict[str, dict[str, Any]] = defaultdict(dict)
    for (title, ref), value in plan.values.items():
        edits[title][ref] = value
    cached: dict[str, dict[str, Any]] = defaultdict(dict)
    for (title, ref), value in plan.cached.items():
        cached[title][ref] = value
    findings_title = sheet_names()["findings"]
    for title, part in parts.items():
        if title == findings_title and plan.summary is not None:
            _findings_sheet(package, part, plan, stylesheet)
            continue
        marks = plan.marks.get(title, [])
        had_marks = any(spelled in package.read(part) for spelled in _MARK_BYTES)
        if not (edits.get(title) or cached.get(title) or marks or had_marks):
            continue
        sheet = SheetXml(package.xml(part), stylesheet)
        for ref, value in edits.get(title, {}).items():
            if value is None:
                sheet.clear(ref)
            else:
                sheet.put(ref, value)
        for ref, value in cached.get(title, {}).items():
            sheet.cache(ref, value)
        dxf = stylesheet.dxf_fill(MARK_RGB) if marks and stylesheet is not None else None
        mark_cells(sheet, marks, dxf)
    _workbook_flags(package, parts, plan)
    return package.save()


def mark_cells(sheet: SheetXml, refs: list[str], dxf: int | None) -> None:
    """Replace jixiao's conditional format on ``sheet`` by one highlighting ``refs`` (none when empty)."""
    root = sheet.root
    for block in root.findall(q("conditionalFormatting")):
        rules = block.findall(q("cfRule"))
        ours = [r for r in rules if r.get("type") == "expression" and _formula(r) == MARK_FORMULA]
        for rule in ours:
            block.remove(rule)
        if ours and len(ours) == len(rules):
            root.remove(block)
    if not refs or dxf is None:
        return
    priorities = [int(r.get("priority")) for r in root.iter() if local(r) == "cfRule" and r.get("priority")]
    block = _insert_after_blocks(root)
    block.set("sqref", " ".join(refs))
    rule = sub(
        block, "cfRule", type="expression", dxfId=str(dxf), priority=str(max(priorities, default=0) + 1)
    )
    sub(rule, "formula").text = MARK_FORMULA


def _formula(rule: Any) -> str | None:
    found = rule.find(q("formula"))
    return found.text if found is not None else None


def _insert_after_blocks(root: Any) -> Any:
    """Return a new ``<conditionalFormatting>`` placed after the sheet's last one (or where it belongs)."""
    existing = root.findall(q("conditionalFormatting"))
    if not existing:
        return insert_in_order(root, "conditionalFormatting", WORKSHEET_ORDER)
    block = sub(root, "conditionalFormatting")
    existing[-1].addnext(block)
    return block


# ------------------------------------------------------------------ 校验结果


def _findings_sheet(package: Package, part: str, plan: Plan, stylesheet: StylesXml | None) -> None:
    sheet = SheetXml(package.xml(part), stylesheet)
    sheet.put("A2", plan.summary)
    sheet.drop_rows(FINDINGS_FIRST_ROW)
    links = sheet.child("hyperlinks", create=False)
    if links is not None:
        sheet.root.remove(links)
    formats = _finding_formats(stylesheet)
    widths = sheet.widths()
    made = []
    for offset, item in enumerate(plan.rows):
        number = FINDINGS_FIRST_ROW + offset
        texts = []
        for col, value in zip(FINDINGS_COLUMNS, item.values, strict=True):
            left = col in "DEF"
            key = (left, col == "D" and item.link is not None, col == "B" and item.error)
            sheet.put(f"{col}{number}", value, formats.get(key))
            if isinstance(value, str):
                width = widths.get(split_ref(f"{col}1")[0], 8.43)
                texts.append((value, width, 10.0))
        row = sheet.row(number)
        row.set("ht", f"{styles.wrapped_height(texts):g}")
        row.set("customHeight", "1")
        if item.link is not None:
            made.append((f"D{number}", item.link, item.display))
    if made:
        holder = sheet.child("hyperlinks")
        for ref, location, display in made:
            sub(holder, "hyperlink", ref=ref, location=location, display=display)
    dimension = sheet.child("dimension", create=False)
    if dimension is not None:
        dimension.set("ref", f"A1:{FINDINGS_COLUMNS[-1]}{max(FINDINGS_FIRST_ROW - 1 + len(plan.rows), 3)}")


def _finding_formats(stylesheet: StylesXml | None) -> dict[tuple[bool, bool, bool], int]:
    """Return the cell format of a 校验结果 cell by (left-aligned, a link, an error level)."""
    if stylesheet is None:
        return {}
    border = stylesheet.grid()
    plain = stylesheet.font(styles.BODY_FONT, 10)
    link = stylesheet.font(styles.BODY_FONT, 10, color=LINK_COLOR)
    error = stylesheet.fill(MARK_RGB)
    formats = {}
    for left in (False, True):
        for is_link in (False, True):
            for is_error in (False, True):
                font = link if is_link else plain
                fill = error if is_error else 0
                formats[(left, is_link, is_error)] = stylesheet.xf(
                    font, fill, border, "left" if left else "center"
                )
    return formats


# ------------------------------------------------------------------ workbook.xml


def _workbook_flags(package: Package, parts: dict[str, str], plan: Plan) -> None:
    """Set the workbook's recalculate-on-open flag and 校验结果's print area."""
    root = package.xml(package.workbook_part())
    calc = root.find(q("calcPr"))
    if calc is None:
        calc = insert_in_order(root, "calcPr", WORKBOOK_ORDER)
    calc.set("fullCalcOnLoad", "1")
    title = sheet_names()["findings"]
    if plan.summary is None or title not in parts:
        return
    index = list(parts).index(title)
    sheets = root.find(q("sheets"))
    if sheets is not None:
        index = [s.get("name") for s in sheets].index(title)
    quoted = "'" + title.replace("'", "''") + "'"
    for defined in defined_names(root):
        if defined.get("name") == "_xlnm.Print_Area" and defined.get("localSheetId") == str(index):
            defined.text = f"{quoted}!$A$1:${FINDINGS_COLUMNS[-1]}${plan.last_row}"


# ------------------------------------------------------------------ 自评报告

_LINKED = ("drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
           "tableParts")  # fmt: skip
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"


def write_report_sheet(package: Package, wb: Any, document: Any, now: datetime) -> str | None:
    """Write ``document`` into the 自评报告 sheet of ``package`` (``wb`` is it loaded, for reading);
    return the title of the dated copy kept of a sheet a person edited, if any.

    What changes is what :func:`~jixiao.workbook.report_sheet.fill_report_sheet` writes: column A
    from the title row down, the hidden stamp column, the row heights and page breaks, the page
    setup and the print area; an edited sheet is first copied to a new part after it.
    """
    from jixiao.workbook.report_sheet import FOOTER, copy_title, edited, report_layout, report_sheet_of, spec

    ws, body_row = report_sheet_of(wb)
    parts = package.sheet_parts()
    part = parts[ws.title]
    kept = None
    if edited(ws, body_row):
        kept = copy_title(list(parts), ws.title, now)
        _copy_sheet(package, ws.title, part, kept)
    layout, s = report_layout(document, body_row), spec()
    style_part = package.styles_part()
    stylesheet = StylesXml(package.xml(style_part)) if style_part else None
    sheet = SheetXml(package.xml(part), stylesheet)
    for number, row in sheet.rows().items():
        if number >= layout.clear_from:
            sheet.clear(f"A{number}")
            for attribute in ("ht", "customHeight"):
                row.attrib.pop(attribute, None)
    for item in layout.rows:
        xf = None
        if stylesheet is not None:
            font = stylesheet.font(item.style["font"], item.style["size"], bold=item.style["bold"])
            xf = stylesheet.xf(
                font, 0, 0, item.style["horizontal"], vertical=item.style.get("vertical", "bottom")
            )
        sheet.put(f"A{item.row}", item.text, xf)
        row = sheet.row(item.row)
        row.set("ht", f"{item.height:g}")
        row.set("customHeight", "1")
    breaks = sheet.child("rowBreaks", create=False)
    if breaks is not None:
        sheet.root.remove(breaks)
    if layout.breaks:
        breaks = sheet.child("rowBreaks")
        breaks.set("count", str(len(layout.breaks)))
        breaks.set("manualBreakCount", str(len(layout.breaks)))
        for number in layout.breaks:
            sub(breaks, "brk", id=str(number), max="16383", man="1")
    width = sheet.column(1)
    width.set("width", f"{s['width']:g}")
    width.set("customWidth", "1")
    stamp_column = split_ref(f"{s['stamp_column']}1")[0]
    sheet.column(stamp_column).set("hidden", "1")
    sheet.put(f"{s['stamp_column']}1", layout.stamp)
    _report_page(sheet, s["margins"], FOOTER)
    dimension = sheet.child("dimension", create=False)
    if dimension is not None:
        used = max([layout.last, *sheet.used_rows()], default=1)
        dimension.set("ref", f"A1:{s['stamp_column']}{used}")
    _print_area(package, ws.title, f"$A$1:$A${layout.last}")
    return kept


def _report_page(sheet: SheetXml, margins: dict[str, float], footer: str) -> None:
    """Give the report sheet A4 portrait, one page wide, centred, its margins, page numbers, no grid."""
    _child_after(sheet.child("sheetPr"), "pageSetUpPr", ("tabColor", "outlinePr")).set("fitToPage", "1")
    views = sheet.child("sheetViews", create=False)
    view = views.find(q("sheetView")) if views is not None else None
    if view is not None:
        view.set("showGridLines", "0")
    sheet.child("printOptions").set("horizontalCentered", "1")
    page = sheet.child("pageMargins")
    for side in ("left", "right", "top", "bottom"):
        page.set(side, f"{margins[side]:g}")
    for side in ("header", "footer"):
        page.set(side, page.get(side, "0.3"))
    setup = sheet.child("pageSetup")
    for key, value in (
        ("paperSize", "9"),
        ("orientation", "portrait"),
        ("fitToWidth", "1"),
        ("fitToHeight", "0"),
    ):
        setup.set(key, value)
    _child_after(sheet.child("headerFooter"), "oddFooter", ("oddHeader",)).text = f"&C{footer}"


def _child_after(parent: Any, tag: str, previous: tuple[str, ...]) -> Any:
    """Return ``parent``'s child ``tag``, made when missing after the last of ``previous`` (or first)."""
    found = parent.find(q(tag))
    if found is not None:
        return found
    made = sub(parent, tag)
    before = [c for c in parent if local(c) in previous]
    if before:
        before[-1].addnext(made)
    else:
        parent.insert(0, made)
    return made


def _print_area(package: Package, title: str, ref: str) -> None:
    """Set (or add) the print area of the sheet ``title`` to ``ref``."""
    root = package.xml(package.workbook_part())
    titles = [s.get("name") for s in root.find(q("sheets"))]
    index = str(titles.index(title))
    quoted = "'" + title.replace("'", "''") + "'"
    names = root.find(q("definedNames"))
    if names is None:
        names = insert_in_order(root, "definedNames", WORKBOOK_ORDER)
    for defined in names:
        if defined.get("name") == "_xlnm.Print_Area" and defined.get("localSheetId") == index:
            defined.text = f"{quoted}!{ref}"
            return
    sub(names, "definedName", name="_xlnm.Print_Area", localSheetId=index).text = f"{quoted}!{ref}"


def _copy_sheet(package: Package, title: str, part: str, copy: str) -> None:
    """Add a copy of the sheet ``title`` (part ``part``) named ``copy`` right after it, greyed and
    unprotected; what the sheet links to (drawings, comments …) stays with the original."""
    root = etree.fromstring(package.read(part))
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        name = local(element)
        if (
            name in _LINKED
            or (name == "hyperlink" and element.get(f"{{{REL}}}id"))
            or name == "sheetProtection"
        ):
            element.getparent().remove(element)
        elif name == "sheetView":
            element.attrib.pop("tabSelected", None)
        for key in [k for k in element.attrib if k.startswith(f"{{{REL}}}")]:
            del element.attrib[key]
    properties = SheetXml(root).child("sheetPr")
    color = properties.find(q("tabColor"))
    if color is None:
        color = sub(properties, "tabColor")
        properties.insert(0, color)
    color.attrib.clear()
    color.set("rgb", "FFBFBFBF")
    folder = posixpath.dirname(part)
    new_part = package.free_name(posixpath.join(folder, "sheet{}.xml"))
    package.add(new_part, DECLARATION + etree.tostring(root, encoding="UTF-8"), after=part)
    # the workbook: the sheet after the original, its relationship, its content type
    workbook = package.workbook_part()
    book = package.xml(workbook)
    sheets = book.find(q("sheets"))
    entries = list(sheets)
    index = [s.get("name") for s in entries].index(title)
    rels_part = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    rels = package.xml(rels_part)
    taken = {r.get("Id") for r in rels}
    rel_id = next(f"rIdJx{n}" for n in range(1, 10_000) if f"rIdJx{n}" not in taken)
    target = posixpath.relpath(new_part, posixpath.dirname(workbook))
    etree.SubElement(
        rels, f"{{{PACKAGE_REL}}}Relationship", Id=rel_id, Type=f"{REL}/worksheet", Target=target
    )
    number = max(int(s.get("sheetId", 0)) for s in entries) + 1
    entry = etree.SubElement(sheets, q("sheet"), nsmap={"r": REL})
    entry.set("name", copy)
    entry.set("sheetId", str(number))
    entry.set(f"{{{REL}}}id", rel_id)
    entries[index].addnext(entry)
    for defined in defined_names(book):  # sheet-scoped names of the sheets after it move one on
        local_id = defined.get("localSheetId")
        if local_id is not None and int(local_id) > index:
            defined.set("localSheetId", str(int(local_id) + 1))
    for view in book.iter(q("workbookView")):
        for key in ("activeTab", "firstSheet"):
            if view.get(key) is not None and int(view.get(key)) > index:
                view.set(key, str(int(view.get(key)) + 1))
    types = package.xml("[Content_Types].xml")
    etree.SubElement(
        types, f"{{{CONTENT_TYPES}}}Override", PartName="/" + new_part, ContentType=WORKSHEET_TYPE
    )
