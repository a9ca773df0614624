"""Reading a 附件1-1 基础数据表 from a grid by its row labels (``data/forms.toml`` [t11]).

The 经费控制情况 rows are found by their printed labels, their three amounts under the
上年决算数 / 预算数 / 决算数 headers; the staff and buildings rows under their header rows.
"""

from __future__ import annotations

from typing import Any

from jixiao.forms import form, t11_rows
from jixiao.importers.collect import Collector
from jixiao.importers.evaluation import Section
from jixiao.importers.headers import label_key, text
from jixiao.model import SHEET_T11, BaseTable, CostLine, Where

_COST_FIELDS = ("prev_final", "budget", "final")  # the three amount columns, left to right
_STAFF = (("authorized", "编制数"), ("actual", "实际在职人数"), ("reported_control_rate", "控制率"))
_BUILDINGS = (
    ("approved_m2", "批复规模"),
    ("actual_m2", "实际规模"),
    ("reported_scale_rate", "规模控制率"),
    ("budget_invest", "预算投资"),
    ("actual_invest", "实际投资"),
    ("reported_invest_rate", "投资概算控制率"),
)
_TEXTS = ("reported_control_rate", "reported_scale_rate", "reported_invest_rate")


def read_base_table(section: Section, found: Collector) -> BaseTable:
    """Return the 附件1-1 held in ``section``."""
    g = section.grid
    sheet = g.sheet or SHEET_T11
    table = BaseTable(where=Where(sheet, "t11", {"": g.name(section.start, 0)}, table="1-1"))
    labels = {label_key(row["label"]): row for row in t11_rows() if row["kind"] != "list"}
    lists = [row["field"] for row in t11_rows() if row["kind"] == "list"]
    order = [row["field"] for row in t11_rows()]
    cost_cols: list[int] | None = None
    current_list: str | None = None
    thrift = label_key(form("t11")["thrift"])
    for r in range(section.start, section.end):
        row = g.rows[r]
        keys = [label_key(v) for v in row]
        label = next((k for k in keys if k), "")
        if _has_all(keys, ("编制数", "控制率")):
            _values_below(table.staff, g, r, _STAFF, found, "t11.staff", sheet)
        elif _has_all(keys, ("批复规模", "实际规模")):
            _values_below(table.buildings, g, r, _BUILDINGS, found, "t11.buildings", sheet)
        elif cost_cols is None and sum(1 for k in keys if k.endswith(("决算数", "预算数"))) >= 3:
            cost_cols = _cost_columns(keys)
        elif label == thrift:
            table.thrift_measures = next((text(v) for v in row[keys.index(label) + 1 :] if text(v)), None)
        elif cost_cols is not None and label in labels:
            spec = labels[label]
            line = getattr(table, spec["field"])
            _fill(line, text(row[keys.index(label)]), g, r, cost_cols, found, f"t11.{spec['field']}", sheet)
            following = order[order.index(spec["field"]) + 1] if spec["field"] != order[-1] else None
            current_list = following if following in lists else None
        elif cost_cols is not None and current_list and label:
            items: list[CostLine] = getattr(table, current_list)
            line = CostLine()
            _fill(
                line,
                text(row[keys.index(label)]),
                g,
                r,
                cost_cols,
                found,
                f"t11.{current_list}[{len(items)}]",
                sheet,
            )
            items.append(line)
    return table


def _has_all(keys: list[str], words: tuple[str, ...]) -> bool:
    return all(any(word in k for k in keys) for word in words)


def _cost_columns(keys: list[str]) -> list[int]:
    """Return the columns of 上年决算数, 本年预算数 and 本年决算数 in a 经费控制情况 header row."""
    seen: list[tuple[int, str]] = []
    for col, key in enumerate(keys):
        if key.endswith(("决算数", "预算数")) and (not seen or seen[-1][1] != key):
            seen.append((col, key))
    return [col for col, _ in seen[:3]]


def _fill(
    line: CostLine, label: str, g: Any, r: int, cols: list[int], found: Collector, path: str, sheet: str
) -> None:
    line.label = label
    names = _COST_FIELDS
    line.where = Where(
        sheet,
        path,
        {"": g.name(r, 0), **{n: g.name(r, c) for n, c in zip(names, cols, strict=False)}},
        table="1-1",
    )
    for name, col in zip(names, cols, strict=False):
        value = g.cell(r, col)
        if label_key(value) == label_key(label):  # the label merged across the row ('.....')
            value = None
        setattr(line, name, found.amount(value, g, r, col, "1-1", False))


def _values_below(
    record: Any, g: Any, r: int, spec: tuple[tuple[str, str], ...], found: Collector, path: str, sheet: str
) -> None:
    """Fill ``record`` from the row under the header row ``r``, each value under its header."""
    keys = [label_key(v) for v in g.rows[r]]
    cells: dict[str, str] = {}
    for name, word in spec:
        col = next(
            (c for c, k in enumerate(keys) if word in k and not (word == "控制率" and "规模" in k)), None
        )
        if col is None:
            continue
        value = g.cell(r + 1, col)
        cells[name] = g.name(r + 1, col)
        if name in _TEXTS:
            setattr(record, name, text(value) or None)
        else:
            setattr(record, name, found.number(value, g, r + 1, col, "1-1"))
    record.where = Where(sheet, path, {"": g.name(r + 1, 0), **cells}, table="1-1")
