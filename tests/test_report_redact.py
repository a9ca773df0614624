"""The 公开版: no phone or ID numbers and no signers' names in any format."""

from __future__ import annotations

import copy
import shutil
import subprocess
import zipfile

import pytest

from jixiao.pipeline import evaluate
from jixiao.report.export import export
from jixiao.report.redact import Redactor, redactor_for
from jixiao.samples import load_sample

PRIVATE = ("15869733298", "申婷")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("联系电话：15869733298", "联系电话：＊＊＊"),
        ("手机 158 6973 3298，+86 15869733298", "手机 ＊＊＊，＊＊＊"),
        ("办公室电话 0731-22345678 转 8", "办公室电话 ＊＊＊"),  # the extension goes with the number
        ("（0731）22345678", "＊＊＊"),
        ("电话 22345678", "电话 ＊＊＊"),
        ("身份证号 43020319900101123X。", "身份证号 ＊＊＊。"),
        ("老身份证 430203900101123", "老身份证 ＊＊＊"),
        ("填表人：申婷", "填表人：＊＊＊"),
    ],
)
def test_redactor_removes_numbers_and_names(text, expected):
    assert Redactor(("申婷",))(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "基本支出 2609.57 万元",
        "服务 10000余人次",
        "株机改[2003]1号",
        "2023.4.20",
        "20221231",
        "预算 1661.61 万元",
    ],
)
def test_redactor_keeps_amounts_and_dates(text):
    assert Redactor(("申婷",))(text) == text


@pytest.fixture
def result():
    filing = copy.deepcopy(load_sample()[0])
    filing.signers.head = "王五、李四"
    filing.prose.other = "联系人：申婷，电话 0731-22345678，身份证 430203199001011234。"
    return evaluate(filing, [], source="test")


def test_redactor_for_takes_filler_and_head_names(result):
    assert set(redactor_for(result.filing).names) == {"申婷", "王五", "李四"}


def _text_of(path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    if path.suffix == ".pdf":
        if shutil.which("pdftotext") is None:
            pytest.skip("pdftotext (poppler-utils) is not installed")
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    return path.read_text("utf-8")


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_public_edition_has_no_private_data(result, tmp_path, fmt):
    private = _text_of(export(result, fmt, tmp_path / f"r.{fmt}"))
    public = _text_of(export(result, fmt, tmp_path / f"p.{fmt}", public=True))
    for secret in (*PRIVATE, "0731-22345678", "430203199001011234", "李四"):
        assert secret not in public
    assert "15869733298" in private and "申婷" in private
    assert "2609.57" in public and "填报日期：2023.4.20" in public


@pytest.mark.libreoffice
def test_public_pdf_has_no_private_data(result, tmp_path, soffice):
    public = _text_of(export(result, "pdf", tmp_path / "p.pdf", public=True))
    assert "一、部门（单位）基本情况" in public.replace(" ", "")
    for secret in PRIVATE:
        assert secret not in public
