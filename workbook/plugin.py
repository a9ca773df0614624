"""How the workbook layer plugs into the core: reader, score writer, demo step, ``jixiao new``."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jixiao.errors import InputError
from jixiao.fileio import safe_file_name
from jixiao.plugins import Command, Registry

SUFFIXES = (".xlsx", ".xlsm")
MAX_PROJECTS = 50


class _LastRead:
    """The workbook the last read loaded, kept for the score writer that follows it (one load for both).

    It is handed out once, and only while the file is unchanged (same path, size and modification
    time); otherwise the writer opens the file again.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[tuple[object, ...], Any] | None = None

    def keep(self, stamp: tuple[object, ...] | None, wb: Any) -> None:
        """Keep ``wb``, loaded from the file ``stamp`` identifies, in place of what was kept before."""
        with self._lock:
            self._kept = (stamp, wb) if stamp is not None else None

    def forget(self) -> None:
        """Drop the kept workbook (before the next load: one workbook in memory at a time)."""
        with self._lock:
            self._kept = None

    def take(self, path: Path) -> Any:
        """Return the kept workbook when it was loaded from ``path`` as it is now (else None); forget it."""
        with self._lock:
            kept, self._kept = self._kept, None
        if kept is None or kept[0] != _stamp(path):
            return None
        return kept[1]


def _stamp(path: Path) -> tuple[object, ...] | None:
    """Return what identifies the file ``path`` as it is now, or None when it cannot be read."""
    try:
        info = path.stat()
        return str(path.resolve()), info.st_ino, info.st_size, info.st_mtime_ns
    except OSError:
        return None


_last_read = _LastRead()


def read(path: Path) -> Any:
    """Return (filing, findings) of the workbook ``path``."""
    from jixiao.workbook.reader import WorkbookReader, open_workbook

    _last_read.forget()
    stamp = _stamp(Path(path))  # taken before the load: a file saved meanwhile is opened again
    wb = open_workbook(path)
    filing, findings = WorkbookReader(wb).read()
    if Path(path).suffix.lower() == ".xlsx":  # a macro workbook is reopened with its VBA kept
        _last_read.keep(stamp, wb)
    return filing, findings


def write(source: Path, destination: Path, result: Any) -> None:
    """Write the scores and findings of ``result`` into the workbook ``destination``."""
    from jixiao.workbook.writer import write_result

    write_result(source, destination, result, _last_read.take(Path(source)))


def build_scored(
    filing: Any, destination: Path, input_findings: list[Any] | None = None, *, report: bool = False
) -> Any:
    """Build the workbook of ``filing`` at ``destination``, score it there and return the result.

    With ``report`` the 自评报告 sheet is filled too.
    """
    from jixiao.pipeline import evaluate
    from jixiao.workbook.builder import build_workbook
    from jixiao.workbook.reader import WorkbookReader, open_workbook
    from jixiao.workbook.writer import fill_workbook, save_atomic

    save_atomic(build_workbook(filing), destination)
    wb = open_workbook(destination)  # read, then written: one load
    read_back, findings = WorkbookReader(wb).read()
    result = evaluate(read_back, [*(input_findings or []), *findings], source=str(destination))
    fill_workbook(wb, result)
    if report:
        from jixiao.workbook.report_sheet import fill_report_sheet, report_document

        fill_report_sheet(wb, report_document(result))
    save_atomic(wb, destination)
    return result


def demo_step(out_dir: Path, result: Any, progress: Callable[[str], None]) -> list[Path]:
    """Write the filled, scored sample workbook into ``out_dir``; return its path."""
    filing = result.filing
    destination = Path(out_dir) / safe_file_name(f"{filing.unit}{filing.year}年度绩效自评", ".xlsx")
    scored = build_scored(filing, destination, report=True)
    t12 = scored.scores.department
    counts = f"{len(scored.findings)} 条校验结果"
    progress(f"    工作簿：附件1-2 总分 {t12.total}（{t12.grade}），{counts}，自评报告表已填写")
    return [destination]


