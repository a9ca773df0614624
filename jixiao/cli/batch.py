"""``jixiao batch DIR|GLOB -o 汇总.xlsx``: check a folder of filings (see :mod:`jixiao.batch`); the
options, the progress bar and the readers (data files and workbooks) handed to the batch.
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from jixiao.cli.common import add_replace_options

if TYPE_CHECKING:
    from jixiao.batch import Statistics, Tally
    from jixiao.outputs import Claim

HELP = "批量校验一个文件夹中的所有自评文件，生成汇总工作簿（财政局审核用）"


class Progress:
    """A plain-text progress line on stderr, "N/M" files: redrawn in place on a terminal, every
    tenth of the files otherwise."""

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
                print(f"检查 {done}/{self.total}，已用 {now - self.start:.1f} 秒", file=self.stream)

    def close(self) -> None:
        """End the progress line."""
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao batch``."""
    parser.add_argument("source", help='文件夹（含子文件夹）或通配符，如 "2025/*.xlsx"')
    parser.add_argument("-o", "--output", required=True, help="汇总工作簿 .xlsx")
    parser.add_argument("--json", action="store_true", help="另存 JSON（与汇总工作簿同名 .json）")
    parser.add_argument(
        "--csv", action="store_true", help="另存 CSV（.csv、.findings.csv、.blank.csv、.unreadable.csv）"
    )
    parser.add_argument("-j", "--jobs", type=int, default=None, help="并行进程数（默认为 CPU 核数）")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    add_replace_options(parser)
    parser.epilog = "退出码：0 全部读取且没有错误；1 有错误或有无法读取的文件；2 参数或输入不可用。"


def _claim_outputs(
    args: argparse.Namespace, files: list[tuple[Path, str]], outputs: list[Path], own: list[Path]
) -> tuple[list[tuple[Path, str]], dict[Path, Claim]]:
    """Return the files to check and the claim of each output; refuse an output that is one of the files.

    A summary (or CSV/JSON beside it) that jixiao wrote in an earlier run (it carries jixiao's
    stamp) is no filing: it is left out of the files; any other file at an output's place is a
    unit's filing and is never replaced.
    """
    from jixiao.batch.summary import SUMMARY_KIND
    from jixiao.errors import OutputError
    from jixiao.outputs import claim, is_ours, same_file

    kept = []
    for path, shown in files:
        if any(same_file(o, path) for o in own) and is_ours(path, kind=SUMMARY_KIND):
            continue
        hit = next((o for o in outputs if same_file(o, path)), None)
        if hit is not None:
            raise OutputError(
                f"{hit}：输出文件是要检查的文件之一（{shown}）；请把汇总写到文件夹之外或换一个文件名"
            )
        kept.append((path, shown))
    if not kept:
        raise OutputError(f"文件夹中没有要检查的文件：{args.source}")
    claims = {o: claim(o, force=args.force) for o in outputs}
    return kept, claims


def run(args: argparse.Namespace) -> int:
    """Run ``jixiao batch``; return 0 when every filing was read and none has errors, else 1."""
    from jixiao import batch
    from jixiao.api import readers
    from jixiao.batch.export import CSV_FILES
    from jixiao.errors import InputError
    from jixiao.fileio import replacing

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise InputError("汇总文件须为 .xlsx（-o 汇总.xlsx）")
    if args.jobs is not None and args.jobs < 1:
        raise InputError("并行进程数 -j 须至少为 1")
    companions = batch.companion_paths(output)
    keys = [key for key, _ in CSV_FILES] if args.csv else []
    keys += ["json"] if args.json else []
    outputs = [output, *(companions[key] for key in keys)]
    files, claims = _claim_outputs(args, batch.collect(args.source), outputs, [output, *companions.values()])
    progress = Progress(len(files), enabled=not args.quiet)
    tally = batch.Tally()
    started = time.perf_counter()
    with ExitStack() as stack:
        for path in outputs:
            stack.enter_context(replacing(path, claims[path].backup, args.keep_backups))
        stream = stack.enter_context(batch.streams(output, keys))
        for outcome in batch.outcomes(files, readers=readers(), jobs=args.jobs, progress=progress.update):
            stream.add(outcome, tally.add(outcome))  # streamed; the parent keeps the summary's rows only
        progress.close()
        tally.seconds = time.perf_counter() - started
        stats = batch.statistics(tally)
        stream.finish(tally, stats)
        batch.write_summary(tally, output, stats)
    _report(tally, stats, outputs)
    return 1 if tally.errors else 0


def _report(tally: Tally, stats: Statistics, written: list[Path]) -> None:
    """Print what the batch found and wrote: the counts, what a reviewer must know, the files."""
    from jixiao.batch import warnings

    print(
        f"共 {stats.files} 个文件：{stats.read} 个已检查（{stats.with_errors} 个有错误，"
        f"{stats.without_findings} 个没有任何问题），{stats.blank} 个未填写，"
        f"{stats.unreadable} 个无法读取，{stats.skipped} 个已跳过；"
        f"用时 {tally.seconds:.1f} 秒。"
    )
    for text in warnings(stats):
        print(f"  注意：{text}")
    for row in tally.blank:
        print(f"  未填写 {row[0]}：未填写任何表（空白表或只有模板），未计分")
    for (file, reason), skipped in zip(tally.unreadable, tally.skipped_flags, strict=True):
        print(f"  {'已跳过' if skipped else '无法读取'} {file}：{reason}")
    print("已生成：")
    for path in written:
        print(f"  {path}")
    sys.stdout.flush()
