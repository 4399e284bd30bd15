"""Compressing the frames of a payload, and decompressing them no further than a cap.

docs/FORMAT.md names the compressions ("zstd", what every save writes;
"zlib" and "none", still read) and the caps a reader holds a frame to, so that
a small hostile file cannot expand to gigabytes ("Limits").
"""

from __future__ import annotations

import zlib
from typing import Any

import zstandard

from journal.errors import DamagedFile

__all__ = [
    "COMPRESSIONS",
    "ZLIB_LEVEL",
    "SECTION_LEVEL",
    "ZSTD_LEVEL",
    "compress",
    "declared_size",
    "decompress",
    "mib",
]

COMPRESSIONS = ("zstd", "zlib", "none")
"""The compressions a reader accepts; every save writes the first."""

# The head is compressed with zstd at level 3 on every save. Measured on a 16 MB
# document of 10,000 entries on a 2-core machine: zstd level 3 compresses in 32 ms
# and decompresses in 10 ms to 2.1 MB; zlib level 1 took 110 ms and 51 ms for 2.7 MB.
ZSTD_LEVEL = 3
# A section is compressed once, when it is made, and then copied by every later save,
# sent by the drive at every change and read by every search: harder is worth it.
# Measured on sections of 1,000 entries (2 MB): level 3 in 3 ms, level 9 in 16 ms
# and 15% smaller for the bench's entries, 8% for entries of varied prose;
# decompressing is as fast. A lazy save makes a section of 400 entries (about 6 ms).
SECTION_LEVEL = 9
ZLIB_LEVEL = 1  # only to write files for tests of the older setting; always readable


def mib(size: int) -> str:
    """A size in MiB, for a message ("8 MiB")."""
    return f"{size / (1 << 20):g} MiB"


def compress(data: bytes, compression: str, *, level: int = ZSTD_LEVEL) -> bytes:
    """One frame's bytes, compressed as `compression` says (zstd at `level`)."""
    if compression == "zstd":
        return zstandard.ZstdCompressor(level=level).compress(data)
    if compression == "zlib":
        return zlib.compress(data, ZLIB_LEVEL)
    return data


def declared_size(frame: bytes | memoryview, compression: str) -> int:
    """The size a frame says it decompresses to (zstd writes it), or -1 when unknown."""
    if compression != "zstd":
        return -1
    try:
        return int(zstandard.frame_content_size(frame))
    except zstandard.ZstdError:
        return -1


def _too_large(cap: int) -> DamagedFile:
    return DamagedFile(f"this file is damaged: a part of it unpacks to more than {mib(cap)}")


def decompress(frame: bytes | memoryview, compression: str, cap: int) -> bytes:
    """Decompress one frame, stopping as soon as the output passes `cap` bytes.

    A zstd frame that declares its size within the cap is decompressed at
    once into a buffer of that size (zstd refuses to write past it); any
    other frame is streamed and counted, so a small frame cannot expand to
    gigabytes. Raises `DamagedFile`.
    """
    try:
        if compression == "zstd":
            declared = zstandard.frame_content_size(frame)
            if declared > cap:
                raise _too_large(cap)
            if declared >= 0:
                plain = zstandard.ZstdDecompressor().decompress(frame)
            else:
                plain = _read_at_most(zstandard.ZstdDecompressor().stream_reader(frame), cap)
        elif compression == "zlib":
            inflater = zlib.decompressobj()
            plain = inflater.decompress(frame, cap + 1)
            if len(plain) <= cap and not inflater.eof:
                raise DamagedFile("this file is damaged: its contents end too soon")
        else:
            plain = bytes(frame)
    except (zstandard.ZstdError, zlib.error) as exc:
        raise DamagedFile("this file is damaged: its contents cannot be read") from exc
    if len(plain) > cap:
        raise _too_large(cap)
    return plain


def _read_at_most(reader: Any, cap: int) -> bytes:
    """Read a stream to its end, or to just past `cap` bytes."""
    parts: list[bytes] = []
    total = 0
    while total <= cap:
        chunk = reader.read(min(cap + 1 - total, 1 << 20))
        if not chunk:
            break
        parts.append(chunk)
        total += len(chunk)
    return b"".join(parts)
