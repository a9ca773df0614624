"""Writing files so that nothing is half-written: a temporary file in the target folder, then a rename."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from jixiao.errors import OutputError
from jixiao.safety import lock_file


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed."""
    path = Path(path)
    lock = lock_file(path)
    if lock is not None:
        raise OutputError(
            f"无法写入 {path}：文件正被 Excel、WPS 或 LibreOffice 打开"
            f"（旁边有锁定文件 {lock.name}），请先保存并关闭"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f"{path.suffix}.tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"无法在 {path.parent} 写入文件（{exc.strerror}）") from None
    os.close(fd)
    temporary = Path(tmp)
    try:
        yield temporary
        os.chmod(temporary, _mode_for(path))  # mkstemp makes 0600; keep what the user would get
        os.replace(temporary, path)
    except PermissionError:
        temporary.unlink(missing_ok=True)
        raise OutputError(
            f"无法写入 {path}：文件被占用或没有权限（如已在 Excel/WPS 中打开，请先关闭）"
        ) from None
    except OSError as exc:  # disk full, folder gone …: the original is untouched
        temporary.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}（{exc.strerror or exc}）；原文件未改动") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _mode_for(path: Path) -> int:
    """Return the mode of the file being replaced, or what a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_bytes_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    return Path(path)


def write_text_atomic(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` (LF line ends) to ``path`` atomically and return the path."""
    return write_bytes_atomic(path, text.encode("utf-8"))


_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_file_name(stem: str, suffix: str) -> str:
    """Return a file name made from ``stem`` (e.g. a unit name) that stays inside its folder."""
    cleaned = _NOT_IN_FILE_NAMES.sub("_", stem).strip(" .") or "未命名"
    return f"{cleaned}{suffix}"


_BACKUP_NAME = re.compile(r"\.bak-\d{8}-\d{6}(-\d+)?\.[^.]+$")


def is_backup(path: str | os.PathLike[str]) -> bool:
    """Return True for a backup that :func:`keep_backup` made (X.bak-20260427-093000.xlsx)."""
    return bool(_BACKUP_NAME.search(Path(path).name))


def keep_backup(path: str | os.PathLike[str]) -> Path | None:
    """Copy ``path`` to a dated backup beside it (X.xlsx → X.bak-20260427-093000.xlsx); return the copy."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.bak-{stamp}{path.suffix}")
    counter = 1
    while backup.exists():
        backup = path.with_name(f"{path.stem}.bak-{stamp}-{counter}{path.suffix}")
        counter += 1
    shutil.copy2(path, backup)
    return backup
