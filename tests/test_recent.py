"""The recent journals list: paths and times only, newest first, never a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journal import recent as recent_module
from journal.errors import TandemError
from journal.recent import MAX_RECENT, RecentJournal, forget, recent, recent_file, remember


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def at(day: int) -> str:
    return f"2026-01-{day:02d}T09:00:00.000000Z"


def test_empty_when_nothing_was_opened() -> None:
    assert recent() == []
    assert not recent_file().exists()


def test_the_file_is_in_the_config_folder(isolated_environment: Path) -> None:
    assert recent_file() == isolated_environment / "config" / "tandem" / "recent.json"


def test_remember_puts_the_newest_first(tmp_path: Path) -> None:
    first, second = touch(tmp_path / "a.tandem"), touch(tmp_path / "b.tandem")
    assert remember(first, at=at(1))
    assert remember(second, at=at(2))
    assert recent() == [
        RecentJournal(second, at(2), missing=False),
        RecentJournal(first, at(1), missing=False),
    ]


def test_opening_again_moves_a_journal_up_without_a_duplicate(tmp_path: Path) -> None:
    first, second = touch(tmp_path / "a.tandem"), touch(tmp_path / "b.tandem")
    remember(first, at=at(1))
    remember(second, at=at(2))
    remember(first, at=at(3))
    assert [(item.path, item.opened_at) for item in recent()] == [(first, at(3)), (second, at(2))]


def test_remember_without_a_time_uses_now(tmp_path: Path) -> None:
    remember(touch(tmp_path / "a.tandem"))
    [item] = recent()
    assert item.opened_at.endswith("Z") and item.opened_at > "2025"


def test_paths_are_kept_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    touch(tmp_path / "sub" / "a.tandem")
    remember(Path("sub") / ".." / "sub" / "a.tandem", at=at(1))
    remember(tmp_path / "sub" / "a.tandem", at=at(2))
    assert [item.path for item in recent()] == [tmp_path / "sub" / "a.tandem"]


def test_at_most_ten_are_kept(tmp_path: Path) -> None:
    paths = [touch(tmp_path / f"{n:02d}.tandem") for n in range(MAX_RECENT + 3)]
    for day, path in enumerate(paths, start=1):
        remember(path, at=at(day))
    listed = [item.path for item in recent()]
    assert listed == list(reversed(paths))[:MAX_RECENT]
    assert len(json.loads(recent_file().read_text())["journals"]) == MAX_RECENT


def test_missing_files_are_listed_and_marked(tmp_path: Path) -> None:
    here = touch(tmp_path / "here.tandem")
    gone = touch(tmp_path / "gone.tandem")
    remember(here, at=at(1))
    remember(gone, at=at(2))
    gone.unlink()
    assert [(item.path.name, item.missing) for item in recent()] == [
        ("gone.tandem", True),
        ("here.tandem", False),
    ]


def test_forget(tmp_path: Path) -> None:
    first, second = touch(tmp_path / "a.tandem"), touch(tmp_path / "b.tandem")
    remember(first, at=at(1))
    remember(second, at=at(2))
    assert forget(second)
    assert [item.path for item in recent()] == [first]
    assert forget(tmp_path / "never.tandem")  # nothing to do is fine
    assert first.exists() and second.exists()  # forgetting never touches the file


def test_only_paths_and_times_are_stored(tmp_path: Path) -> None:
    remember(touch(tmp_path / "a.tandem"), at=at(1))
    stored = json.loads(recent_file().read_text())
    assert set(stored) == {"tandem_recent", "journals"}
    assert stored["journals"] == [{"path": str(tmp_path / "a.tandem"), "opened_at": at(1)}]
    assert recent_file().stat().st_mode & 0o777 == 0o600  # written by atomic_write


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00garbage",
        b"[]",
        b'"a string"',
        b'{"journals": "nope"}',
        b'{"journals": [1, null, "x", {"path": 3}, {"path": ""}, {"opened_at": "2026"}]}',
        b'{"journals": [{"path": "a\\u0000b", "opened_at": "2026"}]}',
    ],
)
def test_a_corrupt_list_reads_as_empty_and_is_replaced(content: bytes, tmp_path: Path) -> None:
    recent_file().parent.mkdir(parents=True, exist_ok=True)
    recent_file().write_bytes(content)
    assert recent() == []
    assert remember(touch(tmp_path / "a.tandem"), at=at(1))
    assert [item.path.name for item in recent()] == ["a.tandem"]


def test_good_items_survive_bad_ones_beside_them(tmp_path: Path) -> None:
    recent_file().parent.mkdir(parents=True, exist_ok=True)
    good = touch(tmp_path / "a.tandem")
    recent_file().write_text(
        json.dumps({"journals": [{"path": 5}, {"path": str(good), "opened_at": 7}]})
    )
    assert recent() == [RecentJournal(good, "", missing=False)]


def test_a_list_that_cannot_be_read_is_empty(tmp_path: Path) -> None:
    recent_file().mkdir(parents=True)  # a folder where the file should be
    assert recent() == []
    assert remember(tmp_path / "a.tandem") is False


def test_a_failed_write_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: Path, data: bytes) -> None:
        raise TandemError(f"cannot save {path}: the disk is full")

    monkeypatch.setattr(recent_module, "atomic_write", refuse)
    assert remember(tmp_path / "a.tandem") is False
    assert forget(tmp_path / "a.tandem") is True  # nothing listed, nothing to write
    assert recent() == []
