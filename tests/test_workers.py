"""The one worker shape (`widgets.workers.WorkerHost`): results as messages, failures as a note."""

from __future__ import annotations

import contextlib
import threading
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot
from textual.widget import Widget
from textual.worker import WorkerFailed

from tests.harness import play, settle
from widgets.workers import WORKER_ERROR, WorkerHost


class Reader(WorkerHost, Widget):
    """A widget with a read worker, a failing write worker and a group nobody titles."""

    WORKER_ERRORS: ClassVar[dict[str, str]] = {"write": "Could not change the [b]thing[/b]"}

    class Read(Message):
        """What a read worker found."""

        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.gate = threading.Event()

    @work(thread=True, exclusive=True, exit_on_error=False, group="read")
    def read(self, value: str, *, wait: bool = False) -> None:
        if wait:
            self.gate.wait(5)
        self.post_result(self.Read(value))

    @on(Read)
    def _read(self, event: Read) -> None:
        self.shown.append(event.value)

    @work(thread=True, exit_on_error=False, group="write")
    def write(self) -> None:
        raise ValueError("the disk is [red]full[/red]\nsecond line")

    @work(thread=True, exit_on_error=False, group="other")
    def other(self) -> None:
        raise OSError("gone")


class Notes(App[None]):
    """Records what is notified instead of showing it."""

    def __init__(self) -> None:
        super().__init__()
        self.notes: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        yield Reader()

    def notify(self, message: str, **options: Any) -> None:
        self.notes.append({"message": message, **options})


async def fail(pilot: Pilot[None]) -> None:
    """Wait for a worker that fails (waiting on it raises), then for its note."""
    with contextlib.suppress(WorkerFailed):
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_a_result_comes_back_as_a_message_and_a_cancelled_one_is_dropped() -> None:
    async def scenario(app: Notes, pilot: Pilot[None]) -> None:
        reader = app.query_one(Reader)
        reader.read("older", wait=True)  # waits in its thread ...
        await pilot.pause()
        reader.read("newer")  # ... and this newer read cancels it
        await settle(pilot)
        reader.gate.set()  # the older one finishes: its result is dropped
        await settle(pilot)
        assert reader.shown == ["newer"]
        assert app.notes == []

    play(Notes(), scenario)


def test_a_failure_is_one_note_titled_by_its_group_never_markup() -> None:
    async def scenario(app: Notes, pilot: Pilot[None]) -> None:
        reader = app.query_one(Reader)
        reader.write()
        await fail(pilot)
        reader.other()
        await fail(pilot)
        assert app.notes == [
            {
                "message": "the disk is [red]full[/red] second line",
                "title": "Could not change the [b]thing[/b]",
                "severity": "error",
                "markup": False,
            },
            {"message": "gone", "title": WORKER_ERROR, "severity": "error", "markup": False},
        ]

    play(Notes(), scenario)


class InPlace(Reader):
    """Shows a failure of its writes itself; any other failure still notifies."""

    def __init__(self) -> None:
        super().__init__()
        self.failures: list[tuple[str, str]] = []

    def worker_failed(self, group: str, error: BaseException) -> None:
        if group == "write":
            self.failures.append((group, str(error)))
            return
        super().worker_failed(group, error)


class InPlaceNotes(Notes):
    def compose(self) -> ComposeResult:
        yield InPlace()


def test_a_class_can_show_its_failures_in_place() -> None:
    async def scenario(app: InPlaceNotes, pilot: Pilot[None]) -> None:
        widget = app.query_one(InPlace)
        widget.write()
        await fail(pilot)
        assert widget.failures == [("write", "the disk is [red]full[/red]\nsecond line")]
        assert app.notes == []
        widget.other()
        await fail(pilot)
        assert [note["title"] for note in app.notes] == [WORKER_ERROR]

    play(InPlaceNotes(), scenario)
