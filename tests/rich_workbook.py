"""The sample workbook as an accountant's office leaves it: parts openpyxl cannot keep, added at the
XML level (never through openpyxl) — a scanned seal as a picture, a text box, a chart, a sparkline,
a cross-sheet drop-down (x14), a data bar, a custom XML part from the OA system, the user's own
comment and fill on a cell that has a finding, shared strings, printer settings, cached formula
values (a stale one on a jixiao cell among them) and one sheet written with ``x:`` prefixes."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from tests.hardening_files import demo_members

DATA = Path(__file__).parent / "data" / "rich"

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
X14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
XM = "http://schemas.microsoft.com/office/excel/2006/main"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
BAR_ID = "{00000000-000E-0000-0000-000001000000}"
USER_FILL_RGB = "FF92D050"  # the accountant's green
COMMENT = "审核意见：此项得分请财务科再核实（王会计）"
SHARED = "公章扫描件见右侧"


@dataclass
class Rich:
    """The rich workbook's parts, and where its user-owned pieces are."""

    members: dict[str, bytes]
    t12_part: str
    info_part: str
    prefixed_part: str
    marked_cell: str  # a 附件1-2 cell with a finding, carrying the user's comment and fill
    user_formula: str  # the user's own formula cell on 附件1-2, with its cached value


def png() -> bytes:
    """Return a 2×2 red PNG (the 'seal')."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    )


def _sheet_parts(members: dict[str, bytes]) -> dict[str, str]:
    workbook = members["xl/workbook.xml"].decode()
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    targets = {m.group(2): m.group(1) for m in re.finditer(r'Target="([^"]+)" Id="([^"]+)"', rels)}
    targets.update({m.group(1): m.group(2) for m in re.finditer(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels)})
    parts = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
        parts[name] = targets[rid].lstrip("/")
    return parts


def _insert_before(xml: str, marker: str, text: str) -> str:
    at = xml.index(marker)
    return xml[:at] + text + xml[at:]


def _append_to_row(xml: str, row: int, cell: str) -> str:
    match = re.search(rf'<row r="{row}"[^>]*>.*?</row>', xml, re.S)
    assert match is not None, row
    end = match.end() - len("</row>")
    return xml[:end] + cell + xml[end:]


def _rels(*items: tuple[str, str, str]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{g}"/>' for i, t, g in items)
    return f'{HEAD}<Relationships xmlns="{PKG}">{body}</Relationships>'.encode()


def _with_rel(rels: bytes | None, rid: str, kind: str, target: str) -> bytes:
    if rels is None:
        return _rels((rid, kind, target))
    text = rels.decode()
    return text.replace(
        "</Relationships>", f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"/></Relationships>'
    ).encode()


def prefixed(xml: bytes) -> bytes:
    """Return a SpreadsheetML part rewritten with the ``x:`` prefix, as some tools write it."""
    text = xml.decode("utf-8")
    text = text.replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"', 1)
    return re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1x:\2", text).encode("utf-8")


DRAWING = (DATA / "drawing1.xml").read_text(encoding="utf-8")

CHART = (DATA / "chart1.xml").read_text(encoding="utf-8")

VML = (DATA / "vmlDrawing.vml").read_text(encoding="utf-8")


def extension_list(marked: str) -> str:
    """Return the 附件1-2 extLst: a sparkline, a cross-sheet drop-down and the data bar's x14 part."""
    return (
        f'<extLst xmlns:x14="{X14}" xmlns:xm="{XM}">'
        '<ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}">'
        "<x14:conditionalFormattings><x14:conditionalFormatting>"
        f'<x14:cfRule type="dataBar" id="{BAR_ID}">'
        '<x14:dataBar minLength="0" maxLength="100">'
        '<x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/></x14:dataBar></x14:cfRule>'
        "<xm:sqref>G14:G20</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext>"
        '<ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"><x14:dataValidations count="1">'
        '<x14:dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1">'
        "<x14:formula1><xm:f>'基本信息'!$A$3:$A$5</xm:f></x14:formula1><xm:sqref>R16</xm:sqref>"
        "</x14:dataValidation></x14:dataValidations></ext>"
        '<ext uri="{05C60535-1F16-4fd2-B633-F4F36F0B64E0}"><x14:sparklineGroups>'
        '<x14:sparklineGroup displayEmptyCellsAs="gap"><x14:colorSeries rgb="FF376092"/>'
        "<x14:sparklines><x14:sparkline><xm:f>'附件1-2'!G14:G20</xm:f><xm:sqref>AZ15</xm:sqref>"
        "</x14:sparkline></x14:sparklines>"
        "</x14:sparklineGroup></x14:sparklineGroups></ext></extLst>"
    )


