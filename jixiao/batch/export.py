"""The batch as CSV files (rows, findings, unreadable) and as one JSON file, beside the summary."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.batch.digest import BatchResult
from jixiao.batch.files import companion_paths
from jixiao.batch.rows import (
    FINDING_HEADERS,
    ROW_HEADERS,
    UNREADABLE_HEADERS,
    finding_rows,
    statistics,
    table_rows,
    unreadable_rows,
)
from jixiao.fileio import write_text_atomic
from jixiao.textsafe import neutralize


def csv_text(headers: Iterable[str], rows: Iterable[list[object]]) -> str:
    """Return ``rows`` under ``headers`` as CSV text Excel opens: a BOM, CRLF, user text neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            ["" if v is None else neutralize(str(v) if isinstance(v, Decimal) else v) for v in row]
        )
    return "\ufeff" + buffer.getvalue()  # with a BOM, Excel on Windows reads UTF-8


def write_csv(batch: BatchResult, summary: str | Path) -> list[Path]:
    """Write the rows, findings and unreadable files as CSV beside ``summary``; return their paths."""
    summary = Path(summary)
    paths = companion_paths(summary)
    outputs = (
        (paths["csv"], ROW_HEADERS, table_rows(batch)),
        (paths["findings_csv"], FINDING_HEADERS, finding_rows(batch)),
        (paths["unreadable_csv"], UNREADABLE_HEADERS, unreadable_rows(batch)),
    )
    for path, headers, rows in outputs:
        write_text_atomic(path, csv_text(headers, rows))
    return [p for p, _, _ in outputs]


def written_by_batch(path: Path) -> bool:
    """Return True when ``path`` is a CSV or JSON file that ``jixiao batch`` wrote (by its header or keys)."""
    if path.suffix.lower() == ".csv":
        with path.open("rb") as handle:
            head = handle.read(4096).decode("utf-8", errors="replace")
        return any(
            head.startswith(csv_text(h, [])) for h in (ROW_HEADERS, FINDING_HEADERS, UNREADABLE_HEADERS)
        )
    if path.suffix.lower() == ".json" and path.stat().st_size < 512 * 1024 * 1024:
        data = json.loads(path.read_text(encoding="utf-8"))
        return isinstance(data, dict) and set(data) == {"files", "unreadable", "statistics"}
    return False


def batch_to_dict(batch: BatchResult) -> dict[str, Any]:
    """Return the whole batch as JSON-ready data: every file's findings JSON, the unreadable, statistics."""
    return {
        "files": [unit.to_dict() for unit in batch.units],
        "unreadable": [{"file": o.file, "reason": o.reason, "skipped": o.skipped} for o in batch.unreadable],
        "statistics": statistics(batch).to_dict(),
    }


def write_json(batch: BatchResult, summary: str | Path) -> Path:
    """Write :func:`batch_to_dict` beside ``summary``; return its path."""
    summary = Path(summary)
    path = companion_paths(summary)["json"]
    write_text_atomic(path, json.dumps(batch_to_dict(batch), ensure_ascii=False, indent=1) + "\n")
    return path
