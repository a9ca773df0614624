"""The report layer's contributions: ``jixiao report``, ``jixiao check --report`` and a demo step."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from jixiao.plugins import Command, Registry

DEMO_FORMATS = ("docx", "pdf", "md")


def _configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="数据文件 .json（或插件支持的工作簿）")
    parser.add_argument(
        "--format", default="docx", choices=("docx", "pdf", "xlsx", "md"), help="输出格式（默认 docx）"
    )
    parser.add_argument(
        "--public", action="store_true", help="生成公开版（去掉电话、身份证号和填表人、负责人姓名）"
    )
    parser.add_argument("-o", "--output", help="输出文件或文件夹（默认：与输入文件同一文件夹）")
    parser.add_argument("--template", help="自定义报告模板文件夹（同名文件替换内置模板）")


def _output_path(args: argparse.Namespace, result, fmt: str) -> Path:
    from jixiao.report.export import default_name

    name = default_name(result, fmt, args.public)
    if not args.output:
        return Path(args.file).resolve().parent / name
    out = Path(args.output)
    if out.is_dir() or args.output.endswith(("/", "\\")):
        return out / name
    return out


def _run_report(args: argparse.Namespace) -> int:
    from jixiao.pipeline import run
    from jixiao.report.export import export

    result = run(args.file)
    out = _output_path(args, result, args.format)
    template = Path(args.template) if args.template else None
    written = export(result, args.format, out, public=args.public, template_dir=template)
    errors = result.summary["errors"]
    if errors:
        print(
            f"提示：校验发现 {errors} 个错误（用 jixiao check 查看）；报告中的得分按计分规则重新计算。",
            file=sys.stderr,
        )
    print(f"已生成{'公开版' if args.public else ''}自评报告：{written}")
    return 0


def _configure_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--report", help="同时核对一份手写的自评报告（.docx、.txt 或 .md）中的数字")


def _check_extension(args: argparse.Namespace, result) -> None:
    if not getattr(args, "report", None):
        return
    from jixiao.findings import sort_findings
    from jixiao.report.figures import check_report

    extra = check_report(args.report, result.filing, result.scores)
    result.findings = sort_findings([*result.findings, *extra])


def demo_step(out_dir: Path, result, progress) -> list[Path]:
    """Write the demo's report in every format, and the 公开版 of each; return the paths."""
    from jixiao.errors import OutputError
    from jixiao.report.export import default_name, export

    written: list[Path] = []
    for public in (False, True):
        for fmt in DEMO_FORMATS:
            target = Path(out_dir) / default_name(result, fmt, public)
            try:
                written.append(export(result, fmt, target, public=public))
            except OutputError as exc:
                progress(f"    跳过 {target.name}：{exc}")
    return written


def register(registry: Registry) -> None:
    """Register ``jixiao report``, the ``--report`` option of ``jixiao check`` and the demo step."""
    registry.command(
        Command(
            name="report",
            help="生成自评报告（Word 公文格式、PDF、Markdown，或公开版）",
            configure=_configure_report,
            run=_run_report,
        )
    )
    registry.check_option(_configure_check, _check_extension)
    registry.demo_step(30, "生成自评报告", demo_step)
