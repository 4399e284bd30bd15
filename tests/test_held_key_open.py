"""Opening with a key the agent holds (docs/FORMAT.md, step 4).

Nothing is derived, so a wrong key cannot be mistaken for damage. Format 4:
the checksum (of the header and the frame table) and the head's hash are
checked at once, a section's hash when it is read. Whatever is damaged, the
words are those a passphrase open gives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.errors import DamagedFile, TandemError
from journal.journal import Journal
from journal.keys import KekStore, open_and_hold, open_held
from tests.conftest import PASSPHRASE, MakeJournal


@pytest.fixture
def held(make_journal: MakeJournal) -> tuple[Path, KekStore]:
    journal, _code = make_journal()
    for n in range(5):
        journal.add_entry("checkin", f"Day {n}", "a calm morning")
    journal.save()
    store = KekStore(timeout=None)
    open_and_hold(journal.path, PASSPHRASE, store)
    return journal.path, store


def _flip(path: Path, where: float | int) -> bytes:
    data = bytearray(path.read_bytes())
    at = where if isinstance(where, int) else int(len(data) * where)
    data[at] ^= 0x01
    return bytes(data)


def _error(open_it: object) -> str:
    with pytest.raises(TandemError) as caught:
        assert callable(open_it)
        open_it()
    assert isinstance(caught.value, DamagedFile)
    return str(caught.value)


@pytest.mark.parametrize(
    ("where", "why"),
    [
        (20, "checksum does not match"),
        (0.5, "a part's hash does not match"),
        (-40, "a part's hash does not match"),
        (-1, "checksum does not match"),
    ],
    ids=["header", "head", "head-end", "checksum"],
)
def test_damage_reads_the_same_with_a_held_key(
    held: tuple[Path, KekStore], where: int | float, why: str
) -> None:
    path, store = held
    path.write_bytes(_flip(path, where))
    with_key = _error(lambda: open_held(path, store))
    with_passphrase = _error(lambda: Journal.open(path, PASSPHRASE))
    assert with_key == with_passphrase
    assert why in with_key
