"""Held key-encryption keys (journal/keys.py) and the order in which `unlock` tries slots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import journal.fileformat as fileformat
from journal.crypto import KdfParams, default_kdf_params
from journal.errors import DamagedFile, WrongPassphrase
from journal.fileformat import read_container, unlock
from journal.journal import Journal
from journal.keys import (
    KekFinder,
    KekStore,
    NotHeld,
    hold_keys,
    open_and_hold,
    open_held,
    wipe,
)
from tests.conftest import PASSPHRASE

MakeJournal = Callable[..., tuple[Journal, str]]
PARAMS = KdfParams(salt=b"s" * 16, memory_kib=8, iterations=1, lanes=1)
OTHER_PARAMS = KdfParams(salt=b"t" * 16, memory_kib=8, iterations=1, lanes=1)
JOURNAL_ID = "a" * 32


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- the store ------------------------------------------------------------------------


def test_the_store_holds_a_key_by_journal_and_parameters() -> None:
    store = KekStore()
    store.put(JOURNAL_ID, PARAMS, b"k" * 32)
    assert store.get(JOURNAL_ID, PARAMS) == b"k" * 32
    assert store.get(JOURNAL_ID, OTHER_PARAMS) is None
    assert store.get("b" * 32, PARAMS) is None
    assert store.journal_ids() == {JOURNAL_ID}


def test_a_key_is_forgotten_after_the_timeout_without_use() -> None:
    clock = Clock()
    store = KekStore(timeout=900, clock=clock)
    store.put(JOURNAL_ID, PARAMS, b"k" * 32)
    clock.now += 600
    assert store.get(JOURNAL_ID, PARAMS) == b"k" * 32  # use starts the idle time again
    clock.now += 899
    assert store.get(JOURNAL_ID, PARAMS) == b"k" * 32
    clock.now += 900
    assert store.expire() == 1
    assert store.get(JOURNAL_ID, PARAMS) is None
    assert len(store) == 0


def test_forgetting_zeroes_the_buffer() -> None:
    store = KekStore()
    store.put(JOURNAL_ID, PARAMS, b"k" * 32)
    store.put("b" * 32, PARAMS, b"m" * 32)
    buffers = [held.buffer for held in store._held.values()]
    assert store.forget([JOURNAL_ID]) == 1
    assert store.journal_ids() == {"b" * 32}
    assert buffers[0] == bytearray(32)  # zeroed in place
    assert store.forget() == 1
    assert buffers[1] == bytearray(32)


def test_wipe_zeroes_in_place() -> None:
    buffer = bytearray(b"secret key bytes")
    wipe(buffer)
    assert buffer == bytearray(len(b"secret key bytes"))


# --- opening with held keys -----------------------------------------------------------


def test_a_held_key_opens_without_a_derivation(
    make_journal: MakeJournal, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal, _code = make_journal()
    store = KekStore()
    opened = open_and_hold(journal.path, PASSPHRASE, store)
    assert opened.title == "Sam's journal"
    assert store.journal_ids() == {journal.journal_id}

    def no_derivation(*args: object) -> bytes:
        raise AssertionError("derived a key")

    monkeypatch.setattr(fileformat, "derive_kek", no_derivation)
    monkeypatch.setattr("journal.keys.derive_kek", no_derivation)
    again = open_held(journal.path, store)
    assert again.me.name == "Ana Rivera"


def test_nothing_held_means_not_held(make_journal: MakeJournal) -> None:
    journal, _code = make_journal()
    with pytest.raises(NotHeld):
        open_held(journal.path, KekStore())


def test_a_key_that_no_longer_opens_is_forgotten(make_journal: MakeJournal) -> None:
    journal, _code = make_journal()
    store = KekStore()
    open_and_hold(journal.path, PASSPHRASE, store)
    [(journal_id, params)] = list(store._held)
    store.put(journal_id, params, b"x" * 32)  # as if the passphrase had changed
    with pytest.raises(NotHeld):
        open_held(journal.path, store)
    assert len(store) == 0


def test_a_recovery_code_is_never_held(make_journal: MakeJournal) -> None:
    journal, code = make_journal()
    store = KekStore()
    opened = open_and_hold(journal.path, code, store)
    assert opened.opened_with == "recovery"
    assert len(store) == 0


def test_one_passphrase_is_tried_on_every_journal(make_journal: MakeJournal) -> None:
    first, _code = make_journal("first.tandem")
    second, _code = make_journal("second.tandem")
    other, _code = make_journal("other.tandem", passphrase="another long passphrase here")
    broken = first.path.parent / "broken.tandem"
    broken.write_bytes(first.path.read_bytes()[:100])
    store = KekStore()
    paths = [first.path, second.path, other.path, broken]
    found = hold_keys(paths, PASSPHRASE, store)
    assert {path.name: state for path, (state, _why) in found.items()} == {
        "first.tandem": "held",
        "second.tandem": "held",
        "other.tandem": "wrong_passphrase",
        "broken.tandem": "damaged",
    }
    assert store.journal_ids() == {first.journal_id, second.journal_id}
    again = hold_keys(paths, None, store)
    assert [state for state, _why in again.values()] == ["already", "already", "locked", "damaged"]


def test_a_damaged_file_is_damaged_before_any_key(make_journal: MakeJournal) -> None:
    journal, _code = make_journal()
    journal.path.write_bytes(journal.path.read_bytes()[:-10])
    with pytest.raises(DamagedFile):
        open_held(journal.path, KekStore())


# --- which slots unlock tries first ---------------------------------------------------


def test_a_passphrase_of_25_letters_without_u_derives_once(make_journal: MakeJournal) -> None:
    """It reads as a recovery code without dashes; the passphrase slots come first."""
    secret = "correct horse battery staple"  # 25 letters, no U: shaped like a code
    assert fileformat.normalize_code(secret) is not None
    journal, _code = make_journal(passphrase=secret)
    finder = KekFinder()  # derives as `unlock` does, and keeps what it derived
    unlocked = unlock(read_container(journal.path).header, secret, kek_source=finder)
    assert unlocked.slot.kind == "passphrase"
    assert len(finder.derived) == 1


def test_a_code_with_its_dashes_tries_the_code_slots_first(make_journal: MakeJournal) -> None:
    journal, code = make_journal()
    finder = KekFinder()
    unlocked = unlock(read_container(journal.path).header, code.lower(), kek_source=finder)
    assert unlocked.slot.kind == "recovery"
    assert len(finder.derived) == 1


def test_a_code_typed_without_dashes_still_opens(make_journal: MakeJournal) -> None:
    journal, code = make_journal()
    finder = KekFinder()
    unlocked = unlock(
        read_container(journal.path).header, code.replace("-", " "), kek_source=finder
    )
    assert unlocked.slot.kind == "recovery"
    assert len(finder.derived) == 2  # the passphrase slots first, then the code's


def test_kek_finder_without_a_holder_or_secret_skips_every_group(
    make_journal: MakeJournal,
) -> None:
    journal, _code = make_journal()
    with pytest.raises(WrongPassphrase):
        unlock(read_container(journal.path).header, "", kek_source=KekFinder())


def test_default_parameters_are_what_slots_are_keyed_by(tmp_path: Path) -> None:
    params = default_kdf_params(salt=b"x" * 16)
    store = KekStore()
    store.put(JOURNAL_ID, params, b"k" * 32)
    same = KdfParams.from_json(params.to_json())
    assert store.get(JOURNAL_ID, same) == b"k" * 32
