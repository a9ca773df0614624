"""The :class:`Checker` the checks emit findings through, and the helpers they share.

Each check function is decorated with :func:`jixiao.findings.rule` naming the IDs it emits.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jixiao.datafile import table_of
from jixiao.findings import Finding, make_finding, rules
from jixiao.model import Filing, Where
from jixiao.numbers import HUNDRED, ZERO, fmt, fmt_plain, parse_percent, quantize
from jixiao.scoring import FilingScore


class Checker:
    """Collects findings for one filing."""

    def __init__(self, filing: Filing, scores: FilingScore) -> None:
        self.filing = filing
        self.scores = scores
        self.policy = filing.policy
        self.findings: list[Finding] = []

    def emit(
        self,
        rule_id: str,
        where: Where | None,
        field: str | None = None,
        *,
        subject: str = "",
        expected: object = None,
        actual: object = None,
        table: str | None = None,
        severity: str | None = None,
        at: str | None = None,
        **values: object,
    ) -> None:
        """Add a finding of ``rule_id`` on ``field`` of the record ``where``.

        Its cell is that of ``at`` when the workbook recorded one (the printed cell beside a helper
        input, a block's first free row), else that of ``field``.
        """
        cell = ((where.cells.get(at) if at else None) or where.cell(field)) if where else None
        self.findings.append(
            make_finding(
                rule_id,
                table=table or rules()[rule_id].table or table_of(where),
                sheet=where.sheet if where else None,
                cell=cell,
                field=where.field_path(field) if where else field,
                subject=subject,
                expected=_text(expected),
                actual=_text(actual),
                severity=severity,
                **{k: _text(v) for k, v in values.items()},
            )
        )

    def compare(
        self,
        rule_id: str,
        expected: Decimal,
        actual: Decimal,
        where: Where | None,
        field: str | None = None,
        at: str | None = None,
        **kwargs: object,
    ) -> None:
        """Emit ``rule_id`` when two amounts differ: beyond tolerance as the rule's severity,
        within it as an info hint (a rounding-only gap)."""
        diff = actual - expected
        if diff == 0:
            return
        tolerance = self.policy.tolerance(rules()[rule_id].tolerance)
        severity = None if abs(diff) > tolerance else "info"
        self.emit(
            rule_id,
            where,
            field,
            expected=fmt_plain(expected),
            actual=fmt_plain(actual),
            diff=_signed(diff),
            severity=severity,
            at=at,
            **kwargs,
        )


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return fmt_plain(value)
    return str(value)


def _signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + fmt_plain(value)


def sum_filled(values: Iterable[Decimal | None]) -> Decimal:
    """Return the sum of the filled values (0 when none is filled)."""
    return sum((v for v in values if v is not None), ZERO)


def rate_matches(reported: str, ratio: Decimal) -> tuple[bool, str]:
    """Return whether a printed rate equals ``ratio`` at the precision it shows, and the 2-dp text."""
    expected = f"{fmt(ratio * HUNDRED, 2)}%"
    parsed = parse_percent(reported)
    if parsed is None:
        return False, expected
    value, places = parsed
    return quantize(ratio * HUNDRED, places) == value, expected
