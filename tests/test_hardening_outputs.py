"""The user's files are the user's: no output over an input or over a file jixiao did not write, and
backups and temporary files that cannot fail silently (issue 13, each case as a user would try it)."""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.fileio import backups_of, is_backup
from jixiao.outputs import is_ours
from tests.hardening_files import demo_bytes

WORKBOOK = "自评.xlsx"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder holding a copy of the scored sample workbook as 自评.xlsx."""
    work = tmp_path / "单位"
    work.mkdir()
    (work / WORKBOOK).write_bytes(demo_bytes())
    return work


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "内部错误" not in err and "Traceback" not in err and "Exception ignored" not in err
    return lines[0]


def _state(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# ------------------------------------------------------------------ no output over an input


def test_report_over_its_own_workbook_is_refused(folder: Path, capsys) -> None:
    book = folder / WORKBOOK
    before = _state(book)
    code, _, err = _run(capsys, "report", book, "-o", book)
    assert code == 2 and "应以 .docx 结尾" in _one_line(err)
    code, _, err = _run(capsys, "report", book, "--format", "md", "-o", folder / "自评.md", "--force")
    assert code == 0
    assert _state(book) == before and not backups_of(book)


def test_report_beside_a_hand_written_report_takes_a_new_name_and_says_so(folder: Path, capsys) -> None:
    book = folder / WORKBOOK
    official = folder / "2022年度株洲市行业办公室整体支出绩效自评报告.docx"
    official.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # the unit's own report, written in Word
    hand = _state(official)
    code, out, err = _run(capsys, "report", book)
    beside = folder / "2022年度株洲市行业办公室整体支出绩效自评报告（jixiao 生成）.docx"
    assert code == 0 and _state(official) == hand
    assert f"{official.name} 已存在且不是 jixiao 生成的（未改动）；另存为 {beside.name}" in err
    assert str(beside) in out and is_ours(beside)
    code, out, err = _run(capsys, "report", book)  # again: jixiao's own file beside it is replaced
    assert code == 0 and _state(official) == hand and str(beside) in out
    assert sorted(p.name for p in folder.iterdir()) == sorted([WORKBOOK, official.name, beside.name])


def test_report_named_over_a_file_jixiao_did_not_write_needs_force_and_keeps_a_backup(
    folder: Path, capsys
) -> None:
    book, target = folder / WORKBOOK, folder / "报告.md"
    target.write_text("# 我们自己写的报告\n", encoding="utf-8")
    code, _, err = _run(capsys, "report", book, "--format", "md", "-o", target)
    assert code == 2 and "不是 jixiao 生成的" in _one_line(err) and "--force" in err
    assert target.read_text(encoding="utf-8") == "# 我们自己写的报告\n"
    assert _run(capsys, "report", book, "--format", "md", "-o", target, "--force")[0] == 0
    assert [b.read_text(encoding="utf-8") for b in backups_of(target)] == ["# 我们自己写的报告\n"]
    assert is_ours(target)
    assert _run(capsys, "report", book, "--format", "md", "-o", target)[0] == 0  # now it is jixiao's
    assert len(backups_of(target)) == 1  # replacing jixiao's own output keeps no backup
    target.write_text(target.read_text(encoding="utf-8") + "补充一句。\n", encoding="utf-8")
    assert not is_ours(target)  # edited after jixiao wrote it: the user's again


def test_batch_summary_over_a_units_workbook_is_refused(folder: Path, capsys) -> None:
    unit = folder / "某单位.xlsx"
    unit.write_bytes(demo_bytes())
    before = _state(unit)
    code, _, err = _run(capsys, "batch", folder, "-o", unit, "-j", "1", "-q")
    assert code == 2 and "是要检查的文件之一" in _one_line(err)
    assert _state(unit) == before


def test_batch_summary_inside_the_folder_is_replaced_by_the_next_run(folder: Path, capsys) -> None:
    summary = folder / "汇总.xlsx"
    for _ in range(2):
        code, out, _ = _run(capsys, "batch", folder, "-o", summary, "-j", "1", "-q", "--json", "--csv")
        assert code == 1 and "共 1 个文件" in out  # the earlier summary and its CSV/JSON are no filings
    assert is_ours(summary) and not backups_of(summary)


def test_batch_json_over_a_units_data_file_is_refused(folder: Path, sample_path: Path, capsys) -> None:
    data = folder / "汇总.json"
    data.write_bytes(sample_path.read_bytes())  # a unit's own data file, named like the summary's JSON
    code, _, err = _run(capsys, "batch", folder, "-o", folder / "汇总.xlsx", "-q", "-j", "1", "--json")
    assert code == 2 and "是要检查的文件之一" in _one_line(err)
    assert data.read_bytes() == sample_path.read_bytes()
    assert _run(capsys, "batch", folder, "-o", folder / "汇总.xlsx", "-q", "-j", "1")[0] == 1  # read as input


def test_score_into_another_workbook_needs_force_unless_jixiao_wrote_it(folder: Path, capsys) -> None:
    book, other = folder / WORKBOOK, folder / "另一个.xlsx"
    other.write_bytes(b"PK\x05\x06" + b"\x00" * 18)  # somebody's workbook
    theirs = _state(other)
    code, _, err = _run(capsys, "score", book, "-o", other, "--brief")
    assert code == 2 and "--force" in _one_line(err) and _state(other) == theirs
    assert _run(capsys, "score", book, "-o", other, "--brief", "--force")[0] == 1
    assert [b.read_bytes() for b in backups_of(other)] == [theirs[0]] and is_ours(other)
    assert _run(capsys, "score", book, "-o", other, "--brief")[0] == 1  # jixiao's output now: replaced
    assert len(backups_of(other)) == 1 and not backups_of(book)
    code, _, err = _run(capsys, "score", book, "-o", folder / "另一个.xlsm", "--brief")
    assert code == 2 and "同为 .xlsx" in _one_line(err)


def test_new_from_a_workbook_never_writes_over_it(folder: Path, capsys) -> None:
    book = folder / WORKBOOK
    before = _state(book)
    code, _, err = _run(capsys, "new", "--from", book, "-o", book, "--force")
    assert code == 2 and "就是输入文件" in _one_line(err) and _state(book) == before


# ------------------------------------------------------------------ refused writes leave no backup


def test_a_read_only_workbook_is_refused_and_left_alone(folder: Path, capsys) -> None:
    book = folder / WORKBOOK
    book.chmod(0o444)
    before = _state(book)
    code, _, err = _run(capsys, "score", book, "--brief")
    assert code == 2 and "只读" in _one_line(err)
    assert _state(book) == before and not backups_of(book) and stat.S_IMODE(book.stat().st_mode) == 0o444


def test_a_write_refused_for_a_lock_file_makes_no_backup(folder: Path, capsys) -> None:
    book = folder / WORKBOOK
    (folder / f"~${WORKBOOK}").write_bytes(b"\x00" * 165)
    code, _, err = _run(capsys, "score", book, "--brief")
    assert code == 2 and "打开" in _one_line(err)
    assert not backups_of(book) and _leftovers(folder) == []


@contextmanager
def small_disk(tmp_path: Path, kilobytes: int) -> Iterator[Path]:
    """Yield a folder on a tmpfs of ``kilobytes`` (root only; skipped where it cannot be mounted)."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs", str(mount)], check=False
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, keep: int) -> None:
    """Fill the disk of ``folder`` up to ``keep`` free bytes."""
    import shutil

    free = shutil.disk_usage(folder).free
    if free > keep:
        (folder / "filler.bin").write_bytes(b"\x00" * (free - keep))


