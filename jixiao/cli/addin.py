"""``jixiao addin build|install|click``: the Excel add-in — build it, install it, press a button."""

from __future__ import annotations

import argparse
from pathlib import Path

from jixiao.cli.common import progress

HELP = "Excel 加载项：生成、安装、在命令行按下按钮"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the actions of ``jixiao addin``."""
    sub = parser.add_subparsers(dest="addin_command", metavar="操作", parser_class=type(parser))
    build = sub.add_parser("build", help="生成 Excel 加载项 jixiao.xlam")
    build.add_argument("-o", "--out", default=".", help="输出文件夹（默认当前文件夹）")
    build.set_defaults(addin_action=_build)
    install = sub.add_parser("install", help="在 Windows 上安装加载项，并让 Excel 使用当前的 Python")
    install.add_argument("--xlstart", help="Excel 启动文件夹（默认 %%APPDATA%%\\Microsoft\\Excel\\XLSTART）")
    install.add_argument("--xlam", help="安装这个已生成的 jixiao.xlam（离线安装包中的），而不是在本机生成")
    install.set_defaults(addin_action=_install)
    click = sub.add_parser("click", help="在命令行“按下”功能区按钮（经 xlwings JSON 引擎，用于测试）")
    click.add_argument("button", help="按钮名称（如 计算得分）或编号（如 jx_score）")
    click.add_argument("file", help="工作簿 .xlsx/.xlsm")
    click.add_argument("-o", "--output", help="结果写入的文件（默认写回原文件）")
    click.add_argument("--select", help="按下按钮时选中的单元格，如 附件1-2!D16（新增指标行用）")
    click.add_argument(
        "--force",
        action="store_true",
        help="工作簿中有命令行无法保留的内容（图片、文本框等）时仍写入（先备份）",
    )
    click.set_defaults(addin_action=_click)
    parser.set_defaults(addin_parser=parser)


def run(args: argparse.Namespace) -> int:
    """Run the chosen add-in action; return its exit code (2 when none was chosen)."""
    action = getattr(args, "addin_action", None)
    if action is None:
        args.addin_parser.print_help()
        return 2
    return action(args)


def _build(args: argparse.Namespace) -> int:
    from jixiao.addin.build import build_addin

    path = build_addin(Path(args.out))
    print(f"已生成加载项：{path}")
    return 0


def _install(args: argparse.Namespace) -> int:
    from jixiao.addin.install import install

    addin, conf = install(
        xlstart=Path(args.xlstart) if args.xlstart else None, xlam=Path(args.xlam) if args.xlam else None
    )
    print(f"已安装加载项：{addin}")
    print(f"xlwings 设置（使用的 Python）：{conf}")
    print("请重新启动 Excel，功能区会出现“绩效自评”选项卡。")
    return 0


def _click(args: argparse.Namespace) -> int:
    from jixiao.addin.click import click

    output = Path(args.output) if args.output else None
    outcome = click(args.button, Path(args.file), output, selection=args.select, force=args.force)
    for alert in outcome.alerts:
        print(alert)
    progress(f"已写入 {outcome.path}" if outcome.written else f"未改动 {outcome.path}")
    return outcome.exit_code
