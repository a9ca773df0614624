"""Write ``vbaProject.bin`` from VBA source text ([MS-OVBA] §2.2–2.3).

The project holds no compiled code (``_VBA_PROJECT`` version 0xFFFF and no performance caches),
so Excel compiles the modules from source the first time it opens the file. Source text is
stored in the project's code page (Windows-1252), but every module must be pure ASCII: Excel reads
module text in the code page of the PC that opens it (GBK on a Chinese Windows), where anything
beyond ASCII — even a cp1252 "é" — turns into other characters. Chinese goes through ``ChrW``.
"""

from __future__ import annotations

import re
import struct
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from jixiao.addin.vba import ovba
from jixiao.addin.vba.cfb import write_cfb
from jixiao.errors import InputError

CODEPAGE = 1252
ENCODING = "cp1252"
LCID = 0x0409
PROCEDURAL, CLASS, DOCUMENT = "Module", "Class", "Document"
WORKBOOK_BASE = "{00020819-0000-0000-C000-000000000046}"
SHEET_BASE = "{00020820-0000-0000-C000-000000000046}"
CLASS_BASE = "{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
REFERENCES = (  # name, LibidRegistered
    (
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    (
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
        r"#Microsoft Office 16.0 Object Library",
    ),
)


@dataclass(frozen=True)
class Module:
    """One VBA module: its name, kind (Module / Class / Document) and stored source text."""

    name: str
    kind: str
    code: str


_CLS_HEADER = re.compile(r"\AVERSION [^\n]*\nBEGIN\n(?:[^\n]*\n)*?END\n")
_NAME = re.compile(r'^Attribute VB_Name = "([^"]+)"', re.MULTILINE)


def _crlf(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\n", "\r\n")


def _document_code(name: str, base: str) -> str:
    lines = [
        f'Attribute VB_Name = "{name}"',
        f'Attribute VB_Base = "0{base}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = True",
        "Attribute VB_Exposed = True",
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = True",
    ]
    return "\r\n".join(lines) + "\r\n"


def document_module(name: str, sheet: bool = False) -> Module:
    """Return the empty document module of the workbook (``ThisWorkbook``) or of a sheet."""
    return Module(name, DOCUMENT, _document_code(name, SHEET_BASE if sheet else WORKBOOK_BASE))


def module_from_source(text: str, name: str | None = None) -> Module:
    """Return the module a ``.bas`` or ``.cls`` export holds (``name`` overrides VB_Name)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    header = _CLS_HEADER.match(text)
    kind = PROCEDURAL
    if header:
        kind = CLASS
        text = text[header.end() :]
        text = re.sub(r'^(Attribute VB_Name = "[^"]+"\n)', rf'\1Attribute VB_Base = "0{CLASS_BASE}"\n', text)
        text = re.sub(
            r"^(Attribute VB_Exposed = \w+\n)",
            r"\1Attribute VB_TemplateDerived = False\nAttribute VB_Customizable = False\n",
            text,
            flags=re.MULTILINE,
        )
    found = _NAME.search(text)
    if found is None:
        raise ValueError("VBA source has no 'Attribute VB_Name' line")
    if name is not None and name != found.group(1):
        text = text[: found.start(1)] + name + text[found.end(1) :]
    return Module(name or found.group(1), kind, _crlf(text))


# ------------------------------------------------------------------ dir stream


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _u32(rid: int, value: int) -> bytes:
    return _record(rid, struct.pack("<I", value))


def _text(rid: int, unicode_rid: int, value: str) -> bytes:
    return _record(rid, value.encode(ENCODING)) + _record(unicode_rid, value.encode("utf-16-le"))


def dir_stream(project_name: str, modules: Iterable[Module]) -> bytes:
    """Return the uncompressed ``VBA/dir`` stream describing ``modules``."""
    modules = list(modules)
    out = bytearray()
    out += _u32(0x0001, 1)  # SysKind: 32-bit Windows
    out += _u32(0x0002, LCID)
    out += _u32(0x0014, LCID)
    out += _record(0x0003, struct.pack("<H", CODEPAGE))
    out += _record(0x0004, project_name.encode(ENCODING))
    out += _text(0x0005, 0x0040, "")  # docstring
    out += _text(0x0006, 0x003D, "")  # help file
    out += _u32(0x0007, 0)  # help context
    out += _u32(0x0008, 0)  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 0x65BE0257, 17)  # version (Reserved=4, major, minor)
    out += _text(0x000C, 0x003C, "")  # constants
    for name, libid in REFERENCES:
        out += _text(0x0016, 0x003E, name)
        encoded = libid.encode(ENCODING)
        body = struct.pack("<I", len(encoded)) + encoded + struct.pack("<IH", 0, 0)
        out += _record(0x000D, body)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # project cookie
    for m in modules:
        out += _record(0x0019, m.name.encode(ENCODING))
        out += _record(0x0047, m.name.encode("utf-16-le"))
        out += _text(0x001A, 0x0032, m.name)  # stream name
        out += _text(0x001C, 0x0048, "")  # docstring
        out += _u32(0x0031, 0)  # text offset: no performance cache
        out += _u32(0x001E, 0)  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # cookie
        out += _record(0x0021 if m.kind == PROCEDURAL else 0x0022, b"")
        out += _record(0x002B, b"")
    out += _record(0x0010, b"")
    return bytes(out)


def project_stream(project_name: str, project_id: str, modules: Iterable[Module]) -> bytes:
    """Return the ``PROJECT`` stream (the project's properties as text)."""
    lines = [f'ID="{project_id}"']
    for m in modules:
        lines.append(f"Document={m.name}/&H00000000" if m.kind == DOCUMENT else f"{m.kind}={m.name}")
    lines += [f'Name="{project_name}"', 'HelpContextID="0"', 'VersionCompatible32="393222000"']
    for key, value in (("CMG", b"\x00\x00\x00\x00"), ("DPB", b"\x00"), ("GC", b"\xff")):
        lines.append(f'{key}="{ovba.encrypt(project_id, value).hex().upper()}"')
    lines += ["", "[Host Extender Info]", HOST_EXTENDER, "", "[Workspace]"]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in modules]
    return ("\r\n".join(lines) + "\r\n").encode(ENCODING)


def ensure_ascii(module: Module) -> None:
    """Raise :class:`InputError` naming the line and column of the first non-ASCII character of ``module``."""
    for number, line in enumerate(module.code.splitlines(), start=1):
        for column, char in enumerate(line, start=1):
            if not char.isascii():
                raise InputError(
                    f"第 {number} 行第 {column} 列是非 ASCII 字符“{char}”（U+{ord(char):04X}）。"
                    "VBA 源码须为纯 ASCII：中文请写进 addin/data/ribbon_text.toml，由 ChrW 还原",
                    place=f"VBA 模块 {module.name}",
                )


def build_vba_project(modules: Iterable[Module], project_name: str = "VBAProject") -> bytes:
    """Return the bytes of a ``vbaProject.bin`` holding ``modules`` as source (each pure ASCII)."""
    modules = list(modules)
    for m in modules:
        ensure_ascii(m)
    names = [m.name.lower() for m in modules]
    if len(set(names)) != len(names):
        raise ValueError("duplicate VBA module names")
    project_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "jixiao:" + project_name)).upper() + "}"
    streams = {
        "PROJECT": project_stream(project_name, project_id, modules),
        "PROJECTwm": b"".join(
            m.name.encode(ENCODING) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00" for m in modules
        )
        + b"\x00\x00",
        "VBA/_VBA_PROJECT": struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0003),
        "VBA/dir": ovba.compress(dir_stream(project_name, modules)),
    }
    for m in modules:
        streams[f"VBA/{m.name}"] = ovba.compress(m.code.encode(ENCODING))
    return write_cfb(streams)
