"""PDF of the Word report through LibreOffice headless, with the 公文 font names mapped to fonts here.

The .docx keeps the official names (仿宋_GB2312, 黑体, 楷体_GB2312, 方正小标宋简体) for the user's
Windows. For a PDF made on this machine a fontconfig file (``data/fonts.toml`` → fonts.conf)
aliases them to installed CJK fonts, so Chinese renders and line breaks stay close.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from jixiao.fileio import write_bytes_atomic
from jixiao.office import convert
from jixiao.resources import load_data

_SYSTEM_CONF = (
    "/etc/fonts/fonts.conf",
    "/usr/local/etc/fonts/fonts.conf",
    "/opt/homebrew/etc/fonts/fonts.conf",
)


@cache
def font_map() -> dict:
    """Return the official font name → candidate families (and weight) of ``data/fonts.toml``."""
    return load_data("fonts.toml", "jixiao.report")["font"]


@cache
def _installed_families() -> frozenset[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return frozenset()
    try:
        out = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(","))


def fontconfig_xml() -> str:
    """Return a fonts.conf that includes the system configuration and aliases the 公文 fonts."""
    installed = _installed_families()
    parts = ['<?xml version="1.0"?>', '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">', "<fontconfig>"]
    parts += [f'  <include ignore_missing="yes">{path}</include>' for path in _SYSTEM_CONF]
    for official, spec in font_map().items():
        candidates = [c for c in spec["families"] if not installed or c in installed] or spec["families"]
        family = candidates[0]
        parts.append(
            f'  <match target="pattern"><test name="family"><string>{escape(official)}</string></test>'
            f'<edit name="family" mode="assign" binding="strong"><string>{escape(family)}</string></edit>'
            + (
                f'<edit name="weight" mode="assign" binding="strong"><const>{spec["weight"]}</const></edit>'
                if spec.get("weight")
                else ""
            )
            + "</match>"
        )
    parts.append("</fontconfig>")
    return "\n".join(parts) + "\n"


@contextlib.contextmanager
def _font_aliases() -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="jixiao-fonts-") as folder:
        conf = Path(folder) / "fonts.conf"
        conf.write_text(fontconfig_xml(), encoding="utf-8")
        previous = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = str(conf)
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("FONTCONFIG_FILE", None)
            else:
                os.environ["FONTCONFIG_FILE"] = previous


def docx_to_pdf(docx: Path, pdf: Path) -> Path:
    """Convert ``docx`` to ``pdf`` with LibreOffice (fonts aliased); return the PDF path."""
    pdf = Path(pdf)
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as folder, _font_aliases():
        produced = convert(Path(docx), "pdf", Path(folder))
        return write_bytes_atomic(pdf, produced.read_bytes(), mark=True)
