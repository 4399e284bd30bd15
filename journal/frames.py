"""Format 4's layout: a frame table after the header, and frames encrypted one by one.

docs/FORMAT.md ("Layout", "Payload") is the binding description. In short::

    magic(8) | version(2) | H(4) | header(H) | N(4) | N x (length(8) sha256(32))
    | frame 0 (the head) | frames 1..N-1 (sections) | sha256(bytes 0 .. end of table)(32)

A reader holding the key reads the header, the table and the head, and a
section only when it needs it (`StoredFrame.read_checked` checks its hash
first); a save copies the sections it did not change from the file it read
(`journal.ondisk.CopiedRange`), so neither grows with the journal's age.
Everything here raises only `DamagedFile` for bad bytes.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from journal.crypto import NONCE_SIZE, TAG_SIZE, aead_decrypt, aead_encrypt, new_nonce
from journal.errors import DamagedFile, TandemError

ROW_SIZE = 8 + 32
"""One row of the frame table: a frame's length and its SHA-256."""
MAX_FRAMES = 65_536
CHECKSUM_SIZE = 32
FIXED_SIZE = 8 + 2 + 4 + 4 + CHECKSUM_SIZE
"""Everything but the header, the table's rows and the frames: 50 bytes."""


class ByteSource(Protocol):
    """Bytes read at offsets: a file held in memory, or an open file."""

    size: int

    def read(self, offset: int, length: int) -> bytes | memoryview:
        """`length` bytes from `offset`; raises `DamagedFile` past the end."""
        ...


class MemorySource:
    """A whole file held in memory; reads are views, not copies."""

    def __init__(self, data: bytes | memoryview) -> None:
        self.data = memoryview(data)
        self.size = len(data)

    def read(self, offset: int, length: int) -> memoryview:
        """A view of `length` bytes from `offset`."""
        if offset < 0 or length < 0 or offset + length > self.size:
            raise _truncated()
        return self.data[offset : offset + length]


class FileSource:
    """An open file, read at offsets (`os.pread`, safe from several threads).

    The file stays open as long as this object lives, so that the sections of
    one saved version are read from that version even after a drive or another
    program replaced the file at its path.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.size = os.fstat(fd).st_size
        self._closing = threading.Lock()

    def read(self, offset: int, length: int) -> bytes:
        """`length` bytes from `offset`; raises `DamagedFile` if the file ends first."""
        if offset < 0 or length < 0 or offset + length > self.size:
            raise _truncated()
        parts: list[bytes] = []
        done = 0
        while done < length:
            try:
                part = os.pread(self.fd, length - done, offset + done)
            except OSError as error:
                raise TandemError(f"cannot read the journal: {error.strerror or error}") from error
            if not part:  # shortened in place since it was opened
                raise DamagedFile("this file is damaged: it was cut short while it was read")
            parts.append(part)
            done += len(part)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def fileno(self) -> int:
        """The open file's descriptor (to copy frames from it)."""
        return self.fd

    def close(self) -> None:
        """Close the file (idempotent)."""
        with self._closing:
            if self.fd >= 0:
                os.close(self.fd)
                self.fd = -1

    def __del__(self) -> None:
        self.close()


def _truncated() -> DamagedFile:
    return DamagedFile("this file is damaged: it is truncated (its frames end before the file)")


def _altered_frame() -> DamagedFile:
    return DamagedFile("this file is damaged: it was altered (a part's hash does not match)")


@dataclass(frozen=True)
class StoredFrame:
    """One frame of a format 4 file: where it is, and the hash its table row gives."""

    source: ByteSource
    offset: int
    length: int
    digest: bytes

    def row(self) -> bytes:
        """Its row of the frame table."""
        return self.length.to_bytes(8, "big") + self.digest

    def read_checked(self) -> bytes | memoryview:
        """Its bytes, once their SHA-256 matches the table (else `DamagedFile`)."""
        data = self.source.read(self.offset, self.length)
        if hashlib.sha256(data).digest() != self.digest:
            raise _altered_frame()
        return data


@dataclass(frozen=True)
class SealedFrame:
    """A section's frame in a file, with the key and associated data that open it (one
    object, so that a thread reading it never pairs a frame with another file's key)."""

    frame: StoredFrame
    key: bytes
    aad: bytes

    def open(self) -> bytes:
        """The compressed section it holds (`open_section`)."""
        return open_section(self.frame, self.key, self.aad)


