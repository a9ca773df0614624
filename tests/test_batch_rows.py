"""The batch summary's rows, tally, frames and statistics, made from hand-written digests (no files,
no workers)."""

from __future__ import annotations

import sys
from decimal import Decimal as D

from jixiao.batch import BatchResult, FileOutcome, TableDigest, Tally, UnitDigest, frame, statistics
from jixiao.batch.rows import ROW_HEADERS
from jixiao.findings import Finding, rules


def _table(table="1-2", sheet="附件1-2", subject="甲局", *, rate=D("0.95"), grade="优", total=D("95.125")):
    return TableDigest(
        table=table,
        subject=subject,
        sheet=sheet,
        full_year=D("100.00"),
        executed=D("100.00") * rate if rate is not None else None,
        exec_rate=rate,
        exec_score=D("9.5") if rate is not None else None,
        total=total,
        reported_total=D("95.10"),
        weight_total=D(100),
        grade=grade,
        explanation="",
    )


def _finding(rule, severity, sheet, cell=None, table="1-3"):
    return Finding(rule, severity, table, sheet, cell, "指标", f"{rule} 的说明")


def _unit(file, tables, findings=(), unit="甲局", year=2024, department="某市人民政府", blank=False):
    return UnitDigest(file, unit, year, 2, tuple(tables), tuple(findings), blank=blank, department=department)


def _batch(*units, unreadable=()):
    outcomes = [FileOutcome(u.file, f"/in/{u.file}", digest=u) for u in units]
    outcomes += [
        FileOutcome(name, f"/in/{name}", reason="坏了", skipped=skipped) for name, skipped in unreadable
    ]
    return BatchResult(outcomes, seconds=1.5)


def _row(row):
    return dict(zip(ROW_HEADERS, row, strict=True))


def table_rows(batch):
    return Tally.of(batch).tables


def test_a_unit_row_counts_every_finding_and_a_project_row_only_its_sheets():
    findings = [
        _finding("A-ERR", "error", "项目一", "C5"),
        _finding("B-WARN", "warning", "附件1-2", "D7", table="1-2"),
        _finding("C-INFO", "info", "项目二"),
    ]
    unit = _unit(
        "01.xlsx",
        [_table(), _table("1-3", "项目一", "项目一"), _table("1-3", "项目二", "项目二")],
        findings,
    )
    unit_row, first, second = (_row(r) for r in table_rows(_batch(unit)))
    assert (unit_row["类型"], unit_row["项目"], unit_row["错误"], unit_row["警告"], unit_row["提示"]) == (
        "单位",
        "",
        1,
        1,
        1,
    )
    assert unit_row["最主要的问题"] == "[A-ERR] 项目一!C5：A-ERR 的说明"  # a rule without a name: its ID
    assert (first["项目"], first["错误"], first["警告"], first["提示"]) == ("项目一", 1, 0, 0)
    assert (second["错误"], second["提示"]) == (0, 1)
    assert second["最主要的问题"] == "[C-INFO] 项目二：C-INFO 的说明"  # no cell: the sheet alone


def test_row_figures_are_decimals_rounded_half_up_to_the_filings_places():
    unit = _unit("01.xlsx", [_table(rate=D("0.98765432"), total=D("95.125"))])
    (row,) = (_row(r) for r in table_rows(_batch(unit)))
    assert row["全年预算数（万元）"] == D("100") and str(row["全年预算数（万元）"]) == "100"
    assert str(row["执行率"]) == "0.987654"
    assert str(row["总分"]) == "95.13"  # half-up, not banker's
    assert str(row["执行率得分"]) == "9.50"
    assert str(row["填报总分"]) == "95.1"


def test_a_table_without_a_budget_has_empty_rate_cells():
    unit = _unit("01.xlsx", [_table(rate=None)])
    (row,) = (_row(r) for r in table_rows(_batch(unit)))
    assert row["执行率"] is None and row["执行率得分"] is None
    assert unit.to_dict()["scores"][0]["exec_rate"] == "—"
    assert unit.to_dict()["scores"][0]["exec_score"] == "—"


