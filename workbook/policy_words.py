"""The words of 基本信息's settings and the IDs of its （续） rows: shared by the builder and the reader
(here, apart from sheet_info.py, so that the reader imports nothing of the builder or openpyxl)."""

from __future__ import annotations

from jixiao.workbook.layout import layout


def continuation_id(ident: str) -> str:
    """Return the ID of the （续） rows that continue the prose field ``ident``."""
    return f"{ident}_MORE"


def policy_words(key: str) -> dict[str, str]:
    """Return the Chinese words of the setting ``key`` mapped to its stored keys ({} for a number)."""
    return dict(layout()["info"]["policy"].get("choices", {}).get(key, {}))


def policy_key(key: str, typed: str) -> str:
    """Return the stored key of what was typed for ``key``: its Chinese word's key, or ``typed``."""
    return policy_words(key).get(typed.strip(), typed)


def policy_shown(key: str, stored: str) -> str:
    """Return the word 基本信息 shows for the stored value ``stored`` of ``key``."""
    return next((word for word, value in policy_words(key).items() if value == stored), stored)
