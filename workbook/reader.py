"""The reader: a prepared workbook → the filing model and the findings its cells raised.

Cells are found by their ``JX_…`` defined names, so rows inserted in Excel move nothing out of
reach; lists and indicator blocks run from their name down to the next fixed row. Numbers typed
as text (38万, １２, 1,234.5) are read; anything unusable becomes a finding naming sheet and cell.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.datafile import table_of
from jixiao.errors import InputError, PolicyError
from jixiao.findings import Finding, make_finding, rule
from jixiao.forms import field_label
from jixiao.model import (
    BalanceItem,
    CostLine,
    Evaluation,
    Filing,
    Indicator,
    ProjectEvaluation,
    ProjectSpend,
    Where,
)
from jixiao.numbers import (
    fmt_plain,
    is_not_applicable,
    normalize_text,
    parse_amount,
    parse_count,
    parse_decimal,
)
from jixiao.policy import GRADE_LINES, ScoringPolicy, coerce_setting
from jixiao.safety import LIMITS, Limits
from jixiao.workbook.cells import Cells, Place, Unreadable, as_text, cell_of
from jixiao.workbook.layout import (
    T11_AMOUNT_COLUMNS,
    evaluation_cells,
    get_path,
    info_fields,
    layout,
    name,
    policy_name,
    t11_layout,
    table_prefix,
)
from jixiao.workbook.policy_words import continuation_id, policy_key, policy_shown, policy_words
from jixiao.workbook.sheet_template import read_table, template_of, template_tables
from jixiao.workbook.source import column_letter as get_column_letter
from jixiao.workbook.source import debug, fast_allowed

NOT_A_WORKBOOK = "不是 jixiao 绩效自评工作簿（缺少定义名称 JX_UNIT、JX_YEAR）；请用 jixiao new 生成"
_LEVEL1 = re.compile(r"^(?P<label>.*?)[(（](?P<weight>[^()（）]*)[)）]$")
_INDICATOR_TEXT = ("name", "target", "actual", "deviation", "mode", "unit", "tier")
_INDICATOR_NUMBER = ("weight", "reported_score", "target_manual", "actual_manual")


def read_workbook(path: str | Path) -> tuple[Filing, list[Finding]]:
    """Return the filing held in the workbook ``path`` and the findings its cells raised."""
    return WorkbookReader(open_workbook(path)).read()


def open_workbook(path: str | Path) -> Any:
    """Return the workbook ``path`` to read: the fast reader's (workbook/fastread.py) when it reads
    the package as openpyxl would, else openpyxl's (JIXIAO_READER=openpyxl asks for it)."""
    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", place=str(path))
    if fast_allowed():
        from jixiao.workbook.fastread import Unsupported, load

        try:
            return load(path)
        except Unsupported as exc:
            debug(f"快速读取不适用（{exc}），改用 openpyxl 读取 {path.name}")
    return open_openpyxl(path)


def open_openpyxl(path: str | Path) -> Any:
    """Return the openpyxl workbook ``path``, its merged cells bound fast (see plain_merges)."""
    from openpyxl import load_workbook

    from jixiao.workbook.merges import plain_merges

    path = Path(path)
    if not path.exists():
        raise InputError("文件不存在", place=str(path))
    try:
        # openpyxl warns about parts it skips (the findings say what matters) and, when a damaged
        # part stops it, leaves its zip open: hand it a file that is closed whatever happens
        with warnings.catch_warnings(), path.open("rb") as handle:
            warnings.simplefilter("ignore")
            with plain_merges():
                return load_workbook(handle, data_only=False)
    except Exception as exc:  # a damaged part raises anything from KeyError to IndexError or ExpatError
        raise InputError(f"不是有效的 Excel 工作簿（{type(exc).__name__}）", place=str(path)) from None


