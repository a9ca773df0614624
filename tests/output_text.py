"""Every text a written file holds, as a reader of the file would find it (for the hostile-input tests).

A .docx or .xlsx is read part by part (every XML part: body, shared strings, comments, headers,
drawings, docProps …) with XML entities resolved; a .pdf through pdftotext; anything else as text.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r'=\s*"([^"]*)"')


def part_texts(path: Path) -> dict[str, str]:
    """Return, per part of the zip ``path``, its text content and its attribute values, unescaped."""
    texts = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.endswith((".xml", ".rels", ".vml")):
                continue
            xml = archive.read(name).decode("utf-8", errors="replace")
            attributes = " ".join(_ATTRIBUTE.findall(xml))
            texts[name] = html.unescape(_TAG.sub(" ", xml) + " " + attributes)
    return texts


def pdf_text(path: Path) -> str:
    """Return the text layer of the PDF ``path`` (pdftotext), lines joined without breaks."""
    tool = shutil.which("pdftotext")
    assert tool, "poppler-utils (pdftotext) is required"
    out = subprocess.run([tool, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8")


def file_text(path: Path) -> str:
    """Return everything a reader finds in ``path``: parts of a zip, a PDF's text, or the text."""
    if zipfile.is_zipfile(path):
        return "\n".join(f"[{name}] {text}" for name, text in part_texts(path).items())
    if path.suffix.lower() == ".pdf":
        return pdf_text(path)
    return path.read_text("utf-8")


def formulas(path: Path) -> list[str]:
    """Return the formulas (``<f>`` elements) of every worksheet of the workbook ``path``."""
    found = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                found += [html.unescape(f) for f in re.findall(r"<(?:\w+:)?f(?:\s[^>]*)?>([^<]*)</", xml)]
    return found
