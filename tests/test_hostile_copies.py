"""Copies made with the key by a hostile member or from a leaked copy (issue 12, items 11-13).

Such a copy passes the checksum and the payload's authentication, so what
is inside it must be checked: how far it expands, whether an entry appears
twice, and whether every record has the shape the program relies on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import zstandard

from journal import fileformat
from journal.crypto import new_journal_key
from journal.errors import DamagedFile, TandemError
from journal.fileformat import (
    MAX_ENTRY_BYTES,
    Header,
    Section,
    decrypt_payload,
    encode_file,
    joined,
    new_journal_id,
    open_payload,
    parse_container,
    seal,
)
from journal.journal import Journal
from journal.model import Entry
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]
ENTRY_ID = "e" * 32


def bare_header() -> Header:
    return Header(journal_id=new_journal_id(), slots=[], revoked_slots=[])


def entry(entry_id: str, **fields: Any) -> dict[str, Any]:
    return {"id": entry_id, "title": "x", "occurred_at": "2026-01-01T08:00", **fields}


def section(entries: dict[str, Any], compression: str = "zstd") -> Section:
    frame = fileformat._compress(orjson.dumps(entries), compression)
    return Section(frame=frame, count=len(entries), newest=("2026-01-01T08:00", ""))


def title_bomb(mib: int, compression: str) -> bytes:
    """Valid JSON, compressed: one entry whose title is `mib` MiB of 'a'.

    The chunks are compressed as they come, so the whole text is never held;
    a zstd frame declares its size, as every writer's frame does.
    """
    start = b'{"' + ENTRY_ID.encode() + b'":{"id":"' + ENTRY_ID.encode() + b'","title":"'
    end = b'"}}'
    size = len(start) + (mib << 20) + len(end)
    if compression == "zstd":
        compressor: Any = zstandard.ZstdCompressor().compressobj(size=size)
    else:
        compressor = zlib.compressobj(1)
    out = [compressor.compress(start)]
    out.extend(compressor.compress(b"a" * (1 << 20)) for _ in range(mib))
    out.append(compressor.compress(end))
    out.append(compressor.flush())
    return b"".join(out)


def sealed(head: dict[str, Any], sections: list[Section], compression: str = "zstd") -> bytes:
    key = b"k" * 32
    header = bare_header()
    header.compression = compression
    return joined(seal(header, key, head, sections))


def read_whole(data: bytes) -> dict[str, Any]:
    return decrypt_payload(parse_container(data), b"k" * 32)


# --- 12. decompression bombs ---------------------------------------------------------------


@pytest.mark.parametrize("compression", ["zstd", "zlib"])
def test_a_section_that_expands_past_its_entries_is_damaged_and_stops_early(
    compression: str,
) -> None:
    bomb = title_bomb((MAX_ENTRY_BYTES >> 20) + 4, compression)
    assert len(bomb) < 200_000
    frame = Section(frame=bomb, count=1, newest=("2026-01-01T08:00", ""))
    data = sealed({"tandem": 1, "entries": {}}, [frame], compression)
    started = time.perf_counter()
    with pytest.raises(DamagedFile, match="damaged") as raised:
        read_whole(data)
    assert "\n" not in str(raised.value)
    assert time.perf_counter() - started < 2.0


def test_the_cap_holds_for_a_section_read_after_a_lazy_open() -> None:
    bomb = title_bomb((MAX_ENTRY_BYTES >> 20) + 1, "zstd")
    frame = Section(frame=bomb, count=1, newest=("2026-01-01T08:00", ""))
    payload = open_payload(parse_container(sealed({"tandem": 1}, [frame])), b"k" * 32)
    with pytest.raises(DamagedFile, match="damaged"):
        payload.load_sections()


def test_all_frames_together_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    sections = [section({f"{n:032x}": entry(f"{n:032x}", body="b" * (1 << 20))}) for n in range(4)]
    data = sealed({"tandem": 1, "entries": {}}, sections)
    monkeypatch.setattr(fileformat, "MAX_PAYLOAD_BYTES", 3 << 20)  # each section is within
    with pytest.raises(DamagedFile, match="damaged"):
        read_whole(data)


def test_a_head_over_the_cap_is_damaged(monkeypatch: pytest.MonkeyPatch) -> None:
    data = sealed({"tandem": 1, "entries": {ENTRY_ID: entry(ENTRY_ID, body="b" * 5000)}}, [])
    monkeypatch.setattr(fileformat, "MAX_PAYLOAD_BYTES", 4096)
    with pytest.raises(DamagedFile, match="damaged"):
        read_whole(data)


def test_a_zstd_frame_that_claims_a_small_size_cannot_write_past_it() -> None:
    frame = bytearray(
        zstandard.ZstdCompressor().compress(orjson.dumps({"tandem": 1, "x": "a" * 1000}))
    )
    assert zstandard.frame_content_size(bytes(frame)) > 256
    frame[5:7] = b"\x00\x00"  # the two-byte content size field: now 256
    with pytest.raises(DamagedFile):
        fileformat._decompress(bytes(frame), "zstd", 1 << 20)


def test_the_writer_refuses_a_journal_it_could_not_read_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fileformat, "MAX_PAYLOAD_BYTES", 4096)
    key = new_journal_key()
    with pytest.raises(TandemError, match="too large"):
        encode_file(bare_header(), key, {"tandem": 1, "x": "a" * 5000})


# --- 13. an entry in two sections -------------------------------------------------------------


def test_an_entry_in_two_sections_is_damaged() -> None:
    twice = {ENTRY_ID: entry(ENTRY_ID)}
    data = sealed({"tandem": 1, "entries": {}}, [section(twice), section(twice)])
    with pytest.raises(DamagedFile, match="more than one") as raised:
        read_whole(data)
    assert "\n" not in str(raised.value)


def test_an_entry_in_the_head_and_a_section_is_damaged_after_a_lazy_open() -> None:
    data = sealed(
        {"tandem": 1, "entries": {ENTRY_ID: entry(ENTRY_ID)}},
        [section({ENTRY_ID: entry(ENTRY_ID)})],
    )
    payload = open_payload(parse_container(data), b"k" * 32)
    with pytest.raises(DamagedFile, match="more than one"):
        payload.load_sections()


# --- 11. records of the wrong shape, through the journal ----------------------------------------


@pytest.fixture
def hostile_copy(
    journal: Journal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[Callable[[dict], None]], Path]:
    """Write a copy of the journal whose document `change` altered, sealed with its key.

    It is written with the standard library's JSON, which nests deeper than orjson.
    """
    entry = journal.add_entry("win", "a fine entry")
    journal.save()

    def make(change: Callable[[dict[str, Any]], None]) -> Path:
        document = orjson.loads(orjson.dumps(journal.document()))
        change(document["entries"][entry.id])
        path = tmp_path / "copy.tandem"
        with monkeypatch.context() as patch:
            patch.setattr(fileformat, "_dump_json", lambda value: json.dumps(value).encode())
            data = encode_file(journal.file.header, journal.file.unlocked.key, document)
        path.write_bytes(data)
        return path

    return make


def set_title_5(record: dict[str, Any]) -> None:
    record["title"] = 5


def test_a_copy_with_a_title_that_is_a_number_is_refused_by_open_and_merge(
    journal: Journal, hostile_copy: Callable[[Callable[[dict], None]], Path]
) -> None:
    path = hostile_copy(set_title_5)
    with pytest.raises(DamagedFile) as raised:
        Journal.open(path, PASSPHRASE)
    message = str(raised.value)
    assert "title" in message and "entr" in message and "\n" not in message
    before = journal.document()
    with pytest.raises(DamagedFile, match="title"):
        journal.merge_copy(path)
    assert journal.document() == before and not journal.dirty


def test_verify_reports_a_bad_record_as_damage_in_one_line(
    hostile_copy: Callable[[Callable[[dict], None]], Path],
) -> None:
    path = hostile_copy(set_title_5)
    done = subprocess.run(
        [sys.executable, "-m", "journal", "verify", str(path)],
        capture_output=True,
        text=True,
        env={**os.environ, "TANDEM_PASSPHRASE": PASSPHRASE},
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == DamagedFile.exit_code, done.stdout
    assert "OK" not in done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "title" in lines[0], done.stderr


def nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


def test_nesting_deeper_than_a_writer_can_write_is_refused(
    journal: Journal, hostile_copy: Callable[[Callable[[dict], None]], Path]
) -> None:
    path = hostile_copy(lambda record: record.update(future_field=nested(300)))
    with pytest.raises(DamagedFile, match="deep"):
        journal.merge_copy(path)
    journal.add_entry("win", "still saves")
    journal.save()


def test_an_unknown_field_from_a_newer_version_is_accepted(
    hostile_copy: Callable[[Callable[[dict], None]], Path],
) -> None:
    path = hostile_copy(lambda record: record.update(mood_emoji=["🙂", {"score": 4}]))
    newer = Journal.open(path, PASSPHRASE)
    assert any(
        doc.get("mood_emoji") == ["🙂", {"score": 4}]
        for doc in newer.document()[Entry.TABLE].values()
    )
    newer.add_entry("win", "saved with the unknown field")
    newer.save()
