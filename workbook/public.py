"""The 公开版 of a workbook: every text, number, note and property that could name or reach a person.

:func:`redact_workbook` applies the report's redactor to every text cell and the string literals
of formulas, replaces numbers that are phone or ID numbers, empties the 填表人 / 联系电话 /
单位负责人 inputs whatever they hold, and scrubs what the cells do not show: comments and their
authors, hyperlinks, page headers and footers, data-validation prompts and lists, sheet names
(renamed with every reference to them), defined-name comments and the document properties
(creator, last modified by, title …; custom properties dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from openpyxl.packaging.custom import CustomPropertyList

from jixiao.report.redact import private_number, replacement
from jixiao.textsafe import put_text
from jixiao.workbook.cells import Cells
from jixiao.workbook.layout import info_fields, name
from jixiao.workbook.sheet import quote_sheet

AUTHOR = "jixiao"  # the author the 公开版 gives its comments and document properties

Redact = Callable[[str], str]
SIGNER_PATHS = ("signers.filler", "signers.phone", "signers.head")  # emptied whatever they hold
_STRING = re.compile(r'"(?:[^"]|"")*"')
_TEXT_PROPERTIES = ("title", "subject", "description", "keywords", "category", "identifier", "contentStatus")
_HEADERS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
_INVALID_TITLE = re.compile(r"[\\*?:/\[\]]")


def redact_workbook(wb: Any, redact: Redact) -> None:
    """Make ``wb`` its own 公开版 with ``redact`` (a :class:`jixiao.report.redact.Redactor`)."""
    cells = Cells(wb)
    for field in info_fields():
        if field["path"] in SIGNER_PATHS:
            place = cells.place(name(field["id"]))
            if place is not None:
                place.ws[cells.anchor(place).coordinate].value = None
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _redact_cell(cell, redact)
        _redact_page(ws, redact)
    for ws in list(wb.worksheets):
        title = _safe_title(redact(ws.title))
        if title != ws.title:
            rename_sheet(wb, ws, _unique(wb, title))
    scoped = (entry for ws in wb.worksheets for entry in ws.defined_names.values())
    for entry in [*wb.defined_names.values(), *scoped]:
        if entry.comment:
            entry.comment = redact(entry.comment)
    _redact_properties(wb, redact)


def _redact_cell(cell: Any, redact: Redact) -> None:
    value = cell.value
    if isinstance(value, str):
        if cell.data_type == "f":
            cell.value = redact_formula(value, redact)
        else:
            put_text(cell, redact(value))
    elif private_number(value):
        put_text(cell, replacement())
    if cell.comment is not None:
        cell.comment.text = redact(cell.comment.text or "")
        cell.comment.author = AUTHOR
    link = cell.hyperlink
    if link is not None:
        target = link.target or ""
        if redact(target) != target:
            cell.hyperlink = None  # a mailto: or a link that carries a number
        else:
            for attribute in ("tooltip", "display", "location"):
                text = getattr(link, attribute)
                if text:
                    setattr(link, attribute, redact(text))


def redact_formula(formula: str, redact: Redact) -> str:
    """Return ``formula`` with its string literals redacted (references and functions untouched)."""

    def literal(match: re.Match[str]) -> str:
        inner = match.group()[1:-1].replace('""', '"')
        return '"' + redact(inner).replace('"', '""') + '"'

    return _STRING.sub(literal, formula)


def _redact_page(ws: Any, redact: Redact) -> None:
    """Redact the page headers and footers and the data-validation prompts and lists of ``ws``."""
    for attribute in _HEADERS:
        header = getattr(ws, attribute, None)
        for part in (header.left, header.center, header.right) if header is not None else ():
            if part.text:
                part.text = redact(part.text)
    for dv in ws.data_validations.dataValidation:
        for attribute in ("prompt", "promptTitle", "error", "errorTitle"):
            text = getattr(dv, attribute)
            if text:
                setattr(dv, attribute, redact(text))
        if dv.formula1 and dv.formula1.startswith('"'):
            dv.formula1 = redact_formula(dv.formula1, redact)


def _redact_properties(wb: Any, redact: Redact) -> None:
    props = wb.properties
    props.creator = props.lastModifiedBy = AUTHOR
    for attribute in _TEXT_PROPERTIES:
        text = getattr(props, attribute)
        if text:
            setattr(props, attribute, redact(text))
    wb.custom_doc_props = CustomPropertyList()


def _safe_title(title: str) -> str:
    return _INVALID_TITLE.sub("＊", title)[:31]


def _unique(wb: Any, title: str) -> str:
    candidate, counter = title, 2
    while candidate in wb.sheetnames:
        candidate = f"{title[:28]}-{counter}"
        counter += 1
    return candidate


def rename_sheet(wb: Any, ws: Any, title: str) -> None:
    """Rename ``ws`` to ``title`` and every reference to it: formulas, defined names, data
    validations, conditional formats and hyperlinks within the workbook."""
    old = ws.title
    quoted = re.escape(quote_sheet(old)) + "!"
    plain = r"(?<![\w'.])" + re.escape(old) + "!" if re.fullmatch(r"\w+", old) else None
    pattern = re.compile(quoted if plain is None else f"{quoted}|{plain}")
    new = quote_sheet(title) + "!"

    def fix(text: Any) -> Any:
        return pattern.sub(lambda _m: new, text) if isinstance(text, str) else text

    ws.title = title
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.value = fix(cell.value)
                if cell.hyperlink is not None and cell.hyperlink.location:
                    cell.hyperlink.location = fix(cell.hyperlink.location)
        for dv in sheet.data_validations.dataValidation:
            dv.formula1, dv.formula2 = fix(dv.formula1), fix(dv.formula2)
        for formatting in sheet.conditional_formatting:
            for rule in formatting.rules:
                rule.formula = [fix(f) for f in rule.formula]
        for entry in sheet.defined_names.values():
            entry.attr_text = fix(entry.attr_text)
    for entry in wb.defined_names.values():
        entry.attr_text = fix(entry.attr_text)
