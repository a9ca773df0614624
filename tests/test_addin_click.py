"""Press the ribbon buttons on Linux through xlwings' JSON engine (``jixiao addin click``)."""

from __future__ import annotations

import inspect
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from jixiao.addin import actions, adapters, click, macros, port
from jixiao.cli import main
from jixiao.errors import JixiaoError
from jixiao.office import convert


def _workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件1-2"
    ws["A1"], ws["B2"] = "单位", 3
    ws.merge_cells("C1:D1")
    wb.save(path)
    return path


def test_buttons_by_label_or_id():
    assert click.control_id("计算得分") == "jx_score" == click.control_id("jx_score")
    assert click.control_id("PDF") == "jx_export_pdf"
    with pytest.raises(JixiaoError, match="没有名为“打印”的按钮"):
        click.control_id("打印")


def test_payload_carries_the_installed_xlwings_version(tmp_path):
    import xlwings

    payload = click.payload_from_file(_workbook(tmp_path / "a.xlsx"))
    assert payload["version"] == xlwings.__version__
    assert payload["sheets"][0]["values"][1][1] == 3


def test_changes_round_trip_through_the_json_engine(tmp_path):
    source = _workbook(tmp_path / "a.xlsx")
    with click.json_engine() as xw:
        book = xw.Book(json=click.payload_from_file(source))
        xl = adapters.XlwingsPort(book, fullname=source)
        before = xl.snapshot()
        after = load_workbook(source)
        ws = after["附件1-2"]
        ws["B2"], ws["E5"] = 99.4, "计算说明"
        ws["A1"].fill = PatternFill("solid", start_color="FFF8CBAD")
        ws["A1"].comment = Comment("有问题", "jixiao")
        assert port.apply_changes(xl, before, after) == 3
        queued = book.json()["actions"]
    assert actions.apply_actions(source, queued) == []
    ws = load_workbook(source)["附件1-2"]
    assert (ws["B2"].value, ws["E5"].value, ws["A1"].comment.text) == (99.4, "计算说明", "有问题")
    assert ws["A1"].fill.fgColor.rgb.endswith("F8CBAD")


def _write_cells(xl) -> None:
    """Write through ``xl`` one of each change of cells and their formats (no structure)."""
    xl.set_value("附件1-2", "B2", "=1+1")
    xl.set_fill("附件1-2", "B2", "#F8CBAD")
    xl.set_hyperlink("附件1-2", "E1", "#附件1-2!B2", "去 B2")
    xl.set_marks("附件1-2", ["B2", "E1"], "#F8CBAD")
    xl.set_font("附件1-2", "A1", "黑体", 14, True)
    xl.set_alignment("附件1-2", "A1", "center", True)
    xl.set_row_height("附件1-2", 3, 30)
    xl.set_column_width("附件1-2", "F", 25)


def _assert_cells(ws) -> None:
    """Assert that ``ws`` holds what :func:`_write_cells` wrote."""
    b2, e1 = ws["B2"], ws["E1"]
    assert (b2.value, b2.fill.fgColor.rgb[-6:], e1.value) == ("=1+1", "F8CBAD", "去 B2")
    assert (ws["A1"].font.name, ws["A1"].font.sz, ws["A1"].font.b) == ("黑体", 14, True)
    assert (ws["A1"].alignment.horizontal, ws["A1"].alignment.wrap_text) == ("center", True)
    assert (ws.row_dimensions[3].height, ws.column_dimensions["F"].width) == (30, 25)
    assert port.marks_of(ws) == ["B2", "E1"]
    (block,) = ws.conditional_formatting
    assert block.rules[0].dxf.fill.fgColor.rgb[-6:] == "F8CBAD"


def test_every_port_write_reaches_the_file_through_the_action_table(tmp_path):
    source = _workbook(tmp_path / "a.xlsx")
    with click.json_engine() as xw:
        book = xw.Book(json=click.payload_from_file(source))
        xl = adapters.XlwingsPort(book, fullname=source)
        _write_cells(xl)
        xl.set_note("附件1-2", "B2", "公式")
        xl.unmerge("附件1-2", "C1:D1")
        xl.merge("附件1-2", "A5:B5")
        xl.set_name(None, "JX_TOTAL", "='附件1-2'!$B$2")
        xl.add_sheet("校验结果", "附件1-2")
        xl.alert("完成", "绩效自评")
        queued = book.json()["actions"]
    assert actions.apply_actions(source, queued) == ["完成"]
    wb = load_workbook(source)
    ws = wb["附件1-2"]
    _assert_cells(ws)
    assert (ws["B2"].comment.text, ws["E1"].hyperlink.target) == ("公式", "#附件1-2!B2")
    assert {str(r) for r in ws.merged_cells.ranges} == {"A5:B5"}
    assert wb.defined_names["JX_TOTAL"].attr_text == "'附件1-2'!$B$2"
    assert wb.sheetnames == ["附件1-2", "校验结果"]


