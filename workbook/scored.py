"""A filing built into a prepared workbook, read back, scored and written: the demo's workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jixiao.pipeline import Result, evaluate
from jixiao.workbook.builder import build_workbook
from jixiao.workbook.reader import WorkbookReader, open_openpyxl
from jixiao.workbook.writer import fill_workbook, save_atomic


def build_scored(
    filing: Any, destination: Path, input_findings: list[Any] | None = None, *, report: bool = False
) -> Result:
    """Return the result of building ``filing``'s workbook at ``destination``, reading and scoring it there.

    The scores and findings are written into the workbook; with ``report`` the 自评报告 sheet too.
    """
    save_atomic(build_workbook(filing), destination)
    wb = open_openpyxl(destination)  # read, then filled and saved by openpyxl: one load
    read_back, findings = WorkbookReader(wb).read()
    result = evaluate(read_back, [*(input_findings or []), *findings], source=str(destination))
    fill_workbook(wb, result)
    if report:
        from jixiao.workbook.report_sheet import fill_report_sheet, report_document

        fill_report_sheet(wb, report_document(result))
    save_atomic(wb, destination, mark=True)
    return result
