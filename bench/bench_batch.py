"""Benchmark d (issues 6 and 14): ``jixiao batch`` over a generated corpus, and its summary at
province scale.

    python bench/bench_batch.py [-n 1000] [-k 3] [--jobs 2] [--province 5000]

1. Generates the corpus once into ``bench/out/corpus-N-k`` (reused when its truth.json exists),
   runs ``jixiao batch`` on it as a subprocess and prints the wall and CPU time, the peak memory
   of the parent process (sampled every 20 ms) and of the largest single process (the kernel's
   maximum resident set over the batch's processes, never a sum over forks), and whether the batch
   found exactly the injected errors.
2. With ``--province U``: checks the corpus once in process, then replays its outcomes as U units
   (file names and message texts copied, so nothing is shared between units) through what the
   parent of ``jixiao batch`` does after the workers — the tally, the CSV/JSON streams, the pandas
   statistics and the write-only summary — in a fresh process, and the same rows through
   openpyxl's normal mode (what the summary was written with before issue 14) in another; each
   prints its peak memory and time, and the ratio is taken within the run.
Targets: ≤ 60 s for 1,000 files on 2 cores; peak memory of any process ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from common import OUT, PYTHON, installed_jixiao, load_generator, machine, verdict

MB = 2**20


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


def run_measured(command: list[str]) -> tuple[int, float, float, int, int]:
    """Run ``command``; return (exit code, wall s, CPU s of its processes, peak RSS of the parent,
    peak RSS of its largest process) — the latter the kernel's maximum over the waited processes."""
    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(process.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            with contextlib.suppress(psutil.Error):
                peak = max(peak, parent.memory_info().rss)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    largest = after.ru_maxrss * 1024  # KiB on Linux: the largest of the processes waited for
    return code, wall, cpu, peak, largest


def _copied(text: str | None) -> str | None:
    """Return a new string equal to ``text`` (so that replayed units share no text)."""
    return None if text is None else (text + " ")[:-1]


def replay(outcomes: list, units: int) -> Iterator:
    """Yield ``units`` outcomes made from ``outcomes`` (renamed copies, each with its own texts), one
    at a time as the workers' outcomes arrive."""
    readable = [o for o in outcomes if o.digest is not None]
    for i in range(units):
        o = readable[i % len(readable)]
        file = f"{i // len(readable):03d}/{o.file}"
        findings = tuple(
            replace(f, message=_copied(f.message), subject=_copied(f.subject)) for f in o.digest.findings
        )
        digest = replace(o.digest, file=file, unit=f"{o.digest.unit}{i}", findings=findings)
        yield replace(o, file=file, digest=digest)


def summary_child(mode: str, pickled: Path, units: int) -> None:
    """Do what the batch parent does after the workers, for ``units`` replayed outcomes; print JSON
    with the peak RSS (MB) and the seconds it took."""
    from jixiao import batch

    outcomes = pickle.loads(pickled.read_bytes())
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="jixiao-province-") as tmp:
        summary = Path(tmp) / "汇总.xlsx"
        tally = batch.Tally()
        keys = ["csv", "findings_csv", "blank_csv", "unreadable_csv", "json"]
        with batch.streams(summary, keys) as stream:
            for outcome in replay(outcomes, units):
                stream.add(outcome, tally.add(outcome))
            stats = batch.statistics(tally)
            stream.finish(tally, stats)
        if mode == "write-only":
            batch.write_summary(tally, summary, stats)
        else:
            _normal_mode(tally, summary)
        size = summary.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    seconds = time.perf_counter() - start
    rows = len(tally.tables) + len(tally.findings)
    print(json.dumps({"peak": peak, "base": base, "seconds": seconds, "rows": rows, "bytes": size}))


