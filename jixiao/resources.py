"""The bundled TOML data files (``data/*.toml`` of a jixiao package), read once each."""

from __future__ import annotations

import sys
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


def load_data(name: str, package: str = "jixiao") -> dict:
    """Return the parsed TOML data file ``name`` bundled in the ``data`` folder of ``package``."""
    with resources.files(package).joinpath("data", name).open("rb") as handle:
        return tomllib.load(handle)


def data_exists(name: str, package: str = "jixiao") -> bool:
    """Return True when the data file ``name`` is bundled in the ``data`` folder of ``package``."""
    return resources.files(package).joinpath("data", name).is_file()
