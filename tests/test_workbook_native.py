"""Native scoring: the workbook scores without Python, and after ``jixiao score`` LibreOffice's
recalculation of every 得分, 执行率得分, 总分 and 等级 equals jixiao's to the cent (issue 16).

The sample and edited copies of it (a changed 实际完成值, a 定性档次 chosen, a row only Python can
score, a number typed as text) are recalculated by LibreOffice and compared cell by cell."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.api import check
from jixiao.cli import main
from jixiao.numbers import quantize
from tests.test_workbook_libreoffice import dec, named, recalculated

pytestmark = pytest.mark.libreoffice


def _copy(demo: Path, tmp_path: Path, name: str = "edit.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(demo.read_bytes())
    return path


def _row(ws, name: str) -> int:
    return next(c.row for c in ws["D"] if c.value == name)


def assert_sheet_agrees_with_jixiao(path: Path, tmp_path: Path) -> None:
    """Assert that LibreOffice's figures of every scored table of ``path`` are jixiao's."""
    result = check(path)
    lo = load_workbook(recalculated(path, tmp_path / "lo"), data_only=True)
    for table in result.scores.tables():
        ws = lo[table.sheet]
        scope = ws if table.table == "1-3" else None
        prefix = "JX_T13_" if scope is not None else "JX_T12_"
        for s in table.indicators:
            shown = ws[s.indicator.where.cells["score"]].value
            if s.score is None:
                assert shown in (None, ""), (table.sheet, s.indicator.name, shown)
            else:
                assert quantize(dec(shown)) == s.score, (table.sheet, s.indicator.name, shown, s.score)
        assert quantize(dec(named(lo, prefix + "EXEC_SCORE", scope))) == table.exec.score
        assert quantize(dec(named(lo, prefix + "TOTAL", scope))) == table.total, table.sheet
        assert named(lo, prefix + "GRADE", scope) == table.grade, table.sheet


def test_the_scored_sample_agrees_cell_by_cell(soffice: str, demo: Path, tmp_path: Path) -> None:
    assert_sheet_agrees_with_jixiao(demo, tmp_path)


def test_edited_copies_agree_after_score(soffice: str, demo: Path, tmp_path: Path) -> None:
    path = _copy(demo, tmp_path)
    wb = load_workbook(path)
    ws = wb["附件1-3(1)"]
    ws[f"F{_row(ws, '开展老干党支部学习活动')}"] = "10次"  # a changed 实际完成值: 10/12 × 10 = 8.33
    qual = _row(ws, "提升老干幸福感，归属感")
    ws[f"X{qual}"] = "部分达成"  # a 定性档次 chosen, with a score inside [18, 24)
    ws[f"M{qual}"] = 21
    typed = _row(ws, "全员参与（特殊情况除外）")
    ws[f"F{typed}"], ws[f"R{typed}"] = "约两百人", 200  # the number typed beside words: 200/264 × 10
    t12 = wb["附件1-2"]
    late = _row(t12, "工资待遇按时发放")
    t12[f"E{late}"], t12[f"F{late}"] = (
        "2022年10月底前",
        "2022年12月",
    )  # a deadline missed: only Python reads it
    wb.save(path)
    lo = load_workbook(recalculated(path, tmp_path / "before"), data_only=True)
    assert lo["附件1-3(1)"][f"H{qual}"].value == 21  # the tier scores without Python
    assert dec(lo["附件1-3(1)"][f"H{typed}"].value) == Decimal("7.58")  # and the typed number
    assert lo["附件1-2"][f"H{late}"].value == "待计算"
    assert named(lo, "JX_T12_GRADE") == "暂计"
    assert main(["score", str(path), "--brief"]) == 1
    assert_sheet_agrees_with_jixiao(path, tmp_path)
    result = check(path)
    project = result.scores.projects[0]
    assert [s.score for s in project.indicators if s.indicator.name == "开展老干党支部学习活动"] == [
        Decimal("8.33")
    ]
    assert [s.score for s in project.indicators if s.indicator.name == "全员参与（特殊情况除外）"] == [
        Decimal("7.58")
    ]


def test_an_unscored_filled_workbook_scores_itself(soffice: str, tmp_path: Path) -> None:
    from jixiao.samples import load_sample
    from jixiao.workbook.builder import build_workbook

    filing, _ = load_sample()
    path = tmp_path / "unscored.xlsx"
    build_workbook(filing).save(path)
    lo = load_workbook(recalculated(path, tmp_path), data_only=True)
    assert quantize(dec(named(lo, "JX_T12_TOTAL"))) == Decimal("99.40")  # was 9.80 差 without jixiao score
    assert named(lo, "JX_T12_GRADE") == "优"
    totals = [
        quantize(dec(named(lo, "JX_T13_TOTAL", ws)))
        for ws in lo.worksheets
        if "JX_T13_TOTAL" in ws.defined_names
    ]
    assert totals == [Decimal("89.17"), Decimal("99.95")]


def test_a_blank_form_shows_no_score_and_no_grade(soffice: str, tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    assert main(["new", "--year", "2023", "--unit", "某单位", "--projects", "1", "-o", str(path)]) == 0
    lo = load_workbook(recalculated(path, tmp_path), data_only=True)
    ws = next(ws for ws in lo.worksheets if "JX_T13_TOTAL" in ws.defined_names)
    for value in (
        named(lo, "JX_T12_TOTAL"), named(lo, "JX_T12_GRADE"), named(lo, "JX_T12_EXEC_SCORE"),
        named(lo, "JX_T13_TOTAL", ws), named(lo, "JX_T13_GRADE", ws),
    ):  # fmt: skip
        assert value in (None, ""), value  # not "0.00 等级：差"


def test_a_number_typed_as_text_is_flagged_then_normalised(soffice: str, demo: Path, tmp_path: Path) -> None:
    path = _copy(demo, tmp_path)
    wb = load_workbook(path)
    wb["附件1-3(1)"]["F6"] = "３８万"  # 全年执行数 as the 填表说明 once invited
    wb.save(path)
    lo = load_workbook(recalculated(path, tmp_path / "typed"), data_only=True)
    sheet = next(ws for ws in lo.worksheets if ws.title == "附件1-3(1)")
    assert dec(named(lo, "JX_T13_EXEC_SCORE", sheet)) == 0  # the formulas cannot read it ...
    result = check(path)
    found = [f for f in result.findings if f.rule == "INPUT-TEXT-NUMBER"]
    assert [(f.sheet, f.cell) for f in found] == [("附件1-3(1)", "F6")]  # ... and the finding says so
    assert "公式" in found[0].message and "jixiao score" in found[0].message
    assert result.scores.projects[0].total == Decimal("89.17")  # jixiao reads 38
    main(["score", str(path), "--brief"])
    assert load_workbook(path)["附件1-3(1)"]["F6"].value == 38
    assert_sheet_agrees_with_jixiao(path, tmp_path)
    backup = next(tmp_path.glob("edit.bak-*.xlsx"))
    assert load_workbook(backup)["附件1-3(1)"]["F6"].value == "３８万"  # what was typed
