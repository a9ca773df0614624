"""``jixiao new``: a blank prepared workbook, next year's from last year's, or an .xlsm with the ribbon."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from jixiao.cli.common import EXIT_OK, add_replace_options
from jixiao.templates import DEFAULT, NAMES

HELP = "新建绩效自评工作簿（或用 --from 把上年工作簿结转到下一年）"
MAX_PROJECTS = 50


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao new``."""
    parser.add_argument("--year", type=_year, help="评价年度，如 2023")
    parser.add_argument("--unit", help="单位名称")
    parser.add_argument(
        "--projects",
        type=int,
        default=1,
        help="附件1-3 项目表张数（默认 1；0 = 不建项目表，以后可用“新增项目表”添加）",
    )
    parser.add_argument(
        "--template",
        choices=NAMES,
        default=DEFAULT,
        help="模板：national 全国通用（默认）、sichuan 四川项目支出表、chongqing 重庆部门整体表",
    )
    parser.add_argument("--from", dest="previous", help="上一年度的工作簿：结转为下一年度")
    parser.add_argument("-o", "--output", required=True, help="新工作簿 .xlsx（--macro 时为 .xlsm）")
    parser.add_argument(
        "--macro", action="store_true", help="生成带“绩效自评”功能区和宏的 .xlsm（不安装加载项也能用按钮）"
    )
    add_replace_options(parser, force_help="覆盖已存在的文件（不是 jixiao 生成的先备份）")


def _year(text: str) -> int:
    """Return the --year given (a four-digit year the workbook accepts, as its own validation does)."""
    from jixiao.workbook.sheet import YEARS

    low, high = YEARS
    if not text.strip().isdigit() or not low <= int(text) <= high:
        raise argparse.ArgumentTypeError(f"评价年度应为 {low} 到 {high} 之间的四位年份（收到“{text}”）")
    return int(text)


def run(args: argparse.Namespace) -> int:
    """Build the workbook; return 0."""
    from jixiao.errors import InputError
    from jixiao.fileio import replacing
    from jixiao.outputs import claim
    from jixiao.workbook.builder import blank_filing, build_workbook
    from jixiao.workbook.roll import describe, next_year
    from jixiao.workbook.writer import save_atomic

    output = Path(args.output)
    suffix = ".xlsm" if args.macro else ".xlsx"
    if output.suffix.lower() != suffix:
        raise InputError(f"输出文件应以 {suffix} 结尾", place=str(output))
    if output.exists() and not args.force:
        raise InputError("文件已存在；如需覆盖请加 --force", place=str(output))
    target = claim(output, [args.previous] if args.previous else [], force=True)  # refuses --from itself
    if args.previous:
        from jixiao.api import load  # inspects the file first, as every command does

        loaded = load(args.previous)
        for f in loaded.findings:
            if f.rule.startswith("WB-") or f.rule == "INPUT-NUMBER":  # what the reader could not read
                print(f"! {f.place}：{f.message}", file=sys.stderr)
        filing = next_year(loaded.filing)
        if args.year is not None:
            filing.year = args.year
        if args.unit:
            filing.unit = args.unit
    else:
        if args.year is None or not args.unit:
            raise InputError("请给出 --year 年度 和 --unit 单位名称（或用 --from 上年工作簿）")
        if not 0 <= args.projects <= MAX_PROJECTS:
            raise InputError(f"--projects 应在 0 到 {MAX_PROJECTS} 之间")
        filing = blank_filing(args.unit.strip(), args.year, args.projects, args.template)
    if args.macro:
        from jixiao.addin.build import make_macro_workbook

        with tempfile.TemporaryDirectory(prefix="jixiao-new-") as folder:
            plain = Path(folder) / f"{output.stem}.xlsx"
            save_atomic(build_workbook(filing), plain)
            with replacing(output, target.backup, args.keep_backups):
                make_macro_workbook(plain, output)
    else:
        save_atomic(build_workbook(filing), output, backup=target.backup, keep=args.keep_backups, mark=True)
    print(f"已生成 {output}：{describe(filing)}")
    return EXIT_OK
