"""The command line as a user runs it: demo, check, score, exit codes and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao.cli import main
from jixiao.samples import sample_text


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jixiao.cli", *args], capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture
def sample_data() -> dict:
    return json.loads(sample_text())


def write(tmp_path: Path, data: dict, name: str = "filing.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def findings_of(capsys, path: Path) -> tuple[int, list[dict]]:
    code = main(["check", str(path), "--json"])
    out = json.loads(capsys.readouterr().out)
    return code, out["findings"]


def test_version():
    completed = run_cli("--version")
    assert completed.returncode == 0 and completed.stdout.startswith("jixiao ")


def test_demo_writes_findings_json_with_the_seed_figures(demo_folder):
    data = json.loads((demo_folder / "findings.json").read_text(encoding="utf-8"))
    scores = {(s["table"], s["subject"]): s for s in data["scores"]}
    dept = scores[("1-2", "株洲市行业办公室")]
    assert (dept["exec_score"], dept["total"], dept["reported_total"], dept["grade"]) == (
        "9.90",
        "99.40",
        "99.9",
        "优",
    )
    project = scores[("1-3", "全市工业经济运行调度专项资金")]
    assert (project["exec_score"], project["total"]) == ("9.95", "99.95")
    errors = [f for f in data["findings"] if f["severity"] == "error"]
    by_rule = {(f["rule"], f["subject"], f["table"]): f for f in errors}
    activity = by_rule[("IND-SCORE", "开展老干党支部学习活动", "1-3")]
    assert activity["expected"] == "9.17"
    assert by_rule[("IND-WEIGHT-TOTAL", "离退休老干部业务专项资金", "1-3")]["actual"] == "90"
    assert ("T11-SUM-PROJECTS", "项目支出", "1-1") in by_rule  # 38 ≠ 58
    assert by_rule[("X-SPECIAL-11-13", "全市工业经济运行调度专项", "1-1")]["actual"] == "20"
    assert by_rule[("X-PROJECTS-12-13", "项目支出", "1-2")]["expected"] == "57.89"
    assert data["summary"]["errors"] == len(errors)
    assert set(data) == {"file", "findings", "scores", "summary"}
    for finding in data["findings"]:
        assert {
            "rule",
            "severity",
            "table",
            "sheet",
            "cell",
            "subject",
            "message",
            "expected",
            "actual",
        } <= set(finding)


def test_check_exit_codes(tmp_path, capsys, sample_data):
    assert main(["check", str(write(tmp_path, sample_data))]) == 1  # the sample has errors
    assert "开展老干党支部学习活动" in capsys.readouterr().out
    clean = _clean_filing(sample_data)
    code, findings = findings_of(capsys, write(tmp_path, clean, "clean.json"))
    assert [f for f in findings if f["severity"] == "error"] == []
    assert code == 0


def _clean_filing(data: dict) -> dict:
    """Return the sample with its errors corrected, the way a careful accountant would."""
    data = json.loads(json.dumps(data))
    data["t12"]["indicators"][4]["reported_score"] = "5.5"
    data["t12"]["reported_total"] = "99.4"
    t11 = data["t11"]
    t11["projects"].update(budget="58", final="57.89")
    t11["special"]["final"] = "19.89"
    t11["special_items"][0]["final"] = "19.89"
    first = data["t13"][0]
    first["indicators"][1]["reported_score"] = "9.17"
    first["level1_weights"]["满意度指标"] = "10"
    first["indicators"].append(
        {
            "level1": "满意度指标",
            "level2": "服务对象满意度指标",
            "name": "老干部满意度",
            "target": "≥95%",
            "actual": "100%",
            "weight": "10",
        }
    )
    data["t12"]["expenditure"]["project"] = "57.89"
    data["t12"]["expenditure"]["basic"] = "2623.66"
    data["spending"]["projects"] = data["spending"]["projects"][:2]
    data["spending"]["wages"] = "636.99"
    prose = first["prose"]  # the report paragraph says what 附件1-3 says: 11 党日活动
    text = prose["implementation"].replace("活动 12 次", "活动 14 次")
    prose["implementation"] = text.replace("9 次", "11 次")
    return data


def test_score_prints_totals_and_explanations(tmp_path, capsys, sample_data):
    main(["score", str(write(tmp_path, sample_data))])
    out = capsys.readouterr().out
    assert "总分 99.40（填报 99.9），等级 优" in out
    assert "11/12×6=5.50" in out


def test_score_json(tmp_path, capsys, sample_data):
    main(["score", str(write(tmp_path, sample_data)), "--json"])
    scores = json.loads(capsys.readouterr().out)["scores"]
    assert scores[0]["indicators"][4]["explanation"].endswith("11/12×6=5.50")


# ---------------------------------------------------------------- bad input


def _one_line_reason(completed: subprocess.CompletedProcess) -> str:
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("not json at all", "JSON 格式错误"),
        ("[1, 2]", "不是绩效自评数据文件"),
        ('{"format": "something-else"}', "不是绩效自评数据文件"),
        ('{"format": "jixiao-filing", "version": 1, "t12": 5}', "附件1-2（字段 t12）应为对象"),
        ('{"format": "jixiao-filing", "version": 9, "t11": {}, "t12": {}}', "版本"),
        ('{"format": "jixiao-filing", "version": 1, "t11": {}, "t12": {"indicators": 5}}', "t12.indicators"),
        ('{"format": "jixiao-filing", "version": 1, "t11": {"bogus": 1}, "t12": {}}', "未知字段 bogus"),
        ('{"format": "jixiao-filing", "version": 1, "t11": {}, "t12": {}, "policy": {"x": 1}}', "计分设置"),
    ],
)
def test_unusable_files_exit_2_with_a_chinese_reason(tmp_path, content, words):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert words in _one_line_reason(run_cli("check", str(path)))


def test_missing_file_and_unknown_type(tmp_path):
    assert "文件不存在" in _one_line_reason(run_cli("check", str(tmp_path / "nope.json")))
    other = tmp_path / "x.ods.txt"
    other.write_text("a,b", encoding="utf-8")
    assert "不支持的文件类型" in _one_line_reason(run_cli("check", str(other)))
    table = tmp_path / "x.csv"  # a CSV is read as a table (issue 12): one that holds none is refused
    table.write_text("a,b", encoding="utf-8")
    assert "CSV 文件中没有可识别的自评表：“a”" in _one_line_reason(run_cli("check", str(table)))


def test_text_in_a_number_field_is_a_finding_naming_the_field(tmp_path, capsys, sample_data):
    sample_data["t12"]["budget"]["executed"] = "两千多"
    sample_data["t11"]["public"]["final"] = "abc"
    code, findings = findings_of(capsys, write(tmp_path, sample_data))
    bad = [f for f in findings if f["rule"] == "INPUT-NUMBER"]
    assert {(f["sheet"], f["field"]) for f in bad} == {
        ("附件1-2", "t12.budget.executed"),
        ("附件1-1", "t11.public.final"),
    }
    assert code == 1
    # the sample prints its 执行率 and 得分: the score is taken as printed, marked unverified
    assert any(f["rule"] == "EXEC-UNVERIFIED" for f in findings)


def test_negative_amounts_are_errors(tmp_path, capsys, sample_data):
    sample_data["t11"]["reception"]["final"] = "-0.5"
    _, findings = findings_of(capsys, write(tmp_path, sample_data))
    assert any(f["rule"] == "AMOUNT-NEGATIVE" and f["field"] == "t11.reception.final" for f in findings)


def test_zero_or_missing_targets(tmp_path, capsys, sample_data):
    sample_data["t12"]["indicators"][0]["target"] = None
    sample_data["t12"]["indicators"][1]["target"] = "≥0"
    _, findings = findings_of(capsys, write(tmp_path, sample_data))
    rules = {(f["rule"], f["subject"]) for f in findings}
    assert ("IND-TARGET-MISSING", "老干住院慰问率") in rules
    assert ("IND-TARGET-ZERO", "老干生日祝寿慰问率") in rules


def test_weights_that_do_not_add_up(tmp_path, capsys, sample_data):
    sample_data["t12"]["indicators"][0]["weight"] = "16"
    _, findings = findings_of(capsys, write(tmp_path, sample_data))
    rules = {f["rule"]: f for f in findings if f["table"] == "1-2"}
    assert rules["IND-WEIGHT-LEVEL1"]["actual"] == "60" and rules["IND-WEIGHT-LEVEL1"]["expected"] == "50"
    assert rules["IND-WEIGHT-TOTAL"]["actual"] == "110"


def test_unknown_level_names(tmp_path, capsys, sample_data):
    sample_data["t12"]["indicators"][0]["level1"] = "投入指标"
    sample_data["t12"]["indicators"][1]["level2"] = "数量"  # an alias: accepted
    sample_data["t12"]["indicators"][2]["level2"] = "规模指标"
    sample_data["t12"]["indicators"][3]["level2"] = "社会效益指标"  # belongs to 效益
    _, findings = findings_of(capsys, write(tmp_path, sample_data))
    by_rule = {f["rule"]: f for f in findings if f["rule"].startswith("IND-LEVEL")}
    assert by_rule["IND-LEVEL1-UNKNOWN"]["actual"] == "投入指标"
    assert by_rule["IND-LEVEL2-UNKNOWN"]["actual"] == "规模指标"
    assert by_rule["IND-LEVEL2-PARENT"]["expected"] == "效益指标"
    assert len([f for f in findings if f["rule"].startswith("IND-LEVEL")]) == 3


def test_missing_deviation_reason_is_required(tmp_path, capsys, sample_data):
    sample_data["t12"]["indicators"][4]["deviation"] = None
    _, findings = findings_of(capsys, write(tmp_path, sample_data))
    assert any(
        f["rule"] == "IND-DEVIATION-REQUIRED" and f["subject"] == "开展老干党支部学习活动" for f in findings
    )


def test_an_unparseable_target_is_a_finding_not_a_crash(tmp_path, capsys, sample_data):
    sample_data["t12"]["indicators"][0]["target"] = "见附件"
    sample_data["t12"]["indicators"][1]["target"] = "l00%"  # OCR damage
    _, findings = findings_of(capsys, write(tmp_path, sample_data))
    rules = [f["rule"] for f in findings if f.get("field", "").startswith("t12.indicators[")]
    assert "IND-TARGET-UNPARSED" in rules and "IND-TARGET-UNREADABLE" in rules


def test_usage_errors_are_one_chinese_line():
    assert "命令行参数有误" in _one_line_reason(run_cli("check"))


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["check"], "缺少必需的参数：file"),
        (["frob"], "命令 不能是 “frob”（可选：“demo”、“new”、“check”"),
        (["report", "a.xlsx", "--format", "xyz"], "--format 不能是 “xyz”（可选：“docx”、“pdf”"),
        (["new", "--projects", "zwei", "-o", "a.xlsx"], "--projects 的值 “zwei” 不是整数"),
        (["check", "a.xlsx", "--nope"], "不认识的参数：--nope"),
        (["report", "a.xlsx", "--format"], "--format 后面要跟一个值"),
    ],
)
def test_argparse_says_what_is_wrong_in_chinese(capsys, argv: list[str], words: str) -> None:
    err = _usage_error(capsys, argv)
    assert words in err, err
    for english in ("usage", "invalid", "required", "argument", "choose from", "unrecognized", "expected"):
        assert english not in err, err


def _usage_error(capsys, argv: list[str]) -> str:
    """Return the one line ``jixiao argv`` prints for a usage error (exit 2)."""
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err.strip()
    assert exited.value.code == 2 and len(err.splitlines()) == 1, err
    return err


def test_help_is_headed_in_chinese(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["new", "-h"])
    out = capsys.readouterr().out
    assert out.startswith("用法：jixiao new") and "显示本帮助并退出" in out
    assert "usage" not in out and "show this help" not in out and "options:" not in out


@pytest.mark.parametrize("year", ["0", "-5", "99999", "1999", "2101", "2023.5", "二〇二三"])
def test_new_refuses_a_year_no_workbook_would_accept(tmp_path: Path, capsys, year: str) -> None:
    target = tmp_path / "a.xlsx"
    err = _usage_error(capsys, ["new", f"--year={year}", "--unit", "某单位", "-o", str(target)])
    assert "--year：评价年度应为 2000 到 2100 之间的四位年份" in err, err
    assert not target.exists()
    assert main(["new", "--year", "2100", "--unit", "某单位", "-o", str(target)]) == 0


def test_python_m_jixiao_is_the_jixiao_command() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "jixiao", "--version"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0 and completed.stdout.startswith("jixiao ")
    assert "命令行参数有误" in _one_line_reason(
        subprocess.run([sys.executable, "-m", "jixiao", "check"], capture_output=True, text=True, check=False)
    )


def test_demo_into_a_path_that_is_a_file_is_a_one_line_refusal(tmp_path, capsys):
    target = tmp_path / "afile"
    target.write_text("mine", encoding="utf-8")
    assert main(["demo", "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "应为文件夹" in err and str(target) in err
    assert target.read_text(encoding="utf-8") == "mine"
