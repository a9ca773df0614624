"""Run the jixiao command line with openpyxl's merged-cell binding replaced by plain ranges.

A measurement aid only (``bench_batch.py --what-if-fast-merge``, ``bench_unit.py --what-if-fast-merge``):
it shows what the fix proposed for the workbook reader in docs/performance.md would give. openpyxl's
``WorksheetReader.bind_merged_cells`` builds a ``MergedCellRange`` per merge and re-creates the
borders of every covered cell (``_clean_merge_range`` → ``MergedCellRange.format``), which is
most of the load time of a prepared workbook; the reader only needs the ranges.
"""

from __future__ import annotations

import sys

from openpyxl.worksheet._reader import WorksheetReader
from openpyxl.worksheet.cell_range import CellRange, MultiCellRange


def _bind_merged_cells(self) -> None:
    if not self.parser.merged_cells:
        return
    self.ws.merged_cells = MultiCellRange([CellRange(cr.ref) for cr in self.parser.merged_cells.mergeCell])


WorksheetReader.bind_merged_cells = _bind_merged_cells

if __name__ == "__main__":
    from jixiao_cli import _main

    sys.exit(_main())
