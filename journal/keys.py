"""Key-encryption keys held in memory, so that opening a journal again skips the key derivation.

A journal's passphrase slots share one set of Argon2id parameters (salt
included), and the key-encryption key (KEK) derived from a passphrase with
them opens that person's slot. Holding the KEK, keyed by the journal id and
those parameters, lets a later open unwrap the journal key at once; nothing
else about the file format is assumed (`fileformat.unlock`'s `kek_source`).

- `KekStore` holds KEKs in locked memory (``mlock`` where the system allows),
  forgets each after an idle timeout, and zeroes its buffer when it forgets.
  The agent (journal/agent.py) keeps one; the app keeps one for a caseload.
- `KeyHolder` is what holds keys, in this process (`KekStore`) or in the agent
  (`journal.agent_client.AgentClient`).
- `open_held` opens a journal with a held key only; `open_and_hold` derives
  from a typed secret and hands the KEK that opened it to a holder.

Nothing here writes a key to disk. Python copies bytes where it likes (the
secret, the derived key before it is stored): zeroing is best effort.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from journal.crypto import KdfParams, derive_kek
from journal.errors import WrongPassphrase

if TYPE_CHECKING:
    from journal.journal import Journal

__all__ = [
    "DEFAULT_TIMEOUT_SECONDS",
    "KekFinder",
    "KekStore",
    "KeyHolder",
    "NotHeld",
    "hold_keys",
    "open_and_hold",
    "open_held",
    "open_with_agent",
]

DEFAULT_TIMEOUT_SECONDS = 15 * 60
"""A held key is forgotten after this long without use (15 minutes)."""


class NotHeld(WrongPassphrase):
    """No key held for this journal opens it: a passphrase is needed."""


class KeyHolder(Protocol):
    """Something that holds KEKs: this process's `KekStore`, or the agent."""

    def get(self, journal_id: str, params: KdfParams) -> bytes | None:
        """The KEK held for this journal and these parameters, or None."""
        ...

    def put(self, journal_id: str, params: KdfParams, kek: bytes) -> None:
        """Hold `kek` for this journal and these parameters."""
        ...

    def forget(self, journal_ids: Iterable[str] | None = None) -> int:
        """Forget the keys of these journals (None: of every journal); how many were held."""
        ...

    def forget_key(self, journal_id: str, params: KdfParams) -> None:
        """Forget one key (one that no longer opens its journal)."""
        ...


# --- memory that is not swapped out and is zeroed after use ---------------------------


_libc: ctypes.CDLL | None = None
_libc_loaded = False


def _c_library() -> ctypes.CDLL | None:
    global _libc, _libc_loaded
    if not _libc_loaded:
        _libc_loaded = True
        name = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(name, use_errno=True) if name else None
        except OSError:
            _libc = None
    return _libc


def _address(buffer: bytearray) -> int:
    return ctypes.addressof((ctypes.c_char * len(buffer)).from_buffer(buffer))


def lock_memory(buffer: bytearray) -> bool:
    """Keep `buffer` out of swap (``mlock``); False where the system does not allow it."""
    libc = _c_library()
    if libc is None or not buffer:
        return False
    try:
        return int(libc.mlock(ctypes.c_void_p(_address(buffer)), ctypes.c_size_t(len(buffer)))) == 0
    except (AttributeError, OSError):
        return False


def wipe(buffer: bytearray, *, locked: bool = False) -> None:
    """Overwrite `buffer` with zeros in place (and ``munlock`` it when it was locked)."""
    if not buffer:
        return
    ctypes.memset(_address(buffer), 0, len(buffer))
    libc = _c_library()
    if locked and libc is not None:
        with contextlib.suppress(AttributeError, OSError):
            libc.munlock(ctypes.c_void_p(_address(buffer)), ctypes.c_size_t(len(buffer)))


@dataclass
class _Held:
    buffer: bytearray
    locked: bool
    last_used: float


