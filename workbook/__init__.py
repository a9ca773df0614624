"""jixiao.workbook — the prepared workbook: layout, builder, reader and writer (see docs/workbook.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SUFFIXES = (".xlsx", ".xlsm")


def read(path: Path) -> Any:
    """Return the :class:`jixiao.pipeline.Loaded` of the workbook ``path`` (its openpyxl book kept)."""
    from jixiao.pipeline import Loaded
    from jixiao.workbook.reader import WorkbookReader, open_workbook

    wb = open_workbook(path)
    filing, findings = WorkbookReader(wb).read()
    # a macro workbook is reopened by the writer with its VBA kept, so its plain load is not kept
    return Loaded(filing, findings, wb if Path(path).suffix.lower() == ".xlsx" else None)


READERS = dict.fromkeys(SUFFIXES, read)
