"""How fast ``jixiao score`` writes a workbook in place, against openpyxl's load + save of the same file.

    python bench/bench_write.py [--repeat 7]

Since issue 13 the score writer edits the package at the XML level (only jixiao's cells and parts)
instead of saving the workbook with openpyxl. Measured on the large unit (30 indicators in 1-2,
20 projects of 15), in this same run:

1. ``jixiao score FILE`` in place (a subprocess, as a user or the ribbon starts it) against
   ``python -c "openpyxl.load_workbook(f).save(f)"`` on the same file — the floor of any writer that
   re-saves the workbook with openpyxl;
2. in process, the write alone: the surgical writer (``write_result``) against the openpyxl writer
   it replaced (load, fill the same plan, save), both given the same result.

Prints the figures and the ratios (below 1 means faster than openpyxl); asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import sys
import tempfile
from pathlib import Path

from common import LARGE, PYTHON, installed_jixiao, load_generator, machine, median_command, median_times


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per median")
    args = parser.parse_args(argv)
    generate = load_generator()
    shape = generate.UnitShape(LARGE["projects"], LARGE["t12_indicators"], LARGE["t13_indicators"])
    filing = generate.clean_filing(random.Random(2026), 42, shape)
    print(f"machine: {machine()}")
    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-write-"))
    try:
        book = work / "large.xlsx"
        generate.write_filing(filing, book)
        size = book.stat().st_size / 1024
        print(f"workbook: {size:.0f} KB, {len(filing.t13)} projects; median of {args.repeat}")

        # 1. the command in place vs openpyxl load + save of the same file
        command = [*installed_jixiao(), "score", str(book), "--brief", "--keep-backups", "1"]
        score = median_command(command, args.repeat)
        floor_code = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[1])"
        copy = work / "floor.xlsx"
        shutil.copyfile(book, copy)
        floor = median_command([PYTHON, "-c", floor_code, str(copy)], args.repeat)
        print(
            f"1. jixiao score in place {score[0]:6.2f} s (CPU {score[1]:5.2f} s)   "
            f"openpyxl load+save {floor[0]:6.2f} s (CPU {floor[1]:5.2f} s)   "
            f"ratio {score[0] / floor[0]:5.2f}× wall, {score[1] / floor[1]:5.2f}× CPU"
        )

        # 2. the write alone, in process
        from openpyxl import load_workbook

        from jixiao import workbook
        from jixiao.pipeline import evaluate
        from jixiao.workbook.writer import apply_to_openpyxl, plan_result, write_result

        loaded = workbook.read(book)
        result = evaluate(loaded.filing, loaded.findings, source=str(book))
        out = work / "out.xlsx"

        def surgical() -> None:
            write_result(book, out, result, loaded.book)

        def openpyxl_writer() -> None:
            wb = load_workbook(book)
            apply_to_openpyxl(wb, plan_result(wb, result))
            wb.save(io.BytesIO())

        ours = median_times(surgical, args.repeat)
        theirs = median_times(openpyxl_writer, args.repeat)
        print(
            f"2. write alone: surgical {ours[0] * 1000:7.1f} ms (CPU {ours[1] * 1000:7.1f} ms)   "
            f"openpyxl load+fill+save {theirs[0] * 1000:7.1f} ms (CPU {theirs[1] * 1000:7.1f} ms)   "
            f"ratio {ours[0] / theirs[0]:5.2f}× wall, {ours[1] / theirs[1]:5.2f}× CPU"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
