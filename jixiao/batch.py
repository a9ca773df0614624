"""``jixiao batch``: check a folder of filings in parallel and write one summary the 财政局 can sort.

Every file goes through :func:`jixiao.pipeline.run` in a worker process; a file that cannot be read
(damaged, not a filing, a foreign format) is listed with its reason and never stops the batch.
The summary is an .xlsx workbook (汇总, 问题清单, 统计 with a chart, 无法读取), and on request
the same as CSV and JSON files beside it.
"""

from __future__ import annotations

import csv
import gc
import glob
import io
import json
import os
import re
import signal
import sys
import time
import warnings
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from jixiao.errors import InputError, JixiaoError
from jixiao.fileio import is_backup, write_text_atomic
from jixiao.findings import SEVERITIES, SEVERITY_LABEL
from jixiao.numbers import quantize
from jixiao.textsafe import neutralize

LOW_EXECUTION = Decimal("0.9")  # units below 90% execution are listed in 统计
GRADES = ("优", "良", "中", "差")
_CONVERTIBLE = {
    ".xls": "旧版 Excel 工作簿",
    ".et": "WPS 表格文件",
    ".ods": "OpenDocument 表格",
    ".csv": "CSV 文件",
}
_SKIPPED_NAMES = ("~$", ".~lock", ".")  # Excel / LibreOffice lock files and hidden files


# ------------------------------------------------------------------ the outcome of one file


@dataclass
class FileOutcome:
    """What checking one file gave: its result digest, or why it could not be read."""

    file: str  # as shown: relative to the folder checked
    path: str
    result: dict[str, Any] | None = None  # DESIGN.md findings format plus unit, year, amounts
    reason: str | None = None  # why the file could not be read
    skipped: bool = False  # not a filing by its name (another format, a backup): listed, not an error

    @property
    def readable(self) -> bool:
        """Return True when the file was read and checked."""
        return self.result is not None


@dataclass
class BatchResult:
    """Every file of a batch, in file order, and how long it took."""

    outcomes: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def results(self) -> list[FileOutcome]:
        """Return the files that were read."""
        return [o for o in self.outcomes if o.readable]

    @property
    def unreadable(self) -> list[FileOutcome]:
        """Return the files that could not be read."""
        return [o for o in self.outcomes if not o.readable]

    @property
    def has_errors(self) -> bool:
        """Return True when a filing could not be read or has an error finding (skipped files aside)."""
        failed = any(not o.skipped for o in self.unreadable)
        return failed or any(o.result["summary"]["errors"] for o in self.results)


# ------------------------------------------------------------------ worker


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


def check_file(path: str, file: str, readers: Mapping[str, Any]) -> FileOutcome:
    """Return the outcome of loading (with ``readers``), scoring and checking one file; never raises."""
    try:
        from jixiao.pipeline import run

        return FileOutcome(file, path, result=digest(run(path, readers), file))
    except Exception as exc:  # any failure is this file's problem, never the batch's
        return FileOutcome(file, path, reason=_reason(exc, path))


def digest(result: Any, file: str) -> dict[str, Any]:
    """Return the findings JSON of ``result`` without indicator details, plus unit, year and amounts."""
    from jixiao.numbers import fmt_plain

    data = result.to_dict()
    data["file"] = file
    data["unit"] = result.filing.unit
    data["year"] = result.filing.year
    for score, table in zip(data["scores"], result.scores.tables(), strict=True):
        score.pop("indicators", None)
        budget = table.evaluation.budget
        score["full_year"] = fmt_plain(budget.full_year) if budget.full_year is not None else None
        score["executed"] = fmt_plain(budget.executed) if budget.executed is not None else None
        score["exec_ratio"] = str(table.exec.rate) if table.exec.rate is not None else None
    return data


def _check_job(job: tuple[str, str, Mapping[str, Any]]) -> FileOutcome:
    return check_file(*job)


