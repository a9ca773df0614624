"""Reading tables jixiao did not build (issue 12): grids of cell values → a filing.

A grid is one sheet, one CSV file or one Word table (:class:`Grid`; the layers above make them:
``jixiao.workbook.foreign`` for .xlsx/.csv, :mod:`jixiao.importers.docx` for Word). A grid holds
one table or several, each starting at its title row; every table is read by its labels
(``data/import_headers.toml``), its template recognised from the columns and rows it was read
with (:func:`jixiao.templates.recognise`), and the filing takes the policy that template implies.
What cannot be read is a finding by place; a file in which no table is recognised is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from jixiao.errors import InputError
from jixiao.findings import Finding
from jixiao.importers.base import read_base_table
from jixiao.importers.collect import Collector
from jixiao.importers.evaluation import EvaluationReader, Section
from jixiao.importers.grid import Grid
from jixiao.importers.headers import header_columns, label_key, text, title_kind, vocabulary
from jixiao.model import DepartmentEvaluation, Filing, ProjectEvaluation
from jixiao.templates import DEFAULT, Template, recognise, template

__all__ = ["Grid", "Imported", "read_grids"]

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


@dataclass
class Imported:
    """The filing read from foreign tables, the findings of reading them and each table's template."""

    filing: Filing
    findings: list[Finding]
    templates: list[tuple[str, Template]] = field(default_factory=list)  # (table, its template)


def sections(grid: Grid) -> list[Section]:
    """Return the tables of ``grid``: one per title row (or the title before a Word table)."""
    starts: list[tuple[int, str]] = []
    for r, row in enumerate(grid.rows):
        kind = next((k for k in (title_kind(text(v)) for v in row if text(v)) if k), None)
        if kind and not (starts and starts[-1][0] == r - 1 and starts[-1][1] == kind):
            starts.append((r, kind))
    if not starts:
        kind = next((k for k in map(title_kind, reversed(grid.title)) if k), None) or _kind_by_labels(grid)
        return [Section(grid, 0, len(grid.rows), kind)] if kind else []
    if starts[0][0] > 0:
        starts[0] = (0, starts[0][1])  # a caption row (附件1-3) above the first title
    ends = [r for r, _ in starts[1:]] + [len(grid.rows)]
    return [Section(grid, r, end, kind) for (r, kind), end in zip(starts, ends, strict=True)]


def _kind_by_labels(grid: Grid) -> str | None:
    """Return the table a grid without a title holds, told by its labels; None when it holds none."""
    vocab = vocabulary()
    keys = {label_key(v) for row in grid.rows for v in row}
    if any("财政供养人员情况" in k for k in keys):
        return "1-1"
    indicator = any(
        "name" in cols and len(cols) >= 3
        for cols, _ in (header_columns(row, vocab.indicator) for row in grid.rows)
    )
    if not indicator and not any(k in vocab.fund_rows for k in keys):
        return None
    project = any(vocab.fields["t13"].get(k) == "name" for k in keys)
    return "1-3" if project or not any(k in vocab.fields["t12"] for k in keys) else "1-2"


def read_grids(grids: list[Grid], source: str, what: str = "文件") -> Imported:
    """Return the filing the tables of ``grids`` hold; raise InputError when none is recognised
    (``what`` leads the refusal: what the file is not, e.g. a jixiao workbook)."""
    filing, found = Filing(), Collector()
    chosen: list[tuple[str, Template]] = []
    for grid in grids:
        for section in sections(grid):
            before = set(found.features)
            found.features.clear()
            if section.kind == "1-1":
                filing.t11 = read_base_table(section, found)
            else:
                section.index = len(filing.t13)
                record = EvaluationReader(section, found).read()
                if isinstance(record, ProjectEvaluation):
                    filing.t13.append(record)
                elif isinstance(record, DepartmentEvaluation):
                    filing.t12 = record
            chosen.append((section.kind, recognise(found.features)))
            found.features |= before
        _signers(filing, grid)
    if not chosen:
        first = _first_header(grids)
        raise InputError(f"{what}中没有可识别的自评表：{first}不是任何已知模板的表头", place=source)
    _identity(filing, grids)
    specific = next((t for _, t in chosen if t.name != DEFAULT), template(DEFAULT))
    filing.template = specific.name
    filing.policy = specific.policy()
    return Imported(filing, found.findings, chosen)


def _first_header(grids: list[Grid]) -> str:
    """Return the first text cell of the grids, quoted, as the header nothing recognised."""
    for grid in grids:
        for row in grid.rows:
            for value in row:
                if text(value):
                    return f"“{text(value)[:30]}”"
    return "（空表）"


def _signers(filing: Filing, grid: Grid) -> None:
    """Fill the signature line (填表人：… 填报日期：… 联系电话：…) from the first one in ``grid``."""
    spec = vocabulary().signers
    if filing.signers.filler or filing.signers.phone:
        return
    for row in grid.rows:
        line = " ".join(dict.fromkeys(text(v) for v in row if text(v)))
        if spec["filler"] not in line:
            continue
        words = "|".join(map(re.escape, spec.values()))
        for name, word in spec.items():
            match = re.search(rf"{re.escape(word)}[^:：]*[:：]\s*(.*?)\s*(?=(?:{words})|$)", line)
            if match and match.group(1).strip():
                setattr(filing.signers, name, match.group(1).strip())
        return


def _identity(filing: Filing, grids: list[Grid]) -> None:
    """Fill the unit (the 1-2 部门名称, else a project's 实施单位) and the year (from a title)."""
    filing.unit = filing.t12.dept_name or next((p.implementer for p in filing.t13 if p.implementer), None)
    heads = [
        value for grid in grids for value in [*grid.title, *(text(v) for row in grid.rows[:4] for v in row)]
    ]
    years = [(not title_kind(v), int(m.group(1))) for v in heads if (m := _YEAR.search(v))]
    filing.year = min(years)[1] if years else None  # a title's year first, else one printed under it
