"""The 公开版: the same report without phone numbers, ID numbers and the signers' names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from jixiao.model import Filing
from jixiao.resources import load_data


@cache
def _rules() -> tuple[str, tuple[re.Pattern[str], ...]]:
    data = load_data("redaction.toml", "jixiao.report")
    return data["replacement"], tuple(re.compile(p["regex"]) for p in data["pattern"])


@dataclass(frozen=True)
class Redactor:
    """Removes personal data from texts: the patterns of ``data/redaction.toml`` and given names."""

    names: tuple[str, ...] = ()

    def __call__(self, text: str) -> str:
        """Return ``text`` with phone and ID numbers and the names replaced."""
        if not text:
            return text
        replacement, patterns = _rules()
        for pattern in patterns:
            text = pattern.sub(replacement, text)
        for name in self.names:
            text = text.replace(name, replacement)
        return text


def redactor_for(filing: Filing) -> Redactor:
    """Return the redactor of ``filing``: its 填表人 and 单位负责人 names plus the patterns."""
    names = []
    for raw in (filing.signers.filler, filing.signers.head):
        for name in re.split(r"[、，,；;/\s]+", raw or ""):
            if len(name.strip()) >= 2:
                names.append(name.strip())
    return Redactor(tuple(sorted(set(names), key=len, reverse=True)))