def _normal_mode(tally, path: Path) -> None:
    """Write the tally's 汇总 and 问题清单 rows with openpyxl in normal mode (the writer before issue
    14: every cell an object in memory until the save), with a style per cell as the summary has."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    book = Workbook()
    book.remove(book.active)
    wrap = Alignment(wrap_text=True, vertical="top")
    for title, rows in (("汇总", tally.tables), ("问题清单", tally.findings)):
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                sheet.cell(r, c, value).alignment = wrap
    book.save(path)


def province(folder: Path, units: int, jobs: int | None) -> None:
    """Print the parent's memory and time for a province-sized summary, write-only vs normal mode."""
    from jixiao import batch
    from jixiao.api import readers

    outcomes = list(batch.outcomes(batch.collect(str(folder / "units")), readers=readers(), jobs=jobs))
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-") as tmp:
        pickled = Path(tmp) / "outcomes.pickle"
        pickled.write_bytes(pickle.dumps(outcomes))
        results = {}
        for mode in ("write-only", "normal"):
            run = subprocess.run(
                [PYTHON, __file__, "--summary-child", mode, str(pickled), str(units)],
                capture_output=True,
                text=True,
                check=True,
            )
            results[mode] = json.loads(run.stdout.splitlines()[-1])
    new, old = results["write-only"], results["normal"]
    print(
        f"   province-scale summary ({units} units replayed from the corpus: {new['rows']} rows in 汇总 and "
        f"问题清单, every CSV/JSON output): write-only {new['peak']:.0f} MB peak "
        f"({new['peak'] - new['base']:.0f} MB above the loaded outcomes), {new['seconds']:.1f} s, "
        f"{new['bytes'] / MB:.1f} MB xlsx; openpyxl normal mode {old['peak']:.0f} MB peak "
        f"({old['peak'] - old['base']:.0f} MB above), {old['seconds']:.1f} s; "
        f"ratio {new['peak'] / old['peak']:.2f}× memory, {new['seconds'] / old['seconds']:.2f}× time "
        f"(target ≤ 300 MB: {verdict(new['peak'], 300)})"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the batch benchmark and print its figures; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--units", type=int, default=1000)
    parser.add_argument("-k", "--projects", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--province", type=int, default=0, help="replay the corpus as this many units")
    parser.add_argument("--summary-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.summary_child:
        mode, pickled, units = args.summary_child
        summary_child(mode, Path(pickled), int(units))
        return 0
    folder = corpus(args.units, args.projects, args.jobs)
    command = installed_jixiao()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="jixiao-batch-") as tmp:
        summary = Path(tmp) / "summary.xlsx"
        jobs = ["-j", str(args.jobs)] if args.jobs else []
        code, wall, cpu, parent, largest = run_measured(
            [*command, "batch", str(folder / "units"), "-o", str(summary), "--json", "--csv", "-q", *jobs]
        )
        ok, detail = exact(folder, summary.with_suffix(".json"))
    load_after = os.getloadavg()[0]
    print(f"machine: {machine()}")
    cores = args.jobs or os.cpu_count() or 1
    print(
        f"d. jixiao batch over {args.units} workbooks ({args.projects} projects each) on {cores} cores: "
        f"exit {code}, {wall:.1f} s wall (target ≤ 60 s for 1,000: {verdict(wall * 1000 / args.units, 60)}), "
        f"{args.units / wall:.1f} files/s; peak RSS of the parent {parent / MB:.0f} MB, of the largest "
        f"process {largest / MB:.0f} MB (target ≤ 300 MB: {verdict(max(parent, largest) / MB, 300)})"
    )
    print(
        f"   CPU time of all its processes {cpu:.1f} s = {cpu / args.units * 1000:.0f} ms per file; "
        f"on {cores} otherwise idle cores that is ≥ {cpu / cores:.1f} s of wall time; "
        f"load average {load_before:.2f} before, {load_after:.2f} after"
    )
    print(f"   exactly the injected errors: {'yes' if ok else 'NO'} ({detail})")
    if args.province:
        province(folder, args.province, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
