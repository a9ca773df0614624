"""Fuzzing the readers: targets, numbers, the workbook reader, and a mutation suite over the sample workbook.

Whatever the input, the result is findings or a one-line InputError (exit 2) — never another exception.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from jixiao.api import check
from jixiao.cli import main
from jixiao.errors import InputError
from jixiao.numbers import LIMIT, parse_amount, parse_count, parse_decimal
from jixiao.pipeline import evaluate
from jixiao.targets import Actual, Target, parse_actual, parse_target, tier_of
from jixiao.workbook.reader import WorkbookReader
from tests.hardening_files import DEMO_NAME, corrupt_member, demo_bytes, demo_members, input_cells, rezip

PIECES = [
    "≥", "≤", ">", "<", "=", "不低于", "不少于", "不超过", "达到", "以上", "以内", "约", "每月", "每年",
    "次", "%", "％", "万元", "元", "人", "天", "个", "12", "１２", "0.5", "３８万", "十二", "百分之九十五",
    "1,234.5", "-", "—", "~", "至", " ", "\u3000", "\n", "（", "）", "/", "1e9", "NaN", "∞", "优", "良",
    "合格", "满意度",
]  # fmt: skip
target_texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join), st.text(max_size=30), st.none()
)


@settings(max_examples=300, deadline=None)
@given(target_texts)
def test_target_parser_takes_any_text(text) -> None:
    assert isinstance(parse_target(text), Target)
    assert isinstance(parse_actual(text), Actual)
    assert tier_of(text) is None or isinstance(tier_of(text), str)


number_inputs = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=5).map("".join),
    st.text(max_size=20),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.datetimes(),
)


@settings(max_examples=300, deadline=None)
@given(number_inputs)
def test_number_reader_returns_a_sane_number_or_says_why_not(raw) -> None:
    for parse in (parse_amount, parse_count):
        try:
            value = parse(raw)
        except ValueError as exc:
            assert str(exc) and ("\n" not in str(exc) or "\n" in str(raw))
            continue
        assert isinstance(value, Decimal) and value.is_finite() and abs(value) <= LIMIT
    if isinstance(raw, str):
        with contextlib.suppress(ValueError):
            assert parse_decimal(raw).is_finite()


# ------------------------------------------------------------------ the workbook reader, cell by cell


@pytest.fixture(scope="module")
def sample_book():
    """Return the sample workbook loaded once, with its input cells (unlocked cells of protected sheets)."""
    wb = load_workbook(io.BytesIO(demo_bytes()))
    return wb, input_cells(wb)


cell_values = st.one_of(
    st.sampled_from(["#DIV/0!", "#REF!", "#VALUE!", "#N/A", "=1/0", "=SUM(", "=#REF!+1", "=INDIRECT(A1)",
                     "=WEBSERVICE(\"http://203.0.113.9\")", "=A1", "１２３．５", "-38", "1e30",
                     "2023年4月20日", "2023-04-20", "38万", "—", "无", "", " ", "+86 158 6973 3298",
                     "=HYPERLINK(\"x\")"]),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),  # what Excel lets a user type
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
    st.booleans(),
    st.none(),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(min_value=0, max_value=100_000), cell_values), min_size=1, max_size=8))
def test_workbook_reader_gives_findings_whatever_is_typed_into_input_cells(sample_book, edits) -> None:
    wb, inputs = sample_book
    saved = {}
    try:
        for index, value in edits:
            sheet, coordinate = inputs[index % len(inputs)]
            cell = wb[sheet][coordinate]
            saved.setdefault((sheet, coordinate), cell.value)
            cell.value = value
        try:
            filing, findings = WorkbookReader(wb).read()
        except InputError as exc:
            assert "\n" not in str(exc)
            return
        assert isinstance(findings, list)
        result = evaluate(filing, findings)
        assert all(t.total >= 0 for t in result.scores.tables())
        result.to_json()
    finally:
        for (sheet, coordinate), value in saved.items():
            wb[sheet][coordinate].value = value


# ------------------------------------------------------------------ mutations of the sample file


def _book_mutation(change: Callable) -> Callable[[], bytes]:
    def build() -> bytes:
        wb = load_workbook(io.BytesIO(demo_bytes()))
        change(wb)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    return build


def _drop_names(*names: str) -> Callable:
    def change(wb) -> None:
        for name in names:
            if name in wb.defined_names:
                del wb.defined_names[name]
            for ws in wb.worksheets:
                if name in ws.defined_names:
                    del ws.defined_names[name]

    return change


def _unmerge_all(wb) -> None:
    for ws in wb.worksheets:
        for rng in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(rng))


def _garbage_rows(wb) -> None:
    ws = wb["附件1-2"]
    ws.insert_rows(12, amount=3)
    for col in range(1, 16):
        ws.cell(12, col).value = "垃圾"
        ws.cell(13, col).value = -1e30
        ws.cell(14, col).value = "#REF!"


def _set(sheet: str, name: str, value) -> Callable:
    def change(wb) -> None:
        title, ref = next(iter(wb.defined_names[name].destinations))
        wb[title][ref.replace("$", "").split(":")[0]].value = value

    return change


def _indicator_values(value) -> Callable:
    def change(wb) -> None:
        ws = wb["附件1-2"]
        for row in ws.iter_rows(min_row=10, max_row=40, min_col=5, max_col=13):
            for cell in row:
                if type(cell).__name__ != "MergedCell" and not cell.protection.locked:
                    cell.value = value

    return change


def _break_formulas(wb) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.value = "=SUM(#REF!"


def _zip_mutation(change: Callable[[dict[str, bytes]], dict[str, bytes | None]]) -> Callable[[], bytes]:
    return lambda: rezip(change(demo_members()))


def _another_template() -> bytes:
    wb = Workbook()
    wb.active.append(["单位名称", "年度", "金额"])
    wb.active.append(["某局", 2024, 38])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _empty_workbook() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _first_sheet_part(members: dict[str, bytes]) -> str:
    return "xl/worksheets/sheet3.xml" if "xl/worksheets/sheet3.xml" in members else "xl/worksheets/sheet1.xml"


MUTATIONS: dict[str, Callable[[], bytes]] = {
    "delete sheet 附件1-2": _book_mutation(lambda wb: wb.remove(wb["附件1-2"])),
    "delete sheet 基本信息": _book_mutation(lambda wb: wb.remove(wb["基本信息"])),
    "delete every 附件1-3": _book_mutation(
        lambda wb: [wb.remove(ws) for ws in wb.worksheets if "1-3" in ws.title]
    ),
    "rename sheet 附件1-2": _book_mutation(lambda wb: setattr(wb["附件1-2"], "title", "Sheet1")),
    "delete name JX_UNIT": _book_mutation(_drop_names("JX_UNIT")),
    "delete JX_UNIT and JX_YEAR": _book_mutation(_drop_names("JX_UNIT", "JX_YEAR")),
    "delete indicator names": _book_mutation(_drop_names("JX_T12_IND", "JX_T12_TOTAL", "JX_T13_IND")),
    "break every formula": _book_mutation(_break_formulas),
    "unmerge every range": _book_mutation(_unmerge_all),
    "insert garbage rows": _book_mutation(_garbage_rows),
    "#DIV/0! in indicator cells": _book_mutation(_indicator_values("#DIV/0!")),
    "#REF! as the year": _book_mutation(_set("基本信息", "JX_YEAR", "#REF!")),
    "text in number cells": _book_mutation(_indicator_values("约十来个")),
    "full-width digits": _book_mutation(_indicator_values("１２３．５")),
    "absurd magnitudes": _book_mutation(_indicator_values(1e300)),
    "negative amounts": _book_mutation(_indicator_values(-38.5)),
    "date as text in the year": _book_mutation(_set("基本信息", "JX_YEAR", "2023年4月20日")),
    "a date as the year": _book_mutation(_set("基本信息", "JX_YEAR", dt.datetime(2022, 12, 31))),
    "empty workbook": _empty_workbook,
    "another template": _another_template,
    "corrupt a byte in a sheet": lambda: corrupt_member(demo_bytes()),
    "truncate the file": lambda: demo_bytes()[: len(demo_bytes()) * 2 // 3],
    "remove xl/workbook.xml": _zip_mutation(lambda m: {"xl/workbook.xml": None}),
    "remove a sheet part": _zip_mutation(lambda m: {_first_sheet_part(m): None}),
    "remove [Content_Types].xml": _zip_mutation(lambda m: {"[Content_Types].xml": None}),
    "remove the styles": _zip_mutation(lambda m: {"xl/styles.xml": None}),
    "garbage in a sheet": _zip_mutation(lambda m: {_first_sheet_part(m): m[_first_sheet_part(m)][:500]}),
    "garbage in workbook.xml": _zip_mutation(lambda m: {"xl/workbook.xml": b"<workbook><sheets><sheet"}),
    "garbage in styles": _zip_mutation(lambda m: {"xl/styles.xml": b"\x00\xff garbage"}),
    "wrong types in a sheet": _zip_mutation(
        lambda m: {_first_sheet_part(m): m[_first_sheet_part(m)].replace(b'r="1"', b'r="x"', 1)}
    ),
}


@pytest.fixture(scope="module")
def mutated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the mutated sample workbooks, written once."""
    folder = tmp_path_factory.mktemp("mutations")
    paths = {}
    for index, (label, build) in enumerate(MUTATIONS.items()):
        paths[label] = folder / f"m{index:02d}-{DEMO_NAME}"
        paths[label].write_bytes(build())
    return paths


