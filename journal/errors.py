"""Errors a user can meet, each with its own one-line message and exit code.

The command line maps every `TandemError` to its `exit_code` and prints
`str(error)` on one line; the app shows the same sentence.
"""

from __future__ import annotations


class TandemError(Exception):
    """Base of every error Tandem reports to a person instead of a traceback.

    Its exit code is 1 unless a subclass sets another.
    """

    exit_code = 1


class UsageError(TandemError):
    """The command was called the wrong way."""

    exit_code = 2


class WrongPassphrase(TandemError):
    """No key slot opens with the given passphrase, recovery or invite code."""

    exit_code = 3


class UnreadableFile(TandemError):
    """The file cannot be read as a journal by this Tandem: the base of the three below."""

    exit_code = 4


class NotATandemFile(UnreadableFile):
    """The file does not start with Tandem's magic bytes."""


class NewerFormat(UnreadableFile):
    """The file was written by a newer Tandem whose format this one cannot read or write."""


class DamagedFile(UnreadableFile):
    """The file is a Tandem journal but truncated, altered or missing its tail."""


class OtherJournal(TandemError):
    """The file belongs to a different journal (another journal id)."""

    exit_code = 5


class FileChangedOnDisk(TandemError):
    """The journal file changed on disk since it was loaded; saving would overwrite it."""


class JournalLocked(TandemError):
    """A record cannot be changed in this way (a finalized session note, a deleted record)."""


class NotFound(TandemError):
    """No record has that id (or id prefix)."""


class MergeTooDestructive(TandemError):
    """A merge would delete more than half of the journal's records; it needs confirmation."""

    def __init__(self, report: object) -> None:
        deleted = getattr(report, "deleted_count", 0)
        live = getattr(report, "live_before", 0)
        super().__init__(
            f"this merge would delete {deleted} of {live} records; "
            "look at the copy first, or use --force to merge anyway"
        )
        self.report = report
