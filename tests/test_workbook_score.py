"""``jixiao score`` on a workbook: output cells only, nothing lost, backup; ``jixiao new`` and --from."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.workbook.reader import read_workbook

DEMO_NAME = "株洲市行业办公室2022年度绩效自评.xlsx"


def backups(path: Path) -> list[Path]:
    """Return the dated backups kept beside ``path``."""
    return sorted(path.parent.glob(f"{path.stem}.bak-*{path.suffix}"))


def _copy(demo: Path, tmp_path: Path) -> Path:
    target = tmp_path / "work.xlsx"
    target.write_bytes(demo.read_bytes())
    return target


def input_cells(path: Path) -> dict[tuple[str, str], object]:
    """Return every unlocked (input) cell's value, by sheet and coordinate."""
    wb = load_workbook(path)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        if ws.protection.sheet
        for row in ws.iter_rows()
        for c in row
        if type(c).__name__ != "MergedCell" and not c.protection.locked
    }


def formula_cells(path: Path) -> dict[tuple[str, str], str]:
    """Return every formula, by sheet and coordinate."""
    wb = load_workbook(path)
    return {
        (ws.title, c.coordinate): c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    }


def marked(ws) -> set[str]:
    """Return the cells jixiao's conditional format highlights on ``ws``."""
    from jixiao.workbook.writer import MARK_FORMULA

    return {
        str(cell)
        for cf in ws.conditional_formatting
        for rule in cf.rules
        if list(rule.formula or []) == [MARK_FORMULA]
        for rng in cf.sqref.ranges
        for cell in [rng.coord]
    }


def _row_of(ws, text: str) -> int:
    return next(c.row for c in ws["D"] if c.value == text)


def test_demo_workbook_holds_jixiao_scores_and_findings(demo: Path) -> None:
    wb = load_workbook(demo)
    ws = wb["附件1-2"]
    row = _row_of(ws, "开展老干党支部学习活动")
    assert ws[f"H{row}"].value.startswith("=")  # 得分 is a native formula (LibreOffice computes 5.50)
    helpers = (ws[f"S{row}"].value, ws[f"U{row}"].value, ws[f"W{row}"].value)
    assert helpers == (12, 11, "正向")  # jixiao read 每月一次 and 11 次 for the formulas
    assert ws[f"M{row}"].value == 6  # the score as filed stays in its input column
    assert "11/12×6=5.50" in ws[f"N{row}"].value
    findings = wb["校验结果"]
    assert findings["A2"].value.startswith("共 32 条")
    linked = [c for c in findings["D"] if c.hyperlink is not None]
    assert linked and linked[0].hyperlink.location.startswith("'附件1-1'!")
    # the finding on the filed score (M, beside the print area) points at the printed 得分 H
    assert f"H{row}" in marked(ws)  # highlighted by jixiao's conditional format, the cell's own look kept
    assert ws[f"H{row}"].comment is None and not ws[f"H{row}"].fill.fgColor.rgb.endswith("F8CBAD")
    assert any(c.value == f"附件1-2!H{row}" for c in findings["D"])  # the explanation is in 校验结果


def test_edit_then_score_in_place_changes_outputs_only(demo: Path, tmp_path: Path) -> None:
    path = _copy(demo, tmp_path)
    wb = load_workbook(path)
    ws = wb["附件1-2"]
    row = _row_of(ws, "开展老干党支部学习活动")
    ws[f"F{row}"] = "12 次"
    wb.save(path)
    before_inputs, before_formulas = input_cells(path), formula_cells(path)
    original = path.read_bytes()
    assert main(["score", str(path), "--brief"]) == 1  # the sample keeps its filed errors
    assert [b.read_bytes() for b in backups(path)] == [original]
    assert input_cells(path) == before_inputs
    assert formula_cells(path) == before_formulas
    wb = load_workbook(path, data_only=True)  # the cached value of the native 得分
    assert float(wb["附件1-2"][f"H{row}"].value) == 6.0
    wb = load_workbook(path)
    filing, _ = read_workbook(path)
    from jixiao.pipeline import evaluate

    assert str(evaluate(filing).scores.department.total) == "99.90"
    assert f"M{row}" not in marked(wb["附件1-2"])  # the IND-SCORE finding is gone, and its mark


