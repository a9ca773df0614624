"""Press the ribbon buttons on Linux through xlwings' JSON engine (``jixiao addin click``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from jixiao.addin import click, macros, port
from jixiao.addin.build import make_macro_workbook
from jixiao.cli import main
from jixiao.errors import JixiaoError


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
        xl = port.XlwingsPort(book, fullname=source)
        before = xl.snapshot()
        after = load_workbook(source)
        ws = after["附件1-2"]
        ws["B2"], ws["E5"] = 99.4, "计算说明"
        ws["A1"].fill = PatternFill("solid", start_color="FFF8CBAD")
        ws["A1"].comment = Comment("有问题", "jixiao")
        assert port.apply_changes(xl, before, after) == 3
        actions = book.json()["actions"]
    assert click.apply_actions(source, actions) == []
    ws = load_workbook(source)["附件1-2"]
    assert (ws["B2"].value, ws["E5"].value, ws["A1"].comment.text) == (99.4, "计算说明", "有问题")
    assert ws["A1"].fill.fgColor.rgb.endswith("F8CBAD")


def test_help_button_alerts_in_chinese(tmp_path, capsys):
    source = _workbook(tmp_path / "a.xlsx")
    assert main(["addin", "click", "帮助", str(source), "-o", str(tmp_path / "b.xlsx")]) == 0
    assert "绩效自评选项卡" in capsys.readouterr().out


def test_errors_are_one_chinese_alert_never_a_traceback(tmp_path):
    shown = []

    class Broken(port.OpenpyxlPort):
        def snapshot(self):
            raise ZeroDivisionError("boom")

    p = Broken(Workbook())
    p.alert = lambda message, title: shown.append(message)
    ok, message = macros.run_button("jx_score", p)
    assert not ok and shown == [message] and message.startswith("内部错误") and "Traceback" not in message


def test_click_keeps_the_ribbon_of_a_macro_workbook(tmp_path):
    xlsm = make_macro_workbook(_workbook(tmp_path / "a.xlsx"), tmp_path / "a.xlsm")
    out = click.click("帮助", xlsm, tmp_path / "b.xlsm").path
    with zipfile.ZipFile(out) as z:
        assert "customUI/customUI14.xml" in z.read("_rels/.rels").decode()
        assert "xl/vbaProject.bin" in z.namelist()


def _demo_workbook(tmp_path: Path) -> Path:
    main(["demo", "--out", str(tmp_path / "demo")])
    return next((tmp_path / "demo").glob("*.xlsx"))


@pytest.mark.libreoffice
def test_score_button_gives_the_cli_totals(soffice, tmp_path, capsys):
    from jixiao.api import check

    demo = _demo_workbook(tmp_path)
    capsys.readouterr()
    outcome = click.click("计算得分", demo, tmp_path / "clicked.xlsx")
    assert "附件1-2 株洲市行业办公室：总分 99.40，优" in outcome.alerts[0]
    clicked, cli = check(outcome.path), check(demo)
    assert [t.to_dict(2) for t in clicked.scores.tables()] == [t.to_dict(2) for t in cli.scores.tables()]


# ------------------------------------------------------------------ every button on the demo workbook

DEMO_NAME = "株洲市行业办公室2022年度绩效自评.xlsx"


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the demo workbook, recalculated once by LibreOffice (as Excel would have saved it)."""
    from jixiao.office import find_soffice

    if find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--out", str(out)]) == 0
    return click._recalculated(out / DEMO_NAME)


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
        clicked = macros.evaluate(port.XlwingsPort(book, fullname=work))
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
    assert outcome.alerts[0].startswith("校验：11 个错误、8 个警告、10 个提示")
    assert _values(outcome.path, ("校验结果",)) == _values(work, ("校验结果",))
    findings = load_workbook(outcome.path)["校验结果"]
    assert findings["A2"].value.startswith("共 29 条")
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
    assert (after.summary["errors"], after.summary["warnings"], after.summary["infos"]) == (11, 8, 10)
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
