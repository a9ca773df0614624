"""Filing shapes (RULES §5a): any of 附件1-1, 1-2 and zero or more 1-3, as a user runs the CLI on them.

An absent table (left out of the data file, or left blank in a prepared workbook) is not scored and
raises nothing; the checks between tables run only between the tables present; a filing with no
table at all says so once; the report, the workbook writer and the batch summary cope with every shape.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from jixiao.batch.rows import ROW_HEADERS
from jixiao.cli import main
from jixiao.datafile import filing_from_dict
from jixiao.samples import sample_text
from jixiao.workbook.builder import blank_project, build_workbook

CROSS_11_13 = {"X-SPECIAL-11-13"}
CROSS_12_13 = {"X-PROJECTS-12-13"}
CROSS_11_12 = {"X-PROJECTS-11-12", "X-PUBLIC-11"}
NO_12 = {"X-PROJECTS-SPENDING", "X-BALANCE-PARTS"}  # 支出情况 against 附件1-2
NO_13 = {"X-PROJECT-NO-TABLE"}  # a department-only filing is not asked for project tables
# the paragraphs against the tables: which of them contradict a table depends on the tables held
PROSE = {"PROSE-FIGURE"}


def sample() -> dict[str, Any]:
    return json.loads(sample_text())


def without(*keys: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def change(data: dict[str, Any]) -> dict[str, Any]:
        for key in keys:
            if key == "t13":
                data["t13"] = []
            else:
                del data[key]
        return data

    return change


def run(capsys, *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def check_json(capsys, path: Path) -> tuple[int, dict[str, Any]]:
    code, out = run(capsys, "check", str(path), "--json")
    return code, json.loads(out)


def keyed(findings: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(f["rule"], f["table"], f["subject"]) for f in findings}


def write_json(tmp_path: Path, data: dict[str, Any], name: str = "filing.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_workbook(tmp_path: Path, data: dict[str, Any], name: str = "filing.xlsx", blank_projects=0) -> Path:
    """Return the prepared workbook of ``data``; absent tables are blank sheets, as jixiao new makes them."""
    filing, _ = filing_from_dict(data)
    for _ in range(blank_projects):
        filing.t13.append(blank_project(filing.unit, filing.policy, filing.t12.level1_weights))
    path = tmp_path / name
    build_workbook(filing).save(path)
    return path


def _sample_keys(capsys, tmp_path: Path) -> set[tuple[str, str, str]]:
    return keyed(check_json(capsys, write_json(tmp_path, sample(), "whole.json"))[1]["findings"])


# ---------------------------------------------------------------- the shapes, as data file and workbook

# shape → (what is removed, the tables scored, the tables findings may name, cross checks that stop)
SHAPES = {
    "project-only (no 1-1, no 1-2)": (
        without("t11", "t12"),
        {"1-3"},
        {"1-3", "报告"},
        CROSS_11_13 | CROSS_12_13 | NO_12,
    ),
    "department-only (no 1-3)": (
        without("t13"),
        {"1-2"},
        {"1-1", "1-2", "报告"},
        CROSS_11_13 | CROSS_12_13 | NO_13,
    ),
    "1-2 and 1-3 without 1-1": (
        without("t11"),
        {"1-2", "1-3"},
        {"1-2", "1-3", "报告"},
        CROSS_11_12 | CROSS_11_13,
    ),
}


@pytest.mark.parametrize("form", ["json", "xlsx"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_shape_is_checked_on_the_tables_it_holds(capsys, tmp_path, shape, form):
    change, scored, named, stopped = SHAPES[shape]
    whole = _sample_keys(capsys, tmp_path)
    data = change(sample())
    path = write_json(tmp_path, data) if form == "json" else write_workbook(tmp_path, data)
    code, result = check_json(capsys, path)
    assert code == 1  # the sample's own errors stay
    assert {s["table"] for s in result["scores"]} == scored
    found = keyed(result["findings"])
    assert {table for _, table, _ in found} <= named
    # the tables present give the findings they give in the whole filing, less the checks that stopped
    aside = {"RATE-PRECISION", *PROSE}
    kept = {k for k in whole if k[1] in named and k[0] not in stopped and k[0] not in aside}
    assert {k for k in found if k[0] not in aside} == kept
    # a paragraph contradicts a table it no longer has to hand at most as in the whole filing
    assert {k for k in found if k[0] in PROSE} <= {k for k in whole if k[0] in PROSE}


def test_project_only_scores_and_report(capsys, tmp_path):
    data = without("t11", "t12")(sample())
    data["spending"] = {}  # a published project table alone: no 支出情况 either
    path = write_json(tmp_path, data)
    code, out = run(capsys, "score", str(path), "--brief")
    assert code == 1
    assert out.splitlines() == [
        "附件1-3 离退休老干部业务专项资金：执行率 100.00%，执行得分 10.00，总分 89.17，等级 良",
        "附件1-3 全市工业经济运行调度专项资金：执行率 99.45%，执行得分 9.95，"
        "总分 99.95（填报 99.9），等级 优",
    ]
    md = tmp_path / "report.md"
    assert main(["report", str(path), "--format", "md", "-o", str(md)]) == 0
    text = md.read_text(encoding="utf-8")
    assert "部门整体支出绩效自评得分" not in text and not re.search(r"支出总计\d", text)
    assert "项目支出57.89万元（未填报附件1-2 部门整体支出绩效自评表，支出总计未列）" in text
    assert "本单位未填报附件1-2 部门整体支出绩效自评表，部门整体支出未评分。" in text
    assert "“三公经费”情况未列" in text and "无“三公经费”支出" not in text
    assert "附件：1-3. 2022年度项目支出绩效自评表" in text and "1-1. 2022年度" not in text
    assert "### 附件1-3" in text and "### 附件1-1" not in text and "### 附件1-2" not in text
    docx = tmp_path / "report.docx"
    assert main(["report", str(path), "--format", "docx", "-o", str(docx)]) == 0
    from docx import Document

    assert len(Document(str(docx)).tables) == 2  # the two 附件1-3, nothing else appended


def test_department_only_report_does_not_ask_for_project_tables(capsys, tmp_path):
    path = write_json(tmp_path, without("t13")(sample()))
    md = tmp_path / "report.md"
    assert main(["report", str(path), "--format", "md", "-o", str(md)]) == 0
    capsys.readouterr()
    text = md.read_text(encoding="utf-8")
    assert "本次自评未附项目支出绩效自评表（附件1-3）。" in text
    assert "一个一级项目支出一张表" not in text and "未填报项目支出绩效自评表" not in text
    assert "部门整体支出绩效自评得分99.40分" in text
    assert "1-3. 2022年度" not in text and "### 附件1-3" not in text


@pytest.mark.libreoffice
def test_project_only_report_as_pdf(capsys, tmp_path, soffice):
    path = write_json(tmp_path, without("t11", "t12")(sample()))
    pdf = tmp_path / "report.pdf"
    assert main(["report", str(path), "--format", "pdf", "-o", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")


def test_score_writes_into_a_workbook_whose_1_2_is_blank(capsys, tmp_path):
    path = write_workbook(tmp_path, without("t11", "t12")(sample()))
    out = tmp_path / "scored.xlsx"
    assert main(["score", str(path), "-o", str(out)]) == 1
    wb = load_workbook(out)
    texts = {
        ws.title: [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)] for ws in wb
    }
    assert any(t.startswith("总分 89.17（良）") for t in texts["附件1-3(1)"])
    assert any(t.startswith("总分 99.95（优）") for t in texts["附件1-3(2)"])
    assert not any(t.startswith(("总分 ", "执行率 ")) for t in texts["附件1-2"])  # nothing claimed for 1-2
    # the two project paragraphs the 附件1-3 tables contradict (PROSE-FIGURE) are among the errors
    assert wb["校验结果"]["A2"].value.startswith("共 13 条：6 个错误、3 个警告、4 个提示")
    xlsx = tmp_path / "report.xlsx"
    assert main(["report", str(out), "--format", "xlsx", "-o", str(xlsx)]) == 0
    assert "未填报附件1-2" in " ".join(
        str(c.value) for row in load_workbook(xlsx)["自评报告"].iter_rows() for c in row if c.value
    )


def test_a_blank_project_sheet_in_a_department_workbook_is_absent(capsys, tmp_path):
    data = without("t13")(sample())
    plain = keyed(check_json(capsys, write_workbook(tmp_path, data, "plain.xlsx"))[1]["findings"])
    code, result = check_json(capsys, write_workbook(tmp_path, data, "spare.xlsx", blank_projects=1))
    assert code == 1
    assert keyed(result["findings"]) == plain  # no 未填项目名称, 未填全年预算数 … for the blank sheet
    assert [s["table"] for s in result["scores"]] == ["1-2"]
    out = tmp_path / "scored.xlsx"
    assert main(["score", str(tmp_path / "spare.xlsx"), "-o", str(out)]) == 1
    spare = load_workbook(out)["附件1-3(1)"]
    assert not any(
        isinstance(c.value, str) and c.value.startswith("总分 ") for row in spare.iter_rows() for c in row
    )


# ---------------------------------------------------------------- nothing at all


def test_a_blank_workbook_says_once_that_it_holds_no_table(tmp_path):
    path = tmp_path / "blank.xlsx"

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "jixiao.cli", *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    assert cli("new", "--year", "2023", "--unit", "测试单位", "-o", str(path)).returncode == 0
    checked = cli("check", str(path))
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        "✗ 错误 [FILING-EMPTY] 基本信息：测试单位没有填写任何表：附件1-1、附件1-2、附件1-3 均为空"
        "（只有表头和预置的标签、分值），无从校验和计分",
        "共 1 个错误、0 个警告、0 个提示。",
    ]
    scored = cli("score", str(path), "-o", str(tmp_path / "scored.xlsx"))
    assert scored.returncode == 1 and scored.stdout == "没有可计分的表：附件1-2 和附件1-3 均未填写。\n"
    report = cli("report", str(path), "--format", "md", "-o", str(tmp_path / "r.md"))
    assert report.returncode == 2 and "Traceback" not in report.stderr
    assert report.stderr.strip().splitlines() == [
        "jixiao：没有填写任何表（附件1-1、附件1-2、附件1-3 均为空），无法生成自评报告"
    ]


def test_a_data_file_without_tables_is_one_finding(capsys, tmp_path):
    path = write_json(tmp_path, {"format": "jixiao-filing", "version": 1, "unit": "某单位", "year": 2023})
    code, result = check_json(capsys, path)
    assert code == 1 and [f["rule"] for f in result["findings"]] == ["FILING-EMPTY"]
    assert result["scores"] == []


# ---------------------------------------------------------------- a workbook without project sheets


def test_new_with_no_project_sheet(capsys, tmp_path):
    plain, macro = tmp_path / "p0.xlsx", tmp_path / "p0.xlsm"
    assert main(["new", "--year", "2023", "--unit", "测试单位", "--projects", "0", "-o", str(plain)]) == 0
    assert (
        main(["new", "--year", "2023", "--unit", "测试单位", "--projects", "0", "--macro", "-o", str(macro)])
        == 0
    )
    capsys.readouterr()
    assert not [s for s in load_workbook(plain).sheetnames if s.startswith("附件1-3")]
    assert "xl/vbaProject.bin" in zipfile.ZipFile(macro).namelist()
    # fill 附件1-2 of the department in the form, as an accountant would, and run every command on it
    filing, _ = filing_from_dict(without("t13")(sample()))
    filled = tmp_path / "dept.xlsx"
    build_workbook(filing).save(filled)
    code, result = check_json(capsys, filled)
    assert code == 1 and [s["table"] for s in result["scores"]] == ["1-2"]
    assert main(["score", str(filled), "-o", str(tmp_path / "scored.xlsx")]) == 1
    assert (
        main(["report", str(tmp_path / "scored.xlsx"), "--format", "docx", "-o", str(tmp_path / "r.docx")])
        == 0
    )
    assert (
        main(
            [
                "new",
                "--year",
                "2023",
                "--unit",
                "测试单位",
                "--projects",
                "-1",
                "-o",
                str(tmp_path / "x.xlsx"),
            ]
        )
        == 2
    )


def test_add_project_sheet_button_on_a_workbook_without_one(capsys, tmp_path):
    path = tmp_path / "p0.xlsx"
    assert main(["new", "--year", "2023", "--unit", "测试单位", "--projects", "0", "-o", str(path)]) == 0
    assert main(["addin", "click", "新增项目表", str(path)]) == 0
    out = capsys.readouterr().out
    assert "已新增“附件1-3(1)”" in out
    added = tmp_path / "p0-新增项目表.xlsx"
    assert "附件1-3(1)" in load_workbook(added).sheetnames


# ---------------------------------------------------------------- the batch summary


def test_batch_rows_for_every_shape(capsys, tmp_path):
    folder = tmp_path / "报表"
    folder.mkdir()
    write_workbook(folder, without("t11", "t12")(sample()), "项目.xlsx")
    write_workbook(folder, without("t13")(sample()), "部门.xlsx")
    assert main(["new", "--year", "2023", "--unit", "空白单位", "-o", str(folder / "空白.xlsx")]) == 0
    out = tmp_path / "汇总.xlsx"
    assert main(["batch", str(folder), "-o", str(out)]) == 1
    book = load_workbook(out)
    rows = [
        dict(zip(ROW_HEADERS, r, strict=True)) for r in book["汇总"].iter_rows(min_row=2, values_only=True)
    ]
    kinds = {(r["文件"], r["类型"], r["项目"]) for r in rows}
    assert kinds == {
        ("项目.xlsx", "单位", None),
        ("项目.xlsx", "项目", "离退休老干部业务专项资金"),
        ("项目.xlsx", "项目", "全市工业经济运行调度专项资金"),
        ("部门.xlsx", "单位", None),
    }
    blank = [r for r in book["未填写"].iter_rows(min_row=2, values_only=True)]
    assert [r[:3] for r in blank] == [("空白.xlsx", "空白单位", 2023)]  # listed apart, not scored
    project_file = next(r for r in rows if r["文件"] == "项目.xlsx" and r["类型"] == "单位")
    assert next(r["备注"] for r in rows if r["文件"] == "部门.xlsx") is None  # the first of the unit's files
    assert project_file["备注"] == "重复：与 部门.xlsx 为同一单位、同一年度"  # same unit and year
    capsys.readouterr()
    _, result = check_json(capsys, folder / "项目.xlsx")
    summary = result["summary"]
    assert project_file["总分"] is None  # no 附件1-2: no total claimed
    assert (project_file["错误"], project_file["警告"], project_file["提示"]) == (
        summary["errors"],
        summary["warnings"],
        summary["infos"],
    )
