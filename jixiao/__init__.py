"""jixiao — 部门整体支出绩效自评: the filing model, scoring, checks and report."""

from jixiao._version import __version__

__all__ = ["__version__"]
