"""Writing files so that nothing is half-written and nothing of the user's is lost.

Every write goes to a temporary file in the target's folder, is flushed to disk (``fsync``) and
renamed over the target; the folder is synced too. Before anything is written the target is
checked: not open in Excel/WPS/LibreOffice, not read-only, the folder writable, enough free space.
A symlinked target is written through to the file it points at (the link stays a link). When the
write replaces a file the caller wants kept, a dated backup is made first — only once the checks
have passed, itself written atomically, never through a symlink, with a name that fits the file
system — and only the last few backups of a file are kept (:func:`keep_count`). Temporary files a
killed run left behind are removed by the next write into the folder. Every ``OSError`` becomes
one Chinese line (:class:`~jixiao.errors.OutputError`).
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path

from jixiao.errors import OutputError
from jixiao.outputs import stamp
from jixiao.safety import lock_file

DEFAULT_KEEP = 5  # backups kept per file unless JIXIAO_KEEP_BACKUPS or --keep-backups says otherwise
KEEP_ENV = "JIXIAO_KEEP_BACKUPS"
NAME_MAX = 255  # bytes of one file name, where the file system does not say
SPACE_MARGIN = 256 * 1024  # free space kept beyond what a write needs
STALE_SECONDS = 24 * 3600  # a temporary file this old is stale even when its process cannot be asked
_TEMP = re.compile(r"^\..*\.jixiao-(\d+)-[0-9a-f]{8}\.tmp$")
_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在磁盘或文件夹是只读的",
    errno.EACCES: "没有写入权限（或文件正被其他程序占用）",
    errno.EPERM: "没有写入权限（或文件正被其他程序占用）",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ENOENT: "文件夹不存在或已被移走",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EIO: "磁盘读写出错",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "超出磁盘配额"


def reason(exc: OSError) -> str:
    """Return the Chinese reason of the file-system error ``exc``."""
    if isinstance(exc, PermissionError) and exc.errno is None:
        return _REASONS[errno.EACCES]
    return _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)


def failed(path: Path, exc: OSError, untouched: bool = True) -> OutputError:
    """Return the OutputError saying that ``path`` could not be written because of ``exc``."""
    tail = "；原文件未改动" if untouched and path.exists() else ""
    return OutputError(f"无法写入 {path}：{reason(exc)}{tail}")


# ------------------------------------------------------------------ the target and its checks


def target_of(path: str | os.PathLike[str]) -> Path:
    """Return the file a write to ``path`` lands in: ``path``, or the file its symlink points at."""
    path = Path(path)
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if not target.exists():
        raise OutputError(f"无法写入 {path}：这是指向不存在的文件的符号链接（{target}）")
    return target


def _check_link(path: Path, target: Path) -> None:
    """Refuse a symlink ``path`` whose own name has a lock file beside it (opened through the link)."""
    if path != target and lock_file(path) is not None:
        check_writable(path)


def check_writable(path: Path, needed: int = 0) -> None:
    """Raise OutputError unless ``path`` (a resolved target) can be written with ``needed`` bytes free."""
    lock = lock_file(path)
    if lock is not None:
        raise OutputError(
            f"无法写入 {path}：文件正被 Excel、WPS 或 LibreOffice 打开"
            f"（旁边有锁定文件 {lock.name}），请先保存并关闭"
        )
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if path.exists():
            info = path.stat()
            if not stat.S_ISREG(info.st_mode):
                raise OutputError(f"无法写入 {path}：这不是普通文件")
            if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
                raise OutputError(f"无法写入 {path}：文件是只读的；如确要改写，请先取消它的只读属性")
            if not os.access(path, os.W_OK):
                raise OutputError(f"无法写入 {path}：没有写入这个文件的权限")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"无法写入 {path}：没有在文件夹 {folder} 中写入的权限")
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise failed(path, exc) from None
    if needed and free < needed + SPACE_MARGIN:
        raise OutputError(
            f"无法写入 {path}：磁盘空间不足（需要约 {_size(needed + SPACE_MARGIN)}，"
            f"剩余 {_size(free)}）；原文件未改动"
        )


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{max(1, count // 1024)} KB"


def name_max(folder: Path) -> int:
    """Return how many bytes a file name in ``folder`` may have."""
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (AttributeError, OSError, ValueError):
        return NAME_MAX


def fitted_stem(stem: str, reserve: int, folder: Path) -> str:
    """Return ``stem`` cut (with a short hash of the whole) so that it plus ``reserve`` bytes fits a name."""
    room = name_max(folder) - reserve
    if len(os.fsencode(stem)) <= room:
        return stem
    digest = "~" + hashlib.sha1(stem.encode("utf-8")).hexdigest()[:6]
    cut = stem
    while cut and len(os.fsencode(cut + digest)) > room:
        cut = cut[:-1]
    return cut + digest


# ------------------------------------------------------------------ temporary files


def _temporary(folder: Path, name: str) -> tuple[int, Path]:
    """Return an open descriptor and the path of a new temporary file in ``folder`` for ``name``."""
    hint = fitted_stem(Path(name).stem[:40], 1 + 1 + 8 + 1 + 10 + 1 + 8 + 4, folder)
    for _ in range(100):
        temporary = folder / f".{hint}.jixiao-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            continue
        return fd, temporary
    raise OSError(errno.EEXIST, "temporary names exhausted")


def _alive(pid: int) -> bool:
    """Return False when no process ``pid`` runs (POSIX); True when it may (or cannot be told)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def clean_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files a killed jixiao left in ``folder``; return those removed."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        match = _TEMP.match(entry.name)
        if not match or not entry.is_file(follow_symlinks=False):
            continue
        try:
            old = now - entry.stat(follow_symlinks=False).st_mtime > STALE_SECONDS
            if old or not _alive(int(match.group(1))):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fsync(fd)


