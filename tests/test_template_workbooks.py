"""`jixiao new --template sichuan|chongqing` (issue 12): the province's own table in the prepared
workbook, filled by hand through openpyxl in its printed cells, read back and scored by the
template's rules; the expected figures are computed by hand in the comments (the same tables as
tests/test_import_tables.py types in CSV)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.api import check
from jixiao.cli import main
from jixiao.office import convert

ERRORS = ("#VALUE!", "#REF!", "#NAME?", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def _new(tmp_path: Path, template: str, unit: str, year: int) -> Path:
    out = tmp_path / f"{template}.xlsx"
    assert main(["new", "--template", template, "--year", str(year), "--unit", unit, "-o", str(out)]) == 0
    return out


def _row_of(ws, column: str, label: str) -> int:
    """Return the row whose ``column`` shows ``label`` (as a user finds the 二级 row to type in)."""
    return next(c.row for c in ws[column] if c.value == label)


def _sichuan(tmp_path: Path) -> Path:
    path = _new(tmp_path, "sichuan", "某县水利局", 2023)
    wb = load_workbook(path)
    ws = wb["附件1-3(1)"]
    assert [ws["A4"].value, ws["F5"].value, ws["B10"].value, ws["D14"].value] == [
        "项目名称", "实施单位(盖章)", "单位资金", "指标性质"
    ]  # fmt: skip
    ws["B4"], ws["B5"], ws["G5"] = "农村饮水安全巩固提升", "某县水利局", "某县农村供水站"
    for row, amounts in zip(
        range(7, 12), ([100, 120, 102], [80, 100, 85], [0, 0, 0], [20, 20, 17], [0, 0, 0]), strict=True
    ):
        for col, value in zip("CDE", amounts, strict=True):
            ws[f"{col}{row}"] = value
    ws["G7"], ws["I7"] = 10, "部分工程款未到结算期"
    ws["B12"], ws["B13"] = "完成10处农村供水工程维修改造", "完成9处"
    rows = {
        "数量指标": ("维修改造供水工程", "≥", 10, "处", 9, 30),
        "质量指标": ("工程验收合格率", "=", 100, "%", 100, 20),
        "时效指标": ("完工及时率", "≥", 95, "%", 90, 10),
        "社会效益指标": ("受益户数", "≥", 1200, "户", 1250, 30),
    }
    for level2, values in rows.items():
        row = _row_of(ws, "B", level2)
        for col, value in zip("CDEFGH", values, strict=True):
            ws[f"{col}{row}"] = value
    conclusion = _row_of(ws, "A", "评价结论")
    ws[f"B{conclusion}"], ws[f"B{conclusion + 3}"] = "项目总体完成较好", "张三"
    ws[f"G{conclusion + 3}"] = "李四"
    wb.save(path)
    return path


def test_a_sichuan_workbook_typed_by_hand_scores_by_the_sichuan_rules(tmp_path):
    result = check(_sichuan(tmp_path))
    assert result.filing.template == "sichuan" and result.filing.policy.weight_split == "free"
    (ts,) = result.scores.projects
    p = ts.evaluation
    assert (p.implementer, p.unit_funds.executed, p.conclusion, p.project_lead, p.finance_lead) == (
        "某县农村供水站", D(17), "项目总体完成较好", "张三", "李四"
    )  # fmt: skip
    assert p.indicators[0].target == "≥10处" and p.indicators[0].level1 == "产出指标"
    # 执行率 102/120 = 85% → 10 × 0.85 = 8.50; 9/10×30 = 27; 100% = 20; 90/95×10 = 9.47; 1250 ≥ 1200 → 30
    assert [s.score for s in ts.indicators] == [D(27), D(20), D("9.47"), D(30)]
    assert (ts.exec.score, ts.total, ts.grade) == (D("8.50"), D("94.97"), "优")
    # 60 + 30 without 满意度 is this template's shape and the low rate has its 原因
    rules = {f.rule for f in result.findings}
    assert not rules & {"EXEC-REASON", "IND-BLOCK-MISSING", "WB-NAME-MISSING", "LEVEL1-WEIGHT"}


def test_a_sichuan_rate_below_90_without_its_reason_is_found_at_the_cell(tmp_path):
    path = _sichuan(tmp_path)
    wb = load_workbook(path)
    wb["附件1-3(1)"]["I7"] = None
    wb.save(path)
    found = [(f.rule, f.sheet, f.cell) for f in check(path).findings if f.rule == "EXEC-REASON"]
    assert found == [("EXEC-REASON", "附件1-3(1)", "I7")]


def _chongqing(tmp_path: Path) -> Path:
    path = _new(tmp_path, "chongqing", "重庆市某区文化和旅游发展委员会", 2021)
    wb = load_workbook(path)
    ws = wb["附件1-2"]
    assert [ws["E4"].value, ws["A5"].value, ws["G11"].value, ws["J11"].value] == [
        "财政处室", "部门联系人", "得分系数(%)", "是否核心指标"
    ]  # fmt: skip
    ws["B4"], ws["F4"], ws["B5"] = "重庆市某区文化和旅游发展委员会", "文化科", "王五"
    ws["A7"], ws["C7"], ws["E7"], ws["H7"] = 1000, 1200, 1020, 10
    ws["B8"], ws["B9"], ws["B10"] = "完成公共文化服务任务", "增加送文化下乡场次", "基本完成"
    rows = [
        ("公共文化活动场次", "场", "定量", 100, 120, 126, 100, 30, "是"),
        ("图书馆年接待人次", "万人次", "定量", 50, 50, 46, 92, 20, "否"),
        ("文物安全事故", "起", "定量", 0, 0, 0, 100, 20, "是"),
        ("群众满意度", "%", "定量", 90, 90, 88, 97.78, 10, "否"),
        ("资金管理规范性", "—", "定性", "规范", "规范", "基本规范", 70, 10, "否"),
    ]
    for row, values in enumerate(rows, start=12):
        for col, value in zip("ABCDEFGHJ", values, strict=True):
            ws[f"{col}{row}"] = value
    wb.save(path)
    return path


def test_a_chongqing_workbook_typed_by_hand_scores_by_the_coefficient(tmp_path):
    result = check(_chongqing(tmp_path))
    assert result.filing.template == "chongqing" and result.filing.policy.coefficient_scoring
    department = result.scores.department
    t = department.evaluation
    assert (t.dept_name, t.finance_office, t.contact, t.goal_adjusted) == (
        "重庆市某区文化和旅游发展委员会", "文化科", "王五", "增加送文化下乡场次"
    )  # fmt: skip
    first = t.indicators[0]
    assert (first.target, first.target_initial, first.coefficient, first.core) == ("120场", "100", D(1), True)
    # 30×100% = 30; 20×92% = 18.40; 20×100% = 20; 10×97.78% = 9.78; 10×70% = 7; 1020/1200 = 85% → 8.50
    assert [s.score for s in department.indicators] == [D(30), D("18.40"), D(20), D("9.78"), D("7.00")]
    assert (department.exec.score, department.total, department.grade) == (D("8.50"), D("93.68"), "优")
    rules = {f.rule for f in result.findings}
    assert not rules & {"IND-BLOCK-MISSING", "WB-NAME-MISSING", "IND-SCORE", "TOTAL-SCORE"}


def test_score_writes_the_scores_into_the_template_sheet(tmp_path):
    path = _chongqing(tmp_path)
    assert main(["score", str(path)]) in (0, 1)
    ws, shown = load_workbook(path)["附件1-2"], load_workbook(path, data_only=True)["附件1-2"]
    assert [shown[f"I{r}"].value for r in range(12, 17)] == [30, 18.4, 20, 9.78, 7]  # as Excel opens it
    assert all(str(ws[f"I{r}"].value).startswith("=") for r in range(12, 17))  # 重庆's 指标得分 is native
    assert ws["H7"].value == 10 and str(ws["I4"].value).startswith("=")  # inputs kept, formulas kept


def test_a_chongqing_row_scored_without_its_coefficient_gets_jixiaos_value(tmp_path):
    path = _chongqing(tmp_path)
    wb = load_workbook(path)
    wb["附件1-2"]["G13"] = None  # no 得分系数: jixiao scores 46 of 50 万人次 against the weight
    wb.save(path)
    (second,) = [
        s for s in check(path).scores.department.indicators if s.indicator.name == "图书馆年接待人次"
    ]
    assert main(["score", str(path)]) in (0, 1)
    ws = load_workbook(path)["附件1-2"]
    assert ws["I13"].value == float(second.score) and str(ws["I12"].value).startswith("=")


@pytest.mark.libreoffice
def test_libreoffice_scores_a_chongqing_sheet_natively_before_jixiao_score(soffice, tmp_path):
    path = _chongqing(tmp_path)
    lo = load_workbook(convert(path, "xlsx", tmp_path / "lo"), data_only=True)["附件1-2"]
    department = check(path).scores.department
    assert [D(repr(lo[f"I{r}"].value)) for r in range(12, 17)] == [s.score for s in department.indicators]
    assert D(repr(lo[f"I{_row_of(lo, 'A', '合计')}"].value)) == department.total == D("93.68")


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("make", "sheet", "total"), [(_sichuan, "附件1-3(1)", "I"), (_chongqing, "附件1-2", "I")]
)
def test_libreoffice_recalculates_each_template_without_an_error(soffice, tmp_path, make, sheet, total):
    path = make(tmp_path)
    result = check(path)
    table = result.scores.projects[0] if sheet != "附件1-2" else result.scores.department
    assert main(["score", str(path)]) in (0, 1)  # the indicator scores written, the 合计 formula sums them
    lo = load_workbook(convert(path, "xlsx", tmp_path / "lo"), data_only=True)
    for ws in lo.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert not (isinstance(c.value, str) and c.value.startswith(ERRORS)), (ws.title, c.coordinate)
    ws = lo[sheet]
    total_row = _row_of(ws, "A", "合计")
    assert D(repr(ws[f"{total}{total_row}"].value)) == table.total  # Excel's 合计 is jixiao's


@pytest.mark.parametrize(
    ("make", "header", "total"),
    [
        (
            _sichuan,
            "一级指标 二级指标 三级指标 指标性质 指标值 度量单位 完成值 权重 得分 未完成原因分析",
            "94.97",
        ),
        (
            _chongqing,
            "指标名称 计量单位 指标性质 年初指标值 调整指标值 全年完成值 "
            "得分系数(%) 指标权重(分) 指标得分(分) 是否核心指标",
            "93.68",
        ),
    ],
)
def test_the_report_appends_the_table_in_its_template_columns(tmp_path, make, header, total):
    from jixiao.report.tables import build_tables

    header = header.split()
    result = check(make(tmp_path))
    (grid,) = [g for g in build_tables(result.filing, result.scores) if header in g.matrix()]
    rows = grid.matrix()
    assert ["合计", "", "", "", "", "", "", "100", total, "等级：优"] in rows
    first = rows[rows.index(header) + 1]
    assert first[:2] in (["产出指标", "数量指标"], ["公共文化活动场次", "场"])


def test_a_batch_over_mixed_templates_names_each_units_template(tmp_path):
    from jixiao.samples import load_sample
    from jixiao.workbook.builder import build_workbook
    from tests.foreign_tables import write_csv
    from tests.test_import_tables import CHONGQING, SICHUAN

    folder = tmp_path / "收件"
    folder.mkdir()
    _sichuan(folder), _chongqing(folder)
    write_csv(SICHUAN, folder / "四川原表.csv"), write_csv(CHONGQING, folder / "重庆原表.csv")
    build_workbook(load_sample()[0]).save(folder / "全国.xlsx")  # the bundled sample, national
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out), "-q"]) in (0, 1)
    sheet = load_workbook(out)["汇总"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    shown = {(r["文件"], r["模板"]) for r in rows}
    assert {
        ("sichuan.xlsx", "四川"),
        ("四川原表.csv", "四川"),
        ("chongqing.xlsx", "重庆"),
        ("重庆原表.csv", "重庆"),
        ("全国.xlsx", "全国通用"),
    } <= shown
    totals = {(r["文件"], r["类型"]): r["总分"] for r in rows}
    assert totals[("sichuan.xlsx", "项目")] == totals[("四川原表.csv", "项目")] == 94.97
    assert totals[("chongqing.xlsx", "单位")] == totals[("重庆原表.csv", "单位")] == 93.68


# ------------------------------------------------------------------ the ribbon on a template workbook


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("make", "line", "total"),
    [
        (_sichuan, "附件1-3 农村饮水安全巩固提升：总分 94.97，优", "94.97"),
        (_chongqing, "附件1-2 重庆市某区文化和旅游发展委员会：总分 93.68，优", "93.68"),
    ],
)
def test_the_ribbon_checks_and_scores_a_template_workbook_as_the_cli(soffice, tmp_path, make, line, total):
    from jixiao.addin.click import click

    path = make(tmp_path)
    cli = check(path)
    s = cli.summary
    counts = f"{s['errors']} 个错误、{s['warnings']} 个警告、{s['infos']} 个提示"
    checked = click("校验", path, tmp_path / "checked.xlsx")
    assert checked.exit_code == 0 and checked.alerts == [
        f"校验：{counts}（见“校验结果”表；有问题的单元格已标色，原有的填充和批注不变）。"
    ]
    assert load_workbook(checked.path)["校验结果"]["A2"].value.startswith(f"共 {len(cli.findings)} 条")
    scored = click("计算得分", path, tmp_path / "scored.xlsx")
    assert scored.alerts[0].startswith(line)
    again = check(scored.path)
    assert [str(t.total) for t in again.scores.tables()] == [total]
    assert {(f.rule, f.cell) for f in again.findings} == {(f.rule, f.cell) for f in cli.findings}
    assert main(["score", str(path)]) in (0, 1)  # the CLI writes the same scores into the same cells
    cli_wb, clicked_wb = load_workbook(path), load_workbook(scored.path)
    sheet = cli.scores.tables()[0].evaluation.where.sheet
    column = "I"
    rows = range(15, 30) if sheet != "附件1-2" else range(12, 17)
    assert [clicked_wb[sheet][f"{column}{r}"].value for r in rows] == [
        cli_wb[sheet][f"{column}{r}"].value for r in rows
    ]


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("make", "sheet", "row"), [(_sichuan, "附件1-3(1)", None), (_chongqing, "附件1-2", 12)]
)
def test_add_row_inserts_an_indicator_row_into_a_template_sheet(soffice, tmp_path, make, sheet, row):
    from jixiao.addin.click import click

    path = make(tmp_path)
    ws = load_workbook(path)[sheet]
    row = row or _row_of(ws, "B", "数量指标")
    outcome = click("新增指标行", path, tmp_path / "added.xlsx", selection=f"{sheet}!C{row}")
    assert outcome.exit_code == 0 and outcome.alerts == [f"已在“{sheet}”第 {row} 行下方新增第 {row + 1} 行。"]
    wb = load_workbook(outcome.path)
    ws, new = wb[sheet], row + 1
    assert ws[f"C{new}"].value is None and not ws[f"C{new}"].protection.locked  # an empty input row
    if sheet == "附件1-2":  # 重庆: 指标名称 … 得分系数 权重 是否核心指标
        values = dict(
            zip("ABCDEFGHJ", ("馆藏数字化", "件", "定量", 100, 100, 100, 100, 0, "否"), strict=True)
        )
    else:  # 四川: inside the 产出指标 / 数量指标 block, the 一级 cell grown over it
        values = dict(zip("CDEFGH", ("新建供水点", "≥", 2, "处", 2, 0), strict=True))
        assert any(m.min_col == 1 and m.min_row <= new <= m.max_row for m in ws.merged_cells.ranges)
    for col, value in values.items():
        ws[f"{col}{new}"] = value
    wb.save(outcome.path)
    result = check(outcome.path)
    table = result.scores.tables()[0]
    added = [
        s
        for s in table.indicators
        if s.indicator.where.cells["name"] == f"C{new}" or s.indicator.where.cells["name"] == f"A{new}"
    ]
    assert [s.indicator.name for s in added] == [values.get("C") if sheet != "附件1-2" else "馆藏数字化"]
    if sheet != "附件1-2":
        assert (added[0].indicator.level1, added[0].indicator.level2, added[0].indicator.target) == (
            "产出指标",
            "数量指标",
            "≥2处",
        )
    assert str(table.total) == ("94.97" if sheet != "附件1-2" else "93.68")  # a 0-weight row adds nothing
    below = click("新增指标行", path, tmp_path / "no.xlsx", selection=f"{sheet}!A4")
    assert below.exit_code == 1 and "请先选中指标区" in below.alerts[0] and not below.written


@pytest.mark.libreoffice
def test_add_project_gives_a_sichuan_workbook_a_new_sichuan_sheet(soffice, tmp_path):
    from jixiao.addin.click import click

    path = _sichuan(tmp_path)
    assert main(["score", str(path)]) in (0, 1)
    outcome = click("新增项目表", path, tmp_path / "out.xlsx")
    assert outcome.exit_code == 0
    assert outcome.alerts == ["已复制“附件1-3(1)”为“附件1-3(2)”，并清空了其中填写的内容，请填写新项目。"]
    wb = load_workbook(outcome.path)
    assert wb.sheetnames.index("附件1-3(2)") == wb.sheetnames.index("附件1-3(1)") + 1
    ws, level2 = wb["附件1-3(2)"], _row_of(wb["附件1-3(2)"], "B", "数量指标")
    assert [ws["A4"].value, ws["F5"].value, ws["B10"].value, ws["D14"].value, ws[f"A{level2}"].value] == [
        "项目名称", "实施单位(盖章)", "单位资金", "指标性质", "产出指标"
    ]  # fmt: skip
    assert (ws["G5"].value, ws["G7"].value) == ("某县农村供水站", 10)  # 实施单位 and 执行率权重 kept
    typed = [
        ws[ref].value for ref in ("B4", "D7", "E7", "I7", "B12", f"C{level2}", f"H{level2}", f"I{level2}")
    ]
    assert typed == [None] * 8  # the project's inputs and the scores written for it cleared
    ws["B4"], ws["D7"], ws["E7"] = "农村水毁修复", 50, 50
    ws[f"C{level2}"] = "修复渠道"
    wb.save(outcome.path)
    result = check(outcome.path)
    assert result.filing.template == "sichuan"
    assert [p.evaluation.name for p in result.scores.projects] == ["农村饮水安全巩固提升", "农村水毁修复"]
    assert result.scores.projects[0].total == D("94.97")
    assert result.scores.projects[1].exec.score == D(10)
    assert result.scores.projects[1].evaluation.indicators[0].level2 == "数量指标"


@pytest.mark.parametrize("make", [_sichuan, _chongqing])
def test_the_template_udfs_on_the_sheets_cells_give_jixiaos_scores(tmp_path, make):
    from jixiao.udf.functions import JX_CQ_SCORE, JX_EXEC_SCORE, JX_GRADE, JX_SC_SCORE

    path = make(tmp_path)
    table = check(path).scores.tables()[0]
    ws = load_workbook(path)[table.evaluation.where.sheet]  # the cells as Excel hands them to a UDF
    got = []
    for s in table.indicators:
        c = {key: ws[ref].value for key, ref in s.indicator.where.cells.items()}
        if "coefficient" in c:  # 重庆: =JX_CQ_SCORE(H12, G12)
            got.append(JX_CQ_SCORE(c["weight"], c["coefficient"]))
        else:  # 四川: =JX_SC_SCORE(D15, E15, F15, G15, H15, C15, B15)
            args = (c["operator"], c["target"], c["unit"], c["actual"], c["weight"], c["name"], s.level2)
            got.append(JX_SC_SCORE(*args))
    assert got == [float(s.score) for s in table.indicators]
    budget = table.evaluation.budget
    exec_score = JX_EXEC_SCORE(float(budget.full_year), float(budget.executed), float(budget.weight))
    assert exec_score == float(table.exec.score) and JX_GRADE(float(table.total)) == table.grade


@pytest.mark.libreoffice
def test_add_project_on_a_sichuan_workbook_without_projects_builds_a_sichuan_sheet(soffice, tmp_path):
    from jixiao.addin.click import click

    path = tmp_path / "四川.xlsx"
    args = [
        "new",
        "--template",
        "sichuan",
        "--projects",
        "0",
        "--year",
        "2023",
        "--unit",
        "某县水利局",
        "-o",
        str(path),
    ]
    assert main(args) == 0
    outcome = click("新增项目表", path, tmp_path / "out.xlsx")
    assert outcome.exit_code == 0 and outcome.alerts[0].startswith("已新增“附件1-3(1)”。")
    saved = Path(outcome.alerts[0].split("已保存为新文件：")[1].split("\n")[0])
    wb = load_workbook(saved)
    assert wb.sheetnames.index("附件1-3(1)") == wb.sheetnames.index("附件1-2") + 1
    ws = wb["附件1-3(1)"]
    assert [ws["A4"].value, ws["F5"].value, ws["D14"].value, ws["G5"].value] == [
        "项目名称", "实施单位(盖章)", "指标性质", "某县水利局"
    ]  # fmt: skip
    ws["B4"], ws["D7"], ws["E7"] = "农村水毁修复", 50, 45
    wb.save(saved)
    result = check(saved)
    assert result.filing.template == "sichuan"
    assert [(p.evaluation.name, p.exec.score) for p in result.scores.projects] == [("农村水毁修复", D(9))]
