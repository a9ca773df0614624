"""``jixiao import FILE -o 文件.xlsx``: a table jixiao did not build, as a prepared workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jixiao.cli.common import EXIT_OK, add_replace_options

HELP = "把其他格式的自评表（.xlsx、.xls、.csv、Word 报告 .docx 中的表格）转成预置工作簿"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao import``."""
    parser.add_argument("file", help="其他格式的自评表 .xlsx/.xls/.csv，或附有自评表的 Word 报告 .docx")
    parser.add_argument("-o", "--output", required=True, help="生成的预置工作簿 .xlsx")
    add_replace_options(parser, force_help="覆盖已存在的文件（不是 jixiao 生成的先备份）")


def run(args: argparse.Namespace) -> int:
    """Read the tables, build the workbook (inputs filled, the template's policy stored); return 0."""
    from jixiao.errors import InputError
    from jixiao.importers.fit import fit_national
    from jixiao.outputs import claim
    from jixiao.pipeline import inspect
    from jixiao.templates import template
    from jixiao.workbook.builder import build_workbook
    from jixiao.workbook.foreign import import_file
    from jixiao.workbook.sheet_template import template_tables
    from jixiao.workbook.writer import save_atomic

    source, output = Path(args.file), Path(args.output)
    if output.suffix.lower() != ".xlsx":
        raise InputError("输出文件应以 .xlsx 结尾", place=str(output))
    if output.exists() and not args.force:
        raise InputError("文件已存在；如需覆盖请加 --force", place=str(output))
    target = claim(output, [source], force=True)  # refuses to write over the source itself
    inspect(source)
    imported = import_file(source)
    for f in imported.findings:
        print(f"! {f.place}：{f.message}", file=sys.stderr)
    filing = imported.filing
    own = template_tables(filing)  # the template's own tables keep every column (sheet_template)
    for note in fit_national(filing, own):  # the national tables: what they cannot hold is said
        print(f"注意：{note}", file=sys.stderr)
    save_atomic(build_workbook(filing), output, backup=target.backup, keep=args.keep_backups, mark=True)
    tables = "、".join(f"附件{kind}" for kind, _ in imported.templates)
    print(f"已生成 {output}：{tables}，按{template(filing.template).label}模板（{filing.template}）读入")
    return EXIT_OK
