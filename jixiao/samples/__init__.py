"""The bundled sample: 株洲市行业办公室's 2022 filing, transcribed with its errors as filed."""

from __future__ import annotations

from importlib import resources

from jixiao.datafile import filing_from_dict
from jixiao.findings import Finding
from jixiao.model import Filing

SAMPLE_NAME = "zhuzhou_2022.json"
SAMPLE_TITLE = "株洲市行业办公室 2022 年度"


def sample_text() -> str:
    """Return the sample data file as JSON text."""
    return resources.files(__name__).joinpath(SAMPLE_NAME).read_text(encoding="utf-8")


def load_sample() -> tuple[Filing, list[Finding]]:
    """Return the bundled sample filing and its input findings (none expected)."""
    import json
    from decimal import Decimal

    return filing_from_dict(json.loads(sample_text(), parse_float=Decimal), source=f"内置样例 {SAMPLE_NAME}")
