"""What the benchmark scripts share: the generator, timing medians, subprocess runs and peak memory."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
PYTHON = sys.executable
LARGE = {"projects": 20, "t12_indicators": 30, "t13_indicators": 15}


def load_generator():
    """Return the bench/generate.py module (importable by name, so worker processes find it too)."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    return importlib.import_module("generate")


def installed_jixiao() -> list[str]:
    """Return the installed ``jixiao`` console script (what a user runs)."""
    script = Path(PYTHON).with_name("jixiao")
    return [str(script)] if script.exists() else [PYTHON, "-m", "jixiao.cli"]


def median_times(function: Callable[[], object], repeat: int, warmup: int = 1) -> tuple[float, float]:
    """Return the median (wall, CPU) seconds of ``function`` over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        function()
    walls, cpus = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - start_cpu)
    return statistics.median(walls), statistics.median(cpus)


def run_quiet(command: Sequence[str], ok: Sequence[int] = (0, 1)) -> float:
    """Run ``command`` with its output discarded; return its CPU seconds; raise when its exit code
    is not in ``ok``."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    completed = subprocess.run(command, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in ok:
        detail = completed.stderr.decode()[-800:]
        raise SystemExit(f"{' '.join(command)} failed ({completed.returncode}): {detail}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_command(command: Sequence[str], repeat: int, ok: Sequence[int] = (0, 1)) -> tuple[float, float]:
    """Return the median (wall, CPU) seconds of running ``command`` ``repeat`` times after a warm-up."""
    run_quiet(command, ok)
    walls, cpus = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        cpus.append(run_quiet(command, ok))
        walls.append(time.perf_counter() - start)
    return statistics.median(walls), statistics.median(cpus)


def peak_tree_rss(command: Sequence[str], interval: float = 0.02) -> tuple[int, float, int, float]:
    """Run ``command``; return (exit code, wall seconds, peak RSS in bytes summed over its process
    tree, CPU seconds of the tree)."""
    import resource

    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    root = psutil.Process(process.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
                total = 0
                for p in tree:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                peak = max(peak, total)
            except psutil.Error:
                pass
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = process.wait()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return code, wall, peak, cpu


def machine() -> str:
    """Return a one-line description of this machine and Python."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        import psutil

        memory = f", {psutil.virtual_memory().total / 2**30:.1f} GB RAM"
    except ImportError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def verdict(value: float, target: float) -> str:
    """Return 'meets' or 'MISSES' for a figure against its upper bound."""
    return "meets" if value <= target else "MISSES"
