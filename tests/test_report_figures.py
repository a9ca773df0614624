"""The figure check of a hand-written report: the seed's known errors, and silence when figures agree."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from jixiao.checks import check_report, check_report_text
from jixiao.errors import InputError
from jixiao.report.figures import agrees, extract_figures, read_report
from jixiao.report.narrative import build_report
from jixiao.samples import load_sample
from jixiao.scoring import score_filing

SEED_REPORT = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_50f89173955d11d8.txt"


@pytest.fixture
def sample():
    filing = copy.deepcopy(load_sample()[0])
    return filing, score_filing(filing)


def _pairs(findings):
    return {(f.rule, f.expected, f.actual) for f in findings}


@pytest.mark.skipif(not SEED_REPORT.exists(), reason="the shared seed report is not checked out")
def test_seed_report_known_errors(sample):
    findings = check_report(SEED_REPORT, *sample)
    pairs = _pairs(findings)
    assert ("RPT-FIGURE", "254.26 万元", "254.36 万元") in pairs  # I2
    assert ("RPT-FIGURE", "11.99 万元", "11.9 万元") in pairs  # I3
    assert ("RPT-FIGURE", "0.11 万元", "0 万元") in pairs  # I5 结余结转
    assert ("RPT-FIGURE", "11 次", "9 次") in pairs  # I10 党日活动
    assert ("RPT-FIGURE-APPROX", "180 篇", "500 多个") in pairs  # I17
    assert len(findings) <= 9  # few besides (I1 sum, I4 结余 25.92, I11 grade)
    assert all(f.table == "报告" and f.field.startswith("自评报告第") for f in findings)
    sangong = next(f for f in findings if f.actual == "11.9 万元")
    assert "“三公经费”支出合计 11.9 万元" in sangong.message  # the sentence is quoted


def test_seed_sentences_that_agree_stay_silent(sample):
    text = [
        "2022 年基本支出 2609.57 万元，其中：工资福利支出 622.9 万元，商品和服务支出 250.31 万元，"
        "对个人和家庭的补助支出 1732.41 万元，资本性支出 3.95 万元。",
        "其中人员经费 2355.31 万元，较去年增加 438.24 万元；"
        "日常公用经费 254.26 万元，较上年增加 19.66 万元。",
        "2022 年末现有编制人数 62 人，（其中用于安置市广播电视局人员 11 名，市公共资源管理中心人员 25 名）"
        "实有在职人员 25 人，离休人员 9 人，退休人员 230 人。",
        "2. 年中追加项目“全市工业经济运行调度专项资金”，金额20万元，实际支出19.89万元，结余结转0.11万元。",
        "该项目预算批复金额为 20 万元，实际支出金额为 19.89 万元，资金使用率 99.5%。",
        "根据民意调查结果，单位服务对象满意度为 100%。",
    ]
    assert check_report_text(text, *sample) == []


def test_stated_change_follows_the_stated_value(sample):
    # 11.9 is wrong, but 1.59 and 15.4% are right for 11.9: one finding, not three
    text = ["2022 年“三公经费”支出合计 11.9 万元，同比 2021 年增加 1.59 万元，增加 15.4%。"]
    findings = check_report_text(text, *sample)
    assert [f.actual for f in findings] == ["11.9 万元"]
    text = ["2022 年“三公经费”支出合计 11.99 万元，同比 2021 年增加 2.68 万元。"]
    assert _pairs(check_report_text(text, *sample)) == {("RPT-FIGURE", "1.68 万元", "2.68 万元")}


def test_broken_sum_is_reported(sample):
    text = [
        "2022 年度支出总计 2681.55 万元，其中：基本支出 2609.57 万元，项目支出 71.98 万元。",
        "2022 年度支出总计 2681.55 万元，其中：基本支出 2609.57 万元，其他 80 万元。",
    ]
    findings = check_report_text(text, *sample)
    assert [f.rule for f in findings] == ["RPT-SUM"]
    assert findings[0].field == "自评报告第2段"


def test_generated_report_passes_its_own_check(sample):
    filing, _ = sample
    for name in ("duties", "satisfaction"):
        setattr(filing.prose, name, None)
    for project in filing.t13:
        project.prose.implementation = project.prose.benefit = None
    filing.spending.projects[2].executed = Decimal("14.09")  # the seed's list is off by 0.01 (I1)
    scores = score_filing(filing)
    doc = build_report(filing, scores)
    found = check_report_text([b.text for b in doc.blocks()], filing, scores)
    assert {f.rule for f in found} == {"RPT-MARKER"}  # the 【请填写】 marks of the removed paragraphs
    assert all(f.severity == "warning" and "【请填写：" in f.subject for f in found)


def test_extract_figures_skips_dates_ordinals_and_list_numbers():
    figures = extract_figures(
        "根据株机改[2003]1号文件，2022 年 11 月基本支出 2609.57 万元，增加 15.4%，图帖 500 多个。"
    )
    assert [(f.text, f.kind, f.approx) for f in figures] == [
        ("2609.57 万元", "amount", None),
        ("15.4%", "percent", None),
        ("500 多个", "count", "多"),
    ]
    assert extract_figures("1. 贯彻执行；（2）三公经费")[:1] == []
    assert extract_figures("共 380000 元")[0].value == Decimal("38")


@pytest.mark.parametrize(
    ("text", "expected", "result"),
    [
        ("0 万元", "0.11", False),
        ("11.9 万元", "11.99", False),
        ("254.26 万元", "254.26", True),
        ("99.5%", "99.45", True),
        ("15.4%", "15.42", True),
        ("500 多个", "180", False),
        ("500 多个", "530", True),
        ("20余个", "23", True),
    ],
)
def test_agreement_follows_the_precision_stated(text, expected, result):
    assert agrees(extract_figures(text)[0], Decimal(expected)) is result


def test_reads_docx_and_markdown(sample, tmp_path):
    document = Document()
    document.add_paragraph("（2）“三公经费”情况")
    document.add_paragraph("2022 年我办“三公经费”支出合计 11.9 万元。")
    document.save(str(tmp_path / "r.docx"))
    assert [f.actual for f in check_report(tmp_path / "r.docx", *sample)] == ["11.9 万元"]
    (tmp_path / "r.md").write_text(
        "## 二、支出\n\n**日常公用经费** 254.36 万元。\n\n| 表 | 254.36 万元 |\n", "utf-8"
    )
    assert [f.actual for f in check_report(tmp_path / "r.md", *sample)] == ["254.36 万元"]
    (tmp_path / "gbk.txt").write_bytes("三公经费 11.9 万元。".encode("gb18030"))
    assert len(check_report(tmp_path / "gbk.txt", *sample)) == 1


def test_unreadable_reports_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="只支持"):
        read_report(tmp_path / "r.pdf")
    with pytest.raises(InputError, match="不存在"):
        read_report(tmp_path / "missing.txt")
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match="无法读取"):
        read_report(tmp_path / "bad.docx")