# ------------------------------------------------------------------ jixiao new


def _configure_new(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, help="评价年度，如 2023")
    parser.add_argument("--unit", help="单位名称")
    parser.add_argument("--projects", type=int, default=1, help="附件1-3 项目表张数（默认 1）")
    parser.add_argument("--from", dest="previous", help="上一年度的工作簿：结转为下一年度")
    parser.add_argument("-o", "--output", required=True, help="新工作簿 .xlsx（--macro 时为 .xlsm）")
    parser.add_argument(
        "--macro", action="store_true", help="生成带“绩效自评”功能区和宏的 .xlsm（不安装加载项也能用按钮）"
    )
    parser.add_argument("--force", action="store_true", help="覆盖已存在的文件")


def _run_new(args: argparse.Namespace) -> int:
    from jixiao.workbook.builder import blank_filing, build_workbook
    from jixiao.workbook.roll import describe, next_year
    from jixiao.workbook.writer import save_atomic

    output = Path(args.output)
    suffix = ".xlsm" if args.macro else ".xlsx"
    if output.suffix.lower() != suffix:
        raise InputError(f"输出文件应以 {suffix} 结尾", place=str(output))
    if output.exists() and not args.force:
        raise InputError("文件已存在；如需覆盖请加 --force", place=str(output))
    if args.previous:
        from jixiao.pipeline import load  # inspects the file first, as every command does

        previous, findings = load(Path(args.previous))
        errors = [f for f in findings if f.rule.startswith("WB-")]
        for f in errors:
            print(f"! {f.place}：{f.message}", file=sys.stderr)
        filing = next_year(previous)
        if args.year is not None:
            filing.year = args.year
        if args.unit:
            filing.unit = args.unit
    else:
        if args.year is None or not args.unit:
            raise InputError("请给出 --year 年度 和 --unit 单位名称（或用 --from 上年工作簿）")
        if not 1 <= args.projects <= MAX_PROJECTS:
            raise InputError(f"--projects 应在 1 到 {MAX_PROJECTS} 之间")
        filing = blank_filing(args.unit.strip(), args.year, args.projects)
    if args.macro:
        _save_macro_workbook(build_workbook(filing), output)
    else:
        save_atomic(build_workbook(filing), output)
    print(f"已生成 {output}：{describe(filing)}")
    return 0


def _save_macro_workbook(workbook: Any, output: Path) -> None:
    """Save ``workbook`` as an .xlsm carrying the ribbon, through the add-in layer's registered maker."""
    import tempfile

    from jixiao.plugins import registry
    from jixiao.workbook.writer import save_atomic

    maker = registry().macro_maker
    if maker is None:
        raise InputError("未安装 Excel 加载项组件，无法生成带宏的工作簿（请安装 jixiao[excel]）")
    with tempfile.TemporaryDirectory(prefix="jixiao-new-") as folder:
        plain = Path(folder) / f"{output.stem}.xlsx"
        save_atomic(workbook, plain)
        maker(plain, output)


def write_report(result: Any, document: Any, out_path: Path, public: bool = False) -> Path:
    """Write the workbook of ``result`` with its 自评报告 sheet filled to ``out_path``; return it."""
    from jixiao.workbook.report_sheet import write_report_workbook

    return write_report_workbook(result, document, out_path, public=public)


def register(registry: Registry) -> None:
    """Register the workbook reader, writers (scores, 自评报告 sheet), demo step and ``new``."""
    for suffix in SUFFIXES:
        registry.reader(suffix, read)
        registry.writer(suffix, write)
        registry.report_writer(suffix, write_report)
    registry.demo_step(20, "生成样例工作簿", demo_step)
    registry.command(
        Command(
            name="new",
            help="新建绩效自评工作簿（或用 --from 把上年工作簿结转到下一年）",
            configure=_configure_new,
            run=_run_new,
        )
    )
