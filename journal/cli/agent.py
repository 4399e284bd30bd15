"""`tandem agent`, `unlock` and `lock`: the key agent that lets commands skip the key derivation.

    tandem agent enable            # opt in (the `agent = true` setting)
    tandem unlock a.tandem b.tandem   # asks once; the passphrase is tried on each
    tandem list a.tandem -n 10     # no passphrase, no key derivation
    tandem lock                    # forget every key now

The agent itself is journal/agent.py; it forgets keys after a while without
use, at logout and on `tandem lock`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli import terminal
from journal.cli.opening import given_passphrase
from journal.cli.output import err, out, out_json
from journal.cli.parser import Commands, TandemArgumentParser, positive_int
from journal.errors import UsageError
from journal.text import plural, safe_line

if TYPE_CHECKING:
    from journal.agent_client import AgentClient

ACTIONS = ("start", "stop", "status", "enable", "disable")
PROMPTS = 3
"""How many times `tandem unlock` asks, each time for the journals still locked."""


def register(commands: Commands) -> None:
    """Define `agent`, `unlock` and `lock`."""
    commands.add("agent", cmd_agent, _agent_arguments, unlocks=False)
    commands.add("unlock", cmd_unlock, _unlock_arguments, unlocks=False)
    commands.add("lock", cmd_lock, _lock_arguments, unlocks=False)


def _agent_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("action", choices=ACTIONS, help="start, stop, status, enable or disable")
    p.add_argument(
        "--timeout",
        type=positive_int,
        metavar="MINUTES",
        help="forget a key after this many minutes without use (default: the setting, 15)",
    )
    p.add_argument("--foreground", action="store_true", help="start: run here, not in the back")
    p.add_argument("--json", action="store_true", help="status: print JSON")


def _unlock_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="a .tandem journal file")
    p.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="read the passphrase from the first line of FILE",
    )


def _lock_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH", help="only these journals (default: all)")


def _timeout_words(minutes: float) -> str:
    return plural(int(minutes), "minute")


# --- tandem agent ---------------------------------------------------------------------------


def cmd_agent(args: argparse.Namespace) -> int:
    """`tandem agent start|stop|status|enable|disable`."""
    from journal import settings

    action: str = args.action
    if action == "enable":
        settings.set_setting(settings.AGENT, True)
        if args.timeout is not None:
            settings.set_setting(settings.AGENT_TIMEOUT, args.timeout)
        minutes = settings.agent_timeout_minutes()
        out(
            "The key agent is on: 'tandem unlock PATH...' asks once, and commands then open "
            f"those journals without a passphrase until {_timeout_words(minutes)} without use."
        )
        return 0
    if action == "disable":
        settings.set_setting(settings.AGENT, False)
        client = _running()
        if client is not None:
            client.stop()
        out("The key agent is off" + (" and stopped." if client is not None else "."))
        return 0
    if action == "start":
        return _start(args)
    if action == "stop":
        client = _running()
        if client is None:
            out("No agent is running.")
            return 0
        client.stop()
        out("The agent forgot every key and stopped.")
        return 0
    return _status(args)


def _running() -> AgentClient | None:
    from journal.agent_client import AgentClient

    return AgentClient.running()


def _require_enabled() -> None:
    from journal.settings import agent_enabled

    if not agent_enabled():
        raise UsageError(
            "the key agent is off: turn it on with 'tandem agent enable' (it keeps "
            "journal keys in memory, never on disk, for a while)"
        )


def _start(args: argparse.Namespace) -> int:
    from journal.agent_client import start_agent

    _require_enabled()
    if args.foreground:
        from journal.agent import main as agent_main

        return agent_main([] if args.timeout is None else ["--timeout", str(args.timeout)])
    client, started = start_agent(args.timeout)
    status = client.status()
    minutes = float(status.get("timeout") or 0) / 60
    if started:
        out(
            f"The agent is running (pid {status.get('pid')}); it forgets a key after "
            f"{_timeout_words(minutes)} without use."
        )
    else:
        out(f"The agent is already running (pid {status.get('pid')}).")
    return 0


def _status(args: argparse.Namespace) -> int:
    from journal.agent_client import folder_problem
    from journal.settings import agent_enabled

    client = _running()
    enabled = agent_enabled()
    status = client.status() if client is not None else {}
    if args.json:
        out_json(
            {
                "enabled": enabled,
                "running": client is not None,
                "pid": status.get("pid"),
                "held": status.get("held", 0),
                "journals": status.get("journals", []),
                "timeout_seconds": status.get("timeout"),
                "problem": folder_problem(),
            }
        )
        return 0
    out(f"Setting: the key agent is {'on' if enabled else 'off'}.")
    if client is None:
        problem = folder_problem()
        out(f"Not running{f': {problem}' if problem else '.'}")
        return 0
    held = int(status.get("held", 0))
    minutes = float(status.get("timeout") or 0) / 60
    out(
        f"Running (pid {status.get('pid')}): holds the keys of "
        f"{plural(len(status.get('journals', [])), 'journal')} ({plural(held, 'key')}); "
        f"forgets a key after {_timeout_words(minutes)} without use."
    )
    if status.get("runs_commands"):
        run = int(status.get("commands_run") or 0)
        out(
            f"It runs your tandem commands for you, warm (so they start at once): "
            f"{plural(run, 'command')} so far."
        )
    return 0


# --- tandem unlock and lock -----------------------------------------------------------------


def cmd_unlock(args: argparse.Namespace) -> int:
    """`tandem unlock PATH...`: one passphrase, tried on every journal; the agent holds the keys."""
    from journal.agent_client import start_agent
    from journal.keys import hold_keys

    _require_enabled()
    client, _started = start_agent()
    given = given_passphrase(args)
    outcome = hold_keys([Path(p) for p in args.paths], None, client)  # held already, damaged
    for attempt in range(1 if given is not None else PROMPTS):
        waiting = [p for p, (state, _r) in outcome.items() if state in _ASK_AGAIN]
        if not waiting:
            break
        secret = given
        if secret is None:
            if not terminal.terminal_available():
                break
            lead = "Passphrase" if attempt == 0 else "Wrong passphrase; try again"
            names = ", ".join(safe_line(p.name) for p in waiting)
            secret = terminal.ask_hidden(f"{lead} for {names}: ")
            if not secret:
                break
        outcome.update(hold_keys(waiting, secret, client))
    return _report_unlock(outcome)


_ASK_AGAIN = ("locked", "wrong_passphrase")
_EXIT_CODES = {"locked": 3, "wrong_passphrase": 3, "code": 0, "damaged": 4, "newer": 4}


def _report_unlock(outcome: dict[Path, tuple[str, str]]) -> int:
    from journal.settings import agent_timeout_minutes

    held = [path for path, (state, _r) in outcome.items() if state in ("held", "already")]
    from journal.recent import remember

    for path in held:  # `tandem caseload` and the welcome screen list them from now on
        remember(path)
    code = 0
    for path, (state, reason) in outcome.items():
        if state not in ("held", "already"):
            err(f"{path}: {reason}")
            code = max(code, _EXIT_CODES.get(state, 1))
    if held:
        names = ", ".join(safe_line(p.name) for p in held)
        out(
            f"Unlocked {names}: commands open {'it' if len(held) == 1 else 'them'} "
            "without a passphrase until "
            f"{_timeout_words(agent_timeout_minutes())} without use (tandem lock forgets now)."
        )
    return code


def cmd_lock(args: argparse.Namespace) -> int:
    """`tandem lock [PATH...]`: the agent forgets these journals' keys (or every key)."""
    from journal.fileformat import peek_journal_id

    client = _running()
    if client is None:
        out("No agent is running: no key is held.")
        return 0
    if not args.paths:
        forgot = client.forget()
        out(f"The agent forgot {plural(forgot, 'key')}.")
        return 0
    ids = [peek_journal_id(path) for path in args.paths]
    forgot = client.forget(ids)
    out(f"The agent forgot {plural(forgot, 'key')} of {plural(len(ids), 'journal')}.")
    return 0
