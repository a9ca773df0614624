"""Write the 自评报告 of a checked filing as .docx, .pdf, .md (and, through the workbook layer, .xlsx).

Every format has a 公开版 (``public=True``) without phone and ID numbers and the signers' names.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from jixiao.errors import InputError
from jixiao.fileio import replacing, safe_file_name, write_text_atomic
from jixiao.outputs import claim, same_file
from jixiao.pipeline import Result
from jixiao.report.document import ReportDocument
from jixiao.report.markdown import to_markdown
from jixiao.report.narrative import build_report
from jixiao.report.redact import Redactor, redactor_for
from jixiao.report.tables import Grid, build_tables
from jixiao.safety import WORKBOOK_SUFFIXES

FORMATS = ("docx", "pdf", "md", "xlsx")
# the file names each format may be written to; the xlsx format is the workbook itself (with its
# 自评报告 sheet filled), so it may go back into the workbook it was read from (a backup is kept)
SUFFIXES = {"docx": (".docx",), "pdf": (".pdf",), "md": (".md",), "xlsx": WORKBOOK_SUFFIXES}
PUBLIC_SUFFIX = "（公开版）"

XlsxWriter = Callable[..., Path]  # (result, document, out, public=, force=, keep=) -> the written workbook


def report_parts(
    result: Result, *, public: bool = False, template_dir: Path | None = None
) -> tuple[ReportDocument, list[Grid]]:
    """Return the report document and the 附件 tables of ``result`` (redacted when ``public``)."""
    doc = build_report(result.filing, result.scores, template_dir=template_dir)
    grids = build_tables(result.filing, result.scores, public=public)
    if public:
        redactor = redactor_for(result.filing)
        doc = doc.map_text(redactor)
        grids = [redact_grid(g, redactor) for g in grids]
    return doc, grids


def redact_grid(grid: Grid, redactor: Redactor) -> Grid:
    """Return a copy of ``grid`` with every cell text and note redacted."""
    return replace(
        grid,
        cells=[replace(c, text=redactor(c.text)) for c in grid.cells],
        notes=[redactor(n) for n in grid.notes],
    )


def default_name(result: Result, fmt: str, public: bool = False) -> str:
    """Return the file name of the report: '2022年度<单位>整体支出绩效自评报告（公开版）.docx'."""
    filing = result.filing
    year = filing.year if filing.year is not None else ""
    unit = filing.unit or filing.t12.dept_name or ""
    stem = f"{year}年度{unit}整体支出绩效自评报告{PUBLIC_SUFFIX if public else ''}"
    return safe_file_name(stem, f".{fmt}")


def output_path(result: Result, fmt: str, out: str | Path | None, public: bool = False) -> Path:
    """Return where the report goes: ``out`` itself, or the default name inside ``out`` when it is a
    folder (an existing one, or a path ending in a slash), or beside the source file when ``out`` is None."""
    name = default_name(result, fmt, public)
    if out is None:
        return Path(result.source).resolve().parent / name
    text = str(out)
    if Path(text).is_dir() or text.endswith(("/", "\\")):
        return Path(text) / name
    target = Path(text)
    if target.suffix.lower() not in SUFFIXES[fmt]:
        # a Word or Markdown file under a workbook's name would replace the workbook
        raise InputError(
            f"输出文件应以 {' 或 '.join(SUFFIXES[fmt])} 结尾（--format {fmt}）；要写入文件夹请在路径末尾加 /",
            place=text,
        )
    return target


def export(
    result: Result,
    fmt: str,
    out: Path,
    *,
    public: bool = False,
    template_dir: Path | None = None,
    xlsx_writer: XlsxWriter | None = None,
    force: bool = False,
    keep: int | None = None,
    beside: bool = False,
    notes: list[str] | None = None,
) -> Path:
    """Write the report of ``result`` in format ``fmt`` to the file ``out``; return its path.

    The xlsx format is the workbook with its 自评报告 sheet filled: ``xlsx_writer`` (the workbook
    layer's ``write_report_workbook``) writes it; the caller hands it in. ``out`` is never the
    input (except the xlsx format written back into its workbook) nor a file jixiao did not
    write: that is refused, or replaced with a backup when ``force``, or — with ``beside``, for
    the official name jixiao chose — left alone while the report goes beside it under a new name
    (said in ``notes``). ``keep`` is how many backups of a file are kept.
    """
    if fmt not in FORMATS:
        raise InputError(f"不支持的报告格式“{fmt}”（可用：{'、'.join(FORMATS)}）")
    if fmt == "xlsx" and xlsx_writer is None:
        raise InputError("生成 xlsx 格式的自评报告需要工作簿模块；请改用 --format docx、pdf 或 md")
    out = Path(out)
    source = Path(result.source) if result.source and Path(result.source).is_file() else None
    if fmt == "xlsx" and source is not None and same_file(out, source):
        doc, _grids = report_parts(result, public=public, template_dir=template_dir)
        return xlsx_writer(result, doc, out, public=public, force=force, keep=keep)  # type: ignore[misc]
    target = claim(out, [source] if source is not None else [], force=force, beside=beside)
    if target.note and notes is not None:
        notes.append(target.note)
    out = target.path
    doc, grids = report_parts(result, public=public, template_dir=template_dir)
    with replacing(out, target.backup, keep):
        if fmt == "xlsx":
            return xlsx_writer(result, doc, out, public=public, force=force, keep=keep)  # type: ignore[misc]
        if fmt == "md":
            return write_text_atomic(out, to_markdown(doc, grids), mark=True)
        from jixiao.report.word import write_docx

        if fmt == "docx":
            return write_docx(doc, out, grids)
        from jixiao.report.pdf import docx_to_pdf

        with tempfile.TemporaryDirectory(prefix="jixiao-report-") as folder:
            docx = write_docx(doc, Path(folder) / f"{out.stem}.docx", grids)
            return docx_to_pdf(docx, out)
