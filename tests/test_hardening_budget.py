"""Small files that would take huge memory (issue 15): a defined name moved to a whole column or to
the last row, one large merge on each of 300 extra sheets, a hand-written report that is a zip bomb
or a 1.5 GB text. Each is refused before the work is done, in one line naming the limit and file."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from jixiao.api import check, load
from jixiao.cli import main
from jixiao.safety import LIMITS, MB, inspect_report
from tests.hardening_files import (
    DEMO_NAME,
    RawMember,
    deflated,
    deflated_zeros,
    demo_bytes,
    docx_bomb,
    raw_zip,
    refusal,
    with_defined_name,
    with_extra_merged_sheets,
)


def _refused(path: Path, *words: str, read=load) -> str:
    return refusal(read, path, *words)


def test_one_large_merge_on_each_of_300_extra_sheets_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "合并.xlsx"
    path.write_bytes(with_extra_merged_sheets(300))  # 199,000 cells each: under the per-sheet limit
    assert path.stat().st_size < 200 * 1024
    _refused(path, "合并单元格合计过多", f"超过 {LIMITS.merged_total} 个单元格")


def test_merges_under_the_total_limit_are_read(tmp_path: Path) -> None:
    path = tmp_path / "合并.xlsx"
    path.write_bytes(with_extra_merged_sheets(2, "A1:ALL100"))  # 2 × 100,100 cells
    assert load(path).filing.unit == "株洲市行业办公室"


@pytest.mark.parametrize(
    ("defined", "target", "words"),
    [
        ("JX_T12_TOTAL", "'附件1-2'!$H:$H", ["JX_T12_TOTAL", "整行或整列"]),
        ("JX_T12_IND", "'附件1-2'!$A:$A", ["JX_T12_IND", "整行或整列"]),
        ("JX_UNIT", "'基本信息'!$3:$3", ["JX_UNIT", "整行或整列"]),
        ("JX_T12_TOTAL", "'附件1-2'!$H$1048576", ["JX_T12_TOTAL", f"上限（{LIMITS.rows} 行"]),
        ("JX_UNIT", "'基本信息'!$XFD$3", ["JX_UNIT", f"{LIMITS.columns} 列"]),
        ("JX_T12_IND", "'附件1-2'!$A$1:$ALL$49999", ["合计引用的单元格过多", f"超过 {LIMITS.name_cells} 个"]),
        ("JX_T12_TOTAL", "'附件1-2'!$H$49999", ["指标区合计过大", f"超过 {LIMITS.visited_cells} 个单元格"]),
    ],
)
def test_a_defined_name_redirected_far_is_refused_before_reading(
    tmp_path: Path, defined: str, target: str, words: list[str]
) -> None:
    path = tmp_path / "名称.xlsx"
    path.write_bytes(with_defined_name(defined, target))
    assert path.stat().st_size < 100 * 1024
    _refused(path, *words)


def test_the_sample_workbook_is_within_every_budget(tmp_path: Path) -> None:
    path = tmp_path / DEMO_NAME
    path.write_bytes(demo_bytes())
    result = check(path)
    assert str(result.scores.department.total) == "99.40" and len(result.findings) == 32


# ------------------------------------------------------------------ check --report


def _report_bomb() -> bytes:
    """Return a .docx whose word/document.xml inflates to 1.5 GB (about 1.5 MB on disk)."""
    parts = docx_bomb(1)
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(parts)) as z:
        members = [
            RawMember(n, deflated(z.read(n)), len(z.read(n)), zlib.crc32(z.read(n)))
            for n in z.namelist()
            if n != "word/document.xml"
        ]
    members.append(RawMember("word/document.xml", deflated_zeros(1536), 1536 * MB))
    return raw_zip(members)


@pytest.mark.parametrize(
    ("name", "make", "words"),
    [
        ("炸弹.docx", _report_bomb, ["word/document.xml", "压缩炸弹"]),
        ("长文.docx", lambda: docx_bomb(20), ["document.xml", f"超过 {LIMITS.report_xml_bytes // MB} MB"]),
        ("旧版.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), [".doc"]),
        ("假的.docx", lambda: b"not a zip", ["不是 Word 文档"]),
    ],
)
def test_a_hostile_report_docx_is_refused_before_it_is_parsed(tmp_path: Path, name: str, make, words) -> None:
    path = tmp_path / name
    path.write_bytes(make())
    _refused(path, *words, read=inspect_report)


def test_check_refuses_a_bomb_report_and_a_huge_text_in_one_line(tmp_path: Path, capsys) -> None:
    workbook = tmp_path / DEMO_NAME
    workbook.write_bytes(demo_bytes())
    bomb = tmp_path / "炸弹.docx"
    bomb.write_bytes(_report_bomb())
    huge = tmp_path / "巨大.txt"
    with huge.open("wb") as handle:  # 1.5 GB, sparse: nothing to write
        handle.seek(1536 * MB)
        handle.write(b"\n")
    for report, words in ((bomb, "压缩炸弹"), (huge, f"文字报告上限 {LIMITS.report_text_bytes // MB} MB")):
        assert main(["check", str(workbook), "--report", str(report)]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and words in err and str(report) in err, err


def test_a_real_report_is_read(tmp_path: Path, demo_folder: Path) -> None:
    docx = next(demo_folder.glob("*自评报告.docx"))
    inspect_report(docx)
    result = check(next(demo_folder.glob("*.xlsx")), report=docx)
    assert result.summary["errors"] >= 11
