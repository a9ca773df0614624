"""jixiao — 部门整体支出绩效自评: the filing model, scoring, checks and report.

For scripts and notebooks: ``jixiao.check(path)``, ``jixiao.score(path)``, ``jixiao.export(path, "docx",
out)`` and ``jixiao.load(path)`` (see :mod:`jixiao.api`), imported on first use.
"""

import os

from jixiao._version import __version__

# openpyxl parses with defusedxml only when this is "True" at its import (jixiao/safety.py checks more).
os.environ["OPENPYXL_DEFUSEDXML"] = "True"

_FACADE = ("check", "score", "export", "load")

__all__ = ["__version__", *_FACADE]


def __getattr__(name: str):
    """Return a facade function of :mod:`jixiao.api`, imported on first use (keeps ``import jixiao`` fast)."""
    if name in _FACADE:
        from jixiao import api

        return getattr(api, name)
    raise AttributeError(f"module 'jixiao' has no attribute {name!r}")
