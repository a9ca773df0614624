"""The fast reader (workbook/fastread.py) and openpyxl's read every workbook to the same result.

Both paths over: the sample, the bench corpus, the fuzz module's mutations, typed values and edited
workbooks; the XML the fast reader must know (prefixed namespaces, shared formulas, inline and
shared strings, 1904 dates, a chart sheet) each in a fixture made from the sample's real parts.
"Same result" is the same filing (values and cells), the same findings (rule, sheet, cell,
message) and the same scores — or the same one-line refusal.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import random
import re
import shutil
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import Workbook, load_workbook

from jixiao.api import check
from jixiao.errors import InputError
from jixiao.workbook import source
from jixiao.workbook.fastread import MAIN, Unsupported, load
from jixiao.workbook.reader import open_workbook
from tests.hardening_files import DEMO_NAME, demo_bytes, demo_members, input_cells, rezip
from tests.test_batch import generate
from tests.test_fuzz_workbook import MUTATIONS, cell_values
from tests.test_workbook_edits import insert_row_like_excel

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def outcome(path: Path, reader: str, monkeypatch: pytest.MonkeyPatch) -> object:
    """Return what ``jixiao check`` gives for ``path`` read by ``reader`` (fast or openpyxl)."""
    monkeypatch.setenv("JIXIAO_READER", reader)
    try:
        result = check(path)
    except InputError as exc:
        return ("refused", str(exc))
    findings = [(f.rule, f.sheet, f.cell, f.message, f.expected, f.actual) for f in result.findings]
    scores = [(t.sheet, t.total, t.grade, [s.score for s in t.indicators]) for t in result.scores.tables()]
    return dataclasses.asdict(result.filing), findings, scores


def assert_same(path: Path, monkeypatch: pytest.MonkeyPatch, *, fast: bool = True) -> object:
    """Assert both readers give ``path`` the same outcome; with ``fast``, that the fast one read it."""
    if fast:
        monkeypatch.setenv("JIXIAO_READER", "fast")
        assert isinstance(open_workbook(path), source.Book), f"{path.name}: the fast reader fell back"
    ours = outcome(path, "fast", monkeypatch)
    theirs = outcome(path, "openpyxl", monkeypatch)
    assert ours == theirs
    return ours


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ the sample, the corpus, mutations


def test_sample_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _filing, findings, scores = assert_same(write(tmp_path, DEMO_NAME, demo_bytes()), monkeypatch)
    assert len(findings) == 32 and scores[0][1:3] == (Decimal("99.40"), "优")


def test_bench_corpus_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shape = generate.UnitShape(3, 10, 8)
    kinds = generate.plan(12, 7, 0.25)
    for index, unit_kinds in enumerate(kinds):
        path = tmp_path / f"unit{index}.xlsx"
        generate.write_filing(generate.make_unit(index, 7, shape, unit_kinds), path)
        assert_same(path, monkeypatch)


@pytest.mark.parametrize("label", sorted(MUTATIONS))
def test_mutated_sample_reads_the_same(label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, DEMO_NAME, MUTATIONS[label]())
    assert_same(path, monkeypatch, fast=False)  # a damaged file may be openpyxl's to refuse


@pytest.fixture(scope="module")
def inputs() -> list[tuple[str, str]]:
    return input_cells(load_workbook(io.BytesIO(demo_bytes())))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.integers(min_value=0, max_value=100_000), cell_values), min_size=1, max_size=8
    )
)
def test_typed_values_read_the_same(inputs, edits, tmp_path_factory, monkeypatch) -> None:
    wb = load_workbook(io.BytesIO(demo_bytes()))
    for index, value in edits:
        sheet, coordinate = inputs[index % len(inputs)]
        wb[sheet][coordinate].value = value
    path = tmp_path_factory.mktemp("typed") / DEMO_NAME
    wb.save(path)
    assert_same(path, monkeypatch)


def test_rows_inserted_like_excel_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wb = load_workbook(io.BytesIO(demo_bytes()))
    insert_row_like_excel(wb, "附件1-2", 12)
    insert_row_like_excel(wb, "附件1-1", 9)
    path = tmp_path / DEMO_NAME
    wb.save(path)
    assert_same(path, monkeypatch)


@pytest.mark.libreoffice
def test_libreoffice_saved_copy_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice writes shared strings, its own styles and (for filled-down formulas) shared formulas."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    from jixiao.office import convert

    copy = convert(write(tmp_path, DEMO_NAME, demo_bytes()), "xlsx", tmp_path / "lo")
    with open(copy, "rb") as handle:
        assert b"sharedStrings" in handle.read()
    assert_same(copy, monkeypatch)


# ------------------------------------------------------------------ the XML it must know, from real parts


def _sheet_part(members: dict[str, bytes], title: str) -> str:
    """Return the part name of the sheet ``title`` of the sample."""
    workbook = etree.fromstring(members["xl/workbook.xml"])
    rels = etree.fromstring(members["xl/_rels/workbook.xml.rels"])
    rid = next(s.get(f"{{{REL}}}id") for s in workbook.iter(f"{{{MAIN}}}sheet") if s.get("name") == title)
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def _cell(root, ref: str):
    found = root.find(f".//{{{MAIN}}}c[@r='{ref}']")
    assert found is not None, ref
    return found


def _named_cell(members: dict[str, bytes], name: str) -> tuple[str, str]:
    """Return (part, coordinate) of the workbook-level name ``name``."""
    workbook = etree.fromstring(members["xl/workbook.xml"])
    text = next(d.text for d in workbook.iter(f"{{{MAIN}}}definedName") if d.get("name") == name)
    title, ref = text.rsplit("!", 1)
    return _sheet_part(members, source.unquote_sheet(title)), ref.replace("$", "").split(":")[0]


def _prefixed(data: bytes) -> bytes:
    """Return the part with SpreadsheetML's elements spelled with the prefix x: (as some tools write)."""
    text = data.decode("utf-8").replace(f'xmlns="{MAIN}"', f'xmlns:x="{MAIN}"')
    return re.sub(r"<(/?)([A-Za-z]\w*)(?=[\s/>])", r"<\1x:\2", text).encode("utf-8")


