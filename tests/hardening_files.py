"""Broken and hostile files built on the fly (small on disk), for the hardening tests and bench/."""

from __future__ import annotations

import io
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MB = 1024 * 1024
R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DEMO_NAME = "株洲市行业办公室2022年度绩效自评.xlsx"


@cache
def demo_bytes() -> bytes:
    """Return the bytes of the scored sample workbook (built once per process, no report, no LibreOffice)."""
    from jixiao.samples import load_sample
    from jixiao.workbook.scored import build_scored

    folder = Path(tempfile.mkdtemp(prefix="jixiao-hardening-"))
    build_scored(load_sample()[0], folder / DEMO_NAME)
    return (folder / DEMO_NAME).read_bytes()


def input_cells(wb) -> list[tuple[str, str]]:
    """Return (sheet, cell) of every input cell of ``wb``: the unlocked cells of its protected sheets."""
    return [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        if ws.protection.sheet
        for row in ws.iter_rows()
        for c in row
        if type(c).__name__ != "MergedCell" and not c.protection.locked
    ]


def demo_members() -> dict[str, bytes]:
    """Return the sample workbook's parts by name."""
    with zipfile.ZipFile(io.BytesIO(demo_bytes())) as z:
        return {name: z.read(name) for name in z.namelist()}


def rezip(members: dict[str, bytes | None], base: dict[str, bytes] | None = None) -> bytes:
    """Return a zip of ``base`` (default: the sample's parts) with ``members`` replaced (None removes)."""
    parts = dict(base if base is not None else demo_members())
    for name, data in members.items():
        if data is None:
            parts.pop(name, None)
        else:
            parts[name] = data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


# ------------------------------------------------------------------ zips written by hand


@dataclass
class RawMember:
    """A zip member given as raw (already deflated) data and the sizes its headers declare."""

    name: str
    data: bytes
    size: int
    crc: int = 0
    method: int = zipfile.ZIP_DEFLATED


def raw_zip(members: list[RawMember]) -> bytes:
    """Return a zip whose headers say what ``members`` declare, whatever the data really holds."""
    out = io.BytesIO()
    central = []
    for m in members:
        offset = out.tell()
        name = m.name.encode("utf-8")
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, m.method, 0, 0x21, m.crc,
                              len(m.data), m.size, len(name), 0))  # fmt: skip
        out.write(name + m.data)
        central.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0x800,
                m.method,
                0,
                0x21,
                m.crc,
                len(m.data),
                m.size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + name
        )
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0)
    )
    return out.getvalue()


def deflated_zeros(megabytes: int) -> bytes:
    """Return a raw deflate stream of ``megabytes`` MB of zeros, built in milliseconds (~1 KB per MB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return block * megabytes + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def deflated(data: bytes) -> bytes:
    """Return ``data`` as a raw deflate stream."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def bomb_workbook(megabytes: int, members: int = 1, lying: bool = False) -> bytes:
    """Return the sample workbook plus ``members`` parts of ``megabytes`` MB of zeros each.

    With ``lying`` the zip directory declares 1 KB for each bomb part.
    """
    parts = [RawMember(n, deflated(d), len(d), zlib.crc32(d)) for n, d in demo_members().items()]
    kernel = deflated_zeros(megabytes)
    for i in range(members):
        parts.append(RawMember(f"xl/media/padding{i}.xml", kernel, 1024 if lying else megabytes * MB))
    return raw_zip(parts)


