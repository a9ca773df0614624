"""Run the ``jixiao`` command line with ``jixiao batch`` registered even before its entry point is
installed (``python bench/jixiao_cli.py batch …``); otherwise identical to the ``jixiao`` script."""

from __future__ import annotations

import sys

from jixiao.cli import main
from jixiao.plugins import registry


def _main() -> int:
    if sys.argv[1:] not in (["--version"], ["-V"]) and "batch" not in registry().commands:
        from jixiao.batch_plugin import register

        register(registry())
    return main()


if __name__ == "__main__":
    sys.exit(_main())