@dataclass(frozen=True)
class Layout:
    """A format 4 file's frame table, checked against its checksum."""

    header_end: int
    """Where the header ends (14 + H): bytes 0 to here are the head's associated data."""
    frames: list[StoredFrame]

    @property
    def section_rows(self) -> bytes:
        """The table's rows of the sections: the rest of the head's associated data."""
        return b"".join(frame.row() for frame in self.frames[1:])

    def check_frames(self) -> None:
        """Reading step 4 for every frame (before deriving a key, and for `verify`)."""
        for frame in self.frames:
            frame.read_checked()


def parse_layout(source: ByteSource, header_end: int) -> Layout:
    """Reading steps 3 and 4 of a format 4 file: its lengths and the checksum.

    Raises `DamagedFile` (truncated, appended to, or altered). The frames'
    own hashes are checked when they are read (`StoredFrame.read_checked`).
    """
    size = source.size
    if size < header_end + 4:
        raise DamagedFile("this file is damaged: it is truncated (it ends inside its header)")
    count = int.from_bytes(source.read(header_end, 4), "big")
    if not 1 <= count <= MAX_FRAMES:
        raise _altered_or_cut(source, header_end)
    table_end = header_end + 4 + ROW_SIZE * count
    if size < table_end + CHECKSUM_SIZE:
        raise DamagedFile("this file is damaged: it is truncated (it ends inside its frame table)")
    table = source.read(header_end + 4, ROW_SIZE * count)
    frames: list[StoredFrame] = []
    offset = table_end
    for index in range(count):
        row = table[ROW_SIZE * index : ROW_SIZE * (index + 1)]
        length = int.from_bytes(row[:8], "big")
        frames.append(StoredFrame(source, offset, length, bytes(row[8:])))
        offset += length
    expected = offset + CHECKSUM_SIZE
    checksum = source.read(size - CHECKSUM_SIZE, CHECKSUM_SIZE)
    prefix_digest = hashlib.sha256(source.read(0, table_end)).digest()
    if size < expected:
        raise DamagedFile(
            f"this file is damaged: it is truncated (missing its last {_nbytes(expected - size)})"
        )
    if size > expected:
        if source.read(expected - CHECKSUM_SIZE, CHECKSUM_SIZE) == prefix_digest:
            raise DamagedFile(
                "this file is damaged: something was appended after its end "
                f"({_nbytes(size - expected)} too many)"
            )
        raise DamagedFile("this file is damaged: it was altered (its lengths do not add up)")
    if checksum != prefix_digest:
        raise DamagedFile("this file is damaged: it was altered (its checksum does not match)")
    if frames[0].length < TAG_SIZE or any(f.length < NONCE_SIZE + TAG_SIZE for f in frames[1:]):
        raise DamagedFile("this file is damaged: its encrypted contents are too short")
    return Layout(header_end, frames)


def _altered_or_cut(source: ByteSource, header_end: int) -> DamagedFile:
    if source.size < header_end + 4 + ROW_SIZE + CHECKSUM_SIZE:
        return DamagedFile("this file is damaged: it is truncated (it ends inside its frame table)")
    return DamagedFile("this file is damaged: it was altered (its frame table is not valid)")


def _nbytes(n: int) -> str:
    return "1 byte" if n == 1 else f"{n:,} bytes"


# --- encrypting and decrypting frames -----------------------------------------------------


def section_aad(magic: bytes, journal_id: str, epoch: str) -> bytes:
    """A section's associated data: it opens only in its journal, under its epoch's key."""
    return magic + journal_id.encode("ascii") + epoch.encode("ascii") + b"section"


def seal_section(key: bytes, compressed: bytes | memoryview, aad: bytes) -> bytes:
    """A section frame: a fresh nonce, then the compressed section encrypted under `key`."""
    nonce = new_nonce()
    return nonce + aead_encrypt(key, nonce, bytes(compressed), aad)


def open_section(stored: StoredFrame, key: bytes, aad: bytes) -> bytes:
    """The compressed section a frame holds, after its hash and tag check (`DamagedFile`)."""
    data = stored.read_checked()
    plain = aead_decrypt(key, bytes(data[:NONCE_SIZE]), data[NONCE_SIZE:], aad)
    if plain is None:
        raise DamagedFile(
            "this file is damaged: a section fails its integrity check (it was altered)"
        )
    return plain


def table_bytes(rows: Sequence[bytes]) -> bytes:
    """The frame count and the rows, as written after the header."""
    return len(rows).to_bytes(4, "big") + b"".join(rows)


def frame_row(frame: bytes | memoryview) -> bytes:
    """The table row of a frame written from memory."""
    return len(frame).to_bytes(8, "big") + hashlib.sha256(frame).digest()
