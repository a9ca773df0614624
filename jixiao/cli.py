"""The ``jixiao`` command line. Exit codes: 0 clean, 1 findings with errors, 2 unusable input.

Sub-commands of the layers above the core (``new``, ``report``, ``addin`` …) are contributed by
plugins (see :mod:`jixiao.plugins`); the core's own are ``demo``, ``check`` and ``score``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from jixiao._version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_UNUSABLE = 0, 1, 2

_SEVERITY_MARK = {"error": "✗ 错误", "warning": "! 警告", "info": "· 提示"}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one Chinese line and exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_UNUSABLE, f"jixiao：命令行参数有误：{message}（用 jixiao -h 查看用法）\n")


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _print_findings(result, stream=None) -> None:
    stream = stream or sys.stdout
    from jixiao.findings import SEVERITY_LABEL

    for f in result.findings:
        print(f"{_SEVERITY_MARK[f.severity]} [{f.rule}] {f.place}：{f.message}", file=stream)
    s = result.summary
    print(
        f"共 {s['errors']} 个{SEVERITY_LABEL['error']}、{s['warnings']} 个{SEVERITY_LABEL['warning']}、"
        f"{s['infos']} 个{SEVERITY_LABEL['info']}。",
        file=stream,
    )


def _print_scores(result, stream=None, explain: bool = True) -> None:
    stream = stream or sys.stdout
    from jixiao.numbers import fmt, fmt_plain

    places = result.filing.policy.display_places
    for t in result.scores.tables():
        reported = f"（填报 {fmt_plain(t.reported_total)}）" if t.reported_total is not None else ""
        exec_score = fmt(t.exec.score, places) if t.exec.score is not None else "—"
        print(
            f"附件{t.table} {t.subject}：执行率 {t.exec.rate_text}，执行得分 {exec_score}，"
            f"总分 {fmt(t.total, places)}{reported}，等级 {t.grade}",
            file=stream,
        )
        if explain:
            print(f"    预算执行率：{t.exec.explanation}", file=stream)
            for s in t.indicators:
                score = fmt(s.score, places) if s.score is not None else "—"
                print(f"    {s.indicator.subject}：{score}  {s.explanation}", file=stream)


# ------------------------------------------------------------------ commands


def _cmd_check(args: argparse.Namespace) -> int:
    from jixiao.pipeline import run
    from jixiao.plugins import registry

    result = run(args.file)
    for extension in registry().check_extensions:
        extension(args, result)
    if args.json:
        sys.stdout.write(result.to_json())
    else:
        _print_findings(result)
    return EXIT_FINDINGS if result.has_errors else EXIT_OK


def _cmd_score(args: argparse.Namespace) -> int:
    from jixiao.errors import InputError
    from jixiao.pipeline import DATA_SUFFIXES, run
    from jixiao.plugins import registry

    result = run(args.file)
    source = Path(args.file)
    if source.suffix.lower() not in DATA_SUFFIXES:
        writer = registry().writers.get(source.suffix.lower())
        if writer is None:
            raise InputError("无法写回此类文件的得分", place=str(source))
        destination = Path(args.output) if args.output else source
        writer(source, destination, result)
        _progress(f"得分已写入 {destination}")
    elif args.output:
        raise InputError("数据文件不写回得分；请用 --json 导出结果", place=str(source))
    if args.json:
        sys.stdout.write(result.to_json())
    else:
        _print_scores(result, explain=not args.brief)
    return EXIT_FINDINGS if result.has_errors else EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from jixiao.pipeline import evaluate
    from jixiao.plugins import registry
    from jixiao.samples import SAMPLE_TITLE, load_sample

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    _progress(f"[1] 读取内置样例：{SAMPLE_TITLE}")
    filing, findings = load_sample()
    result = evaluate(filing, findings, source="jixiao:sample/zhuzhou_2022")
    _progress("[2] 计算得分并校验 …")
    written = [out / "findings.json"]
    result.write_json(written[0])
    steps = registry().demo_steps
    for number, (_order, label, step) in enumerate(steps, start=3):
        _progress(f"[{number}] {label} …")
        written.extend(step(out, result, _progress) or [])
    _print_scores(result, explain=False)
    s = result.summary
    print(
        f"校验：{s['errors']} 个错误、{s['warnings']} 个警告、{s['infos']} 个提示（样例保留了原件中的错误）。"
    )
    print("已生成：")
    for path in written:
        print(f"  {path}")
    return EXIT_OK


# ------------------------------------------------------------------ parser


def build_parser(with_plugins: bool = True) -> argparse.ArgumentParser:
    """Return the argument parser, with the sub-commands of installed plugins."""
    parser = _Parser(prog="jixiao", description="部门整体支出绩效自评：校验、计分、报告。")
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    demo = sub.add_parser("demo", help="用内置样例（株洲市行业办公室 2022）跑通全流程")
    demo.add_argument("--out", default="jixiao-demo", help="输出文件夹（默认 ./jixiao-demo）")
    demo.set_defaults(run=_cmd_demo)

    check = sub.add_parser("check", help="校验一份自评（数据文件或工作簿），列出问题")
    check.add_argument("file", help="数据文件 .json（或插件支持的工作簿）")
    check.add_argument("--json", action="store_true", help="以 JSON 输出（DESIGN.md 格式）")
    check.set_defaults(run=_cmd_check)

    score = sub.add_parser("score", help="按规则计算得分（工作簿则写回得分单元格）")
    score.add_argument("file", help="数据文件 .json（或插件支持的工作簿）")
    score.add_argument("-o", "--output", help="写入另一个文件（工作簿）；缺省为原地写回并备份")
    score.add_argument("--json", action="store_true", help="以 JSON 输出得分与问题")
    score.add_argument("--brief", action="store_true", help="只显示各表总分，不列计算说明")
    score.set_defaults(run=_cmd_score)

    if with_plugins:
        from jixiao.plugins import registry

        reg = registry()
        for configure in reg.check_options:
            configure(check)
        for command in reg.commands.values():
            command_parser = sub.add_parser(command.name, help=command.help)
            command.configure(command_parser)
            command_parser.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    from jixiao.errors import JixiaoError

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):  # fast path: no plugin loading
        print(f"jixiao {__version__}")
        return EXIT_OK
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help()
            return EXIT_UNUSABLE
        return args.run(args)
    except JixiaoError as exc:
        print(f"jixiao：{exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # output piped into head and closed early
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("jixiao：已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours: still one line, never a traceback for the user
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        print(
            f"jixiao：内部错误（{type(exc).__name__}：{exc}）。请设置 JIXIAO_DEBUG=1 重试并报告此问题。",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
