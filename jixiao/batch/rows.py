"""The rows of a batch summary, made from one file's digest: pure functions, no I/O.

The xlsx summary (:mod:`jixiao.batch.summary`), the CSV / JSON files (:mod:`jixiao.batch.export`)
and the pandas frames (:mod:`jixiao.batch.frame`) hold what these return; :mod:`jixiao.batch.tally`
collects them file by file.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.batch.digest import TableDigest, UnitDigest
from jixiao.errors import InputError
from jixiao.findings import SEVERITIES, SEVERITY_LABEL, Finding, rules
from jixiao.numbers import fmt_plain, quantize
from jixiao.templates import template

RATE_PLACES = 6  # the execution rate in 汇总: a ratio to 6 places (99.0430%)

ROW_HEADERS = (
    "文件",
    "年度",
    "类型",
    "单位",
    "主管部门",
    "模板",
    "项目",
    "全年预算数（万元）",
    "全年执行数（万元）",
    "执行率",
    "执行率得分",
    "总分",
    "填报总分",
    "等级",
    "错误",
    "警告",
    "提示",
    "备注",
    "最主要的问题",
)
COLUMN = {name: i for i, name in enumerate(ROW_HEADERS)}

FINDING_HEADERS = (
    "文件",
    "单位",
    "严重程度",
    "问题",
    "规则",
    "表",
    "工作表",
    "单元格",
    "对象",
    "说明",
    "应为",
    "填报",
)
FINDING_COLUMN = {name: i for i, name in enumerate(FINDING_HEADERS)}

BLANK_HEADERS = ("文件", "单位", "年度", "说明")
BLANK_REASON = "未填写任何表（空白表或只有模板），未计分，不计入统计"
UNREADABLE_HEADERS = ("文件", "原因")


def template_label(name: str) -> str:
    """Return the short name of a template for 汇总's 模板 column (全国通用, 四川, 重庆)."""
    try:
        return template(name).label.split("（")[0]
    except InputError:  # a digest from a template this version does not know
        return name


def title(rule_id: str) -> str:
    """Return the rule's short Chinese name (执行率得分不符), or its ID when it has none."""
    rule = rules().get(rule_id)
    return rule.title if rule is not None and rule.title else rule_id


def _plain(value: Decimal | None) -> Decimal | None:
    """Return ``value`` without trailing zeros (38.50 → 38.5), or None."""
    return Decimal(fmt_plain(value)) if value is not None else None


def _rounded(value: Decimal | None, places: int) -> Decimal | None:
    return quantize(value, places) if value is not None else None


def worst(findings: list[Finding]) -> str:
    """Return the first (most severe) of ``findings`` as '[问题] place：message', or '' when none."""
    if not findings:
        return ""
    f = findings[0]  # findings come sorted by severity
    place = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else f.sheet or f.table
    return f"[{title(f.rule)}] {place}：{f.message}"


def _counts(findings: list[Finding]) -> list[int]:
    return [sum(1 for f in findings if f.severity == s) for s in SEVERITIES]


def table_row(unit: UnitDigest, table: TableDigest, note: str = "") -> tuple[object, ...]:
    """Return the 汇总 row of one table: the unit's 附件1-2 with the whole file's counts, or a project;
    ``note`` goes into 备注 (a duplicate)."""
    scoped = unit.findings_of(table)
    return (
        unit.file,
        unit.year,
        "单位" if table.is_unit else "项目",
        unit.unit or "",
        unit.department or "",
        template_label(unit.template),
        "" if table.is_unit else table.subject,
        _plain(table.full_year),
        _plain(table.executed),
        _rounded(table.exec_rate, RATE_PLACES),
        _rounded(table.exec_score, unit.places),
        quantize(table.total, unit.places),
        _plain(table.reported_total),
        table.grade or "",
        *_counts(scoped),
        note,
        worst(scoped),
    )


def unit_row(unit: UnitDigest, note: str = "") -> tuple[object, ...]:
    """Return the 汇总 row of a file without 附件1-2 (a project-only filing): the whole file's
    counts and main problem, no scores."""
    findings = list(unit.findings)
    return (
        unit.file,
        unit.year,
        "单位",
        unit.unit or "",
        unit.department or "",
        template_label(unit.template),
        "",
        *([None] * 6),
        "",
        *_counts(findings),
        note,
        worst(findings),
    )


def unit_rows(unit: UnitDigest, note: str = "") -> list[tuple[object, ...]]:
    """Return the 汇总 rows of a scored file: its unit row (附件1-2, or one without scores when it has
    none), then one per project (its 1-3 sheet)."""
    rows = [] if any(table.is_unit for table in unit.tables) else [unit_row(unit, note)]
    rows.extend(table_row(unit, table, note) for table in unit.tables)
    return rows


def finding_row(unit: UnitDigest, f: Finding) -> tuple[object, ...]:
    """Return the 问题清单 row of one finding: its file, the rule's name and ID, sheet and cell."""
    return (
        unit.file,
        unit.unit or "",
        SEVERITY_LABEL.get(f.severity, f.severity),
        title(f.rule),
        f.rule,
        f.table or "",
        f.sheet or "",
        f.cell or "",
        f.subject or "",
        f.message or "",
        f.expected or "",
        f.actual or "",
    )


def blank_row(unit: UnitDigest) -> tuple[object, ...]:
    """Return the 未填写 row of a blank or template-only file."""
    return (unit.file, unit.unit or "", unit.year, BLANK_REASON)
