"""``jixiao score`` edits the package, not a re-save: on a workbook carrying what openpyxl cannot keep,
only jixiao's cells and parts change, every other part stays byte for byte, and the output cells
hold what the openpyxl writer writes, with cached values for jixiao's formula cells."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook as openpyxl_load

from jixiao import workbook
from jixiao.cli import main
from jixiao.pipeline import evaluate
from jixiao.workbook.package import MAIN, Package, SheetXml, local, q
from jixiao.workbook.writer import MARK_FORMULA, apply_to_openpyxl, plan_result, write_result
from tests.hardening_files import demo_bytes
from tests.rich_workbook import COMMENT, rich_members, zipped

OWNED_SHEETS = ("基本信息", "附件1-1", "附件1-2", "附件1-3(1)", "附件1-3(2)", "校验结果")


def load_workbook(*args, **kwargs):
    """Return openpyxl's load, quiet about the parts it does not keep (that is the point here)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl_load(*args, **kwargs)


def parts(path: Path) -> dict[str, bytes]:
    """Return the members of the package ``path``."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def c14n(element) -> bytes:
    """Return ``element`` in canonical form (namespace prefixes ignored)."""
    copy = etree.fromstring(etree.tostring(element))
    for node in copy.iter():
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
    etree.cleanup_namespaces(copy)
    return etree.tostring(copy, method="c14n")


def _marked_cell(path: Path) -> str:
    loaded = workbook.read(path)
    plan = plan_result(loaded.book.wb, evaluate(loaded.filing, loaded.findings, source=str(path)))
    return plan.marks["附件1-2"][0]


@pytest.fixture(scope="module")
def rich(tmp_path_factory) -> tuple[Path, object]:
    """Return the rich workbook's path (read-only: copy it) and its description."""
    folder = tmp_path_factory.mktemp("rich")
    plain = folder / "plain.xlsx"
    plain.write_bytes(demo_bytes())
    described = rich_members(_marked_cell(plain))
    path = folder / "rich.xlsx"
    path.write_bytes(zipped(described.members))
    return path, described


def _copy(rich, tmp_path: Path, suffix: str) -> Path:
    source, _ = rich
    tmp_path.mkdir(exist_ok=True)
    target = tmp_path / f"自评{suffix}"
    if suffix == ".xlsm":
        from jixiao.addin.build import with_ribbon

        target.write_bytes(with_ribbon(source, "xlsm"))
    else:
        target.write_bytes(source.read_bytes())
    return target


def _sheet_part(members: dict[str, bytes], title: str) -> str:
    package = Package(zipped(members))
    return package.sheet_parts()[title]


def _plan(path: Path):
    loaded = workbook.read(path)
    result = evaluate(loaded.filing, loaded.findings, source=str(path))
    return plan_result(loaded.book.wb, result), result


def _ours(block) -> bool:
    return any(
        r.get("type") == "expression" and r.findtext(q("formula")) == MARK_FORMULA
        for r in block.findall(q("cfRule"))
    )


