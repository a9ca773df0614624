"""Benchmark of issue 14: a province, 5,000 units of 10 projects, from a scaled sample.

    python bench/bench_province.py [-n 100] [--jobs 2] [--units 5000]

Generating and checking 5,000 workbooks takes hours of this shared machine, so the script runs
``jixiao batch`` over a scaled sample of ``-n`` generated units with 10 projects each (the corpus of
bench_batch.py, reused when it exists) and prints its wall, CPU and peak memory (the parent, and
the largest single process — never a sum over forks). It then states the extrapolation to
``--units`` workbooks: linear in the files for wall and CPU (the workers read one workbook at a
time and share nothing), while memory is measured, not extrapolated: the parent's work for the
full province is replayed by bench_batch.province (5,000 units' rows through the tally, the
CSV/JSON streams, the pandas statistics and the write-only summary).
Targets: ≤ 3 minutes on 2 cores; peak memory of any process ≤ 300 MB. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from bench_batch import MB, corpus, exact, province, run_measured
from common import installed_jixiao, machine, verdict

PROJECTS = 10


def main(argv: list[str] | None = None) -> int:
    """Run the scaled province and print its figures and extrapolation; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--sample", type=int, default=100, help="units generated and checked")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--units", type=int, default=5000, help="the province's units")
    args = parser.parse_args(argv)
    folder = corpus(args.sample, PROJECTS, args.jobs)
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jixiao-province-") as tmp:
        summary = Path(tmp) / "summary.xlsx"
        code, wall, cpu, parent, largest = run_measured(
            [*installed_jixiao(), "batch", str(folder / "units"), "-o", str(summary), "--json", "--csv", "-q",
             "-j", str(args.jobs)]
        )  # fmt: skip
        ok, detail = exact(folder, summary.with_suffix(".json"))
    load_after = os.getloadavg()[0]
    scale = args.units / args.sample
    print(f"machine: {machine()}; load average {load_before:.2f} before, {load_after:.2f} after")
    print(
        f"sample: {args.sample} units × {PROJECTS} projects on {args.jobs} cores: exit {code}, "
        f"{wall:.1f} s wall, {cpu:.1f} s CPU ({cpu / args.sample * 1000:.0f} ms per file); peak RSS "
        f"parent {parent / MB:.0f} MB, largest process {largest / MB:.0f} MB; exactly the injected "
        f"errors: {'yes' if ok else 'NO'} ({detail})"
    )
    idle = cpu * scale / args.jobs
    print(
        f"province, extrapolated ×{scale:g} to {args.units} units: {wall * scale:.0f} s wall at this load, "
        f"≥ {idle:.0f} s on {args.jobs} idle cores (CPU {cpu * scale:.0f} s)   "
        f"(target ≤ 180 s: {verdict(idle, 180)} by CPU)"
    )
    print(f"memory, measured: largest process {largest / MB:.0f} MB (a worker holds one workbook at a time)")
    province(folder, args.units, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
