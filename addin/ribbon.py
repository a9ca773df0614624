"""The ribbon's text sources (customUI XML, the VBA module) and what they declare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from lxml import etree

from jixiao.resources import load_data

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_MODULE = "JixiaoRibbon.bas"
MESSAGES_LINE = "'@messages"  # where the build puts the module's Chinese text (data/ribbon_text.toml)
_RUNPYTHON = re.compile(r'RunPython\s*\(?\s*"import ([\w.]+);\s*([\w.]+)\(')
_CONST = re.compile(r'^Private Const (\w+) As String = ((?:"[0-9A-F ]*"(?: & _\r?\n\s*)?)+)', re.MULTILINE)
_CHUNK = 40  # code units per line of a constant: a VBA line holds at most 1023 characters
_MAX_LINES = 25  # VBA allows 24 line continuations in one statement


@dataclass(frozen=True)
class Control:
    """A ribbon control that runs a macro: its id, Chinese label and VBA callback."""

    id: str
    label: str
    on_action: str


def source_text(name: str) -> str:
    """Return the text of a source file shipped in ``jixiao/addin/src``."""
    return resources.files("jixiao.addin").joinpath("src", name).read_text(encoding="utf-8")


def vba_codes(text: str) -> str:
    """Return ``text`` as the space-separated hexadecimal UTF-16 code units that the VBA ``Zh`` decodes."""
    data = text.encode("utf-16-le")
    return " ".join(f"{int.from_bytes(data[i : i + 2], 'little'):04X}" for i in range(0, len(data), 2))


def vba_text(codes: str) -> str:
    """Return the text of hexadecimal UTF-16 code units (what ``Zh`` gives in VBA)."""
    data = b"".join(int(code, 16).to_bytes(2, "little") for code in codes.split())
    return data.decode("utf-16-le")


def messages() -> dict[str, str]:
    """Return the Chinese text of the VBA module by constant name (``data/ribbon_text.toml``)."""
    return load_data("ribbon_text.toml", "jixiao.addin")


def _constant(name: str, text: str) -> str:
    codes = vba_codes(text).split()
    lines = [" ".join(codes[i : i + _CHUNK]) for i in range(0, len(codes), _CHUNK)] or [""]
    if len(lines) > _MAX_LINES:
        raise ValueError(f"the VBA text {name} is too long for one constant")
    # Each line but the last ends with a space: VBA joins the pieces as they are.
    pieces = [f'"{line} "' for line in lines[:-1]] + [f'"{lines[-1]}"']
    return f"Private Const {name} As String = " + " & _\n    ".join(pieces)


def module_text() -> str:
    """Return the ribbon's VBA module as built: the source with its Chinese text as ASCII constants."""
    source = source_text(RIBBON_MODULE).replace("\r\n", "\n")
    if source.count(MESSAGES_LINE + "\n") != 1:
        raise ValueError(f"{RIBBON_MODULE} must hold the line {MESSAGES_LINE!r} once")
    constants = "\n".join(_constant(name, text) for name, text in messages().items())
    return source.replace(MESSAGES_LINE + "\n", constants + "\n")


def vba_constants(vba: str) -> dict[str, str]:
    """Return the text of every ``Private Const … As String`` of code units in the VBA source ``vba``."""
    return {
        name: vba_text("".join(re.findall(r'"([0-9A-F ]*)"', value))) for name, value in _CONST.findall(vba)
    }


def customui_xml() -> bytes:
    """Return the customUI part as UTF-8 bytes."""
    return source_text("customUI14.xml").encode("utf-8")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=False)


def controls(xml: bytes | None = None) -> list[Control]:
    """Return the controls of the customUI that have an ``onAction``, in ribbon order."""
    root = etree.fromstring(xml if xml is not None else customui_xml(), _parser())
    return [
        Control(e.get("id"), e.get("label"), e.get("onAction"))
        for e in root.iter()
        if isinstance(e.tag, str) and e.get("onAction")
    ]


def runpython_targets(vba: str) -> list[tuple[str, str]]:
    """Return the (module, function) pairs the VBA source hands to ``RunPython``."""
    return _RUNPYTHON.findall(vba)
