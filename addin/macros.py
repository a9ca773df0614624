"""The ribbon's macros: ``on_action`` is what the VBA callback runs for every button.

Each button is a Python function over a port (:class:`jixiao.addin.port.Port`). Every button works on a
snapshot of the workbook (the book's values over the last saved file's formats), runs the same
path as the CLI (``jixiao check`` / ``score`` / ``report``) and writes back only what changed,
once. 新增项目表 and 新增指标行 change the workbook's structure through Excel's own actions (copy
a sheet, insert a row), then write what Excel does not carry over; only when the engine cannot
do that do they save a new file beside the workbook and tell the user to open it.
Any error reaches the user as one Chinese alert, never as a traceback dialog.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from openpyxl import Workbook, load_workbook

from jixiao.addin.port import Port, apply_changes, apply_marks, apply_structure
from jixiao.errors import InputError, JixiaoError
from jixiao.pipeline import Result
from jixiao.scoring import NO_SCORED_TABLE

TITLE = "绩效自评"
HELP_TEXT = (
    "绩效自评选项卡：\n"
    "· 校验：检查三张表，问题列在“校验结果”表，并标出有问题的单元格；\n"
    "· 计算得分：按规则计算执行率得分、指标得分、总分和等级；\n"
    "· 生成报告：把自评报告写入“自评报告”表（改动过的旧报告另存为带日期的表）；\n"
    "· 导出：在本工作簿所在文件夹生成 xlsx / Word / PDF / 公开版；\n"
    "· 新增项目表：复制最后一张附件1-3表为新项目表（清空填写内容；没有项目表时新建一张）；\n"
    "· 新增指标行：在选中行下方插入一个指标行（须选中指标区中的一行）。\n"
    "提示找不到 Python 时，请关闭 Excel，重新运行安装包中的“安装.bat”（或 jixiao addin install），"
    "再打开 Excel（见安装包中的“使用说明.pdf”）。"
)
EXPORTS = {  # control id -> (format, 公开版)
    "jx_export_xlsx": ("xlsx", False),
    "jx_export_docx": ("docx", False),
    "jx_export_pdf": ("pdf", False),
    "jx_export_public": ("docx", True),
}
REOPEN = "\n已保存为新文件：{path}\n请关闭本工作簿（不必保存），再打开这个新文件继续填写。"

Macro = Callable[[Port], str | None]


@contextmanager
def _snapshot(port: Port) -> Iterator[tuple[Path, Result]]:
    """Yield the snapshot of the workbook saved to a temporary file, and its checked result."""
    from jixiao.pipeline import run
    from jixiao.workbook import READERS

    with tempfile.TemporaryDirectory(prefix="jixiao-macro-") as tmp:
        source = Path(tmp) / "workbook.xlsx"
        port.snapshot().save(source)
        try:
            result = run(source, READERS)
        except InputError as exc:  # name the user's workbook, not the snapshot jixiao read
            raise InputError(exc.reason, place=port.fullname.name if port.fullname else None) from None
        yield source, result


def evaluate(port: Port) -> Result:
    """Return the scores and findings of the workbook behind ``port``, as ``jixiao check`` gives them."""
    with _snapshot(port) as (_source, result):
        return result


def _write_back(port: Port, source: Path, change: Callable[[Workbook], object], marks: bool = False) -> None:
    """Apply ``change`` to a copy of the snapshot ``source`` and write what differs through ``port``;
    with ``marks`` also jixiao's marks of every sheet (its conditional format, never the cells' own)."""
    before, after = load_workbook(source), load_workbook(source)
    change(after)
    apply_changes(port, before, after)
    if marks:
        apply_marks(port, after)


def _counts(result: Result) -> str:
    s = result.summary
    return f"{s['errors']} 个错误、{s['warnings']} 个警告、{s['infos']} 个提示"


def _check(port: Port) -> str:
    from jixiao.workbook.writer import fill_findings

    with _snapshot(port) as (source, result):
        _write_back(port, source, lambda wb: fill_findings(wb, result.findings), marks=True)
    return f"校验：{_counts(result)}（见“校验结果”表；有问题的单元格已标色，原有的填充和批注不变）。"


def _score(port: Port) -> str:
    from jixiao.workbook.writer import fill_workbook

    with _snapshot(port) as (source, result):
        _write_back(port, source, lambda wb: fill_workbook(wb, result), marks=True)
    tables = result.scores.tables()
    totals = "；".join(f"附件{t.table} {t.subject}：总分 {t.total}，{t.grade}" for t in tables)
    return f"{totals or NO_SCORED_TABLE}\n校验：{_counts(result)}（见“校验结果”表）。"


def _report(port: Port) -> str:
    from jixiao.workbook.report_sheet import fill_report_sheet, report_document

    kept: list[str] = []
    with _snapshot(port) as (source, result):
        document = report_document(result)

        def fill(wb: Workbook) -> None:
            copy = fill_report_sheet(wb, document)
            if copy is not None:
                kept.append(copy.title)

        _write_back(port, source, fill)
    message = "自评报告已写入“自评报告”表。"
    if kept:
        message += f"\n该表原有内容与上次生成的不同（有人改过），已另存为“{kept[0]}”表。"
    return message


def _folder(port: Port) -> Path:
    if port.folder is None:
        raise JixiaoError("工作簿尚未保存，请先保存到某个文件夹再操作")
    return port.folder


def _export(control: str) -> Macro:
    fmt, public = EXPORTS[control]

    def export_button(port: Port) -> str:
        from jixiao.report.export import default_name, export
        from jixiao.workbook.report_sheet import write_report_workbook

        folder = _folder(port)
        notes: list[str] = []
        with _snapshot(port) as (_source, result):
            target = folder / default_name(result, fmt, public)
            written = export(
                result,
                fmt,
                target,
                public=public,
                xlsx_writer=write_report_workbook,
                beside=True,
                notes=notes,
            )
        return f"已导出{'公开版' if public else ''}自评报告：\n{written}" + "".join(f"\n{n}" for n in notes)

    return export_button


def _save_beside(port: Port, wb: Workbook, label: str) -> Path:
    """Save ``wb`` beside the workbook as '<name>-<label>.xlsx' (never over a file); return the path."""
    from jixiao.workbook.writer import save_atomic

    folder = _folder(port)
    stem = port.fullname.stem if port.fullname else "工作簿"
    target, counter = folder / f"{stem}-{label}.xlsx", 2
    while target.exists():
        target, counter = folder / f"{stem}-{label}{counter}.xlsx", counter + 1
    save_atomic(wb, target)
    return target


def _restructure(port: Port, model: Workbook, expected: Workbook) -> None:
    """After Excel's own structural action (``model`` is what it gives), write what it left out."""
    apply_structure(port, model, expected)
    apply_changes(port, model, expected)


