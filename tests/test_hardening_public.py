"""A 公开版 that cannot leak (issue 15): a filing seeded with every variant of a name, a phone, an ID
number and an e-mail address, as data file and as a workbook carrying them also in its properties,
comments, headers, validation prompts, a sheet name and number cells. Every public output — md,
docx (every XML part), pdf (text layer and metadata), xlsx (every XML part, docProps included) —
is searched for every one of them, after folding full-width forms and removing separators."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.cli import main
from jixiao.datafile import dump_filing
from jixiao.samples import load_sample
from jixiao.workbook.scored import build_scored
from tests.output_text import file_text

NAMES = ["申婷", "欧阳娜娜", "李四", "赵六"]
NUMBERS = [
    "15869733298",  # mobile: full-width, spaced, dotted, dashed, +86
    "13912345678",  # mobile typed as a number in a cell
    "073122345678",  # landline with area code, without the word 电话
    "22345678",  # local number after 电话
    "430203199001011234",  # ID, spaced
    "43020319900101123X",
    "430203900101123",  # 15-digit ID
    "43020319900101",  # what a cell keeps of an ID typed as a number (15 significant digits)
]
EMAILS = ["shenting@163.com", "li.si@example.cn"]
OTHER = ["shenting_2022"]  # a 微信 id

PROSE = "\n".join(
    [
        "联系人：申 婷，手机１５８６９７３３２９８，邮箱 shenting＠163.com。",
        "申婷（会计）负责汇总；欧阳 娜娜审核；李四复核。",
        "座机 0731 2234 5678；办公室（0731）2234-5678 转 806；又 0731.2234.5678。",
        "备用 158.6973.3298、158 6973 3298、+86-158-6973-3298、86 158 6973 3298。",
        "身份证 430203 19900101 1234，旧证 430203900101123，另一张 43020319900101123x。",
        "电话 2234 5678。微信：shenting_2022。邮箱 li.si@example.cn。",
        "经办人：赵六。",
    ]
)


def seeded_filing():
    """Return the sample with every leak variant in its signers, prose and tables."""
    filing = copy.deepcopy(load_sample()[0])
    filing.signers.filler = "申 婷（会计）"
    filing.signers.head = "欧阳 娜娜、李四"
    filing.signers.phone = "１５８ ６９７３ ３２９８"
    filing.prose.other = PROSE
    filing.t12.indicators[0].deviation = "李四 139-1234-5678 跟进"
    filing.t13[0].implementer = "欧阳娜娜"
    return filing


def _canon_numbers(text: str) -> str:
    """Return ``text`` folded, numbers in E notation written out (4.3020319900101e+17 →
    430203199001010000) and separators between digits removed."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[0-9]\.[0-9]+[eE]\+[0-9]+", lambda m: f"{Decimal(m.group()):f}", text)
    return re.sub(r"(?<=[0-9])[\s.\-–—‐·/()（）]+(?=[0-9Xx])", "", text).upper()


def _canon_names(text: str) -> str:
    return re.sub(r"[\s\u3000·•._\-\u200b]+", "", unicodedata.normalize("NFKC", text))


def leaks(text: str) -> list[str]:
    """Return every secret still found in ``text``."""
    numbers, names = _canon_numbers(text), _canon_names(text)
    found = [s for s in NUMBERS if s.upper() in numbers]
    found += [s for s in [*EMAILS, *OTHER] if s in unicodedata.normalize("NFKC", text)]
    return found + [s for s in NAMES if s in names]


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def seeded_workbook(out: Path) -> Path:
    """Return a workbook of the seeded filing that also carries the variants where cells do not show."""
    build_scored(seeded_filing(), out, report=True)
    wb = openpyxl.load_workbook(out)
    info = wb["基本信息"]
    phone = next(c for row in info.iter_rows() for c in row if c.value == "联系电话").offset(0, 1)
    phone.value = 13912345678  # the phone typed as a number
    info["C3"].comment = Comment("申婷：请核对 15869733298", "申婷")
    info.oddHeader.left.text = "申婷 0731-22345678"
    info.oddFooter.center.text = "欧阳娜娜"
    prompt = DataValidation(type="list", formula1='"申婷,李四,欧阳娜娜"', showInputMessage=True)
    prompt.prompt, prompt.promptTitle = "有问题找申婷 15869733298", "联系申婷"
    prompt.add("C4")
    info.add_data_validation(prompt)
    draft = wb.create_sheet("申婷的草稿")
    draft["A1"] = "欧阳娜娜 158-6973-3298"
    draft["B2"] = 430203199001011234  # kept as 4.302031990010113e+17, as Excel does
    draft["C1"] = 15869733298
    draft["C3"] = '="联系"&"申婷"&" 15869733298"'
    draft["A5"] = "='申婷的草稿'!A1"
    draft["A6"].value = "邮件"
    draft["A6"].hyperlink = "mailto:shenting@163.com"
    wb.properties.creator, wb.properties.lastModifiedBy = "申婷", "欧阳娜娜"
    wb.properties.title, wb.properties.subject = "申婷的自评", "联系 15869733298"
    wb.properties.keywords = "shenting@163.com"
    wb.custom_doc_props.append(StringProperty(name="联系人", value="申婷 13912345678"))
    wb.save(out)
    with zipfile.ZipFile(out) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    app = parts["docProps/app.xml"].decode()
    app = app.replace(
        "</Properties>", "<Company>申婷工作室</Company><Manager>欧阳娜娜</Manager></Properties>"
    )
    parts["docProps/app.xml"] = app.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for part, content in parts.items():
            z.writestr(part, content)
    return out


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> dict[str, Path]:
    """Return the seeded data file and workbook."""
    folder = tmp_path_factory.mktemp("seeded")
    data = folder / "单位.json"
    dump_filing(seeded_filing(), data)
    return {"json": data, "xlsx": seeded_workbook(folder / "单位.xlsx")}