def test_prefixed_namespaces_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members = demo_members()
    parts = {n: _prefixed(d) for n, d in members.items() if n.startswith("xl/") and n.endswith(".xml")
             and b"spreadsheetml/2006/main" in d and "theme" not in n}  # fmt: skip
    assert b"<x:c " in parts[_sheet_part(members, "附件1-2")]
    prefixed = assert_same(write(tmp_path, "x.xlsx", rezip(parts)), monkeypatch)
    plain = outcome(write(tmp_path, DEMO_NAME, demo_bytes()), "fast", monkeypatch)
    assert prefixed[1:] == plain[1:]  # same findings and scores as the unprefixed sample


def _set_cell(root, ref: str, build) -> None:
    cell = _cell(root, ref)
    for child in list(cell):
        cell.remove(child)
    for attr in ("t",):
        cell.attrib.pop(attr, None)
    build(cell)


def test_shared_formulas_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members = demo_members()
    part, budget = _named_cell(members, "JX_T11_PROJECTS_BUDGET")
    column, row = re.match(r"([A-Z]+)(\d+)", budget).groups()
    root = etree.fromstring(members[part])
    below = [f"{column}{int(row) + k}" for k in (1, 2)]  # two list rows below the 项目支出 budget

    def master(cell) -> None:
        f = etree.SubElement(cell, f"{{{MAIN}}}f", t="shared", ref=f"{below[0]}:{below[1]}", si="0")
        f.text = f"{column}{int(row) - 1}*2"

    def dependent(cell) -> None:
        etree.SubElement(cell, f"{{{MAIN}}}f", t="shared", si="0")

    _set_cell(root, below[0], master)
    _set_cell(root, below[1], dependent)
    path = write(tmp_path, "shared.xlsx", rezip({part: etree.tostring(root)}))
    _filing, _findings, _ = assert_same(path, monkeypatch)
    book = load(path)
    assert book[book.sheetnames[2]][below[1]].value == f"={column}{int(row)}*2"  # translated one row down


