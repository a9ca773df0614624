"""The ribbon's macros: ``on_action`` is what the VBA callback runs for every button.

Each button is a Python function over a port (:mod:`jixiao.addin.port`). Scores and findings
go the same way as ``jixiao score`` / ``jixiao check``: the workbook layer's reader and writer,
run on a snapshot of the workbook, and only the cells that changed are written back. Any error
reaches the user as one Chinese alert, never as a traceback dialog.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from jixiao.addin.port import Port, apply_changes
from openpyxl import load_workbook

from jixiao.errors import JixiaoError

TITLE = "绩效自评"
HELP_TEXT = (
    "绩效自评选项卡：\n"
    "· 校验：检查三张表，问题列在“校验结果”表，并标出有问题的单元格；\n"
    "· 计算得分：按规则计算执行率得分、指标得分、总分和等级；\n"
    "· 生成报告：把自评报告写入“自评报告”表；\n"
    "· 导出：在本工作簿所在文件夹生成 xlsx / Word / PDF / 公开版；\n"
    "· 新增项目表、新增指标行：按模板增加表或行。\n"
    "Excel 提示找不到 Python 时，请在命令行运行 jixiao addin install 后重启 Excel（见使用说明）。"
)
NOT_READY = "此功能需要较新版本的 jixiao（{what}尚未安装）。可先用命令行：{command}"

Macro = Callable[[Port], str | None]


def _writer():
    from jixiao.plugins import registry

    writer = registry().writers.get(".xlsx")
    if writer is None:
        raise JixiaoError(NOT_READY.format(what="工作簿模块", command="jixiao score 文件.xlsx"))
    return writer


def _evaluate_and_write(port: Port) -> str:
    """Score and check the workbook as ``jixiao score`` does, write back what changed; return the summary."""
    from jixiao.pipeline import run

    writer = _writer()
    with tempfile.TemporaryDirectory(prefix="jixiao-macro-") as tmp:
        source, written = Path(tmp) / "workbook.xlsx", Path(tmp) / "written.xlsx"
        port.snapshot().save(source)
        result = run(source)
        writer(source, written, result)
        before, after = load_workbook(source), load_workbook(written)
        apply_changes(port, before, after)
    s = result.summary
    totals = "；".join(
        f"附件{t.table} {t.subject}：总分 {t.total}，{t.grade}" for t in result.scores.tables()
    )
    counts = f"{s['errors']} 个错误、{s['warnings']} 个警告、{s['infos']} 个提示"
    return f"{totals}\n校验：{counts}（见“校验结果”表）。"


def _check(port: Port) -> str:
    return _evaluate_and_write(port)


def _score(port: Port) -> str:
    return _evaluate_and_write(port)


def _report_not_ready(port: Port) -> str:
    raise JixiaoError(NOT_READY.format(what="报告模块", command="jixiao report 文件.xlsx"))


def _table_not_ready(port: Port) -> str:
    raise JixiaoError(NOT_READY.format(what="工作簿模块", command="jixiao new"))


def _help(port: Port) -> str:
    return HELP_TEXT


MACROS: dict[str, Macro] = {
    "jx_check": _check,
    "jx_score": _score,
    "jx_report": _report_not_ready,
    "jx_export_xlsx": _report_not_ready,
    "jx_export_docx": _report_not_ready,
    "jx_export_pdf": _report_not_ready,
    "jx_export_public": _report_not_ready,
    "jx_add_project": _table_not_ready,
    "jx_add_row": _table_not_ready,
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
    from jixiao.addin.port import XlwingsPort

    try:
        port = XlwingsPort.from_caller()
    except Exception as exc:  # no workbook open, or xlwings cannot reach Excel
        import xlwings as xw

        xw.apps.active.alert(f"未能连接到当前工作簿（{exc}）", TITLE)
        return
    run_button(control_id, port)
