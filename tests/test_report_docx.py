"""The Word export: GB/T 9704 page, fonts, grid and page numbers, checked in the XML."""

from __future__ import annotations

import re
import zipfile

import pytest
from docx import Document

from jixiao.report.narrative import build_report
from jixiao.report.tables import build_tables
from jixiao.report.word import write_docx
from jixiao.samples import load_sample
from jixiao.scoring import score_filing

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def mm_to_twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory):
    filing = load_sample()[0]
    scores = score_filing(filing)
    path = tmp_path_factory.mktemp("docx") / "report.docx"
    return write_docx(build_report(filing, scores), path, build_tables(filing, scores))


@pytest.fixture(scope="module")
def xml(docx_path):
    with zipfile.ZipFile(docx_path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in ("word/document.xml", "word/styles.xml")}


def test_a4_page_and_gbt9704_margins(docx_path):
    for section in Document(str(docx_path)).sections:
        assert (section.page_width.twips, section.page_height.twips) == (mm_to_twips(210), mm_to_twips(297))
        assert section.top_margin.twips == mm_to_twips(37)
        assert section.bottom_margin.twips == mm_to_twips(35)
        assert section.left_margin.twips == mm_to_twips(28)
        assert section.right_margin.twips == mm_to_twips(26)


def test_line_grid_of_22_lines_and_28_characters(xml):
    grid = re.findall(r"<w:docGrid [^>]*/>", xml["word/document.xml"])
    assert grid and all('w:linePitch="579"' in g for g in grid)  # 225 mm / 22 lines
    # 28 characters of 16 pt in 156 mm: each character condensed by 0.25 pt in the body style
    assert '<w:spacing w:val="-5"/>' in xml["word/styles.xml"]


def test_body_style_is_fangsong_sanhao_with_east_asian_font(xml):
    normal = re.search(r'<w:style [^>]*w:styleId="Normal".*?</w:style>', xml["word/styles.xml"], re.S).group(
        0
    )
    assert 'w:eastAsia="仿宋_GB2312"' in normal
    assert '<w:sz w:val="32"/>' in normal  # 三号 = 16 pt


def _runs_with(document, prefix: str):
    for paragraph in document.paragraphs:
        if paragraph.text.startswith(prefix):
            return paragraph.runs
    raise AssertionError(f"no paragraph starts with {prefix}")


def _east_asia(run) -> str:
    return run._element.rPr.find(f"{W}rFonts").get(f"{W}eastAsia")


def test_title_and_heading_fonts(docx_path):
    document = Document(str(docx_path))
    title = _runs_with(document, "2022年度株洲市行业办公室")[0]
    assert _east_asia(title) == "方正小标宋简体" and title.font.size.pt == 22
    assert _east_asia(_runs_with(document, "一、部门（单位）基本情况")[0]) == "黑体"
    assert _east_asia(_runs_with(document, "（一）主要职能")[0]) == "楷体_GB2312"
    assert _east_asia(_runs_with(document, "根据株机改")[0]) == "仿宋_GB2312"
    first = next(p for p in document.paragraphs if p.text.startswith("根据株机改"))
    assert first.paragraph_format.first_line_indent.pt == 32  # two characters


def test_headings_one_to_ten_and_page_numbers(docx_path):
    document = Document(str(docx_path))
    texts = [p.text for p in document.paragraphs]
    for prefix in ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、"):
        assert any(t.startswith(prefix) for t in texts), prefix
    body = document.sections[1]
    footer_xml = body.footer._element.xml
    assert "PAGE" in footer_xml and "— " in footer_xml
    assert body._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1"  # the cover is not counted


def test_the_three_tables_are_appended_with_computed_scores(docx_path):
    document = Document(str(docx_path))
    assert len(document.tables) == 4  # 1-1, 1-2 and two 1-3
    captions = [p.text for p in document.paragraphs if re.fullmatch(r"附件1-[123]", p.text)]
    assert captions == ["附件1-1", "附件1-2", "附件1-3", "附件1-3"]
    t12 = document.tables[1]
    cells = {c.text for row in t12.rows for c in row.cells}
    assert {"99.40", "5.50", "99.04%", "产出指标(50分)", "等级：优"} <= cells  # brackets as in the seed
    t11 = {c.text for row in document.tables[0].rows for c in row.cells}
    assert {"96.15%", "11.99", "—"} <= t11