def test_finding_and_unreadable_rows():
    unit = _unit("01.xlsx", [_table()], [_finding("EXEC-SCORE", "error", "项目一", "C5")], unit="乙局")
    tally = Tally.of(_batch(unit, unreadable=[("坏.xlsx", False)]))
    assert tally.findings == [
        (
            "01.xlsx",
            "乙局",
            "错误",
            "执行率得分不符",
            "EXEC-SCORE",
            "1-3",
            "项目一",
            "C5",
            "指标",
            "EXEC-SCORE 的说明",
            "",
            "",
        )
    ]
    assert tally.unreadable == [("坏.xlsx", "坏了")]
    assert tally.paths == {"01.xlsx": "/in/01.xlsx"}  # a finding with a cell: the file is linked


def test_every_rule_has_a_short_chinese_name():
    for rule in rules().values():
        assert rule.title and len(rule.title) <= 16, rule.id
        assert not rule.title.isascii(), rule.id


def test_a_blank_filing_is_listed_apart_and_left_out_of_the_statistics():
    filled = _unit("a.xlsx", [_table()])
    blank = _unit("b.xlsx", [], [_finding("FILING-EMPTY", "error", "基本信息")], unit="乙局", blank=True)
    tally = Tally.of(_batch(filled, blank))
    assert [row[0] for row in tally.tables] == ["a.xlsx"]
    assert tally.blank == [("b.xlsx", "乙局", 2024, "未填写任何表（空白表或只有模板），未计分，不计入统计")]
    assert tally.findings == []  # its one finding is what 未填写 says
    stats = statistics(tally)
    assert (stats.files, stats.read, stats.blank, stats.with_errors) == (2, 1, 1, 0)
    assert stats.grades["优"] == (1, 0) and stats.grades["差"] == (0, 0)  # not a 0.00 差
    assert tally.errors  # a blank filing is still a problem: the exit code says so


def test_the_same_unit_and_year_twice_is_flagged_and_mixed_years_warned():
    first = _unit("a.xlsx", [_table()], unit="甲 局")
    again = _unit("b.xlsx", [_table(), _table("1-3", "项目一", "项目一")], unit="甲局")
    other_year = _unit("c.xlsx", [_table()], unit="甲局", year=2023)
    tally = Tally.of(_batch(first, again, other_year))
    notes = [_row(r)["备注"] for r in tally.tables]
    assert notes == ["", "重复：与 a.xlsx 为同一单位、同一年度", "重复：与 a.xlsx 为同一单位、同一年度", ""]
    stats = statistics(tally)
    assert [(d.file, d.first, d.year) for d in stats.duplicates] == [("b.xlsx", "a.xlsx", 2024)]
    assert stats.years == {"2023": 1, "2024": 2} and stats.mixed_years
    assert [_row(r)["年度"] for r in tally.tables] == [2024, 2024, 2024, 2023]


