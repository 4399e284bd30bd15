"""Format 4 (docs/FORMAT.md): the frame table, frames encrypted one by one, saves that copy.

A reader holding the key reads the header, the table and the head only, and a
section when it needs it; a save copies the sections it did not change from the
file it read. Damage, forgeries and files changed underneath are refused with
one line each, and nothing is written over the journal.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import itertools
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import journal.fileformat as fileformat
import journal.frames as frames
import journal.ondisk as ondisk
from journal.errors import DamagedFile, NotATandemFile, TandemError
from journal.fileformat import (
    FORMAT_VERSION,
    HEAD_ENTRIES,
    MAGIC,
    open_payload,
    parse_container,
    read_container,
    unlock,
)
from journal.frames import CHECKSUM_SIZE, ROW_SIZE
from journal.journal import Journal
from journal.keys import KekStore, open_and_hold, open_held
from journal.model import Entry
from tests.conftest import PASSPHRASE

OLDER = HEAD_ENTRIES + 1_150  # the head and two sections after a full save


@pytest.fixture(scope="module")
def sectioned(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a saved journal with a head and two sections, made once."""
    folder = tmp_path_factory.mktemp("sectioned")
    journal, _code = Journal.create(
        folder / "family.tandem", title="Sam", name="Ana", role="parent", passphrase=PASSPHRASE
    )
    for n in range(OLDER):
        journal.add_entry("checkin", f"Day {n}", f"Slept well, n={n}", occurred_at=_day(n))
    journal.save()
    return (folder / "family.tandem").read_bytes()


def _day(n: int) -> str:
    return f"{2020 + n // 336}-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}T08:00"


@pytest.fixture
def family(tmp_path: Path, sectioned: bytes) -> Path:
    path = tmp_path / "family.tandem"
    path.write_bytes(sectioned)
    return path


def parts(data: bytes) -> tuple[int, list[tuple[int, int, bytes]]]:
    """(end of the table, [(offset, length, sha256) of each frame]), read as the spec says."""
    header_end = 14 + int.from_bytes(data[10:14], "big")
    count = int.from_bytes(data[header_end : header_end + 4], "big")
    table_end = header_end + 4 + ROW_SIZE * count
    if table_end > len(data):
        raise ValueError("not a frame table")
    offset, found = table_end, []
    for index in range(count):
        row = data[header_end + 4 + ROW_SIZE * index : header_end + 4 + ROW_SIZE * (index + 1)]
        length = int.from_bytes(row[:8], "big")
        found.append((offset, length, row[8:]))
        offset += length
    return table_end, found


def reseal(data: bytes) -> bytes:
    """`data` with its table's hashes and checksum recomputed, as a forger without the key would."""
    table_end, found = parts(data)
    altered = bytearray(data)
    header_end = 14 + int.from_bytes(data[10:14], "big")
    for index, (offset, length, _digest) in enumerate(found):
        start = header_end + 4 + ROW_SIZE * index + 8
        altered[start : start + 32] = hashlib.sha256(data[offset : offset + length]).digest()
    altered[-CHECKSUM_SIZE:] = hashlib.sha256(bytes(altered[:table_end])).digest()
    return bytes(altered)


def open_all(data: bytes, *, checksum: bool = True) -> dict[str, object]:
    container = parse_container(data, checksum=checksum)
    unlocked = unlock(container.header, PASSPHRASE)
    return open_payload(container, unlocked.key).document()


# --- the layout --------------------------------------------------------------------------


