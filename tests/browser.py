"""Headless Chromium, as the browser tests and bench/report.py run it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (apt-get install -y chromium; .ci/run installs it)",
)


ARTIFACTS = Path(__file__).parent / "artifacts"
"""Where the browser tests leave the pictures and PDFs they make, for a person to look at."""


def artifact(name: str) -> Path:
    """A path in ARTIFACTS for a file a test is about to make (any older one removed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.unlink(missing_ok=True)
    return path


def chromium_command(profile: Path, *args: str, browser: str | None = CHROMIUM) -> list[str]:
    """The command line of headless Chromium with `args`, in a new empty profile at `profile`."""
    assert browser is not None, "Chromium is not installed"
    shutil.rmtree(profile, ignore_errors=True)
    profile.mkdir(parents=True)
    return [browser, *FLAGS, f"--user-data-dir={profile}", *args]