def _add_project(port: Port) -> str:
    from jixiao.workbook.operations import add_project_sheet, copy_project_sheet, copy_sheet, project_sheets

    with _snapshot(port) as (source, _result):
        expected = load_workbook(source)
        if not project_sheets(expected):  # a workbook made with --projects 0: build the first one
            ws = add_project_sheet(expected)
            return f"已新增“{ws.title}”。" + REOPEN.format(path=_save_beside(port, expected, "新增项目表"))
        ws = copy_project_sheet(expected)
        original = expected.sheetnames[expected.sheetnames.index(ws.title) - 1]
        try:
            port.copy_sheet(original, ws.title)
        except NotImplementedError:  # the engine cannot copy a sheet: save a new file instead
            return f"已新增“{ws.title}”。" + REOPEN.format(path=_save_beside(port, expected, "新增项目表"))
        model = load_workbook(source)
        copy_sheet(model, original, ws.title, model.sheetnames.index(original) + 1)
        _restructure(port, model, expected)
    return f"已复制“{original}”为“{ws.title}”，并清空了其中填写的内容，请填写新项目。"


def _add_row(port: Port) -> str:
    from jixiao.workbook.operations import insert_indicator_row, insert_row_as_excel

    sheet, address = port.selection()
    digits = "".join(ch for ch in address.split(":")[0] if ch.isdigit())
    with _snapshot(port) as (source, _result):
        expected = load_workbook(source)
        new = insert_indicator_row(expected, sheet, int(digits or 0))
        done = f"已在“{sheet}”第 {digits} 行下方新增第 {new} 行。"
        try:
            port.insert_row(sheet, new)
        except NotImplementedError:  # the engine cannot insert a row: save a new file instead
            return done + REOPEN.format(path=_save_beside(port, expected, "新增指标行"))
        model = load_workbook(source)
        insert_row_as_excel(model, sheet, new)
        _restructure(port, model, expected)
    return done


def _help(port: Port) -> str:
    return HELP_TEXT


MACROS: dict[str, Macro] = {
    "jx_check": _check,
    "jx_score": _score,
    "jx_report": _report,
    **{control: _export(control) for control in EXPORTS},
    "jx_add_project": _add_project,
    "jx_add_row": _add_row,
    "jx_help": _help,
}


def run_button(control_id: str, port: Port) -> tuple[bool, str | None]:
    """Run the macro of ``control_id`` against ``port``; return (succeeded, message shown)."""
    macro = MACROS.get(control_id)
    ok = False
    try:
        if macro is None:
            raise JixiaoError(f"按钮 {control_id} 不存在")
        message, ok = macro(port), True
    except JixiaoError as exc:
        message = f"未能完成：{exc}"
    except Exception as exc:  # a bug of ours: still one Chinese line, never a traceback dialog
        message = f"内部错误（{type(exc).__name__}：{exc}）。请把此信息和工作簿发给维护人员。"
    if message:
        port.alert(message, TITLE)
    return ok, message


def on_action(control_id: str) -> None:
    """Run a ribbon button in desktop Excel (called by the VBA callback through RunPython)."""
    from jixiao.addin.adapters import XlwingsPort

    try:
        port = XlwingsPort.from_caller()
    except Exception as exc:  # no workbook open, or xlwings cannot reach Excel
        import xlwings as xw

        xw.apps.active.alert(f"未能连接到当前工作簿（{exc}）", TITLE)
        return
    run_button(control_id, port)
