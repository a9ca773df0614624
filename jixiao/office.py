"""LibreOffice headless: find it, and convert files with it (recalculation, PDF).

Every run uses its own throw-away profile (``-env:UserInstallation``), so parallel runs and a
user's open LibreOffice never interfere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from jixiao.errors import OutputError

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
MISSING_MESSAGE = (
    "未找到 LibreOffice（soffice），无法转换。请安装 LibreOffice（Debian/Ubuntu：apt-get install "
    "libreoffice-calc libreoffice-writer fonts-noto-cjk；Windows：从 libreoffice.org 安装），"
    "或设置环境变量 JIXIAO_SOFFICE 指向 soffice 程序"
)


def find_soffice() -> str | None:
    """Return the path of the LibreOffice ``soffice`` program, or None when it is not installed."""
    configured = os.environ.get("JIXIAO_SOFFICE")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in _CANDIDATES if Path(c).exists()), None)


def convert(
    source: Path,
    target_format: str,
    out_dir: Path,
    *,
    timeout: float = 180,
    filter_options: str | None = None,
) -> Path:
    """Return the path of ``source`` converted by LibreOffice to ``target_format`` in ``out_dir``.

    ``target_format`` is what ``--convert-to`` takes ('pdf', 'xlsx', 'ods', 'docx' …);
    ``filter_options`` is appended after a colon (e.g. 'calc_pdf_Export').
    Raises :class:`OutputError` with a Chinese reason when LibreOffice is missing or fails.
    """
    soffice = find_soffice()
    if soffice is None:
        raise OutputError(MISSING_MESSAGE)
    source, out_dir = Path(source).resolve(), Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    convert_to = f"{target_format}:{filter_options}" if filter_options else target_format
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            convert_to,
            "--outdir",
            str(out_dir),
            str(source),
        ]
        try:
            completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"LibreOffice 转换超时（{timeout:.0f} 秒）：{source.name}") from None
        except OSError as exc:
            raise OutputError(f"无法启动 LibreOffice（{exc.strerror}）：{soffice}") from None
    produced = out_dir / f"{source.stem}.{target_format.split(':')[0]}"
    if completed.returncode != 0 or not produced.exists():
        detail = (completed.stderr or completed.stdout or "").strip().splitlines()
        raise OutputError(f"LibreOffice 转换 {source.name} 失败：{detail[-1] if detail else '无输出'}")
    return produced
