"""The workbook layout (``data/layout.toml``) and the naming scheme of its defined names.

What the forms print and in which order (附件1-1's rows, every header) is ``jixiao.forms``; this
module says where it goes in the workbook.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jixiao.forms import t11_rows
from jixiao.resources import load_data
from jixiao.taxonomy import taxonomy

NAME_PREFIX = "JX_"
PRINT_COLUMNS = "ABCDEFGHI"  # the nine printed columns of 附件1-2 and 附件1-3
T11_PRINT_COLUMNS = "ABCDEFG"
T11_AMOUNT_COLUMNS = {"prev_final": "B", "budget": "D", "final": "F"}  # each merged with the next
T11_SUM_COLUMNS = {"prev_final": "I", "budget": "J", "final": "K"}
AMOUNT_FIELDS = ("initial", "full_year", "executed")


@cache
def layout() -> dict[str, Any]:
    """Return the parsed layout data."""
    return load_data("layout.toml", "jixiao.workbook")


def default_level2() -> dict[str, list[str]]:
    """Return the 二级 labels a new table shows under each 一级 (the core's taxonomy, in order)."""
    tax = taxonomy()
    return {level1: tax.level2_names(level1) for level1 in tax.level1_names}


def name(ident: str) -> str:
    """Return the defined name of the layout ID ``ident`` (``UNIT`` → ``JX_UNIT``)."""
    return NAME_PREFIX + ident


def policy_name(key: str) -> str:
    """Return the defined name of the scoring-policy setting ``key``."""
    return name("POLICY_" + key.upper())


def sheet_names() -> dict[str, str]:
    """Return the sheet names by role (guide, info, t11, t12, t13, findings, report)."""
    return dict(layout()["sheets"])


def info_fields() -> list[dict[str, Any]]:
    """Return every scalar input field of 基本信息 in sheet order."""
    return [f for section in layout()["info"]["section"] for f in section["fields"]]


def evaluation_cells(table: str) -> list[dict[str, Any]]:
    """Return the fixed input cells of ``table`` ('t12' or 't13')."""
    return list(layout()[table]["cells"])


def table_prefix(table: str) -> str:
    """Return the ID prefix of ``table``: 'T12_' or 'T13_'."""
    return table.upper() + "_"


def get_path(obj: Any, path: str) -> Any:
    """Return the attribute at the dotted ``path`` of ``obj``."""
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def t11_layout() -> list[dict[str, Any]]:
    """Return the 附件1-1 rows in print order with their workbook binding.

    Each row: ``id`` (T11_<FIELD>), ``path`` (t11.<field>), ``kind`` and ``label``/``labels`` from
    the forms description; ``spare`` and ``min_rows`` for a list; ``sum`` (ids) for a total row.
    """
    spec = layout()["t11"]
    out = []
    for row in t11_rows():
        field = row["field"]
        item = {**row, "id": "T11_" + field.upper(), "path": "t11." + field, **spec["lists"].get(field, {})}
        if field in spec["sums"]:
            item["sum"] = ["T11_" + part.upper() for part in spec["sums"][field]]
        out.append(item)
    return out
