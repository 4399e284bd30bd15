"""Safe text, widths and counts (journal/text.py): one rule for the command line and the app."""

from __future__ import annotations

import json

import pytest

from journal.text import clip, display_width, json_text, one_line, plural, safe_line, safe_text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\tb\nc\r\nd", "a\tb\nc\nd"),
        ("\x1b[1m\x07\x7f\x85\u202e", "\\x1b[1m\\x07\\x7f\\x85\\u202e"),
        ("Zoë 👋 日本", "Zoë 👋 日本"),
    ],
)
def test_controls_are_made_visible(text: str, shown: str) -> None:
    assert safe_text(text) == shown


def test_one_line_keeps_spaces_but_one_line_folds_them() -> None:
    assert safe_line("one\ntwo\tthree\rfour") == "one two three\\x0dfour"
    assert safe_line("a  b.tandem ") == "a  b.tandem "
    assert one_line("  a  b\n c ") == "a b c"


def test_json_text_is_valid_json_that_cannot_drive_a_terminal() -> None:
    value = {"title": "\x1b[2J\x7f\x9b\u202eZoë", "n": [1, 2]}
    text = json_text(value)
    assert json.loads(text) == value
    assert not any(c in text for c in "\x1b\x7f\x9b\u202e")
    assert "Zoë" in text and "\\u007f" in text and "\\u202e" in text


def test_width_counts_terminal_cells() -> None:
    assert display_width("abc") == 3
    assert display_width("日本") == 4
    assert display_width("e\u0301") == 1
    assert clip("abcdef", 4) == "abc…"
    assert clip("日本語", 4) == "日…"
    assert clip("abc", 3) == "abc"


@pytest.mark.parametrize(
    ("count", "singular", "many", "expected"),
    [
        (1, "entry", None, "1 entry"),
        (2, "entry", None, "2 entries"),
        (0, "copy", None, "0 copies"),
        (3, "day", None, "3 days"),
        (2, "new comment", None, "2 new comments"),
        (2, "merged copy", None, "2 merged copies"),
        (
            2,
            "new passphrase or invitation",
            "new passphrases or invitations",
            "2 new passphrases or invitations",
        ),
        (1, "goal move", "goal moves", "1 goal move"),
    ],
)
def test_plural(count: int, singular: str, many: str | None, expected: str) -> None:
    assert plural(count, singular, many) == expected
