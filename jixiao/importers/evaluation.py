"""Reading one 附件1-2 or 附件1-3 table from a grid by its labels (RULES §1.2, §1.3; TEMPLATES.md).

The fund header row and the fund rows, the label/value fields around them (项目名称, 主管部门, the
goals, 按收入性质分 …), the indicator header and its rows down to the 总分 row: each found by its
label (``data/import_headers.toml``), never by a fixed address. 一级/二级 cells left blank under a
filled one are carried forward; a row shifted one column right is moved back (RULES §1.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.importers.collect import Collector
from jixiao.importers.grid import Grid
from jixiao.importers.headers import header_columns, is_number, label_key, text, title_kind, vocabulary
from jixiao.model import (
    SHEET_T12,
    Budget,
    DepartmentEvaluation,
    Evaluation,
    FundLine,
    Indicator,
    ProjectEvaluation,
    Where,
    project_sheet_name,
)
from jixiao.numbers import HUNDRED, normalize_text
from jixiao.taxonomy import strip_label, taxonomy

_LEVEL1_WEIGHT = re.compile(r"\(?\s*(\d+(?:\.\d+)?)\s*分\s*\)?")
_TARGETS = {"target", "target_adjusted", "target_initial", "actual", "weight"}
_FUND_AMOUNTS = {"initial", "full_year", "executed", "reported_rate"}
_YES = ("是", "√", "✓", "Y", "y", "核心")
_TARGET = re.compile(r"^(?P<op>[=＝≥≤><≧≦]*)\s*(?P<number>[-+]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>.*)$")


@dataclass
class Section:
    """The rows ``start`` to ``end`` (exclusive) of ``grid`` holding one table of kind ``kind``."""

    grid: Grid
    start: int
    end: int
    kind: str  # 1-1, 1-2 or 1-3
    index: int = 0  # the project's number among the 1-3 tables (0-based)


class EvaluationReader:
    """Reads one 1-2 or 1-3 section into a DepartmentEvaluation or ProjectEvaluation."""

    def __init__(self, section: Section, found: Collector) -> None:
        self.s, self.g, self.found = section, section.grid, found
        self.project = section.kind == "1-3"
        self.record: Evaluation = ProjectEvaluation() if self.project else DepartmentEvaluation()
        self.path = f"t13[{section.index}]" if self.project else "t12"
        canonical = project_sheet_name(section.index) if self.project else SHEET_T12
        self.sheet = self.g.sheet or canonical
        rows = self.g.rows[section.start : section.end]
        raw = "".join(
            normalize_text(text(v)).replace("（", "(").replace("：", ":") for row in rows for v in row
        )
        self.yuan = "(元)" in raw or "单位:元" in raw
        vocab = vocabulary()
        parts = ("t13", "goals") if self.project else ("t12", "goals", "revenue", "expenditure")
        self.fields = {
            key: (f"{part}.{name}" if part in ("revenue", "expenditure") else name)
            for part in parts
            for key, name in vocab.fields[part].items()
        }
        self.self_total: Decimal | None = None

    def where(self, path: str, cells: dict[str, str]) -> Where:
        """Return the Where of a record read at ``cells`` (the table code kept with it)."""
        return Where(self.sheet, path, cells, table=self.s.kind)

    def read(self) -> Evaluation:
        """Return the table's record, every part found by its labels."""
        rec = self.record
        rec.where = self.where(self.path, {"": self.g.name(self.s.start, 0)})
        r, fund_cols, indicator_cols = self.s.start, None, None
        while r < self.s.end:
            row = self.g.rows[r]
            cols, unknown = header_columns(row, vocabulary().indicator)
            if indicator_cols is None and "name" in cols and len(cols) >= 3 and set(cols) & _TARGETS:
                indicator_cols = cols
                self._unknown_columns(r, row, unknown, min(cols.values()))
                r = self._indicators(r + 1, cols)
                continue
            fcols, _ = header_columns(row, vocabulary().funds)
            if fund_cols is None and len(set(fcols) & _FUND_AMOUNTS) >= 2:
                fund_cols = fcols
                r = self._funds(r + 1, fcols)
                continue
            self._fields(r, row)
            r += 1
        if rec.reported_total is None and self.self_total is not None:
            rec.reported_total = self.self_total
        if self.yuan:
            self.found.add("IMPORT-YUAN", self.g, self.s.start, 0, self.s.kind, subject=self._subject())
        return rec

    def _subject(self) -> str:
        name = getattr(self.record, "name", None) or getattr(self.record, "dept_name", None)
        return name or f"附件{self.s.kind}"

    # ---------------------------------------------------------------- header fields

    def _fields(self, r: int, row: list[Any]) -> None:
        """Fill the label/value fields of row ``r`` (项目名称 | x, 其中：一般公共预算: 12 …)."""
        for col, value in enumerate(row):
            shown = text(value)
            if vocabulary().signers["filler"] in shown:
                return  # the signature line (read by the filing)
            name = self.fields.get(label_key(value))
            found = self._value_beside(r, col) if name else None
            if name is None and re.search("[:：]", shown):  # 'label: value' in one cell
                label, rest = re.split("[:：](?=[^:：]*$)", shown)
                name = self.fields.get(label_key(label))
                found = (r, col, rest.strip()) if name else None
            if name and found and found[2] != "":
                self._set_field(name, *found)

    def _value_beside(self, r: int, col: int) -> tuple[int, int, Any] | None:
        """Return (row, col, value) of a label's value: the next other cell right, else the one below."""
        row = self.g.rows[r]
        own = label_key(row[col])
        for c in range(col + 1, len(row)):
            key = label_key(row[c])
            if not key or key == own:
                continue
            if key in self.fields or key in vocabulary().ignored:
                break
            return r, c, row[c]
        below = self.g.cell(r + 1, col)
        if r + 1 < self.s.end and label_key(below) and label_key(below) not in self.fields:
            return r + 1, col, below
        return None

    def _set_field(self, name: str, r: int, c: int, value: Any) -> None:
        target: Any = self.record
        if "." in name:
            part, name = name.split(".")
            target = getattr(self.record, part)
            if getattr(target, "where", None) is None:
                target.where = self.where(f"{self.path}.{part}", {"": self.g.name(r, c)})
            target.where.cells.setdefault(name, self.g.name(r, c))
            if getattr(target, name) is None:
                setattr(target, name, self.found.amount(value, self.g, r, c, self.s.kind, self.yuan))
            return
        if name == "self_total":
            self.self_total = self.found.number(value, self.g, r, c, self.s.kind)
            return
        if not hasattr(target, name) or getattr(target, name) is not None:
            return
        self.found.features.add(name)
        setattr(target, name, text(value))
        self.record.where.cells.setdefault(name, self.g.name(r, c))  # type: ignore[union-attr]

    # ---------------------------------------------------------------- funds

    def _funds(self, r: int, cols: dict[str, int]) -> int:
        """Read the fund rows under the fund header; return the row after them."""
        labels = vocabulary().fund_rows
        first = min(cols.values())
        while r < self.s.end:
            row = self.g.rows[r]
            key = next((labels[k] for k in map(label_key, row[:first]) if k in labels), None)
            if key is None and any(is_number(self.g.cell(r, c)) for c in cols.values()):
                key = "budget" if self.record.budget.where is None else None
            if key is None or (key != "budget" and not self.project):
                return r
            self.found.features.add(key)
            self._fund_row(r, key, cols)
            r += 1
        return r

    def _fund_row(self, r: int, key: str, cols: dict[str, int]) -> None:
        g, kind = self.g, self.s.kind
        line: Budget | FundLine = self.record.budget if key == "budget" else getattr(self.record, key)
        path = f"{self.path}.budget" if key == "budget" else f"{self.path}.{key}"
        line.where = self.where(path, {"": g.name(r, 0), **{f: g.name(r, c) for f, c in cols.items()}})
        for name, c in cols.items():
            value = g.cell(r, c)
            if name in ("initial", "full_year", "executed"):
                setattr(line, name, self.found.amount(value, g, r, c, kind, self.yuan))
            elif not isinstance(line, Budget):
                continue
            elif name in ("weight", "reported_score"):
                setattr(line, name, self.found.number(value, g, r, c, kind))
            elif name == "reported_rate":
                line.reported_rate = _rate_text(value)
            elif name == "reason":
                line.reason = text(value) or None

    # ---------------------------------------------------------------- indicators

    def _unknown_columns(self, r: int, row: list[Any], unknown: list[int], first: int) -> None:
        for col in unknown:
            key = label_key(row[col])
            if col < first or key in vocabulary().ignored or title_kind(text(row[col])):
                continue
            self.found.add("IMPORT-COLUMN", self.g, r, col, self.s.kind, actual=text(row[col]))

    def _indicators(self, r: int, cols: dict[str, int]) -> int:
        """Read the indicator rows under the header at ``r - 1``; return the row after the 总分 row."""
        vocab = vocabulary()
        if "operator_or_nature" in cols:
            self._resolve_kind_column(r, cols)
        level1 = level2 = None
        while r < self.s.end:
            row = self.g.rows[r]
            keys = [label_key(v) for v in row if label_key(v)]
            if keys and keys[0] in vocab.total_rows:
                self._total(r, cols)
                return r + 1
            joined = "".join(keys)
            if keys and (any(keys[0].startswith(e) for e in vocab.end_rows) or title_kind(joined)):
                return r
            values = self._repair(r, {k: self.g.cell(r, c) for k, c in cols.items()}, cols)
            l1, l2 = text(values.get("level1")), text(values.get("level2"))
            if l1 and l1 != level1:
                level1, level2 = self._level1(l1), None
            if l2:
                level2 = l2
                parent = taxonomy().level1_of(None, l2)  # a 二级 under a carried 一级 it does not belong to
                if not l1 and parent and taxonomy().canonical_level1(level1) not in (None, parent):
                    level1 = parent
            ind = self._indicator(r, values, cols, level1, level2)
            if ind is not None and (not ind.is_placeholder() or l2):
                self.record.indicators.append(ind)
            r += 1
        return r

    def _resolve_kind_column(self, r: int, cols: dict[str, int]) -> None:
        """Decide whether 指标性质 is the operator (四川) or 定量/定性 (重庆) by its values."""
        vocab, col = vocabulary(), cols.pop("operator_or_nature")
        values = []
        for row in range(r, self.s.end):
            shown = normalize_text(text(self.g.cell(row, col)))
            if label_key(shown) in vocab.total_rows:
                break
            if shown:
                values.append(shown)
        ops = sum(1 for v in values if v in vocab.operators)
        natures = sum(1 for v in values if v in vocab.natures)
        meaning = "operator" if ops >= natures and ops else "nature"
        cols[meaning] = col
        self.found.features.add(f"operator_or_nature={meaning}")
        if (values and ops + natures < len(values)) or (ops and natures):
            words = "运算符" if meaning == "operator" else "定量/定性"
            header = text(self.g.cell(r - 1, col))
            self.found.add("IMPORT-AMBIGUOUS", self.g, r - 1, col, self.s.kind, actual=header, expected=words)

    def _repair(self, r: int, values: dict[str, Any], cols: dict[str, int]) -> dict[str, Any]:
        """Return the row moved one column left when it sits one to the right (RULES §1.3)."""
        name, weight = text(values.get("name")), values.get("weight")
        if not ("level2" in cols and "name" in cols and name and not is_number(weight)):
            return values
        if taxonomy().canonical_level2(name) is None or text(values.get("level2")) not in ("", name):
            return values
        shifted = {k: self.g.cell(r, c + 1) if c >= cols["level2"] else values[k] for k, c in cols.items()}
        if not is_number(shifted.get("weight")):
            return values
        self.found.add(
            "IMPORT-SHIFTED",
            self.g,
            r,
            cols["name"],
            self.s.kind,
            subject=text(shifted.get("name")),
            actual=name,
        )
        return shifted

    def _level1(self, label: str) -> str:
        """Return the 一级 name of a cell such as '产出指标(50分)', its weight kept in level1_weights."""
        clean = normalize_text(label).replace("（", "(").replace("）", ")")
        weight = _LEVEL1_WEIGHT.search(clean)
        name = taxonomy().canonical_level1(clean) or strip_label(_LEVEL1_WEIGHT.sub("", clean))
        if weight:
            self.record.level1_weights[name] = Decimal(weight.group(1))
        return name

    def _indicator(
        self, r: int, values: dict[str, Any], cols: dict[str, int], level1: str | None, level2: str | None
    ) -> Indicator | None:
        g, kind, found = self.g, self.s.kind, self.found
        ind = Indicator(
            level1=level1,
            level2=level2,
            weight=found.number(values.get("weight"), g, r, cols.get("weight", 0), kind),
            reported_score=found.number(
                values.get("reported_score"), g, r, cols.get("reported_score", 0), kind
            ),
            **indicator_texts(values),
        )
        for key in cols:
            found.features.add(key)
        index = len(self.record.indicators)
        cells = {"": g.name(r, cols["name"]), **{k: g.name(r, c) for k, c in cols.items()}}
        ind.where = self.where(f"{self.path}.indicators[{index}]", cells)
        return ind

    def _total(self, r: int, cols: dict[str, int]) -> None:
        """Read the 总分 row: its 分值 and 得分 (the numbers in the row when the columns are blank)."""
        g, kind = self.g, self.s.kind
        labels = vocabulary().total_rows  # the 总分 label merged across the row is no value
        weight, score = (
            None if label_key(v) in labels else v
            for v in (g.cell(r, cols.get("weight", -1)), g.cell(r, cols.get("reported_score", -1)))
        )
        if not is_number(score):
            numbers = [(c, v) for c, v in enumerate(g.rows[r]) if is_number(v)]
            weight, score = (
                (numbers[0][1], numbers[-1][1])
                if len(numbers) > 1
                else (weight, numbers[-1][1] if numbers else None)
            )
        self.record.total_weight = self.found.number(weight, g, r, cols.get("weight", 0), kind)
        self.record.reported_total = self.found.number(score, g, r, cols.get("reported_score", 0), kind)
        cells = {
            "total_weight": g.name(r, cols.get("weight", 0)),
            "reported_total": g.name(r, cols.get("reported_score", 0)),
        }
        self.record.where.cells.update(cells)  # type: ignore[union-attr]


