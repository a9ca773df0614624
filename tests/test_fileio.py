"""Atomic writes, backups and file modes."""

from __future__ import annotations

import os
import stat

import pytest

from jixiao.fileio import atomic_path, keep_backup, safe_file_name, write_bytes_atomic, write_text_atomic


def test_atomic_write_replaces_whole_and_keeps_a_readable_mode(tmp_path):
    target = tmp_path / "out.json"
    write_text_atomic(target, "一")
    assert target.read_text(encoding="utf-8") == "一"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)
    write_bytes_atomic(target, b"2")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_an_interrupted_write_leaves_the_original_intact(tmp_path):
    target = tmp_path / "data.xlsx"
    target.write_bytes(b"original")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("power cut")
    assert target.read_bytes() == b"original"
    assert [p.name for p in tmp_path.iterdir()] == ["data.xlsx"]


def test_backups_never_overwrite_each_other(tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"v1")
    first = keep_backup(target)
    second = keep_backup(target)
    assert first != second and first.read_bytes() == second.read_bytes() == b"v1"
    assert keep_backup(tmp_path / "missing.xlsx") is None


@pytest.mark.parametrize("unit", ["../../etc/passwd", "a/b\\c", "..", "  ", "C:\\x", "名<称>|?*"])
def test_file_names_made_from_unit_names_stay_in_their_folder(tmp_path, unit):
    name = safe_file_name(f"{unit}", ".xlsx")
    target = (tmp_path / name).resolve()
    assert target.parent == tmp_path.resolve()
    assert name.endswith(".xlsx") and "/" not in name and "\\" not in name
