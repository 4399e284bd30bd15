"""Opening with a key the agent holds checks the checksum last (docs/FORMAT.md, step 4).

Nothing is derived, so a wrong key cannot be mistaken for damage; decrypting
authenticates every byte but the checksum's. Whatever is damaged, the words
are those a passphrase open gives, and `tandem verify` still checks the sum.
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


@pytest.mark.parametrize("where", [20, 0.5, -40], ids=["header", "payload", "payload-end"])
def test_damage_reads_the_same_with_a_held_key(
    held: tuple[Path, KekStore], where: int | float
) -> None:
    path, store = held
    path.write_bytes(_flip(path, where))
    with_key = _error(lambda: open_held(path, store))
    with_passphrase = _error(lambda: Journal.open(path, PASSPHRASE))
    assert with_key == with_passphrase
    assert "checksum does not match" in with_key


def test_a_held_key_opens_without_reading_the_checksum_first(
    held: tuple[Path, KekStore],
) -> None:
    path, store = held
    path.write_bytes(_flip(path, -1))  # only the checksum's own last byte
    assert open_held(path, store).entries(limit=1)  # every other byte is authenticated
    assert "checksum does not match" in _error(lambda: Journal.open(path, PASSPHRASE))
