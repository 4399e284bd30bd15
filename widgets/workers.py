"""The one shape of a worker: a slow call in a thread, its result a message, a failure a note.

Every widget, screen and the app itself run what may be slow (reading the
journal, writing to it, unlocking, exporting) in thread workers, the same way:

    class GoalsScreen(MainScreen):            # MainScreen mixes in WorkerHost
        WORKER_ERRORS = {"board": "Could not read the goals"}

        @work(thread=True, exclusive=True, exit_on_error=False, group="board")
        def load_board(self) -> None:
            self.post_result(self.BoardLoaded(BoardData.load(self.journal)))

        @on(BoardLoaded)
        def _show_board(self, event: BoardLoaded) -> None: ...

- Always `thread=True` and `exit_on_error=False` (a failure never closes the
  app), with a `group` that names what the worker does.
- A read is `exclusive`: a newer read cancels the older one, and
  `post_result` drops the older result. A write is not exclusive (each one is
  written, in the order asked); it reports with `post_message`, since the
  journal has changed whether or not anyone still waits for the answer.
- The result comes back as a message (`post_message` is thread-safe), handled
  on the UI thread with `@on`. A worker never touches widgets.
- An exception the worker does not handle itself ends in `worker_failed`
  (one `Worker.StateChanged` handler, here): one error notification titled
  `WORKER_ERRORS[group]`, the error on one line, never read as markup. A
  class that shows failures in place (a form's message line) overrides
  `worker_failed`; one that must also undo something calls `super()` too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar, Protocol, cast

from textual.worker import Worker, WorkerState, get_current_worker

from journal.text import one_line

if TYPE_CHECKING:
    from textual.message import Message
    from textual.notifications import SeverityLevel

__all__ = ["WORKER_ERROR", "WorkerHost"]

WORKER_ERROR = "Something went wrong"
"""The title of a failure in a group that `WORKER_ERRORS` does not name."""


class _Host(Protocol):
    """What a `WorkerHost` is mixed into: a widget, a screen or the app."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def post_message(self, message: Message) -> bool: ...


class WorkerHost:
    """Mixed into a Widget, Screen or App (before it) that runs thread workers.

    See the module's docstring for the shape every worker takes.
    """

    WORKER_ERRORS: ClassVar[Mapping[str, str]] = {}
    """Worker group -> the title of the notification when a worker of that group fails."""

    def post_result(self, message: Message) -> bool:
        """From a worker: post `message`, unless the worker was cancelled (a newer one runs).

        Returns True when the message was posted.
        """
        if get_current_worker().is_cancelled:
            return False
        return cast(_Host, self).post_message(message)

    def worker_failed(self, group: str, error: BaseException) -> None:
        """A worker of `group` raised `error`: say so in one error notification."""
        cast(_Host, self).notify(
            one_line(str(error)),
            title=self.WORKER_ERRORS.get(group, WORKER_ERROR),
            severity="error",
            markup=False,
        )

    def _on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler of worker states: failures go to `worker_failed`."""
        worker = event.worker
        if event.state is WorkerState.ERROR and worker.error is not None:
            self.worker_failed(worker.group, worker.error)
