"""A writer :class:`~jixiao.workbook.writer.Plan` applied to a workbook file's package at the XML level.

What changes: the output cells and the cached values of the plan (on their sheets' parts), the
校验结果 sheet's rows from 4 down with its summary line, links and print area, jixiao's
conditional format on each sheet that has (or had) marks, the cell formats and the one
differential format jixiao needs (appended to the styles part when not already there), and the
workbook's calculation flag (Excel, WPS and LibreOffice recalculate on open). Every other part —
and every other cell, row and element of the parts that change — stays as it was.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from jixiao.workbook import styles
from jixiao.workbook.layout import sheet_names
from jixiao.workbook.package import (
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


def apply_plan(data: bytes, plan: Plan, place: str = "") -> bytes:
    """Return the workbook package ``data`` with ``plan`` applied (see the module docstring)."""
    package = Package(data, place)
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
        sheet = SheetXml(package.xml(part))
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
    sheet = SheetXml(package.xml(part))
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
