"""jixiao.workbook — the prepared workbook: layout, builder, reader and writer (see docs/workbook.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.safety import WORKBOOK_SUFFIXES as SUFFIXES


def file_stamp(path: Path) -> tuple[object, ...] | None:
    """Return what identifies the file ``path`` as it is now (path, inode, size, mtime), or None."""
    try:
        info = Path(path).stat()
        return str(Path(path).resolve()), info.st_ino, info.st_size, info.st_mtime_ns
    except OSError:
        return None


@dataclass
class Opened:
    """An openpyxl workbook as the reader loaded it, and the stamp of the file it came from."""

    wb: Any
    stamp: tuple[object, ...] | None

    def still(self, path: Path) -> Any:
        """Return the workbook when ``path`` is still the file it was loaded from, else None."""
        return self.wb if self.stamp is not None and file_stamp(path) == self.stamp else None


def read(path: Path) -> Any:
    """Return the :class:`jixiao.pipeline.Loaded` of the workbook ``path``, its :class:`Opened` as book."""
    from jixiao.pipeline import Loaded
    from jixiao.workbook.foreign import is_prepared, read_foreign
    from jixiao.workbook.reader import WorkbookReader, open_workbook

    stamp = file_stamp(path)  # taken before the load: a file saved meanwhile is opened again
    wb = open_workbook(path)
    if not is_prepared(wb):  # a table jixiao did not build: read by its header rows (issue 12)
        return read_foreign(path)
    filing, findings = WorkbookReader(wb).read()
    # the writer finds its cells in this load and edits the file itself (macros and all)
    return Loaded(filing, findings, Opened(wb, stamp))


def read_other(path: Path) -> Any:
    """Return the :class:`jixiao.pipeline.Loaded` of a .csv, an old .xls or a Word report's tables (.docx)."""
    from jixiao.workbook.foreign import read_foreign

    return read_foreign(path)


READERS = {**dict.fromkeys(SUFFIXES, read), ".csv": read_other, ".docx": read_other, ".xls": read_other}
