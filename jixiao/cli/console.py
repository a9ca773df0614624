"""The console as the user's terminal or file has it: GBK on a Chinese Windows (also ``> 结果.txt``),
UTF-8 elsewhere.

``prepare()`` makes stdout and stderr print every character they can and a readable stand-in for
the few they cannot (✗ → ×, ⚠ → !, − → -), never a UnicodeEncodeError. ``unicode_ok()`` tells a
JSON writer whether it may print characters as they are or must escape them (\\uXXXX stays valid JSON).
"""

from __future__ import annotations

import codecs
import sys
import unicodedata

_HANDLER = "jixiao-console"
_STAND_INS = {"✗": "×", "✓": "√", "✔": "√", "⚠": "!", "ℹ": "i", "−": "-", "■": "#", "█": "#", "░": "."}


def _stand_in(error: UnicodeError) -> tuple[str, int]:
    """Return a stand-in for the characters an encoding cannot print: a known one, its NFKC form, or '?'."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    out = []
    for char in text:
        replacement = _STAND_INS.get(char) or unicodedata.normalize("NFKC", char)
        try:
            replacement.encode(error.encoding)
        except (UnicodeEncodeError, LookupError):
            replacement = "?"
        out.append(replacement)
    return "".join(out), error.end


def prepare() -> None:
    """Make stdout and stderr print stand-ins instead of failing on characters their encoding lacks."""
    try:
        codecs.lookup_error(_HANDLER)
    except LookupError:
        codecs.register_error(_HANDLER, _stand_in)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) == "strict":
            reconfigure(errors=_HANDLER)


def unicode_ok(stream=None) -> bool:
    """Return True when ``stream`` (stdout) can print any character (a UTF encoding)."""
    encoding = (getattr(stream or sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return encoding.startswith("utf")
