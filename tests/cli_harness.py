"""Running the `tandem` command in tests: in-process or as a subprocess, never a traceback.

Every run checks stderr: no traceback, and each line either a `tandem: ...` message or
one of the quiet lines the calling test file allows (`Stderr`).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from journal.cli import main, terminal
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    """What one run of the command printed and returned."""

    code: int
    out: str
    err: str

    @property
    def line(self) -> str:
        """stdout's only line (asserting there is exactly one)."""
        lines = self.out.splitlines()
        assert len(lines) == 1, (self.out, self.err)
        return lines[0]

    def error_line(self, code: int) -> str:
        """Assert the run failed with `code` and one `tandem: ...` line on stderr; return it."""
        assert self.code == code, (self.code, self.out, self.err)
        lines = self.err.splitlines()
        assert len(lines) == 1, self.err
        assert lines[0].startswith("tandem: ")
        return lines[0]


Cli = Callable[..., Result]


@dataclass(frozen=True)
class Stderr:
    """What a run may print on stderr: lines starting with `prefixes`, or one of `quiet`."""

    prefixes: tuple[str, ...] = ("tandem: ",)
    quiet: tuple[str, ...] = ("no entries", "no goals", "")

    def check(self, err: str) -> None:
        """Assert `err` holds no traceback and only the lines allowed."""
        assert "Traceback" not in err
        for line in err.splitlines():
            assert line.startswith(self.prefixes) or line in self.quiet, err


class FakeStdin(io.StringIO):
    """Text on stdin that says whether it is a terminal."""

    def __init__(self, text: str, tty: bool) -> None:
        super().__init__(text)
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


def in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], stderr: Stderr
) -> Cli:
    """A runner of `main(args)` in-process, TANDEM_PASSPHRASE set and no terminal to prompt on.

    `env` is set for one run only; `tty` says whether stdin claims to be a terminal.
    """
    monkeypatch.setattr(terminal, "terminal_available", lambda: False)

    def invoke(
        *args: object,
        passphrase: str | None = PASSPHRASE,
        stdin: str = "",
        tty: bool = False,
        env: dict[str, str] | None = None,
    ) -> Result:
        if passphrase is None:
            monkeypatch.delenv("TANDEM_PASSPHRASE", raising=False)
        else:
            monkeypatch.setenv("TANDEM_PASSPHRASE", passphrase)
        for key, value in (env or {}).items():
            monkeypatch.setenv(key, value)
        monkeypatch.setattr(sys, "stdin", FakeStdin(stdin, tty))
        capsys.readouterr()
        try:
            code = main([str(a) for a in args])
        finally:
            for key in env or {}:
                monkeypatch.delenv(key, raising=False)
        out, err = capsys.readouterr()
        stderr.check(err)
        return Result(code, out, err)

    return invoke


def in_subprocess(
    *args: object,
    stderr: Stderr,
    module: str = "journal.cli",
    passphrase: str | None = PASSPHRASE,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
) -> Result:
    """Run `python -m <module> args` with no controlling terminal and the test environment.

    TANDEM_PASSPHRASE is set only when `passphrase` is given; `stdin=None` reads nothing.
    """
    environment = dict(os.environ)  # carries TANDEM_TEST_FAST_KDF and the private XDG folders
    environment.pop("TANDEM_PASSPHRASE", None)
    if passphrase is not None:
        environment["TANDEM_PASSPHRASE"] = passphrase
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        start_new_session=True,
        timeout=120,
    )
    stderr.check(done.stderr)
    return Result(done.returncode, done.stdout, done.stderr)


def at_a_terminal(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """A terminal is there and getpass answers `answers` in turn; returns the prompts shown."""
    import getpass

    prompts: list[str] = []
    replies = iter(answers)

    def ask(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(replies)

    monkeypatch.setattr(terminal, "terminal_available", lambda: True)
    monkeypatch.setattr(getpass, "getpass", ask)
    return prompts
