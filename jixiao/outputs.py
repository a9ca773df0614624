"""Where an output may go: never over an input, never over a file jixiao did not write.

jixiao recognises its own outputs by a stamp it puts in them: a SHA-256 of the file's bytes
(without the stamp) in the zip comment of a workbook or Word file, in a trailing ``%`` comment of
a PDF, in a trailing HTML comment of Markdown, in a last line ``#jixiao-stamp:…`` of a CSV file
and in a last member ``"jixiao_stamp"`` of a JSON object. A file someone opened and saved again
(Excel, Word, WPS, LibreOffice rewrite the whole file) no longer matches its stamp and counts as
the user's. A writer that streams a CSV or JSON file stamps it with a :class:`Stamper`; a command
whose older outputs carry no stamp may hand in a recogniser for them.

:func:`claim` decides, before anything is written, whether an output may be written: an input
is refused, a file jixiao wrote is replaced, any other existing file is refused unless ``force``
(then replaced with a backup) — or, for a file named by jixiao itself (the report's official name),
the output goes beside it under a new name.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from jixiao.errors import InputError, OutputError

ZIP_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".docx")
MARK = b"jixiao-stamp:1:"
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_MARKDOWN = (b"<!-- ", b" -->\n")
_PDF = (b"%", b"\n")
_CSV = (b"#", b"\r\n")
_JSON_END = b"\n}\n"  # a stamped JSON object ends so: its last member on a line of its own
_JSON_KEY = b',\n "jixiao_stamp": "'
BESIDE_SUFFIX = "（jixiao 生成）"
Recogniser = Callable[[Path], bool]


def _digest(body: bytes, kind: str) -> bytes:
    return MARK + kind.encode("ascii") + b":" + hashlib.sha256(body).hexdigest().encode("ascii")


def _kind(suffix: str) -> str | None:
    suffix = suffix.lower()
    if suffix in ZIP_SUFFIXES:
        return "zip"
    if suffix == ".pdf":
        return "pdf"
    if suffix in (".md", ".markdown"):
        return "md"
    if suffix in (".csv", ".json"):
        return suffix[1:]
    return None


class Stamper:
    """jixiao's stamp for a CSV or JSON file written piece by piece: :meth:`update` with every
    piece written, then write :meth:`tail` (a JSON object's pieces leave out its closing brace)."""

    def __init__(self, suffix: str, kind: str = "") -> None:
        self.form = _kind(suffix)
        if self.form not in ("csv", "json"):
            raise ValueError(f"a streamed stamp is for CSV or JSON, not {suffix}")
        self.kind = kind
        self.hash = hashlib.sha256()

    def update(self, piece: bytes) -> None:
        """Count ``piece`` (written to the file) into the stamp."""
        self.hash.update(piece)

    def tail(self) -> bytes:
        """Return what ends the file: the CSV's stamp line, or the JSON's stamp member and its brace."""
        if self.form == "json":
            self.hash.update(_JSON_END)
        mark = MARK + self.kind.encode("ascii") + b":" + self.hash.hexdigest().encode("ascii")
        if self.form == "csv":
            return _CSV[0] + mark + _CSV[1]
        return _JSON_KEY + mark + b'"' + _JSON_END


def _end_record(data: bytes) -> int | None:
    """Return the offset of the zip's end-of-directory record, or None."""
    at = data.rfind(_EOCD, max(0, len(data) - _EOCD_SIZE - 0xFFFF))
    while at >= 0:
        (length,) = struct.unpack_from("<H", data, at + 20) if at + _EOCD_SIZE <= len(data) else (-1,)
        if at + _EOCD_SIZE + length == len(data):
            return at
        at = data.rfind(_EOCD, 0, at)
    return None


def stamp(data: bytes, suffix: str, kind: str = "") -> bytes:
    """Return ``data`` (a file of type ``suffix``) carrying jixiao's stamp; unchanged for other types.

    ``kind`` says what jixiao wrote (``batch`` for a summary), for a command that replaces only that.
    """
    form = _kind(suffix)
    if form == "zip":
        at = _end_record(data)
        if at is None:
            return data
        body = data[: at + 20]
        comment = _digest(body, kind)
        return body + struct.pack("<H", len(comment)) + comment
    if form in ("pdf", "md"):
        body = data if data.endswith(b"\n") else data + b"\n"
        start, end = _PDF if form == "pdf" else _MARKDOWN
        return body + start + _digest(body, kind) + end
    if form == "csv":
        body = data if data.endswith(b"\n") else data + b"\r\n"
    elif form == "json":
        if not data.endswith(_JSON_END):
            return data  # not an object as jixiao writes one
        body = data[: -len(_JSON_END)]
    else:
        return data
    stamper = Stamper(suffix, kind)
    stamper.update(body)
    return body + stamper.tail()


def stamp_kind(data: bytes, suffix: str) -> str | None:
    """Return the kind of jixiao's stamp on ``data`` when it is there and valid, else None."""
    form = _kind(suffix)
    body = None
    if form == "zip":
        at = _end_record(data)
        body = None if at is None else data[: at + 20] + b"\0\0"  # the file without its comment
    elif form in ("pdf", "md"):
        end = (_PDF if form == "pdf" else _MARKDOWN)[1]
        if data.endswith(end):
            body = data[: data.rfind(b"\n", 0, len(data) - len(end)) + 1]  # without its last line
    elif form == "csv" and data.endswith(_CSV[1]):
        body = data[: data.rfind(b"\n", 0, len(data) - len(_CSV[1])) + 1]
    elif form == "json" and data.endswith(_JSON_END) and _JSON_KEY in data:
        body = data[: data.rfind(_JSON_KEY)] + _JSON_END
    if body is None:
        return None
    at = data.rfind(MARK)
    kind = data[at + len(MARK) :].split(b":", 1)[0].decode("ascii", "replace") if at >= 0 else ""
    return kind if stamp(body, suffix, kind) == data else None


def stamped(data: bytes, suffix: str) -> bool:
    """Return True when ``data`` carries jixiao's stamp and is unchanged since it was stamped."""
    return stamp_kind(data, suffix) is not None


def is_ours(path: Path, recognise: Recogniser | None = None, kind: str | None = None) -> bool:
    """Return True when the file ``path`` is an output jixiao wrote (of ``kind``, when given) and
    nobody changed since."""
    try:
        if path.stat().st_size > 256 * 1024 * 1024:
            return False
        found = stamp_kind(path.read_bytes(), path.suffix)
    except OSError:
        return False
    if found is None and recognise is not None:  # an output of a type or a version without a stamp
        try:
            return recognise(path)
        except (OSError, ValueError):
            return False
    return found is not None and (kind is None or found == kind)


def same_file(a: Path, b: Path) -> bool:
    """Return True when ``a`` and ``b`` name the same file (links and spellings resolved)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))


def same_package_type(source: Path, destination: Path) -> None:
    """Refuse ``destination`` unless it has the package type of the workbook ``source`` (.xlsm for .xlsm):
    an .xlsx holding a VBA project, or an .xlsm without a macro workbook's content type, does not open
    in Excel."""
    if destination.suffix.lower() != source.suffix.lower():
        raise InputError(
            f"输出文件应与输入文件同为 {source.suffix} 工作簿（宏和功能区随文件保留）", place=str(destination)
        )


@dataclass(frozen=True)
class Claim:
    """Where an output goes, whether a file there is replaced and kept as a backup first, and a
    note for the user (written beside a file that was left alone)."""

    path: Path
    replaces: bool = False
    backup: bool = False
    note: str | None = None


def claim(
    path: str | os.PathLike[str],
    inputs: Iterable[str | os.PathLike[str]] = (),
    *,
    force: bool = False,
    beside: bool = False,
    recognise: Recogniser | None = None,
) -> Claim:
    """Return where the output ``path`` may be written; raise OutputError when it may not.

    ``inputs`` are the files the command reads: an output on one of them is always refused.
    An existing file jixiao wrote is replaced; any other existing file is refused, unless
    ``force`` (replaced, a backup kept first) or ``beside`` (the output takes a new name).
    """
    path = Path(path)
    for source in inputs:
        if same_file(path, Path(source)):
            raise OutputError(f"{path}：输出文件就是输入文件，不能覆盖；请用 -o 指定另一个文件")
    if not path.exists() and not path.is_symlink():
        return Claim(path)
    if path.is_dir():
        raise OutputError(f"{path}：这是一个文件夹，不能作为输出文件")
    if is_ours(path, recognise):
        return Claim(path, replaces=True)
    if force:
        return Claim(path, replaces=True, backup=True)
    if beside:
        other = free_name(path, recognise)
        note = f"{path.name} 已存在且不是 jixiao 生成的（未改动）；另存为 {other.name}"
        return Claim(other, replaces=other.exists(), note=note)
    raise OutputError(
        f"{path}：文件已存在，且不是 jixiao 生成的（或生成后被改过）；"
        "如确要替换，请加 --force（会先备份原文件）"
    )


def free_name(path: Path, recognise: Recogniser | None = None) -> Path:
    """Return the first free name beside ``path`` (or one holding a jixiao output): X（jixiao 生成）.docx …"""
    for counter in range(1, 1000):
        label = BESIDE_SUFFIX if counter == 1 else BESIDE_SUFFIX[:-1] + f" {counter}）"
        other = path.with_name(f"{path.stem}{label}{path.suffix}")
        if not other.exists() and not other.is_symlink():
            return other
        if is_ours(other, recognise):
            return other
    raise OutputError(f"{path}：旁边同名的文件太多，请用 -o 指定输出文件")
