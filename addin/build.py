"""Build the add-in ``jixiao.xlam`` and turn a workbook into a macro workbook with the same ribbon.

Both carry the customUI (linked from ``_rels/.rels``) and a ``vbaProject.bin`` written from the
text sources: the ribbon module in ``src/`` and xlwings' VBA runtime from the installed wheel.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import re
import zipfile
from importlib.util import find_spec
from pathlib import Path

from lxml import etree

from jixiao.addin import ribbon
from jixiao.addin.vba.project import Module, build_vba_project, document_module, module_from_source
from jixiao.errors import InputError
from jixiao.fileio import write_bytes_atomic

ADDIN_NAME = "jixiao.xlam"
PROJECT_NAME = "jixiao"  # xlwings reads its settings from %USERPROFILE%\.jixiao\jixiao.conf
XLWINGS_VERSION = "0.37.8"
XLWINGS_MISSING = (
    f'需要 xlwings {XLWINGS_VERSION} 才能生成加载项的 VBA 部分：请运行 pip install "jixiao[excel]"'
)

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
VBA_CT = "application/vnd.ms-office.vbaProject"
WORKBOOK_CT = {
    "xlam": "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
}


# ------------------------------------------------------------------ VBA sources


def _xlwings_dir() -> Path:
    spec = find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise InputError(XLWINGS_MISSING)
    return Path(spec.origin).parent


def xlwings_modules() -> list[Module]:
    """Return xlwings' VBA runtime for custom add-ins (module and Mac dictionary class) from the wheel."""
    base = _xlwings_dir()
    try:
        runtime = (base / "xlwings_custom_addin.bas").read_text(encoding="cp1252")
        dictionary = (base / "addin" / "Dictionary.cls").read_text(encoding="cp1252")
    except OSError:
        raise InputError(XLWINGS_MISSING) from None
    if f'XLWINGS_VERSION As String = "{XLWINGS_VERSION}"' not in runtime:
        raise InputError(f"已安装的 xlwings 版本不是 {XLWINGS_VERSION}；{XLWINGS_MISSING}")
    runtime = runtime.replace(
        'PROJECT_NAME As String = "myaddin"', f'PROJECT_NAME As String = "{PROJECT_NAME}"'
    )
    return [module_from_source(runtime), module_from_source(dictionary)]


def vba_modules() -> list[Module]:
    """Return every module of the jixiao VBA project, ``ThisWorkbook`` first."""
    own = module_from_source(ribbon.module_text())
    return [document_module("ThisWorkbook"), own, *xlwings_modules()]


def vba_project() -> bytes:
    """Return the bytes of the jixiao ``vbaProject.bin``."""
    return build_vba_project(vba_modules(), project_name=PROJECT_NAME)


# ------------------------------------------------------------------ package parts


def _parse(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_relationship(rels: bytes | None, rel_type: str, target: str) -> bytes:
    """Return ``rels`` with one relationship of ``rel_type`` pointing at ``target``."""
    root = _parse(rels) if rels else etree.Element(f"{{{REL_NS}}}Relationships", nsmap={None: REL_NS})
    for rel in root.findall(f"{{{REL_NS}}}Relationship"):
        if rel.get("Type") == rel_type:
            root.remove(rel)
    ids = {rel.get("Id") for rel in root}
    number = 1
    while f"rId{number}" in ids:
        number += 1
    etree.SubElement(root, f"{{{REL_NS}}}Relationship", Id=f"rId{number}", Type=rel_type, Target=target)
    return _serialize(root)


def _content_types(data: bytes, workbook_part: str, kind: str) -> bytes:
    root = _parse(data)
    defaults = {e.get("Extension").lower(): e for e in root.findall(f"{{{CT_NS}}}Default")}
    if "bin" in defaults:
        defaults["bin"].set("ContentType", VBA_CT)
    else:
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension="bin", ContentType=VBA_CT)
    if "xml" not in defaults:
        etree.SubElement(root, f"{{{CT_NS}}}Default", Extension="xml", ContentType="application/xml")
    for override in root.findall(f"{{{CT_NS}}}Override"):
        if override.get("PartName") in ("/xl/vbaProject.bin", "/" + ribbon.CUSTOMUI_PART):
            root.remove(override)
        elif override.get("PartName") == "/" + workbook_part:
            override.set("ContentType", WORKBOOK_CT[kind])
    return _serialize(root)


