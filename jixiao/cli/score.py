"""``jixiao score FILE [-o OUT] [--json] [--brief]``: compute every score; write a workbook's output cells."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jixiao.cli.common import add_replace_options, exit_code, print_scores, progress
from jixiao.cli.console import unicode_ok

HELP = "按规则计算得分（工作簿则写回得分单元格）"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao score``."""
    parser.add_argument("file", help="数据文件 .json 或工作簿 .xlsx/.xlsm")
    parser.add_argument("-o", "--output", help="写入另一个文件（工作簿）；缺省为原地写回并备份")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出得分与问题")
    parser.add_argument("--brief", action="store_true", help="只显示各表总分，不列计算说明")
    add_replace_options(parser)


def run(args: argparse.Namespace) -> int:
    """Score the file (and write a workbook's results back); return 1 when it has errors, else 0."""
    from jixiao.api import score
    from jixiao.workbook import SUFFIXES

    result = score(args.file, args.output, force=args.force, keep_backups=args.keep_backups)
    if Path(args.file).suffix.lower() in SUFFIXES:
        what = "得分" if result.scores.tables() else "校验结果"  # a blank workbook gets its findings only
        progress(f"{what}已写入 {args.output or args.file}")
    if args.json:
        sys.stdout.write(result.to_json(ascii_only=not unicode_ok()))  # valid JSON on a GBK console
    else:
        print_scores(result, explain=not args.brief)
    return exit_code(result)
