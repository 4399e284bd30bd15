"""The strength hint: one or two lines under a passphrase field, weak, fair or strong, and why.

The verdict comes from `journal.passphrase.strength`; the create screen and
the set-passphrase dialog both show it.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widgets import Static

from journal.passphrase import strength

__all__ = ["EMPTY_HINT", "StrengthHint"]

EMPTY_HINT = "Four or more unrelated words make a passphrase that is strong and easy to remember."


class StrengthHint(Static):
    """One or two lines under a passphrase field: weak, fair or strong, and why."""

    DEFAULT_CSS = """
    StrengthHint {
        height: auto;
        color: $text-muted;
    }
    StrengthHint.-weak {
        color: $text-error;
    }
    StrengthHint.-fair {
        color: $text-warning;
    }
    StrengthHint.-strong {
        color: $text-success;
    }
    """

    def __init__(self, *, avoid: Iterable[str] = (), id: str | None = None) -> None:
        """A hint that counts words from `avoid` (names in the journal) as easy to guess."""
        super().__init__(EMPTY_HINT, markup=False, id=id)
        self.avoid = tuple(avoid)
        self.verdict = ""
        """The last verdict shown: weak, fair, strong, or empty before anything is typed."""

    def show(self, passphrase: str) -> None:
        """Rate `passphrase` and show the verdict and why."""
        if not passphrase:
            self.verdict, text = "", EMPTY_HINT
        else:
            rated = strength(passphrase, avoid=self.avoid)
            self.verdict, text = rated.verdict, rated.describe()
        if text != str(self.content):
            self.update(text)
        for verdict in ("weak", "fair", "strong"):
            self.set_class(self.verdict == verdict, f"-{verdict}")
