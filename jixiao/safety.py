"""Inspecting a file before any reader opens it: what it really is, and whether it is safe to parse.

``inspect(path)`` looks at the bytes, not the name. A file nothing can use (empty, truncated,
password-protected, an old .xls, an .ods …) or a hostile one (zip bomb, XML with a DTD or entity
declarations, a sheet with millions of cells) raises :class:`~jixiao.errors.InputError` with a
one-line Chinese reason naming the file and the part or sheet. What is worth knowing but harmless
(links to external files, VBA macros, a ``~$`` Excel lock file beside it) comes back as findings.

Zip limits are checked twice: against the sizes the zip directory declares, and while every member
is actually decompressed (counted chunk by chunk), so a directory that lies does not help.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import InputError
from jixiao.findings import Finding, make_finding, rule

# Suffixes whose content must be an Office Open XML spreadsheet (a fact of the format).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")  # the prepared workbook, plain or with macros
OOXML_SUFFIXES = (*WORKBOOK_SUFFIXES, ".xltx", ".xltm", ".xlam")
MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a file may hold before jixiao refuses to read it."""

    file_bytes: int = 50 * MB  # the file on disk
    members: int = 2_000  # parts in the zip
    directory_bytes: int = 2 * MB  # the zip's central directory
    member_bytes: int = 64 * MB  # one part, uncompressed
    total_bytes: int = 160 * MB  # all parts, uncompressed
    ratio: int = 200  # uncompressed : compressed, for parts above ratio_floor
    ratio_floor: int = 1 * MB
    markup_run: int = 4 * MB  # one tag or text run without a '<'
    rows: int = 50_000  # highest row of a sheet
    columns: int = 1_000  # highest column of a sheet
    cells: int = 500_000  # cells of all sheets
    merged_cells: int = 200_000  # cells covered by merged ranges, per sheet
    merged_total: int = 300_000  # cells covered by merged ranges, all sheets together
    report_text_bytes: int = 8 * MB  # a hand-written report as .txt or .md (check --report)
    report_xml_bytes: int = 16 * MB  # one XML part of a hand-written report .docx, uncompressed
    name_cells: int = 500_000  # cells the workbook's JX_ names cover, all together
    visited_cells: int = 200_000  # cells the reader visits in the indicator blocks, all tables
    data_bytes: int = 16 * MB  # a JSON data file
    data_values: int = 500_000  # objects, lists, strings and numbers of a JSON data file
    data_depth: int = 64  # objects and lists inside one another
    data_number_chars: int = 40  # one number as written in a data file
    data_magnitude: int = 40  # |exponent| of a number in a data file (1e40)
    template_bytes: int = 1 * MB  # one file of a user's report template folder
    template_seconds: int = 30  # a user's report templates rendering
    template_memory: int = 1024 * MB  # what rendering them may add to the process (POSIX)
    markup_chars: int = 4_000_000  # the markup any report template writes


LIMITS = Limits()
CHUNK = 256 * 1024

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"
_EOCD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATIONS = (b"<!doctype", b"<!entity")
_CELL = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="\$?([A-Za-z]{1,3})\$?([0-9]{1,9})"')
_BARE_CELL = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ROW = re.compile(rb'<(?:\w+:)?row[\s/>](?:[^>]*?\br="([0-9]{1,9})")?')
_MERGE = re.compile(
    rb'<(?:\w+:)?mergeCell\s[^>]*?\bref="\$?([A-Za-z]{1,3})\$?([0-9]{1,9}):\$?([A-Za-z]{1,3})\$?([0-9]{1,9})"'
)
_SHEET = re.compile(r'<(?:\w+:)?sheet\s[^>]*?\bname="([^"]*)"[^>]*?\b\w+:id="([^"]*)"')
_REL = re.compile(r"<(?:\w+:)?Relationship\s[^>]*>")
_ATTR = re.compile(r'\b(Id|Target|TargetMode)="([^"]*)"')


