"""Text that starts with "=" (targets the 一体化 system exports as "=8个", "=100%") is text, not a formula.

Only a cell of formula type is a formula (RULES §5a): reading, building, scoring back and the
add-in's snapshot all keep such a cell as the text it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao.cli import main
from jixiao.samples import sample_text
from jixiao.textsafe import put_text
from jixiao.workbook.reader import read_workbook

TEXT = "=12个"


def _target_cell(path: Path) -> tuple[str, str]:
    """Return (sheet, cell) of the first 附件1-2 indicator's 年度指标值."""
    filing, _ = read_workbook(path)
    where = filing.t12.indicators[0].where
    return where.sheet, where.cells["target"]


def _with_text_target(source: Path, folder: Path) -> Path:
    """Return a copy of ``source`` whose first 附件1-2 target is the text cell "=12个"."""
    sheet, cell = _target_cell(source)
    wb = load_workbook(source)
    put_text(wb[sheet][cell], TEXT)  # a string cell (t="inlineStr"), as an export writes it
    path = folder / "单位.xlsx"
    wb.save(path)
    return path


def test_a_text_cell_starting_with_equals_is_read_as_text(demo, tmp_path):
    path = _with_text_target(demo, tmp_path)
    filing, findings = read_workbook(path)
    assert filing.t12.indicators[0].target == TEXT
    sheet, cell = _target_cell(path)
    assert not [f for f in findings if f.rule == "WB-FORMULA" and (f.sheet, f.cell) == (sheet, cell)]


def test_a_formula_cell_is_still_a_formula(demo, tmp_path):
    sheet, cell = _target_cell(demo)
    wb = load_workbook(demo)
    wb[sheet][cell] = "=12+0"  # typed in Excel: a formula, evaluated as plain arithmetic
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    assert read_workbook(path)[0].t12.indicators[0].target == "12"


def test_score_writes_back_and_the_text_stays_text(demo, tmp_path, capsys):
    path = _with_text_target(demo, tmp_path)
    out = tmp_path / "scored.xlsx"
    main(["score", str(path), "-o", str(out)])
    sheet, cell = _target_cell(out)
    written = load_workbook(out)[sheet][cell]
    assert (written.value, written.data_type) == (TEXT, "s")
    assert read_workbook(out)[0].t12.indicators[0].target == TEXT


def test_new_from_a_data_file_keeps_the_text(tmp_path, capsys):
    data = json.loads(sample_text())
    data["t12"]["indicators"][0]["target"] = TEXT
    source = tmp_path / "上年.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "本年.xlsx"
    assert main(["new", "--from", str(source), "-o", str(out)]) == 0
    sheet, cell = _target_cell(out)
    built = load_workbook(out)[sheet][cell]
    assert (built.value, built.data_type) == (TEXT, "s")
    assert read_workbook(out)[0].t12.indicators[0].target == TEXT


@pytest.mark.libreoffice
def test_the_add_in_snapshot_keeps_the_text(soffice, demo, tmp_path):
    from jixiao.addin import adapters, click, macros

    path = _with_text_target(demo, tmp_path)
    with click.json_engine() as xw:
        book = xw.Book(json=click.payload_from_file(path))
        result = macros.evaluate(adapters.XlwingsPort(book, fullname=path))
    assert result.filing.t12.indicators[0].target == TEXT


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (0.9, "0%", "90%"),  # a percentage cell holds the fraction
        (0.9, "0.00%", "90%"),
        (90, '0"%"', "90%"),  # a literal % sign after the number: the cell holds 90
        (90, "0\\%", "90%"),
        (90, "General", "90"),
    ],
)
def test_a_number_cell_reads_as_the_accountant_sees_it(value, number_format, shown):
    from jixiao.workbook.cells import as_text

    assert as_text(value, number_format) == shown
