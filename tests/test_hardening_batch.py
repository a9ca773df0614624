"""A batch survives any one file (issue 15): odd names, links out of the folder, dangling links,
hostile files. Each is listed in 无法读取 with its reason, the others are read, the outputs written."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import openpyxl
import pytest

from jixiao.cli import main
from tests.conftest import SAMPLE
from tests.hardening_files import broken_files, demo_bytes

ODD_NAMES = ["-甲.xlsx", "+乙.xlsx", "=丙.xlsx", "@丁.xlsx", "-戊.json", "=己.json", "@庚.json", "'辛.xlsx"]


def _batch(tmp_path: Path, source: str, capsys) -> tuple[int, dict, Path]:
    out = tmp_path / "汇总" / "汇总.xlsx"
    code = main(["batch", source, "-o", str(out), "-j", "2", "-q", "--json", "--csv"])
    captured = capsys.readouterr()
    assert "内部错误" not in captured.err and "Traceback" not in captured.out + captured.err
    data = json.loads(out.with_suffix(".json").read_text("utf-8"))
    return code, data, out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Return a folder of the sample under odd names, links of every kind and one zip bomb."""
    folder = tmp_path / "收件"
    (folder / "下级").mkdir(parents=True)
    outside = tmp_path / "别处"
    outside.mkdir()
    for name in ODD_NAMES:
        target = folder / name
        target.write_bytes(demo_bytes() if name.endswith(".xlsx") else SAMPLE.read_bytes())
    (outside / "别的单位.xlsx").write_bytes(demo_bytes())
    (folder / "外链.xlsx").symlink_to(outside / "别的单位.xlsx")
    (folder / "口令.json").symlink_to("/etc/passwd")
    (folder / "悬空.xlsx").symlink_to(tmp_path / "不存在.xlsx")
    (folder / "环1.xlsx").symlink_to(folder / "环2.xlsx")
    (folder / "环2.xlsx").symlink_to(folder / "环1.xlsx")
    (folder / "下级" / "内链.xlsx").symlink_to(folder / "-甲.xlsx")  # inside the folder: read
    bomb, suffix, _ = broken_files()["zip-bomb"]
    (folder / f"炸弹{suffix}").write_bytes(bomb)
    return folder


def test_a_batch_survives_odd_names_links_and_a_bomb(tmp_path: Path, folder: Path, capsys) -> None:
    code, data, out = _batch(tmp_path, str(folder), capsys)
    assert code == 1
    read = sorted(item["file"] for item in data["files"])
    assert read == sorted([*ODD_NAMES, "下级/内链.xlsx"])
    unreadable = {item["file"]: item["reason"] for item in data["unreadable"]}
    assert set(unreadable) == {"外链.xlsx", "口令.json", "悬空.xlsx", "环1.xlsx", "环2.xlsx", "炸弹.xlsx"}
    assert "检查文件夹以外的链接" in unreadable["外链.xlsx"] and "别处" in unreadable["外链.xlsx"]
    assert "检查文件夹以外的链接" in unreadable["口令.json"]
    assert "不存在" in unreadable["悬空.xlsx"] and "不存在" in unreadable["环1.xlsx"]
    assert "压缩炸弹" in unreadable["炸弹.xlsx"]
    assert all("\n" not in reason for reason in unreadable.values())
    assert not any(item["skipped"] for item in data["unreadable"])

    book = openpyxl.load_workbook(out)
    files = [row[0].value for row in book["汇总"].iter_rows(min_row=2)]
    assert set(ODD_NAMES) <= set(files)  # the names as they are, stored as text
    assert all(row[0].data_type == "s" for row in book["汇总"].iter_rows(min_row=2))
    links = {
        row[0].value: row[4].hyperlink.target  # 位置
        for row in book["问题清单"].iter_rows(min_row=2)
        if row[4].hyperlink is not None
    }
    assert links["=丙.xlsx"].startswith("../收件/=丙.xlsx#'")
    assert {row[0].value for row in book["无法读取"].iter_rows(min_row=2)} == set(unreadable)
    with out.with_suffix(".csv").open(encoding="utf-8-sig") as handle:
        csv_files = {row[0] for row in csv.reader(handle)}
    assert {"'-甲.xlsx", "'=丙.xlsx", "'@丁.xlsx", "'+乙.xlsx"} <= csv_files  # CSV: neutralised


def test_a_glob_through_a_linked_folder_does_not_read_outside(tmp_path: Path, capsys) -> None:
    folder, outside = tmp_path / "收件", tmp_path / "别处"
    folder.mkdir()
    outside.mkdir()
    (folder / "本单位.json").write_bytes(SAMPLE.read_bytes())
    (outside / "别的单位.json").write_bytes(SAMPLE.read_bytes())
    (folder / "链接目录").symlink_to(outside, target_is_directory=True)
    code, data, _ = _batch(tmp_path, str(folder / "**" / "*.json"), capsys)
    assert [item["file"] for item in data["files"]] == ["本单位.json"]
    assert [item["file"] for item in data["unreadable"]] == ["链接目录/别的单位.json"]
    assert code == 1


def test_a_file_that_cannot_be_opened_is_listed(tmp_path: Path, monkeypatch, capsys) -> None:
    """Whoever runs the tests (root reads any file), a file whose opening fails is one line."""
    folder = tmp_path / "收件"
    folder.mkdir()
    (folder / "可读.json").write_bytes(SAMPLE.read_bytes())
    (folder / "被占用.xlsx").write_bytes(demo_bytes())
    real_open = Path.open

    def refusing_open(self, *args, **kwargs):
        if self.name == "被占用.xlsx":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    out = tmp_path / "汇总" / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "-j", "1", "-q", "--json"]) == 1
    data = json.loads(out.with_suffix(".json").read_text("utf-8"))
    assert [item["file"] for item in data["files"]] == ["可读.json"]
    (unreadable,) = data["unreadable"]
    assert unreadable["file"] == "被占用.xlsx" and "无法读取文件" in unreadable["reason"]
    assert "内部错误" not in capsys.readouterr().err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a file whatever its mode")
def test_an_unreadable_file_is_listed(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "收件"
    folder.mkdir()
    (folder / "可读.json").write_bytes(SAMPLE.read_bytes())
    locked = folder / "不可读.xlsx"
    locked.write_bytes(demo_bytes())
    locked.chmod(0)
    try:
        code, data, _ = _batch(tmp_path, str(folder), capsys)
    finally:
        locked.chmod(0o644)
    assert [item["file"] for item in data["unreadable"]] == ["不可读.xlsx"] and code == 1