@dataclass
class Inspection:
    """What :func:`inspect` found: the kind of content and the findings worth reporting."""

    kind: str  # "workbook", "zip", "xls" (an Excel 97-2003 compound file), "text" or "other"
    findings: list[Finding] = field(default_factory=list)


def refuse(path: Path, reason: str) -> InputError:
    """Return the InputError that refuses ``path`` for ``reason``."""
    return InputError(reason, place=str(path))


def inspect(path: str | Path, limits: Limits = LIMITS) -> Inspection:
    """Return what ``path`` holds; raise InputError when it is unusable or hostile."""
    path = Path(path)
    if not path.exists():
        raise refuse(path, "文件不存在")
    if path.is_dir():
        raise refuse(path, "这是文件夹，不是文件")
    size = path.stat().st_size
    if size == 0:
        raise refuse(path, "文件为空（0 字节），可能保存或复制未完成")
    if size > limits.file_bytes:
        raise refuse(path, f"文件过大（{size / MB:.0f} MB，上限 {limits.file_bytes // MB} MB）")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise refuse(path, f"无法读取文件（{exc.strerror or exc}；可能正被其他程序占用）") from None
    suffix = path.suffix.lower()
    findings = [*_lock_findings(path)]
    if head.startswith(_OLE_MAGIC):
        reason = _ole_reason(path)
        if suffix == ".xls" and reason == OLD_XLS:  # read as a table jixiao did not build (python-calamine)
            return Inspection("xls", findings)
        raise refuse(path, reason)
    if head.startswith((_ZIP_MAGIC, _EMPTY_ZIP)):
        kind, found = _inspect_zip(path, size, limits)
        findings.extend(found)
        if kind != "workbook" and suffix in OOXML_SUFFIXES:
            raise refuse(path, kind)
        if kind == "workbook" and suffix not in OOXML_SUFFIXES and suffix in (".json", ".xls"):
            raise refuse(path, f"内容是 Excel 工作簿，扩展名却是“{suffix}”；请把扩展名改为 .xlsx")
        return Inspection("workbook" if kind == "workbook" else "zip", findings)
    if suffix in OOXML_SUFFIXES or suffix in (".xls", ".ods"):
        raise refuse(path, _other_reason(path, head))
    return Inspection("text" if _looks_textual(path) else "other", findings)


def inspect_report(path: str | Path, limits: Limits = LIMITS) -> None:
    """Check a hand-written report (``check --report``) before it is read: a text within
    ``report_text_bytes``, or a .docx within the zip limits whose XML parts hold no DTD and stay
    within ``report_xml_bytes``; raise InputError otherwise."""
    path = Path(path)
    if not path.is_file():
        raise refuse(path, "报告文件不存在")
    size = path.stat().st_size
    if path.suffix.lower() != ".docx":
        if size > limits.report_text_bytes:
            limit = limits.report_text_bytes // MB
            raise refuse(path, f"报告文件过大（{size / MB:.0f} MB，文字报告上限 {limit} MB），已拒绝读取")
        return
    if size > limits.file_bytes:
        raise refuse(path, f"报告文件过大（{size / MB:.0f} MB，上限 {limits.file_bytes // MB} MB）")
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE_MAGIC):
        raise refuse(path, "是 Word 97-2003 文档（.doc）或加密的文档，无法读取；请在 Word 中另存为 .docx")
    if not head.startswith(_ZIP_MAGIC) or _inspect_zip(path, size, limits, document=True)[0] != "document":
        raise refuse(path, "不是 Word 文档（.docx），无法读取")


# ------------------------------------------------------------------ kinds of file


OLD_XLS = "是旧版 Excel 97-2003 工作簿（.xls），无法读取；请在 Excel 中另存为 .xlsx"


