"""The caseload as a list: one journal a row, what needs you first, filling in as cases arrive.

`CaseList.show_cases(cases)` puts the cases in "needs you" order
(`journal.caseload.sort_cases`) and keeps the highlighted journal highlighted
while the order changes. Each row is two lines: the journal's name, then what
waits there or its state in one line (a damaged file, a newer format, ...).
Everything shown is plain text: a title or a path is never read as markup.
"""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from journal.caseload import Case, sort_cases
from journal.text import one_line

__all__ = ["CaseList", "case_label"]

_STATE_STYLES = {
    "ok": "$text-muted",
    "locked": "$text-muted italic",
    "reading": "$text-muted italic",
    "damaged": "bold $text-error",
    "unreadable": "bold $text-error",
    "newer": "bold $text-warning",
    "missing": "bold $text-warning",
    "wrong_passphrase": "bold $text-warning",
}


def case_label(case: Case) -> Content:
    """Two lines for a case: a mark and its name, then what waits or its state."""
    tier = case.needs_you()[0]
    mark = ("● ", "bold $text-accent") if tier == 0 else ("  ", "")
    name_style = "bold" if case.is_open else ("dim" if case.state == "missing" else "")
    parts: list[str | tuple[str, str]] = [mark, (case.name, name_style)]
    if case.is_open and case.child:
        parts.append((f"  {one_line(case.child)}", "$text-muted"))
    style = _STATE_STYLES.get(case.state, "")
    if case.is_open and tier <= 1:
        style = "$text"
    parts.append((f"\n    {case.line()}", style))
    return Content.assemble(*parts)


class CaseList(OptionList):
    """The journals of the caseload, what needs you first; the option id is the file's path."""

    DEFAULT_CSS = """
    CaseList {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        """An empty list (`show_cases` fills it)."""
        super().__init__(id=id, markup=False)
        self.cases: list[Case] = []
        """The cases shown, in the order shown."""
        self.chosen = False
        """Whether the person moved the cursor: until then it stays on the first row."""
        self._showing = False

    def show_cases(self, cases: list[Case]) -> None:
        """Show `cases`, what needs you first; a journal the person moved to stays highlighted
        while the order changes, else the first row is."""
        current = self.highlighted_case if self.chosen else None
        self.cases = sort_cases(cases)
        self._showing = True
        try:
            self.set_options(Option(case_label(case), id=str(case.path)) for case in self.cases)
            if self.cases:
                paths = [case.path for case in self.cases]
                kept = current.path if current is not None else None
                self.highlighted = paths.index(kept) if kept in paths else 0
        finally:
            self._showing = False

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Note that the person moved the cursor (any move but `show_cases`'s own)."""
        if not self._showing and highlighted is not None:  # None: mounting, or no rows
            self.chosen = True
        super().watch_highlighted(highlighted)

    @property
    def highlighted_case(self) -> Case | None:
        """The case of the highlighted row, or None."""
        index = self.highlighted
        if index is None or not 0 <= index < len(self.cases):
            return None
        return self.cases[index]

    def case_at(self, path: Path) -> Case | None:
        """The case of the journal at `path`, if it is listed."""
        return next((case for case in self.cases if case.path == path), None)
