"""The ribbon's macros: ``on_action`` is what the VBA callback runs for every button.

Each button is a Python function over a :class:`~jixiao.addin.port.Port`; any error reaches the
user as one Chinese alert, never as a traceback dialog.
"""

from __future__ import annotations

from collections.abc import Callable

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

Macro = Callable[..., str | None]


def _help(port) -> str:
    return HELP_TEXT


MACROS: dict[str, Macro] = {"jx_help": _help}


def run_button(control_id: str, port) -> str | None:
    """Run the macro of ``control_id`` against ``port``; return the message shown to the user."""
    macro = MACROS.get(control_id)
    try:
        if macro is None:
            raise JixiaoError(f"按钮 {control_id} 暂不可用")
        message = macro(port)
    except JixiaoError as exc:
        message = f"未能完成：{exc}"
    except Exception as exc:  # a bug of ours: still one Chinese line, never a traceback dialog
        message = f"内部错误（{type(exc).__name__}：{exc}）。请把此信息和工作簿发给维护人员。"
    if message:
        port.alert(message, TITLE)
    return message


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
