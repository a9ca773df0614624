"""jixiao — 部门整体支出绩效自评: the filing model, scoring, checks and report."""

import os

from jixiao._version import __version__

# openpyxl parses with defusedxml only when this is "True" at its import (jixiao/safety.py checks more).
os.environ["OPENPYXL_DEFUSEDXML"] = "True"

__all__ = ["__version__"]
