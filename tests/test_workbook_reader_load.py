"""The reader's fast load (workbook/merges.py): merges bound as plain ranges, openpyxl left as it was."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet._reader import WorksheetReader
from openpyxl.worksheet.merge import MergedCellRange

from jixiao.workbook.merges import plain_merges
from jixiao.workbook.reader import read_workbook
from jixiao.workbook.scored import build_scored


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the bundled sample as a scored workbook (built once for the module)."""
    from jixiao.samples import load_sample

    path = tmp_path_factory.mktemp("merges") / "sample.xlsx"
    build_scored(load_sample()[0], path)
    return path


def _cells(wb) -> dict:
    return {
        ws.title: {key: (type(c).__name__, c.value) for key, c in ws._cells.items()} for ws in wb.worksheets
    }


def test_plain_merges_read_the_same_ranges_and_cells(built: Path) -> None:
    stock = load_workbook(built)
    with plain_merges():
        fast = load_workbook(built)
    assert sum(len(ws.merged_cells.ranges) for ws in stock.worksheets) > 50
    for a, b in zip(stock.worksheets, fast.worksheets, strict=True):
        assert sorted(r.coord for r in a.merged_cells.ranges) == sorted(
            r.coord for r in b.merged_cells.ranges
        )
    assert _cells(stock) == _cells(fast)


def test_openpyxl_outside_the_reader_is_untouched(built: Path) -> None:
    original = WorksheetReader.bind_merged_cells
    read_workbook(built)
    assert WorksheetReader.bind_merged_cells is original
    with plain_merges():
        assert WorksheetReader.bind_merged_cells is not original
        seen: list = []
        other = threading.Thread(
            target=lambda: seen.append(load_workbook(built))
        )  # another thread, same time
        other.start()
        other.join()
    assert WorksheetReader.bind_merged_cells is original
    for wb in (seen[0], load_workbook(built)):
        assert all(isinstance(r, MergedCellRange) for ws in wb.worksheets for r in ws.merged_cells.ranges)


def test_plain_merges_restores_openpyxl_when_the_load_fails(tmp_path: Path) -> None:
    original = WorksheetReader.bind_merged_cells
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(Exception), plain_merges():  # noqa: B017 - any error: openpyxl's own
        load_workbook(broken)
    assert WorksheetReader.bind_merged_cells is original


@pytest.mark.parametrize(
    "text",
    [
        "'附件1-2'!$D$5",
        "附件1_2!$D$5:$F$9",
        "Sheet1!A1",
        "'It''s'!$B$2",
        "'a b'!$A$1:$C$3,'a b'!$E$1",
        "A+B!$A$1",
        "#REF!",
        "'x'!#REF!",
        "SUM(Sheet1!A1:A3)",
        "'附件1-3(2)'!$C$4",
        "42",
    ],
)
def test_a_defined_name_resolves_as_openpyxl_parses_it(text: str) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    from jixiao.workbook.cells import _bounds, _parse_target

    entry = DefinedName("JX_TEST", attr_text=text)
    try:
        destinations = list(entry.destinations)
    except Exception:
        destinations = []
    expected = _bounds(*destinations[0]) if destinations else None
    assert _parse_target(entry) == expected


def test_names_changed_after_a_lookup_are_read_again(built: Path) -> None:
    from jixiao.workbook.cells import Cells

    wb = load_workbook(built)
    cells = Cells(wb)
    first = cells.place("JX_UNIT")
    assert first is not None
    entry = wb.defined_names["JX_UNIT"]
    entry.attr_text = f"{entry.attr_text.split('!')[0]}!$A$1"
    assert cells.place("JX_UNIT") == first.at("A", 1)


def test_an_unknown_openpyxl_release_reads_the_same_filing_with_openpyxls_binding(built: Path, monkeypatch):
    from jixiao.workbook import merges

    assert merges.plain_merges_supported("3.1.5") and not merges.plain_merges_supported("3.2.0")
    fast = read_workbook(built)
    monkeypatch.setattr(merges, "PLAIN_MERGES_VERSIONS", ("0.0.",))
    assert not merges.plain_merges_supported()
    with plain_merges():
        stock = load_workbook(built)
    assert all(isinstance(r, MergedCellRange) for ws in stock.worksheets for r in ws.merged_cells.ranges)
    slow = read_workbook(built)
    assert slow[0] == fast[0]
    assert [f.to_dict() for f in slow[1]] == [f.to_dict() for f in fast[1]]