def test_the_layout_matches_the_spec(sectioned: bytes) -> None:
    data = sectioned
    assert data[:8] == MAGIC and int.from_bytes(data[8:10], "big") == FORMAT_VERSION == 4
    header_len = int.from_bytes(data[10:14], "big")
    header = json.loads(data[14 : 14 + header_len])
    assert header["format"] == 4
    table_end, found = parts(data)
    assert len(found) == 3  # the head and two sections
    assert len(data) == 50 + header_len + ROW_SIZE * len(found) + sum(n for _o, n, _d in found)
    for offset, length, digest in found:
        assert hashlib.sha256(data[offset : offset + length]).digest() == digest
    assert data[-32:] == hashlib.sha256(data[:table_end]).digest()
    payload = open_payload(parse_container(data), _key(data))
    assert [s.count for s in payload.sections] == [1000, OLDER - 1000 - HEAD_ENTRIES]
    assert all(s.size > 0 and s.to_json()["bytes"] == s.size for s in payload.sections)


def _key(data: bytes) -> bytes:
    return unlock(parse_container(data).header, PASSPHRASE).key


def test_the_whole_journal_comes_back(sectioned: bytes) -> None:
    entries = open_all(sectioned)["entries"]
    assert isinstance(entries, dict) and len(entries) == OLDER


# --- damage -------------------------------------------------------------------------------


def test_every_byte_flip_of_the_table_and_every_tenth_of_the_rest_is_damage(
    sectioned: bytes,
) -> None:
    table_end, _found = parts(sectioned)
    places = [*range(8, table_end), *range(table_end, len(sectioned), 10), len(sectioned) - 1]
    for place in places:
        data = bytearray(sectioned)
        data[place] ^= 0x04
        with pytest.raises(TandemError) as info:
            open_all(bytes(data))
        assert isinstance(info.value, DamagedFile) or place < 10, (place, info.value)