def test_on_a_full_disk_nothing_is_written_and_no_backup_is_truncated(tmp_path: Path, capsys) -> None:
    with small_disk(tmp_path, 512) as disk:
        book = disk / WORKBOOK
        book.write_bytes(demo_bytes())
        _fill(disk, 60 * 1024)
        before = _state(book)
        code, _, err = _run(capsys, "score", book, "--brief")
        assert code == 2 and "磁盘空间不足" in _one_line(err) and "原文件未改动" in err
        assert _state(book) == before and not backups_of(book) and _leftovers(disk) == []
        for argv in (
            ["report", book, "-o", disk / "报告.docx"],
            ["batch", book, "-o", disk / "汇总.xlsx", "-q", "-j", "1"],
            ["new", "--year", "2024", "--unit", "某局", "-o", disk / "新.xlsx"],
        ):
            code, _, err = _run(capsys, *argv)
            assert code == 2 and "磁盘空间不足" in _one_line(err), argv
        assert sorted(p.name for p in disk.iterdir()) == sorted([WORKBOOK, "filler.bin"])


def test_a_disk_that_fills_during_the_write_gives_one_line_in_a_fresh_process(tmp_path: Path) -> None:
    """The space check is skipped, so the kernel's ENOSPC hits the write itself: still one line, no
    ZipFile ``__del__`` message (every xlsx is saved in memory first), nothing truncated left."""
    with small_disk(tmp_path, 512) as disk:
        book = disk / WORKBOOK
        book.write_bytes(demo_bytes())
        before = _state(book)
        code = (
            "import sys, jixiao.fileio as f; f.check_writable = lambda *a, **k: None\n"
            "from jixiao.cli import main; sys.exit(main(sys.argv[1:]))"
        )
        for argv, free in (
            (["score", str(book), "--brief"], 70 * 1024),
            (["batch", str(book), "-o", str(disk / "汇总.xlsx"), "-q"], 4 * 1024),
        ):
            (disk / "filler.bin").unlink(missing_ok=True)
            _fill(disk, free)
            done = subprocess.run(
                [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
            )
            assert done.returncode == 2, done.stderr
            assert "磁盘空间不足" in _one_line(done.stderr)
            assert _state(book) == before and _leftovers(disk) == []
            assert [p.name for p in disk.iterdir() if is_backup(p) or p.name == "汇总.xlsx"] == []


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.ENAMETOOLONG, errno.EDQUOT])
def test_every_os_error_while_writing_is_one_chinese_line(folder: Path, capsys, monkeypatch, error) -> None:
    book = folder / WORKBOOK
    before = _state(book)
    real = os.write

    def failing(fd: int, data) -> int:
        if stat.S_ISREG(os.fstat(fd).st_mode) and os.fstat(fd).st_size > 0:
            raise OSError(error, os.strerror(error))
        return real(fd, bytes(data)[:4096])

    monkeypatch.setattr(os, "write", failing)
    code, _, err = _run(capsys, "score", book, "--brief")
    line = _one_line(err)
    assert code == 2 and "原文件未改动" in line
    assert _state(book) == before and not backups_of(book) and _leftovers(folder) == []


