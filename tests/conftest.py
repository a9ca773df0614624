"""Shared fixtures. LibreOffice tests skip locally when it is absent and fail in CI."""

from __future__ import annotations

import os
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
