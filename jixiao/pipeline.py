"""The one path every command and macro takes: load → score → check → result."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jixiao.checks import check_filing
from jixiao.datafile import load_filing
from jixiao.errors import InputError
from jixiao.fileio import write_text_atomic
from jixiao.findings import Finding, sort_findings, summarize
from jixiao.model import Filing
from jixiao.safety import inspect
from jixiao.scoring import FilingScore, score_filing

DATA_SUFFIXES = (".json",)


@dataclass
class Loaded:
    """What a reader loaded: the filing, the findings of reading it, and the opened file.

    ``book`` is the reader's own handle on the file (an openpyxl workbook, say), handed to a writer
    of the same layer so that the file is not opened twice; None when there is nothing to keep.
    """

    filing: Filing
    findings: list[Finding]
    book: Any = None


Reader = Callable[[Path], Loaded]


def read_data_file(path: Path) -> Loaded:
    """Return the filing of the jixiao data file ``path``."""
    filing, findings = load_filing(path)
    return Loaded(filing, findings)


DATA_READERS: Mapping[str, Reader] = {suffix: read_data_file for suffix in DATA_SUFFIXES}


@dataclass
class Result:
    """A scored and checked filing."""

    source: str
    filing: Filing
    scores: FilingScore
    findings: list[Finding]

    @property
    def summary(self) -> dict[str, int]:
        """Return the counts of errors, warnings and infos."""
        return summarize(self.findings)

    @property
    def has_errors(self) -> bool:
        """Return True when any finding is an error."""
        return any(f.severity == "error" for f in self.findings)

    def to_dict(self) -> dict[str, object]:
        """Return the result in the DESIGN.md findings JSON format."""
        places = self.filing.policy.score_places
        return {
            "file": self.source,
            "findings": [f.to_dict() for f in self.findings],
            "scores": [t.to_dict(places) for t in self.scores.tables()],
            "summary": self.summary,
        }

    def to_json(self, ascii_only: bool = False) -> str:
        """Return :meth:`to_dict` as indented JSON (``ascii_only``: other characters \\u-escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=ascii_only, indent=1) + "\n"

    def write_json(self, path: Path) -> None:
        """Write the findings JSON to ``path`` atomically."""
        write_text_atomic(path, self.to_json())


def load(path: str | Path, readers: Mapping[str, Reader] = DATA_READERS) -> Loaded:
    """Return what the reader for ``path``'s suffix (one of ``readers``) loaded, file findings first.

    The file is inspected first (:func:`jixiao.safety.inspect`): an unusable or hostile file is
    refused with an InputError before any reader opens it.
    """
    path = Path(path)
    checked = inspect(path)
    suffix = path.suffix.lower()
    reader = readers.get(suffix)
    if reader is None:
        raise InputError(
            f"不支持的文件类型“{suffix or '（无扩展名）'}”（可用：{'、'.join(sorted(readers))}）",
            place=str(path),
        )
    try:
        loaded = reader(path)
    except InputError as exc:
        if exc.place is None:  # every refusal names the file
            raise InputError(str(exc), place=str(path)) from None
        raise
    loaded.findings = [*checked.findings, *loaded.findings]
    return loaded


def evaluate(filing: Filing, input_findings: list[Finding] | None = None, source: str = "") -> Result:
    """Return the scores and all findings of ``filing``."""
    scores = score_filing(filing)
    findings = [*(input_findings or []), *check_filing(filing, scores)]
    return Result(source, filing, scores, sort_findings(findings))


def run(path: str | Path, readers: Mapping[str, Reader] = DATA_READERS) -> Result:
    """Return the result of loading ``path`` with ``readers``, scoring and checking it."""
    loaded = load(path, readers)
    return evaluate(loaded.filing, loaded.findings, source=str(path))
