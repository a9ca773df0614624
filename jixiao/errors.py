"""The one exception family of jixiao. Every message is Chinese and names the place."""

from __future__ import annotations


class JixiaoError(Exception):
    """Base of every error jixiao raises on purpose; the CLI turns it into exit 2."""


class InputError(JixiaoError):
    """Raised when an input file or value cannot be used at all (not when it merely has findings)."""

    def __init__(self, message: str, *, place: str | None = None) -> None:
        self.place, self.reason = place, message
        super().__init__(f"{place}：{message}" if place else message)


class PolicyError(JixiaoError):
    """Raised when a scoring-policy setting is unknown or out of range."""


class OutputError(JixiaoError):
    """Raised when an output file cannot be written."""