class KekStore:
    """KEKs in memory, by (journal id, KDF parameters); each forgotten after `timeout` idle.

    Thread-safe. `clock` (default `time.monotonic`) is injectable for tests;
    `expire()` forgets the keys idle for `timeout` seconds or more (None: never).
    """

    def __init__(
        self,
        *,
        timeout: float | None = DEFAULT_TIMEOUT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.clock = clock
        self._held: dict[tuple[str, KdfParams], _Held] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)

    def journal_ids(self) -> set[str]:
        """The journals a key is held for."""
        with self._lock:
            return {journal_id for journal_id, _params in self._held}

    def items(self) -> list[tuple[str, KdfParams, bytes]]:
        """Every key held, with its journal and parameters (for worker processes)."""
        self.expire()
        with self._lock:
            return [(jid, params, bytes(held.buffer)) for (jid, params), held in self._held.items()]

    def get(self, journal_id: str, params: KdfParams) -> bytes | None:
        """The KEK held for this journal and these parameters (its idle time starts again)."""
        self.expire()
        with self._lock:
            held = self._held.get((journal_id, params))
            if held is None:
                return None
            held.last_used = self.clock()
            return bytes(held.buffer)

    def put(self, journal_id: str, params: KdfParams, kek: bytes) -> None:
        """Hold `kek` (replacing what was held for the same journal and parameters)."""
        buffer = bytearray(kek)
        locked = lock_memory(buffer)
        with self._lock:
            old = self._held.pop((journal_id, params), None)
            self._held[(journal_id, params)] = _Held(buffer, locked, self.clock())
        if old is not None:
            wipe(old.buffer, locked=old.locked)

    def forget(self, journal_ids: Iterable[str] | None = None) -> int:
        """Zero and drop the keys of these journals (None: all); returns how many there were."""
        wanted = None if journal_ids is None else set(journal_ids)
        with self._lock:
            keys = [key for key in self._held if wanted is None or key[0] in wanted]
            gone = [self._held.pop(key) for key in keys]
        for held in gone:
            wipe(held.buffer, locked=held.locked)
        return len(gone)

    def forget_key(self, journal_id: str, params: KdfParams) -> None:
        """Zero and drop one key (one that no longer opens its journal)."""
        with self._lock:
            held = self._held.pop((journal_id, params), None)
        if held is not None:
            wipe(held.buffer, locked=held.locked)

    def expire(self) -> int:
        """Forget the keys unused for `timeout` seconds; returns how many."""
        if self.timeout is None:
            return 0
        limit = self.clock() - self.timeout
        with self._lock:
            keys = [key for key, held in self._held.items() if held.last_used <= limit]
            gone = [self._held.pop(key) for key in keys]
        for held in gone:
            wipe(held.buffer, locked=held.locked)
        return len(gone)

    def idle_left(self) -> float | None:
        """Seconds until the next key is forgotten if unused (None: none held or no timeout)."""
        if self.timeout is None:
            return None
        with self._lock:
            oldest = min((held.last_used for held in self._held.values()), default=None)
        if oldest is None:
            return None
        return max(0.0, oldest + self.timeout - self.clock())


# --- opening with held keys -----------------------------------------------------------


class KekFinder:
    """A `fileformat.KekSource`: held keys only (no secret), or derive from the secret.

    With `holder` and an empty secret, each slot group's KEK comes from the
    holder (a group it holds nothing for is skipped). With a secret, the KEK
    is derived as usual and remembered in `derived`, so that the one that
    opened the journal can be handed to a holder afterwards.
    """

    def __init__(self, holder: KeyHolder | None = None) -> None:
        self.holder = holder
        self.derived: dict[tuple[str, KdfParams], bytes] = {}
        self.served: list[tuple[str, KdfParams]] = []
        """The (journal id, parameters) whose held key was tried."""

    def __call__(self, journal_id: str, params: KdfParams, secret: str) -> bytes | None:
        """The KEK of one slot group (see the class)."""
        if not secret:
            if self.holder is None:
                return None
            kek = self.holder.get(journal_id, params)
            if kek is not None:
                self.served.append((journal_id, params))
            return kek
        kek = derive_kek(secret, params)
        self.derived[(journal_id, params)] = kek
        return kek


