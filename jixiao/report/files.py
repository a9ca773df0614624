"""Atomic writing of binary outputs (temp file in the target folder, then ``os.replace``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from jixiao.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes, what: str = "文件") -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename; return the path."""
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are ordinary files
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入{what}（{exc.strerror}）：{path}") from None
    return path