class WorkbookReader:
    """Reads one workbook (openpyxl's or workbook/source.py's) into a filing, collecting findings."""

    def __init__(self, wb: Any) -> None:
        self.wb = wb
        self.cells = Cells(wb)
        self.findings: list[Finding] = []

    # ------------------------------------------------------------ the parts
    def read(self) -> tuple[Filing, list[Finding]]:
        """Return the filing and the findings."""
        self.check_reach()
        if self.cells.place(name("UNIT")) is None and self.cells.place(name("YEAR")) is None:
            raise InputError(NOT_A_WORKBOOK)
        filing = Filing(template=template_of(self.wb) or "national")
        self._info(filing)
        filing.policy = self._policy()
        self._t11(filing)
        own = template_tables(filing)  # a province template's own tables (sheet_template)
        if "t12" in own:
            filing.t12 = read_table(self, type(filing.t12)(), filing.template, None, "t12")
        else:
            filing.t12 = self._evaluation(type(filing.t12)(), "t12", None, "t12")
        if "t13" in own:
            for index, ws in enumerate(self.cells.scoped_sheets(name(own["t13"]["prefix"] + "NAME"))):
                filing.t13.append(read_table(self, ProjectEvaluation(), filing.template, ws, f"t13[{index}]"))
        for index, ws in enumerate(self.cells.scoped_sheets(name("T13_NAME"))):
            filing.t13.append(self._evaluation(ProjectEvaluation(), "t13", ws, f"t13[{index}]"))
        return filing, self.findings

    def check_reach(self, limits: Limits = LIMITS) -> None:
        """Refuse, before anything is read, names that point at whole rows or columns or beyond a
        sheet's limits, names covering too many cells together, and indicator blocks (from a table's
        JX_…IND down to its JX_…TOTAL) that would have the reader visit too many cells."""
        covered = 0
        for defined, entry, target in self.cells.names(name("")):
            if target is None:
                continue
            min_col, min_row, max_col, max_row = target[1]
            spelled = f"定义名称 {defined}（{str(entry.attr_text)[:60]}）"
            if None in target[1]:
                raise InputError(f"{spelled}指向整行或整列，已拒绝读取")
            if max_row > limits.rows or max_col > limits.columns:
                raise InputError(
                    f"{spelled}超出工作表的上限（{limits.rows} 行、{limits.columns} 列），已拒绝读取"
                )
            covered += (max_col - min_col + 1) * (max_row - min_row + 1)
            if covered > limits.name_cells:
                raise InputError(f"定义名称合计引用的单元格过多（超过 {limits.name_cells} 个），已拒绝读取")
        columns = len(layout()["evaluation"]["columns"])
        visits = 0
        tables = [("t12", None), *(("t13", ws) for ws in self.cells.scoped_sheets(name("T13_NAME")))]
        for table, ws in tables:
            first = self.cells.place(name(table_prefix(table) + "IND"), ws)
            total = self.cells.place(name(table_prefix(table) + "TOTAL"), ws)
            if first is None or total is None:
                continue
            visits += max(0, total.row - first.row) * columns
            if visits > limits.visited_cells:
                raise InputError(
                    f"指标区合计过大（读取需访问超过 {limits.visited_cells} 个单元格，"
                    f"到工作表“{first.ws.title}”），已拒绝读取"
                )

    def _info(self, filing: Filing) -> None:
        for field in info_fields():
            place = self._named(field["id"], field["label"])
            if place is None:
                continue
            value = self.value(place, field["kind"], field["label"], field["path"])
            if field["kind"] == "prose":
                value = self._prose_more(field, value)
            if field["kind"] == "year" and value is not None:
                value = self._year(place, value)
            _assign(filing, "", field["path"], value, place)
        info = layout()["info"]
        filing.spending.projects = self._list(info["projects"], ProjectSpend)
        filing.spending.balance_items = self._list(info["balance"], BalanceItem)
        where = filing.spending.where
        lists = (("projects", info["projects"], 3), ("balance_items", info["balance"], 1))  # 执行数, 项目
        for fieldname, spec, column in lists:
            place = self.cells.place(name(spec["id"]))
            if place is not None and where is not None:  # a finding on the list: its first free row
                used = {Place(place.ws, i.where.cells[""]).row for i in getattr(filing.spending, fieldname)}
                free = [row for row in self._list_rows(place) if row not in used]
                row = free[0] if fieldname == "balance_items" and free else place.row
                where.cells[fieldname] = place.at(place.column + column - 1, row).coordinate

    def _prose_more(self, field: dict[str, Any], first: str | None) -> str | None:
        """Return a prose field's text with its （续） rows joined on, one line break apart."""
        more = self.cells.range(name(continuation_id(field["id"])))
        if more is None:
            return first
        ws, (col, min_row, _, max_row) = more
        parts = [first or ""]
        for row in range(min_row, max_row + 1):
            parts.append(
                self.value(
                    Place(ws, f"{get_column_letter(col)}{row}"), "prose", field["label"], field["path"]
                )
                or ""
            )
        text = "\n".join(parts).strip("\n")
        return text or None

    @rule("WB-YEAR")
    def _year(self, place: Place, value: Any) -> int | None:
        if isinstance(value, str):
            try:
                value = parse_decimal(value)
            except ValueError:
                value = None
        if not isinstance(value, int | float | Decimal) or not 1900 < value < 2200 or value != int(value):
            self._finding("WB-YEAR", place, "year", "评价年度", actual=as_text(self.cells.raw(place)))
            return None
        return int(value)

    def _list(self, spec: dict[str, Any], cls: type) -> list[Any]:
        place = self._named(spec["id"], spec["title"])
        if place is None:
            return []
        items = []
        for row in self._list_rows(place):
            item = cls()
            item.where = Where(place.ws.title, f"{spec['path']}[{len(items)}]", {})
            for offset, col in enumerate(spec["columns"]):
                at = place.at(place.column + offset, row)
                value = self.value(at, col["kind"], col["header"], f"{item.where.path}.{col['field']}")
                setattr(item, col["field"], value)
                item.where.cells[col["field"]] = at.coordinate
            item.where.cells[""] = place.at(place.column, row).coordinate
            if any(getattr(item, c["field"]) is not None for c in spec["columns"]):
                items.append(item)
        return items

    def _list_rows(self, place: Place) -> list[int]:
        """Return the rows of a list block: from its name down while the first cell is an input."""
        rows, row = [], place.row
        while row <= place.ws.max_row and not self.cells.is_locked(place.at(place.column, row)):
            rows.append(row)
            row += 1
        return rows

    @rule("WB-POLICY")
    def _policy(self) -> ScoringPolicy:
        settings: dict[str, str] = {}
        places: dict[str, Place] = {}
        default = ScoringPolicy().to_settings()
        for key in default:
            place = self.cells.place(policy_name(key))
            if place is None:
                continue
            if cell_of(place).data_type == "f":  # the word→key formula beside 基本信息's print area
                place = place.at(layout()["info"]["policy"]["input"])
            try:
                raw = self.cells.raw(place)
            except Unreadable as exc:
                self._finding("WB-POLICY", place, key, key, reason=str(exc), expected=default[key])
                continue
            if raw is not None:
                settings[key], places[key] = policy_key(key, as_text(raw)), place
        try:
            return ScoringPolicy.from_settings(settings)
        except PolicyError:
            pass
        # a value wrong on its own (a word, a choice not offered) is dropped with a finding; the
        # grade lines are judged together, so that 优 99.5 / 良 95 is a valid pair
        grade_keys = {key for _, key in GRADE_LINES}
        for key in list(settings):
            try:
                if key in grade_keys:
                    coerce_setting(key, settings[key])
                else:
                    ScoringPolicy.from_settings({key: settings[key]})
            except PolicyError as exc:
                words = policy_words(key)
                reason = f"只能填 {' / '.join(words)}" if words else str(exc)
                shown = policy_shown(key, default[key])
                self._finding("WB-POLICY", places[key], key, key, reason=reason, expected=shown)
                del settings[key]
        try:
            return ScoringPolicy.from_settings(settings)
        except PolicyError as exc:  # the grade lines are not 优 > 良 > 中 ≥ 0 together
            first = next(key for _, key in GRADE_LINES if key in settings)
            self._finding("WB-POLICY", places[first], first, "等级分数线", reason=str(exc), expected="默认")
            return ScoringPolicy.from_settings({k: v for k, v in settings.items() if k not in grade_keys})

    # ------------------------------------------------------------ 附件1-1
    def _t11(self, filing: Filing) -> None:
        t = filing.t11
        for ident, path in (
            ("T11_STAFF_AUTHORIZED", "staff.authorized"),
            ("T11_STAFF_ACTUAL", "staff.actual"),
            ("T11_STAFF_RATE_REPORTED", "staff.reported_control_rate"),
            ("T11_BLD_APPROVED_M2", "buildings.approved_m2"),
            ("T11_BLD_ACTUAL_M2", "buildings.actual_m2"),
            ("T11_BLD_SCALE_RATE_REPORTED", "buildings.reported_scale_rate"),
            ("T11_BLD_BUDGET_INVEST", "buildings.budget_invest"),
            ("T11_BLD_ACTUAL_INVEST", "buildings.actual_invest"),
            ("T11_BLD_INVEST_RATE_REPORTED", "buildings.reported_invest_rate"),
            ("T11_THRIFT", "thrift_measures"),
        ):
            place = self._named(ident, path)
            if place is None:
                continue
            kind = "text" if "reported" in path or path == "thrift_measures" else "count"
            if "invest" in path and "reported" not in path:
                kind = "amount"
            subject = field_label(path, "Staff" if path.startswith("staff.") else "")
            _assign(t, "t11", path, self.value(place, kind, subject, f"t11.{path}"), place)
        for record, fieldname, ident in (
            (t.staff, "control_rate", "T11_STAFF_RATE"),
            (t.buildings, "scale_rate", "T11_BLD_SCALE_RATE"),
            (t.buildings, "invest_rate", "T11_BLD_INVEST_RATE"),
        ):  # the printed rate, where a finding on the rate typed beside the form points
            place = self.cells.place(name(ident))
            if place is not None and record.where is not None:
                record.where.cells[fieldname] = place.coordinate
        t.where = Where(layout()["sheets"]["t11"], "t11", {})
        for item in t11_layout():
            if item["kind"] == "list":
                setattr(t, item["path"].split(".")[1], self._cost_list(item))
            else:
                self._cost_line(get_path(filing, item["path"]), item)

    def _cost_line(self, line: CostLine, item: dict[str, Any]) -> None:
        label = self._named(f"{item['id']}_LABEL", item["path"])
        line.where = Where(label.ws.title if label else layout()["sheets"]["t11"], item["path"], {})
        if label is not None:
            line.label = self.value(label, "text", item["path"], f"{item['path']}.label")
            line.where.cells.update({"label": label.coordinate, "": label.coordinate})
        for fieldname, suffix in (("prev_final", "PREV"), ("budget", "BUDGET"), ("final", "FINAL")):
            if item["kind"] == "dash" and fieldname == "prev_final":
                continue
            place = self._named(f"{item['id']}_{suffix}", f"{line.label or item['path']}")
            if place is not None:
                subject = f"{line.label or ''}（{fieldname}）"
                setattr(line, fieldname, self.value(place, "amount", subject, f"{item['path']}.{fieldname}"))
                line.where.cells[fieldname] = place.coordinate

    def _cost_list(self, item: dict[str, Any]) -> list[CostLine]:
        place = self._named(item["id"], item["path"])
        if place is None:
            return []
        lines: list[CostLine] = []
        for row in self._list_rows(place):
            path = f"{item['path']}[{len(lines)}]"
            first = place.at("A", row)
            line = CostLine(label=self.value(first, "text", "行名称", f"{path}.label"))
            line.where = Where(place.ws.title, path, {"": first.coordinate, "label": first.coordinate})
            for fieldname, col in T11_AMOUNT_COLUMNS.items():
                at = place.at(col, row)
                subject = f"{line.label or path}（{fieldname}）"
                setattr(line, fieldname, self.value(at, "amount", subject, path))
                line.where.cells[fieldname] = at.coordinate
            if line.label is not None or not line.is_blank():
                lines.append(line)
        return lines

    # ------------------------------------------------------------ 附件1-2 / 附件1-3
    def _evaluation(self, ev: Evaluation, table: str, ws: Any, base: str) -> Any:
        prefix = table_prefix(table)
        anchor = self.cells.place(name(prefix + ("DEPT_NAME" if table == "t12" else "NAME")), ws)
        sheet = anchor.ws.title if anchor else layout()["sheets"][table]
        ev.where = Where(sheet, base, {})
        for item in evaluation_cells(table):
            place = self._named(prefix + item["id"], item["path"], ws)
            if place is None:
                continue
            kind = {"prose": "text", "number": "count"}.get(item["kind"], item["kind"])
            value = self.value(place, kind, item["label"], f"{base}.{item['path']}")
            _assign(ev, base, item["path"], value, place)
        if isinstance(ev, ProjectEvaluation):
            for item in layout()["t13"]["prose"]:
                place = self._named("T13_" + item["id"], item["label"], ws)
                if place is not None:
                    value = self.value(place, "text", item["label"], f"{base}.{item['path']}")
                    _assign(ev, base, item["path"], value, place)
        for fieldname, ident in (("rate", "EXEC_RATE"), ("score", "EXEC_SCORE")):
            printed = self.cells.place(name(prefix + ident), ws)  # 执行率 and its 得分 as printed
            if printed is not None and ev.budget.where is not None:
                ev.budget.where.cells[fieldname] = printed.coordinate
        self._indicators(ev, prefix, ws, base)
        return ev

    def _indicators(self, ev: Evaluation, prefix: str, ws: Any, base: str) -> None:
        cols = layout()["evaluation"]["columns"]
        tot = layout()["total"]
        first = self._named(prefix + "IND", "指标区", ws)
        total = self._named(prefix + "TOTAL", "总分", ws)
        header = self.cells.place(name(prefix + "IND_HEADER"), ws)
        if header is not None:
            ev.where.cells["indicators"] = header.coordinate
        if total is not None:
            ev.where.cells["total_weight"] = total.at(tot["weight"]).coordinate
            reported = (("total_weight", tot["weight_reported"]), ("reported_total", tot["reported"]))
            for fieldname, col in reported:
                place = total.at(col)
                value = self.value(place, "count", "原表" + field_label(fieldname), f"{base}.{fieldname}")
                setattr(ev, fieldname, value)
            ev.where.cells["reported_total"] = total.at(tot["reported"]).coordinate
            ev.where.cells["total"] = total.coordinate  # the printed 总分
        if first is None or total is None:
            return
        blocks: list[tuple[str, list[Indicator]]] = []
        for row in range(first.row, total.row):
            level1_place = self.cells.anchor(first.at(cols["level1"], row))
            if not blocks or blocks[-1][0] != level1_place.coordinate:
                blocks.append((level1_place.coordinate, []))
                self._level1(ev, level1_place, base)
            blocks[-1][1].append(self._indicator_row(first, row, level1_place, base))
        ev.indicators = []
        for _, rows in blocks:
            if rows and rows[0].level1:  # a finding on the block points at its first free row
                free = next((r for r in rows if r.name is None and r.target is None), rows[0])
                ev.where.cells.setdefault(f"level1:{rows[0].level1}", free.where.cells["name"])
            while rows and _blank(rows[-1]):
                rows.pop()
            ev.indicators.extend(rows)
        for i, ind in enumerate(ev.indicators):
            assert ind.where is not None
            ind.where.path = f"{base}.indicators[{i}]"

    @rule("WB-LEVEL1-WEIGHT")
    def _level1(self, ev: Evaluation, place: Place, base: str) -> None:
        text = self.value(place, "text", "一级指标", f"{base}.level1_weights")
        ev.where.cells.setdefault("level1_weights", place.coordinate)
        if not text:
            return
        label, weight = split_level1(text)
        if weight == "bad":
            self._finding("WB-LEVEL1-WEIGHT", place, "level1_weights", label, actual=text)
        elif weight is not None:
            ev.level1_weights[label] = weight

    def _indicator_row(self, first: Place, row: int, level1_place: Place, base: str) -> Indicator:
        cols = layout()["evaluation"]["columns"]
        ind = Indicator()
        label = self.value(level1_place, "text", "一级指标", base)
        ind.level1 = split_level1(label)[0] if label else None
        level2_place = self.cells.anchor(first.at(cols["level2"], row))
        ind.level2 = self.value(level2_place, "text", "二级指标", base)
        if ind.level2 is not None:
            ind.level2 = ind.level2.strip() or None
        cells = {"level1": level1_place.coordinate, "level2": level2_place.coordinate}
        ind.where = Where(first.ws.title, base, cells)
        subject = None
        for fieldname in (*_INDICATOR_TEXT, *_INDICATOR_NUMBER):
            at = first.at(cols[fieldname], row)
            cells[fieldname] = at.coordinate
            if fieldname in _INDICATOR_TEXT:
                setattr(ind, fieldname, self.value(at, "text", subject or "三级指标", base))
                subject = subject or ind.name
            else:
                label = f"{subject or '指标'}的{_FIELD_LABEL[fieldname]}"
                setattr(ind, fieldname, self.value(at, "count", label, base))
        for fieldname in ("score", "explanation"):
            cells[fieldname] = first.at(cols[fieldname], row).coordinate
        cells[""] = cells["name"]
        return ind

    # ------------------------------------------------------------ cells
    @rule("WB-NAME-MISSING")
    def _named(self, ident: str, subject: str, ws: Any = None) -> Place | None:
        place = self.cells.place(name(ident), ws)
        if place is None:
            self.findings.append(
                make_finding(
                    "WB-NAME-MISSING",
                    table=_table_of_sheet(ws.title) if ws is not None else "1-1",
                    sheet=ws.title if ws is not None else None,
                    subject=subject,
                    name=name(ident),
                )
            )
        return place

    @rule("WB-FORMULA", "INPUT-NUMBER", "INPUT-TEXT-NUMBER")
    def value(self, place: Place, kind: str, subject: str, path: str) -> Any:
        """Return the value of ``place`` read as ``kind`` (text, amount, count, year, date)."""
        try:
            raw = self.cells.raw(place)
        except Unreadable as exc:
            formula = cell_of(self.cells.anchor(place)).value
            self._finding("WB-FORMULA", place, path, subject, actual=str(formula), reason=str(exc))
            return None
        if raw is None:
            return None
        if kind in ("text", "prose", "indicator", "date"):
            text = as_text(raw, cell_of(self.cells.anchor(place)).number_format)
            return text if text and text.strip() else None
        if kind == "year":
            return raw
        if is_not_applicable(raw):
            return None
        try:
            number = parse_amount(raw) if kind == "amount" else parse_count(raw)
        except ValueError as exc:
            self._finding("INPUT-NUMBER", place, path, subject, actual=as_text(raw), reason=str(exc))
            return None
        if isinstance(raw, str) and number is not None and cell_of(self.cells.anchor(place)).data_type != "f":
            # a number stored as text: the sheet's SUM/ROUND skip it (jixiao score writes the number)
            at = f"{place.ws.title} {self.cells.anchor(place).coordinate}"
            self._finding(
                "INPUT-TEXT-NUMBER", place, path, subject, actual=raw, expected=fmt_plain(number), at=at
            )
        return number

    def _finding(self, rule: str, place: Place, path: str, subject: str, **values: Any) -> None:
        self.findings.append(
            make_finding(
                rule,
                table=_table_of_sheet(place.ws.title),
                sheet=place.ws.title,
                cell=self.cells.anchor(place).coordinate,
                field=path,
                subject=subject,
                **values,
            )
        )


