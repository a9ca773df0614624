"""Files jixiao did not build, as grids for :mod:`jixiao.importers`: any .xlsx sheet, a .csv, a .docx.

A workbook with jixiao's defined names (JX_…) is a prepared workbook and goes to
:mod:`jixiao.workbook.reader`; any other workbook is read sheet by sheet as grids of cached values,
each merged range carried into every cell it covers.
"""

from __future__ import annotations

import csv
import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jixiao.errors import InputError

if TYPE_CHECKING:  # jixiao.importers is imported only when a foreign file is read (lean start-up)
    from jixiao.importers import Imported
    from jixiao.importers.grid import Grid

NAME_PREFIX = "JX_"  # jixiao's defined names (workbook/layout.py)
NOT_PREPARED = "不是 jixiao 绩效自评工作簿（缺少定义名称 JX_UNIT、JX_YEAR），工作表"  # + 中没有可识别的自评表


def is_prepared(wb: Any) -> bool:
    """Return True when the openpyxl workbook ``wb`` is jixiao's: it holds any ``JX_`` defined name,
    workbook-level or sheet-scoped (one that lost some of them is still the reader's to judge)."""
    scoped = (name for ws in wb.worksheets for name in ws.defined_names)
    return any(str(name).startswith(NAME_PREFIX) for name in (*wb.defined_names, *scoped))


def sheet_grids(path: Path) -> list[Grid]:
    """Return one grid per sheet of the workbook ``path`` (cached values, merges carried)."""
    from openpyxl import load_workbook

    from jixiao.importers.grid import Grid

    try:
        with warnings.catch_warnings(), path.open("rb") as handle:
            warnings.simplefilter("ignore")
            wb = load_workbook(handle, data_only=True)
    except Exception as exc:  # a damaged part raises anything
        raise InputError(f"不是有效的 Excel 工作簿（{type(exc).__name__}）", place=str(path)) from None
    grids = []
    for ws in wb.worksheets:
        rows = [list(row) for row in ws.iter_rows(values_only=True)]
        for merged in ws.merged_cells.ranges:
            top = ws.cell(merged.min_row, merged.min_col).value
            for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
                for c in range(merged.min_col - 1, min(merged.max_col, len(rows[r]))):
                    rows[r][c] = top
        grids.append(Grid(rows, sheet=ws.title))
    return grids


def xls_grids(path: Path) -> list[Grid]:
    """Return one grid per sheet of the Excel 97-2003 workbook ``path`` (python-calamine: cached
    values, merged ranges carried into every cell they cover)."""
    from python_calamine import CalamineWorkbook

    from jixiao.importers.grid import Grid

    try:
        book = CalamineWorkbook.from_path(str(path))
        grids = []
        for title in book.sheet_names:
            sheet = book.get_sheet_by_name(title)
            rows = [list(row) for row in sheet.to_python(skip_empty_area=False)]
            for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
                value = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
                for r in range(top, min(bottom + 1, len(rows))):
                    for c in range(left, min(right + 1, len(rows[r]))):
                        rows[r][c] = value
            grids.append(Grid([[None if v == "" else v for v in row] for row in rows], sheet=title))
    except Exception as exc:  # a damaged or foreign compound file raises the reader's own errors
        raise InputError(
            f"不是有效的 Excel 97-2003 工作簿（.xls）（{type(exc).__name__}）", place=str(path)
        ) from None
    return grids


def csv_grids(path: Path) -> list[Grid]:
    """Return the CSV file ``path`` as one grid (UTF-8 or GB18030; comma, tab or semicolon separated)."""
    from jixiao.importers.grid import Grid

    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            content = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("CSV 文件不是 UTF-8 或 GB18030 编码", place=str(path))
    try:
        dialect: Any = csv.Sniffer().sniff(content[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [Grid([list(row) for row in csv.reader(io.StringIO(content), dialect)], sheet=path.stem)]


def import_file(path: Path) -> Imported:
    """Return what the tables of the foreign file ``path`` (.xlsx, .xlsm, .xls, .csv, .docx) hold."""
    from jixiao.importers import read_grids
    from jixiao.importers.docx import docx_grids

    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_grids(csv_grids(path), str(path), "CSV 文件")
    if suffix == ".docx":
        return read_grids(docx_grids(path), str(path), "Word 文档")
    if suffix == ".xls":
        return read_grids(xls_grids(path), str(path), "Excel 97-2003 工作簿（.xls）")
    return read_grids(sheet_grids(path), str(path), NOT_PREPARED)


def read_foreign(path: Path) -> Any:
    """Return the :class:`jixiao.pipeline.Loaded` of a foreign file (no book: nothing is written into it)."""
    from jixiao.pipeline import Loaded

    imported = import_file(path)
    return Loaded(imported.filing, imported.findings, None)
