"""``jixiao batch DIR|GLOB -o 汇总.xlsx``: check a folder of filings (see :mod:`jixiao.batch`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HELP = "批量校验一个文件夹中的所有自评文件，生成汇总工作簿（财政局审核用）"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao batch``."""
    parser.add_argument("source", help='文件夹（含子文件夹）或通配符，如 "2025/*.xlsx"')
    parser.add_argument("-o", "--output", required=True, help="汇总工作簿 .xlsx")
    parser.add_argument("--json", action="store_true", help="另存 JSON（与汇总工作簿同名 .json）")
    parser.add_argument("--csv", action="store_true", help="另存 CSV（.csv、.findings.csv、.unreadable.csv）")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="并行进程数（默认为 CPU 核数）")
    parser.add_argument("-q", "--quiet", action="store_true", help="不显示进度")
    parser.epilog = "退出码：0 全部读取且没有错误；1 有错误或有无法读取的文件；2 参数或输入不可用。"


def run(args: argparse.Namespace) -> int:
    """Run ``jixiao batch``; return 0 when every filing was read and none has errors, else 1."""
    from jixiao import batch
    from jixiao.api import readers
    from jixiao.errors import InputError

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise InputError("汇总文件须为 .xlsx（-o 汇总.xlsx）")
    if args.jobs is not None and args.jobs < 1:
        raise InputError("并行进程数 -j 须至少为 1")
    files = batch.collect(args.source, exclude=[output, *batch.companion_paths(output).values()])
    progress = batch.Progress(len(files), enabled=not args.quiet)
    result = batch.run_batch(files, readers=readers(), jobs=args.jobs, progress=progress.update)
    progress.close()
    written = [output]
    batch.write_summary(result, output)
    if args.csv:
        written.extend(batch.write_csv(result, output))
    if args.json:
        written.append(batch.write_json(result, output))
    stats = batch.statistics(result)
    print(
        f"共 {stats['files']} 个文件：{stats['read']} 个已检查（{stats['with_errors']} 个有错误，"
        f"{stats['without_findings']} 个没有任何问题），{stats['unreadable']} 个无法读取，"
        f"{stats['skipped']} 个已跳过；"
        f"用时 {result.seconds:.1f} 秒。"
    )
    for outcome in result.unreadable:
        print(f"  {'已跳过' if outcome.skipped else '无法读取'} {outcome.file}：{outcome.reason}")
    print("已生成：")
    for path in written:
        print(f"  {path}")
    sys.stdout.flush()
    return 1 if result.has_errors else 0