# What each mutation must do: be refused with a one-line reason containing the text, newly fire
# the rule (a finding the unmutated sample does not have), drop it (the mutation leaves a legal
# shape, RULES §5a, and the check between the tables removed stops), or read exactly as the
# unmutated sample (formulas are never trusted: jixiao recomputes what they compute).
EXPECTED: dict[str, tuple[str, str | None]] = {
    "delete sheet 附件1-2": ("fires", "WB-NAME-MISSING"),
    "delete sheet 基本信息": ("refused", "不是 jixiao 绩效自评工作簿"),
    "delete every 附件1-3": ("drops", "X-PROJECTS-12-13"),  # a department-only filing: legal
    "rename sheet 附件1-2": ("fires", "WB-NAME-MISSING"),
    "delete name JX_UNIT": ("fires", "WB-NAME-MISSING"),
    "delete JX_UNIT and JX_YEAR": ("refused", "不是 jixiao 绩效自评工作簿"),
    "delete indicator names": ("fires", "IND-BLOCK-MISSING"),
    "break every formula": ("as clean", None),
    "unmerge every range": ("fires", "IND-LEVEL1-UNKNOWN"),
    "insert garbage rows": ("fires", "IND-LEVEL1-UNKNOWN"),
    "#DIV/0! in indicator cells": ("fires", "INPUT-NUMBER"),
    "#REF! as the year": ("fires", "WB-YEAR"),
    "text in number cells": ("fires", "INPUT-NUMBER"),
    "full-width digits": ("fires", "IND-WEIGHT-TOTAL"),
    "absurd magnitudes": ("fires", "INPUT-NUMBER"),
    "negative amounts": ("fires", "AMOUNT-NEGATIVE"),
    "date as text in the year": ("fires", "WB-YEAR"),
    "a date as the year": ("fires", "WB-YEAR"),
    "empty workbook": ("refused", "不是 jixiao 绩效自评工作簿"),
    "another template": ("refused", "不是 jixiao 绩效自评工作簿"),
    "corrupt a byte in a sheet": ("refused", "无法解压"),
    "truncate the file": ("refused", "文件不完整或已损坏"),
    "remove xl/workbook.xml": ("refused", "没有 xl/workbook.xml"),
    "remove a sheet part": ("fires", "WB-NAME-MISSING"),
    "remove [Content_Types].xml": ("refused", "不是有效的 Excel 工作簿"),
    "remove the styles": ("refused", "不是有效的 Excel 工作簿"),
    "garbage in a sheet": ("refused", "不是有效的 Excel 工作簿"),
    "garbage in workbook.xml": ("refused", "不是有效的 Excel 工作簿"),
    "garbage in styles": ("refused", "不是有效的 Excel 工作簿"),
    "wrong types in a sheet": ("refused", "不是有效的 Excel 工作簿"),
}


