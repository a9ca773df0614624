"""``jixiao check FILE [--json] [--report 手写报告]``: list the findings of a filing."""

from __future__ import annotations

import argparse
import sys

from jixiao.cli.common import exit_code, print_findings
from jixiao.cli.console import unicode_ok

HELP = "校验一份自评（数据文件或工作簿），列出问题"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao check``."""
    parser.add_argument(
        "file",
        help="数据文件 .json、工作簿 .xlsx/.xlsm、其他格式的自评表 .xlsx/.xls/.csv、"
        "附有自评表的 Word 报告 .docx",
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出（DESIGN.md 格式）")
    parser.add_argument("--report", help="同时核对一份手写的自评报告（.docx、.txt 或 .md）中的数字")


def run(args: argparse.Namespace) -> int:
    """Check the file; return 1 when it has errors, else 0."""
    from jixiao.api import check

    report = args.report
    if report is None and args.file.lower().endswith(".docx"):  # a Word report: its tables and its text
        report = args.file
    result = check(args.file, report=report)
    if args.json:
        sys.stdout.write(result.to_json(ascii_only=not unicode_ok()))  # valid JSON on a GBK console
    else:
        print_findings(result)
    return exit_code(result)