def test_a_read_only_folder_is_refused_in_one_line(tmp_path: Path, capsys) -> None:
    if os.name == "posix" and os.geteuid() != 0:
        work = tmp_path / "ro"
        work.mkdir()
        (work / WORKBOOK).write_bytes(demo_bytes())
        work.chmod(0o555)
        context = None
    else:
        context = small_disk(tmp_path, 1024)
        work = context.__enter__()
        (work / WORKBOOK).write_bytes(demo_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(work)], check=True)
    try:
        book = work / WORKBOOK
        before = _state(book)
        code, _, err = _run(capsys, "score", book, "--brief")
        assert code == 2 and ("只读" in _one_line(err) or "权限" in err)
        assert _state(book) == before and [p.name for p in work.iterdir()] == [WORKBOOK]
    finally:
        if context is not None:
            context.__exit__(None, None, None)
        else:
            work.chmod(0o755)


# ------------------------------------------------------------------ backups


def test_a_long_file_name_gets_a_backup_name_that_fits(tmp_path: Path, capsys) -> None:
    book = tmp_path / ("株洲市行业办公室" * 10 + "自评.xlsx")  # 246 bytes in UTF-8
    book.write_bytes(demo_bytes())
    code, _, err = _run(capsys, "score", book, "--brief")
    assert code == 1, err
    backups = backups_of(book)
    assert len(backups) == 1 and backups[0].read_bytes() == demo_bytes()
    assert len(os.fsencode(backups[0].name)) <= 255 and is_backup(backups[0])


