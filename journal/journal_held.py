"""The held-copies part of `Journal`: a drive's copy kept aside until a person decides.

`HeldMethods` is mixed into `Journal` (journal/journal.py); see `journal_base`,
`journal.held` and docs/SYNC.md ("Safety rails"). A copy that a shared drive
wrote over the open journal, and whose merge would delete more than half of
it or change who is in it, is held aside by `Journal.save` and
`Journal.refresh` (their report's `held_copy` and `why_held`); the app asks,
showing what it would do (`preview_held_copy`), then applies or declines it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.journal_base import JournalBase, locked

if TYPE_CHECKING:
    from journal.held import HeldCopy
    from journal.merge import MergeReport

__all__ = ["HeldMethods", "why_hold"]


class HeldMethods(JournalBase):
    """Drive copies held aside: list them, see what they would do, apply or decline them."""

    @locked
    def held_copies(self) -> list[HeldCopy]:
        """Copies held aside for this journal and not decided yet, oldest first."""
        from journal.held import held_copies  # not at start-up: it reads the drives' patterns

        return held_copies(self.file.path, self.journal_id)

    @locked
    def preview_held_copy(self, path: Path | str) -> MergeReport:
        """What applying a held copy would do (nothing is changed)."""
        return self.merge_copy(path, dry_run=True)

    @locked
    def apply_held_copy(self, path: Path | str) -> MergeReport:
        """Merge a held copy (the person said yes), save, and mark the file applied."""
        from journal.held import settle_held_copy

        report = self.merge_copy(path, force=True)
        self.save()
        settle_held_copy(Path(path), "applied")
        return report

    @locked
    def decline_held_copy(self, path: Path | str) -> Path:
        """Leave a held copy unmerged for good; it stays in the archive, marked declined."""
        from journal.held import settle_held_copy

        return settle_held_copy(Path(path), "declined")


def why_hold(report: MergeReport, before: dict[str, Any], after: dict[str, Any]) -> str:
    """Why a drive's copy must wait for a person (docs/SYNC.md, "Safety rails"), or ''."""
    from journal.merge_report import membership_changed

    if report.deletes_too_much():
        return f"it would delete {report.deleted_count} of {report.live_before} records"
    if membership_changed(report, before, after):
        return "it would change who is in the journal"
    return ""