def assert_only_jixiao_changed(before: dict[str, bytes], after: dict[str, bytes], plan) -> None:
    """Assert that between the packages ``before`` and ``after`` only jixiao's cells and parts differ."""
    assert list(after) == list(before)  # no part added or dropped, the order kept
    sheet_of = {title: _sheet_part(before, title) for title in OWNED_SHEETS}
    may_change = {*sheet_of.values(), "xl/styles.xml", "xl/workbook.xml"}
    changed = {n for n in before if before[n] != after[n]}
    assert changed <= may_change, changed - may_change
    # on the sheets jixiao writes: every other cell and element exactly as it was
    written = {key for key in (*plan.values, *plan.cached)}
    for title, part in sheet_of.items():
        old, new = etree.fromstring(before[part]), etree.fromstring(after[part])
        old_cells = {c.get("r"): c for c in old.iter(q("c"))}
        new_cells = {c.get("r"): c for c in new.iter(q("c"))}
        own_rows = title == "校验结果"
        for ref, cell in old_cells.items():
            if (title, ref) in written or (
                own_rows and (int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) >= 4 or ref == "A2")
            ):
                continue
            assert c14n(new_cells[ref]) == c14n(cell), (title, ref)
        added = {r for r in new_cells if r not in old_cells and (title, r) not in written}
        assert own_rows or not added, (title, added)
        for old_child, new_child in zip(_others(old), _others(new), strict=True):
            assert c14n(old_child) == c14n(new_child), (title, local(old_child))
        assert [c14n(b) for b in old.findall(q("conditionalFormatting")) if not _ours(b)] == [
            c14n(b) for b in new.findall(q("conditionalFormatting")) if not _ours(b)
        ]  # the user's own conditional formats
    # the styles only grow: every existing font, fill, border, format and dxf keeps its index
    old_styles, new_styles = (
        etree.fromstring(before["xl/styles.xml"]),
        etree.fromstring(after["xl/styles.xml"]),
    )
    for tag in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"):
        old_list, new_list = old_styles.find(q(tag)), new_styles.find(q(tag))
        if old_list is not None:
            assert [c14n(e) for e in old_list] == [c14n(e) for e in new_list][: len(old_list)], tag
    # the workbook part: the recalculation flag and 校验结果's print area, nothing else
    old_book, new_book = (
        etree.fromstring(before["xl/workbook.xml"]),
        etree.fromstring(after["xl/workbook.xml"]),
    )
    assert new_book.find(q("calcPr")).get("fullCalcOnLoad") == "1"
    kept = [c for c in old_book if local(c) not in ("calcPr", "definedNames")]
    assert [c14n(c) for c in kept] == [
        c14n(c) for c in new_book if local(c) not in ("calcPr", "definedNames")
    ]
    old_names = [c14n(d) for d in old_book.iter(q("definedName")) if "校验结果" not in (d.text or "")]
    new_names = [c14n(d) for d in new_book.iter(q("definedName")) if "校验结果" not in (d.text or "")]
    assert old_names == new_names


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_score_in_place_changes_only_jixiao_cells_and_parts(rich, tmp_path: Path, suffix: str) -> None:
    path = _copy(rich, tmp_path, suffix)
    described = rich[1]
    before = parts(path)
    plan, _ = _plan(path)
    assert main(["score", str(path), "--brief"]) == 1
    after = parts(path)
    assert_only_jixiao_changed(before, after, plan)
    for name in (
        "xl/media/image1.png", "xl/drawings/drawing1.xml", "xl/charts/chart1.xml",
        "xl/comments/userComments.xml", "xl/drawings/vmlDrawingUser.vml", "customXml/item1.xml",
        "customXml/itemProps1.xml", "xl/sharedStrings.xml", "xl/printerSettings/printerSettings1.bin",
        "_rels/.rels", "[Content_Types].xml", "xl/_rels/workbook.xml.rels",
    ):  # fmt: skip
        assert after[name] == before[name], name
    if suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
        assert b"ui/extensibility" in after["_rels/.rels"] and "customUI/customUI14.xml" in after
    # the prefixed sheet stays prefixed, and what jixiao added uses the prefix too
    prefixed = after[described.prefixed_part]
    assert prefixed.startswith(b"<x:worksheet") and f'xmlns="{MAIN}"'.encode() not in prefixed
    # the user's comment and fill on the cell with a finding: untouched; jixiao's mark beside them
    t12 = SheetXml(etree.fromstring(after[described.t12_part]))
    marked = t12.cell(described.marked_cell, create=False)
    assert marked.get("s") == SheetXml(etree.fromstring(before[described.t12_part])).cell(
        described.marked_cell
    ).get("s")
    ours = [b for b in t12.root.findall(q("conditionalFormatting")) if _ours(b)]
    assert len(ours) == 1 and described.marked_cell in ours[0].get("sqref").split()
    assert COMMENT.encode() in after["xl/comments/userComments.xml"]