def indicator_texts(values: dict[str, Any]) -> dict[str, Any]:
    """Return the Indicator fields a row's text cells give, by import_headers.toml key: the target
    joined from 指标性质 (the operator) · 指标值 · 度量单位 (四川), 调整指标值 scored with 年初指标值 kept
    beside it (重庆), 得分系数 as a share, 是否核心指标 as a flag; a prepared template sheet too."""
    unit = text(values.get("unit")) or None
    initial, adjusted = text(values.get("target_initial")), text(values.get("target_adjusted"))
    target = text(values.get("target")) or adjusted or initial
    op = normalize_text(text(values.get("operator")))
    nature = text(values.get("nature")) or None
    mode = text(values.get("mode")) or None
    if op in ("正向", "反向"):
        mode, op = op, ""
    if target and op and is_number(target):
        target = f"{op}{target}"
    return {
        "name": text(values.get("name")) or None,
        "target": _with_unit(target, unit) or None,
        "actual": _with_unit(text(values.get("actual")), unit) or None,
        "deviation": text(values.get("deviation")) or None,
        "mode": "定性" if nature == "定性" else mode,
        "unit": unit,
        "target_initial": initial if adjusted and initial and initial != adjusted else None,
        "coefficient": _coefficient(values.get("coefficient")),
        "nature": nature,
        "core": text(values.get("core")).startswith(_YES) if text(values.get("core")) else None,
    }


