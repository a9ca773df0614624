"""Lean start-up: a command imports only what it uses (checked in a fresh process; never timed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hardening_files import DEMO_NAME, demo_bytes

HEAVY = ("openpyxl", "jinja2", "docx", "pandas", "numpy")


def imported(*args: str, env: dict[str, str] | None = None) -> set[str]:
    """Return the top-level packages a fresh ``python -m jixiao ARGS`` imported (``-X importtime``)."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "jixiao", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    assert run.returncode in (0, 1), run.stderr[-2000:]
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", run.stderr, flags=re.M)
    assert names, run.stderr[-2000:]
    return {name.split(".")[0] for name in names}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("startup")
    workbook = folder / DEMO_NAME
    workbook.write_bytes(demo_bytes())
    data = folder / "filing.json"
    from jixiao.datafile import dump_filing
    from jixiao.samples import load_sample

    dump_filing(load_sample()[0], data)
    return {"workbook": workbook, "data": data}


def test_check_on_a_data_file_imports_no_workbook_template_or_word_library(files) -> None:
    loaded = imported("check", str(files["data"]))
    assert "jixiao" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_check_on_a_workbook_imports_no_openpyxl_when_the_fast_reader_reads_it(files) -> None:
    loaded = imported("check", str(files["workbook"]))
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))
    forced = imported("check", str(files["workbook"]), env={"JIXIAO_READER": "openpyxl"})
    assert "openpyxl" in forced  # the fallback is openpyxl's reader, imported only then


def test_version_imports_nothing_heavy() -> None:
    assert imported("--version").isdisjoint(HEAVY)