def _others(root) -> list:
    """Return a worksheet's children but its cells and jixiao's conditional formats."""
    return [
        c for c in root if local(c) not in ("sheetData", "conditionalFormatting", "dimension", "hyperlinks")
    ]


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_output_cells_hold_what_the_openpyxl_writer_writes(rich, tmp_path: Path, suffix: str) -> None:
    path = _copy(rich, tmp_path, suffix)
    loaded = workbook.read(path)
    result = evaluate(loaded.filing, loaded.findings, source=str(path))
    reference = load_workbook(path, keep_vba=suffix == ".xlsm")
    apply_to_openpyxl(reference, plan_result(reference, result))
    buffer = io.BytesIO()
    reference.save(buffer)
    out = tmp_path / f"out{suffix}"
    write_result(path, out, result, loaded.book)
    ours, theirs = load_workbook(out), load_workbook(io.BytesIO(buffer.getvalue()))
    assert ours.sheetnames == theirs.sheetnames
    for ws in theirs.worksheets:
        mine = ours[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                assert mine[cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
        assert mine.max_row == ws.max_row or ws.title != "校验结果"
        links = {c.coordinate: c.hyperlink.location for r in ws.iter_rows() for c in r if c.hyperlink}
        assert {
            c.coordinate: c.hyperlink.location for r in mine.iter_rows() for c in r if c.hyperlink
        } == links
    assert ours["校验结果"].print_area == theirs["校验结果"].print_area


def test_readers_that_trust_cached_values_see_jixiao_numbers(rich, tmp_path: Path) -> None:
    path = _copy(rich, tmp_path, ".xlsx")
    assert main(["score", str(path), "--brief"]) == 1
    loaded = workbook.read(path)
    result = evaluate(loaded.filing, loaded.findings)
    cached = load_workbook(path, data_only=True)
    dept = result.scores.department
    t12 = cached["附件1-2"]
    names = cached.defined_names

    def at(name: str, ws=None):
        title, ref = next(iter((ws.defined_names if ws is not None else names)[name].destinations))
        return cached[title][ref.replace("$", "")].value

    assert Decimal(str(at("JX_T12_TOTAL"))) == dept.total == Decimal("99.40")
    assert at("JX_T12_GRADE") == dept.grade
    assert abs(Decimal(str(at("JX_T12_EXEC_RATE"))) - dept.exec.rate) < Decimal(
        "1e-12"
    )  # the stale 0.5 replaced
    assert Decimal(str(at("JX_T12_EXEC_SCORE"))) == dept.exec.score
    assert t12["AZ14"].value == 6  # the user's own cached value stays
    for ws, table in zip(
        [s for s in cached.worksheets if "JX_T13_TOTAL" in s.defined_names],
        result.scores.projects,
        strict=True,
    ):
        assert Decimal(str(at("JX_T13_TOTAL", ws))) == table.total
    calamine = pytest.importorskip("python_calamine")
    rows = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("附件1-2").to_python()
    _, ref = next(iter(names["JX_T12_TOTAL"].destinations))
    row = int(ref.replace("$", "").lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert Decimal(str(rows[row - 1][7])) == dept.total


def test_a_second_run_changes_nothing_and_a_clean_run_removes_the_marks(rich, tmp_path: Path) -> None:
    path = _copy(rich, tmp_path, ".xlsx")
    assert main(["score", str(path), "--brief"]) == 1
    first = parts(path)
    assert main(["score", str(path), "--brief"]) == 1
    assert parts(path) == first  # styles do not grow, the mark is replaced, not added again
    loaded = workbook.read(path)
    result = evaluate(loaded.filing, loaded.findings, source=str(path))
    result.findings = []
    write_result(path, path, result, loaded.book)
    after = parts(path)
    for name, data in after.items():
        if name.startswith("xl/worksheets/sheet"):
            root = etree.fromstring(data)
            assert not [b for b in root.iter(q("conditionalFormatting")) if _ours(b)], name
    t12 = etree.fromstring(after[rich[1].t12_part])
    assert len(t12.findall(q("conditionalFormatting"))) == 2  # the user's data bar and text rule stay
    assert load_workbook(path)["校验结果"]["A2"].value == "校验通过，没有发现问题。"


@pytest.mark.libreoffice
def test_libreoffice_opens_the_scored_workbook_and_agrees_with_its_cached_values(
    rich, tmp_path: Path, soffice: str
) -> None:
    from jixiao.office import convert

    path = _copy(rich, tmp_path, ".xlsx")
    plan, _ = _plan(path)
    assert main(["score", str(path), "--brief"]) == 1
    cached = load_workbook(path, data_only=True)
    recalculated = load_workbook(convert(path, "xlsx", tmp_path / "lo"), data_only=True)
    assert len(plan.cached) > 20
    for title, ref in plan.cached:
        ours, theirs = cached[title][ref].value, recalculated[title][ref].value
        if isinstance(ours, int | float):
            assert abs(Decimal(str(ours)) - Decimal(str(theirs))) < Decimal("1e-9"), (
                title,
                ref,
                ours,
                theirs,
            )
        else:
            assert ours == theirs, (title, ref)


# ------------------------------------------------------------------ the ribbon's buttons on the command line


@pytest.mark.libreoffice
@pytest.mark.parametrize("button", ["校验", "计算得分"])
def test_a_click_that_keeps_the_structure_changes_only_jixiao_cells_and_parts(
    rich, tmp_path: Path, soffice: str, button: str
) -> None:
    path = _copy(rich, tmp_path, ".xlsx")
    described = rich[1]
    plan, result = _plan(path)
    result.findings = []  # first a clean run: no marks, an empty 校验结果, for the button to fill
    write_result(path, path, result)
    before, backups = parts(path), len(list(tmp_path.glob("自评.bak-*.xlsx")))
    assert main(["addin", "click", button, str(path)]) == 0  # no --force: nothing is lost
    after = parts(path)
    assert_only_jixiao_changed(before, after, plan)
    t12 = SheetXml(etree.fromstring(after[described.t12_part]))
    old_t12 = SheetXml(etree.fromstring(before[described.t12_part]))
    assert t12.cell(described.marked_cell).get("s") == old_t12.cell(described.marked_cell).get("s")
    ours = [b for b in t12.root.findall(q("conditionalFormatting")) if _ours(b)]
    assert len(ours) == 1 and described.marked_cell in ours[0].get("sqref").split()
    assert sorted(ours[0].get("sqref").split()) == sorted(plan.marks["附件1-2"])
    assert COMMENT.encode() in after["xl/comments/userComments.xml"]
    assert len(list(tmp_path.glob("自评.bak-*.xlsx"))) == backups + 1  # in place: a backup
    if button == "计算得分":  # the same numbers and explanations as jixiao score writes
        scored = tmp_path / "score.xlsx"
        main(["score", str(_copy(rich, tmp_path / "cli", ".xlsx")), "-o", str(scored), "--brief"])
        clicked, cli = load_workbook(path), load_workbook(scored)
        assert len(plan.values) > 40
        for title, ref in plan.values:
            assert clicked[title][ref].value == cli[title][ref].value, (title, ref)


# ------------------------------------------------------------------ openpyxl paths refuse what they drop

LOST = [
    "图片（如扫描的公章）",
    "文本框或形状",
    "迷你图",
    "引用其他工作表的下拉列表（x14 数据验证）",
    "自定义 XML 部件（如 OA 系统的数据）",
]


@pytest.mark.parametrize("button", ["新增指标行", "新增项目表"])
def test_structural_edits_on_the_command_line_refuse_what_openpyxl_would_drop(
    rich, tmp_path: Path, capsys, button: str
) -> None:
    path = _copy(rich, tmp_path, ".xlsx")
    original = path.read_bytes()
    argv = ["addin", "click", button, str(path), "--select", "附件1-2!D16"]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and all(label in err for label in LOST) and "--force" in err
    assert path.read_bytes() == original and not list(tmp_path.glob("自评.bak-*"))
    assert main([*argv, "--force"]) == 0
    out = capsys.readouterr().out
    assert "未能保留" in out and "图片" in out
    backups = list(tmp_path.glob("自评.bak-*.xlsx"))
    assert [b.read_bytes() for b in backups] == [original]


def test_the_report_sheet_is_written_surgically_like_the_openpyxl_writer(rich, tmp_path: Path) -> None:
    from jixiao.api import check
    from jixiao.workbook.report_sheet import fill_report_sheet, report_document
    from jixiao.workbook.writer import fill_workbook

    path = _copy(rich, tmp_path, ".xlsx")
    before = parts(path)
    result = check(path)
    reference = load_workbook(path)
    fill_workbook(reference, result)
    fill_report_sheet(reference, report_document(result))
    buffer = io.BytesIO()
    reference.save(buffer)
    theirs = load_workbook(io.BytesIO(buffer.getvalue()))
    assert main(["report", str(path), "--format", "xlsx", "-o", str(path)]) == 0
    after = parts(path)
    sheets = {_sheet_part(before, title) for title in (*OWNED_SHEETS, "自评报告")}
    changed = {n for n in before if before[n] != after[n]}
    assert list(after) == list(before) and changed <= {*sheets, "xl/styles.xml", "xl/workbook.xml"}
    assert [parts(b) for b in tmp_path.glob("自评.bak-*.xlsx")] == [before]
    ours = load_workbook(path)
    mine, ref = ours["自评报告"], theirs["自评报告"]
    assert [c.value for c in mine["A"]] == [c.value for c in ref["A"]][: len(mine["A"])]
    assert any(c.value and "99.40" in str(c.value) for c in mine["A"])
    for row in range(1, ref.max_row + 1):
        assert mine.row_dimensions[row].height == ref.row_dimensions[row].height, row
    assert mine["B1"].value == ref["B1"].value and mine.column_dimensions["B"].hidden
    assert mine.column_dimensions["A"].width == ref.column_dimensions["A"].width
    assert [b.id for b in mine.row_breaks.brk] == [b.id for b in ref.row_breaks.brk]
    assert mine.print_area == ref.print_area and int(mine.page_setup.paperSize) == 9
    assert mine.oddFooter.center.text == ref.oddFooter.center.text
    assert mine["A3"].font.name == ref["A3"].font.name and mine["A3"].alignment.wrap_text


@pytest.mark.libreoffice
def test_an_edited_report_sheet_is_kept_as_a_dated_copy_in_the_package(
    rich, tmp_path: Path, soffice: str
) -> None:
    from jixiao.office import convert

    path = _copy(rich, tmp_path, ".xlsx")
    assert main(["report", str(path), "--format", "xlsx", "-o", str(path)]) == 0
    members = parts(path)
    part = _sheet_part(members, "自评报告")
    sheet = SheetXml(etree.fromstring(members[part]))
    sheet.put("A5", "我们改写了这一段。")
    members[part] = etree.tostring(sheet.root, xml_declaration=True, encoding="UTF-8", standalone=True)
    path.write_bytes(zipped(members))
    before = parts(path)
    assert main(["report", str(path), "--format", "xlsx", "-o", str(path)]) == 0
    after = parts(path)
    added = [n for n in after if n not in before]
    assert len(added) == 1 and added[0].startswith("xl/worksheets/sheet")
    wb = load_workbook(path)
    copy = wb.sheetnames[wb.sheetnames.index("自评报告") + 1]
    assert copy.startswith("自评报告(") and wb[copy]["A5"].value == "我们改写了这一段。"
    assert wb["自评报告"]["A5"].value != "我们改写了这一段。"
    assert wb["自评报告"].print_area.startswith("'自评报告'!") and not wb[copy].print_area
    for name in ("xl/media/image1.png", "xl/drawings/drawing1.xml", "customXml/item1.xml"):
        assert after[name] == before[name]
    recalculated = load_workbook(convert(path, "xlsx", tmp_path / "lo"))
    assert recalculated.sheetnames == wb.sheetnames
    assert recalculated[copy]["A5"].value == "我们改写了这一段。"


@pytest.mark.libreoffice
def test_a_workbook_libreoffice_saved_is_scored_surgically_too(tmp_path: Path, soffice: str) -> None:
    """A workbook written by another program (shared strings, cached values, its own XML style)."""
    from jixiao.office import convert

    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(demo_bytes())
    path = tmp_path / "自评.xlsx"
    path.write_bytes(convert(plain, "xlsx", tmp_path / "lo").read_bytes())
    before = parts(path)
    assert "xl/sharedStrings.xml" in before
    plan, result = _plan(path)
    reference = load_workbook(path)
    apply_to_openpyxl(reference, plan_result(reference, result))
    buffer = io.BytesIO()
    reference.save(buffer)
    reference = load_workbook(io.BytesIO(buffer.getvalue()))
    assert main(["score", str(path), "--brief"]) == 1
    assert_only_jixiao_changed(before, parts(path), plan)
    ours = load_workbook(path)
    for ws in reference.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert ours[ws.title][cell.coordinate].value == cell.value, (ws.title, cell.coordinate)
    cached = load_workbook(path, data_only=True)
    again = load_workbook(convert(path, "xlsx", tmp_path / "lo2"), data_only=True)
    for title, ref in plan.cached:
        mine, theirs = cached[title][ref].value, again[title][ref].value
        if isinstance(mine, int | float):
            assert abs(Decimal(str(mine)) - Decimal(str(theirs))) < Decimal("1e-9"), (title, ref)
        else:
            assert mine == theirs, (title, ref)


def test_a_shared_formula_over_an_output_cell_keeps_every_other_formula() -> None:
    """Excel shares a formula filled down; overwriting its first cell gives the others their own."""
    xml = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1" spans="1:2">'
        '<c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>2</v></c></row>'
        '<row r="2"><c r="A2" vm="1"><f t="shared" si="0"/><v>4</v></c></row>'
        '<row r="3"><c r="A3"><f t="shared" si="0"/><v>6</v></c></row></sheetData></worksheet>'
    )
    sheet = SheetXml(etree.fromstring(xml))
    sheet.put("A1", Decimal("5.50"))
    sheet.put("D1", "计算说明")
    formulas = {c.get("r"): c.find(q("f")) for c in sheet.root.iter(q("c")) if c.find(q("f")) is not None}
    assert {ref: (f.text, dict(f.attrib)) for ref, f in formulas.items()} == {
        "A2": ("B2*2", {}),
        "A3": ("B3*2", {}),
    }
    assert sheet.cell("A1").findtext(q("v")) == "5.5" and sheet.row(1).get("spans") == "1:4"
    sheet.put("A2", 1)
    assert "vm" not in sheet.cell("A2").attrib


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_the_public_workbook_is_scrubbed_in_the_package_not_re_saved(
    rich, tmp_path: Path, suffix: str
) -> None:
    from jixiao.workbook.layout import name

    path = _copy(rich, tmp_path, suffix)
    before = parts(path)
    public = tmp_path / f"公开{suffix}"
    assert main(["report", str(path), "--format", "xlsx", "--public", "-o", str(public)]) == 0
    after = parts(public)
    assert parts(path) == before  # the user's file is only read
    kept = ["xl/media/image1.png", "xl/printerSettings/printerSettings1.bin", "xl/theme/theme1.xml"]
    if suffix == ".xlsm":
        kept += ["xl/vbaProject.bin", "customUI/customUI14.xml"]
    for part in kept:  # what holds no text: byte for byte, not re-encoded by openpyxl
        assert after[part] == before[part], part
    assert "xl/drawings/drawing1.xml" in after and "xl/charts/chart1.xml" in after  # text box, chart
    assert not [p for p in after if p.startswith("customXml/")]  # an OA system's data goes
    assert b"customXml" not in after["[Content_Types].xml"] + after["xl/_rels/workbook.xml.rels"]
    comments = after["xl/comments/userComments.xml"].decode()
    assert "<author>jixiao</author>" in comments and "王会计</author>" not in comments
    wb = load_workbook(public)
    assert wb.properties.creator == "jixiao"
    ((title, ref),) = wb.defined_names[name("SIGN_FILLER")].destinations
    assert load_workbook(path)[title][ref.replace("$", "")].value  # the user's file names the 填表人
    assert wb[title][ref.replace("$", "")].value is None  # the 公开版 does not
    assert main(["check", str(public)]) in (0, 1)  # still a workbook jixiao reads


def _ribbon_link(rels: bytes) -> list[bytes]:
    """Return the customUI relationship elements of a package's ``_rels/.rels``, as written."""
    return re.findall(rb"<Relationship [^>]*ui/extensibility[^>]*/>", rels)


@pytest.mark.libreoffice
def test_a_macro_workbook_keeps_its_vba_and_ribbon_through_every_write(
    rich, tmp_path: Path, soffice: str, capsys
) -> None:
    path = _copy(rich, tmp_path, ".xlsm")
    before = parts(path)
    other, public = tmp_path / "另存.xlsm", tmp_path / "公开.xlsm"
    commands = (
        (["score", str(path), "--brief"], path),
        (["score", str(path), "-o", str(other), "--brief"], other),
        (["report", str(path), "--format", "xlsx", "-o", str(path), "--force"], path),
        (["report", str(path), "--format", "xlsx", "-o", str(other), "--force"], other),
        (["addin", "click", "校验", str(path)], path),  # no --force: nothing is lost
        (["addin", "click", "计算得分", str(path), "-o", str(other), "--force"], other),
        (["report", str(path), "--format", "xlsx", "--public", "-o", str(public)], public),
    )
    for argv, written in commands:
        assert main(argv) in (0, 1), argv
        after = parts(written)
        for name in ("xl/vbaProject.bin", "customUI/customUI14.xml"):
            assert after[name] == before[name], (argv, name)
        assert _ribbon_link(after["_rels/.rels"]) == _ribbon_link(before["_rels/.rels"]) != [], argv
        if "--public" not in argv:  # nothing but jixiao's cells and parts: the package's links too
            assert after["_rels/.rels"] == before["_rels/.rels"], argv
            assert after["[Content_Types].xml"] == before["[Content_Types].xml"], argv
    capsys.readouterr()
    plain = tmp_path / "另存.xlsx"
    for argv in (
        ["score", str(path), "-o", str(plain), "--brief"],
        ["report", str(path), "--format", "xlsx", "-o", str(plain)],
        ["report", str(path), "--format", "xlsx", "--public", "-o", str(plain)],
    ):  # an .xlsx holding a VBA part is broken in Excel: refused in one line, nothing written
        code, err = main(argv), capsys.readouterr().err.strip()
        assert code == 2 and len(err.splitlines()) == 1 and "同为 .xlsm 工作簿" in err, (argv, err)
        assert not plain.exists(), argv


def test_an_add_in_file_is_never_written(rich, tmp_path: Path, capsys) -> None:
    """jixiao.xlam is the ribbon, not a workbook to score: every write command refuses it untouched."""
    from jixiao.addin.build import with_ribbon

    xlam = tmp_path / "jixiao.xlam"
    xlam.write_bytes(with_ribbon(rich[0], "xlam"))
    original = xlam.read_bytes()
    for argv in (
        ["score", str(xlam), "--brief"],
        ["report", str(xlam), "--format", "xlsx", "-o", str(xlam), "--force"],
        ["report", str(xlam), "--format", "xlsx", "--public", "-o", str(tmp_path / "公开.xlsx")],
        ["addin", "click", "计算得分", str(xlam), "--force"],
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and ".xlam" in err, (argv, err)
        assert xlam.read_bytes() == original and sorted(tmp_path.iterdir()) == [xlam], argv
