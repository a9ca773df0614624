"""Running a batch: every file checked in a worker process, one bad file never stopping the others.

Each file goes through :func:`jixiao.pipeline.run` with the readers the caller passes (suffix →
reader); a file that cannot be read (damaged, not a filing, a foreign format) gets a one-line
reason, and a file that kills its worker is checked again alone.
"""

from __future__ import annotations

import gc
import os
import signal
import time
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from jixiao import pipeline
from jixiao.batch.digest import BatchResult, FileOutcome, digest
from jixiao.batch.files import link_reason, skip_reason
from jixiao.errors import JixiaoError
from jixiao.isolation import mp_context

Readers = Mapping[str, pipeline.Reader]
Job = tuple[str, str, Readers]  # (path, name shown, readers)


def _reason(exc: BaseException, path: str) -> str:
    """Return a one-line Chinese reason for a file that could not be read."""
    return " ".join(_explain(exc, path).split("\n")).strip()


def _explain(exc: BaseException, path: str) -> str:
    if isinstance(exc, JixiaoError):
        text = str(exc)
        return text.removeprefix(f"{path}：")
    if isinstance(exc, zipfile.BadZipFile):
        return "文件已损坏或不是 Excel 工作簿（无法作为 zip 打开）"
    if isinstance(exc, PermissionError):
        return "没有读取权限（文件可能正被其他程序占用）"
    if isinstance(exc, UnicodeDecodeError):
        return "文件编码无法识别"
    if isinstance(exc, MemoryError):
        return "文件过大，内存不足"
    if isinstance(exc, OSError):
        return f"无法打开文件（{exc.strerror or exc}）"
    return f"读取时出错（{type(exc).__name__}：{exc}）"


def check_file(path: str, file: str, readers: Readers) -> FileOutcome:
    """Return the outcome of loading ``path`` with ``readers``, scoring and checking it; never raises."""
    try:
        return FileOutcome(file, path, digest=digest(pipeline.run(path, readers), file))
    except Exception as exc:  # any failure is this file's problem, never the batch's
        return FileOutcome(file, path, reason=_reason(exc, path))


def _check_job(job: Job) -> FileOutcome:
    return check_file(*job)


def _init_worker() -> None:
    """Prepare a worker: Ctrl+C and library warnings left to the parent, and fewer garbage
    collections while files load.

    Reading a workbook allocates hundreds of thousands of small objects; with the default
    thresholds the collector runs many times per file for little gain (about a tenth of the time).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    warnings.simplefilter("ignore")  # a library's warning about one file is not the user's business
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def run_batch(
    files: list[tuple[Path, str]],
    *,
    readers: Readers,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Return the outcome of every file, checked in ``jobs`` worker processes (all cores by default).

    ``files`` are (path, name shown) as :func:`jixiao.batch.collect` gives them; ``readers`` map a
    suffix to a module-level reader (picklable), and files of other suffixes are listed as skipped.
    ``progress`` is called with the number of files finished so far. (A caller that need not hold
    every outcome takes :func:`outcomes` instead.)
    """
    started = time.perf_counter()
    done = list(outcomes(files, readers=readers, jobs=jobs, progress=progress))
    return BatchResult(done, time.perf_counter() - started)


def outcomes(
    files: list[tuple[Path, str]],
    *,
    readers: Readers,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[FileOutcome]:
    """Yield the outcome of every file in file order, as soon as it and those before it are done.

    The arguments are those of :func:`run_batch`; only the outcomes finished out of order are held.
    """
    early: dict[int, FileOutcome] = {}
    work: list[tuple[int, Job]] = []
    for index, (path, name) in enumerate(files):
        refused, reason = link_reason(path, name), skip_reason(path, readers)
        if refused:
            early[index] = FileOutcome(name, str(path), reason=refused)
        elif reason:
            early[index] = FileOutcome(name, str(path), reason=reason, skipped=True)
        else:
            work.append((index, (str(path), name, readers)))
    done = len(early)
    report = progress or (lambda _n: None)
    report(done)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    finished = ((i, _check_job(job)) for i, job in work) if jobs == 1 else _run_pool(work, jobs)
    following = 0  # the index of the next outcome to yield
    for index, outcome in finished:
        early[index] = outcome
        done += 1
        report(done)
        while following in early:
            yield early.pop(following)
            following += 1
    while following in early:  # files listed without being read, after the last one checked
        yield early.pop(following)
        following += 1


def _run_pool(work: list[tuple[int, Job]], jobs: int) -> Iterable[tuple[int, FileOutcome]]:
    """Yield (index, outcome) as workers finish; after a worker crash, retry the rest one by one.

    On Ctrl+C the files not yet started are cancelled and the interrupt goes on to the caller.
    """
    finished: set[int] = set()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp_context(), initializer=_init_worker)
    try:
        pending: dict[Future[FileOutcome], int] = {pool.submit(_check_job, job): i for i, job in work}
        for future in as_completed(pending):
            index = pending.pop(future)  # a finished future is let go: the parent holds no result
            outcome = future.result()
            finished.add(index)
            yield index, outcome
    except BrokenProcessPool:
        pool.shutdown(wait=True)
        for index, job in work:
            if index not in finished:
                yield index, _isolated(job)
    except BaseException:  # KeyboardInterrupt: drop the queue, let the running files end
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)


def _isolated(job: Job) -> FileOutcome:
    """Return the outcome of one file checked in a process of its own (after a worker crash)."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=mp_context(), initializer=_init_worker) as pool:
            return pool.submit(_check_job, job).result()
    except BrokenProcessPool:
        return FileOutcome(job[1], job[0], reason="检查该文件时进程异常退出（文件可能已损坏）")
