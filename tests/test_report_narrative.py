"""The narrative engine: sections, wording that follows the data, figures from the model."""

from __future__ import annotations

import copy
import os
from decimal import Decimal

import pytest

from jixiao.errors import InputError
from jixiao.model import ProjectSpend
from jixiao.report.narrative import amount, build_report, cn_number, date_cn, trend
from jixiao.samples import load_sample
from jixiao.scoring import score_filing

HEADINGS = ["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"]


@pytest.fixture
def filing():
    """Return a fresh copy of the sample filing."""
    return copy.deepcopy(load_sample()[0])


def text_of(filing) -> str:
    return build_report(filing, score_filing(filing)).text()


def section(filing, prefix: str) -> str:
    doc = build_report(filing, score_filing(filing))
    found = next(s for s in doc.sections if s.heading.startswith(prefix))
    return "\n".join(b.text for b in found.blocks)


def test_sample_has_cover_title_and_ten_sections(filing):
    doc = build_report(filing, score_filing(filing))
    assert [s.heading[:2] for s in doc.sections] == HEADINGS
    assert doc.cover_unit == "单位名称：株洲市行业办公室"
    assert doc.cover_date == "2023年4月20日"
    assert "2022年度株洲市行业办公室整体支出绩效自评报告" in doc.text()
    assert doc.attachments[0].startswith("附件：1-1.")


def test_sample_figures_come_from_the_tables(filing):
    text = text_of(filing)
    assert "基本支出2609.57万元" in text
    assert "工资福利支出622.9万元" in text
    assert "日常公用经费254.26万元" in text  # not the seed's typo 254.36 (I2)
    assert "“三公经费”支出合计11.99万元" in text  # not 11.9 (I3)
    assert "增加1.68万元，增长16.29%" in text
    assert "结余结转0.11万元" in text  # not 0 (I5)
    assert "预算执行率99.04%" in text
    assert "部门整体支出绩效自评得分99.40分，等级为“优”" in text


def test_shortfall_is_named_and_nothing_claims_full_completion(filing):
    text = text_of(filing)
    assert "全面完成各项绩效目标" not in text  # the unit's own prose may use the words elsewhere
    assert "“开展老干党支部学习活动”未完全达到年度指标值" in text
    problems = section(filing, "七、")
    assert "实际完成“11 次”，得分5.50分（分值6分），原因：疫情影响未能开展活动" in problems
    assert "“财政拨款项目”未按“一个一级项目支出一张表”" in problems


def test_all_targets_met_reads_as_full_completion(filing):
    for table in [filing.t12, *filing.t13]:
        for ind in table.indicators:
            if ind.name == "开展老干党支部学习活动":
                ind.actual, ind.deviation = "12 次", None
    filing.t13[0].total_weight = None
    text = text_of(filing)
    assert "全面完成各项绩效目标" in text
    assert "均达到年度指标值" in text
    assert "未完全达到" not in text


def test_decrease_and_flat_wording(filing):
    filing.spending.prev_personnel = Decimal("2400")
    filing.spending.prev_public = filing.spending.public
    filing.t11.sangong.prev_final = Decimal("15")
    text = text_of(filing)
    assert "人员经费2355.31万元，占基本支出的90.26%，较上年减少44.69万元，下降1.86%" in text
    assert "日常公用经费254.26万元，占基本支出的9.74%，与上年持平" in text
    assert "同比2021年减少3.01万元，下降20.07%" in text


def test_zero_and_present_fund_sections(filing):
    filing.spending.gov_fund = Decimal("5.5")
    filing.t11.sangong.final = Decimal(0)
    filing.t11.sangong.prev_final = Decimal(0)
    assert section(filing, "三、") == "2022年政府性基金预算支出5.5万元。"
    assert section(filing, "四、") == "本单位无国有资本经营预算支出。"
    assert "本单位2022年无“三公经费”支出。" in text_of(filing)


def test_no_projects(filing):
    filing.t13 = []
    filing.spending.projects = []
    filing.t12.expenditure.project = None
    text = text_of(filing)
    assert "本单位2022年无项目支出。" in text
    assert "无需填报项目支出绩效自评表" in text