def _workbook_code_name(data: bytes) -> bytes:
    """Return workbook.xml whose ``workbookPr`` names the document module ``ThisWorkbook``."""
    root = _parse(data)
    pr = root.find(f"{{{MAIN_NS}}}workbookPr")
    if pr is None:
        pr = etree.Element(f"{{{MAIN_NS}}}workbookPr")
        anchor = root.find(f"{{{MAIN_NS}}}fileVersion")
        anchor = anchor if anchor is not None else root.find(f"{{{MAIN_NS}}}fileSharing")
        root.insert(0 if anchor is None else root.index(anchor) + 1, pr)
    pr.set("codeName", "ThisWorkbook")
    return _serialize(root)


def _workbook_part(parts: dict[str, bytes]) -> str:
    rels = _parse(parts["_rels/.rels"])
    for rel in rels.findall(f"{{{REL_NS}}}Relationship"):
        if rel.get("Type") == OFFICE_DOCUMENT:
            return posixpath.normpath(rel.get("Target").lstrip("/"))
    raise InputError("不是 Excel 工作簿（缺少 officeDocument 关系）")


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _read_parts(source: bytes | Path) -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as z:
            return {name: z.read(name) for name in z.namelist()}
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"无法作为 Excel 工作簿打开（{exc}）", place=str(source)[:200]) from None


def _write_parts(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    order = ["[Content_Types].xml", *[n for n in parts if n != "[Content_Types].xml"]]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, parts[name])
    return out.getvalue()


def with_ribbon(package: bytes | Path, kind: str = "xlsm", vba: bytes | None = None) -> bytes:
    """Return the workbook ``package`` as an .xlsm (or .xlam) carrying the jixiao ribbon and VBA."""
    parts = _read_parts(package)
    if "[Content_Types].xml" not in parts or "_rels/.rels" not in parts:
        raise InputError("不是 Excel 工作簿（缺少包结构文件）")
    workbook = _workbook_part(parts)
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"], workbook, kind)
    parts[workbook] = _workbook_code_name(parts[workbook])
    folder = posixpath.dirname(workbook)
    wb_rels = _rels_of(workbook)
    parts[wb_rels] = _add_relationship(parts.get(wb_rels), VBA_REL, "vbaProject.bin")
    parts[posixpath.join(folder, "vbaProject.bin")] = vba if vba is not None else vba_project()
    parts[ribbon.CUSTOMUI_PART] = ribbon.customui_xml()
    parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"], ribbon.CUSTOMUI_REL, ribbon.CUSTOMUI_PART)
    return _write_parts(parts)


def restore_ribbon_link(path: Path) -> bool:
    """Re-link the customUI from ``_rels/.rels`` after openpyxl saved a macro workbook; return True if fixed.

    openpyxl (``keep_vba=True``) keeps ``customUI/*.xml`` but drops its relationship.
    """
    parts = _read_parts(Path(path))
    if ribbon.CUSTOMUI_PART not in parts:
        return False
    rels = _parse(parts["_rels/.rels"])
    if any(r.get("Type") == ribbon.CUSTOMUI_REL for r in rels):
        return False
    parts["_rels/.rels"] = _add_relationship(parts["_rels/.rels"], ribbon.CUSTOMUI_REL, ribbon.CUSTOMUI_PART)
    write_bytes_atomic(Path(path), _write_parts(parts))
    return True


def make_macro_workbook(source: Path, destination: Path) -> Path:
    """Write ``destination`` (.xlsm): the workbook ``source`` with the jixiao ribbon and VBA; return it.

    This is what ``jixiao new --macro`` calls after building the .xlsx.
    """
    destination = Path(destination)
    if destination.suffix.lower() != ".xlsm":
        raise InputError("带宏的工作簿文件名须以 .xlsm 结尾", place=str(destination))
    write_bytes_atomic(destination, with_ribbon(Path(source), "xlsm"))
    return destination


def _addin_workbook() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.code_name = "ThisWorkbook"
    fixed = datetime.datetime(2000, 1, 1)  # no build time in the file: the same sources give the same bytes
    wb.properties.created = wb.properties.modified = fixed
    ws = wb.active
    ws.title = "jixiao"
    ws["A1"] = "绩效自评加载项（jixiao.xlam）。本文件由 jixiao addin build 生成，请勿直接编辑。"
    out = io.BytesIO()
    wb.save(out)
    parts = _read_parts(out.getvalue())
    core = parts["docProps/core.xml"].decode("utf-8")  # openpyxl stamps the save time as modified
    parts["docProps/core.xml"] = re.sub(
        r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", r"\g<1>2000-01-01T00:00:00Z\g<2>", core
    ).encode("utf-8")
    return _write_parts(parts)


def build_addin(out_dir: Path) -> Path:
    """Write ``jixiao.xlam`` into ``out_dir``; return its path."""
    path = Path(out_dir) / ADDIN_NAME
    write_bytes_atomic(path, with_ribbon(_addin_workbook(), "xlam"))
    return path