def _ole_reason(path: Path) -> str:
    """Return why an OLE2 compound file (encrypted OOXML, .xls, .doc …) cannot be read."""
    with path.open("rb") as handle:
        data = handle.read()
    if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
        return (
            "工作簿设有打开密码（已加密），无法读取；"
            "请在 Excel 中取消密码（文件→信息→保护工作簿）后另存为 .xlsx"
        )
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return OLD_XLS
    if "WordDocument".encode("utf-16-le") in data:
        return "是 Word 97-2003 文档（.doc），不是 Excel 工作簿"
    return "是旧版 Office 复合文档，不是 .xlsx 工作簿；请在 Excel 中另存为 .xlsx"


def _other_reason(path: Path, head: bytes) -> str:
    """Return what a file that is neither zip nor OLE2 seems to be, as a refusal reason."""
    with path.open("rb") as handle:
        start = handle.read(4096).lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if head.startswith(b"%PDF"):
        return "是 PDF 文件，不是 Excel 工作簿"
    if b"urn:schemas-microsoft-com:office:spreadsheet" in start:
        return "是 Excel 2003 XML 表格，无法读取；请在 Excel 中另存为 .xlsx"
    if start.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in start:
        return "是网页（HTML）文件，只是扩展名像工作簿（常见于系统导出）；请在 Excel 中打开后另存为 .xlsx"
    if start.startswith((b"{", b"[")):
        return "是 JSON 文本，不是 Excel 工作簿（数据文件请用 .json 扩展名）"
    if _looks_textual(path):
        return "是文本文件（如 CSV），不是 Excel 工作簿；请在 Excel 中另存为 .xlsx"
    return "不是 Excel 工作簿（文件内容不是 .xlsx 格式）"


