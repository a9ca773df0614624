"""Benchmarks a, b, c and e of issue 6 on one large unit (30 indicators in 1-2, 20 projects of 15).

    python bench/bench_unit.py [--repeat 7]

a. in-process check + score (+ narrative when jixiao.report is installed): target ≤ 50 ms;
b. ``jixiao score`` on the workbook vs the floor of openpyxl load + save of it: ≤ 1.5×;
c. ``jixiao check`` vs reading the same file with python-calamine: ≤ 3×;
e. ``jixiao --version`` start-up: ≤ 0.3 s.
Every figure is a median of runs made in this same process; commands run as subprocesses, the
way a user (or the ribbon) starts them. Prints the figures and the ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

from common import (
    LARGE,
    PYTHON,
    installed_jixiao,
    load_generator,
    machine,
    median_command,
    median_times,
    verdict,
)


def large_filing():
    """Return the large clean unit: 30 indicators in 1-2, 20 projects of 15 indicators."""
    generate = load_generator()
    shape = generate.UnitShape(LARGE["projects"], LARGE["t12_indicators"], LARGE["t13_indicators"])
    return generate.clean_filing(random.Random(2026), 42, shape), generate


def bench_in_process(filing, repeat: int) -> dict[str, tuple[float, float]]:
    """Return the median (wall, CPU) seconds of score + check, and with the narrative when available."""
    from jixiao.pipeline import evaluate

    out = {"check+score": median_times(lambda: evaluate(filing), repeat * 3)}
    try:
        from jixiao.report.narrative import build_report
    except ImportError:
        return out

    def full() -> None:
        result = evaluate(filing)
        build_report(result.filing, result.scores)

    out["check+score+narrative"] = median_times(full, repeat * 3)
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per median (subprocesses)")
    parser.add_argument("--keep", type=Path, help="keep the workbook in this folder")
    args = parser.parse_args(argv)
    filing, generate = large_filing()
    jixiao = installed_jixiao()
    print(f"machine: {machine()}")
    print(
        f"unit: 1-2 with {len(filing.t12.scored_indicators())} indicators, {len(filing.t13)} projects of "
        f"{len(filing.t13[0].scored_indicators())} indicators; median of {args.repeat} runs unless noted"
    )

    # a. in-process
    figures = bench_in_process(filing, args.repeat)
    for label, (wall, cpu) in figures.items():
        print(
            f"a. in-process {label:<24} {wall * 1000:7.1f} ms (CPU {cpu * 1000:6.1f} ms)   "
            f"(target ≤ 50 ms: {verdict(cpu, 0.05)} by CPU)"
        )

    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        book = work / "large.xlsx"
        generate.write_filing(filing, book)
        size = book.stat().st_size
        print(f"   workbook: {book.name}, {size / 1024:.0f} KB")

        def line(
            label: str, ours: tuple[float, float], floor: tuple[float, float], name: str, target: float
        ) -> None:
            wall, cpu = ours[0] / floor[0], ours[1] / floor[1]
            print(
                f"{label} {ours[0]:6.2f} s (CPU {ours[1]:5.2f} s)   "
                f"{name} {floor[0]:6.2f} s (CPU {floor[1]:5.2f} s)   ratio {wall:5.2f}× wall, "
                f"{cpu:5.2f}× CPU   (target ≤ {target:g}×: {verdict(cpu, target)} by CPU)"
            )

        # b. score vs openpyxl load + save
        scored = work / "scored.xlsx"
        save_code = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])"
        score = median_command([*jixiao, "score", str(book), "-o", str(scored), "--brief"], args.repeat)
        floor = median_command([PYTHON, "-c", save_code, str(book), str(work / "floor.xlsx")], args.repeat)
        line("b. jixiao score", score, floor, "openpyxl load+save", 1.5)

        # c. check vs python-calamine read
        check = median_command([*jixiao, "check", str(book)], args.repeat)
        calamine_code = (
            "import sys\nfrom python_calamine import CalamineWorkbook\n"
            "wb = CalamineWorkbook.from_path(sys.argv[1])\n"
            "for name in wb.sheet_names: wb.get_sheet_by_name(name).to_python()\n"
        )
        try:
            import python_calamine  # noqa: F401

            calamine = median_command([PYTHON, "-c", calamine_code, str(book)], args.repeat)
            line("c. jixiao check", check, calamine, "python-calamine read", 3)
        except ImportError:
            print(f"c. jixiao check {check[0]:6.2f} s   (pip install python-calamine for the floor)")

        # e. start-up
        version = median_command([*installed_jixiao(), "--version"], args.repeat * 3, ok=(0,))
        bare = median_command([PYTHON, "-c", "pass"], args.repeat * 3, ok=(0,))
        print(
            f"e. jixiao --version {version[0]:6.3f} s (CPU {version[1]:5.3f} s)   "
            f"bare python {bare[0]:5.3f} s   "
            f"(target ≤ 0.3 s: {verdict(version[0], 0.3)})"
        )
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy2(book, args.keep / book.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