def test_non_structural_port_writes_reach_the_package_in_place(tmp_path):
    from jixiao.addin.surgical import apply_to_package, surgical

    source = _workbook(tmp_path / "a.xlsx")
    with click.json_engine() as xw:
        book = xw.Book(json=click.payload_from_file(source))
        xl = adapters.XlwingsPort(book, fullname=source)
        _write_cells(xl)
        xl.set_value("附件1-2", "D1", "合并格")  # D1 lies in C1:D1: written into C1, as Excel does
        xl.alert("完成", "绩效自评")
        queued = list(book.json()["actions"])
        xl.add_sheet("校验结果", "附件1-2")
        assert not surgical(book.json()["actions"])  # a new sheet is structural
    assert surgical(queued)
    data, alerts = apply_to_package(source.read_bytes(), queued, ["附件1-2"])
    assert alerts == ["完成"]
    out = tmp_path / "b.xlsx"
    out.write_bytes(data)
    ws = load_workbook(out)["附件1-2"]
    _assert_cells(ws)
    assert (ws["C1"].value, ws["E1"].hyperlink.location) == ("合并格", "附件1-2!B2")
    assert ws["A1"].value == "单位"  # a format change keeps the value
    with zipfile.ZipFile(source) as before, zipfile.ZipFile(out) as after:
        changed = {n for n in before.namelist() if before.read(n) != after.read(n)}
    assert (
        {"xl/worksheets/sheet1.xml", "xl/styles.xml"}
        <= changed
        <= {
            "xl/worksheets/sheet1.xml",
            "xl/styles.xml",
            "xl/workbook.xml",  # the recalculate-on-open flag
        }
    )


class _Condition:
    def __init__(self, conditions, kind, formula, cells):
        self.conditions, self.Type, self.cells = conditions, kind, cells
        self._formula = formula
        self.Interior = type("Interior", (), {"Color": None})()

    @property
    def Formula1(self):
        if self._formula is None:
            raise AttributeError("a data bar has no Formula1")
        return self._formula

    def Delete(self):
        self.conditions.items.remove(self)


class _Conditions:
    def __init__(self, cells=()):
        self.items, self.cells = [], list(cells)

    @property
    def Count(self):
        return len(self.items)

    def Item(self, index):
        return self.items[index - 1]

    def Add(self, Type, Formula1):
        condition = _Condition(self, Type, Formula1, self.cells)
        self.items.append(condition)
        return condition


def test_in_excel_the_marks_are_one_format_condition_and_the_users_stay():
    """The desktop branch of set_marks against a stand-in of Excel's object model."""
    sheet_conditions = _Conditions()

    class Range:
        def __init__(self, cells):
            self.cells = cells
            self.FormatConditions = _Conditions(cells)
            self.FormatConditions.items = sheet_conditions.items

    class SheetApi:
        Cells = type("Cells", (), {"FormatConditions": sheet_conditions})()

        def Range(self, ref):
            return Range([ref])

    class App:
        engine = type("Engine", (), {"name": "excel"})()
        api = type("AppApi", (), {"Union": staticmethod(lambda a, b: Range(a.cells + b.cells))})()

    class Book:
        def __init__(self):
            self.app, self.sheets = App(), {"附件1-2": type("Sheet", (), {"api": SheetApi()})()}

    users = [_Condition(sheet_conditions, 2, "=$A$1>5", ["A1"]), _Condition(sheet_conditions, 4, None, [])]
    sheet_conditions.items.extend(users)
    xl = adapters.XlwingsPort(Book())
    xl.set_marks("附件1-2", ["H14", "D16", "F20"], "#F8CBAD")
    xl.set_marks("附件1-2", ["H14", "D16"], "#F8CBAD")  # replaced, not added
    ours = [c for c in sheet_conditions.items if c not in users]
    assert len(ours) == 1 and ours[0].cells == ["H14", "D16"] and ours[0].Formula1 == '="jixiao"<>""'
    assert ours[0].Interior.Color == 0xF8 + 0xCB * 256 + 0xAD * 65536  # Excel's colours are BGR
    xl.set_marks("附件1-2", [], "#F8CBAD")
    assert sheet_conditions.items == users