def mp_context() -> Any:
    """Return the multiprocessing context for workers: fork where it is the safe default (Linux,
    Python ≤ 3.11), else forkserver, else spawn (Windows, macOS).

    From Python 3.12 on, forking a process that runs threads (as ProcessPoolExecutor's manager
    thread) is deprecated and warns; a fork server forks from a clean single-threaded process.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if sys.version_info < (3, 12) and "fork" in methods:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _init_worker() -> None:
    """Prepare a worker: the core imported once, Ctrl+C and library warnings left to the parent,
    and fewer garbage collections while files load.

    Reading a workbook allocates hundreds of thousands of small objects; with the default
    thresholds the collector runs many times per file for little gain (about a tenth of the time).
    """
    import jixiao.pipeline  # noqa: F401

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    warnings.simplefilter("ignore")  # a library's warning about one file is not the user's business
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


# ------------------------------------------------------------------ finding the files


def _is_skipped(path: Path) -> bool:
    return path.name.startswith(_SKIPPED_NAMES)


def collect(spec: str, exclude: Iterable[Path] = ()) -> list[tuple[Path, str]]:
    """Return (path, name shown) of every file a folder or glob pattern names, in name order."""
    excluded = {p.resolve() for p in exclude}
    base = Path(spec)
    if base.is_dir():
        paths = [p for p in base.rglob("*") if p.is_file()]
        root = base
    else:
        paths = [Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file()]
        if not paths:
            raise InputError(f"没有找到要检查的文件：{spec}")
        root = Path(os.path.commonpath([p.resolve().parent for p in paths]))
    picked = []
    for path in paths:
        if _is_skipped(path) or any(_is_skipped(Path(part)) for part in path.relative_to(root).parts[:-1]):
            continue
        if path.resolve() in excluded:
            continue
        picked.append((path, path.resolve().relative_to(root.resolve()).as_posix()))
    if not picked:
        raise InputError(f"文件夹中没有文件：{spec}")
    return sorted(picked, key=lambda item: _natural_key(item[1]))


def _natural_key(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


# ------------------------------------------------------------------ running


class Progress:
    """A plain-text progress bar on stderr: redrawn in place on a terminal, every 10% otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = enabled and total > 0
        self.tty = self.enabled and self.stream.isatty()
        self.start = time.perf_counter()
        self.last_draw = 0.0
        self.last_decile = 0

    def update(self, done: int) -> None:
        """Show that ``done`` of the files are finished."""
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.tty:
            if now - self.last_draw < 0.1 and done < self.total:
                return
            self.last_draw = now
            filled = done * 30 // self.total
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(f"\r检查 [{bar}] {done}/{self.total}  已用 {now - self.start:.1f} 秒")
            self.stream.flush()
        else:
            decile = done * 10 // self.total
            if decile > self.last_decile:
                self.last_decile = decile
                print(
                    f"检查 {done}/{self.total}（{decile * 10}%），已用 {now - self.start:.1f} 秒",
                    file=self.stream,
                )

    def close(self) -> None:
        """End the progress line."""
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def run_batch(
    files: list[tuple[Path, str]],
    *,
    readers: Mapping[str, Any],
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Return the outcome of every file, read by ``readers`` (by suffix: picklable functions) and
    checked in ``jobs`` worker processes (all cores by default)."""
    started = time.perf_counter()
    suffixes = set(readers)
    outcomes: dict[int, FileOutcome] = {}
    work: list[tuple[int, tuple[str, str]]] = []
    for index, (path, name) in enumerate(files):
        reason = _skip_reason(path, suffixes)
        if reason:
            outcomes[index] = FileOutcome(name, str(path), reason=reason, skipped=True)
        else:
            work.append((index, (str(path), name, readers)))
    done = len(outcomes)
    report = progress or (lambda _n: None)
    report(done)
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(work)))
    if jobs == 1:
        for index, job in work:
            outcomes[index] = _check_job(job)
            done += 1
            report(done)
    else:
        for index, outcome in _run_pool(work, jobs):
            outcomes[index] = outcome
            done += 1
            report(done)
    return BatchResult([outcomes[i] for i in range(len(files))], time.perf_counter() - started)


def _skip_reason(path: Path, suffixes: set[str]) -> str | None:
    """Return why ``path`` is listed without being read (another format, a backup), or None."""
    suffix = path.suffix.lower()
    if suffix in _CONVERTIBLE:
        return f"{_CONVERTIBLE[suffix]}（{suffix}）不能直接读取，请另存为 .xlsx 后重新提交"
    if suffix not in suffixes:
        return f"不是自评工作簿或数据文件（{suffix or '无扩展名'}），已跳过"
    if is_backup(path):
        return "jixiao 写回得分前自动保存的备份，已跳过"
    return None


def _run_pool(
    work: list[tuple[int, tuple[str, str, Mapping[str, Any]]]], jobs: int
) -> Iterable[tuple[int, FileOutcome]]:
    """Yield (index, outcome) as workers finish; after a worker crash, retry the rest one by one.

    On Ctrl+C the files not yet started are cancelled and the interrupt goes on to the caller.
    """
    finished: set[int] = set()
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp_context(), initializer=_init_worker)
    try:
        pending: dict[Future[FileOutcome], int] = {pool.submit(_check_job, job): i for i, job in work}
        for future in as_completed(pending):
            index = pending[future]
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


def _isolated(job: tuple[str, str, Mapping[str, Any]]) -> FileOutcome:
    """Return the outcome of one file checked in a process of its own (after a worker crash)."""
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=mp_context(), initializer=_init_worker) as pool:
            return pool.submit(_check_job, job).result()
    except BrokenProcessPool:
        return FileOutcome(job[1], job[0], reason="检查该文件时进程异常退出（文件可能已损坏）")


# ------------------------------------------------------------------ rows and statistics


def _decimal(text: object) -> Decimal | None:
    if text in (None, "", "—"):
        return None
    try:
        return Decimal(str(text).rstrip("%"))
    except InvalidOperation:
        return None


def _worst(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return ""
    f = findings[0]  # findings come sorted by severity
    place = (
        f"{f['sheet']}!{f['cell']}" if f.get("sheet") and f.get("cell") else f.get("sheet") or f.get("table")
    )
    return f"[{f['rule']}] {place}：{f['message']}"


def _counts(findings: list[dict[str, Any]]) -> list[int]:
    return [sum(1 for f in findings if f["severity"] == s) for s in SEVERITIES]


ROW_HEADERS = (
    "文件",
    "类型",
    "单位",
    "项目",
    "工作表",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "执行率",
    "执行率得分",
    "总分",
    "填报总分",
    "等级",
    "错误",
    "警告",
    "提示",
    "最主要的问题",
)
ROW_FORMATS = {6: "#,##0.00", 7: "#,##0.00", 8: "0.00%", 9: "0.00", 10: "0.00", 11: "0.00"}


def table_rows(batch: BatchResult) -> list[list[object]]:
    """Return one row per unit (its 附件1-2, with the whole file's counts) and per project (its 1-3 sheet)."""
    rows: list[list[object]] = []
    for outcome in batch.results:
        data = outcome.result
        findings = data["findings"]
        for score in data["scores"]:
            unit_row = score["table"] == "1-2"
            scoped = findings if unit_row else [f for f in findings if f.get("sheet") == score.get("sheet")]
            ratio = _decimal(score.get("exec_ratio"))
            rows.append(
                [
                    outcome.file,
                    "单位" if unit_row else "项目",
                    data.get("unit") or "",
                    "" if unit_row else score["subject"],
                    score.get("sheet") or "",
                    _decimal(score.get("full_year")),
                    _decimal(score.get("executed")),
                    quantize(ratio, 6) if ratio is not None else None,
                    _decimal(score.get("exec_score")),
                    _decimal(score.get("total")),
                    _decimal(score.get("reported_total")),
                    score.get("grade") or "",
                    *_counts(scoped),
                    _worst(scoped),
                ]
            )
    return rows


FINDING_HEADERS = (
    "文件",
    "单位",
    "严重程度",
    "规则",
    "表",
    "工作表",
    "单元格",
    "对象",
    "说明",
    "应为",
    "填报",
)


def finding_rows(batch: BatchResult) -> list[list[object]]:
    """Return one row per finding of every file, with its file, sheet and cell."""
    return [
        [
            outcome.file,
            outcome.result.get("unit") or "",
            SEVERITY_LABEL.get(f["severity"], f["severity"]),
            f["rule"],
            f.get("table") or "",
            f.get("sheet") or "",
            f.get("cell") or "",
            f.get("subject") or "",
            f.get("message") or "",
            f.get("expected") or "",
            f.get("actual") or "",
        ]
        for outcome in batch.results
        for f in outcome.result["findings"]
    ]


def statistics(batch: BatchResult) -> dict[str, Any]:
    """Return the grade distribution, the units below 90% execution and the most frequent rules."""
    grades_units: Counter[str] = Counter()
    grades_projects: Counter[str] = Counter()
    low: list[dict[str, str]] = []
    rule_count: Counter[str] = Counter()
    rule_files: Counter[str] = Counter()
    severity_of: dict[str, str] = {}
    example: dict[str, str] = {}
    for outcome in batch.results:
        data = outcome.result
        for score in data["scores"]:
            (grades_units if score["table"] == "1-2" else grades_projects)[score.get("grade") or "—"] += 1
            ratio = _decimal(score.get("exec_ratio"))
            if score["table"] == "1-2" and ratio is not None and ratio < LOW_EXECUTION:
                low.append(
                    {"file": outcome.file, "unit": data.get("unit") or "", "exec_rate": score["exec_rate"]}
                )
        for f in data["findings"]:
            rule_count[f["rule"]] += 1
            severity_of.setdefault(f["rule"], f["severity"])
            example.setdefault(f["rule"], f["message"])
        for rule in {f["rule"] for f in data["findings"]}:
            rule_files[rule] += 1
    results = batch.results
    return {
        "files": len(batch.outcomes),
        "read": len(results),
        "unreadable": sum(1 for o in batch.unreadable if not o.skipped),
        "skipped": sum(1 for o in batch.unreadable if o.skipped),
        "with_errors": sum(1 for o in results if o.result["summary"]["errors"]),
        "without_findings": sum(1 for o in results if not o.result["findings"]),
        "grades": {
            grade: {"units": grades_units.get(grade, 0), "projects": grades_projects.get(grade, 0)}
            for grade in GRADES
        },
        "low_execution": low,
        "rules": [
            {
                "rule": rule,
                "severity": severity_of[rule],
                "count": count,
                "files": rule_files[rule],
                "example": example[rule],
            }
            for rule, count in sorted(rule_count.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "seconds": round(batch.seconds, 3),
    }


# ------------------------------------------------------------------ writing


def _replace_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write ``path`` through a temporary file beside it and a rename (see :mod:`jixiao.fileio`)."""
    from jixiao.fileio import atomic_path

    with atomic_path(path) as temporary:
        write(temporary)


def _sheet(
    book: Any, title: str, headers: Iterable[str], rows: Iterable[list[object]], widths: list[int]
) -> Any:
    """Return a new list sheet: bold header, filters, frozen header row, its widest column wrapped."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title)
    sheet.append(list(headers))
    for row in rows:
        sheet.append([neutralize(v) for v in row])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    wide = widths.index(max(widths)) + 1
    wrap = Alignment(wrap_text=True, vertical="top")
    for (cell,) in sheet.iter_rows(min_row=2, min_col=wide, max_col=wide):
        cell.alignment = wrap
    sheet.freeze_panes = "A2"
    if sheet.max_row > 1:
        sheet.auto_filter.ref = sheet.dimensions
    _print_setup(sheet)
    sheet.print_title_rows = "1:1"
    return sheet


def _print_setup(sheet: Any) -> None:
    """Print ``sheet`` on A4 landscape, all columns on one page width."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _link(target_file: str, summary: Path, sheet: str, cell: str) -> str | None:
    """Return a hyperlink from the summary to ``sheet!cell`` of a workbook, or None."""
    if not target_file.lower().endswith((".xlsx", ".xlsm")):
        return None
    try:
        relative = os.path.relpath(target_file, summary.resolve().parent)
    except ValueError:  # another drive on Windows
        relative = Path(target_file).resolve().as_uri()
    return f"{Path(relative).as_posix()}#'{sheet}'!{cell}"


def write_summary(batch: BatchResult, path: Path) -> None:
    """Write the summary workbook (汇总, 问题清单, 统计 with charts, 无法读取) to ``path`` atomically."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    rows = table_rows(batch)
    summary = _sheet(book, "汇总", ROW_HEADERS, rows, [14, 6, 22, 26, 11, 12, 12, 9, 9, 8, 8, 6, 6, 6, 6, 60])
    for column, number_format in ROW_FORMATS.items():
        for (cell,) in summary.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    issues = _sheet(
        book, "问题清单", FINDING_HEADERS, finding_rows(batch), [14, 22, 8, 24, 6, 11, 8, 24, 70, 12, 12]
    )
    paths = {o.file: o.path for o in batch.results}
    for row in issues.iter_rows(min_row=2):
        file_cell, sheet_cell, address = row[0], row[5], row[6]
        if sheet_cell.value and address.value:
            link = _link(paths[file_cell.value], path, sheet_cell.value, address.value)
            if link:
                address.hyperlink = link
                address.style = "Hyperlink"
    _statistics_sheet(book, statistics(batch))
    _sheet(
        book,
        "无法读取",
        ("文件", "原因"),
        [[o.file, o.reason] for o in batch.unreadable],
        [40, 80],
    )
    _replace_atomic(path, lambda tmp: book.save(tmp))


def _statistics_sheet(book: Any, stats: dict[str, Any]) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    sheet = book.create_sheet("统计", 2)
    bold = Font(bold=True)

    def title(row: int, text: str) -> None:
        sheet.cell(row, 1, text).font = Font(bold=True, size=12)

    title(1, "概况")
    overview = (
        ("文件总数", stats["files"]),
        ("已读取的单位", stats["read"]),
        ("无法读取的文件", stats["unreadable"]),
        ("已跳过的文件（其他格式、备份）", stats["skipped"]),
        ("有错误的单位", stats["with_errors"]),
        ("没有任何问题的单位", stats["without_findings"]),
    )
    for i, (label, value) in enumerate(overview, start=2):
        sheet.cell(i, 1, label)
        sheet.cell(i, 2, value)

    title(8, "等级分布")
    for col, header in enumerate(("等级", "单位（附件1-2）", "项目（附件1-3）"), start=1):
        sheet.cell(9, col, header).font = bold
    for i, grade in enumerate(GRADES, start=10):
        sheet.cell(i, 1, grade)
        sheet.cell(i, 2, stats["grades"][grade]["units"])
        sheet.cell(i, 3, stats["grades"][grade]["projects"])
    chart = BarChart()
    chart.type = "col"
    chart.title = "等级分布"
    chart.y_axis.title = "个数"
    chart.add_data(Reference(sheet, min_col=2, max_col=3, min_row=9, max_row=13), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=10, max_row=13))
    chart.height, chart.width = 7.5, 13
    sheet.add_chart(chart, "F1")

    row = 15
    title(row, "最常见的问题")
    for col, header in enumerate(("规则", "严重程度", "次数", "涉及文件数", "示例"), start=1):
        sheet.cell(row + 1, col, header).font = bold
    top = stats["rules"]
    for i, item in enumerate(top, start=row + 2):
        sheet.cell(i, 1, item["rule"])
        sheet.cell(i, 2, SEVERITY_LABEL.get(item["severity"], item["severity"]))
        sheet.cell(i, 3, item["count"])
        sheet.cell(i, 4, item["files"])
        sheet.cell(i, 5, neutralize(item["example"]))
    if top:
        shown = min(len(top), 10)
        rules_chart = BarChart()
        rules_chart.type = "bar"
        rules_chart.title = "最常见的问题（前 10 条规则）"
        rules_chart.add_data(
            Reference(sheet, min_col=4, min_row=row + 1, max_row=row + 1 + shown), titles_from_data=True
        )
        rules_chart.set_categories(Reference(sheet, min_col=1, min_row=row + 2, max_row=row + 1 + shown))
        rules_chart.legend = None
        rules_chart.height, rules_chart.width = 9, 13
        sheet.add_chart(rules_chart, "F17")

    row = row + 3 + max(len(top), 10)
    title(row, f"执行率低于 {LOW_EXECUTION * 100:.0f}% 的单位")
    for col, header in enumerate(("单位", "文件", "执行率"), start=1):
        sheet.cell(row + 1, col, header).font = bold
    for i, item in enumerate(stats["low_execution"], start=row + 2):
        sheet.cell(i, 1, neutralize(item["unit"]))
        sheet.cell(i, 2, neutralize(item["file"]))
        sheet.cell(i, 3, item["exec_rate"])
    if not stats["low_execution"]:
        sheet.cell(row + 2, 1, "（无）")
    for letter, width in zip("ABCDE", (30, 18, 10, 12, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    _print_setup(sheet)


def _csv_text(headers: Iterable[str], rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            ["" if v is None else neutralize(str(v) if isinstance(v, Decimal) else v) for v in row]
        )
    return "\ufeff" + buffer.getvalue()  # with a BOM, Excel on Windows reads UTF-8


def companion_paths(summary: Path) -> dict[str, Path]:
    """Return the CSV and JSON files written beside ``summary`` (by what they hold)."""
    stem = summary.with_suffix("")
    return {
        "json": stem.with_suffix(".json"),
        "csv": Path(f"{stem}.csv"),
        "findings_csv": Path(f"{stem}.findings.csv"),
        "unreadable_csv": Path(f"{stem}.unreadable.csv"),
    }


def write_csv(batch: BatchResult, summary: Path) -> list[Path]:
    """Write the rows, findings and unreadable files as CSV beside ``summary``; return their paths."""
    paths = companion_paths(summary)
    outputs = (
        (paths["csv"], ROW_HEADERS, table_rows(batch)),
        (paths["findings_csv"], FINDING_HEADERS, finding_rows(batch)),
        (paths["unreadable_csv"], ("文件", "原因"), [[o.file, o.reason] for o in batch.unreadable]),
    )
    for path, headers, rows in outputs:
        write_text_atomic(path, _csv_text(headers, rows))
    return [p for p, _, _ in outputs]


def batch_to_dict(batch: BatchResult) -> dict[str, Any]:
    """Return the whole batch as JSON-ready data: every file's findings JSON, the unreadable, statistics."""
    return {
        "files": [o.result for o in batch.results],
        "unreadable": [{"file": o.file, "reason": o.reason, "skipped": o.skipped} for o in batch.unreadable],
        "statistics": statistics(batch),
    }


def write_json(batch: BatchResult, summary: Path) -> Path:
    """Write :func:`batch_to_dict` beside ``summary``; return its path."""
    path = companion_paths(summary)["json"]
    write_text_atomic(path, json.dumps(batch_to_dict(batch), ensure_ascii=False, indent=1) + "\n")
    return path
