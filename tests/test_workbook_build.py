"""The prepared workbook: build → read gives the same model; names, validation, protection, print."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.datafile import load_filing
from jixiao.model import project_sheet_name
from jixiao.workbook.builder import blank_filing, build_workbook
from jixiao.workbook.reader import read_workbook
from jixiao.workbook.writer import save_atomic

# what Excel 2010+, WPS and LibreOffice all have (DESIGN.md, the workbook contract)
ALLOWED_FUNCTIONS = {
    "SUM", "ROUND", "IF", "MIN", "MAX", "IFERROR", "SUMPRODUCT", "INDEX", "MATCH",
    "AND", "OR", "NOT", "ISNUMBER", "COUNTIF", "COUNTA",
}  # fmt: skip
CONTRACT_NAMES = (
    "JX_UNIT",
    "JX_YEAR",
    "JX_T12_EXEC_RATE",
    "JX_T12_EXEC_SCORE",
    "JX_T12_TOTAL",
    "JX_T12_GRADE",
)
SHEET_NAMES = ("JX_T13_NAME", "JX_T13_TOTAL", "JX_T13_GRADE")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the workbook built from the bundled sample (not yet scored)."""
    from jixiao.samples import load_sample

    filing, _ = load_sample()
    path = tmp_path_factory.mktemp("built") / "sample.xlsx"
    save_atomic(build_workbook(filing), path)
    return path


def test_build_then_read_gives_the_data_file_model(built: Path, sample_path: Path) -> None:
    expected, _ = load_filing(sample_path)
    filing, findings = read_workbook(built)
    assert findings == []
    assert filing == expected  # `where` is excluded from comparison by the model
    assert filing.t12.indicators[4].name == "开展老干党支部学习活动"
    assert filing.t13[0].level1_weights == expected.t13[0].level1_weights  # no 满意度 weight invented


def test_reader_points_every_record_at_its_cells(built: Path) -> None:
    filing, _ = read_workbook(built)
    ind = filing.t12.indicators[4]
    assert ind.where is not None
    assert ind.where.sheet == "附件1-2" and ind.where.path == "t12.indicators[4]"
    wb = load_workbook(built)
    assert wb["附件1-2"][ind.where.cells["actual"]].value == "11 次"
    assert wb["附件1-2"][ind.where.cells["weight"]].value == 6
    project = filing.t13[1]
    assert project.where is not None and project.where.sheet == project_sheet_name(1)
    assert wb[project.where.sheet][project.where.cells["name"]].value == "全市工业经济运行调度专项资金"
    line = filing.t11.special_items[0]
    assert line.where is not None and wb["附件1-1"][line.where.cells["final"]].value == 20
    assert filing.spending.projects[2].where.cells["executed"].startswith("C")


def test_sheets_and_contract_names(built: Path) -> None:
    wb = load_workbook(built)
    assert wb.sheetnames == [
        "填表说明", "基本信息", "附件1-1", "附件1-2", "附件1-3(1)", "附件1-3(2)", "校验结果", "自评报告",
    ]  # fmt: skip
    for n in CONTRACT_NAMES:
        assert n in wb.defined_names, n
    for title in ("附件1-3(1)", "附件1-3(2)"):
        for n in SHEET_NAMES:
            assert n in wb[title].defined_names, (title, n)
    assert "JX_T13_TOTAL" not in wb.defined_names  # sheet-scoped only
    assert all(n.startswith("JX_") and n.isascii() for n in wb.defined_names)


def _formulas(wb) -> list[tuple[str, str, str]]:
    return [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=")
    ]


def test_formulas_use_only_the_shared_function_set(built: Path) -> None:
    wb = load_workbook(built)
    formulas = _formulas(wb)
    assert len(formulas) > 50
    used = {
        f for _, _, text in formulas for f in re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", text))
    }
    assert used <= ALLOWED_FUNCTIONS, used - ALLOWED_FUNCTIONS