def test_an_action_the_simulator_does_not_know_is_refused_before_writing(tmp_path):
    source = _workbook(tmp_path / "a.xlsx")
    before = source.read_bytes()
    queued = [
        {"func": "setValues", "args": [], "values": [["x"]], "sheet_position": 0, "start_row": 0,
         "start_column": 0, "row_count": 1, "column_count": 1},
        {"func": "addPicture", "args": [], "sheet_position": 0},
    ]  # fmt: skip
    with pytest.raises(
        JixiaoError, match=r"^命令行模拟（jixiao addin click）不支持 Excel 操作 addPicture；支持的"
    ):
        actions.apply_actions(source, queued)
    assert source.read_bytes() == before


@pytest.mark.parametrize("title", ["It's", "附件1-3(2)", "项目 表-2"])
def test_sheet_names_are_quoted_as_excel_spells_them(tmp_path, title):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws["B3"] = "项目名称"
    quoted = "'" + title.replace("'", "''") + "'"
    wb.defined_names["JX_BOOK"] = DefinedName("JX_BOOK", attr_text=f"{quoted}!$B$3")
    ws.defined_names["JX_SHEET"] = DefinedName("JX_SHEET", attr_text=f"{quoted}!$B$3")
    source = tmp_path / "a.xlsx"
    wb.save(source)
    with click.json_engine() as xw:
        book = xw.Book(json=click.payload_from_file(source, f"{quoted}!B3"))
        selected = adapters.XlwingsPort(book).selection()
        snapshot = adapters.XlwingsPort(book).snapshot()  # no saved file: the names come from the book
    assert selected == (title, "B3")
    assert snapshot.defined_names["JX_BOOK"].attr_text == f"{quoted}!$B$3"
    assert snapshot[title].defined_names["JX_SHEET"].attr_text == f"{quoted}!$B$3"
    assert adapters.OpenpyxlPort(wb, selection=f"{quoted}!B3").selection() == (title, "B3")


def test_both_adapters_have_every_method_of_the_port_with_its_signature():
    members = [n for n, v in vars(port.Port).items() if callable(v) and not n.startswith("_")]
    assert "snapshot" in members and "alert" in members
    for instance in (adapters.OpenpyxlPort(Workbook()), adapters.XlwingsPort(book=None)):
        for name in members:
            expected = inspect.signature(getattr(port.Port, name))
            assert inspect.signature(getattr(type(instance), name)) == expected, (instance, name)
        assert (instance.folder, instance.fullname) == (None, None)  # the Port's two attributes


def test_help_button_alerts_in_chinese_and_writes_nothing(tmp_path, capsys):
    source = _workbook(tmp_path / "a.xlsx")
    before = source.read_bytes()
    assert main(["addin", "click", "帮助", str(source)]) == 0
    assert "绩效自评选项卡" in capsys.readouterr().out
    assert source.read_bytes() == before and list(tmp_path.iterdir()) == [source]  # no backup either


def test_a_button_that_cannot_do_its_work_leaves_the_file_as_it_was(tmp_path, capsys):
    source = _workbook(tmp_path / "a.xlsx")
    before = source.read_bytes()
    assert main(["addin", "click", "计算得分", str(source)]) == 1
    captured = capsys.readouterr()
    assert "未能完成" in captured.out and "未改动" in captured.err
    assert "a.xlsx：不是 jixiao 绩效自评工作簿" in captured.out and "jixiao-macro-" not in captured.out
    assert source.read_bytes() == before and list(tmp_path.iterdir()) == [source]


def test_errors_are_one_chinese_alert_never_a_traceback(tmp_path):
    shown = []

    class Broken(adapters.OpenpyxlPort):
        def snapshot(self):
            raise ZeroDivisionError("boom")

    p = Broken(Workbook())
    p.alert = lambda message, title: shown.append(message)
    ok, message = macros.run_button("jx_score", p)
    assert not ok and shown == [message] and message.startswith("内部错误") and "Traceback" not in message


def test_click_keeps_the_ribbon_of_a_macro_workbook(tmp_path):
    xlsm = tmp_path / "a.xlsm"
    assert main(["new", "--macro", "--year", "2023", "--unit", "测试单位", "-o", str(xlsm)]) == 0
    out = click.click("校验", xlsm, tmp_path / "b.xlsm").path
    assert out == tmp_path / "b.xlsm"
    with zipfile.ZipFile(out) as z:
        assert "customUI/customUI14.xml" in z.read("_rels/.rels").decode()
        assert "xl/vbaProject.bin" in z.namelist()


