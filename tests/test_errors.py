"""The exit code of every error a user can meet: the contract of `tandem` (journal/errors.py)."""

from __future__ import annotations

import pytest

from journal import errors


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.TandemError, 1),
        (errors.UsageError, 2),
        (errors.WrongPassphrase, 3),
        (errors.NotATandemFile, 4),
        (errors.NewerFormat, 4),
        (errors.DamagedFile, 4),
        (errors.OtherJournal, 5),
        (errors.FileChangedOnDisk, 1),
        (errors.JournalLocked, 1),
        (errors.NotFound, 1),
    ],
)
def test_exit_code(error: type[errors.TandemError], code: int) -> None:
    assert error("a message").exit_code == code


def test_a_file_that_cannot_be_read_is_one_kind_of_error() -> None:
    for error in (errors.NotATandemFile, errors.NewerFormat, errors.DamagedFile):
        assert issubclass(error, errors.UnreadableFile)
    assert not issubclass(errors.WrongPassphrase, errors.UnreadableFile)


def test_a_destructive_merge_says_how_much_it_would_delete() -> None:
    class Report:
        deleted_count, live_before = 6, 10

    error = errors.MergeTooDestructive(Report())
    assert error.exit_code == 1
    assert str(error) == (
        "this merge would delete 6 of 10 records; "
        "look at the copy first, or use --force to merge anyway"
    )