def test_score_to_another_file_leaves_the_source_alone(demo: Path, tmp_path: Path) -> None:
    path = _copy(demo, tmp_path)
    original = path.read_bytes()
    out = tmp_path / "out.xlsx"
    main(["score", str(path), "-o", str(out), "--brief"])
    assert path.read_bytes() == original and out.exists()
    assert backups(path) == []


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10_000),
            st.one_of(
                st.text(alphabet="0123456789.,万元%１２次 —abc", max_size=8),
                st.integers(min_value=0, max_value=10**6),
                st.decimals(min_value=0, max_value=10**5, places=2).map(float),
                st.none(),
            ),
        ),
        max_size=6,
    )
)
def test_nothing_is_lost_whatever_the_user_types(demo: Path, tmp_path: Path, edits) -> None:
    path = _copy(demo, tmp_path)
    wb = load_workbook(path)
    inputs = sorted(input_cells(path))
    for index, value in edits:
        sheet, coordinate = inputs[index % len(inputs)]
        wb[sheet][coordinate].value = value
    wb.save(path)
    before = input_cells(path)
    code = main(["score", str(path), "--brief"])
    assert code in (0, 1)
    after = input_cells(path)
    for key, value in before.items():  # kept, or a number typed as text now the number it reads as
        if after[key] != value:
            assert isinstance(value, str) and isinstance(after[key], int | float), (key, value, after[key])
    if after != before:  # and what was typed is in the backup
        assert input_cells(backups(path)[-1]) == before