_FIELD_LABEL = {
    "weight": "分值",
    "reported_score": "原表得分",
    "target_manual": "手填目标值",
    "actual_manual": "手填实际值",
}


def _table_of_sheet(title: str) -> str:
    return table_of(Where(title, ""))


def split_level1(text: str) -> tuple[str, Any]:
    """Return (一级 label, weight) of '产出指标(50分)'; weight None when absent, 'bad' when unreadable."""
    compact = normalize_text(text)
    match = _LEVEL1.match(compact)
    if not match:
        return compact, None
    inner = match.group("weight").removesuffix("分")
    try:
        return match.group("label"), parse_decimal(inner)
    except ValueError:
        return match.group("label"), "bad"


def _blank(ind: Indicator) -> bool:
    return ind.level2 is None and all(getattr(ind, f) is None for f in (*_INDICATOR_TEXT, *_INDICATOR_NUMBER))


def _assign(root: Any, base: str, path: str, value: Any, place: Place) -> None:
    """Set ``path`` under ``root`` to ``value`` and record the cell in the record's ``where``."""
    parts = path.split(".")
    record = root
    for part in parts[:-1]:
        record = getattr(record, part)
    fieldname = parts[-1]
    setattr(record, fieldname, value)
    if not any(f.name == "where" for f in dataclasses.fields(record)):
        return
    record_path = ".".join(p for p in (base, *parts[:-1]) if p)
    if record.where is None or record.where.path != record_path:
        record.where = Where(place.ws.title, record_path, {})
    record.where.cells[fieldname] = place.coordinate
    record.where.cells.setdefault("", place.coordinate)