def _sync_folder(folder: Path) -> None:
    """Flush ``folder``'s entries (the rename) to disk where the system allows it."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _mode_for(path: Path) -> int:
    """Return the mode of the file being replaced, or what a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _replace(target: Path, temporary: Path) -> None:
    """Give ``temporary`` the target's mode and rename it over ``target``; sync the folder."""
    os.chmod(temporary, _mode_for(target))
    os.replace(temporary, target)
    _sync_folder(target.parent)


# ------------------------------------------------------------------ writing


def write_bytes_atomic(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    backup: bool = False,
    keep: int | None = None,
    mark: bool | str = False,
) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    With ``backup`` an existing file is first kept as a dated backup (see :func:`keep_backup`);
    the backup is removed again when the write then fails, since the file stays as it was. With
    ``mark`` the file gets jixiao's stamp (:func:`jixiao.outputs.stamp`; a text gives its kind),
    so that a later run may replace it.
    """
    if mark:
        data = stamp(data, Path(path).suffix, mark if isinstance(mark, str) else "")
    target = target_of(path)
    _check_link(Path(path), target)
    replaced = backup and target.exists()
    check_writable(target, len(data) + (target.stat().st_size if replaced else 0))
    clean_temporaries(target.parent)
    kept = _backup(target, keep) if replaced else None
    try:
        fd, temporary = _temporary(target.parent, target.name)
    except OSError as exc:
        _drop(kept)
        raise failed(target, exc) from None
    try:
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        _replace(target, temporary)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        _drop(kept)
        raise failed(target, exc) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        _drop(kept)
        raise
    return Path(path)


def write_text_atomic(path: str | os.PathLike[str], text: str, **options: object) -> Path:
    """Write UTF-8 ``text`` (LF line ends) to ``path`` atomically and return the path."""
    return write_bytes_atomic(path, text.encode("utf-8"), **options)  # type: ignore[arg-type]


@contextmanager
def replacing(path: str | os.PathLike[str], backup: bool, keep: int | None = None) -> Iterator[None]:
    """Keep a backup of ``path`` (when ``backup`` and it exists) while the block writes it anew.

    The checks come first; a backup is only made when they pass, and removed again when the
    block fails (the file is then as it was).
    """
    target = target_of(path)
    kept = None
    if backup and target.exists():
        check_writable(target, 2 * target.stat().st_size)
        kept = _backup(target, keep)
    try:
        yield
    except BaseException:
        _drop(kept)
        raise


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, on failure it is removed.

    For writers that need a file name; whoever can should hand :func:`write_bytes_atomic` the bytes.
    """
    target = target_of(path)
    _check_link(Path(path), target)
    check_writable(target)
    clean_temporaries(target.parent)
    try:
        fd, temporary = _temporary(target.parent, target.name)
        os.close(fd)
    except OSError as exc:
        raise failed(target, exc) from None
    try:
        yield temporary
        fd = os.open(temporary, os.O_RDWR)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        _replace(target, temporary)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise failed(target, exc) from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def safe_file_name(stem: str, suffix: str) -> str:
    """Return a file name made from ``stem`` (e.g. a unit name) that stays inside its folder."""
    cleaned = _NOT_IN_FILE_NAMES.sub("_", stem).strip(" .") or "未命名"
    return f"{cleaned}{suffix}"


