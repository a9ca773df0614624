"""The ribbon's text sources (customUI XML, the VBA module) and what they declare."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

from lxml import etree

CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_PART = "customUI/customUI14.xml"
CUSTOMUI_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_MODULE = "JixiaoRibbon.bas"
_RUNPYTHON = re.compile(r'RunPython\s+"import ([\w.]+);\s*([\w.]+)\(')


@dataclass(frozen=True)
class Control:
    """A ribbon control that runs a macro: its id, Chinese label and VBA callback."""

    id: str
    label: str
    on_action: str


def source_text(name: str) -> str:
    """Return the text of a source file shipped in ``jixiao/addin/src``."""
    return resources.files("jixiao.addin").joinpath("src", name).read_text(encoding="utf-8")


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
