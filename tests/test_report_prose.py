"""A report that never contradicts its tables (issue 16, point 3).

The accountant's paragraphs that state a figure or grade the tables contradict are marked
【请核实：…】 in the report and reported as PROSE-FIGURE; missing inputs are 【请填写：…】 marks naming
the sheet and cell; and ``jixiao check --report`` on jixiao's own report finds no error.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.api import check
from jixiao.checks import check_report, check_report_text
from jixiao.datafile import dump_filing
from jixiao.pipeline import evaluate
from jixiao.report.figures import figure_vocabulary, read_report
from jixiao.report.narrative import build_report
from jixiao.samples import load_sample
from jixiao.workbook.builder import build_workbook
from jixiao.workbook.layout import info_fields, layout

REPORT = "2022年度株洲市行业办公室整体支出绩效自评报告"


@pytest.fixture
def filing():
    return copy.deepcopy(load_sample()[0])


def _report(filing):
    result = evaluate(filing)
    return result, build_report(result.filing, result.scores)


def _errors(found):
    return [f for f in found if f.severity == "error"]


def test_sample_prose_that_the_tables_contradict_is_marked_not_stated(filing):
    result, doc = _report(filing)
    text = doc.text()
    # “党日活动 9 次” beside “实际完成11次”; 绩效评价为“优” in the paragraph that says 89.17 良
    assert "党日活动 9 次【请核实：附件1-2“开展老干党支部学习活动”的实际完成值为 11 次】" in text
    assert "绩效评价为“优”【请核实：按计分规则项目“离退休老干部业务专项资金”得分 89.17、等级为“良”】" in text
    # 项目支出 71.98 whose listed projects add up to 71.97
    assert (
        "财政拨款项目14.08万元【请核实：各项目支出之和为71.97万元，与附件1-2 项目支出71.98万元不符】。"
        in text
    )
    prose = [f for f in result.findings if f.rule == "PROSE-FIGURE"]
    assert [(f.severity, f.sheet, f.field) for f in prose] == [
        ("error", "附件1-3(1)", "t13[0].prose.implementation"),
        ("error", "附件1-3(1)", "t13[0].prose.benefit"),
        ("warning", "基本信息", "prose.duties"),
    ]
    assert "党日活动 9 次" in prose[0].message and "11 次" in prose[0].message


def test_own_report_has_no_error_in_every_format(demo_folder: Path, filing):
    result = evaluate(filing)
    for suffix in (".docx", ".md"):
        for name in (REPORT, f"{REPORT}（公开版）"):
            found = check_report(demo_folder / f"{name}{suffix}", result.filing, result.scores)
            assert _errors(found) == [], (name, suffix, [f.message for f in _errors(found)])
            assert {f.rule for f in found} == {"RPT-MARKER"}  # each mark, once, as a warning
            assert len(found) == 4
    pdf = (demo_folder / f"{REPORT}.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")


def _blank_prose(filing):
    filing.prose.duties = filing.prose.internal_control = None
    filing.t13[0].prose.quality = filing.t13[0].prose.management = None
    for indicator in filing.t13[0].indicators:
        indicator.deviation = None  # “开展老干党支部学习活动” missed its target


def _wrong_prose(filing):
    filing.prose.duties = "全年支出总计2600万元，预算执行率100%，部门整体支出绩效评价为“良”。"
    filing.prose.other = "全年三公经费支出合计12.99万元，其中公务用车11.99万元，公务接待费0万元。"
    filing.t13[1].prose.benefit = "该项目资金使用率95%，绩效评价等级为“良”。"


def _wrong_tables(filing):
    filing.spending.projects[2].executed = Decimal("15.08")  # 项目支出 no longer the sum of its projects
    filing.t12.budget.executed = Decimal("2690")  # 支出总计 no longer 基本 + 项目


@pytest.mark.parametrize("edit", [_blank_prose, _wrong_prose, _wrong_tables, lambda f: None])
def test_own_report_check_finds_no_error_on_edited_variants(filing, edit):
    edit(filing)
    result, doc = _report(filing)
    found = check_report_text([b.text for b in doc.blocks()], result.filing, result.scores)
    assert _errors(found) == [], [f.message for f in _errors(found)]
    assert all(f.rule == "RPT-MARKER" for f in found)


def test_wrong_prose_is_a_finding_and_a_mark(filing):
    _wrong_prose(filing)
    result, doc = _report(filing)
    text = doc.text()
    flagged = {f.field for f in result.findings if f.rule == "PROSE-FIGURE"}
    assert {"prose.duties", "prose.other", "t13[1].prose.benefit"} <= flagged
    assert "全年支出总计2600万元【请核实：" in text
    assert (
        "绩效评价等级为“良”【请核实：按计分规则项目“全市工业经济运行调度专项资金”得分 99.95、等级为“优”】"
        in text
    )


def test_missing_inputs_name_their_sheet_and_cell(filing, tmp_path: Path):
    _blank_prose(filing)
    path = tmp_path / "自评.xlsx"
    build_workbook(filing).save(path)
    result = check(path)  # read from the workbook: every field knows its cell
    text = build_report(result.filing, result.scores).text()
    info = result.filing.prose.where.cells
    project = result.filing.t13[0].prose.where.cells
    missed = next(i for i in result.filing.t13[0].indicators if i.subject == "开展老干党支部学习活动")
    deviation = missed.where.cells["deviation"]
    assert f"【请填写：履职情况（基本信息!{info['duties']}）】" in text
    assert f"【请填写：内部控制情况（基本信息!{info['internal_control']}）】" in text
    # the project paragraphs live on 附件1-3 rows below the print area: that sheet and cell, not 基本信息
    assert f"【请填写：项目“离退休老干部业务专项资金”的完成质量（附件1-3(1)!{project['quality']}）】" in text
    assert f"（附件1-3(1)!{project['management']}）】" in text
    assert f"【请填写：“开展老干党支部学习活动”的偏差原因（附件1-3(1)!{deviation}）】" in text
    assert "尚未填写" not in text


def test_missing_inputs_from_a_data_file_name_the_sheet_and_field(filing, tmp_path: Path):
    _blank_prose(filing)
    path = tmp_path / "自评.json"
    dump_filing(filing, path)
    text = build_report(*(lambda r: (r.filing, r.scores))(check(path))).text()
    assert "【请填写：履职情况（基本信息“履职情况”）】" in text
    assert "【请填写：项目“离退休老干部业务专项资金”的完成质量（附件1-3(1)“项目完成质量”）】" in text


def test_public_edition_keeps_the_marks(demo_folder: Path):
    paragraphs = read_report(demo_folder / f"{REPORT}（公开版）.md")
    marks = [p for p in paragraphs if "【请核实：" in p]
    assert len(marks) == 4
    assert any("实际完成值为 11 次】" in p for p in marks)  # the redaction leaves the marks' figures


def test_prose_field_labels_are_those_the_workbook_prints():
    fields = figure_vocabulary()["prose_fields"]
    info = {f["path"].split(".")[-1]: f["label"] for f in info_fields() if f["kind"] == "prose"}
    project = {f["path"].split(".")[-1]: f["label"] for f in layout()["t13"]["prose"]}
    assert fields["info"] == info and fields["project"] == project


def test_report_sheet_of_the_workbook_carries_the_marks_and_passes_its_own_check(demo: Path):
    from openpyxl import load_workbook

    ws = load_workbook(demo)["自评报告"]
    texts = [str(c.value).strip() for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert sum("【请核实：" in t for t in texts) == 4
    result = check(demo)  # the workbook as read back, cells and all
    found = check_report_text([t for t in texts if t], result.filing, result.scores)
    assert _errors(found) == [], [f.message for f in _errors(found)]


def test_marks_are_highlighted_in_word_and_bold_in_markdown(demo_folder: Path):
    from docx import Document

    runs = [r for p in Document(str(demo_folder / f"{REPORT}.docx")).paragraphs for r in p.runs]
    marked = [r.text for r in runs if r.font.highlight_color is not None]
    assert len(marked) == 4 and all(t.startswith("【请核实：") and t.endswith("】") for t in marked)
    md = (demo_folder / f"{REPORT}.md").read_text(encoding="utf-8")
    assert md.count("**【请核实：") == 4
