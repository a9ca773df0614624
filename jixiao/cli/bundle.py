"""``jixiao bundle -o DIR``: the offline installer bundle for Windows PCs (a folder and a .zip)."""

from __future__ import annotations

import argparse
from pathlib import Path

from jixiao.cli.common import EXIT_OK, progress

HELP = "生成 Windows 离线安装包（wheel、加载项、工作簿、安装.bat、使用说明.pdf），需联网一次"


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``jixiao bundle``."""
    parser.add_argument("-o", "--out", required=True, help="输出文件夹（生成 jixiao-版本-windows 和 zip）")
    parser.add_argument("--source", help="jixiao 源码文件夹（默认：当前 jixiao 所在的源码）")
    parser.add_argument("--python", help="要包含的 Python 版本，逗号分隔（默认 3.10,3.11,3.12,3.13）")
    parser.add_argument("--no-zip", action="store_true", help="只生成文件夹，不打包 zip")
    parser.add_argument("--force", action="store_true", help="安装包文件夹已存在时重新生成")


def run(args: argparse.Namespace) -> int:
    """Write the bundle and say what is in it; return 0."""
    import re

    from jixiao.addin.bundle import PYTHON_VERSIONS, write_bundle
    from jixiao.errors import InputError

    given = args.python or ",".join(PYTHON_VERSIONS)
    versions = [v.strip() for v in given.split(",") if v.strip()]
    if not versions or any(not re.fullmatch(r"3\.\d{1,2}", v) for v in versions):
        raise InputError(f"--python 应为逗号分隔的版本号，如 3.11,3.12：{given}")
    bundle = write_bundle(
        Path(args.out),
        Path(args.source) if args.source else None,
        versions,
        archive=not args.no_zip,
        force=args.force,
        progress=progress,
    )
    for note in bundle.notes:
        progress(f"    {note}")
    print(f"已生成离线安装包：{bundle.folder}")
    if bundle.archive:
        print(f"压缩包：{bundle.archive}")
    print(f"Excel 加载项可用的 Python（64 位）：{'、'.join(bundle.excel_versions)}")
    if bundle.cli_versions:
        print(f"只能用命令行的 Python：{'、'.join(bundle.cli_versions)}")
    print("把文件夹或 zip 复制到 Windows 电脑上，解除锁定并解压后双击其中的 安装.bat。")
    return EXIT_OK
