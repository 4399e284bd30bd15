"""The caseload's list (widgets/case_list.py): where the cursor is while cases arrive.

Until the person moves it, the cursor stays on the first row, what needs
them first; once they chose a journal, it stays on that journal whatever the
order becomes, so Enter never opens another family's journal.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.app import App, ComposeResult

from journal.caseload import Case
from widgets.case_list import CaseList


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield CaseList(id="cases")


def reading(name: str) -> Case:
    return Case(path=Path(f"/c/{name}.tandem"), state="reading")


def read(name: str, *, questions: int = 0) -> Case:
    return Case(path=Path(f"/c/{name}.tandem"), state="ok", title=name, questions=questions)


def test_the_cursor_stays_on_the_first_row_until_the_person_moves_it() -> None:
    asyncio.run(_cursor())


async def _cursor() -> None:
    async with ListApp().run_test() as pilot:
        cases = pilot.app.query_one(CaseList)
        cases.focus()
        cases.show_cases([reading("ann"), reading("bo"), reading("cy")])
        await pilot.pause()
        cases.show_cases([read("ann"), reading("bo"), read("cy", questions=2)])
        await pilot.pause()
        assert cases.highlighted_case is not None and cases.highlighted_case.title == "cy"
        await pilot.press("down")
        chosen = cases.highlighted_case
        assert chosen is not None and cases.chosen
        cases.show_cases([read("ann"), read("bo", questions=5), read("cy", questions=2)])
        await pilot.pause()
        assert cases.highlighted_case is not None
        assert cases.highlighted_case.path == chosen.path  # not the new first row
