"""Searching a section of older entries without parsing all of it.

Tandem writes a section one entry per line (docs/FORMAT.md, "Payload"):

    {
    "<id>":{...},
    "<id>":{...}
    }

which is still one JSON object. A search for a word then looks for it in
the section's text and parses only the lines that hold it: at 10,000 entries
that is a hundred entries parsed and checked instead of ten thousand. What it
finds is checked as a full read would check it (`journal.validate`), and the
search's own test (`Journal.entry_docs`) decides afterwards; this only must
never leave out an entry the search would find. So it answers None (read
the whole section) whenever it cannot be sure:

- the words hold white space, quotes, backslashes or control characters
  (they could span two fields, or be written escaped);
- the section's description does not say it was written so (``"lines":
  true``: one entry per line, only control characters escaped), or it is
  not laid out so after all;
- a line that holds the words is not one whole entry, or repeats an id.

Matching ignores case as `str.casefold` does: ASCII text is lowered as bytes,
other text decoded and folded (line by line where folding changes its length,
as ``ß`` -> ``ss`` does).
"""

from __future__ import annotations

from typing import Any, TypeVar

import orjson

__all__ = ["dump_lines", "lines_holding", "member_lines", "parse_members", "searchable"]

Text = TypeVar("Text", str, bytes)


def searchable(needle: str) -> bool:
    """Whether the folded search words `needle` can be looked for in a section's lines."""
    return bool(needle) and not any(
        char.isspace() or char in '"\\' or not char.isprintable() for char in needle
    )


def dump_lines(members: list[tuple[str, bytes]]) -> bytes:
    """A section's JSON object from (id, the record as JSON) pairs, one entry per line."""
    return b"{\n" + b",\n".join(orjson.dumps(key) + b":" + doc for key, doc in members) + b"\n}"


def lines_holding(plain: bytes, needle: str) -> dict[str, dict[str, Any]] | None:
    """The entries of section text `plain` whose line holds `needle` (folded), parsed.

    None when the section cannot be searched this way (see the module). The
    entries are not yet checked (`journal.validate.check_records`).
    """
    return parse_members(member_lines(plain, needle))


def member_lines(plain: bytes, needle: str) -> list[bytes] | None:
    """The lines of section text `plain` whose folded text holds `needle`, as stored (None:
    the section cannot be searched so). `parse_members` reads them."""
    if not (plain.startswith(b"{\n") and plain.endswith(b"\n}")):
        return None
    if plain.isascii():
        if not needle.isascii():
            return []  # ASCII folds to ASCII
        return _holding(plain, plain.lower(), needle.encode("ascii"), b"\n")
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError:
        return None
    folded = text.casefold()
    if len(folded) == len(text):  # each character folds to one: the offsets agree
        found = _holding(text, folded, needle, "\n")
        return None if found is None else [line.encode("utf-8") for line in found]
    lines = text.split("\n")[1:-1]
    return [line.encode("utf-8") for line in lines if needle in line.casefold()]


def parse_members(lines: list[bytes] | None) -> dict[str, dict[str, Any]] | None:
    """The entries of `member_lines` by id; None when one is not a whole entry, or an id
    comes twice (or `lines` is None)."""
    if lines is None:
        return None
    found: dict[str, dict[str, Any]] = {}
    for line in lines:
        member = _member(line[:-1] if line.endswith(b",") else line)
        if member is None or member[0] in found:
            return None
        found[member[0]] = member[1]
    return found


def _holding(text: Text, folded: Text, needle: Text, newline: Text) -> list[Text] | None:
    """The lines of `text` where `folded` (of the same length) holds `needle`; None when one
    is the first or last line (a brace, not a member)."""
    lines = []
    position = folded.find(needle)
    while position >= 0:
        start = text.rfind(newline, 0, position) + 1
        end = text.find(newline, position)
        if end < 0 or start == 0:
            return None
        lines.append(text[start:end])
        position = folded.find(needle, end)
    return lines


def _member(line: bytes) -> tuple[str, dict[str, Any]] | None:
    """The one id and record of a member line ``"<id>":{...}``, or None."""
    try:
        parsed = orjson.loads(b"{" + line + b"}")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(parsed, dict) or len(parsed) != 1:
        return None
    ((key, record),) = parsed.items()
    return key, record
