"""The report as printed: the PDF keeps every character, page numbers per GB/T 9704-2012 §7.5, and
the .docx carries current document properties (not the 2013 date of python-docx's template)."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from docx import Document

from jixiao.pipeline import evaluate
from jixiao.report.export import report_parts
from jixiao.report.pdf import docx_to_pdf
from jixiao.report.word import write_docx
from jixiao.samples import load_sample

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKS = "。，、；："


@pytest.fixture(scope="module")
def result():
    filing, findings = load_sample()
    return evaluate(filing, findings)


@pytest.fixture(scope="module")
def docx_path(result, tmp_path_factory):
    doc, grids = report_parts(result)
    return write_docx(doc, tmp_path_factory.mktemp("pdf") / "report.docx", grids)


@pytest.fixture(scope="module")
def pdf_pages(docx_path, soffice):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    pdf = docx_to_pdf(docx_path, docx_path.with_suffix(".pdf"))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f"), bbox


def _document_text(path) -> str:
    """Return every paragraph and table cell text of the .docx (a merged cell once)."""
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = []
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.append(cell._tc)
                    parts.append(cell.text)
    return "".join(parts)


def test_the_pdf_text_layer_keeps_every_punctuation_mark(docx_path, pdf_pages):
    pages, _ = pdf_pages
    pdf_text = "".join(pages)
    doc_text = _document_text(docx_path)
    for mark in MARKS:
        assert pdf_text.count(mark) == doc_text.count(mark), mark
    # the marks the demo used to lose at the end of full lines, read across the line break
    flat = re.sub(r"\s", "", pdf_text)
    for phrase in ("增强。强化", "三到位、六必访", "较多，故丧葬", "有亮度、有温度"):
        assert phrase in flat, phrase


def test_page_numbers_odd_right_even_left_in_the_pdf(pdf_pages):
    _, bbox = pdf_pages
    pages = re.split(r"<page ", bbox)[1:]
    numbered = 0
    for page in pages[1:]:  # the cover has no number
        width = float(re.search(r'width="([\d.]+)"', page).group(1))
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        word = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" [^>]*>([^<]*)</word>'
        words = re.findall(word, page)
        # below the text area (bottom margin 35 mm): the footer
        tail = [(x0, x1, t) for x0, y0, x1, t in words if float(y0) > height - 35 / 25.4 * 72]
        assert [t for _, _, t in tail][0::2] == ["—", "—"], tail
        number = int(tail[1][2])
        left, right = float(tail[0][0]), float(tail[2][1])
        if number % 2:
            assert left > width / 2, f"page {number} (odd) should carry its number on the right"
        else:
            assert right < width / 2, f"page {number} (even) should carry its number on the left"
        numbered += 1
        assert number == numbered  # the first text page is 1
    assert numbered >= 4


def test_docx_footers_odd_right_even_left_with_dashes(docx_path):
    with zipfile.ZipFile(docx_path) as archive:
        settings = archive.read("word/settings.xml").decode("utf-8")
    assert "<w:evenAndOddHeaders/>" in settings
    body = Document(str(docx_path)).sections[1]
    for footer, side in ((body.footer, "right"), (body.even_page_footer, "left")):
        xml = footer._element.xml
        assert f'<w:jc w:val="{side}"/>' in xml
        assert f'w:{side}="280"' in xml  # one 四号 character (14 pt) in from the edge
        assert "PAGE" in xml and "— " in footer.paragraphs[0].text and " —" in footer.paragraphs[0].text


def test_docx_properties_are_current_and_name_the_unit(docx_path, result):
    props = Document(str(docx_path)).core_properties
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for stamp in (props.created, props.modified):
        assert stamp is not None and abs(now - stamp.replace(tzinfo=None)) < timedelta(hours=1)
    assert props.author == props.last_modified_by == result.filing.unit
    assert props.title == "2022年度株洲市行业办公室整体支出绩效自评报告"
    assert props.comments == ""


def test_public_version_properties_name_no_person(result, tmp_path):
    doc, grids = report_parts(result, public=True)
    path = write_docx(doc, tmp_path / "public.docx", grids)
    props = Document(str(path)).core_properties
    people = {result.filing.signers.filler, result.filing.signers.head} - {None}
    assert people and not any(name in (props.author or "") for name in people)
    assert props.author == result.filing.unit
