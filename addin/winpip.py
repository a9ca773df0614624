"""Run pip as if on 64-bit Windows: ``python -m jixiao.addin.winpip 3.12 download …``.

``pip download --platform win_amd64 --python-version 3.12`` picks Windows wheels for Python 3.12, but
it evaluates environment markers for the machine it runs on: on Linux it leaves out
``pywin32; platform_system == "Windows"`` (xlwings needs it) and judges ``python_version`` by the
running Python, not 3.12. Here pip's marker environment is that of CPython X.Y on 64-bit Windows,
so a download or a ``--dry-run`` install resolves what a Windows PC would.
"""

from __future__ import annotations

import sys


def windows_environment(version: str) -> dict[str, str]:
    """Return the environment markers of CPython ``version`` (e.g. "3.12") on 64-bit Windows."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{version}.0",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{version}.0",
        "python_version": version,
        "sys_platform": "win32",
    }


def main(argv: list[str]) -> int:
    """Run pip with ``argv[1:]`` under the markers of Windows and Python ``argv[0]``; return pip's code."""
    from pip._internal.cli.main import main as pip_main
    from pip._vendor.packaging import markers

    environment = windows_environment(argv[0])
    markers.default_environment = lambda: dict(environment)
    return pip_main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
