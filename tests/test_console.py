"""A Chinese Windows console (GBK), or ``jixiao check x.xlsx > 结果.txt`` there: every line prints,
the markers become characters GBK has (✗ → ×), and ``--json`` stays valid JSON with the same data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

JIXIAO = str(Path(sys.executable).with_name("jixiao"))
REPORT_MD = "2022年度株洲市行业办公室整体支出绩效自评报告.md"


def _run(*args: str, encoding: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([JIXIAO, *args], capture_output=True, env=env, check=False)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "cp936"])
def test_check_prints_on_a_gbk_console(demo_folder, encoding):
    workbook = next(demo_folder.glob("*.xlsx"))
    done = _run("check", str(workbook), encoding=encoding)
    text = done.stdout.decode(encoding)
    assert (
        done.returncode == 1
        and b"Traceback" not in done.stderr
        and "内部错误" not in done.stderr.decode(encoding)
    )
    marker = "✗" if encoding == "gb18030" else "×"  # GB18030 holds every character; GBK lacks ✗
    assert f"{marker} 错误 [IND-SCORE]" in text and "共 13 个错误、9 个警告、10 个提示" in text


def test_json_on_a_gbk_console_is_the_same_data(demo_folder):
    workbook = next(demo_folder.glob("*.xlsx"))
    gbk = json.loads(_run("check", "--json", str(workbook), encoding="gbk").stdout.decode("gbk"))
    utf8 = json.loads(_run("check", "--json", str(workbook), encoding="utf-8").stdout.decode("utf-8"))
    assert gbk == utf8 and len(gbk["findings"]) == 32


def _commands(tmp: Path, sample: Path) -> list[tuple[str, list[str], int]]:
    """Return (name, arguments, expected exit code) for every command, in the order they run."""
    book = tmp / "样例.xlsx"
    demo_book = tmp / "演示" / "株洲市行业办公室2022年度绩效自评.xlsx"
    folder = tmp / "batch"
    return [
        ("--help", ["--help"], 0),
        ("demo", ["demo", "--out", str(tmp / "演示")], 0),
        ("new", ["new", "--year", "2023", "--unit", "测试单位", "-o", str(book)], 0),
        ("check", ["check", str(sample)], 1),
        ("check --json", ["check", "--json", str(sample)], 1),
        ("score", ["score", str(demo_book)], 1),
        *[
            (
                f"report --format {fmt}",
                ["report", str(sample), "--format", fmt, "-o", str(tmp / "报告") + "/"],
                0,
            )
            for fmt in ("docx", "pdf", "md")
        ],
        (
            "report --format md --public",
            ["report", str(sample), "--format", "md", "--public", "-o", str(tmp / "报告") + "/"],
            0,
        ),
        ("check --report", ["check", str(sample), "--report", str(tmp / "报告" / REPORT_MD)], 1),
        (
            "report --format xlsx",
            ["report", str(demo_book), "--format", "xlsx", "-o", str(tmp / "报告" / "r.xlsx")],
            0,
        ),
        ("batch", ["batch", str(folder), "-o", str(tmp / "汇总.xlsx"), "-j", "1", "--json", "--csv"], 1),
        (
            "addin click",
            [
                "addin",
                "click",
                "校验",
                str(demo_book),
                "-o",
                str(tmp / "点击.xlsx"),
            ],
            0,  # a pressed button reports in its message box, as in Excel
        ),
        ("unusable input", ["check", str(tmp / "不存在.xlsx")], 2),
    ]


def test_every_command_runs_on_a_gbk_console_into_a_file(tmp_path, sample_path, soffice):
    """Every command, stdout and stderr redirected into files as ``> 结果.txt`` does on a Chinese
    Windows: the expected exit code, text that decodes as GBK, and never a traceback or 内部错误."""
    (tmp_path / "报告").mkdir()
    folder = tmp_path / "batch"
    folder.mkdir()
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "XLWINGS_LICENSE_KEY": "noncommercial"}
    for name, args, expected in _commands(tmp_path, sample_path):
        if name == "batch":
            for source in (tmp_path / "演示").glob("*.xlsx"):
                (folder / source.name).write_bytes(source.read_bytes())
            (folder / "空白.xlsx").write_bytes((tmp_path / "样例.xlsx").read_bytes())
        out, err = tmp_path / f"{name}.out.txt", tmp_path / f"{name}.err.txt"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            done = subprocess.run([JIXIAO, *args], stdout=stdout, stderr=stderr, env=env, check=False)
        text = out.read_bytes().decode("gbk") + err.read_bytes().decode("gbk")  # GBK throughout
        assert "Traceback" not in text and "内部错误" not in text, f"{name}: {text[-400:]}"
        assert done.returncode == expected, f"{name}: exit {done.returncode}: {text[-400:]}"
        assert text.strip(), f"{name} printed nothing"
        if name == "check --json":
            assert json.loads(text)["summary"]["errors"] >= 11
