"""A decrypted payload: the head document, and sections of older entries read on demand.

docs/FORMAT.md ("Payload") describes the frames. A `Section` holds its
entries compressed, or (format 4) where its encrypted frame is in the file
it was read from, so that adding an entry or listing the newest ones needs
neither to decrypt nor to parse them; `Payload` parses them when asked, each
within its cap, and checks every record (journal/validate.py).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from journal.both_cores import in_two_processes, two_at_a_time
from journal.compression import declared_size
from journal.compression import decompress as _decompress
from journal.errors import DamagedFile
from journal.frames import SealedFrame
from journal.section_search import lines_holding, member_lines, parse_members
from journal.validate import check_records, shown_id

MAX_ENTRY_BYTES = 8 << 20
"""A section may expand to its entry count times this (no entry is near that large)."""
MAX_PAYLOAD_BYTES = 512 << 20
"""All frames of a file together may expand to at most this many bytes (docs/FORMAT.md)."""
SECTIONED_TABLE = "entries"
"""The one table whose records are divided into sections."""


def entry_order(doc: dict[str, Any]) -> tuple[str, str]:
    """How entries sort, newest last: by the day they happened, then by when they were written."""
    return (doc.get("occurred_at") or "", doc.get("created_at") or "")


@dataclass
class Section:
    """A frame of older entries, kept compressed until something needs them."""

    frame: bytes | memoryview
    """Its compressed JSON (empty until read, for a `stored` one)."""
    count: int
    newest: tuple[str, str]
    flagged: int = 0
    """How many of its entries hold conflicts or a deletion note (`needs_a_look`)."""
    parsed: dict[str, dict[str, Any]] | None = field(default=None, repr=False, compare=False)
    """Its entries once parsed (`Payload.section_entries`)."""
    size: int = -1
    """Its JSON's length once decompressed: when this program made it, or as a format 4 head
    says (then it must unpack to exactly that); -1 when read from an older file."""
    beside: frozenset[str] = field(default=frozenset(), repr=False, compare=False)
    """The ids of the head it was read with: none of its entries may be among them."""
    lines: bool = False
    """Written one entry per line, escaping only control characters: a search may look at
    the lines that hold its words alone (journal/section_search.py)."""

    stored: SealedFrame | None = field(default=None, repr=False, compare=False)
    """Format 4: its encrypted frame in a file, and what opens it (a save copies it)."""

    @property
    def cap(self) -> int:
        """The most its frame may expand to: its entry count times `MAX_ENTRY_BYTES`."""
        return max(self.count, 1) * MAX_ENTRY_BYTES

    def compressed(self) -> bytes | memoryview:
        """Its compressed JSON, read, checked and decrypted first if it is `stored`."""
        stored = self.stored
        if not self.frame and stored is not None:
            self.frame = stored.open()
        return self.frame

    def unpack(self, compression: str) -> bytes:
        """Its JSON, when its size is known (made here, or said by a format 4 head)."""
        plain = _decompress(self.compressed(), compression, min(self.size, self.cap))
        if len(plain) != self.size:
            raise DamagedFile("this file is damaged: a section is not the size its head says")
        return plain

    def to_json(self) -> dict[str, Any]:
        """What the head says about this section (format 4 adds its `bytes`)."""
        about: dict[str, Any] = {
            "entries": self.count,
            "newest": list(self.newest),
            "flagged": self.flagged,
        }
        if self.lines:
            about["lines"] = True
        if self.size >= 0:
            about["bytes"] = self.size
        return about


def needs_a_look(doc: dict[str, Any]) -> bool:
    """True for a stored record with conflicting versions or a deletion note (docs/SYNC.md)."""
    return bool(doc.get("conflicts") or doc.get("deletion"))


@dataclass
class Payload:
    """A decrypted payload: the head document, and the older entries still compressed.

    `head` is the whole journal document except that its ``entries`` table
    holds only the entries not in `sections`. `cutoff` is the newest
    `entry_order` of any sectioned entry: a head entry above it is newer than
    every entry left in the sections.
    """

    head: dict[str, Any]
    sections: list[Section]
    compression: str
    budget: int = MAX_PAYLOAD_BYTES
    """How much more the sections read from the file may expand to (the cap less the head)."""

    @property
    def flagged(self) -> int:
        """How many sectioned entries hold conflicts or a deletion note."""
        return sum(section.flagged for section in self.sections)

    @property
    def cutoff(self) -> tuple[str, str] | None:
        """The newest order of the sectioned entries, or None when there are none."""
        return max((s.newest for s in self.sections), default=None)

    def load_sections(self) -> dict[str, dict[str, Any]]:
        """Decompress and parse every section: entry id -> entry record.

        Raises `DamagedFile` when an entry is in two sections (or see `section_entries`).
        """
        older: dict[str, dict[str, Any]] = {}
        for section in list(self.sections):
            entries = self.section_entries(section)
            refuse_repeats(entries, older)
            older.update(entries)
        return older

    def entries_holding(self, needle: str) -> dict[str, dict[str, Any]] | None:
        """The older entries whose stored line holds `needle` (folded), parsed and checked.

        A search reads these instead of every section (journal/section_search.py):
        an entry that does not hold the words is not parsed. None when a
        section cannot be searched so: then read them all (`load_sections`).
        """
        found: dict[str, dict[str, Any]] = {}
        unread = []
        for section in self.sections:
            if section.parsed is not None:
                found.update(section.parsed)  # every one: the search's own test decides
            elif not section.lines:
                return None
            else:
                unread.append(section)

        if all(section.size >= 0 for section in unread):  # sizes counted when it was opened
            # Each process looks through every other section: see journal/both_cores.py.
            lines = in_two_processes(
                lambda section: member_lines(section.unpack(self.compression), needle), unread
            )
            holdings = [self._parsed_lines(s, held) for s, held in zip(unread, lines, strict=True)]
        else:
            holdings = [
                (holding, False) for holding in two_at_a_time(self._holding_counted(needle), unread)
            ]
        for section, (holding, checked) in zip(unread, holdings, strict=True):
            if holding is None or any(key in found or key in section.beside for key in holding):
                return None  # a repeated id is damage, which reading it all reports
            if not checked:
                check_records(SECTIONED_TABLE, holding)
            found.update(holding)
        return found

    def _parsed_lines(
        self, section: Section, lines: list[bytes] | None
    ) -> tuple[dict[str, dict[str, Any]] | None, bool]:
        """The entries of a section's `lines` that hold the words, and whether they are
        checked already: when they are most of the section, one parse of all of it is
        quicker than one a line, and it is kept, checked, as a full read keeps it."""
        if lines is not None and len(lines) * 4 > section.count:
            return self.section_entries(section), True
        return parse_members(lines), False

    def _holding_counted(
        self, needle: str
    ) -> Callable[[Section], dict[str, dict[str, Any]] | None]:
        """`lines_holding` of a section; one whose size its file did not say (older formats)
        is counted against the file's budget as it is unpacked (as `section_entries`)."""
        budget = [self.budget]  # what sections read from the file may still expand to
        counting = threading.Lock()

        def look(section: Section) -> dict[str, dict[str, Any]] | None:
            if section.size >= 0:  # its size known, counted when the file was opened
                return lines_holding(section.unpack(self.compression), needle)
            declared = declared_size(section.frame, self.compression)
            plain: bytes | None = None
            with counting:
                cap = min(section.cap, budget[0])
                if declared < 0:  # a size not said beforehand: counted as it is unpacked
                    plain = _decompress(section.frame, self.compression, cap)
                    budget[0] -= len(plain)
                else:
                    budget[0] -= min(declared, cap)  # more than `cap`: refused just below
            if plain is None:
                plain = _decompress(section.frame, self.compression, cap)
            return lines_holding(plain, needle)

        return look

    def section_entries(self, section: Section) -> dict[str, dict[str, Any]]:
        """One section's entries, parsed once (whichever thread asks first parses it).

        Raises `DamagedFile` for a section that unpacks past its cap or the
        file's remaining budget, that is not its count of well-formed entries
        (`journal.validate`), or that holds an entry of the head it was read with.
        """
        if section.parsed is None:
            # Parsing holds the interpreter lock for a while: before each section, let
            # other threads run (an app's screen stays responsive while it reads).
            time.sleep(0)
            if section.size < 0:  # read from an older file: it may not expand past its share
                cap = min(section.cap, self.budget)
                plain = _decompress(section.frame, self.compression, cap)
                self.budget -= len(plain)
            else:
                plain = section.unpack(self.compression)
            entries = parse_json(plain)
            if not isinstance(entries, dict) or len(entries) != section.count:
                raise DamagedFile("this file is damaged: a section of entries is not readable")
            check_records(SECTIONED_TABLE, entries)
            refuse_repeats(entries, section.beside)
            section.parsed = entries
        return section.parsed

    def document(self) -> dict[str, Any]:
        """The whole document: the head with every section's entries put back."""
        older = self.load_sections()
        if older:
            entries = self.head.setdefault(SECTIONED_TABLE, {})
            if not isinstance(entries, dict) or any(key in entries for key in older):
                raise DamagedFile("this file is damaged: its sections of entries overlap")
            entries.update(older)
        self.sections = []
        return self.head


def refuse_repeats(entries: dict[str, Any], seen: Any) -> None:
    """Refuse a section holding an entry already read from another frame (`seen`)."""
    repeated = next((key for key in entries if key in seen), None)
    if repeated is not None:
        raise DamagedFile(
            f"this file is damaged: entry {shown_id(repeated)} is stored "
            "in more than one of its sections"
        )


def parse_json(data: bytes | memoryview) -> Any:
    """Parse a frame's JSON (`DamagedFile` if it is not JSON), without the cycle collector."""
    # Parsing builds a few hundred thousand small objects; the cycle collector
    # would scan them again and again (a third of the time).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        value = orjson.loads(data)
        # The journal lives as long as the program: keep the collector from
        # scanning its many objects again at every collection.
        gc.freeze()
        return value
    except (ValueError, RecursionError) as exc:
        raise DamagedFile("this file is damaged: its contents cannot be read") from exc
    finally:
        if gc_was_enabled:
            gc.enable()
