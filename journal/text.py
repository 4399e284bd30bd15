"""Showing user text safely on a terminal: one rule for the command line and the app.

No user text may act on the terminal: ESC sequences, other C0 and C1
controls, DEL and bidirectional overrides are written out visibly as `\\xNN`
or `\\uNNNN`, so the text can neither send escapes nor hide that it tried.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and newline, DEL, C1 controls, and bidirectional overrides."""


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """`text` with every control character a terminal would act on made visible.

    Newlines and tabs stay (a CR LF pair becomes a newline).
    """
    return _UNSAFE.sub(_visible, text.replace("\r\n", "\n"))


def one_line(text: str) -> str:
    """`text` made safe (see `safe_text`) and folded onto one line."""
    return " ".join(safe_text(text).split())
