"""The batch as CSV files (汇总 rows, findings, blank and unreadable files) and one JSON file beside
the summary, written as the files' outcomes arrive and stamped as jixiao's own.

Each file goes to a temporary file beside its target and replaces the target only when the batch
is done (:func:`jixiao.fileio.atomic_path`); its last line (CSV) or last member (JSON) is jixiao's
stamp (:class:`jixiao.outputs.Stamper`), so that a later run replaces it and nothing else.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from decimal import Decimal
from pathlib import Path
from typing import IO

from jixiao.batch.digest import BatchResult, FileOutcome
from jixiao.batch.files import companion_paths
from jixiao.batch.frame import Statistics, statistics
from jixiao.batch.rows import BLANK_HEADERS, FINDING_HEADERS, ROW_HEADERS, UNREADABLE_HEADERS
from jixiao.batch.tally import Added, Tally
from jixiao.fileio import atomic_path
from jixiao.outputs import Stamper
from jixiao.textsafe import neutralize

CSV_FILES = (  # companion key → the header of its rows
    ("csv", ROW_HEADERS),
    ("findings_csv", FINDING_HEADERS),
    ("blank_csv", BLANK_HEADERS),
    ("unreadable_csv", UNREADABLE_HEADERS),
)
KIND = "batch"  # the kind of jixiao's stamp on the batch's outputs


def csv_line(row: Iterable[object]) -> str:
    """Return one CSV line as Excel reads it: CRLF, user text neutralised, None as empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["" if v is None else neutralize(str(v) if isinstance(v, Decimal) else v) for v in row])
    return buffer.getvalue()


class _Out:
    """One output file being written: its handle and its stamp."""

    def __init__(self, handle: IO[bytes], suffix: str) -> None:
        self.handle = handle
        self.stamper = Stamper(suffix, KIND)

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        self.handle.write(data)
        self.stamper.update(data)

    def finish(self) -> None:
        self.handle.write(self.stamper.tail())
        self.handle.flush()


class Stream:
    """The CSV and JSON outputs of a batch, fed file by file (:meth:`add`), ended by :meth:`finish`."""

    def __init__(self, outs: dict[str, _Out]) -> None:
        self.outs = outs
        self.json = outs.get("json")
        self.first = True
        for key, headers in CSV_FILES:
            if key in outs:
                outs[key].write("\ufeff" + csv_line(headers))  # with a BOM, Excel on Windows reads UTF-8
        if self.json is not None:
            self.json.write('{\n "files": [')

    def add(self, outcome: FileOutcome, added: Added) -> None:
        """Write what one file added to the tally (and, to the JSON, its findings and scores)."""
        rows = {
            "csv": added.tables,
            "findings_csv": added.findings,
            "blank_csv": [added.blank] if added.blank else [],
            "unreadable_csv": [added.unreadable] if added.unreadable else [],
        }
        for key, _ in CSV_FILES:
            if key in self.outs and rows[key]:
                self.outs[key].write("".join(csv_line(row) for row in rows[key]))
        unit = outcome.digest
        if self.json is not None and unit is not None and not unit.blank:
            entry = json.dumps(unit.to_dict(), ensure_ascii=False)
            self.json.write(("\n  " if self.first else ",\n  ") + entry)
            self.first = False

    def finish(self, tally: Tally, stats: Statistics) -> None:
        """End every file: the JSON's lists of blank and unreadable files and its statistics, the stamps."""
        if self.json is not None:
            rest = {
                "blank": [dict(zip(("file", "unit", "year"), row, strict=False)) for row in tally.blank],
                "unreadable": [
                    {"file": file, "reason": reason, "skipped": skipped}
                    for (file, reason), skipped in zip(tally.unreadable, tally.skipped_flags, strict=True)
                ],
                "statistics": stats.to_dict(),
            }
            tail = json.dumps(rest, ensure_ascii=False, indent=1)[1:-2]  # its members, without braces
            self.json.write("\n ]," + tail)
        for out in self.outs.values():
            out.finish()


@contextmanager
def streams(summary: str | Path, keys: Iterable[str]) -> Iterator[Stream]:
    """Yield a :class:`Stream` writing the companion files ``keys`` of ``summary`` (see
    :func:`~jixiao.batch.files.companion_paths`); they replace the files there only when the block ends
    without error."""
    paths = companion_paths(summary)
    with ExitStack() as stack:
        outs = {}
        for key in keys:
            temporary = stack.enter_context(atomic_path(paths[key]))
            handle = stack.enter_context(temporary.open("wb"))  # closed before the temporary file moves
            outs[key] = _Out(handle, paths[key].suffix)
        yield Stream(outs)


def _replay(batch: BatchResult, summary: str | Path, keys: list[str]) -> list[Path]:
    tally = Tally()
    with streams(summary, keys) as stream:
        for outcome in batch.outcomes:
            stream.add(outcome, tally.add(outcome))
        tally.seconds = batch.seconds
        stream.finish(tally, statistics(tally))
    paths = companion_paths(summary)
    return [paths[key] for key in keys]


def write_csv(batch: BatchResult, summary: str | Path) -> list[Path]:
    """Write the 汇总 rows, findings, blank and unreadable files as CSV beside ``summary``; return
    their paths."""
    return _replay(batch, summary, [key for key, _ in CSV_FILES])


def write_json(batch: BatchResult, summary: str | Path) -> Path:
    """Write every file's findings JSON (no indicator details), the blank and unreadable files and
    the statistics as one JSON file beside ``summary``; return its path."""
    return _replay(batch, summary, ["json"])[0]
