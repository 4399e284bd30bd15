"""A search reads only the older entries whose line holds its words (journal/section_search.py).

It must find exactly what reading every entry finds, whatever the case,
folding or layout, and give up (read it all) whenever it cannot be sure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import fileformat, section_search
from journal.compression import compress
from journal.errors import DamagedFile
from journal.journal import Journal
from journal.section_search import dump_lines, lines_holding, searchable
from tests.conftest import PASSPHRASE

WORDS = [
    "Straße",
    "STRASSE",
    "\u212aelvin",
    "kelvin",
    "ﬁsh",
    "fish",
    "İstanbul",
    "trampoline",
    "Ünïcode",
]


@pytest.fixture(autouse=True)
def small_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES", 4)
    monkeypatch.setattr(fileformat, "SECTION_ENTRIES", 6)
    monkeypatch.setattr(fileformat, "HEAD_ENTRIES_MAX", 9)


@pytest.fixture
def worded(make_journal: Callable[..., tuple[Journal, str]]) -> Journal:
    return write_words(make_journal)


def write_words(make_journal: Callable[..., tuple[Journal, str]]) -> Journal:
    """A saved journal of 40 entries holding WORDS in their titles, bodies, tags and fields."""
    journal, _code = make_journal()
    for n in range(40):
        word = WORDS[n % len(WORDS)]
        journal.add_entry(
            "checkin",
            f"entry {n} {word if n % 2 else ''}",
            f"body {n}\nline two {'' if n % 2 else word}",
            tags=[word.casefold()] if n % 7 == 0 else [],
            fields={"mood_word": word} if n % 11 == 0 else {},
            occurred_at=f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}T08:00",
        )
    journal.save()
    return journal


def ids(journal: Journal, *, search: str) -> list[str]:
    return [entry.id for entry in journal.entries(search=search)]


@pytest.mark.parametrize("needle", [*WORDS, "ss", "k", "fi", "i̇", "entry", "}", "zzz", "2"])
def test_a_search_finds_what_reading_everything_finds(worded: Journal, needle: str) -> None:
    eager = Journal.open(worded.path, PASSPHRASE)
    lazy = Journal.open(worded.path, PASSPHRASE, lazy=True)
    assert ids(lazy, search=needle) == ids(eager, search=needle)


def test_a_search_for_a_word_reads_no_whole_section(worded: Journal) -> None:
    lazy = Journal.open(worded.path, PASSPHRASE, lazy=True)
    found = lazy.entries(search="trampoline")
    assert found
    assert lazy.file.lazy  # no section was read whole
    for entry in found:  # what `tandem list --search` shows is found and its signatures checked
        assert lazy.find(entry.id).id == entry.id
        assert lazy.record_trust(entry.id).verified
    assert lazy.file.lazy


def test_words_in_most_entries_parse_each_section_whole_once(
    worded: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    lazy = Journal.open(worded.path, PASSPHRASE, lazy=True)
    eager = Journal.open(worded.path, PASSPHRASE)
    assert ids(lazy, search="body") == ids(eager, search="body")  # in every entry
    payload = lazy.file._lazy
    assert payload is not None and payload.sections
    assert all(section.parsed is not None for section in payload.sections)  # kept, checked
    lines: list[bytes] = []
    monkeypatch.setattr(section_search, "_member", lambda line: lines.append(line))
    assert ids(lazy, search="entry") == ids(eager, search="entry")
    assert lines == []  # the second search parses nothing again


def test_words_with_spaces_read_everything(worded: Journal) -> None:
    lazy = Journal.open(worded.path, PASSPHRASE, lazy=True)
    eager = Journal.open(worded.path, PASSPHRASE)
    assert ids(lazy, search="entry 3") == ids(eager, search="entry 3")
    assert not lazy.file.lazy


def assert_read_whole_once_written(worded: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    """Save one more entry as the patched writer does, undo the patches, and check that a
    search finds what reading everything finds by reading the sections whole."""
    journal = Journal.open(worded.path, PASSPHRASE)
    journal.add_entry("checkin", "one more", "trampoline")
    journal.save()
    monkeypatch.undo()
    lazy = Journal.open(worded.path, PASSPHRASE, lazy=True)
    eager = Journal.open(worded.path, PASSPHRASE)
    assert ids(lazy, search="trampoline") == ids(eager, search="trampoline")
    assert not lazy.file.lazy


def test_sections_written_on_one_line_are_read_whole(
    make_journal: Callable[..., tuple[Journal, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file from before this layout (or another writer): one JSON object on one line.
    monkeypatch.setattr(
        fileformat,
        "dump_lines",
        lambda members: orjson.dumps({key: orjson.loads(doc) for key, doc in members}),
    )
    assert_read_whole_once_written(write_words(make_journal), monkeypatch)


def test_sections_not_said_to_be_in_lines_are_read_whole(
    worded: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As an older Tandem describes its sections: without "lines".
    old_description = fileformat.Section.to_json
    monkeypatch.setattr(
        fileformat.Section,
        "to_json",
        lambda self: {k: v for k, v in old_description(self).items() if k != "lines"},
    )
    assert_read_whole_once_written(worded, monkeypatch)


def test_what_can_be_searched_in_lines() -> None:
    assert searchable("trampoline") and searchable("straße".casefold()) and searchable("}")
    for needle in ("", "two words", 'a"b', "a\\b", "tab\there", "line\nbreak", "\x07"):
        assert not searchable(needle)


def _section(records: Mapping[str, Mapping[str, str]]) -> bytes:
    return dump_lines([(key, orjson.dumps(doc)) for key, doc in records.items()])


def test_lines_holding_gives_up_where_it_cannot_be_sure() -> None:
    records = {"a1": {"title": "Trampoline"}, "b2": {"title": "swing"}}
    plain = _section(records)
    assert lines_holding(plain, "trampoline") == {"a1": records["a1"]}
    assert lines_holding(plain, "nothing") == {}
    assert lines_holding(orjson.dumps(records), "trampoline") is None  # one line
    assert lines_holding(b'{\n"a1":{"t":"x"},\n"a1":{"t":"x"}\n}', "x") is None  # repeated
    assert lines_holding(b'{\n"a1":{"t":\n"x"}\n}', "x") is None  # not one entry a line
    assert lines_holding(b'{\n"a1":{"t":"x"},"b2":{"t":"x"}\n}', "x") is None  # two a line
    assert lines_holding(b'{\n"a1":{"t":"x"}\n}', "}") is None  # the closing brace


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    titles=st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=8),
    needle=st.text(min_size=1, max_size=4),
)
def test_lines_holding_never_leaves_out_an_entry_that_holds_the_words(
    titles: list[str], needle: str
) -> None:
    folded = needle.casefold()
    if not searchable(folded):
        return
    records = {f"id{n}": {"title": title} for n, title in enumerate(titles)}
    found = lines_holding(_section(records), folded)
    if found is None:
        return  # the caller reads the whole section
    for key, record in records.items():
        if folded in str(record["title"]).casefold():
            assert key in found and found[key] == record


def test_a_search_expands_a_files_sections_no_further_than_reading_them_all() -> None:
    # A hostile file's small frames may each unpack to a lot: all of them together stay
    # within the file's budget, as when every section is read (docs/FORMAT.md, "Limits").
    big = b'{\n"a%d":{"title":"' + b"x" * 600_000 + b'"}\n}'
    frames = [compress(big.replace(b"%d", str(n).encode()), "zstd") for n in range(2)]
    sections = [
        fileformat.Section(frame, 1, ("2025", "2025"), lines=True, size=-1) for frame in frames
    ]
    payload = fileformat.Payload(head={}, sections=sections, compression="zstd", budget=1_000_000)
    with pytest.raises(DamagedFile):
        payload.entries_holding("trampoline")
    roomy = fileformat.Payload(head={}, sections=sections, compression="zstd", budget=2_000_000)
    assert roomy.entries_holding("trampoline") == {}
    # zlib frames do not say their size: each is counted as it unpacks, one at a time.
    streamed = [
        fileformat.Section(compress(big, "zlib"), 1, ("2025", "2025"), lines=True, size=-1)
        for _ in range(2)
    ]
    tight = fileformat.Payload(head={}, sections=streamed, compression="zlib", budget=1_000_000)
    with pytest.raises(DamagedFile):
        tight.entries_holding("trampoline")
    enough = fileformat.Payload(head={}, sections=streamed, compression="zlib", budget=1_300_000)
    assert enough.entries_holding("trampoline") == {}
