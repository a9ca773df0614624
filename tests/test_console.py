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
    assert f"{marker} 错误 [IND-SCORE]" in text and "共 11 个错误、8 个警告、10 个提示" in text


def test_json_on_a_gbk_console_is_the_same_data(demo_folder):
    workbook = next(demo_folder.glob("*.xlsx"))
    gbk = json.loads(_run("check", "--json", str(workbook), encoding="gbk").stdout.decode("gbk"))
    utf8 = json.loads(_run("check", "--json", str(workbook), encoding="utf-8").stdout.decode("utf-8"))
    assert gbk == utf8 and len(gbk["findings"]) == 29
