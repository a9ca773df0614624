"""A thin writer over one openpyxl worksheet: typed inputs, outputs, labels, merges and names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.textsafe import put_text
from jixiao.workbook import styles
from jixiao.workbook.source import quote_sheet, unquote_sheet  # noqa: F401  (their home: source.py)

YEARS = (2000, 2100)  # the 评价年度 a workbook accepts (its validation; jixiao new --year)
# data validation per input kind: (type, operator, formula1, error style, prompt)
_VALIDATION: dict[str, tuple[str | None, str | None, str | None, str, str]] = {
    # numbers the sheet's formulas compute with: text is refused (a number typed as text, "３８万",
    # is not a number to SUM or ROUND; rule INPUT-TEXT-NUMBER)
    "amount": (
        "decimal",
        "greaterThanOrEqual",
        "0",
        "stop",
        "请填数字（单位万元，不小于 0），不带“万”等文字",
    ),
    "count": ("whole", "greaterThanOrEqual", "0", "stop", "请填不小于 0 的整数，不带“人”等文字"),
    "number": ("decimal", "greaterThanOrEqual", "0", "stop", "请填不小于 0 的数字，不带“分”等文字"),
    "signed": ("decimal", "between", "-1E+15", "stop", "请填数字（计分用，可由 jixiao 填写）"),
    "year": ("whole", "between", str(YEARS[0]), "stop", "四位年份"),
    "date": ("textLength", "between", "8", "warning", "日期，格式 YYYY-MM-DD，如 2023-04-20"),
}
TEXT_KINDS = ("text", "prose", "indicator")


def absolute(ref: str) -> str:
    """Return a cell or range reference with $ signs ('B3' → '$B$3', 'A1:C4' → '$A$1:$C$4')."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    first = f"${get_column_letter(min_col)}${min_row}"
    if (min_col, min_row) == (max_col, max_row):
        return first
    return f"{first}:${get_column_letter(max_col)}${max_row}"


def cell_value(value: Any) -> Any:
    """Return a model value as a cell value (Decimal kept exact; integral Decimals as int)."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    return value


class SheetWriter:
    """Writes cells of one sheet with the form's styles, names and validation."""

    def __init__(self, ws: Worksheet, *, scoped_names: bool = False) -> None:
        self.ws = ws
        self.scoped_names = scoped_names
        self._validations: dict[tuple[Any, ...], DataValidation] = {}

    # ------------------------------------------------------------ names
    def define(self, ident: str, ref: str) -> None:
        """Give ``ref`` on this sheet the defined name ``JX_<ident>`` (sheet-scoped on 1-3 sheets)."""
        from jixiao.workbook.layout import name

        text = f"{quote_sheet(self.ws.title)}!{absolute(ref)}"
        defined = DefinedName(name(ident), attr_text=text)
        if self.scoped_names:
            self.ws.defined_names[defined.name] = defined
        else:
            self.ws.parent.defined_names[defined.name] = defined

    # ------------------------------------------------------------ cells
    def label(
        self,
        ref: str,
        text: Any,
        *,
        bold: bool = False,
        size: float = 10.5,
        horizontal: str = "center",
        border: bool = True,
        font_name: str = styles.BODY_FONT,
        wrap: bool = True,
    ) -> None:
        """Write a locked label (merged over ``ref`` when it is a range)."""
        anchor = self._merge(ref)
        cell = self.ws[anchor]
        cell.value = text
        cell.font = styles.font(size, bold, font_name)
        cell.alignment = styles.align(horizontal, wrap=wrap)
        cell.protection = styles.LOCKED
        if border:
            self.border(ref)

    def input(
        self,
        ref: str,
        value: Any,
        kind: str,
        *,
        ident: str | None = None,
        horizontal: str | None = None,
        border: bool = True,
        choices: list[str] | None = None,
    ) -> None:
        """Write an unlocked, tinted input cell of ``kind`` with its validation and name."""
        anchor = self._merge(ref)
        cell = self.ws[anchor]
        put_text(cell, cell_value(value) if value is not None else None)  # "=12个" stays text
        cell.font = styles.font()
        if horizontal is None:
            horizontal = "left" if kind in ("prose",) else "center"
        cell.alignment = styles.align(horizontal, vertical="top" if kind == "prose" else "center")
        cell.fill = styles.INPUT_FILL
        cell.protection = styles.UNLOCKED
        if kind in TEXT_KINDS or kind == "date":
            cell.number_format = "@"
        elif kind == "amount":
            cell.number_format = styles.AMOUNT_FORMAT
        if border:
            self.border(ref)
        self.validate(anchor, kind, choices)
        if ident:
            self.define(ident, anchor)

    def output(
        self,
        ref: str,
        value: Any,
        *,
        ident: str | None = None,
        number_format: str | None = None,
        horizontal: str = "center",
        helper: bool = False,
        border: bool = True,
    ) -> None:
        """Write a locked computed cell (a formula or a value jixiao writes)."""
        anchor = self._merge(ref)
        cell = self.ws[anchor]
        cell.value = value
        cell.font = styles.font()
        cell.alignment = styles.align(horizontal)
        cell.protection = styles.LOCKED
        if helper:
            cell.fill = styles.HELPER_FILL
        if number_format:
            cell.number_format = number_format
        if border:
            self.border(ref)
        if ident:
            self.define(ident, anchor)

    def border(self, ref: str) -> None:
        """Draw the form's thin grid on every cell of ``ref``."""
        min_col, min_row, max_col, max_row = range_boundaries(ref)
        for row in self.ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col):
            for cell in row:
                cell.border = styles.GRID

    def _merge(self, ref: str) -> str:
        if ":" in ref:
            first, last = ref.split(":")
            if first != last:
                self.ws.merge_cells(ref)
            return first
        return ref

    # ------------------------------------------------------------ validation
    def validate(self, ref: str, kind: str, choices: list[str] | None = None) -> None:
        """Attach the validation of ``kind`` (or a list of ``choices``) to ``ref``."""
        if choices:
            key: tuple[Any, ...] = ("list", *choices)
            if key not in self._validations:
                dv = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=True,
                    errorStyle="warning",
                    showErrorMessage=True,
                    error="请从下拉列表中选择",
                    errorTitle="jixiao",
                )
                self._add(key, dv)
            self._validations[key].add(ref)
            return
        spec = _VALIDATION.get(kind)
        if spec is None:
            key = ("any", kind)
            if key not in self._validations:
                prompt = "文字；多段之间用 Alt+Enter 换行" if kind == "prose" else "文字"
                dv = DataValidation(type=None, allow_blank=True, showInputMessage=True, prompt=prompt)
                self._add(key, dv)
            self._validations[key].add(ref)
            return
        vtype, operator, formula1, error_style, prompt = spec
        key = (kind,)
        if key not in self._validations:
            dv = DataValidation(
                type=vtype,
                operator=operator,
                formula1=formula1,
                formula2={"year": str(YEARS[1]), "date": "10", "signed": "1E+15"}.get(kind),
                allow_blank=True,
                errorStyle=error_style,
                showErrorMessage=True,
                showInputMessage=True,
                error=prompt,
                errorTitle="jixiao",
                prompt=prompt,
            )
            self._add(key, dv)
        self._validations[key].add(ref)

    def _add(self, key: tuple[Any, ...], dv: DataValidation) -> None:
        self.ws.add_data_validation(dv)
        self._validations[key] = dv
