"""The one path every command and macro takes: load → score → check → result."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

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

    def to_json(self) -> str:
        """Return :meth:`to_dict` as indented JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"

    def write_json(self, path: Path) -> None:
        """Write the findings JSON to ``path`` atomically."""
        write_text_atomic(path, self.to_json())


def load(path: str | Path) -> tuple[Filing, list[Finding]]:
    """Return the filing in ``path`` (data file, or any format a plugin reads) and input findings.

    The file is inspected first (:func:`jixiao.safety.inspect`): an unusable or hostile file is
    refused with an InputError before any reader opens it; its file findings come first.
    """
    path = Path(path)
    checked = inspect(path)
    suffix = path.suffix.lower()
    if suffix in DATA_SUFFIXES:
        filing, findings = load_filing(path)
        return filing, [*checked.findings, *findings]
    from jixiao.plugins import registry

    reader = registry().readers.get(suffix)
    if reader is None:
        known = sorted({*DATA_SUFFIXES, *registry().readers})
        raise InputError(
            f"不支持的文件类型“{suffix or '（无扩展名）'}”（可用：{'、'.join(known)}）", place=str(path)
        )
    try:
        filing, findings = reader(path)
    except InputError as exc:
        if exc.place is None:  # every refusal names the file
            raise InputError(str(exc), place=str(path)) from None
        raise
    return filing, [*checked.findings, *findings]


def evaluate(filing: Filing, input_findings: list[Finding] | None = None, source: str = "") -> Result:
    """Return the scores and all findings of ``filing``."""
    scores = score_filing(filing)
    findings = [*(input_findings or []), *check_filing(filing, scores)]
    return Result(source, filing, scores, sort_findings(findings))


def run(path: str | Path) -> Result:
    """Return the result of loading, scoring and checking the file ``path``."""
    filing, findings = load(path)
    return evaluate(filing, findings, source=str(path))
