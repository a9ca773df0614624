"""Test helper: a filing written out as tables jixiao did not build — the national layout of the seed
(附件1-1 / 1-2 / 1-3, RULES §1.1–1.3) as rows of text, then as a Word report with the tables appended
(python-docx), as an .xlsx with several tables on one sheet, or as a CSV.

The rows are laid out here by hand from the forms' printed wording, not by jixiao's builder, so a
test that reads them back exercises the header recognition, not the prepared workbook's addresses.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from docx import Document
from openpyxl import Workbook

from jixiao.forms import t11_rows
from jixiao.model import Evaluation, Filing, ProjectEvaluation

SEED_REPORT = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_50f89173955d11d8.txt"
WIDTH = 9


def _t(value: object) -> str:
    if value is None:
        return ""
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _pad(row: list[object], width: int = WIDTH) -> list[str]:
    return [_t(v) for v in row] + [""] * (width - len(row))


def footer(filing: Filing) -> list[str]:
    s = filing.signers
    line = f"填表人：{_t(s.filler)} 填报日期：{_t(s.fill_date)} 联系电话：{_t(s.phone)}"
    line += f" 单位负责人签字：{_t(s.head)}"
    return _pad([line])


def t11(filing: Filing) -> list[list[str]]:
    """Return 附件1-1 as rows (the seed's 7 columns)."""
    t, year = filing.t11, filing.year
    rows = [
        _pad(["财政供养人员情况(人)", "编制数", "", f"{year}年实际在职人数", "", "控制率", ""], 7),
        _pad(["", t.staff.authorized, "", t.staff.actual, "", t.staff.reported_control_rate, ""], 7),
        _pad(
            ["经费控制情况(万元)", f"{year - 1}年决算数", "", f"{year}年预算数", "", f"{year}年决算数", ""], 7
        ),
    ]
    for spec in t11_rows():
        lines = getattr(t, spec["field"])
        for line in lines if isinstance(lines, list) else [lines]:
            prev = "—" if spec["kind"] == "dash" else line.prev_final
            rows.append(
                _pad([line.label or spec.get("label", ""), prev, "", line.budget, "", line.final, ""], 7)
            )
    b = t.buildings
    rows.append(
        _pad(
            [
                f"楼堂馆所控制情况({year}年完工项目)",
                "批复规模(m²)",
                "实际规模(m²)",
                "规模控制率",
                "预算投资(万元)",
                "实际投资(万元)",
                "投资概算控制率",
            ],
            7,
        )
    )
    rows.append(
        _pad(
            [
                "",
                b.approved_m2,
                b.actual_m2,
                b.reported_scale_rate,
                b.budget_invest,
                b.actual_invest,
                b.reported_invest_rate,
            ],
            7,
        )
    )
    rows.append(_pad(["厉行节约保障措施", t.thrift_measures], 7))
    rows.append(footer(filing)[:7])
    return rows


def _indicators(ev: Evaluation) -> list[list[str]]:
    rows = [
        [
            "绩效指标",
            "一级指标",
            "二级指标",
            "三级指标",
            "年度指标值",
            "实际完成值",
            "分值",
            "得分",
            "偏差原因分析及改进措施",
        ]
    ]
    level1 = level2 = None
    for ind in ev.indicators:
        l1 = ""
        if ind.level1 != level1:
            level1, level2 = ind.level1, None
            weight = ev.level1_weights.get(ind.level1 or "")
            l1 = f"{ind.level1}({_t(weight)}分)" if weight is not None else _t(ind.level1)
        l2 = ""
        if ind.level2 and ind.level2 != level2:
            level2 = l2 = ind.level2
        rows.append(
            _pad(
                ["", l1, l2, ind.name, ind.target, ind.actual, ind.weight, ind.reported_score, ind.deviation]
            )
        )
    rows.append(_pad(["总分", "", "", "", "", "", ev.total_weight, ev.reported_total, ""]))
    return rows


def _goals(ev: Evaluation) -> list[list[str]]:
    return [
        _pad(["年度总体目标", "预期目标", "", "", "", "实际完成情况"]),
        _pad(["", ev.goal_expected, "", "", "", ev.goal_actual]),
    ]


def t12(filing: Filing) -> list[list[str]]:
    """Return 附件1-2 as rows (nine columns A:I, as the seed prints it)."""
    t = filing.t12
    b, rv, ex = t.budget, t.revenue, t.expenditure
    return [
        _pad(["市级预算部门名称", t.dept_name]),
        _pad(
            ["年度预算申请(万元)", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
        ),
        _pad(
            [
                "",
                "年度资金总额",
                "",
                b.initial,
                b.full_year,
                b.executed,
                b.weight,
                b.reported_rate,
                b.reported_score,
            ]
        ),
        _pad(["", "按收入性质分：", "", "", "", "按支出性质分："]),
        _pad(["", "其中：一般公共预算", "", "", rv.general, "其中：基本支出", "", "", ex.basic]),
        _pad(["", "政府性基金拨款", "", "", rv.gov_fund, "项目支出", "", "", ex.project]),
        _pad(["", "纳入专户管理的非税收入拨款", "", "", rv.special_account]),
        _pad(["", "其他资金", "", "", rv.other]),
        *_goals(t),
        *_indicators(t),
        footer(filing),
    ]


def t13(filing: Filing, p: ProjectEvaluation) -> list[list[str]]:
    """Return one 附件1-3 as rows (nine columns A:I)."""
    b = p.budget
    rows = [
        _pad(["项目支出名称", p.name]),
        _pad(["主管部门", p.department, "", "", "", "实施单位", p.implementer]),
        _pad(["项目资金(万元)", "", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]),
        _pad(
            [
                "",
                "年度资金总额",
                "",
                b.initial,
                b.full_year,
                b.executed,
                b.weight,
                b.reported_rate,
                b.reported_score,
            ]
        ),
    ]
    for label, line in (
        ("其中：当年财政拨款", p.fiscal),
        ("上年结转资金", p.carryover),
        ("其他资金", p.other),
    ):
        rows.append(_pad(["", label, "", line.initial, line.full_year, line.executed]))
    return [*rows, *_goals(p), *_indicators(p), _pad(["备注：一个一级项目支出一张表。"]), footer(filing)]


def tables(filing: Filing) -> list[tuple[str, str, list[list[str]]]]:
    """Return (caption, title, rows) of every table the filing holds, in filing order."""
    y = filing.year
    out = [("附件1-1", f"{y}年度部门整体支出绩效评价基础数据表", t11(filing))]
    out.append(("附件1-2", f"{y}年度部门整体支出绩效自评表", t12(filing)))
    out += [("附件1-3", f"{y}年度项目支出绩效自评表", t13(filing, p)) for p in filing.t13]
    return out


def narrative() -> list[str]:
    """Return the seed report's narrative paragraphs (its text before the appended tables)."""
    lines = SEED_REPORT.read_text(encoding="utf-8").splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("附件："))
    return [line for line in lines[:end] if line.strip()]


def write_docx(filing: Filing, path: Path, paragraphs: list[str]) -> Path:
    """Write ``paragraphs`` and then the filing's tables, each under its caption and title, as .docx."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    for caption, title, rows in tables(filing):
        doc.add_paragraph(caption)
        doc.add_paragraph(title)
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
            if not any(row[1:]):  # a one-cell row (the footer, a note) spans the table
                table.cell(r, 0).merge(table.cell(r, len(row) - 1))
    doc.save(str(path))
    return path


def write_xlsx(
    sheets: dict[str, list[list[object]]], path: Path, merges: dict[str, list[str]] | None = None
) -> Path:
    """Write each sheet's rows (numbers where a cell is a number) into a plain .xlsx."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append([_number(v) for v in row])
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


def write_csv(rows: list[list[object]], path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _number(value: object) -> object:
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value if value != "" else None
    return value


def one_sheet(filing: Filing) -> list[list[str]]:
    """Return every table of the filing one under another on one sheet (caption and title rows first)."""
    rows: list[list[str]] = []
    for caption, title, body in tables(filing):
        rows += [_pad([caption]), _pad([title]), *body, _pad([])]
    return rows