def billion_laughs(levels: int = 10, encoding: str = "utf-8") -> bytes:
    """Return a sharedStrings part whose entities expand to 10**levels copies of 'lol'."""
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE sst [", '<!ENTITY lol0 "lol">']
    for i in range(1, levels):
        lines.append(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">')
    lines.append("]>")
    lines.append(
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        f"<si><t>&lol{levels - 1};</t></si></sst>"
    )
    return "\n".join(lines).encode(encoding)


def with_shared_strings(part: bytes) -> bytes:
    """Return the sample workbook with ``part`` as its shared strings, declared in [Content_Types].xml."""
    types = demo_members()["[Content_Types].xml"]
    override = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    if b"/xl/sharedStrings.xml" not in types:
        types = types.replace(b"</Types>", override + b"</Types>")
    return rezip({"xl/sharedStrings.xml": part, "[Content_Types].xml": types})


def external_entity() -> bytes:
    """Return a sharedStrings part that pulls in a local file through an external entity (XXE)."""
    return (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>'
    )


def with_sheet_xml(transform) -> bytes:
    """Return the sample workbook with its first sheet's XML passed through ``transform`` (bytes→bytes)."""
    members = demo_members()
    name = "xl/worksheets/sheet1.xml"
    return rezip({name: transform(members[name])})


def far_cell(xml: bytes) -> bytes:
    """Return sheet XML with one more cell at XFD1048576 (the last cell Excel has)."""
    extra = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    return xml.replace(b"</sheetData>", extra, 1)


def huge_merge(xml: bytes) -> bytes:
    """Return sheet XML with a merged range over a whole block of columns (AA1:AZ1048576)."""
    merge = b'<mergeCell ref="AA1:AZ1048576"/>'
    if b"</mergeCells>" in xml:
        return xml.replace(b"</mergeCells>", merge + b"</mergeCells>", 1)
    return xml.replace(b"</sheetData>", b"</sheetData><mergeCells>" + merge + b"</mergeCells>", 1)


def with_extra_merged_sheets(count: int, ref: str = "A1:ALL199") -> bytes:
    """Return the sample workbook with ``count`` more sheets, each holding one merged range ``ref``
    (within the per-sheet limit; together hundreds of times over it). Small on disk."""
    members = demo_members()
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/>'
        b'<mergeCells count="1"><mergeCell ref="' + ref.encode() + b'"/></mergeCells></worksheet>'
    )
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    workbook = members["xl/workbook.xml"].decode()
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    types = members["[Content_Types].xml"].decode()
    extra: dict[str, bytes | None] = {}
    sheets, links, overrides = [], [], []
    for i in range(count):
        part = f"worksheets/extra{i}.xml"
        extra[f"xl/{part}"] = sheet
        sheets.append(f'<sheet xmlns:r="{R_NAMESPACE}" name="额外{i}" sheetId="{1000 + i}" r:id="rIdX{i}"/>')
        links.append(f'<Relationship Id="rIdX{i}" Type="{rel}" Target="{part}"/>')
        overrides.append(f'<Override PartName="/xl/{part}" ContentType="{kind}"/>')
    extra["xl/workbook.xml"] = workbook.replace("</sheets>", "".join(sheets) + "</sheets>").encode()
    extra["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", "".join(links) + "</Relationships>"
    ).encode()
    extra["[Content_Types].xml"] = types.replace("</Types>", "".join(overrides) + "</Types>").encode()
    return rezip(extra)


def with_defined_name(name: str, target: str) -> bytes:
    """Return the sample workbook with the defined name ``name`` pointing at ``target`` instead."""
    import re

    members = demo_members()
    workbook = members["xl/workbook.xml"].decode()
    pattern = rf'(<definedName name="{name}"[^>]*>)[^<]*(</definedName>)'
    assert re.search(pattern, workbook), name
    replaced = re.sub(pattern, lambda m: m.group(1) + target.replace("&", "&amp;") + m.group(2), workbook)
    return rezip({"xl/workbook.xml": replaced.encode()})


def docx_bomb(megabytes: int) -> bytes:
    """Return a .docx whose document.xml is ``megabytes`` MB of numbered paragraphs (a few MB on disk)."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w='
        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
    )
    paragraphs, size, i = [], 0, 0
    while size < megabytes * MB:
        text = f"第{i}段：2022年度基本支出 {i * 7919 % 100003} 万元"
        paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
        paragraphs.append(paragraph)
        size += len(paragraph)
        i += 1
    body = b"".join(paragraphs)
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
        b'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr("word/document.xml", head + body + b"</w:body></w:document>")
    return out.getvalue()


def refusal(read, path: Path, *words: str, peak_mb: int = 64) -> str:
    """Return the InputError message of ``read(path)``: one line, naming the file, holding ``words``,
    reached while tracing under ``peak_mb`` MB of memory."""
    import tracemalloc

    import pytest

    from jixiao.errors import InputError

    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path)), message
    for word in words:
        assert word in message, message
    assert peak < peak_mb * MB, peak
    return message


def compound_file(streams: dict[str, bytes]) -> bytes:
    """Return an OLE2 compound file holding ``streams`` (an encrypted workbook, an .xls)."""
    from jixiao.addin.vba.cfb import write_cfb

    return write_cfb(streams)


def encrypted_workbook() -> bytes:
    """Return what Excel writes for a workbook with an open password: EncryptionInfo + EncryptedPackage."""
    return compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(200), "EncryptedPackage": bytes(4096)}
    )


def old_xls() -> bytes:
    """Return an Excel 97-2003 file: a compound file with a Workbook stream."""
    return compound_file({"Workbook": b"\x09\x08\x10\x00" + bytes(4092)})


def ods() -> bytes:
    """Return an OpenDocument spreadsheet (mimetype first, stored)."""
    return rezip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"<office:document-content/>",
        },
        base={},
    )


def corrupt_member(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """Return ``data`` with one byte flipped in the middle of ``part``'s compressed data."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        info = z.getinfo(part)
    header = info.header_offset
    name_len, extra_len = struct.unpack_from("<2H", data, header + 26)
    start = header + 30 + name_len + extra_len
    at = start + info.compress_size // 2
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def broken_files() -> dict[str, tuple[bytes, str, str]]:
    """Return broken and hostile files by label: (bytes, file suffix, words the refusal must contain)."""
    demo = demo_bytes()
    return {
        "empty": (b"", ".xlsx", "文件为空"),
        "text": ("单位,年度\n某局,2024\n".encode(), ".xlsx", "文本文件"),
        "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", ".xlsx", "PDF"),
        "html": (b"<html><body><table><tr><td>1</td></tr></table></body></html>", ".xls", "网页"),
        "truncated": (demo[: len(demo) // 2], ".xlsx", "不完整或已损坏"),
        "corrupt-byte": (corrupt_member(demo), ".xlsx", "已损坏"),
        "encrypted": (encrypted_workbook(), ".xlsx", "密码"),
        "xls": (old_xls(), ".xls", ".xls"),
        "ods": (ods(), ".xlsx", "OpenDocument"),
        "docx": (rezip({"word/document.xml": b"<w:document/>"}, base={}), ".xlsx", "Word"),
        "zip-bomb": (bomb_workbook(1024), ".xlsx", "压缩炸弹"),
        "lying-zip-bomb": (bomb_workbook(1024, lying=True), ".xlsx", "已损坏"),
        "billion-laughs": (with_shared_strings(billion_laughs()), ".xlsx", "sharedStrings"),
        "billion-laughs-utf16": (
            with_shared_strings(billion_laughs(encoding="utf-16")),
            ".xlsx",
            "实体声明",
        ),
        "external-entity": (with_shared_strings(external_entity()), ".xlsx", "实体声明"),
        "far-cell": (with_sheet_xml(far_cell), ".xlsx", "1048576"),
        "huge-merge": (with_sheet_xml(huge_merge), ".xlsx", "合并单元格"),
    }
