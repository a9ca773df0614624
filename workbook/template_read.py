"""Reading a province template's own table back (四川 项目支出, 重庆 部门整体): no openpyxl here.

The reader calls these with its cell helpers, whichever reader (the fast one or openpyxl's) read
the package; building the sheet and planning its scores live in :mod:`jixiao.workbook.sheet_template`.
"""

from __future__ import annotations

from typing import Any

from jixiao.model import Evaluation, Filing, Indicator, Where
from jixiao.templates import sheet_layout
from jixiao.workbook.layout import name

TEMPLATE_NAME = "TEMPLATE"  # JX_TEMPLATE: the template a workbook was built in (absent: national)
NUMBER_FIELDS = ("weight", "reported_score")


def template_of(wb: Any) -> str | None:
    """Return the template recorded in the openpyxl workbook ``wb``, None when none is."""
    entry = wb.defined_names.get(name(TEMPLATE_NAME))
    if entry is None:
        return None
    return str(entry.attr_text).strip().strip('"') or None


def read_table(reader: Any, ev: Evaluation, template: str, ws: Any, base: str) -> Evaluation:
    """Fill ``ev`` from ``template``'s sheet ``ws`` (None: the workbook-level names) through the
    reader's cell helpers (``reader._named``, ``reader.value``), recording every cell read."""
    from jixiao.workbook.reader import _assign

    spec = sheet_layout(template)
    assert spec is not None
    prefix = spec["prefix"]
    first = reader._named(prefix + "IND", "指标区", ws)
    sheet = first.ws.title if first is not None else (ws.title if ws is not None else "")
    ev.where = Where(sheet, base, {})
    for item in spec["cells"] + spec.get("after", []) + spec.get("signature", {}).get("cells", []):
        place = reader._named(prefix + item["id"], item["label"], ws)
        if place is None:
            continue
        kind = {"prose": "text", "number": "count"}.get(item.get("kind", "text"), item.get("kind", "text"))
        _assign(
            ev, base, item["path"], reader.value(place, kind, item["label"], f"{base}.{item['path']}"), place
        )
    for fieldname, ident in (("rate", "EXEC_RATE"), ("score", "EXEC_SCORE")):
        printed = reader.cells.place(name(prefix + ident), ws)
        if printed is not None and ev.budget.where is not None:
            ev.budget.where.cells[fieldname] = printed.coordinate
    total = reader._named(prefix + "TOTAL", "合计", ws)
    header = reader.cells.place(name(prefix + "IND_HEADER"), ws)
    if header is not None:
        ev.where.cells["indicators"] = header.coordinate
    if first is None or total is None:
        return ev
    tot = spec["total"]
    ev.where.cells["total_weight"] = total.at(tot["weight"]).coordinate
    ev.where.cells["total"] = total.coordinate
    reported = total.at(tot["reported"])
    ev.reported_total = reader.value(reported, "count", "原表合计", f"{base}.reported_total")
    ev.where.cells["reported_total"] = reported.coordinate
    ev.indicators = _read_rows(reader, spec, first, total.row, base)
    return ev


def _read_rows(reader: Any, spec: dict[str, Any], first: Any, end: int, base: str) -> list[Indicator]:
    """Return the indicator rows from ``first`` down to the 合计 row ``end`` (blank rows left out)."""
    from jixiao.importers.evaluation import indicator_texts  # only a template's table needs the importers

    cols = spec["indicators"]["columns"]
    rows: list[Indicator] = []
    level1 = level2 = None
    for row in range(first.row, end):
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        for key, col in cols.items():
            at = first.at(col, row)
            cells[key] = at.coordinate
            if key in ("score", "explanation"):
                continue
            kind = "count" if key in NUMBER_FIELDS else "text"
            values[key] = reader.value(at, kind, values.get("name") or "三级指标", base)
        if values.get("level1") and values["level1"] != level1:  # a new 一级 block (a merged cell repeats it)
            level1, level2 = values["level1"], None
        if values.get("level2"):
            level2 = values["level2"]
        numbers = {key: values.pop(key, None) for key in NUMBER_FIELDS}
        ind = Indicator(**indicator_texts(values), **numbers)
        if ind.is_placeholder() and not ind.deviation:
            continue  # a blank row, or a 二级 offered and not used
        ind.level1, ind.level2 = level1, level2
        cells[""] = cells["name"]
        ind.where = Where(first.ws.title, f"{base}.indicators[{len(rows)}]", cells)
        rows.append(ind)
    return rows


def template_tables(filing: Filing) -> dict[str, dict[str, Any]]:
    """Return the tables ``filing``'s template lays out itself, by table ('t12', 't13')."""
    spec = sheet_layout(filing.template)
    return {spec["table"]: spec} if spec is not None else {}
