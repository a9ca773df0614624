"""Press a ribbon button on Linux: ``jixiao addin click BUTTON FILE [-o OUT]``.

Builds the JSON payload xlwings' clients send (the workbook's values, defined names and
selection), runs the button's macro on ``xw.Book(json=payload)`` — xlwings' JSON engine, the one
xlwings Server and xlwings Lite use — and applies the actions the macro queued to a copy of the
file — at the XML level when no action changes the structure (:mod:`jixiao.addin.surgical`), else
with openpyxl (:mod:`jixiao.addin.actions`). It is how the tests press every button without Excel.

The JSON engine lives in xlwings' ``pro`` folder: it runs under the PolyForm Noncommercial
licence (``XLWINGS_LICENSE_KEY=noncommercial``), which is set only while a click runs.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from jixiao.addin import ribbon
from jixiao.addin.actions import apply_actions, changes_the_file
from jixiao.addin.surgical import apply_to_package, surgical
from jixiao.errors import InputError, JixiaoError
from jixiao.fileio import write_bytes_atomic
from jixiao.office import convert
from jixiao.safety import inspect
from jixiao.workbook.package import openpyxl_losses
from jixiao.workbook.sheet import quote_sheet, unquote_sheet

LICENSE_ENV = "XLWINGS_LICENSE_KEY"


@dataclass
class Outcome:
    """What a click did: the workbook, the alerts shown, the exit code for the CLI, and whether the
    workbook was written (not when the button failed or only showed a message)."""

    path: Path
    alerts: list[str] = field(default_factory=list)
    exit_code: int = 0
    written: bool = True


def control_id(button: str) -> str:
    """Return the control id of a button given by id (jx_score) or Chinese label (计算得分)."""
    controls = ribbon.controls()
    for c in controls:
        if button in (c.id, c.label) or button == c.label.split("（")[0].strip():
            return c.id
    names = "、".join(c.label for c in controls)
    raise InputError(f"没有名为“{button}”的按钮（可用：{names}）")


# ------------------------------------------------------------------ payload


def _json_value(value: Any) -> Any:
    """Return a cell value as Excel's Office.js sends it: a date as '2023-04-20T00:00:00.000Z'."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if isinstance(value, dt.datetime):  # xlwings cuts the final "Z" off before fromisoformat
        return value.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def _selection(ws) -> str:
    try:
        return ws.sheet_view.selection[0].sqref.split()[0] or "A1"
    except (IndexError, AttributeError):
        return "A1"


def _uncalculated(path: Path) -> bool:
    """Return True when some formula of the workbook has no cached value (files openpyxl wrote)."""
    formulas, values = load_workbook(path), load_workbook(path, data_only=True)
    try:
        for ws in formulas.worksheets:
            cached = values[ws.title]
            for row in ws.iter_rows():
                for c in row:
                    if c.data_type == "f" and cached[c.coordinate].value is None:
                        return True
        return False
    finally:
        formulas.close()
        values.close()


def _recalculated(path: Path) -> Path:
    """Return a copy of the workbook recalculated by LibreOffice, as Excel would show it."""
    out = Path(tempfile.mkdtemp(prefix="jixiao-recalc-"))
    return convert(Path(path), "xlsx", out)


def payload_from_file(path: Path, selection: str | None = None) -> dict[str, Any]:
    """Return the JSON payload an Excel client would send for the workbook at ``path``.

    Values are what Excel shows: when formulas carry no cached value (files openpyxl wrote),
    the workbook is recalculated by LibreOffice first. ``selection`` ('附件1-2!B20') overrides
    the saved selection.
    """
    import xlwings as xw

    try:
        wb = load_workbook(path, data_only=True)
        if _uncalculated(path):
            wb.close()
            wb = load_workbook(_recalculated(path), data_only=True)
    except JixiaoError:
        raise
    except Exception as exc:
        raise InputError(f"无法打开工作簿（{exc}）", place=str(path)) from None
    index = {ws.title: i for i, ws in enumerate(wb.worksheets)}
    active = wb.active if wb.active is not None else wb.worksheets[0]
    active_index, address = index[active.title], _selection(active)
    if selection:
        sheet_name, _, address = selection.rpartition("!")
        sheet_name = unquote_sheet(sheet_name) or active.title
        if sheet_name not in index:
            raise InputError(f"没有名为“{sheet_name}”的工作表", place=str(path))
        try:
            range_boundaries(address.replace("$", ""))
        except ValueError:
            reason = f"--select 的单元格地址“{address}”无效（应如 附件1-2!D16）"
            raise InputError(reason, place=str(path)) from None
        active_index = index[sheet_name]
    names = []

    def add_name(name: str, destinations, scope: int | None) -> None:
        scope_title = None if scope is None else wb.worksheets[scope].title
        for spelled, ref in destinations:
            title = spelled.replace("''", "'")  # openpyxl strips the quotes but keeps the doubled one
            if title in index:
                names.append(
                    {
                        "name": name if scope_title is None else f"{quote_sheet(scope_title)}!{name}",
                        "sheet_index": index[title],
                        "address": ref.replace("$", ""),
                        "book_scope": scope is None,
                        "scope_sheet_name": scope_title,
                        "scope_sheet_index": scope,
                    }
                )
                return

    for name, defined in wb.defined_names.items():
        add_name(name, defined.destinations, None)
    sheets = []
    for i, ws in enumerate(wb.worksheets):
        for name, defined in ws.defined_names.items():
            add_name(name, defined.destinations, i)
        values = [[_json_value(c) for c in row] for row in ws.iter_rows(values_only=True)] or [[]]
        notes = [{"address": c.coordinate} for row in ws.iter_rows() for c in row if c.comment is not None]
        sheets.append(
            {
                "name": ws.title,
                "values": values,
                "pictures": [],
                "tables": [],
                "charts": [],
                "shapes": [],
                "notes": notes,
                "notes_supported": True,
            }
        )
    wb.close()
    return {
        "client": "Office.js",  # the client with notes; the version still equals the installed one
        "version": xw.__version__,
        "book": {"name": Path(path).name, "active_sheet_index": active_index, "selection": address},
        "names": names,
        "sheets": sheets,
    }


