"""The Python facade for scripts and notebooks: ``jixiao.check``, ``jixiao.score``, ``jixiao.export``.

The same path the command line takes, composed from the layers (data files and workbooks both read).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from jixiao.pipeline import DATA_READERS, Loaded, Reader, Result, evaluate
from jixiao.pipeline import load as _load
from jixiao.pipeline import run as _run


def readers() -> Mapping[str, Reader]:
    """Return every reader jixiao has, by file suffix: data files (.json) and workbooks (.xlsx, .xlsm)."""
    from jixiao.workbook import READERS

    return {**DATA_READERS, **READERS}


def load(path: str | Path) -> Loaded:
    """Return the filing in the data file or workbook ``path`` and the findings of reading it."""
    return _load(path, readers())


def check(path: str | Path, *, report: str | Path | None = None) -> Result:
    """Return the scores and findings of the filing ``path`` (and of the hand-written ``report``)."""
    result = _run(path, readers())
    if report is not None:
        from jixiao.checks import check_report
        from jixiao.findings import sort_findings

        extra = check_report(report, result.filing, result.scores)
        result.findings = sort_findings([*result.findings, *extra])
    return result


def score(
    path: str | Path,
    output: str | Path | None = None,
    *,
    force: bool = False,
    keep_backups: int | None = None,
) -> Result:
    """Return the result of ``path``; a workbook gets its output cells written (in place with a backup,
    or into ``output``).

    ``output`` may not be an existing file jixiao did not write, unless ``force`` (it is then kept
    as a backup first); ``keep_backups`` is how many dated backups of a file are kept.
    """
    from jixiao.errors import InputError
    from jixiao.outputs import claim, same_file, same_package_type
    from jixiao.workbook import SUFFIXES

    path = Path(path)
    is_workbook = path.suffix.lower() in SUFFIXES
    if not is_workbook and output is not None:
        raise InputError("数据文件不写回得分；请用 --json 导出结果", place=str(path))
    destination = Path(output) if output is not None else path
    in_place = output is None or same_file(destination, path)
    backup = in_place
    if is_workbook and not in_place:
        same_package_type(path, destination)
        backup = claim(destination, [path], force=force).backup
    loaded = load(path)
    result = evaluate(loaded.filing, loaded.findings, source=str(path))
    if is_workbook:
        from jixiao.workbook.writer import write_result

        write_result(
            path,
            destination,
            result,
            loaded.book,
            normalise=True,
            backup=backup,
            keep=keep_backups,
            mark=not in_place,
        )
    return result


def export(
    source: str | Path | Result,
    fmt: str,
    out: str | Path | None = None,
    *,
    public: bool = False,
    template_dir: str | Path | None = None,
    force: bool = False,
    keep_backups: int | None = None,
    notes: list[str] | None = None,
) -> Path:
    """Return the path of the 自评报告 of ``source`` (a file or a Result) written as ``fmt`` to ``out``.

    ``fmt`` is docx, pdf, md or xlsx; ``public`` makes the 公开版. ``out`` is a file, or a folder that
    gets the official file name (a path ending in a slash, or an existing folder); None writes it
    beside the source file. A file of the official name that jixiao did not write is left alone and
    the report goes beside it under a new name (said in ``notes``); a file named in ``out`` that
    jixiao did not write is refused unless ``force`` (then kept as a backup first).
    """
    from jixiao.report.export import export as write
    from jixiao.report.export import output_path
    from jixiao.workbook.report_sheet import write_report_workbook

    result = source if isinstance(source, Result) else check(source)
    target = output_path(result, fmt, out, public)
    return write(
        result,
        fmt,
        target,
        public=public,
        template_dir=Path(template_dir) if template_dir else None,
        xlsx_writer=write_report_workbook,
        force=force,
        keep=keep_backups,
        beside=out is None or target.name != Path(str(out)).name,
        notes=notes,
    )