def test_the_seeded_sources_hold_every_variant(seeded: dict[str, Path]) -> None:
    """The secrets are there before the 公开版 (else the test proves nothing)."""
    workbook = file_text(seeded["xlsx"])
    assert set(leaks(workbook)) == {*NUMBERS, *EMAILS, *OTHER, *NAMES}
    assert "申婷工作室" in workbook and "申婷的草稿" in workbook


@pytest.mark.parametrize("fmt", ["md", "docx", "xlsx"])
@pytest.mark.parametrize("source", ["json", "xlsx"])
def test_the_public_edition_of_a_seeded_filing_leaks_nothing(
    seeded: dict[str, Path], tmp_path: Path, source: str, fmt: str
) -> None:
    out = tmp_path / f"公开.{fmt}"
    assert main(["report", str(seeded[source]), "--format", fmt, "--public", "-o", str(out)]) == 0
    text = file_text(out)
    assert leaks(text) == [], leaks(text)
    assert "株洲市行业办公室" in text and "2609.57" in text and "＊＊＊" in text
    private = tmp_path / f"内部.{fmt}"
    assert main(["report", str(seeded[source]), "--format", fmt, "-o", str(private)]) == 0
    assert "15869733298" in _canon_numbers(file_text(private))  # the private edition keeps them


def test_the_public_workbook_keeps_its_structure(seeded: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "公开.xlsx"
    assert main(["report", str(seeded["xlsx"]), "--format", "xlsx", "--public", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    draft = next(ws for ws in wb.worksheets if ws.title.endswith("的草稿"))
    assert draft.title == "＊＊＊的草稿" and draft["A5"].value == "='＊＊＊的草稿'!A1"
    assert draft["B2"].value == "＊＊＊" and draft["A6"].hyperlink is None
    assert wb.properties.creator == "jixiao" and wb.properties.lastModifiedBy == "jixiao"
    assert all(
        c.comment.author == "jixiao" for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.comment
    )
    assert main(["check", str(out)]) in (0, 1)  # the 公开版 is still a workbook jixiao reads


@pytest.mark.libreoffice
@pytest.mark.parametrize("source", ["json", "xlsx"])
def test_the_public_pdf_of_a_seeded_filing_leaks_nothing(
    soffice: str, seeded: dict[str, Path], tmp_path: Path, source: str
) -> None:
    assert shutil.which("pdfinfo"), "poppler-utils is required"
    out = tmp_path / "公开.pdf"
    assert main(["report", str(seeded[source]), "--format", "pdf", "--public", "-o", str(out)]) == 0
    text = file_text(out) + pdf_info(out)
    assert leaks(text) == [], leaks(text)
    assert "2609.57" in text


def test_the_public_outputs_of_the_sample_leak_nothing(demo_folder: Path, tmp_path: Path) -> None:
    """The demo's 公开版 files (md, docx, pdf) and the public workbook hold neither 申婷 nor her phone."""
    public = sorted(demo_folder.glob("*公开版*"))
    assert {p.suffix for p in public} == {".md", ".docx", ".pdf"}
    workbook = next(demo_folder.glob("*.xlsx"))
    xlsx = tmp_path / "公开.xlsx"
    assert main(["report", str(workbook), "--format", "xlsx", "--public", "-o", str(xlsx)]) == 0
    for path in (*public, xlsx):
        text = file_text(path) + (pdf_info(path) if path.suffix == ".pdf" else "")
        assert "申婷" not in _canon_names(text) and "15869733298" not in _canon_numbers(text), path
        assert "2609.57" in text, path
