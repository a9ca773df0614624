"""Per-rule cases as data: ``tests/rules/<RULE-ID>.toml`` each hold ``[[fire]]`` and ``[[silent]]`` cases.

A case changes the clean base filing ``base.json`` (which raises no finding) and says whether the
rule fires. Its ``kind`` says what is changed:

- ``filing`` (default): the data file. ``set`` {path = value}, ``add`` {path = amount added},
  ``unset`` [paths set empty], ``remove`` [list items removed], ``append`` {list path = [items]}.
  Paths read ``t13[0].indicators[2].actual``; values are as a data file holds them (text).
- ``workbook``: the prepared workbook built from the base; ``cells`` {"JX_NAME" or "表名!A1" = value},
  ``delete_names`` [defined names removed]. Read by the workbook reader.
- ``file``: that workbook saved, then ``parts`` {zip member = text} added and ``beside`` [file names]
  created next to it; the file inspection (jixiao.safety) looks at it before it is read.
- ``report``: ``text``, a hand-written 自评报告 checked against the (patched) base filing.
- ``table``: ``rows``, a table jixiao did not build (rows of cells), saved as a CSV and checked as
  ``jixiao check`` does (jixiao.importers reads it by its header rows).

``raises`` (optional, fire cases) is the exact set of rule IDs the case raises; ``cell`` (optional,
workbook fire cases) the printed cell ("表名!A1") the rule's finding points at. A fire case whose
patch uses only ``add``/``append``/``remove``/text ``set`` and sets ``bench = true`` also applies
to any clean filing: bench/generate.py injects those (see ``bench_cases``).
"""

from __future__ import annotations

import copy
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
KINDS = ("filing", "workbook", "file", "report", "table")
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class Case:
    """One case of one rule: whether it fires, what it changes, and the rules it raises."""

    rule: str
    fires: bool
    title: str
    kind: str
    number: int
    spec: dict[str, Any] = field(hash=False)

    @property
    def raises(self) -> set[str] | None:
        """Return the exact set of rule IDs the case raises, when the case names it."""
        return set(self.spec["raises"]) if "raises" in self.spec else None

    @property
    def id(self) -> str:
        """Return a test ID such as ``T11-SUM-CAR:fire:1``."""
        return f"{self.rule}:{'fire' if self.fires else 'silent'}:{self.number}"


def load_cases(folder: Path = HERE) -> list[Case]:
    """Return every case of every ``<RULE-ID>.toml`` in ``folder``."""
    cases = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for key, fires in (("fire", True), ("silent", False)):
            for number, spec in enumerate(data.get(key, []), start=1):
                kind = spec.get("kind", "filing")
                if kind not in KINDS:
                    raise ValueError(f"{path.name}: unknown kind {kind!r}")
                cases.append(Case(path.stem, fires, spec["case"], kind, number, spec))
    return cases


def base_data() -> dict[str, Any]:
    """Return the clean base filing as data-file JSON."""
    return json.loads((HERE / "base.json").read_text(encoding="utf-8"), parse_float=Decimal)


def _steps(path: str) -> list[str | int]:
    return [name if name else int(index) for name, index in _STEP.findall(path)]


def _parent(data: Any, path: str) -> tuple[Any, str | int]:
    steps = _steps(path)
    node = data
    for step in steps[:-1]:
        node = node[step]
    return node, steps[-1]


def patch(data: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of data-file JSON ``data`` with the case's changes applied."""
    data = copy.deepcopy(data)
    for path, value in spec.get("set", {}).items():
        node, key = _parent(data, path)
        node[key] = value
    for path, amount in spec.get("add", {}).items():
        node, key = _parent(data, path)
        node[key] = str(Decimal(str(node[key])) + Decimal(str(amount)))
    for path in spec.get("unset", []):
        node, key = _parent(data, path)
        node[key] = None
    for path in sorted(spec.get("remove", []), key=lambda p: _steps(p)[-1], reverse=True):
        node, key = _parent(data, path)
        del node[key]
    for path, items in spec.get("append", {}).items():
        node, key = _parent(data, path)
        node[key] = [*(node.get(key) or []), *copy.deepcopy(items)]
    return data


def case_findings(case: Case, tmp: Path) -> list[Any]:
    """Return the findings the case raises."""
    from jixiao.datafile import filing_from_dict
    from jixiao.pipeline import evaluate

    if case.kind == "table":
        import csv

        from jixiao.api import check

        path = tmp / "表.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(case.spec["rows"])
        return list(check(path).findings)
    filing, findings = filing_from_dict(patch(base_data(), case.spec))
    if case.kind == "filing":
        return list(evaluate(filing, findings).findings)
    if case.kind == "report":
        from jixiao.checks import check_report
        from jixiao.scoring import score_filing

        report = tmp / "自评报告.txt"
        report.write_text(case.spec["text"], encoding="utf-8")
        return list(check_report(report, filing, score_filing(filing)))
    return _run_workbook(case, filing, tmp)


def _run_workbook(case: Case, filing: Any, tmp: Path) -> list[Any]:
    from jixiao.pipeline import evaluate
    from jixiao.safety import inspect
    from jixiao.workbook.builder import build_workbook
    from jixiao.workbook.reader import WorkbookReader, open_workbook

    wb = build_workbook(filing)
    for ref, value in case.spec.get("cells", {}).items():
        if "!" in ref:
            sheet, cell = ref.split("!")
            wb[sheet][cell] = value
        else:
            sheet, cell = next(iter(wb.defined_names[ref].destinations))
            wb[sheet][cell.replace("$", "").split(":")[0]] = value
    for name in case.spec.get("delete_names", []):
        del wb.defined_names[name]
    path = tmp / "自评.xlsx"
    wb.save(path)
    if case.spec.get("parts"):
        with zipfile.ZipFile(path, "a") as archive:
            for member, text in case.spec["parts"].items():
                archive.writestr(member, text)
    for name in case.spec.get("beside", []):
        (tmp / name).write_bytes(b"\0")
    checked = inspect(path)
    read, findings = WorkbookReader(open_workbook(path)).read()
    return list(evaluate(read, [*checked.findings, *findings]).findings)


def bench_cases() -> list[Case]:
    """Return the fire cases marked ``bench = true`` (they apply to any clean filing)."""
    return [c for c in load_cases() if c.fires and c.spec.get("bench")]
