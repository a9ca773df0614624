"""How fast and how lean jixiao refuses hostile workbooks: a 20 MB zip bomb, a billion-laughs sharedStrings.

Each case runs ``jixiao check`` in a fresh process and prints the wall time, the peak resident
memory of that process (ru_maxrss) and the exit code. The issue asks for under 5 s and 500 MB.

    /work/venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hardening_files import (  # noqa: E402
    MB,
    billion_laughs,
    bomb_workbook,
    broken_files,
    demo_bytes,
    with_shared_strings,
)

CHILD = "import sys; from jixiao.cli import main; sys.exit(main(['check', sys.argv[1]]))"


def cases() -> dict[str, bytes]:
    """Return the hostile files by label."""
    gigabytes_per_member = 3  # 3 GB of zeros is ~3 MB deflated; seven of them make a ~21 MB file
    return {
        "(baseline: the sample workbook)": demo_bytes(),
        "zip bomb, 21 MB on disk → 21 GB": bomb_workbook(gigabytes_per_member * 1024, members=7),
        "zip bomb, lying directory": bomb_workbook(gigabytes_per_member * 1024, members=7, lying=True),
        "billion laughs (10^9 'lol')": with_shared_strings(billion_laughs(10)),
        "billion laughs, UTF-16": with_shared_strings(billion_laughs(10, encoding="utf-16")),
        "cell at XFD1048576": broken_files()["far-cell"][0],
    }


def measure(path: Path) -> tuple[float, float, int, str]:
    """Return seconds, peak RSS in MB, exit code and the first line of stderr of ``jixiao check path``."""
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)], stdout=subprocess.DEVNULL, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own resource usage
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        message = (err.read().strip().splitlines() or [""])[0]
    return seconds, usage.ru_maxrss / 1024, proc.returncode, message


def main() -> None:
    """Print one line per hostile file."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-hostile-"))
    print(f"{'case':36} {'on disk':>9} {'time':>7} {'peak RSS':>9} exit  message")
    for index, (label, data) in enumerate(cases().items()):
        path = folder / f"hostile{index}.xlsx"
        path.write_bytes(data)
        seconds, peak, code, message = measure(path)
        print(f"{label:36} {len(data) / MB:7.1f}MB {seconds:6.2f}s {peak:7.0f}MB  {code}    {message[-70:]}")
    print("(peak RSS is the whole child process: Python, jixiao and its imports included)")


if __name__ == "__main__":
    main()