def test_only_the_last_backups_are_kept(folder: Path, capsys, monkeypatch) -> None:
    book = folder / WORKBOOK
    for _ in range(4):
        assert _run(capsys, "score", book, "--brief", "--keep-backups", "2")[0] == 1
    assert len(backups_of(book)) == 2
    monkeypatch.setenv("JIXIAO_KEEP_BACKUPS", "1")
    assert _run(capsys, "score", book, "--brief")[0] == 1
    assert len(backups_of(book)) == 1
    with pytest.raises(SystemExit) as refused:
        main(["score", str(book), "--keep-backups", "0"])
    assert refused.value.code == 2 and "--keep-backups" in _one_line(capsys.readouterr().err)


def test_a_planted_symlink_never_redirects_the_backup(folder: Path, tmp_path: Path, capsys) -> None:
    book = folder / WORKBOOK
    outside = tmp_path / "别处"
    outside.mkdir()
    (outside / "victim.xlsx").write_bytes(b"victim")
    now = datetime.now()
    for second in range(-1, 30):
        stamp = (now + timedelta(seconds=second)).strftime("%Y%m%d-%H%M%S")
        target = outside / ("victim.xlsx" if second % 2 else f"new-{second}.xlsx")
        (folder / f"自评.bak-{stamp}.xlsx").symlink_to(target)
    assert _run(capsys, "score", book, "--brief")[0] == 1
    assert (outside / "victim.xlsx").read_bytes() == b"victim"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.xlsx"]
    assert [b.read_bytes() for b in backups_of(book)] == [demo_bytes()]
    assert all(
        p.is_symlink()
        for p in folder.iterdir()
        if p.name.startswith("自评.bak-") and p not in backups_of(book)
    )


def test_a_symlinked_workbook_is_written_through_to_its_target(folder: Path, tmp_path: Path, capsys) -> None:
    real = folder / WORKBOOK
    link = tmp_path / "桌面快捷.xlsx"
    link.symlink_to(real)
    assert _run(capsys, "score", link, "--brief")[0] == 1
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_bytes() != demo_bytes() and [b.read_bytes() for b in backups_of(real)] == [demo_bytes()]
    assert not list(tmp_path.glob("桌面快捷.bak-*"))


def test_the_file_and_its_folder_are_synced_around_the_rename(folder: Path, capsys, monkeypatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "fsync file")
        real_fsync(fd)

    def replace(src, dst) -> None:
        events.append(f"replace {Path(dst).name}")
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    assert _run(capsys, "score", folder / WORKBOOK, "--brief")[0] == 1
    at = events.index(f"replace {WORKBOOK}")
    assert events[at - 1] == "fsync file" and events[at + 1] == "fsync folder"
    assert events.count("fsync file") == 2  # the backup too


def test_temporary_files_of_a_killed_run_are_cleaned_by_the_next(folder: Path) -> None:
    book = folder / WORKBOOK
    before = _state(book)
    dying = (
        "import os, signal, sys\n"
        "real = os.write\n"
        "def write(fd, data):\n"
        "    real(fd, bytes(data)[:1000]); os.kill(os.getpid(), signal.SIGKILL)\n"
        "os.write = write\n"
        "from jixiao.cli import main; main(sys.argv[1:])"
    )
    done = subprocess.run(
        [sys.executable, "-c", dying, "score", str(book), "--brief"], capture_output=True, check=False
    )
    assert done.returncode == -9
    assert len(_leftovers(folder)) == 1 and _state(book) == before  # kill -9 in the middle of the backup
    done = subprocess.run(
        [sys.executable, "-m", "jixiao.cli", "score", str(book), "--brief"], capture_output=True, check=False
    )
    assert done.returncode == 1, done.stderr
    assert _leftovers(folder) == [] and len(backups_of(book)) == 1
