"""Press the ribbon buttons on Linux through xlwings' JSON engine (``jixiao addin click``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from jixiao.addin import click, macros, port
from jixiao.addin.build import make_macro_workbook
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

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
    from jixiao.plugins import registry

    if ".xlsx" not in registry().readers:
        pytest.skip("the workbook layer is not installed")
    main(["demo", "--out", str(tmp_path / "demo")])
    return next((tmp_path / "demo").glob("*.xlsx"))


@pytest.mark.libreoffice
def test_score_button_gives_the_cli_totals(soffice, tmp_path, capsys):
    from jixiao.pipeline import run

    demo = _demo_workbook(tmp_path)
    capsys.readouterr()
    outcome = click.click("计算得分", demo, tmp_path / "clicked.xlsx")
    assert "附件1-2 株洲市行业办公室：总分 99.40，优" in outcome.alerts[0]
    clicked, cli = run(outcome.path), run(demo)
    assert [t.to_dict(2) for t in clicked.scores.tables()] == [t.to_dict(2) for t in cli.scores.tables()]
