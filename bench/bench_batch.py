"""Benchmark d of issue 6: ``jixiao batch`` over 1,000 generated workbooks on all cores.

    python bench/bench_batch.py [-n 1000] [-k 3] [--jobs 2]

Generates the corpus once into ``bench/out/corpus-N-k`` (reused when its truth.json exists), runs
``jixiao batch`` as a subprocess, samples the RSS of its whole process tree every 20 ms and prints
the wall time, the peak memory and whether the batch found exactly the injected errors.
Targets: ≤ 60 s and ≤ 500 MB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from common import OUT, installed_jixiao, load_generator, machine, peak_tree_rss, verdict


def corpus(units: int, projects: int, jobs: int | None) -> Path:
    """Return the folder of the generated corpus, generating it when missing."""
    folder = OUT / f"corpus-{units}-{projects}"
    if not (folder / "truth.json").exists():
        generate = load_generator()
        start = time.perf_counter()
        shape = generate.UnitShape(projects, 8, 8)
        generate.generate(folder, units, shape, seed=1, suffix=".xlsx", jobs=jobs)
        print(f"generated {units} workbooks in {time.perf_counter() - start:.0f} s into {folder}")
    return folder


def exact(folder: Path, summary_json: Path) -> tuple[bool, str]:
    """Return whether the batch found exactly the injected errors and listed the broken files."""
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    data = json.loads(summary_json.read_text(encoding="utf-8"))
    found = {entry["file"]: {f["rule"] for f in entry["findings"]} for entry in data["files"]}
    wrong = [name for name, item in truth["files"].items() if found.get(name) != set(item["rules"])]
    unreadable = {item["file"] for item in data["unreadable"]}
    ok = not wrong and unreadable == set(truth["unreadable"])
    detail = f"{len(found)} read, {len(unreadable)} unreadable, {len(wrong)} not exactly as injected"
    return ok, detail


def main(argv: list[str] | None = None) -> int:
    """Run the batch benchmark and print its figures; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--units", type=int, default=1000)
    parser.add_argument("-k", "--projects", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    args = parser.parse_args(argv)
    folder = corpus(args.units, args.projects, args.jobs)
    command = installed_jixiao()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jixiao-batch-") as tmp:
        summary = Path(tmp) / "summary.xlsx"
        jobs = ["-j", str(args.jobs)] if args.jobs else []
        code, wall, peak, cpu = peak_tree_rss(
            [*command, "batch", str(folder / "units"), "-o", str(summary), "--json", "--csv", "-q", *jobs]
        )
        ok, detail = exact(folder, summary.with_suffix(".json"))
    label = "batch"
    print(f"machine: {machine()}")
    print(
        f"d. jixiao {label} over {args.units} workbooks ({args.projects} projects each): exit {code}, "
        f"{wall:.1f} s (target ≤ 60 s: {verdict(wall, 60)}), peak RSS of the process tree "
        f"{peak / 2**20:.0f} MB (target ≤ 500 MB: {verdict(peak / 2**20, 500)}), "
        f"{args.units / wall:.1f} files/s"
    )
    cores = args.jobs or os.cpu_count() or 1
    print(
        f"   CPU time of the process tree {cpu:.1f} s = {cpu / args.units * 1000:.0f} ms per file; "
        f"on {cores} otherwise idle cores that is ≥ {cpu / cores:.1f} s of wall time; "
        f"load average before the run {load_before:.2f}"
    )
    print(f"   exactly the injected errors: {'yes' if ok else 'NO'} ({detail})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
