"""The sheets 填表说明 and 基本信息 (with the scoring policy) of the prepared workbook."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from openpyxl import Workbook

from jixiao.model import Filing
from jixiao.numbers import fmt_plain
from jixiao.policy import GRADE_LINES, LOWEST_GRADE, ScoringPolicy
from jixiao.scoring import MODES
from jixiao.workbook import styles
from jixiao.workbook.layout import get_path, layout, policy_name, sheet_names
from jixiao.workbook.pages import protect, set_widths, setup_page
from jixiao.workbook.policy_words import continuation_id, policy_key, policy_shown, policy_words  # noqa: F401
from jixiao.workbook.sheet import SheetWriter

# ------------------------------------------------------------------ 填表说明


def guide_text(text: str, policy: ScoringPolicy) -> str:
    """Return a 填表说明 paragraph with {modes} and {grades} filled in."""
    lines = " > ".join(f"{grade} ≥ {fmt_plain(bound)}" for grade, bound in policy.grade_lines)
    return text.format(modes="/".join(MODES), grades=f"{lines} > {LOWEST_GRADE}")


def build_guide(wb: Workbook, policy: ScoringPolicy) -> None:
    """Add the sheet 填表说明: what to fill and how jixiao scores, one paragraph per row."""
    ws = wb.create_sheet(sheet_names()["guide"])
    w = SheetWriter(ws)
    set_widths(ws, {"A": 80})
    guide = layout()["guide"]
    for row, entry in enumerate(guide, start=1):
        text, kind = guide_text(entry["text"], policy), entry.get("style", "")
        size, bold, font_name = 10.5, False, styles.BODY_FONT
        if kind == "title":
            size, bold, font_name = 16, True, styles.TITLE_FONT
        elif kind == "heading":
            size, bold, font_name = 12, True, styles.HEADING_FONT
        w.label(
            f"A{row}",
            text,
            bold=bold,
            size=size,
            horizontal="center" if kind == "title" else "left",
            border=False,
            font_name=font_name,
        )
        styles.fit_row_height(ws, row, last_col=1, minimum=30 if kind == "title" else 20, line=16)
    setup_page(ws, "A", len(guide))
    protect(ws)


# ------------------------------------------------------------------ 基本信息


def _section(w: SheetWriter, row: int, title: str) -> int:
    w.label(f"A{row}:C{row}", title, bold=True, horizontal="left", font_name=styles.HEADING_FONT)
    w.ws[f"A{row}"].fill = styles.HELPER_FILL
    w.ws.row_dimensions[row].height = 22
    return row + 1


def _info_value(filing: Filing, field: dict[str, Any]) -> Any:
    value = get_path(filing, field["path"])
    if field["kind"] == "date" and value:
        return str(value)
    return value


def _build_list(w: SheetWriter, row: int, spec: dict[str, Any], items: list[Any]) -> int:
    row = _section(w, row, spec["title"])
    for i, col in enumerate(spec["columns"]):
        w.label(f"{'ABC'[i]}{row}", col["header"], bold=True)
    row += 1
    first = row
    count = len(items) + spec["spare"]
    for k in range(count):
        item = items[k] if k < len(items) else None
        for i, col in enumerate(spec["columns"]):
            value = getattr(item, col["field"]) if item is not None else None
            w.input(f"{'ABC'[i]}{row}", value, col["kind"], horizontal="left" if i != 1 else "center")
        row += 1
    w.define(spec["id"], f"A{first}:C{row - 1}")
    return row


def build_info(wb: Workbook, filing: Filing) -> None:
    """Add the sheet 基本信息: unit, signers, head counts, spending, prose and the scoring policy."""
    ws = wb.create_sheet(sheet_names()["info"])
    w = SheetWriter(ws)
    set_widths(ws, {"A": 34, "B": 70, "C": 34})
    w.label("A1:C1", "基本信息", bold=True, size=16, border=False, font_name=styles.TITLE_FONT)
    ws.row_dimensions[1].height = 32
    row = 2
    info = layout()["info"]
    field_rows: dict[str, int] = {}
    for section in info["section"]:
        if section["title"].startswith("七"):
            row = _build_list(w, row, info["projects"], filing.spending.projects)
            row = _build_list(w, row, info["balance"], filing.spending.balance_items)
        row = _section(w, row, section["title"])
        for field in section["fields"]:
            field_rows[field["id"]] = row
            if field["kind"] == "prose":
                row = _build_prose(w, row, field, _info_value(filing, field))
                continue
            w.label(f"A{row}", field["label"], horizontal="left")
            kind = field["kind"]
            w.input(
                f"B{row}",
                _info_value(filing, field),
                kind,
                ident=field["id"],
                horizontal="left" if kind in ("text", "date") else "center",
            )
            w.label(f"C{row}", field.get("hint", ""), horizontal="left", size=9)
            styles.fit_row_height(ws, row, last_col=3)
            row += 1
        for comp in section.get("computed", []):
            w.label(f"A{row}", comp["label"], horizontal="left")
            refs = ",".join(f"B{field_rows[i]}" for i in comp["sum"])
            w.output(f"B{row}", f"=SUM({refs})", ident=comp["id"], number_format=styles.AMOUNT_FORMAT)
            w.label(f"C{row}", "自动计算", horizontal="left", size=9)
            styles.fit_row_height(ws, row, last_col=3)
            row += 1
    row = _build_policy(w, row, filing.policy)
    setup_page(ws, "C", row - 1)
    protect(ws)


# the tallest row Excel and LibreOffice keep (points); a longer text continues on the next rows
ROW_LIMIT = 400
PROSE_WIDTH = 70 + 34  # a prose field spans B:C


def prose_chunks(text: str | None) -> list[str]:
    """Return ``text`` cut at paragraph breaks into pieces whose wrapped rows print whole.

    Joined with a line break they give ``text`` back; a single paragraph longer than a row can hold
    stays one piece.
    """
    if not text:
        return [text or ""]
    chunks: list[str] = []
    for paragraph in str(text).split("\n"):
        joined = f"{chunks[-1]}\n{paragraph}" if chunks else None
        if joined is not None and styles.wrapped_height([(joined, PROSE_WIDTH, 10.5)]) <= ROW_LIMIT:
            chunks[-1] = joined
        else:
            chunks.append(paragraph)
    return chunks


def _build_prose(w: SheetWriter, row: int, field: dict[str, Any], text: str | None) -> int:
    """Write a prose field over B:C from ``row``, continued on （续） rows; return the row after."""
    chunks = prose_chunks(text)
    first = row
    for k, chunk in enumerate(chunks):
        w.label(f"A{row}", field["label"] if k == 0 else f"{field['label']}（续）", horizontal="left")
        w.input(f"B{row}:C{row}", chunk or None, "prose", ident=field["id"] if k == 0 else None)
        height = styles.wrapped_height([(chunk or "", PROSE_WIDTH, 10.5)], minimum=36)
        w.ws.row_dimensions[row].height = min(409, height)
        row += 1
    if len(chunks) > 1:
        w.define(continuation_id(field["id"]), f"B{first + 1}:B{row - 1}")
    return row


def _build_policy(w: SheetWriter, row: int, policy: ScoringPolicy) -> int:
    """Write one row per policy setting from ``row``; return the row after the last.

    A setting with Chinese words gets a formula beside the print area (column ``key`` of the
    layout) turning the word back into its stored key; the defined name points there.
    """
    spec = layout()["info"]["policy"]
    row = _section(w, row, spec["title"])
    key_col = spec["key"]
    w.output(f"{key_col}{row - 1}", spec["key_header"], helper=True)
    w.ws.column_dimensions[key_col].width = 16
    settings = policy.to_settings()
    types = {f.name: f.type for f in dataclasses.fields(ScoringPolicy)}
    grade_labels = {key: f"{grade} ≥" for grade, key in GRADE_LINES}
    for key, text in settings.items():
        w.label(f"A{row}", spec["labels"].get(key) or grade_labels[key], horizontal="left")
        numeric = types[key] in ("Decimal", "int")
        words = policy_words(key)
        value: Any = Decimal(text) if numeric else policy_shown(key, text)
        choices = list(words) if words else ScoringPolicy.choices(key)
        w.input(f"B{row}", value, "number" if numeric else "text", choices=list(choices) if choices else None)
        w.label(f"C{row}", spec.get("hints", {}).get(key, ""), horizontal="left", size=9)
        ident = policy_name(key)[len("JX_") :]
        if words:
            formula = f"B{row}"  # an English key typed in B passes through
            for word, stored in reversed(list(words.items())):
                formula = f'IF(B{row}="{word}","{stored}",{formula})'
            w.output(f"{key_col}{row}", "=" + formula, helper=True)
            w.define(ident, f"{key_col}{row}")
        else:
            w.define(ident, f"B{row}")
        styles.fit_row_height(w.ws, row, last_col=3)
        row += 1
    return row
