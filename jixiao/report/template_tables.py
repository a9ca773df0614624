"""A province template's own table (四川 项目支出, 重庆 部门整体) as a report grid, laid out as the
template's workbook sheet prints it: the same layout data (``jixiao/data/layout_<template>.toml``),
its labels and input cells placed at their positions in the printed columns, the indicator rows
under the template's own column headers, the computed 执行率, scores, 合计 and 等级."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from openpyxl.utils import column_index_from_string, range_boundaries

from jixiao.importers.evaluation import row_values
from jixiao.model import Evaluation, Filing
from jixiao.numbers import fmt, fmt_plain
from jixiao.report.tables import Grid, signer_line
from jixiao.scoring import TableScore
from jixiao.templates import sheet_layout
from jixiao.templates import span as _span

_MM = 156.0  # the printed width of every report table (tables.WIDTHS_9)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return fmt_plain(value) if not isinstance(value, str) else value


def template_grid(filing: Filing, ts: TableScore, public: bool = False) -> Grid:
    """Return ``ts``'s table in the layout of ``filing``'s template (which lays it out itself)."""
    spec = sheet_layout(filing.template)
    assert spec is not None
    ev: Evaluation = ts.evaluation
    places, last = filing.policy.display_places, column_index_from_string(spec["last_column"])
    widths = [spec["widths"].get(chr(64 + c), 10) for c in range(1, last + 1)]
    scale = _MM / sum(widths)
    year_line = spec["year_line"].format(year=filing.year if filing.year is not None else "")
    g = Grid(spec["caption"], f"{spec['title']}{year_line}", tuple(round(w * scale, 1) for w in widths))
    top = 4  # the sheet's first row under the title rows

    def put(ref: str, text: object, **style: Any) -> None:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        if min_col > last:
            return  # a helper column beside the print area
        g.add(
            min_row - top,
            min_col - 1,
            text,
            rowspan=max_row - min_row + 1,
            colspan=max_col - min_col + 1,
            **style,
        )

    for ref, text in spec["labels"]:
        put(ref, text, bold=True)
    for item in spec["cells"]:
        put(
            item["ref"],
            _shown(attrgetter(item["path"])(ev)),
            align="left" if item["kind"] == "prose" else "center",
        )
    e = spec["exec"]
    put(f"{e['rate']}{e['row']}", ts.exec.rate_text)
    put(
        e.get("score_ref", f"{e['score']}{e['row']}"),
        fmt(ts.exec.score, places) if ts.exec.score is not None else "—",
    )
    for item in spec.get("outputs", []):
        put(
            item["ref"],
            fmt(ts.total, places) if "{total}" in item["formula"] else (filing.signers.phone or ""),
        )
    cols = {k: column_index_from_string(c) - 1 for k, c in spec["indicators"]["columns"].items()}
    printed = {k: c for k, c in cols.items() if c < last}
    header = spec["indicators"]["header_row"] - top
    for key, col in printed.items():
        g.add(header, col, spec["indicators"]["headers"][key], bold=True)
    scores = {id(s.indicator): s for s in ts.indicators}
    row = header + 1
    for ind in ev.scored_indicators():
        values = row_values(ind)
        s = scores.get(id(ind))
        values["score"] = fmt(s.score, places) if s is not None and s.score is not None else ""
        for key, col in printed.items():
            g.add(
                row, col, _shown(values.get(key)), align="left" if key in ("name", "deviation") else "center"
            )
        row += 1
    tot = spec["total"]
    first, _, end = tot["label_ref"].partition(":")
    g.add(
        row,
        column_index_from_string(first) - 1,
        tot["label"],
        colspan=column_index_from_string(end) - column_index_from_string(first) + 1,
        bold=True,
    )
    g.add(row, cols["weight"], fmt_plain(ts.weight_total))
    g.add(row, cols["score"], fmt(ts.total, places))
    g.add(row, column_index_from_string(tot["grade"]) - 1, f"等级：{ts.grade}")
    for item in spec.get("after", []):
        row += 1
        g.add(row, 0, item["label"], bold=True)
        g.add(row, 1, _shown(attrgetter(item["path"])(ev)), colspan=last - 1, align="left")
    signature = spec.get("signature", {}).get("cells", [])
    row += 1
    for item in signature:
        put(_span(item["label_ref"], row + top), item["label"], bold=True)
        put(_span(item["ref"], row + top), "" if public else _shown(attrgetter(item["path"])(ev)))
    if spec.get("footer"):
        g.notes = [signer_line(filing.signers, public)]
    return g