def test_new_from_rolls_the_scored_demo_into_next_year(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "2023.xlsx"
    assert main(["new", "--from", str(demo), "-o", str(out)]) == 0
    filing, findings = read_workbook(out)
    previous, _ = read_workbook(demo)
    assert [f.rule for f in findings] == []
    assert filing.year == 2023 and filing.unit == "株洲市行业办公室"
    t11, old = filing.t11, previous.t11
    assert (t11.sangong.prev_final, t11.public.prev_final, t11.projects.prev_final) == (
        old.sangong.final, old.public.final, old.projects.final,
    )  # fmt: skip
    assert t11.sangong.prev_final == Decimal("11.99") and t11.public.prev_final == Decimal("250.31")
    assert t11.special_items[0].prev_final == 20 and t11.sangong.final is None
    assert [i.name for i in filing.t12.indicators] == [i.name for i in previous.t12.indicators]
    assert all(i.actual is None and i.reported_score is None for i in filing.t12.indicators)
    assert filing.t12.indicators[4].target == "每月一次"
    assert [p.name for p in filing.t13] == [p.name for p in previous.t13]
    assert filing.t13[0].budget.executed is None
    assert filing.spending.prev_personnel == Decimal("2355.31")  # 622.9 + 1732.41
    assert filing.prose.functions == previous.prose.functions
    wb = load_workbook(out)
    assert wb["附件1-1"]["B5"].value == '=(JX_YEAR-1)&"年决算数"'
    assert wb["校验结果"]["A2"].value.startswith("尚未校验")


def test_new_blank_workbook_and_its_refusals(tmp_path: Path, capsys) -> None:
    out = tmp_path / "blank.xlsx"
    assert main(["new", "--year", "2024", "--unit", "某局", "--projects", "2", "-o", str(out)]) == 0
    filing, _ = read_workbook(out)
    assert (filing.year, filing.unit, len(filing.t13), filing.t13[0].implementer) == (2024, "某局", 2, "某局")
    assert main(["new", "--year", "2024", "--unit", "某局", "-o", str(out)]) == 2
    assert "已存在" in capsys.readouterr().err
    assert main(["new", "--unit", "某局", "-o", str(tmp_path / "x.xlsx")]) == 2
    assert main(["new", "--year", "2024", "--unit", "某局", "-o", str(tmp_path / "x.docx")]) == 2
    assert main(["check", str(tmp_path / "missing.xlsx")]) == 2


def test_xlsm_keeps_its_ribbon_link_when_scored_in_place(demo: Path, tmp_path: Path) -> None:
    import zipfile

    link = (
        '<Relationship Id="rJxUI" Type="http://schemas.microsoft.com/office/2007/relationships/ui/'
        'extensibility" Target="customUI/customUI14.xml"/>'
    )
    path = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(demo) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "_rels/.rels":
                data = data.decode().replace("</Relationships>", link + "</Relationships>").encode()
            zout.writestr(item.filename, data)
        zout.writestr("customUI/customUI14.xml", '<customUI xmlns="x"><ribbon/></customUI>')
    assert main(["score", str(path), "--brief"]) == 1
    with zipfile.ZipFile(path) as z:
        assert link in z.read("_rels/.rels").decode()
        assert "customUI/customUI14.xml" in z.namelist()
    assert read_workbook(path)[0].unit == "株洲市行业办公室"
    assert len(backups(path)) == 1


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://evil.example","点此")', "=1+1", "+1", "@SUM(A1)"])
def test_user_text_lands_in_the_findings_sheet_as_text(demo: Path, tmp_path: Path, typed: str) -> None:
    import zipfile

    from jixiao.findings import Finding
    from jixiao.workbook.layout import sheet_names
    from jixiao.workbook.writer import fill_findings, save_atomic

    wb = load_workbook(demo)
    finding = Finding(
        rule="SCORE-QUANT", severity="error", table="1-2", sheet="附件1-2", cell="H14",
        subject=typed, message=f"实际完成值“{typed}”", expected=typed, actual=typed,
    )  # fmt: skip
    fill_findings(wb, [finding])
    target = tmp_path / "typed.xlsx"
    save_atomic(wb, target)
    ws = load_workbook(target)[sheet_names()["findings"]]
    assert ws["E4"].value == typed and typed in ws["F4"].value
    assert all(ws[f"{col}4"].value in (typed, "见问题说明") for col in "GH")  # a long one is not repeated
    assert all(ws[f"{col}4"].data_type == "s" for col in "EFGH")
    with zipfile.ZipFile(target) as z:
        formulas = [
            f
            for n in z.namelist()
            if n.startswith("xl/worksheets/sheet")
            for f in re.findall(rb"<f>[^<]*", z.read(n))
        ]
    assert formulas and not any(b"HYPERLINK" in f or f == b"<f>1+1" for f in formulas)


def _styled_cells(path: Path) -> dict:
    """Return every cell's kind, value and style (border, fill, font, protection), by sheet."""
    wb = load_workbook(path)
    return {
        ws.title: (
            sorted(r.coord for r in ws.merged_cells.ranges),
            {
                key: (
                    type(c).__name__,
                    c.value,
                    repr(c.border),
                    repr(c.fill),
                    repr(c.font),
                    repr(c.protection),
                )
                for key, c in ws._cells.items()
            },
        )
        for ws in wb.worksheets
    }


def _read_and_scored(demo: Path, tmp_path: Path):
    """Return (a copy of the demo workbook, what the workbook reader loaded of it, its result)."""
    from jixiao import workbook
    from jixiao.pipeline import evaluate

    source = _copy(demo, tmp_path)
    loaded = workbook.read(source)
    return source, loaded, evaluate(loaded.filing, loaded.findings, source=str(source))


def test_score_writes_into_the_workbook_it_read_the_same_as_reopening_it(
    demo: Path, tmp_path: Path, monkeypatch
) -> None:
    from jixiao.workbook import writer

    source, loaded, result = _read_and_scored(demo, tmp_path)
    writer.write_result(source, tmp_path / "reopened.xlsx", result)
    monkeypatch.setattr(writer, "reopen_bytes", lambda *a, **k: pytest.fail("the workbook was loaded twice"))
    writer.write_result(source, tmp_path / "reused.xlsx", result, loaded.book)
    assert _styled_cells(tmp_path / "reused.xlsx") == _styled_cells(tmp_path / "reopened.xlsx")


def test_score_reopens_a_workbook_that_changed_since_it_was_read(
    demo: Path, tmp_path: Path, monkeypatch
) -> None:
    from jixiao.workbook import writer

    source, loaded, result = _read_and_scored(demo, tmp_path)
    later = source.stat().st_mtime_ns + 10**9  # saved again in Excel meanwhile
    os.utime(source, ns=(later, later))
    opened: list[Path] = []
    reopen = writer.reopen_bytes
    monkeypatch.setattr(writer, "reopen_bytes", lambda data, path: opened.append(path) or reopen(data, path))
    writer.write_result(source, tmp_path / "out.xlsx", result, loaded.book)
    assert opened == [source]


def test_raised_grade_lines_typed_in_the_workbook_grade_every_table_by_them(
    demo: Path, tmp_path: Path
) -> None:
    """优 99.5 / 良 95 is a valid pair (each line alone would sit above the default 优 90): 89.17 is 中."""
    from jixiao.api import check

    path = _copy(demo, tmp_path)
    wb = load_workbook(path)
    for key, value in (("GRADE_EXCELLENT", 99.5), ("GRADE_GOOD", 95)):
        sheet, cell = next(iter(wb.defined_names[f"JX_POLICY_{key}"].destinations))
        wb[sheet][cell].value = value
    wb.save(path)
    result = check(path)
    assert not [f for f in result.findings if f.rule == "WB-POLICY"]
    grades = {t.subject: (str(t.total), t.grade) for t in result.scores.tables()}
    assert grades["离退休老干部业务专项资金"] == ("89.17", "中")
    assert grades["全市工业经济运行调度专项资金"] == ("99.95", "优")
    assert grades["株洲市行业办公室"] == ("99.40", "良")