def _split_target(ind: Indicator) -> tuple[str | None, str | None, str | None]:
    """Return (运算符, 指标值, 度量单位) of a target ('≥95%' → '≥', '95', '%'); a word target whole."""
    target = ind.target
    if not target:
        return None, None, ind.unit
    match = _TARGET.match(target.strip())
    if not match:
        return None, target, ind.unit
    unit = match.group("unit") or ind.unit
    return match.group("op") or None, match.group("number"), unit or None


def _bare(value: str | None, unit: str | None) -> str | None:
    """Return ``value`` without the row's unit at its end ('120场' '场' → '120')."""
    if value and unit and value.endswith(unit) and _TARGET.match(value[: -len(unit)].strip()):
        return value[: -len(unit)].strip()
    return value


def row_values(ind: Indicator) -> dict[str, Any]:
    """Return what a template sheet's indicator columns show of ``ind`` (the reverse of
    :func:`indicator_texts`: the target split into 运算符 · 指标值 · 度量单位, 得分系数 in percent)."""
    op, number, unit = _split_target(ind)
    coefficient = ind.coefficient * HUNDRED if ind.coefficient is not None else None
    return {
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "operator": op if op else (ind.mode if ind.mode in ("正向", "反向") else None),
        "target": number,
        "unit": unit,
        "actual": _bare(ind.actual, unit),
        "weight": ind.weight,
        "reported_score": ind.reported_score,
        "deviation": ind.deviation,
        "mode": ind.mode if ind.mode not in ("正向", "反向") or op else None,
        "nature": ind.nature,
        "target_initial": _bare(ind.target_initial or ind.target, ind.unit),
        "target_adjusted": _bare(ind.target, ind.unit),
        "coefficient": coefficient.normalize() if coefficient is not None else None,
        "core": None if ind.core is None else ("是" if ind.core else "否"),
    }


