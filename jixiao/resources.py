"""The bundled TOML data files (``data/*.toml`` of a jixiao package), parsed once and cheaply.

A file parsed is kept, marshalled, in the user's cache folder (``JIXIAO_CACHE_DIR``, else
``%LOCALAPPDATA%\\jixiao\\cache`` on Windows, ``$XDG_CACHE_HOME/jixiao`` or ``~/.cache/jixiao``),
keyed by the file's path, modification time and size and by the Python version, so an edited or
upgraded data file is parsed again. Reading the cache costs a fraction of parsing the TOML at
every start-up; a cache folder that cannot be written (or a cache file that is damaged) is simply
not used.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import zlib
from importlib import resources
from pathlib import Path
from typing import Any


def _parse(handle: Any) -> dict:
    """Return the TOML file ``handle`` parsed (tomllib imported only when a file is parsed)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.load(handle)


def load_data(name: str, package: str = "jixiao") -> dict:
    """Return the parsed TOML data file ``name`` bundled in the ``data`` folder of ``package``."""
    source = resources.files(package).joinpath("data", name)
    if isinstance(source, Path):
        cached = _cached(source)
        if cached is not None:
            return cached
    with source.open("rb") as handle:
        return _parse(handle)


def data_exists(name: str, package: str = "jixiao") -> bool:
    """Return True when the data file ``name`` is bundled in the ``data`` folder of ``package``."""
    return resources.files(package).joinpath("data", name).is_file()


def cache_dir() -> Path | None:
    """Return the folder jixiao keeps parsed data files in, or None when there is no home for it."""
    if os.environ.get("JIXIAO_CACHE_DIR"):
        return Path(os.environ["JIXIAO_CACHE_DIR"])
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "jixiao" / "cache"
    if os.environ.get("XDG_CACHE_HOME"):
        return Path(os.environ["XDG_CACHE_HOME"]) / "jixiao"
    try:
        return Path.home() / ".cache" / "jixiao"
    except RuntimeError:  # no home folder
        return None


def _cached(source: Path) -> dict | None:
    """Return the data of ``source`` from the cache (parsing and storing it when it is not there yet),
    or None when the cache cannot be used."""
    folder = cache_dir()
    try:
        info = source.stat()
    except OSError:
        return None
    if folder is None:
        return None
    key = f"{source.resolve()}|{info.st_mtime_ns}|{info.st_size}|{sys.version}"
    entry = folder / f"{source.stem}-{zlib.crc32(key.encode()):08x}-{info.st_size}.marshal"
    try:
        with entry.open("rb") as handle:
            data = marshal.load(handle)
        if isinstance(data, dict):
            return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    with source.open("rb") as handle:
        data = _parse(handle)
    _store(entry, data)
    return data


def _store(entry: Path, data: Any) -> None:
    """Write ``data`` marshalled to ``entry`` atomically; give up quietly when it cannot be written."""
    try:
        blob = marshal.dumps(data)  # a TOML date is not marshallable: then the file is parsed every time
    except ValueError:
        return
    temporary = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(blob)
        os.replace(temporary, entry)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
