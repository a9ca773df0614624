"""Benchmarks of issue 14 on one unit: the fast reader, start-up, score, warm and cold in-process runs.

    python bench/bench_unit.py [--repeat 7]

a. in-process check + score + narrative, warm (median of runs in this process): target ≤ 25 ms;
a′. the same, cold: the first call in a fresh process after its imports: target ≤ 50 ms;
b. ``jixiao score`` in place vs openpyxl's load + save of the same file: ≤ 0.5×;
c. ``jixiao check`` vs a python-calamine read of the same file: ≤ 5× on the large unit
   (30 indicators in 1-2, 20 projects of 15), ≤ 4× on a one-project unit;
d. what ``jixiao check`` imports before it opens the file: < 60 ms;
e. ``jixiao --version`` start-up.
Every ratio is between two figures of this same run; commands run as subprocesses, the way a
user (or the ribbon) starts them; the load average is printed before and after. The package is
byte-compiled first (as pip installs it), since this machine may run with PYTHONDONTWRITEBYTECODE.
Prints the figures and the ratios; asserts nothing.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import subprocess
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

ONE_PROJECT = {"projects": 1, "t12_indicators": 20, "t13_indicators": 12}
CALAMINE = (
    "import sys\nfrom python_calamine import CalamineWorkbook\n"
    "wb = CalamineWorkbook.from_path(sys.argv[1])\n"
    "for name in wb.sheet_names: wb.get_sheet_by_name(name).to_python()\n"
)
PRE_OPEN = (  # what `jixiao check FILE.xlsx` imports before it opens the file
    "import jixiao.cli, jixiao.cli.check, jixiao.api, jixiao.workbook, jixiao.workbook.reader, "
    "jixiao.workbook.fastread, jixiao.workbook.foreign"
)
COLD = """
import sys, time, random
sys.path.insert(0, sys.argv[1])
from common import LARGE, load_generator
generate = load_generator()
shape = generate.UnitShape(LARGE["projects"], LARGE["t12_indicators"], LARGE["t13_indicators"])
filing = generate.clean_filing(random.Random(2026), 42, shape)
from jixiao.pipeline import evaluate
from jixiao.report.narrative import build_report
start, cpu = time.perf_counter(), time.process_time()
result = evaluate(filing)
build_report(result.filing, result.scores)
print(time.perf_counter() - start, time.process_time() - cpu)
"""


def unit(generate, shape: dict[str, int]):
    """Return a clean generated unit of ``shape``."""
    return generate.clean_filing(
        random.Random(2026), 42,
        generate.UnitShape(shape["projects"], shape["t12_indicators"], shape["t13_indicators"]),
    )  # fmt: skip


def load_average() -> str:
    """Return the 1-minute load average, or '?' where there is none."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def compile_package() -> None:
    """Byte-compile jixiao's modules, as pip does on install."""
    import jixiao
    import jixiao.workbook

    for package in (jixiao, jixiao.workbook):
        compileall.compile_dir(Path(package.__file__).parent, quiet=1)


def line(label: str, ours: tuple[float, float], floor: tuple[float, float], name: str, target: float) -> None:
    """Print ``ours`` against ``floor`` with their ratio and the verdict by CPU."""
    wall, cpu = ours[0] / floor[0], ours[1] / floor[1]
    print(
        f"{label} {ours[0]:6.3f} s (CPU {ours[1]:5.3f} s)   {name} {floor[0]:6.3f} s (CPU {floor[1]:5.3f} s)"
        f"   ratio {wall:5.2f}× wall, {cpu:5.2f}× CPU   (target ≤ {target:g}×: {verdict(cpu, target)} by CPU)"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the figures; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per median (subprocesses)")
    parser.add_argument("--keep", type=Path, help="keep the workbooks in this folder")
    args = parser.parse_args(argv)
    compile_package()
    generate = load_generator()
    jixiao = installed_jixiao()
    print(f"machine: {machine()}; load average {load_average()} at the start")
    large = unit(generate, LARGE)

    # a. warm, in process
    from jixiao.pipeline import evaluate
    from jixiao.report.narrative import build_report

    def full() -> None:
        result = evaluate(large)
        build_report(result.filing, result.scores)

    wall, cpu = median_times(full, args.repeat * 3)
    print(f"a.  check+score+narrative, warm   {wall * 1000:6.1f} ms (CPU {cpu * 1000:5.1f} ms)   "
          f"(target ≤ 25 ms: {verdict(cpu, 0.025)} by CPU)")  # fmt: skip
    colds = []
    for _ in range(args.repeat):
        run = subprocess.run([PYTHON, "-c", COLD, str(Path(__file__).parent)], capture_output=True, text=True)
        colds.append(tuple(float(x) for x in run.stdout.split()))
    colds.sort()
    cold_wall, cold_cpu = colds[len(colds) // 2]
    print(f"a′. check+score+narrative, cold   {cold_wall * 1000:6.1f} ms (CPU {cold_cpu * 1000:5.1f} ms)   "
          f"first call in a fresh process   (target ≤ 50 ms: {verdict(cold_cpu, 0.05)} by CPU)")  # fmt: skip

    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        books = {"large": work / "large.xlsx", "one project": work / "one.xlsx"}
        generate.write_filing(large, books["large"])
        generate.write_filing(unit(generate, ONE_PROJECT), books["one project"])
        for label, book in books.items():
            print(f"    workbook {label}: {book.stat().st_size / 1024:.0f} KB")

        # b. score in place vs openpyxl load + save
        target = work / "scored.xlsx"
        save_code = "import sys, openpyxl; openpyxl.load_workbook(sys.argv[1]).save(sys.argv[1])"
        shutil.copy2(books["large"], target)
        score = median_command([*jixiao, "score", str(target), "--brief", "--keep-backups", "1"], args.repeat)
        shutil.copy2(books["large"], work / "floor.xlsx")
        floor = median_command([PYTHON, "-c", save_code, str(work / "floor.xlsx")], args.repeat)
        line("b.  jixiao score (in place, large)", score, floor, "openpyxl load+save", 0.5)

        # c. check vs python-calamine
        try:
            import python_calamine  # noqa: F401
        except ImportError:
            print("c.  pip install python-calamine for the floor of c")
        else:
            for (label, book), target_ratio in zip(books.items(), (5, 4), strict=True):
                check = median_command([*jixiao, "check", str(book)], args.repeat)
                calamine = median_command([PYTHON, "-c", CALAMINE, str(book)], args.repeat)
                line(f"c.  jixiao check ({label})", check, calamine, "calamine read", target_ratio)

        # d. imports before the file is opened; e. start-up
        pre_open = median_command([PYTHON, "-c", PRE_OPEN], args.repeat * 3, ok=(0,))
        bare = median_command([PYTHON, "-c", "pass"], args.repeat * 3, ok=(0,))
        print(
            f"d.  check's imports before opening {pre_open[1] * 1000:5.0f} ms CPU, "
            f"{pre_open[0] * 1000:4.0f} ms wall (bare Python {bare[1] * 1000:3.0f} ms CPU)   "
            f"(target < 60 ms: {verdict(pre_open[1], 0.06)} by CPU)"
        )
        version = median_command([*jixiao, "--version"], args.repeat * 3, ok=(0,))
        print(f"e.  jixiao --version {version[0]:6.3f} s (CPU {version[1]:5.3f} s)")
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            for book in books.values():
                shutil.copy2(book, args.keep / book.name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average {load_average()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
