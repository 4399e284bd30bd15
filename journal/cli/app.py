"""`tandem open`, `demo` and `serve` (and `tandem` alone): the terminal app.

The app (Textual) is imported only inside these commands, so no other
command loads it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli import terminal
from journal.cli.opening import given_passphrase, open_journal, precheck
from journal.cli.output import missing_module, out
from journal.cli.parser import Commands, TandemArgumentParser, positive_int
from journal.errors import TandemError, UsageError
from journal.text import safe_line

if TYPE_CHECKING:
    from journal.journal import Journal


def register(commands: Commands) -> None:
    """Define `demo`, `open` and `serve`."""
    commands.add("demo", cmd_demo, _demo_arguments, unlocks=False)
    commands.add("open", cmd_open)
    commands.add("serve", cmd_serve, _serve_arguments, unlocks=False)


def _demo_arguments(p: TandemArgumentParser) -> None:
    p.add_argument("--dir", metavar="DIR", help="write it here instead")
    p.add_argument("--no-open", action="store_true", help="do not open the app")


def _serve_arguments(p: TandemArgumentParser) -> None:
    p.add_argument(
        "path", nargs="?", metavar="PATH", help="the journal to open (default: the welcome screen)"
    )
    p.add_argument("--port", type=positive_int, default=8000, help="default: 8000")
    p.add_argument("--host", default="127.0.0.1", help="127.0.0.1 (default), localhost or ::1")


def run_app(journal: Journal | None, *, path: Path | None = None, secret: str | None = None) -> int:
    """Run the terminal app on `journal`, or on the unlock screen of `path`, or the welcome."""
    if not terminal.interactive():
        raise UsageError("the app needs a terminal; use 'tandem list' or 'tandem show' in scripts")
    try:
        from screens.app import TandemApp
    except ModuleNotFoundError as error:
        raise missing_module(error) from None
    TandemApp(journal, path=path, secret=secret).run()
    return 0


def run_welcome() -> int:
    """`tandem` alone: the welcome screen (recent journals, create, open, demo)."""
    return run_app(None)


def cmd_demo(args: argparse.Namespace) -> int:
    """`tandem demo`: write a demo journal, print where and its passphrase, open it."""
    import tempfile

    try:
        from journal.demo import DEMO_PASSPHRASE, write_demo_journal
    except ModuleNotFoundError as error:
        raise missing_module(error) from None

    if args.dir:
        folder = Path(args.dir)
        folder.mkdir(parents=True, exist_ok=True)
    else:
        folder = Path(tempfile.mkdtemp(prefix="tandem-demo-"))
    path = folder / "demo.tandem"
    if path.exists():
        raise TandemError(f"{path} already exists; choose another --dir")
    journal = write_demo_journal(path, passphrase=DEMO_PASSPHRASE)
    out(f"Demo journal: {safe_line(str(path))}")
    out(f"Passphrase:   {DEMO_PASSPHRASE}")
    if args.no_open:
        return 0
    sys.stdout.flush()
    return run_app(journal)


def cmd_serve(args: argparse.Namespace) -> int:
    """`tandem serve [PATH]`: the app in a browser on this computer; the passphrase is
    typed in the browser (on the unlock screen), never taken from here."""
    try:
        from journal.serve import serve
    except ModuleNotFoundError as error:
        raise missing_module(error) from None
    serve(Path(args.path) if args.path else None, host=args.host, port=args.port)
    return 0


def cmd_open(args: argparse.Namespace) -> int:
    """`tandem open PATH` (or `tandem PATH`): unlock and run the terminal app.

    With TANDEM_PASSPHRASE or --passphrase-file the journal is unlocked first;
    otherwise the app opens on its unlock screen (key derivation in a worker).
    An invite code opens the app on the step that sets your own passphrase.
    """
    given = given_passphrase(args)
    if args.no_agent:
        os.environ["TANDEM_NO_AGENT"] = "1"  # the app's unlock screen asks no agent either
    if terminal.interactive():
        precheck(args.path)
        return run_app(None, path=Path(args.path), secret=given)
    journal = open_journal(args, allow_invite=True)
    return run_app(journal)
