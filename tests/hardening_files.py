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
DEMO_NAME = "株洲市行业办公室2022年度绩效自评.xlsx"


@cache
def demo_bytes() -> bytes:
    """Return the bytes of the scored sample workbook (built once per process, no report, no LibreOffice)."""
    from jixiao.samples import load_sample
    from jixiao.workbook.scored import build_scored

    folder = Path(tempfile.mkdtemp(prefix="jixiao-hardening-"))
    build_scored(load_sample()[0], folder / DEMO_NAME)
    return (folder / DEMO_NAME).read_bytes()


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