def _looks_textual(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(4096)
    return b"\x00" not in start


def _zip_kind(names: set[str]) -> str:
    """Return "workbook", or why a zip with these member names is not one."""
    if "xl/workbook.xml" in names or any(n.startswith("xl/") and n.endswith("/workbook.xml") for n in names):
        return "workbook"
    if "xl/workbook.bin" in names:
        return "是二进制工作簿（.xlsb），无法读取；请在 Excel 中另存为 .xlsx"
    if "mimetype" in names or "content.xml" in names:
        return "是 OpenDocument 文件（如 WPS/LibreOffice 的 .ods），无法读取；请另存为 Excel 工作簿 .xlsx"
    if "word/document.xml" in names:
        return "是 Word 文档（.docx），不是 Excel 工作簿"
    if any(n.startswith("ppt/") for n in names):
        return "是 PowerPoint 演示文稿，不是 Excel 工作簿"
    return "是 zip 压缩包，不是 Excel 工作簿（其中没有 xl/workbook.xml）"


# ------------------------------------------------------------------ the zip


def _inspect_zip(path: Path, size: int, limits: Limits, document: bool = False) -> tuple[str, list[Finding]]:
    """Return the zip's kind and findings; raise InputError when it is corrupt or too big.

    With ``document`` the zip is read as a Word document: its kind is "document" when it holds
    word/document.xml, and every XML part is also held to ``limits.report_xml_bytes``.
    """
    _check_directory_record(path, size, limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise refuse(path, f"文件不完整或已损坏（{_zip_error(exc)}），可能下载或复制未完成") from None
    with archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        _check_declared(path, infos, limits)
        if len(set(names)) != len(names):
            raise refuse(path, "文件已损坏：压缩包中有重名的部件")
        if document:
            if "word/document.xml" not in names:
                return "not a document", []
            kind, scan = "document", _Scan(path, limits, {}, xml_bytes=limits.report_xml_bytes)
        else:
            kind = _zip_kind(set(names))
            if kind != "workbook":
                return kind, []
            scan = _Scan(path, limits, _sheet_titles(archive, set(names), limits))
        for info in infos:
            scan.member(archive, info)
        if document:
            return kind, []
        return kind, [*_external_links(archive, names), *_macro_findings(names)]


def _zip_error(exc: BaseException) -> str:
    text = str(exc)
    return "找不到压缩包目录" if "central directory" in text or "not a zip" in text.lower() else text


def _check_directory_record(path: Path, size: int, limits: Limits) -> None:
    """Refuse a zip whose end-of-directory record announces too many members or too big a directory."""
    with path.open("rb") as handle:
        handle.seek(max(0, size - (65_535 + _EOCD.size)))
        tail = handle.read()
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _EOCD.size > len(tail):
            return  # zipfile will say the file is truncated
        _, _, _, _, count, directory, _, _ = _EOCD.unpack_from(tail, at)
        locator = at - _ZIP64_LOCATOR.size
        if (count == 0xFFFF or directory == 0xFFFFFFFF) and locator >= 0:
            signature, _, offset, _ = _ZIP64_LOCATOR.unpack_from(tail, locator)
            if signature == b"PK\x06\x07" and offset + _ZIP64_EOCD.size <= size:
                handle.seek(offset)
                record = handle.read(_ZIP64_EOCD.size)
                if record[:4] == b"PK\x06\x06":
                    fields = _ZIP64_EOCD.unpack(record)
                    count, directory = fields[7], fields[8]
    if count > limits.members:
        raise refuse(path, f"压缩包部件过多（{count} 个，上限 {limits.members}），疑似恶意文件，已拒绝读取")
    if directory > limits.directory_bytes:
        raise refuse(path, f"压缩包目录过大（{directory} 字节），疑似恶意文件，已拒绝读取")


def _check_declared(path: Path, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse what the zip directory itself declares beyond the limits."""
    if len(infos) > limits.members:
        raise refuse(
            path, f"压缩包部件过多（{len(infos)} 个，上限 {limits.members}），疑似恶意文件，已拒绝读取"
        )
    total = 0
    for info in infos:
        _check_member_size(path, info.filename, info.file_size, info.compress_size, limits)
        total += info.file_size
        if total > limits.total_bytes:
            raise refuse(path, _bomb(f"解压后总大小超过 {limits.total_bytes // MB} MB"))


def _check_member_size(path: Path, part: str, size: int, compressed: int, limits: Limits) -> None:
    if size > limits.member_bytes:
        raise refuse(path, _bomb(f"部件 {part} 解压后超过 {limits.member_bytes // MB} MB"))
    if size > limits.ratio_floor and size > limits.ratio * max(compressed, 1):
        raise refuse(path, _bomb(f"部件 {part} 的压缩比超过 {limits.ratio}:1"))


def _bomb(detail: str) -> str:
    return f"{detail}，疑似“压缩炸弹”，已拒绝读取"


# ------------------------------------------------------------------ reading every member


class _Scan:
    """Decompresses every member once, counting real bytes and looking into the XML parts."""

    def __init__(
        self, path: Path, limits: Limits, sheets: dict[str, str], xml_bytes: int | None = None
    ) -> None:
        self.path, self.limits, self.sheets = path, limits, sheets
        self.xml_bytes = xml_bytes  # a cap on each XML part (a document's), beyond member_bytes
        self.total = 0
        self.cells = 0
        self.merged = 0  # merged cells of all sheets

    def member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        """Read ``info`` through, enforcing the limits on what it really holds."""
        part = info.filename
        xml = part.lower().endswith(_XML_SUFFIXES)
        sheet = _SheetCounter(self, part) if xml else None
        size = 0
        try:
            for chunk in self._chunks(archive, info, xml):
                size += len(chunk)
                self.total += len(chunk)
                _check_member_size(self.path, part, size, info.compress_size, self.limits)
                if xml and self.xml_bytes is not None and size > self.xml_bytes:
                    raise refuse(self.path, _bomb(f"部件 {part} 解压后超过 {self.xml_bytes // MB} MB"))
                if self.total > self.limits.total_bytes:
                    raise refuse(self.path, _bomb(f"解压后总大小超过 {self.limits.total_bytes // MB} MB"))
                if sheet is not None:
                    sheet.feed(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            reason = "受密码保护" if "encrypted" in str(exc) else f"{type(exc).__name__}: {exc}"
            raise refuse(self.path, f"文件已损坏：部件 {part} 无法解压（{reason}）") from None
        if sheet is not None:
            sheet.close()

    def _chunks(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, xml: bool) -> Iterator[bytes]:
        """Yield the member's bytes (as UTF-8 when the part is UTF-16 XML), chunk by chunk."""
        with archive.open(info) as stream:
            first = stream.read(CHUNK)
            decoder = _decoder_for(first) if xml else None
            chunk = first
            while chunk:
                if decoder is not None:
                    yield decoder.decode(chunk).encode("utf-8")
                else:
                    yield chunk
                chunk = stream.read(CHUNK)

    def where(self, part: str) -> str:
        """Return the sheet title of ``part`` with the part name, or the part name."""
        title = self.sheets.get(part)
        return f"工作表“{title}”（{part}）" if title else f"部件 {part}"


def _decoder_for(first: bytes) -> codecs.IncrementalDecoder | None:
    """Return a UTF-16 decoder when an XML part is not UTF-8 (so the scan sees its text)."""
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        return codecs.getincrementaldecoder("utf-16")(errors="replace")
    if first.startswith(b"<\x00"):
        return codecs.getincrementaldecoder("utf-16-le")(errors="replace")
    if first.startswith(b"\x00<"):
        return codecs.getincrementaldecoder("utf-16-be")(errors="replace")
    return None


class _SheetCounter:
    """Finds DTD/entity declarations in one XML part and counts its rows, cells and merged cells."""

    def __init__(self, scan: _Scan, part: str) -> None:
        self.scan, self.part, self.limits = scan, part, scan.limits
        self.tail = b""
        self.max_row = self.max_col = self.rows = self.merged = 0

    def feed(self, chunk: bytes) -> None:
        """Look at the next ``chunk`` of the part."""
        buffer = self.tail + chunk
        lowered = buffer.lower()
        for declaration in _DECLARATIONS:
            if declaration in lowered:
                raise refuse(
                    self.scan.path,
                    f"{self.scan.where(self.part)} 含 DTD 或实体声明（可能是“XML 炸弹”），已拒绝读取",
                )
        cut = buffer.rfind(b"<")
        if cut < 0 or len(buffer) - cut > self.limits.markup_run:
            if len(buffer) > self.limits.markup_run:
                raise refuse(self.scan.path, f"{self.scan.where(self.part)} 中有超长的标记或文本，已拒绝读取")
            cut = len(buffer)
        self._count(buffer[:cut])
        self.tail = buffer[cut:]

    def close(self) -> None:
        """Count what is left at the end of the part."""
        self._count(self.tail)
        self.tail = b""

    def _count(self, text: bytes) -> None:
        if b"<" not in text:
            return
        for match in _ROW.finditer(text):
            self.rows += 1
            self.max_row = max(self.max_row, int(match.group(1)) if match.group(1) else self.rows)
        cells = len(_BARE_CELL.findall(text))
        references = _CELL.findall(text)
        if references:  # each distinct column's letters converted once; the same maxima as cell by cell
            self.max_col = max(self.max_col, *map(_column_number, {letters for letters, _ in references}))
            self.max_row = max(self.max_row, *map(int, {digits for _, digits in references}))
        for match in _MERGE.finditer(text):
            c1, r1, c2, r2 = match.groups()
            area = (abs(_column_number(c2) - _column_number(c1)) + 1) * (abs(int(r2) - int(r1)) + 1)
            self.merged += area
            self.scan.merged += area
        self.scan.cells += cells
        where = self.scan.where(self.part)
        limits = self.limits
        if self.max_row > limits.rows:
            raise refuse(
                self.scan.path,
                f"{where}过大（用到第 {self.max_row} 行，上限 {limits.rows}）；请删除多余的行后再试",
            )
        if self.max_col > limits.columns:
            raise refuse(
                self.scan.path,
                f"{where}过大（用到第 {self.max_col} 列，上限 {limits.columns}）；请删除多余的列后再试",
            )
        if self.merged > limits.merged_cells:
            raise refuse(self.scan.path, f"{where}的合并单元格范围过大（{self.merged} 个单元格），已拒绝读取")
        if self.scan.merged > limits.merged_total:
            raise refuse(
                self.scan.path,
                f"工作簿的合并单元格合计过多（超过 {limits.merged_total} 个单元格，{where}），已拒绝读取",
            )
        if self.scan.cells > limits.cells:
            raise refuse(self.scan.path, f"工作簿单元格过多（超过 {limits.cells} 个，{where}），已拒绝读取")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


# ------------------------------------------------------------------ what the workbook refers to


def _relationships(archive: zipfile.ZipFile, rels_part: str) -> list[dict[str, str]]:
    """Return the relationships of ``rels_part`` (already scanned: small and without a DTD)."""
    try:
        text = archive.read(rels_part).decode("utf-8", errors="replace")
    except KeyError:
        return []
    return [dict(_ATTR.findall(tag)) for tag in _REL.findall(text)]


def _sheet_titles(archive: zipfile.ZipFile, names: set[str], limits: Limits) -> dict[str, str]:
    """Return the sheet title of each worksheet part, from xl/workbook.xml and its relationships."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return {}
    info = archive.getinfo("xl/workbook.xml")
    if info.file_size > limits.ratio_floor:  # read before the scan: only when small
        return {}
    text = archive.read(info).decode("utf-8", errors="replace")
    targets = {
        r.get("Id"): r.get("Target", "") for r in _relationships(archive, "xl/_rels/workbook.xml.rels")
    }
    titles = {}
    for title, rel_id in _SHEET.findall(text):
        target = targets.get(rel_id)
        if target:
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            titles[part] = _unescape(title)
    return titles


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


@rule("FILE-EXTERNAL-LINK")
def _external_links(archive: zipfile.ZipFile, names: list[str]) -> list[Finding]:
    """Return a finding for each external workbook the file links to (never opened)."""
    findings = []
    for part in names:
        if not re.fullmatch(r"xl/externalLinks/[^/]+\.xml", part):
            continue
        folder, base = posixpath.split(part)
        rels = _relationships(archive, f"{folder}/_rels/{base}.rels")
        targets = [r.get("Target", "") for r in rels if r.get("TargetMode") == "External"] or ["（未知）"]
        for target in targets:
            findings.append(make_finding("FILE-EXTERNAL-LINK", field=part, actual=_unescape(target)))
    return findings


@rule("FILE-MACROS")
def _macro_findings(names: list[str]) -> list[Finding]:
    """Return a finding when the workbook carries VBA macros (read as data, never run)."""
    parts = [
        n for n in names if posixpath.basename(n).lower() in ("vbaproject.bin", "vbaprojectsignature.bin")
    ]
    return [make_finding("FILE-MACROS", field=parts[0], part=parts[0])] if parts else []


# ------------------------------------------------------------------ the XML parser


def openpyxl_is_defused() -> bool:
    """Return True when openpyxl parses workbook XML with defusedxml (set up in ``jixiao/__init__``)."""
    import openpyxl

    return bool(openpyxl.DEFUSEDXML)


# ------------------------------------------------------------------ lock files


def lock_file(path: str | Path) -> Path | None:
    """Return the lock file Excel, WPS or LibreOffice keeps beside ``path`` while it is open, or None."""
    path = Path(path)
    candidates = [f"~${path.name}", f".~lock.{path.name}#"]
    if len(path.stem) > 7:  # Word and older Excel drop the first two characters of long names
        candidates.append(f"~${path.name[2:]}")
    for name in candidates:
        lock = path.with_name(name)
        try:
            if lock.is_file():
                return lock
        except OSError:  # the lock's name would be too long for the file system: there is none
            continue
    return None


@rule("FILE-LOCKED")
def _lock_findings(path: Path) -> list[Finding]:
    lock = lock_file(path)
    return [make_finding("FILE-LOCKED", field=path.name, actual=lock.name)] if lock else []
