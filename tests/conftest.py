"""Shared fixtures. LibreOffice tests skip locally when it is absent and fail in CI."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from jixiao.office import find_soffice

# CI runs the property tests on a fixed seed, so a green run is reproducible; locally they explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "jixiao" / "samples" / "zhuzhou_2022.json"


def _libreoffice_required() -> bool:
    return bool(os.environ.get("CI") or os.environ.get("JIXIAO_REQUIRE_LIBREOFFICE"))


@pytest.fixture(scope="session")
def soffice() -> str:
    """Return the soffice path; skip without LibreOffice, but fail when CI requires it."""
    path = find_soffice()
    if path is None:
        if _libreoffice_required():
            pytest.fail("LibreOffice is required in CI (CI or JIXIAO_REQUIRE_LIBREOFFICE is set)")
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


@pytest.fixture
def sample_path() -> Path:
    """Return the path of the bundled sample data file."""
    return SAMPLE


DEMO_WORKBOOK = "株洲市行业办公室2022年度绩效自评.xlsx"


def _digests(folder: Path) -> dict[str, str]:
    """Return the SHA-256 of every file in ``folder``, by name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Path]:
    """Return the folder ``jixiao demo`` wrote once for the whole run (read it, never write it).

    With pytest-xdist the workers share one folder, built by the first worker that needs it. After
    the session every file in it must be as the demo wrote it: a test that writes in place fails.
    """
    from filelock import FileLock

    from jixiao.cli import main

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # the run's folder, above every worker's own
    out, done = root / "demo-shared", root / "demo-shared.done"
    with FileLock(str(root / "demo-shared.lock")):
        if not done.exists():
            assert main(["demo", "--out", str(out)]) == 0
            done.touch()
    written = _digests(out)
    yield out
    assert _digests(out) == written, "a test wrote into the shared demo folder (copy the files first)"


@pytest.fixture(scope="session")
def demo(demo_folder: Path) -> Path:
    """Return the scored sample workbook of the session's ``jixiao demo`` (copy it before changing it)."""
    return demo_folder / DEMO_WORKBOOK
