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
            w.label(f"A{row}", field["label"], horizontal="left")
            kind = field["kind"]
            w.input(
                f"B{row}",
                _info_value(filing, field),
                kind,
                ident=field["id"],
                horizontal="left" if kind in ("text", "prose", "date") else "center",
            )
            w.label(f"C{row}", field.get("hint", ""), horizontal="left", size=9)
            if kind == "prose":
                text = _info_value(filing, field) or ""
                lines = sum(1 + len(part) // 40 for part in str(text).split("\n")) if text else 2
                ws.row_dimensions[row].height = min(409, max(36, 15 * lines))
            field_rows[field["id"]] = row
            row += 1
        for comp in section.get("computed", []):
            w.label(f"A{row}", comp["label"], horizontal="left")
            refs = ",".join(f"B{field_rows[i]}" for i in comp["sum"])
            w.output(f"B{row}", f"=SUM({refs})", ident=comp["id"], number_format=styles.AMOUNT_FORMAT)
            w.label(f"C{row}", "自动计算", horizontal="left", size=9)
            row += 1
    row = _build_policy(w, row, filing.policy)
    setup_page(ws, "C", row - 1)
    protect(ws)


def _build_policy(w: SheetWriter, row: int, policy: ScoringPolicy) -> int:
    """Write one row per policy setting from ``row``; return the row after the last."""
    spec = layout()["info"]["policy"]
    row = _section(w, row, spec["title"])
    settings = policy.to_settings()
    types = {f.name: f.type for f in dataclasses.fields(ScoringPolicy)}
    grade_labels = {key: f"{grade} ≥" for grade, key in GRADE_LINES}
    for key, text in settings.items():
        w.label(f"A{row}", spec["labels"].get(key) or grade_labels.get(key, key), horizontal="left")
        numeric = types[key] in ("Decimal", "int")
        value: Any = Decimal(text) if numeric else text
        choices = ScoringPolicy.choices(key)
        w.input(f"B{row}", value, "number" if numeric else "text", choices=list(choices) if choices else None)
        w.define(policy_name(key)[len("JX_") :], f"B{row}")
        w.label(f"C{row}", key, horizontal="left", size=9)
        row += 1
    return row
