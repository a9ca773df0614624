"""``jixiao addin install``: put jixiao.xlam in Excel's XLSTART folder and point xlwings at this Python.

Like ``xlwings addin install``, but for the jixiao add-in: its xlwings runtime reads its settings
from ``%USERPROFILE%\\.jixiao\\jixiao.conf``, where the interpreter is written.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jixiao.addin.build import PROJECT_NAME, build_addin
from jixiao.errors import JixiaoError
from jixiao.fileio import write_bytes_atomic

NOT_WINDOWS = (
    "jixiao addin install 只能在装有桌面版 Excel 的 Windows 电脑上运行。"
    "在本机可以：① 运行 jixiao addin build -o 文件夹 生成 jixiao.xlam，复制到 Windows 电脑上，"
    "在那里装好 Python 和 jixiao 后运行 jixiao addin install；"
    "② 不用加载项，直接用命令行 jixiao check / jixiao score / jixiao report 处理工作簿"
    "（详见 docs/addin.md）"
)


def default_xlstart() -> Path:
    """Return the user's Excel start-up folder (``%APPDATA%\\Microsoft\\Excel\\XLSTART``)."""
    appdata = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"


def default_interpreter() -> Path:
    """Return the windowless interpreter beside this Python (``pythonw.exe``), else this Python."""
    executable = Path(sys.executable)
    windowless = executable.with_name("pythonw.exe")
    return windowless if windowless.exists() else executable


def config_text(interpreter: Path) -> str:
    """Return the xlwings settings file pointing RunPython at ``interpreter``."""
    lines = [("INTERPRETER_WIN", str(interpreter)), ("ADD_WORKBOOK_TO_PYTHONPATH", "False")]
    return "".join(f'"{key}","{value}"\r\n' for key, value in lines)


def install(
    xlstart: Path | None = None,
    config_dir: Path | None = None,
    interpreter: Path | None = None,
    platform: str = sys.platform,
) -> tuple[Path, Path]:
    """Install the add-in and its settings; return (add-in path, settings path).

    Raises :class:`JixiaoError` with what to do instead when not on Windows.
    """
    if not platform.startswith("win"):
        raise JixiaoError(NOT_WINDOWS)
    xlstart = Path(xlstart) if xlstart else default_xlstart()
    config_dir = Path(config_dir) if config_dir else Path.home() / f".{PROJECT_NAME}"
    addin = build_addin(xlstart)
    conf = config_dir / f"{PROJECT_NAME}.conf"
    # VBA reads the file in the ANSI code page (GBK on Chinese Windows): user folders are often Chinese.
    encoding = "mbcs" if sys.platform == "win32" else "utf-8"
    write_bytes_atomic(conf, config_text(interpreter or default_interpreter()).encode(encoding))
    return addin, conf
