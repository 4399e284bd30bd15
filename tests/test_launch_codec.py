"""The launcher's JSON, written with CPython's C half of `json` (journal/launch.py).

`tandem` starts a handed-over command in a few milliseconds by not importing
`json` (which imports re and enum): what it sends must read back with `json`
exactly, and what it reads must be one JSON value or nothing.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal import launch

texts = st.text(alphabet=st.characters(codec=None, blacklist_categories=()), max_size=40)
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | texts,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


@given(values)
def test_what_the_launcher_writes_json_reads_back_the_same(value: object) -> None:
    assert json.loads(launch._dumps(value)) == value


@pytest.mark.parametrize(
    "text",
    ["surrogate \udcff escaped", 'quote " and \\ backslash', "tab\tnewline\n\x00nul", "é ✓ 🌱"],
)
def test_environment_text_of_any_kind_survives(text: str) -> None:
    message = {"env": {"NOTE": text}, "argv": ["list", text], "umask": 0o022}
    assert json.loads(launch._dumps(message)) == message


def test_answers_read_as_json_reads_them() -> None:
    assert launch._loads(b'{"ok": true, "pid": 41}') == {"ok": True, "pid": 41}
    assert launch._loads(b'{"exit": 3}\r') == {"exit": 3}
    assert launch._loads(b'{"fallback": "caf\\u00e9"}') == {"fallback": "café"}


@pytest.mark.parametrize(
    "line", [b"", b"{", b'{"exit": 1} trailing', b"NaN", b'{"a": "\xff"}', b"[1,]"]
)
def test_anything_else_is_refused(line: bytes) -> None:
    with pytest.raises(ValueError):
        launch._loads(line)


def test_what_cannot_be_sent_is_refused() -> None:
    with pytest.raises(TypeError):
        launch._dumps({"when": 1.5})