@pytest.fixture(scope="module")
def clean_findings() -> set[tuple[str, str | None, str | None]]:
    """Return (rule, sheet, cell) of every finding of the unmutated sample workbook."""
    folder = Path(tempfile.mkdtemp(prefix="jixiao-clean-"))
    (folder / DEMO_NAME).write_bytes(demo_bytes())
    return {(f.rule, f.sheet, f.cell) for f in check(folder / DEMO_NAME).findings}


def test_every_mutation_has_its_expected_outcome() -> None:
    assert set(EXPECTED) == set(MUTATIONS)


@pytest.mark.parametrize("label", list(MUTATIONS))
def test_mutated_sample_is_refused_or_gives_the_findings_of_the_damage(
    mutated: dict[str, Path], clean_findings, label: str, capsys
) -> None:
    path = mutated[label]
    before = path.read_bytes()
    kind, expected = EXPECTED[label]
    if kind == "refused":
        with pytest.raises(InputError) as refused:
            check(path)
        message = str(refused.value)
        assert "\n" not in message and str(path) in message and expected in message
        assert main(["check", str(path)]) == 2
    else:
        findings = {(f.rule, f.sheet, f.cell) for f in check(path).findings}
        if kind == "as clean":
            assert findings == clean_findings
        elif kind == "drops":  # a legal shape: the checks between the tables it lost stop
            assert expected in {rule for rule, _, _ in clean_findings - findings}
        else:
            assert expected in {rule for rule, _, _ in findings - clean_findings}
        assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert "内部错误" not in captured.err and "Traceback" not in captured.out + captured.err
    assert path.read_bytes() == before


def test_mutations_name_the_place(mutated: dict[str, Path]) -> None:
    findings = check(mutated["delete name JX_UNIT"]).findings
    assert any(f.rule == "WB-NAME-MISSING" and "JX_UNIT" in f.message for f in findings)
    findings = check(mutated["#DIV/0! in indicator cells"]).findings
    reader_rules = ("WB-FORMULA", "INPUT-NUMBER")
    assert any(f.sheet == "附件1-2" and f.cell for f in findings if f.rule in reader_rules)
    with pytest.raises(InputError, match="JX_UNIT"):
        check(mutated["another template"])
