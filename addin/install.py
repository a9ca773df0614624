"""``jixiao addin install``: put jixiao.xlam in Excel's XLSTART folder and point xlwings at this Python.

Like ``xlwings addin install``, but for the jixiao add-in: its xlwings runtime reads its settings
from ``%USERPROFILE%\\.jixiao\\jixiao.conf``, where the interpreter is written.

The VBA side reads paths through the ANSI code page of the PC (``Environ``, ``GetAttr``, ``Open``):
a folder whose name that code page cannot spell (a Chinese user name on an English Windows) cannot
be reached from the add-in, so the install stops with a Chinese line saying what to do instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from jixiao.addin import ribbon
from jixiao.addin.build import ADDIN_NAME, PROJECT_NAME, _read_parts, build_addin
from jixiao.errors import InputError, JixiaoError
from jixiao.fileio import write_bytes_atomic

NOT_WINDOWS = (
    "jixiao addin install 只能在装有桌面版 Excel 的 Windows 电脑上运行。"
    "在本机可以：① 运行 jixiao addin build -o 文件夹 生成 jixiao.xlam，或 jixiao bundle -o 文件夹 生成"
    "离线安装包，复制到 Windows 电脑上运行其中的 安装.bat；"
    "② 不用加载项，直接用命令行 jixiao check / jixiao score / jixiao report 处理工作簿"
    "（详见 docs/addin.md）"
)
# Where things go on Windows, as environment-relative paths (the uninstaller removes the same files).
XLSTART = ("%APPDATA%", "Microsoft", "Excel", "XLSTART")
CONFIG_DIR = ("%USERPROFILE%", f".{PROJECT_NAME}")
CONFIG_NAME = f"{PROJECT_NAME}.conf"
NON_ANSI = (
    "{what} {path} 含有本机 ANSI 代码页（{codepage}）不能表示的字符“{char}”。Excel 加载项的 VBA 只能按"
    "这个代码页读取路径，会找不到{needs}，按钮无法启动 Python，所以没有安装。请任选其一：{remedy}"
    "不装加载项时，命令行 jixiao check / score / report 照常可用。"
)
SYSTEM_LOCALE = (
    "在“控制面板 → 时钟和区域 → 区域 → 管理 → 更改系统区域设置”中选“中文(简体，中国)”，"
    "重启电脑后再运行 安装.bat（或 jixiao addin install）"
)


def windows_path(parts: tuple[str, ...]) -> str:
    """Return a Windows path written with environment variables, e.g. ``%APPDATA%\\Microsoft``."""
    return "\\".join(parts)


def default_xlstart() -> Path:
    """Return the user's Excel start-up folder (``%APPDATA%\\Microsoft\\Excel\\XLSTART``)."""
    appdata = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    return Path(appdata).joinpath(*XLSTART[1:])


def default_config_dir() -> Path:
    """Return the folder of the settings file the add-in's VBA reads (``%USERPROFILE%\\.jixiao``)."""
    return Path.home() / CONFIG_DIR[1]


def default_interpreter() -> Path:
    """Return the windowless interpreter beside this Python (``pythonw.exe``), else this Python."""
    executable = Path(sys.executable)
    windowless = executable.with_name("pythonw.exe")
    return windowless if windowless.exists() else executable


def ansi_codepage() -> str:
    """Return the Python codec of the PC's ANSI code page (``cp936`` on a Chinese Windows), else utf-8."""
    if sys.platform == "win32":
        import ctypes

        return f"cp{ctypes.windll.kernel32.GetACP()}"
    return "utf-8"


def config_text(interpreter: Path) -> str:
    """Return the xlwings settings file pointing RunPython at ``interpreter``."""
    lines = [("INTERPRETER_WIN", str(interpreter)), ("ADD_WORKBOOK_TO_PYTHONPATH", "False")]
    return "".join(f'"{key}","{value}"\r\n' for key, value in lines)


def _unspellable(path: Path, codepage: str) -> str | None:
    """Return the first character of ``path`` that ``codepage`` cannot encode, or None."""
    for char in str(path):
        try:
            char.encode(codepage)
        except UnicodeEncodeError:
            return char
    return None


_OTHER_ACCOUNT = "② 用用户名只含英文字母和数字的 Windows 账户安装和使用。"
_REINSTALL_PYTHON = (
    "① 把 64 位 Python 重新安装到只含英文字母和数字的文件夹（如 C:\\Python312：安装时选“Customize "
    "installation”，在“Customize install location”中填写），再运行 安装.bat；"
)


def check_reachable(config_dir: Path, temp: Path, interpreter: Path, codepage: str) -> None:
    """Raise :class:`JixiaoError` when the VBA could not spell one of the paths in ``codepage``."""
    locale = f"① {SYSTEM_LOCALE}；{_OTHER_ACCOUNT}"
    checks = (  # path, what it is, what the VBA would miss, what to do
        (config_dir, "Windows 用户文件夹", "其中的设置文件 jixiao.conf 和临时文件夹", locale),
        (temp, "临时文件夹", "运行 Python 时要写的临时文件", locale),
        (interpreter, "Python 的安装位置", " Python", f"{_REINSTALL_PYTHON}② {SYSTEM_LOCALE}。"),
    )
    for path, what, needs, remedy in checks:
        char = _unspellable(path, codepage)
        if char is not None:
            text = dict(what=what, path=path, codepage=codepage, char=char, needs=needs, remedy=remedy)
            raise JixiaoError(NON_ANSI.format(**text))


def _prebuilt(xlam: Path) -> bytes:
    """Return the bytes of the add-in file ``xlam`` after checking it is a jixiao add-in."""
    parts = _read_parts(Path(xlam))
    if ribbon.CUSTOMUI_PART not in parts or "xl/vbaProject.bin" not in parts:
        raise InputError("不是 jixiao 的加载项（缺少功能区或 VBA 部分）", place=str(xlam))
    return Path(xlam).read_bytes()


def install(
    xlstart: Path | None = None,
    config_dir: Path | None = None,
    interpreter: Path | None = None,
    platform: str | None = None,
    *,
    xlam: Path | None = None,
    codepage: str | None = None,
    temp: Path | None = None,
) -> tuple[Path, Path]:
    """Install the add-in (``xlam`` as given, else built here) and its settings; return both paths.

    Raises :class:`JixiaoError` with what to do instead when not on Windows, or when the add-in
    could not reach the settings, the temporary folder or Python (paths outside ``codepage``).
    """
    if not (platform or sys.platform).startswith("win"):
        raise JixiaoError(NOT_WINDOWS)
    xlstart = Path(xlstart) if xlstart else default_xlstart()
    config_dir = Path(config_dir) if config_dir else default_config_dir()
    interpreter = Path(interpreter) if interpreter else default_interpreter()
    codepage = codepage or ansi_codepage()
    check_reachable(config_dir, Path(temp) if temp else Path(tempfile.gettempdir()), interpreter, codepage)
    if xlam is not None:
        addin = write_bytes_atomic(xlstart / ADDIN_NAME, _prebuilt(Path(xlam)))
    else:
        addin = build_addin(xlstart)
    # VBA reads the file in the ANSI code page (GBK on Chinese Windows): user folders are often Chinese.
    conf = write_bytes_atomic(config_dir / CONFIG_NAME, config_text(interpreter).encode(codepage))
    return addin, conf
