"""The ``jixiao`` command line, the composition root: one module per command, each wiring the layers
it needs by plain calls. Exit codes: 0 clean, 1 findings with errors, 2 unusable input.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from jixiao._version import __version__
from jixiao.cli.common import EXIT_OK, EXIT_UNUSABLE, Parser

COMMANDS = (
    "demo",
    "new",
    "check",
    "import_",
    "score",
    "report",
    "batch",
    "addin",
    "bundle",
)  # jixiao/cli/<name>.py, in help order (a keyword takes a trailing _)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command's options."""
    parser = Parser(prog="jixiao", description="部门整体支出绩效自评：校验、计分、报告。")
    version = f"jixiao {__version__}"
    parser.add_argument("--version", action="version", version=version, help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"jixiao.cli.{name}")  # argparse only: heavy imports are in run()
        command = sub.add_parser(name.rstrip("_"), help=module.HELP)  # import_.py: `jixiao import`
        module.configure(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    from jixiao.cli.console import prepare
    from jixiao.errors import JixiaoError

    prepare()  # a GBK console or file gets stand-ins (✗ → ×), never a UnicodeEncodeError
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv in (["--version"], ["-V"]):  # fast path: no command module imported
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
    except OSError as exc:  # a file-system error no layer turned into a sentence: still one line
        from jixiao.fileio import reason

        place = f"{exc.filename}：" if exc.filename else ""
        print(f"jixiao：{place}{reason(exc)}", file=sys.stderr)
        return EXIT_UNUSABLE
    except Exception as exc:  # a bug of ours: still one line, never a traceback for the user
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        print(
            f"jixiao：内部错误（{type(exc).__name__}：{exc}）。请设置 JIXIAO_DEBUG=1 重试并报告此问题。",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