def test_inputs_unlocked_outputs_locked_sheets_protected(built: Path) -> None:
    wb = load_workbook(built)
    ws = wb["附件1-2"]
    assert ws.protection.sheet and not ws.protection.password
    total = wb.defined_names["JX_T12_TOTAL"].attr_text.split("!")[1].replace("$", "")
    assert ws[total].protection.locked
    assert ws["H5"].protection.locked and ws["H5"].value.startswith("=")  # 执行率
    assert not ws["E5"].protection.locked  # 全年预算数
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                assert c.protection.locked, c.coordinate


def test_every_input_cell_has_validation(built: Path) -> None:
    wb = load_workbook(built)
    for title in ("基本信息", "附件1-1", "附件1-2", "附件1-3(1)"):
        ws = wb[title]
        covered = set()
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                covered.update(ws.cell(r, c).coordinate for r, c in rng.cells)
        for row in ws.iter_rows():
            for c in row:
                if type(c).__name__ == "MergedCell" or c.protection.locked:
                    continue
                assert c.coordinate in covered, (title, c.coordinate)


def test_print_setup_reads_like_the_official_form(built: Path) -> None:
    wb = load_workbook(built)
    for title in ("附件1-1", "附件1-2", "附件1-3(1)"):
        ws = wb[title]
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_area
        footer = [
            c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "填表人" in c.value
        ]
        assert footer and "单位负责人签字" in footer[0]
    assert "$13:$13" in wb["附件1-2"].print_title_rows
    ws = wb["附件1-2"]
    assert ws["A2"].value == '=JX_YEAR&"年度部门整体支出绩效自评表"'
    header = ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
    assert [ws.cell(13, c).value for c in range(1, 10)] == [*header, "偏差原因分析及改进措施"]  # the seed's
    assert ws["B14"].value == "产出指标\n(50分)"
    assert "C14:C18" in {str(r) for r in ws.merged_cells.ranges}  # 数量指标 spans its five rows


def test_policy_is_stored_in_the_workbook(tmp_path: Path) -> None:
    from dataclasses import replace

    filing = blank_filing("某单位", 2023, 1)
    filing.policy = replace(filing.policy, exec_weight=filing.policy.exec_weight * 2, reverse_formula="ratio")
    path = tmp_path / "p.xlsx"
    save_atomic(build_workbook(filing), path)
    read, findings = read_workbook(path)
    assert findings == []
    assert read.policy == filing.policy


def test_blank_workbook_has_every_block_with_spare_rows(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    save_atomic(build_workbook(blank_filing("某单位", 2023, 3)), path)
    filing, findings = read_workbook(path)
    assert findings == []
    assert (filing.unit, filing.year, len(filing.t13)) == ("某单位", 2023, 3)
    assert [i.level2 for i in filing.t13[2].indicators][:4] == [
        "数量指标",
        "质量指标",
        "时效指标",
        "成本指标",
    ]
    assert filing.t12.level1_weights == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}
    wb = load_workbook(path)
    assert wb.sheetnames[4:7] == ["附件1-3(1)", "附件1-3(2)", "附件1-3(3)"]


def test_every_defined_name_is_documented(built: Path) -> None:
    doc = (Path(__file__).resolve().parents[1] / "docs" / "workbook.md").read_text(encoding="utf-8")
    wb = load_workbook(built)
    names = set(wb.defined_names) | {n for ws in wb.worksheets for n in ws.defined_names}
    missing = []
    for n in names:
        stem = re.sub(r"_(PREV|BUDGET|FINAL|LABEL)$", "", n) if n.startswith("JX_T11_") else n
        shared = n.replace("JX_T13_", "JX_T12_")  # documented once for 1-2 "and JX_T13_…"
        if not {f"`{n}`", f"`{stem}`", f"`{shared}`"} & {w for w in re.findall(r"`JX_\w+`", doc)}:
            missing.append(n)
    assert missing == []
