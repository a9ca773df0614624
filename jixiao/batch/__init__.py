"""``jixiao batch``: check a folder of filings in parallel and write one summary the 财政局 can sort.

The steps, one module each: :mod:`~jixiao.batch.files` finds the files, :mod:`~jixiao.batch.pool`
checks them in worker processes with the readers the caller passes, :mod:`~jixiao.batch.digest`
holds what is kept of each file, :mod:`~jixiao.batch.rows` makes the rows and statistics (pure),
:mod:`~jixiao.batch.summary` writes the .xlsx summary and :mod:`~jixiao.batch.export` the CSV and
JSON files beside it.
"""

from __future__ import annotations

from jixiao.batch.digest import BatchResult, FileOutcome, TableDigest, UnitDigest
from jixiao.batch.export import batch_to_dict, write_csv, write_json
from jixiao.batch.files import collect, companion_paths
from jixiao.batch.pool import mp_context, run_batch
from jixiao.batch.rows import Statistics, finding_rows, statistics, table_rows
from jixiao.batch.summary import write_summary

__all__ = [
    "BatchResult",
    "FileOutcome",
    "Statistics",
    "TableDigest",
    "UnitDigest",
    "batch_to_dict",
    "collect",
    "companion_paths",
    "finding_rows",
    "mp_context",
    "run_batch",
    "statistics",
    "table_rows",
    "write_csv",
    "write_json",
    "write_summary",
]
