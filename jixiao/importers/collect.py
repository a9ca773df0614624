"""What reading a foreign table noticed: the import findings (by place) and the features it saw."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.findings import Finding, make_finding, rule
from jixiao.importers.grid import Grid
from jixiao.importers.headers import text
from jixiao.numbers import is_not_applicable, normalize_text, parse_amount, parse_count

_TEN_THOUSAND = Decimal(10000)


@dataclass
class Collector:
    """The findings of reading one file, and the column and row keys its tables were read with."""

    findings: list[Finding] = field(default_factory=list)
    features: set[str] = field(default_factory=set)

    @rule("IMPORT-COLUMN", "IMPORT-AMBIGUOUS", "IMPORT-SHIFTED", "IMPORT-YUAN", "IMPORT-VALUE")
    def add(self, rule_id: str, grid: Grid, row: int, col: int, table: str, **values: Any) -> None:
        """Add the import finding ``rule_id`` at (row, col) of ``grid``."""
        sheet, cell = grid.place(row, col)
        self.findings.append(make_finding(rule_id, table=table, sheet=sheet, cell=cell, **values))

    def amount(self, value: Any, grid: Grid, row: int, col: int, table: str, yuan: bool) -> Decimal | None:
        """Return a cell's amount in 万元 (None when blank or a dash); a word is IMPORT-VALUE."""
        return self._parse(value, grid, row, col, table, parse_amount, _TEN_THOUSAND if yuan else None)

    def number(self, value: Any, grid: Grid, row: int, col: int, table: str) -> Decimal | None:
        """Return a cell's plain number (a weight, a score), None when blank; a word is IMPORT-VALUE."""
        return self._parse(value, grid, row, col, table, parse_count, None)

    def _parse(
        self, value: Any, grid: Grid, row: int, col: int, table: str, parse: Any, divisor: Decimal | None
    ) -> Decimal | None:
        shown = text(value)
        if not shown or is_not_applicable(shown):
            return None
        try:
            number = parse(value if not isinstance(value, str) else normalize_text(shown))
        except ValueError:
            self.add("IMPORT-VALUE", grid, row, col, table, subject=grid.name(row, col), actual=shown)
            return None
        in_words = any(ch in shown for ch in "元万")  # '380000元' is converted by parse_amount itself
        return number / divisor if divisor is not None and not in_words else number
