"""Nothing lost: whatever a user typed, every command and button leaves each input cell as it was."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jixiao.cli import main
from tests.hardening_files import DEMO_NAME, demo_bytes
from tests.test_workbook_score import backups, input_cells

TYPED = ["12 次", "１２", "38万", "—", "-5", "1e30", "#DIV/0!", "2023年4月20日", "=1/0", "优", ""]
# one of every kind a user types, spread over the input cells: the run every example builds on
EVERY_KIND = [
    *enumerate(TYPED, start=7),
    (101, 1234567),
    (211, -3.25),
    (307, dt.datetime(2023, 4, 20)),
    (401, None),
    (503, "申 婷（会计）"),
]
typed = st.one_of(
    st.sampled_from(TYPED),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.decimals(min_value=-(10**6), max_value=10**6, places=2).map(float),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    st.none(),
)
edits = st.lists(st.tuples(st.integers(min_value=0, max_value=100_000), typed), min_size=1, max_size=6)
input_cells_of: dict[tuple[str, str], object] = {}  # the sample's input cells, read on first use


def _edited(folder: Path, changes) -> Path:
    """Return a copy of the sample workbook with ``changes`` typed into its input cells."""
    for stale in folder.iterdir():
        stale.unlink()
    path = folder / DEMO_NAME
    path.write_bytes(demo_bytes())
    if not input_cells_of:
        input_cells_of.update(input_cells(path))
    cells = sorted(input_cells_of)
    wb = load_workbook(path)
    for index, value in changes:
        sheet, coordinate = cells[index % len(cells)]
        wb[sheet][coordinate].value = value
    wb.save(path)
    return path


def _report_and_score_keep_every_input_cell(tmp_path: Path, changes) -> None:
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    path = _edited(folder, changes)
    before, original = input_cells(path), path.read_bytes()
    out = tmp_path / "report.xlsx"
    out.unlink(missing_ok=True)
    assert main(["report", str(path), "--format", "xlsx", "-o", str(out)]) == 0
    assert path.read_bytes() == original  # a report never writes its input
    assert input_cells(out) == before
    assert main(["score", str(path), "--brief"]) in (0, 1)
    after = input_cells(path)  # kept, or a number typed as text now the number it reads as
    for key, value in before.items():
        assert after[key] == value or (isinstance(value, str) and isinstance(after[key], int | float)), key
    assert [b.read_bytes() for b in backups(path)] == [original]  # the backup keeps what was typed


def test_score_and_report_keep_every_input_cell_with_one_of_every_kind(tmp_path: Path) -> None:
    _report_and_score_keep_every_input_cell(tmp_path, EVERY_KIND)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=edits)
def test_score_and_report_keep_every_input_cell(tmp_path: Path, changes) -> None:
    _report_and_score_keep_every_input_cell(tmp_path, changes)


@pytest.mark.libreoffice
def test_addin_buttons_keep_every_input_cell(tmp_path: Path, soffice: str, capsys) -> None:
    """Each click recalculates in LibreOffice: one run with one of every kind of typed value (a date
    among them, which Excel hands over as '2023-04-20T00:00:00.000Z')."""
    changes = EVERY_KIND
    folder = tmp_path / "work"
    folder.mkdir(exist_ok=True)
    path = _edited(folder, changes)
    before, original = input_cells(path), path.read_bytes()
    for button in ("校验", "计算得分"):
        assert main(["addin", "click", button, str(path)]) in (0, 1)
        shown = capsys.readouterr().out
        assert "未能完成" not in shown and "内部错误" not in shown, shown
        assert input_cells(path) == before
    assert [b.read_bytes() for b in backups(path)][:1] == [original]