def _with_unit(value: str, unit: str | None) -> str:
    """Return a bare number with the row's 计量单位 appended ('95' '%' → '95%'); other text as it is."""
    if unit and value and re.fullmatch(r"[=＝≥≤><≧≦]*\s*[-+]?\d[\d,]*(\.\d+)?", value):
        return f"{value}{unit}"
    return value


def _coefficient(value: Any) -> Decimal | None:
    """Return an 得分系数 as a share: '85%' or 85 → 0.85, 0.85 → 0.85; None when blank or a word."""
    shown = normalize_text(text(value)).rstrip("%％")
    if not is_number(shown):
        return None
    number = Decimal(shown.replace(",", ""))
    percent = text(value).endswith(("%", "％")) or number > 1
    return number / HUNDRED if percent else number


def _rate_text(value: Any) -> str | None:
    """Return a printed 执行率 as text: a fraction cell (0.9904) as '99.04%', a bare percent
    number under a '执行率(%)' header (85) as '85%', other text as typed."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool) and 0 < value <= 1.5:
        number = Decimal(repr(value)) if isinstance(value, float) else value
        return f"{(number * HUNDRED).normalize():f}%"
    shown = text(value)
    return (
        f"{shown}%"
        if is_number(shown) and Decimal(shown.replace(",", "")) > Decimal("1.5")
        else shown or None
    )