def test_a_held_key_finds_a_damaged_section_when_it_reads_it(sectioned: bytes) -> None:
    _table_end, found = parts(sectioned)
    offset, length, _digest = found[2]
    data = bytearray(sectioned)
    data[offset + length // 2] ^= 0x01
    container = parse_container(bytes(data), checksum=False)  # the head alone is fine
    payload = open_payload(container, _key(sectioned))
    with pytest.raises(DamagedFile, match="a part's hash does not match"):
        payload.document()
    with pytest.raises(DamagedFile, match="a part's hash does not match"):
        parse_container(bytes(data))  # and a reader about to derive a key checks it first


@pytest.mark.parametrize("step", [1, 97])
def test_every_truncation_is_damage(sectioned: bytes, step: int) -> None:
    for size in range(step, len(sectioned), 251 if step > 1 else 997):
        with pytest.raises(DamagedFile) as info:
            parse_container(sectioned[:size])
        assert str(info.value).startswith("this file is damaged: "), size
    with pytest.raises(DamagedFile, match=r"truncated \(missing its last 1 byte\)"):
        parse_container(sectioned[:-1])


def test_bytes_appended_are_damage(sectioned: bytes) -> None:
    with pytest.raises(DamagedFile, match=r"something was appended after its end \(5 bytes"):
        parse_container(sectioned + b"hello")


@pytest.mark.parametrize("count", [0, frames.MAX_FRAMES + 1])
def test_a_frame_count_out_of_bounds_is_damage(sectioned: bytes, count: int) -> None:
    header_end = 14 + int.from_bytes(sectioned[10:14], "big")
    data = sectioned[:header_end] + count.to_bytes(4, "big") + sectioned[header_end + 4 :]
    with pytest.raises(DamagedFile):
        parse_container(data)


def test_sections_in_another_order_are_refused_even_with_every_hash_recomputed(
    sectioned: bytes,
) -> None:
    header_end = 14 + int.from_bytes(sectioned[10:14], "big")
    _table_end, found = parts(sectioned)
    frame_bytes = [sectioned[offset : offset + length] for offset, length, _d in found]
    rows = [len(f).to_bytes(8, "big") + hashlib.sha256(f).digest() for f in frame_bytes]
    order = [0, 2, 1]  # every frame genuine, every hash and the checksum right
    prefix = sectioned[:header_end] + (3).to_bytes(4, "big") + b"".join(rows[i] for i in order)
    forged = prefix + b"".join(frame_bytes[i] for i in order)
    forged += hashlib.sha256(prefix).digest()
    parse_container(forged)  # passes every check a reader makes without the key
    with pytest.raises(DamagedFile, match="fail their integrity check"):
        open_all(forged)


def test_a_forged_header_byte_with_the_checksum_recomputed_is_damage(sectioned: bytes) -> None:
    data = bytearray(sectioned)
    data[20] ^= 0x01 if data[20] != ord('"') else 0  # inside the header's JSON
    forged = reseal(bytes(data))
    with pytest.raises(DamagedFile):
        open_all(forged)


def test_a_header_without_its_format_is_damage(sectioned: bytes) -> None:
    header_len = int.from_bytes(sectioned[10:14], "big")
    header = json.loads(sectioned[14 : 14 + header_len])
    del header["format"]
    text = json.dumps(header).encode()
    data = sectioned[:10] + len(text).to_bytes(4, "big") + text + sectioned[14 + header_len :]
    with pytest.raises(DamagedFile, match="does not match its header"):
        parse_container(reseal(data))


def test_a_section_that_unpacks_to_another_size_is_damage(
    family: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    payload = journal.file._lazy
    assert payload is not None and payload.sections
    payload.sections[0].size += 1  # what a member's hostile program could write
    journal.add_entry("win", "Saved with a lie about a section's size")
    journal.save()
    with pytest.raises(DamagedFile, match="not the size its head says"):
        Journal.open(family, PASSPHRASE).document()


def test_sections_that_together_pass_the_limit_are_refused_before_any_is_read(
    family: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    payload = journal.file._lazy
    assert payload is not None
    for section in payload.sections:
        section.size = 300 << 20  # within each one's cap, past the file's together
    monkeypatch.setattr(fileformat, "_refuse_too_large", lambda *_args: None)
    journal.add_entry("win", "A head that lies")
    journal.save()
    monkeypatch.undo()
    with pytest.raises(DamagedFile, match="unpacks to more than 512 MiB"):
        Journal.open(family, PASSPHRASE, lazy=True)


# --- reading only what is needed ------------------------------------------------------------


def reads_of(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Every (offset, length) read from an open journal file from now on."""
    seen: list[tuple[int, int]] = []
    real = os.pread

    def pread(fd: int, length: int, offset: int) -> bytes:
        seen.append((offset, length))
        return real(fd, length, offset)

    monkeypatch.setattr(frames.os, "pread", pread)
    return seen


def test_a_held_key_reads_the_header_the_table_and_the_head_only(
    family: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = KekStore()
    open_and_hold(family, PASSPHRASE, store)
    _table_end, found = parts(family.read_bytes())
    sections_start = found[1][0]
    seen = reads_of(monkeypatch)
    journal = open_held(family, store)
    assert [e.title for e in journal.entries(limit=3)] == [f"Day {OLDER - 1 - n}" for n in range(3)]
    assert seen and all(
        offset + length <= sections_start or offset >= len(family.read_bytes()) - CHECKSUM_SIZE
        for offset, length in seen
    ), seen
    seen.clear()
    assert len(journal.all(Entry)) == OLDER  # now the sections are read
    assert any(offset >= sections_start for offset, _length in seen)


def test_sections_are_read_from_the_version_that_was_opened(family: Path) -> None:
    store = KekStore()
    open_and_hold(family, PASSPHRASE, store)
    mine = open_held(family, store)
    theirs = Journal.open(family, PASSPHRASE)  # a full read: every section written anew
    gone = theirs.all(Entry)[-1]
    theirs.delete(gone.id)
    theirs.save()
    assert len(mine.document()["entries"]) == OLDER  # the version opened, not a mix
    mine.add_entry("win", "Saved after the other copy")
    report = mine.save()
    assert report is not None  # the file on disk changed: merged first
    again = Journal.open(family, PASSPHRASE)
    assert again.get(Entry, gone.id).deleted
    assert "Saved after the other copy" in {e.title for e in again.all(Entry)}


def test_a_file_cut_short_in_place_while_open_is_reported_not_raised(family: Path) -> None:
    store = KekStore()
    open_and_hold(family, PASSPHRASE, store)
    journal = open_held(family, store)
    os.truncate(family, 1000)  # a program writing in place, at the worst moment
    with pytest.raises(DamagedFile, match="cut short|truncated"):
        journal.document()


# --- saving -------------------------------------------------------------------------------


def rows_of(path: Path) -> list[bytes]:
    return [row for _o, _l, row in parts(path.read_bytes())[1]]


def test_a_lazy_save_copies_the_sections_and_writes_a_new_head(family: Path) -> None:
    before = rows_of(family)
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    journal.add_entry("win", "Only the head changes")
    journal.save()
    after = rows_of(family)
    assert after[0] != before[0] and after[1:] == before[1:]
    assert len(Journal.open(family, PASSPHRASE).all(Entry)) == OLDER + 1


@pytest.mark.parametrize("works", ["sendfile", "neither"])
def test_a_save_copies_without_copy_file_range(
    family: Path, monkeypatch: pytest.MonkeyPatch, works: str
) -> None:
    def unsupported(*_args: object) -> int:
        raise OSError(errno.EXDEV, "not across these")

    def not_a_socket(*_args: object) -> int:
        raise OSError(errno.ENOTSOCK, "macOS's sendfile writes to sockets only")

    monkeypatch.setattr(ondisk, "_copy_file_range", unsupported)
    if works == "neither":
        monkeypatch.setattr(ondisk, "_sendfile", not_a_socket)
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    journal.add_entry("win", "Copied the slow way")
    journal.save()
    assert len(Journal.open(family, PASSPHRASE).all(Entry)) == OLDER + 1


def test_a_save_copies_in_steps_and_has_each_written_soon(
    family: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = rows_of(family)
    monkeypatch.setattr(ondisk, "WRITEBACK_STEP", 4096)  # the sections here are small
    asked: list[tuple[int, int]] = []
    fadvise = os.posix_fadvise

    def recorded(fd: int, offset: int, length: int, advice: int) -> None:
        assert advice == os.POSIX_FADV_DONTNEED  # starts writing back; drops clean pages only
        asked.append((offset, length))
        fadvise(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", recorded)
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    journal.add_entry("win", "Copied in steps")
    journal.save()
    frames_after_head = parts(family.read_bytes())[1][1:]  # the sections, copied
    first, copied = frames_after_head[0][0], sum(length for _o, length, _r in frames_after_head)
    assert len(asked) > 1 and all(length <= 4096 for _o, length in asked)
    assert asked[0][0] == first and sum(length for _o, length in asked) == copied
    assert all(a + n == b for (a, n), (b, _m) in itertools.pairwise(asked))  # each once
    assert rows_of(family)[1:] == before[1:]
    assert len(Journal.open(family, PASSPHRASE).all(Entry)) == OLDER + 1


def test_a_failed_copy_writes_nothing(family: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = family.read_bytes()

    def broken(*_args: object) -> int:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(ondisk, "_copy_file_range", broken)
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    journal.add_entry("win", "Never half written")
    with pytest.raises(TandemError, match="Input/output error"):
        journal.save()
    assert family.read_bytes() == before
    assert [p.name for p in family.parent.iterdir()] == ["family.tandem"]
    assert journal.dirty  # the entry is still there to save


def test_a_new_epoch_encrypts_every_section_again(family: Path) -> None:
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    old_key = journal.file.unlocked.key
    journal.rotate_key()
    journal.save()
    data = family.read_bytes()
    container = parse_container(data)
    assert container.layout is not None
    old = frames.section_aad(MAGIC, journal.journal_id, container.header.epoch)
    with pytest.raises(DamagedFile):
        frames.open_section(container.layout.frames[1], old_key, old)
    assert len(Journal.open(family, PASSPHRASE).all(Entry)) == OLDER


def test_not_a_tandem_file_is_still_said_first(tmp_path: Path) -> None:
    path = tmp_path / "notes.tandem"
    path.write_bytes(b"Dear diary" * 10)
    with pytest.raises(NotATandemFile):
        read_container(path)


def test_a_save_that_fails_after_keeping_the_backup_keeps_no_second_copy(
    family: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = Journal.open(family, PASSPHRASE, lazy=True)
    folder = ondisk.data_dir() / "backups" / journal.journal_id
    journal.add_entry("win", "Saved")
    journal.save()
    kept = sorted(folder.glob("*.tandem"))
    monkeypatch.setattr(ondisk, "_reads_back", lambda *_args: False)
    for attempt in range(3):
        journal.add_entry("win", f"Not saved {attempt}")
        with pytest.raises(TandemError, match="did not read back intact"):
            journal.save()
    again = sorted(folder.glob("*.tandem"))
    assert len(again) == len(kept) + 1  # the file as it is, kept once, not three times
    assert os.path.samefile(again[-1], family)
    monkeypatch.undo()
    journal.save()
    assert len(Journal.open(family, PASSPHRASE).all(Entry)) == OLDER + 4


# --- fuzzing ------------------------------------------------------------------------------

_FUZZ_KEY = bytes(range(32))


def _fuzz_file() -> bytes:
    """A small format 4 file (a head and one section), made without any key derivation."""
    header = fileformat.Header(
        journal_id="0123456789abcdef0123456789abcdef",
        slots=[],
        revoked_slots=[],
        format=4,
        epoch="e" * 16,
    )
    entries = {
        f"{n:032x}": {
            "id": f"{n:032x}",
            "title": f"entry {n}",
            "occurred_at": f"2025-01-{1 + n % 28:02d}T08:00",
            "created_at": f"2025-01-{1 + n % 28:02d}T09:00:{n % 60:02d}.000000Z",
        }
        for n in range(HEAD_ENTRIES + 30)
    }
    return fileformat.encode_file(header, _FUZZ_KEY, {"tandem": 2, "entries": entries})


FUZZ_FILE = _fuzz_file()
_edit = st.one_of(
    st.tuples(st.just("set"), st.integers(0, len(FUZZ_FILE) - 1), st.integers(0, 255)),
    st.tuples(st.just("insert"), st.integers(0, len(FUZZ_FILE)), st.integers(0, 255)),
    st.tuples(st.just("delete"), st.integers(0, len(FUZZ_FILE) - 1), st.just(0)),
)


def test_the_fuzzed_file_is_a_head_and_a_section() -> None:
    container = parse_container(FUZZ_FILE)
    assert container.layout is not None and len(container.layout.frames) == 2
    document = open_payload(container, _FUZZ_KEY).document()
    assert len(document["entries"]) == HEAD_ENTRIES + 30


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_edit, min_size=1, max_size=6), st.booleans(), st.booleans())
def test_mutations_of_a_format_4_file_only_raise_tandem_errors(
    edits: list[tuple[str, int, int]], reseal_it: bool, held: bool
) -> None:
    data = bytearray(FUZZ_FILE)
    for op, position, value in edits:
        if op == "set" and position < len(data):
            data[position] = value
        elif op == "insert":
            data.insert(min(position, len(data)), value)
        elif op == "delete" and position < len(data):
            del data[position]
    mutated = bytes(data)
    if reseal_it:
        with contextlib.suppress(ValueError, IndexError):
            mutated = reseal(mutated)  # as a forger without the key would
    try:
        container = parse_container(mutated, checksum=not held)
        document = open_payload(container, _FUZZ_KEY).document()
    except TandemError:
        return
    assert mutated == FUZZ_FILE or isinstance(document, dict)
