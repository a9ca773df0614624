"""Which files a batch reads: the folder or glob pattern walked, lock and hidden files left out,
other formats and backups listed with why they are skipped, and the outputs written beside a summary."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Iterable
from pathlib import Path

from jixiao.errors import InputError
from jixiao.fileio import is_backup

_CONVERTIBLE = {
    ".et": "WPS 表格文件",
    ".ods": "OpenDocument 表格",
}
_SKIPPED_NAMES = ("~$", ".~lock", ".")  # Excel / LibreOffice lock files and hidden files


def _is_skipped(path: Path) -> bool:
    return path.name.startswith(_SKIPPED_NAMES)


def collect(spec: str, exclude: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """Return (path, name shown) of every file a folder or glob pattern names, in name order.

    Lock files, hidden files and files in hidden folders are left out, and so are ``exclude``
    (the batch's own outputs).
    """
    excluded = {p.resolve() for p in exclude}
    base = Path(spec)
    if base.is_dir():
        paths = [p for p in base.rglob("*") if _is_candidate(p)]
        root = _absolute(base)
    else:
        paths = [Path(p) for p in glob.glob(spec, recursive=True) if _is_candidate(Path(p))]
        if not paths:
            raise InputError(f"没有找到要检查的文件：{spec}")
        root = Path(os.path.commonpath([_absolute(p).parent for p in paths]))
    picked = []
    for path in paths:
        shown = _absolute(path).relative_to(root)  # as spelled, links not followed: always inside root
        if _is_skipped(path) or any(_is_skipped(Path(part)) for part in shown.parts[:-1]):
            continue
        if _resolved(path) in excluded:
            continue
        picked.append((path, shown.as_posix()))
    if not picked:
        raise InputError(f"文件夹中没有文件：{spec}")
    return sorted(picked, key=lambda item: _natural_key(item[1]))


def _is_candidate(path: Path) -> bool:
    """Return True for a file, or a link to anything (listed with why it is not read)."""
    return path.is_symlink() or path.is_file()


def link_reason(path: Path, shown: str) -> str | None:
    """Return why the file ``path`` (shown as ``shown`` under the folder checked) is not read
    because it is, or lies behind, a link that leads outside that folder or to no file; else None.

    The folder checked is ``path`` without the parts of ``shown``.
    """
    absolute = _absolute(path)
    root = absolute.parents[len(Path(shown).parts) - 1]
    try:
        target = absolute.resolve(strict=True)
        inside = target.is_relative_to(root.resolve(strict=True))
    except (OSError, RuntimeError):  # a dangling link or a loop of links
        return "是指向不存在文件的链接（快捷方式），未读取"
    if not inside:
        return f"是指向检查文件夹以外的链接（→ {target}），为安全起见未读取；请复制文件本身"
    if not target.is_file():
        return "是指向非普通文件的链接，未读取"
    return None


def _resolved(path: Path) -> Path | None:
    """Return ``path`` with its links followed, or None for a loop of links."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return None


def _absolute(path: Path) -> Path:
    """Return ``path`` made absolute without following links (so a relative glob and its root agree)."""
    return Path(os.path.abspath(path))


def _natural_key(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def skip_reason(path: Path, suffixes: Iterable[str]) -> str | None:
    """Return why ``path`` is listed without being read (another format, a backup), or None.

    ``suffixes`` are those a reader is given for (".json", ".xlsx", …).
    """
    suffix = path.suffix.lower()
    if suffix in _CONVERTIBLE:
        return f"{_CONVERTIBLE[suffix]}（{suffix}）不能直接读取，请另存为 .xlsx 后重新提交"
    if suffix not in suffixes:
        return f"不是自评工作簿或数据文件（{suffix or '无扩展名'}），已跳过"
    if is_backup(path):
        return "jixiao 写回得分前自动保存的备份，已跳过"
    return None


def companion_paths(summary: str | Path) -> dict[str, Path]:
    """Return the CSV and JSON files written beside ``summary`` (by what they hold)."""
    stem = Path(summary).with_suffix("")
    return {
        "json": stem.with_suffix(".json"),
        "csv": Path(f"{stem}.csv"),
        "findings_csv": Path(f"{stem}.findings.csv"),
        "blank_csv": Path(f"{stem}.blank.csv"),
        "unreadable_csv": Path(f"{stem}.unreadable.csv"),
    }
