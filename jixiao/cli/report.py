"""``jixiao report FILE --format docx|pdf|xlsx|md [--public] [-o OUT]``: write the 自评报告."""

from __future__ import annotations

import argparse
import sys

from jixiao.cli.common import EXIT_OK, add_replace_options, progress

HELP = "生成自评报告（Word 公文格式、PDF、Markdown，或公开版）"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao report``."""
    parser.add_argument("file", help="数据文件 .json 或工作簿 .xlsx/.xlsm")
    parser.add_argument(
        "--format", default="docx", choices=("docx", "pdf", "xlsx", "md"), help="输出格式（默认 docx）"
    )
    parser.add_argument(
        "--public", action="store_true", help="生成公开版（去掉电话、身份证号和填表人、负责人姓名）"
    )
    parser.add_argument("-o", "--output", help="输出文件或文件夹（默认：与输入文件同一文件夹）")
    parser.add_argument("--template", help="自定义报告模板文件夹（同名文件替换内置模板）")
    add_replace_options(parser)


def run(args: argparse.Namespace) -> int:
    """Write the report; return 0."""
    from jixiao.api import check, export

    result = check(args.file)
    notes: list[str] = []
    written = export(
        result,
        args.format,
        args.output,
        public=args.public,
        template_dir=args.template,
        force=args.force,
        keep_backups=args.keep_backups,
        notes=notes,
    )
    for note in notes:
        progress(note)
    errors = result.summary["errors"]
    if errors:
        print(
            f"提示：校验发现 {errors} 个错误（用 jixiao check 查看）；报告中的得分按计分规则重新计算。",
            file=sys.stderr,
        )
    marked = sum(1 for f in result.findings if f.rule == "PROSE-FIGURE")
    if marked:
        print(
            f"提示：报告用文字中有 {marked} 处与表不符，已标注【请核实：…】；报送或公开前请改正。",
            file=sys.stderr,
        )
    print(f"已生成{'公开版' if args.public else ''}自评报告：{written}")
    return EXIT_OK