def test_one_subsection_per_project(filing):
    base = filing.t13[1]
    filing.t13 = []
    filing.spending.projects = []
    for i in range(5):
        project = copy.deepcopy(base)
        project.name = f"专项{i + 1}"
        filing.t13.append(project)
        filing.spending.projects.append(ProjectSpend(project.name, Decimal(20), Decimal("19.89")))
    text = text_of(filing)
    for i in range(1, 6):
        assert f"{i}. 年中追加项目“专项{i}”，全年预算20万元" in text
    assert text.count("项目实施及绩效情况如下") == 5
    assert "结余结转0.55万元" in text  # 5 × 0.11


def test_missing_prose_leaves_a_visible_placeholder(filing):
    filing.prose.functions = None
    assert "【请填写：主要职能（基本信息“主要职能”）】" in section(filing, "一、")


def test_user_template_folder_overrides_and_is_sandboxed(filing, tmp_path):
    (tmp_path / "report.j2").write_text("= {{ unit }}自评\n# 一、概况\n总分 {{ f.department.total|score }}\n")
    doc = build_report(filing, template_dir=tmp_path)
    assert doc.title == "株洲市行业办公室自评"
    assert doc.sections[0].blocks[0].text == "总分 99.40"
    (tmp_path / "report.j2").write_text("= x\n{{ f.__class__.__init__.__globals__ }}\n")
    with pytest.raises(InputError):
        build_report(filing, template_dir=tmp_path)
    (tmp_path / "report.j2").write_text("= x\n{% if %}\n")
    with pytest.raises(InputError, match="语法错误"):
        build_report(filing, template_dir=tmp_path)


def test_filters_round_half_up_and_word_choices():
    assert amount(Decimal("1.005")) == "1.01"
    assert amount(Decimal("2.675")) == "2.68"
    assert amount(Decimal("38.00")) == "38"
    assert [trend(Decimal(1)), trend(Decimal(-1)), trend(Decimal(0))] == ["增加", "减少", "持平"]
    assert [cn_number(n) for n in (1, 10, 12, 20)] == ["一", "十", "十二", "二十"]
    assert date_cn("2023-04-20") == "2023年4月20日"
    assert date_cn("2023.4.20") == "2023年4月20日"


def test_an_edited_user_template_is_used_on_the_next_report_of_the_same_process(filing, tmp_path):
    """The templates are compiled once per process (bench/bench_unit.py measures it), yet a unit's
    edited template is seen at once, and a folder that went away is a clear refusal."""
    template = tmp_path / "report.j2"
    template.write_text("= 第一版\n# 一、概况\n甲\n")
    assert build_report(filing, template_dir=tmp_path).title == "第一版"
    template.write_text("= 第二版\n# 一、概况\n乙\n")
    stamp = template.stat().st_mtime + 2  # an edit seen later than the first version, whatever the clock
    os.utime(template, (stamp, stamp))
    assert build_report(filing, template_dir=tmp_path).title == "第二版"
    template.unlink()
    tmp_path.rmdir()
    with pytest.raises(InputError, match="文件夹不存在"):
        build_report(filing, template_dir=tmp_path)


def test_a_project_is_the_same_for_the_checks_and_the_report():
    """'…专项' in 支出情况 and '…专项资金' in 附件1-3 are one project, as X-PROJECT-NO-TABLE sees it."""
    from jixiao.checks import check_filing
    from jixiao.report.facts import build_facts
    from jixiao.scoring import score_filing

    filing, _ = load_sample()
    filing.spending.projects[1].name = "全市工业经济运行调度专项"
    scores = score_filing(filing)
    names = [p.name for p in build_facts(filing, scores).projects]
    assert names.count("全市工业经济运行调度专项资金") == 1 and "全市工业经济运行调度专项" not in names
    unmatched = [f.subject for f in check_filing(filing, scores) if f.rule == "X-PROJECT-NO-TABLE"]
    assert unmatched == ["财政拨款项目"]


@pytest.mark.parametrize("purpose", ["用于离退休老干部活动", "主要用于离退休老干部活动", "离退休老干部活动"])
def test_a_purpose_written_with_its_verb_is_not_doubled(filing, purpose):
    filing.t13[0].prose.purpose = purpose
    text = text_of(filing)
    assert "主要用于离退休老干部活动" in text and "用于用于" not in text and "用于主要用于" not in text
