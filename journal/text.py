"""Showing user text safely on a terminal: one rule for the command line and the app.

No user text may act on the terminal: ESC sequences, other C0 and C1
controls, DEL and bidirectional overrides are written out visibly as `\\xNN`
or `\\uNNNN`, so the text can neither send escapes nor hide that it tried.

Also here: how wide text is in terminal cells (`display_width`, `clip`) and
how a count reads (`plural`), so that the app and the command line say the
same things the same way.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

_UNSAFE = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
"""C0 controls but tab and newline, DEL, C1 controls, and bidirectional overrides.

Compiled on first use (`re` keeps it), not on import: `tandem` starts faster.
"""


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """`text` with every control character a terminal would act on made visible.

    Newlines and tabs stay (a CR LF pair becomes a newline).
    """
    return re.sub(_UNSAFE, _visible, text.replace("\r\n", "\n"))


def safe_line(text: str) -> str:
    """`text` made safe on one line: newlines and tabs become spaces, nothing else moves.

    Unlike `one_line` it keeps every space, so a path or a title prints as it is.
    """
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return safe_text(text)


def one_line(text: str) -> str:
    """`text` made safe (see `safe_text`) and folded onto one line."""
    return " ".join(safe_text(text).split())


def json_text(value: Any) -> str:
    """`value` as indented JSON that keeps non-ASCII text readable and acts on no terminal.

    `json.dumps` escapes C0 controls itself; DEL, C1 controls and bidirectional
    overrides can only occur inside strings, so escaping them afterwards as
    `\\uNNNN` keeps the JSON valid.
    """
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    return re.sub(_UNSAFE, lambda match: f"\\u{ord(match.group()):04x}", text)


# --- width on a terminal ----------------------------------------------------------------


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """How many terminal cells `text` (already made safe) takes."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` terminal cells, ending in '…' where it was cut."""
    if display_width(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for char in text:
        cells = _char_width(char)
        if used + cells > width - 1:
            break
        out.append(char)
        used += cells
    return "".join(out) + "…"


# --- counts -------------------------------------------------------------------------------


def plural(count: int, singular: str, many: str | None = None) -> str:
    """A count and its noun: '1 entry', '2 entries', '3 new comments', '0 copies'.

    The last word takes the plural ('y' after a consonant becomes 'ies'), unless
    `many` gives the plural form.
    """
    if count == 1:
        return f"{count} {singular}"
    return f"{count} {plural_form(singular) if many is None else many}"


def plural_form(singular: str) -> str:
    """A noun's plural: the last word takes an 's' ('y' after a consonant becomes 'ies')."""
    ends_in_y = singular.endswith("y") and singular[-2:-1] not in ("a", "e", "o", "u", "")
    return singular[:-1] + "ies" if ends_in_y else singular + "s"