def test_shared_and_inline_strings_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample's inline strings moved into a shared-string table (with a rich-text run) read as before."""
    members = demo_members()
    strings: list[str] = []
    parts = {}
    for name, data in members.items():
        if not name.startswith("xl/worksheets/"):
            continue
        root = etree.fromstring(data)
        for cell in root.iter(f"{{{MAIN}}}c"):
            inline = cell.find(f"{{{MAIN}}}is")
            if cell.get("t") != "inlineStr" or inline is None:
                continue
            strings.append("".join(inline.itertext()))
            cell.remove(inline)
            cell.set("t", "s")
            etree.SubElement(cell, f"{{{MAIN}}}v").text = str(len(strings) - 1)
        parts[name] = etree.tostring(root)
    sst = etree.Element(f"{{{MAIN}}}sst", nsmap={None: MAIN})
    for i, text in enumerate(strings):
        si = etree.SubElement(sst, f"{{{MAIN}}}si")
        if i % 2 and len(text) > 1:  # every other string as two rich-text runs
            for piece in (text[:1], text[1:]):
                etree.SubElement(etree.SubElement(si, f"{{{MAIN}}}r"), f"{{{MAIN}}}t").text = piece
        else:
            etree.SubElement(si, f"{{{MAIN}}}t").text = text
    parts["xl/sharedStrings.xml"] = etree.tostring(sst)
    types = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types
    shared = assert_same(write(tmp_path, "sst.xlsx", rezip(parts)), monkeypatch)
    inline = assert_same(write(tmp_path, DEMO_NAME, demo_bytes()), monkeypatch)
    assert strings and shared[1:] == inline[1:]


def _date_in_text_cell(members: dict[str, bytes], date1904: bool) -> dict[str, bytes]:
    """Return the parts with a date-formatted serial typed into the unit-name cell."""
    part, ref = _named_cell(members, "JX_UNIT")
    styles = etree.fromstring(members["xl/styles.xml"])
    xfs = styles.find(f"{{{MAIN}}}cellXfs")
    xf = etree.SubElement(xfs, f"{{{MAIN}}}xf", numFmtId="14", fontId="0", fillId="0", borderId="0")
    etree.SubElement(xf, f"{{{MAIN}}}protection", locked="0")
    xfs.set("count", str(len(xfs)))
    root = etree.fromstring(members[part])
    _set_cell(root, ref, lambda c: etree.SubElement(c, f"{{{MAIN}}}v").__setattr__("text", "45000"))
    _cell(root, ref).set("s", str(len(xfs) - 1))
    workbook = etree.fromstring(members["xl/workbook.xml"])
    workbook.find(f"{{{MAIN}}}workbookPr").set("date1904", "1" if date1904 else "0")
    return {part: etree.tostring(root), "xl/styles.xml": etree.tostring(styles),
            "xl/workbook.xml": etree.tostring(workbook)}  # fmt: skip


def test_1904_dates_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members = demo_members()
    unit = {}
    for flag in (False, True):
        path = write(tmp_path, f"d{int(flag)}.xlsx", rezip(_date_in_text_cell(members, flag)))
        unit[flag] = assert_same(path, monkeypatch)[0]["unit"]
    base = dt.date(1899, 12, 30) + dt.timedelta(days=45000)
    assert unit[False] == base.isoformat()
    assert unit[True] == (base + dt.timedelta(days=1462)).isoformat()  # the 1904 system, 4 years on