def test_frames_are_tidy_and_the_statistics_come_from_them():
    a = _unit(
        "a.xlsx",
        [_table(rate=D("0.25"), grade="差"), _table("1-3", "项目一", "项目一", rate=D("1.2"))],
        [_finding("EXEC-SCORE", "error", "项目一", "C5"), _finding("IND-NO-COST", "info", "项目一")],
        department="甲委",
    )
    b = _unit("b.xlsx", [_table(rate=D("0.6"), total=D("88.004"), grade="良")], department="")
    c = _unit("c.xlsx", [_table(rate=D("0.9999"), total=D("92"))], department="甲委")
    tables, findings = frame(_batch(a, b, c))
    assert len(tables) == 4 and len(findings) == 2  # one row per table, one per finding
    assert list(tables["执行率区间"].astype(str)) == ["<30%", "100%", "60%–80%", "80%–100%"]
    assert findings["问题"].tolist() == ["执行率得分不符", "未设成本指标"]
    assert tables["总分"].iloc[0] == D("95.13")  # exact decimals, half-up
    stats = statistics(_batch(a, b, c))
    assert (
        stats.bands["<30%"] == (1, 0) and stats.bands["100%"] == (0, 1) and stats.bands["30%–60%"] == (0, 0)
    )
    assert stats.grades["差"] == (1, 0) and stats.grades["良"] == (1, 0)
    (jiawei, none) = stats.departments
    assert (jiawei.name, jiawei.units, jiawei.projects, jiawei.mean_total) == ("甲委", 2, 1, D("93.57"))
    assert jiawei.grades["差"] == 1 and jiawei.with_errors == 1
    assert (none.name, none.units, none.mean_total) == ("（未填主管部门）", 1, D("88.00"))
    assert [(r.rule, r.title, r.severity) for r in stats.rules] == [
        ("EXEC-SCORE", "执行率得分不符", "error"),
        ("IND-NO-COST", "未设成本指标", "info"),  # infos after the errors and warnings
    ]
    assert stats.to_dict()["exec_bands"]["60%–80%"] == {"units": 1, "projects": 0}


def test_the_rows_and_the_tally_do_not_need_pandas():
    assert "jixiao.batch.frame" in sys.modules  # imported by jixiao.batch, which imports no pandas itself
    import jixiao.batch.frame as module

    assert "pandas" not in vars(module)


def test_statistics_count_grades_low_execution_and_rules():
    a = _unit(
        "a.xlsx",
        [_table(rate=D("0.8999"), grade="良"), _table("1-3", "项目一", "项目一", grade="差")],
        [
            _finding("R2", "warning", "项目一"),
            _finding("R2", "warning", "项目一"),
            _finding("R1", "error", "x"),
        ],
        unit="甲局",
    )
    b = _unit("b.xlsx", [_table(rate=D("0.9"), grade="良")], [_finding("R1", "error", "y")], unit="乙局")
    c = _unit("c.xlsx", [_table(rate=D("0.5"), grade="优")], [], unit="丙局")
    stats = statistics(_batch(a, b, c, unreadable=[("x.pdf", True), ("坏.xlsx", False)]))
    assert (stats.files, stats.read, stats.unreadable, stats.skipped) == (5, 3, 1, 1)
    assert (stats.with_errors, stats.without_findings) == (2, 1)
    assert stats.grades == {"优": (1, 0), "良": (2, 0), "中": (0, 0), "差": (0, 1)}
    assert [(i.file, i.unit, i.rate_text) for i in stats.low_execution] == [
        ("a.xlsx", "甲局", "89.99%"),  # 90% itself is not below 90%
        ("c.xlsx", "丙局", "50.00%"),
    ]
    # R1 and R2 both fire twice; R1 in two files, R2 in one: the most files first
    assert [(r.rule, r.severity, r.count, r.files) for r in stats.rules] == [
        ("R1", "error", 2, 2),
        ("R2", "warning", 2, 1),
    ]
    data = stats.to_dict()
    assert data["grades"]["良"] == {"units": 2, "projects": 0}
    assert data["low_execution"][0] == {"file": "a.xlsx", "unit": "甲局", "exec_rate": "89.99%"}


def test_a_batch_has_errors_when_a_filing_has_one_or_a_file_could_not_be_read():
    clean = _unit("a.xlsx", [_table()], [_finding("I", "info", "x")])
    dirty = _unit("b.xlsx", [_table()], [_finding("E", "error", "x")])
    assert not _batch(clean, unreadable=[("x.pdf", True)]).has_errors
    assert not Tally.of(_batch(clean, unreadable=[("x.pdf", True)])).errors
    assert Tally.of(_batch(clean, dirty)).errors
    assert _batch(clean, dirty).has_errors
    assert _batch(clean, unreadable=[("坏.xlsx", False)]).has_errors