def open_held(
    path: Path | str, holder: KeyHolder, *, lazy: bool = True, check: bool = True
) -> Journal:
    """Open the journal at `path` with a key `holder` holds, deriving nothing.

    Raises `NotHeld` when no held key opens it (a key that no longer does is
    forgotten), and what `Journal.open` raises for a file that cannot be read.
    """
    from journal.journal import Journal

    finder = KekFinder(holder)
    try:
        return Journal.open(path, "", lazy=lazy, kek_source=finder)
    except WrongPassphrase:
        for journal_id, params in finder.served:
            holder.forget_key(journal_id, params)
        raise NotHeld("no key is held for this journal: a passphrase is needed") from None


def open_and_hold(
    path: Path | str, secret: str, holder: KeyHolder | None, *, lazy: bool = True
) -> Journal:
    """Open the journal at `path` with `secret`; give the KEK that opened it to `holder`.

    Only a passphrase's key is held, never a recovery or invite code's. Raises
    what `Journal.open` raises.
    """
    from journal.journal import Journal

    finder = KekFinder()
    journal = Journal.open(path, secret, lazy=lazy, kek_source=finder)
    if holder is not None:
        hold_opening_key(journal, finder, holder)
    return journal


def hold_opening_key(journal: Journal, finder: KekFinder, holder: KeyHolder) -> bool:
    """Give `holder` the KEK from `finder` that opened `journal` (a passphrase's only)."""
    slot = journal.file.unlocked.slot
    kek = finder.derived.get((journal.journal_id, slot.kdf))
    if slot.kind != "passphrase" or kek is None:
        return False
    holder.put(journal.journal_id, slot.kdf, kek)
    return True


def hold_keys(
    paths: Iterable[Path], secret: str | None, holder: KeyHolder
) -> dict[Path, tuple[str, str]]:
    """Try one secret on each journal and give `holder` each passphrase key that opens one.

    Only the header is read and one key unwrapped: nothing is decrypted.
    Returns, per path, a state and a one-line reason: "held" (opened now),
    "already" (a held key opens it), "locked" (no secret given),
    "wrong_passphrase", "code" (a recovery or invite code opened it: those
    are never held), "damaged", "newer" or "unreadable".
    """
    from journal.errors import DamagedFile, NewerFormat, NotATandemFile, TandemError
    from journal.fileformat import read_container, unlock

    found: dict[Path, tuple[str, str]] = {}
    for path in paths:
        try:
            header = read_container(path).header
            try:
                unlock(header, "", kek_source=KekFinder(holder))
                found[path] = ("already", "a held key opens it")
                continue
            except WrongPassphrase:
                if not secret:
                    found[path] = ("locked", "a passphrase is needed")
                    continue
            finder = KekFinder()
            opened = unlock(header, secret, kek_source=finder)
        except WrongPassphrase:
            found[path] = ("wrong_passphrase", "the passphrase does not open it")
            continue
        except NewerFormat as error:
            found[path] = ("newer", str(error))
            continue
        except (DamagedFile, NotATandemFile) as error:
            found[path] = ("damaged", str(error))
            continue
        except TandemError as error:
            found[path] = ("unreadable", str(error))
            continue
        kek = finder.derived.get((header.journal_id, opened.slot.kdf))
        if opened.slot.kind != "passphrase" or kek is None:
            found[path] = ("code", "it opened with a code, which is never held")
            continue
        holder.put(header.journal_id, opened.slot.kdf, kek)
        found[path] = ("held", "unlocked")
    return found


def open_with_agent(path: Path | str, secret: str, *, lazy: bool = True) -> Journal:
    """Open as the app does: with `secret`, whose key the agent then holds (when it runs and
    the person turned it on); with no secret, with a key the agent holds (else `NotHeld`)."""
    from journal.agent_client import agent_for_commands

    agent = agent_for_commands()
    if secret:
        return open_and_hold(path, secret, agent, lazy=lazy)
    if agent is None:
        raise NotHeld("no key is held for this journal: a passphrase is needed")
    return open_held(path, agent, lazy=lazy)
