"""The reader's fast load of merged cells: plain ranges instead of openpyxl's MergedCellRanges."""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import os
import sys
import threading
from collections.abc import Iterator

from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet._reader import WorksheetReader
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange

# openpyxl binds every merge as a MergedCellRange: it replaces the covered cells by MergedCells and
# re-creates their borders from the top-left cell's, about 70 % of the load time of a prepared
# workbook. The reader needs the ranges (Cells.anchor, Cells.merged_span) and the covered cells,
# so its load binds plain CellRanges over the same MergedCells, each keeping the style the file
# gives it (for a workbook jixiao or Excel wrote, the same borders openpyxl would re-create).
# While a reader load runs, WorksheetReader.bind_merged_cells is a dispatcher that binds plain
# ranges only for loads inside plain_merges() in the same thread (or context); every other load
# (the writer's, openpyxl used directly) gets openpyxl's own method. The original is put back
# when the last such load ends.

_STOCK_BIND = WorksheetReader.bind_merged_cells
# the plain binding relies on openpyxl internals (the parser's mergeCell list, ws._cells, _style)
# checked against 3.1; another release gets openpyxl's own binding, slower but always right
PLAIN_MERGES_VERSIONS = ("3.1.",)


def plain_merges_supported(version: str | None = None) -> bool:
    """Return True when openpyxl ``version`` (default: the installed one) is one the plain binding knows."""
    import openpyxl

    return (version or openpyxl.__version__).startswith(PLAIN_MERGES_VERSIONS)


_PLAIN = contextvars.ContextVar("jixiao_plain_merges", default=False)
_PATCH_LOCK = threading.Lock()
_patch_users = 0


def _bind_merged_cells(self: WorksheetReader) -> None:
    """Bind the sheet's merges as plain ranges inside plain_merges(), else the way openpyxl does."""
    if not _PLAIN.get():
        _STOCK_BIND(self)
        return
    if not self.parser.merged_cells:
        return
    ranges, cells = [], self.ws._cells
    for cr in self.parser.merged_cells.mergeCell:
        rng = CellRange(cr.ref)
        for row, col in itertools.islice(rng.cells, 1, None):  # covered cells, as openpyxl leaves them
            covered = MergedCell(self.ws, row, col)
            read = cells.get((row, col))
            if read is not None:  # keep the style the file gives it (its part of the merge's border)
                covered._style = read._style
            cells[row, col] = covered
        ranges.append(rng)
    self.ws.merged_cells = MultiCellRange(ranges)


@contextlib.contextmanager
def plain_merges() -> Iterator[None]:
    """Return a context in which this thread's openpyxl loads bind merged cells as plain ranges.

    With an openpyxl release the binding was not checked against, loads keep openpyxl's own binding.
    """
    global _patch_users
    if not plain_merges_supported():
        if os.environ.get("JIXIAO_DEBUG"):
            print("jixiao: openpyxl 版本未经验证，合并单元格按 openpyxl 自身方式读取", file=sys.stderr)
        yield
        return
    with _PATCH_LOCK:
        if _patch_users == 0:
            WorksheetReader.bind_merged_cells = _bind_merged_cells  # type: ignore[method-assign]
        _patch_users += 1
    token = _PLAIN.set(True)
    try:
        yield
    finally:
        _PLAIN.reset(token)
        with _PATCH_LOCK:
            _patch_users -= 1
            if _patch_users == 0:
                WorksheetReader.bind_merged_cells = _STOCK_BIND  # type: ignore[method-assign]