@pytest.mark.libreoffice
def test_score_button_gives_the_cli_totals(soffice, demo, tmp_path, capsys):
    from jixiao.api import check

    demo = _copy(demo, tmp_path)
    capsys.readouterr()
    outcome = click.click("计算得分", demo, tmp_path / "clicked.xlsx")
    assert "附件1-2 株洲市行业办公室：总分 99.40，优" in outcome.alerts[0]
    clicked, cli = check(outcome.path), check(demo)
    assert [t.to_dict(2) for t in clicked.scores.tables()] == [t.to_dict(2) for t in cli.scores.tables()]


# ------------------------------------------------------------------ every button on the demo workbook


@pytest.fixture(scope="module")
def demo_book(soffice: str, demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the demo workbook, recalculated once by LibreOffice (as Excel would have saved it).

    Through conftest's ``soffice``: skipped without LibreOffice locally, a failure in CI.
    """
    return convert(demo, "xlsx", tmp_path_factory.mktemp("recalculated"))


def _copy(source: Path, folder: Path) -> Path:
    target = folder / "单位.xlsx"
    target.write_bytes(source.read_bytes())
    return target


def _places(findings) -> set[tuple[str, str | None, str | None]]:
    return {(f.rule, f.sheet, f.cell) for f in findings}


def _values(path: Path, skip: tuple[str, ...]) -> dict[tuple[str, str], object]:
    return _book_values(load_workbook(path), skip)


def _book_values(wb: Workbook, skip: tuple[str, ...] = ()) -> dict[tuple[str, str], object]:
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        if ws.title not in skip
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }


@pytest.mark.libreoffice
def test_check_button_finds_exactly_what_jixiao_check_finds(soffice, demo_book, tmp_path):
    from jixiao.api import check

    work = _copy(demo_book, tmp_path)
    with click.json_engine() as xw:
        book = xw.Book(json=click.payload_from_file(work))
        clicked = macros.evaluate(adapters.XlwingsPort(book, fullname=work))
    cli = check(work)
    assert _places(clicked.findings) == _places(cli.findings)
    assert clicked.summary == cli.summary


@pytest.mark.libreoffice
def test_check_button_writes_only_the_findings_and_marks(soffice, demo_book, tmp_path):
    work = _copy(demo_book, tmp_path)
    wb = load_workbook(work)
    wb["附件1-2"]["H14"] = 0  # a stale score: 校验 must leave it, 计算得分 must fix it
    wb.save(work)
    outcome = click.click("校验", work, tmp_path / "checked.xlsx")
    assert outcome.alerts[0].startswith("校验：13 个错误、9 个警告、10 个提示")
    assert _values(outcome.path, ("校验结果",)) == _values(work, ("校验结果",))
    findings = load_workbook(outcome.path)["校验结果"]
    assert findings["A2"].value.startswith("共 32 条")
    scored = click.click("计算得分", work, tmp_path / "scored.xlsx")
    assert load_workbook(scored.path)["附件1-2"]["H14"].value != 0


@pytest.mark.libreoffice
def test_report_button_fills_the_sheet_and_keeps_edits(soffice, demo_book, tmp_path):
    work = _copy(demo_book, tmp_path)
    wb = load_workbook(work)
    wb["自评报告"]["A5"] = "单位自己改写的一段"
    wb.save(work)
    outcome = click.click("生成报告", work, tmp_path / "report.xlsx")
    assert "已另存为“自评报告(" in outcome.alerts[0]
    wb = load_workbook(outcome.path)
    kept = next(t for t in wb.sheetnames if t.startswith("自评报告("))
    assert wb[kept]["A5"].value == "单位自己改写的一段"
    texts = [c.value for c in wb["自评报告"]["A"] if c.value]
    assert any(str(t).strip().startswith("十、") for t in texts) and "单位自己改写的一段" not in texts
    assert wb["自评报告"]["A2"].font.name == "黑体"


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("button", "suffix"),
    [
        ("jx_export_xlsx", ".xlsx"),
        ("jx_export_docx", ".docx"),
        ("jx_export_pdf", ".pdf"),
        ("公开版", ".docx"),
    ],
)
def test_export_buttons_write_beside_the_workbook_and_say_where(soffice, demo_book, tmp_path, button, suffix):
    work = _copy(demo_book, tmp_path)
    outcome = click.click(button, work, tmp_path / "out.xlsx")
    written = Path(outcome.alerts[0].splitlines()[-1])
    assert outcome.exit_code == 0 and written.parent == tmp_path and written.suffix == suffix
    assert written.is_file() and written.stat().st_size > 1000
    assert ("公开版" in written.name) == (button == "公开版")


@pytest.mark.libreoffice
def test_add_project_button_copies_the_last_project_sheet_in_the_workbook(soffice, demo_book, tmp_path):
    from jixiao.workbook.operations import copy_project_sheet
    from jixiao.workbook.reader import read_workbook

    work = _copy(demo_book, tmp_path)
    outcome = click.click("新增项目表", work, tmp_path / "out.xlsx")
    assert outcome.exit_code == 0 and "为“附件1-3(3)”" in outcome.alerts[0]
    assert not (tmp_path / "单位-新增项目表.xlsx").exists()
    wb = load_workbook(outcome.path)
    assert wb["附件1-3(3)"].defined_names["JX_T13_NAME"].attr_text == "'附件1-3(3)'!$B$3"
    expected = load_workbook(work)
    copy_project_sheet(expected)
    assert _values(outcome.path, ()) == _book_values(expected)
    filing, findings = read_workbook(outcome.path)
    assert len(filing.t13) == 3 and not [f for f in findings if f.rule.startswith("WB-")]


@pytest.mark.libreoffice
def test_add_row_button_inserts_at_the_selection_in_the_workbook(soffice, demo_book, tmp_path):
    from jixiao.api import check
    from jixiao.workbook.operations import insert_indicator_row
    from jixiao.workbook.reader import read_workbook

    work = _copy(demo_book, tmp_path)
    outcome = click.click("新增指标行", work, tmp_path / "out.xlsx", selection="附件1-2!D16")
    assert outcome.alerts[0] == "已在“附件1-2”第 16 行下方新增第 17 行。"
    assert not (tmp_path / "单位-新增指标行.xlsx").exists()
    wb = load_workbook(outcome.path)
    ws = wb["附件1-2"]
    assert ws["D17"].value is None and ws["D18"].value == load_workbook(work)["附件1-2"]["D17"].value
    expected = load_workbook(work)
    insert_indicator_row(expected, "附件1-2", 16)
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted(
        map(str, expected["附件1-2"].merged_cells.ranges)
    )
    assert wb.defined_names["JX_T12_IND"].attr_text == expected.defined_names["JX_T12_IND"].attr_text
    assert _values(outcome.path, ()) == _book_values(expected)
    _filing, findings = read_workbook(outcome.path)
    assert not [f for f in findings if f.rule.startswith("WB-")]
    before, after = check(work), check(outcome.path)
    assert after.summary == before.summary
    assert (after.summary["errors"], after.summary["warnings"], after.summary["infos"]) == (13, 9, 10)
    moved = {(r, s, c) for r, s, c in _places(before.findings) if s != "附件1-2" or c is None}
    assert moved <= _places(after.findings)
    refused = click.click("新增指标行", work, tmp_path / "out2.xlsx", selection="附件1-2!A1")
    assert refused.exit_code == 1 and refused.alerts[0].startswith("未能完成：请先选中指标区")
    assert "Traceback" not in refused.alerts[0]


@pytest.mark.libreoffice
def test_add_row_below_the_last_row_of_a_group_grows_the_merges(soffice, demo_book, tmp_path):
    from jixiao.workbook.operations import insert_indicator_row

    work = _copy(demo_book, tmp_path)
    outcome = click.click("新增指标行", work, tmp_path / "out.xlsx", selection="附件1-2!D18")
    expected = load_workbook(work)
    insert_indicator_row(expected, "附件1-2", 18)
    ws = load_workbook(outcome.path)["附件1-2"]
    assert "C14:C19" in {str(r) for r in ws.merged_cells.ranges}
    assert sorted(map(str, ws.merged_cells.ranges)) == sorted(
        map(str, expected["附件1-2"].merged_cells.ranges)
    )


@pytest.mark.parametrize(
    ("selection", "words"), [("garbage", "单元格地址“garbage”无效"), ("无此表!A1", "没有名为“无此表”")]
)
def test_a_bad_selection_is_a_one_line_refusal_and_the_file_is_untouched(
    demo, tmp_path, capsys, selection, words
):
    work = _copy(demo, tmp_path)
    before = work.read_bytes()
    assert main(["addin", "click", "新增指标行", str(work), "--select", selection]) == 2
    err = capsys.readouterr().err
    assert words in err and err.count("\n") == 1 and "内部错误" not in err
    assert work.read_bytes() == before and list(tmp_path.iterdir()) == [work]
