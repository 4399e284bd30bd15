"""What the parts of `Journal` share: the base they are typed against, and the lock rule.

`Journal` (journal/journal.py) is a core (opening, saving, merging, generic
record access, members and passphrases) plus one part per domain, each a
mixin class in its own module: `journal_entries`, `journal_goals`,
`journal_threads`, `journal_schedule` and `journal_conflicts`. A part uses
the core, and the other parts, only through what `JournalBase` declares.

Locking: one re-entrant lock per journal, `Journal.lock`, guards what is in
memory (the document, the file's header and unread entries, the clock, the
acting member). Every public method and property that reads or changes it is
`@locked`; private helpers expect their caller to hold it. Slow disk work is
done without it (`Journal.save`, `Journal.refresh`), so a reader never waits
for a save.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from journal.errors import UsageError
from journal.model import Comment, Member, Record

if TYPE_CHECKING:
    from journal.buffered_db import BufferedMiddleware, JournalDB
    from journal.identity import MemberKeys
    from journal.membership import SignatureCache, Trust
    from journal.merge import MergeReport
    from journal.model import JournalInfo
    from journal.storage import JournalFile

R = TypeVar("R", bound=Record)
P = ParamSpec("P")
T = TypeVar("T")


class JournalBase:
    """What the parts of `Journal` use from its core and from one another.

    The methods are declared for the type checker only; `Journal` defines them.
    """

    lock: threading.RLock
    """Held by every public method and property that touches the journal in memory."""
    file: JournalFile
    _search_cache: dict[str, tuple[dict[str, Any], str]]
    _glimpsed: tuple[object, dict[str, dict[str, Any]]] | None
    """Record id -> (the stored doc it was made from, its folded search text)."""
    _middleware: BufferedMiddleware
    _db: JournalDB
    # Trust (journal_trust): who is who, signatures checked, keys held in my care.
    _trust_cache: tuple[Any, int, Trust] | None
    _trust_epoch: int
    _checks: SignatureCache
    _custody: dict[str, MemberKeys]
    _signing_keys: MemberKeys | None
    _bootstrapping: bool
    _new_recovery_code: str | None

    if TYPE_CHECKING:

        @property
        def journal_id(self) -> str: ...
        @property
        def opened_with(self) -> str: ...
        @property
        def info(self) -> JournalInfo: ...
        def update_info(self, **changes: Any) -> JournalInfo: ...
        def document(self) -> dict[str, Any]: ...
        def save(self) -> MergeReport | None: ...
        def merge_copy(  # as the mixins call it; Journal's takes carry_over too
            self, path: Path | str, *, dry_run: bool = ..., force: bool = ...
        ) -> MergeReport: ...

        @property
        def member_id(self) -> str | None: ...
        @property
        def me(self) -> Member: ...
        def _now(self) -> str: ...
        def all(self, cls: type[R], *, include_deleted: bool = False) -> list[R]: ...
        def get(self, cls: type[R], record_id: str) -> R: ...
        def find(self, record_id: str) -> Record: ...
        def _in_memory(self, table: str) -> dict[str, dict[str, Any]]: ...
        def stored_doc(self, table: str, record_id: str) -> dict[str, Any] | None: ...
        def _raw(self, cls: type[Record]) -> dict[str, dict[str, Any]]: ...
        def _iter(self, cls: type[R], *, include_deleted: bool = False) -> Iterator[R]: ...
        def _insert(self, record: Record) -> None: ...
        def _update(
            self, record: Record, *, resolving: bool = False, touched: Iterable[str] = ()
        ) -> None: ...
        def _apply(self, record: R, changes: dict[str, Any]) -> R: ...
        def _post(self, target_id: str, body: str, *, kind: str) -> Comment: ...
        def _comments_on(self, target_id: str) -> list[Comment]: ...


S = TypeVar("S", bound=JournalBase)


def locked(method: Callable[Concatenate[S, P], T]) -> Callable[Concatenate[S, P], T]:
    """Make a method of `Journal` hold the journal's lock while it runs."""

    @functools.wraps(method)
    def call(self: S, /, *args: P.args, **kwargs: P.kwargs) -> T:
        with self.lock:
            return method(self, *args, **kwargs)

    return call


def check_choice(what: str, value: str, choices: Iterable[str]) -> None:
    """Refuse a `value` that is not one of `choices`, in one line that lists them."""
    options = tuple(choices)
    if value not in options:
        raise UsageError(f"unknown {what} {value!r}; use one of: {', '.join(options)}")


_DEFAULTS: dict[type[Record], dict[str, Any]] = {}


def field_defaults(cls: type[Record]) -> dict[str, Any]:
    """The default value of each field of a record type (an older version's record lacks them)."""
    found = _DEFAULTS.get(cls)
    if found is None:
        found = _DEFAULTS[cls] = cls.from_doc({}).to_doc()
    return found