def rich_members(marked: str) -> Rich:
    """Return the scored sample's parts with every user-owned piece added; ``marked`` is a 附件1-2 cell
    that has a finding (it gets the user's comment and fill)."""
    members = dict(demo_members())
    sheets = _sheet_parts(members)
    t12, info, prefixed_part = sheets["附件1-2"], sheets["基本信息"], sheets["附件1-3(2)"]
    types = members["[Content_Types].xml"].decode()
    overrides = [
        ("/xl/drawings/drawing1.xml", "application/vnd.openxmlformats-officedocument.drawing+xml"),
        ("/xl/charts/chart1.xml", "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"),
        (
            "/xl/comments/userComments.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
        ),
        (
            "/xl/sharedStrings.xml",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
        ),
        (
            "/customXml/itemProps1.xml",
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
        ),
    ]
    extra = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    office = "application/vnd.openxmlformats-officedocument"
    defaults = (
        ("png", "image/png"),
        ("bin", f"{office}.spreadsheetml.printerSettings"),
        ("vml", f"{office}.vmlDrawing"),
    )
    for ext, kind in defaults:
        if f'Extension="{ext}"' not in types:
            extra = f'<Default Extension="{ext}" ContentType="{kind}"/>' + extra
    members["[Content_Types].xml"] = types.replace("</Types>", extra + "</Types>").encode()

    # the picture, the text box and the chart, on 附件1-2
    members["xl/media/image1.png"] = png()
    members["xl/drawings/drawing1.xml"] = DRAWING.encode()
    members["xl/drawings/_rels/drawing1.xml.rels"] = _rels(
        ("rIdImg", f"{R}/image", "../media/image1.png"), ("rIdChart", f"{R}/chart", "../charts/chart1.xml")
    )
    members["xl/charts/chart1.xml"] = CHART.encode()
    # the user's comment on the marked cell
    column, row = re.match(r"([A-Z]+)(\d+)", marked).groups()
    members["xl/comments/userComments.xml"] = (
        f'{HEAD}<comments xmlns="{MAIN}"><authors><author>王会计</author></authors><commentList>'
        f'<comment ref="{marked}" authorId="0"><text><r><t>{COMMENT}</t></r></text></comment>'
        "</commentList></comments>"
    ).encode()
    members["xl/drawings/vmlDrawingUser.vml"] = VML.format(row=int(row) - 1, column=ord(column) - 65).encode()
    members["xl/printerSettings/printerSettings1.bin"] = bytes(range(256)) * 4
    rels_part = t12.replace("worksheets/", "worksheets/_rels/") + ".rels"
    rels = members.get(rels_part)
    rels = _with_rel(rels, "rIdJxDraw", f"{R}/drawing", "../drawings/drawing1.xml")
    rels = _with_rel(rels, "rIdJxComments", f"{R}/comments", "../comments/userComments.xml")
    rels = _with_rel(rels, "rIdJxVml", f"{R}/vmlDrawing", "../drawings/vmlDrawingUser.vml")
    rels = _with_rel(rels, "rIdJxPrn", f"{R}/printerSettings", "../printerSettings/printerSettings1.bin")
    members[rels_part] = rels

    # 附件1-2: the user's fill on the marked cell, a data bar, their own formula with its cached
    # value, a stale cached value on jixiao's 执行率, then the drawing, the comment and the extLst
    styles = members["xl/styles.xml"].decode()
    fills = re.search(r'<fills count="(\d+)">', styles)
    fill_id = int(fills.group(1))
    styles = styles.replace(fills.group(0), f'<fills count="{fill_id + 1}">')
    styles = styles.replace(
        "</fills>",
        f'<fill><patternFill patternType="solid"><fgColor rgb="{USER_FILL_RGB}"/><bgColor indexed="64"/>'
        "</patternFill></fill></fills>",
    )
    xfs = re.search(r'<cellXfs count="(\d+)">', styles)
    xf_id = int(xfs.group(1))
    styles = styles.replace(xfs.group(0), f'<cellXfs count="{xf_id + 1}">')
    styles = styles.replace(
        "</cellXfs>", f'<xf numFmtId="0" fontId="0" fillId="{fill_id}" borderId="0" applyFill="1"/></cellXfs>'
    )
    dxfs = re.search(r'<dxfs count="(\d+)">', styles)
    dxf_id = int(dxfs.group(1)) if dxfs else 0
    if dxfs:
        styles = styles.replace(dxfs.group(0), f'<dxfs count="{dxf_id + 1}">')
        styles = styles.replace("</dxfs>", '<dxf><font><color rgb="FF9C0006"/></font></dxf></dxfs>')
    members["xl/styles.xml"] = styles.encode()
    sheet = members[t12].decode()
    assert "<legacyDrawing" not in sheet and "<drawing" not in sheet and "<extLst" not in sheet
    sheet, count = re.subn(rf'(<c r="{marked}"[^>]*?) s="\d+"', rf'\1 s="{xf_id}"', sheet)
    assert count == 1, marked
    sheet = _append_to_row(sheet, 15, '<c r="AZ15" t="s"><v>0</v></c>')
    sheet = _append_to_row(sheet, 14, '<c r="AZ14"><f>G14*2</f><v>6</v></c>')
    sheet = re.sub(r'(<c r="H5"[^>]*><f>[^<]*</f>)<v>[^<]*</v>', r"\1<v>0.5</v>", sheet)
    sheet = re.sub(r'(<c r="H5"[^>]*><f>[^<]*</f>)(?!<v)', r"\1<v>0.5</v>", sheet)
    databar = (
        '<conditionalFormatting sqref="G14:G20"><cfRule type="dataBar" priority="7"><dataBar>'
        '<cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar><extLst>'
        '<ext uri="{B025F937-C7B1-47D3-B67F-A62EFF666E3E}" xmlns:x14="' + X14 + '">'
        f"<x14:id>{BAR_ID}</x14:id></ext></extLst></cfRule></conditionalFormatting>"
        '<conditionalFormatting sqref="D14:D20">'
        f'<cfRule type="containsText" dxfId="{dxf_id}" priority="3" operator="containsText" text="活动">'
        '<formula>NOT(ISERROR(SEARCH("活动",D14)))</formula></cfRule></conditionalFormatting>'
    )
    sheet = _insert_before(sheet, "<dataValidations", databar)
    sheet = sheet.replace("<pageSetup ", f'<pageSetup xmlns:r="{R}" r:id="rIdJxPrn" ', 1)
    tail = f'<drawing xmlns:r="{R}" r:id="rIdJxDraw"/><legacyDrawing xmlns:r="{R}" r:id="rIdJxVml"/>'
    sheet = sheet.replace("</worksheet>", tail + extension_list(marked) + "</worksheet>")
    members[t12] = sheet.encode()

    # 基本信息: a user's cell in shared strings, and a cached value of the user's formula
    members["xl/sharedStrings.xml"] = (
        f'{HEAD}<sst xmlns="{MAIN}" count="2" uniqueCount="1"><si><t>{SHARED}</t></si></sst>'
    ).encode()
    wb_rels = members["xl/_rels/workbook.xml.rels"]
    wb_rels = _with_rel(wb_rels, "rIdJxStrings", f"{R}/sharedStrings", "sharedStrings.xml")
    wb_rels = _with_rel(wb_rels, "rIdJxCustom", f"{R}/customXml", "../customXml/item1.xml")
    members["xl/_rels/workbook.xml.rels"] = wb_rels
    info_xml = members[info].decode()
    info_xml = _append_to_row(info_xml, 3, '<c r="E3" t="s"><v>0</v></c><c r="F3"><f>1+1</f><v>2</v></c>')
    members[info] = info_xml.encode()

    # the OA system's custom XML
    members["customXml/item1.xml"] = (
        f'{HEAD}<oa:document xmlns:oa="urn:example:oa">收文编号 株行办〔2023〕42号</oa:document>'.encode()
    )
    members["customXml/itemProps1.xml"] = (
        HEAD.encode() + b'<ds:datastoreItem ds:itemID="{6E1F3A52-0D4C-4B8B-9F2B-3B9C5E0A1D11}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>'
    )
    members["customXml/_rels/item1.xml.rels"] = _rels(("rId1", f"{R}/customXmlProps", "itemProps1.xml"))
    # a sheet written by another tool, with x: prefixes
    members[prefixed_part] = prefixed(members[prefixed_part])
    return Rich(members, t12, info, prefixed_part, marked, "AZ14")


def zipped(members: dict[str, bytes]) -> bytes:
    """Return ``members`` as a zip (in their order)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()