def _chart_sheet_parts() -> tuple[dict[str, bytes], list[bytes]]:
    """Return the parts of a chart sheet with its chart as openpyxl writes them, and their content types."""
    from openpyxl.chart import BarChart, Reference

    wb = Workbook()
    wb.active.append([1, 2, 3])
    chart = BarChart()
    chart.add_data(Reference(wb.active, min_col=1, max_col=3, min_row=1))
    wb.create_chartsheet("图表").add_chart(chart)
    out = io.BytesIO()
    wb.save(out)
    with zipfile.ZipFile(out) as z:
        names = [n for n in z.namelist() if n.startswith(("xl/chartsheets/", "xl/drawings/", "xl/charts/"))]
        parts = {n: z.read(n) for n in names}
        types = z.read("[Content_Types].xml")
    overrides = re.findall(rb"<Override [^>]*/>", types)
    return parts, [o for o in overrides if any(f"/{n}".encode() in o for n in names)]


def test_chart_sheet_is_skipped_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart sheet (its parts as openpyxl writes them) after the sample's sheets: named, never read."""
    parts, overrides = _chart_sheet_parts()
    chart_part = next(n for n in parts if re.fullmatch(r"xl/chartsheets/sheet\d+\.xml", n))
    members = demo_members()
    workbook = etree.fromstring(members["xl/workbook.xml"])
    sheets = workbook.find(f"{{{MAIN}}}sheets")
    etree.SubElement(
        sheets, f"{{{MAIN}}}sheet", {"name": "图表", "sheetId": "99", f"{{{REL}}}id": "rIdChart"}
    )
    rels = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdChart" Type="{REL}/chartsheet" Target="/{chart_part}"/>'
        "</Relationships>".encode(),
    )
    types = members["[Content_Types].xml"].replace(b"</Types>", b"".join(overrides) + b"</Types>")
    parts.update({"xl/workbook.xml": etree.tostring(workbook), "xl/_rels/workbook.xml.rels": rels,
                  "[Content_Types].xml": types})  # fmt: skip
    path = write(tmp_path, "chart.xlsx", rezip(parts))
    assert load_workbook(path).sheetnames[-1] == "图表"  # openpyxl reads the chart sheet
    book = load(path)
    assert book.sheetnames[-1] == "图表" and "图表" not in [ws.title for ws in book.worksheets]
    with_chart = assert_same(path, monkeypatch)
    plain = outcome(write(tmp_path, DEMO_NAME, demo_bytes()), "fast", monkeypatch)
    assert with_chart[1:] == plain[1:]


# ------------------------------------------------------------------ falling back, and saying so


def test_unknown_xml_falls_back_to_openpyxl_and_says_so(tmp_path: Path, monkeypatch, capsys) -> None:
    members = demo_members()
    part, ref = _named_cell(members, "JX_UNIT")
    root = etree.fromstring(members[part])

    def array(cell) -> None:
        etree.SubElement(cell, f"{{{MAIN}}}f", t="array", ref=ref).text = "1+1"

    _set_cell(root, ref, array)
    path = write(tmp_path, "array.xlsx", rezip({part: etree.tostring(root)}))
    with pytest.raises(Unsupported):
        load(path)
    monkeypatch.setenv("JIXIAO_DEBUG", "1")
    monkeypatch.setenv("JIXIAO_READER", "fast")
    assert not isinstance(open_workbook(path), source.Book)
    assert "改用 openpyxl" in capsys.readouterr().err
    monkeypatch.setenv("JIXIAO_READER", "openpyxl")
    assert not isinstance(open_workbook(write(tmp_path, DEMO_NAME, demo_bytes())), source.Book)


def test_coordinate_helpers_agree_with_openpyxl() -> None:
    from openpyxl.utils import get_column_letter, range_boundaries

    rng = random.Random(14)
    for index in [1, 26, 27, 52, 702, 703, 16384, 18278, *rng.sample(range(1, 18279), 200)]:
        assert source.column_letter(index) == get_column_letter(index)
        assert source.column_index(get_column_letter(index)) == index
    for text in ["D5", "$D$5:$F$9", "A:B", "3:4", "d5", "A1:A1", "XFD1048576"]:
        assert source.range_boundaries(text) == range_boundaries(text)
    for bad in ["5D", "A1:", "A:5", "AAAA1"]:
        with pytest.raises(ValueError):
            source.range_boundaries(bad)
        with pytest.raises(ValueError):
            range_boundaries(bad)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-n0"]))
