"""``jixiao batch``: check a folder of filings in parallel and write one summary the 财政局 can sort.

The steps, one module each: :mod:`~jixiao.batch.files` finds the files, :mod:`~jixiao.batch.pool`
checks them in worker processes with the readers the caller passes, :mod:`~jixiao.batch.digest`
holds what is kept of each file, :mod:`~jixiao.batch.rows` makes its rows (pure),
:mod:`~jixiao.batch.tally` keeps them file by file, :mod:`~jixiao.batch.frame` gives them as pandas
DataFrames and computes the statistics, :mod:`~jixiao.batch.summary` writes the .xlsx summary and
:mod:`~jixiao.batch.export` the CSV and JSON files beside it.
"""

from __future__ import annotations

from jixiao.batch.digest import BatchResult, FileOutcome, TableDigest, UnitDigest
from jixiao.batch.export import streams, write_csv, write_json
from jixiao.batch.files import collect, companion_paths
from jixiao.batch.frame import Frames, Statistics, frame, statistics
from jixiao.batch.pool import mp_context, outcomes, run_batch
from jixiao.batch.summary import warnings, write_summary
from jixiao.batch.tally import Tally

__all__ = [
    "BatchResult",
    "FileOutcome",
    "Frames",
    "Statistics",
    "TableDigest",
    "Tally",
    "UnitDigest",
    "collect",
    "companion_paths",
    "frame",
    "mp_context",
    "outcomes",
    "run_batch",
    "statistics",
    "streams",
    "warnings",
    "write_csv",
    "write_json",
    "write_summary",
]