# ------------------------------------------------------------------ backups

_BACKUP_NAME = re.compile(r"\.bak-\d{8}-\d{6}(-\d+)?\.[^.]+$")
_BACKUP_RESERVE = len(".bak-20260427-093000-999")


def keep_count(keep: int | None = None) -> int:
    """Return how many backups of a file are kept: ``keep``, else $JIXIAO_KEEP_BACKUPS, else 5 (≥ 1)."""
    if keep is None:
        text = os.environ.get(KEEP_ENV, "").strip()
        keep = int(text) if text.isdigit() else DEFAULT_KEEP
    return max(1, keep)


def is_backup(path: str | os.PathLike[str]) -> bool:
    """Return True for a backup that :func:`keep_backup` made (X.bak-20260427-093000.xlsx)."""
    return bool(_BACKUP_NAME.search(Path(path).name))


def _backup_stem(path: Path) -> str:
    return fitted_stem(path.stem, _BACKUP_RESERVE + len(os.fsencode(path.suffix)), path.parent)


def backups_of(path: str | os.PathLike[str]) -> list[Path]:
    """Return the backups of ``path`` beside it (regular files only), oldest first."""
    path = Path(path)
    pattern = re.compile(
        rf"^{re.escape(_backup_stem(path))}\.bak-(\d{{8}}-\d{{6}})(?:-(\d+))?{re.escape(path.suffix)}$"
    )
    found = []
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return []
    for entry in entries:
        match = pattern.match(entry.name)
        if match and entry.is_file(follow_symlinks=False):
            found.append(((match.group(1), int(match.group(2) or 0)), Path(entry.path)))
    return [p for _, p in sorted(found)]


def keep_backup(path: str | os.PathLike[str], keep: int | None = None) -> Path | None:
    """Copy ``path`` to a dated backup beside it (X.xlsx → X.bak-20260427-093000.xlsx); return the copy.

    The copy is checked for space first and written atomically; a name already taken (by a file
    or a planted symlink) is never reused. Only the last :func:`keep_count` backups are kept.
    """
    target = target_of(path)
    if not target.exists():
        return None
    check_writable(target.with_name(_backup_stem(target) + ".bak" + target.suffix), target.stat().st_size)
    return _backup(target, keep)


def _backup(target: Path, keep: int | None) -> Path:
    """Return the backup of ``target`` made now (checks done), after removing the oldest beyond ``keep``."""
    try:
        data = target.read_bytes()
        info = target.stat()
    except OSError as exc:
        raise OutputError(f"无法备份 {target}：{reason(exc)}；原文件未改动") from None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = _backup_stem(target)
    temporary = None
    try:
        fd, temporary = _temporary(target.parent, target.name)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
        os.chmod(temporary, info.st_mode & 0o777)
        os.utime(temporary, ns=(info.st_atime_ns, info.st_mtime_ns))  # the backup is the file as it was
        backup = _claim_name(temporary, target.parent, stem, stamp, target.suffix)
        temporary = None
        _sync_folder(target.parent)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise OutputError(f"无法备份 {target}：{reason(exc)}；原文件未改动") from None
    except BaseException:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    for old in backups_of(target)[: -keep_count(keep)]:
        with suppress(OSError):
            old.unlink()
    return backup


def _claim_name(temporary: Path, folder: Path, stem: str, stamp: str, suffix: str) -> Path:
    """Move ``temporary`` to the first free backup name and return it; never replace what is there."""
    for counter in range(1000):
        backup = folder / f"{stem}.bak-{stamp}{f'-{counter}' if counter else ''}{suffix}"
        try:
            os.link(temporary, backup)  # fails when anything, a symlink too, has the name
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: look, then rename
            if os.path.lexists(backup):
                continue
            os.replace(temporary, backup)
            return backup
        temporary.unlink()
        return backup
    raise OSError(errno.EEXIST, "no free backup name")


def _drop(backup: Path | None) -> None:
    if backup is not None:
        with suppress(OSError):
            backup.unlink()