@contextmanager
def json_engine():
    """Yield the xlwings module with its JSON engine available, the licence key set only meanwhile."""
    before = os.environ.get(LICENSE_ENV)
    os.environ[LICENSE_ENV] = "noncommercial"
    try:
        import xlwings as xw

        if "remote" not in [e.name for e in xw.engines]:  # xlwings was imported before the key was set
            from xlwings.main import Engine
            from xlwings.pro import _xlremote

            xw.engines.add(Engine(impl=_xlremote.engine))
        yield xw
    finally:
        if before is None:
            os.environ.pop(LICENSE_ENV, None)
        else:
            os.environ[LICENSE_ENV] = before


def click(
    button: str, source: Path, output: Path | None = None, selection: str | None = None, force: bool = False
) -> Outcome:
    """Press ``button`` on the workbook ``source``; write the result to ``output`` (default: in place).

    A button that leaves the structure alone (校验, 计算得分, 生成报告 …) is applied to the package at
    the XML level (:mod:`jixiao.addin.surgical`): every part it does not write stays byte for byte.
    One that inserts rows or sheets (新增指标行, 新增项目表, a 生成报告 keeping a dated copy) is
    applied with openpyxl, which drops what it cannot keep (pictures, text boxes, extLst …): a
    workbook holding such parts is refused with the list, unless ``force`` (then the list is among
    the alerts). Writing in place keeps a backup.
    """
    with warnings.catch_warnings():  # openpyxl's notes on parts it drops: the losses are checked below
        warnings.simplefilter("ignore")
        return _click(button, source, output, selection, force)


def _click(button: str, source: Path, output: Path | None, selection: str | None, force: bool) -> Outcome:
    """Return the outcome of :func:`click` (openpyxl's warnings silenced by the caller)."""
    from jixiao.addin.adapters import XlwingsPort
    from jixiao.addin.macros import run_button

    source = Path(source)
    if not source.exists():
        raise InputError("文件不存在", place=str(source))
    inspect(source)  # refuses an unusable or hostile file before openpyxl opens it
    cid = control_id(button)
    payload = payload_from_file(source, selection)
    with json_engine() as xw:
        book = xw.Book(json=payload)
        port = XlwingsPort(book, folder=source.resolve().parent, fullname=source.resolve())
        ok, _message = run_button(cid, port)
        actions = book.json()["actions"]
    destination = Path(output) if output else source
    in_place = destination.exists() and destination.resolve() == source.resolve()
    if surgical(actions):  # no structural change: the package edited in place, the rest byte for byte
        data = source.read_bytes()
        changed, alerts = apply_to_package(data, actions, [s["name"] for s in payload["sheets"]], str(source))
        unchanged = not changes_the_file(actions) or (in_place and changed is data)  # 帮助, or no change
        if not ok or unchanged:
            return Outcome(source, alerts, 0 if ok else 1, written=False)
        write_bytes_atomic(destination, changed, backup=in_place)
        return Outcome(destination, alerts)
    with tempfile.TemporaryDirectory(prefix="jixiao-click-") as tmp:
        work = Path(tmp) / source.name
        shutil.copyfile(source, work)
        alerts = apply_actions(work, actions)
        if not ok or not changes_the_file(actions):  # a failed button or 帮助: the user's file stays as it is
            return Outcome(source, alerts, 0 if ok else 1, written=False)
        losses = openpyxl_losses(source.read_bytes())
        if losses and not force:
            raise InputError(
                f"工作簿中有在命令行写回时无法保留的内容：{'、'.join(losses)}；"
                "请在 Excel 中点击按钮，或加 --force 写入（会先备份原文件）",
                place=str(source),
            )
        if losses:
            alerts.append(f"注意：以下内容未能保留：{'、'.join(losses)}（原文件已备份）")
        write_bytes_atomic(destination, work.read_bytes(), backup=in_place)
    return Outcome(destination, alerts, 0 if ok else 1)
