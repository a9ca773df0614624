"""The indicator vocabulary (``data/taxonomy.toml``) and parser words (``data/vocabulary.toml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jixiao.resources import load_data


@dataclass(frozen=True)
class Level2:
    """An allowed 二级 label, its 一级 and the direction a target takes without an operator."""

    name: str
    level1: str
    direction: str


@dataclass(frozen=True)
class Taxonomy:
    """The allowed 一级 and 二级 labels with their aliases, and the 产出 dimensions."""

    level1_names: tuple[str, ...]
    required_level1: tuple[str, ...]
    level2: dict[str, Level2]
    level1_alias: dict[str, str]
    level2_alias: dict[str, str]
    output_dimensions: tuple[str, ...]

    def canonical_level1(self, label: str | None) -> str | None:
        """Return the official 一级 name for ``label`` (alias or '(50分)' suffix allowed), or None."""
        return _canonical(label, self.level1_alias)

    def level1_of(self, level1: str | None, level2: str | None) -> str | None:
        """Return the official 一级 of a row: its own label, or when blank the parent of its 二级."""
        if level1 and level1.strip():
            return self.canonical_level1(level1)
        known = self.level2.get(self.canonical_level2(level2) or "")
        return known.level1 if known else None

    def canonical_level2(self, label: str | None) -> str | None:
        """Return the official 二级 name for ``label``, or None when it is not in the vocabulary."""
        return _canonical(label, self.level2_alias)

    def level2_names(self, level1: str) -> list[str]:
        """Return the 二级 names allowed under ``level1``."""
        return [lv.name for lv in self.level2.values() if lv.level1 == level1]


def _canonical(label: str | None, aliases: dict[str, str]) -> str | None:
    """Return the name ``label`` means: an alias, else the one name whose alias it contains.

    Printed labels carry extra words and OCR damage ('项目产出', '顼目产出(30分)', '服务对象满意度指标等');
    a label holding the aliases of two names ('产出效益') means neither.
    """
    if not label:
        return None
    text = strip_label(label)
    if text in aliases:
        return aliases[text]
    found = {name for alias, name in aliases.items() if len(alias) >= 2 and alias in text}
    return found.pop() if len(found) == 1 else None


def strip_label(label: str) -> str:
    """Return a label without spaces, full-width forms and a trailing weight such as '(50分)'."""
    import re
    import unicodedata

    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", label))
    return re.sub(r"\(\d+(?:\.\d+)?分?\)$", "", text)


@cache
def taxonomy() -> Taxonomy:
    """Return the bundled taxonomy."""
    data = load_data("taxonomy.toml")
    level2: dict[str, Level2] = {}
    l1_alias: dict[str, str] = {}
    l2_alias: dict[str, str] = {}
    names, required, output = [], [], []
    for block in data["level1"]:
        names.append(block["name"])
        if not block.get("optional"):
            required.append(block["name"])
        for alias in [block["name"], *block.get("aliases", [])]:
            l1_alias[alias] = block["name"]
        for child in block["level2"]:
            level2[child["name"]] = Level2(child["name"], block["name"], child["direction"])
            if block.get("output"):
                output.append(child["name"])
            for alias in [child["name"], *child.get("aliases", [])]:
                l2_alias.setdefault(alias, child["name"])
    return Taxonomy(tuple(names), tuple(required), level2, l1_alias, l2_alias, tuple(output))


@cache
def target_vocabulary() -> dict:
    """Return the words the target and value parser knows (``data/vocabulary.toml``)."""
    return load_data("vocabulary.toml")
