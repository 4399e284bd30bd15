"""The person's own settings: `config.toml` in Tandem's config folder, beside `recent.json`.

    agent = true          # use the key agent (tandem agent enable / disable)
    agent_timeout = 15    # minutes a held key lasts without use
    checkin_more = false  # a new check-in opens with every field, not the short form

Only this computer's preferences live here, never anything from a journal.
A missing or unreadable file reads as the defaults; `set_setting` rewrites
one line and keeps the others (comments too).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from journal.errors import TandemError

__all__ = [
    "AGENT",
    "AGENT_TIMEOUT",
    "CHECKIN_MORE",
    "DEFAULTS",
    "agent_enabled",
    "agent_timeout_minutes",
    "settings",
    "settings_file",
    "set_setting",
]

AGENT = "agent"
AGENT_TIMEOUT = "agent_timeout"
CHECKIN_MORE = "checkin_more"

DEFAULTS: dict[str, Any] = {AGENT: False, AGENT_TIMEOUT: 15, CHECKIN_MORE: False}
"""Each setting and its value when the file does not set it."""


def settings_file() -> Path:
    """Where the settings are kept: `config.toml` in Tandem's config folder."""
    from journal.recent import recent_file

    return recent_file().parent / "config.toml"


def settings() -> dict[str, Any]:
    """Every known setting: the file's value when it is of the right type, else the default."""
    import tomllib

    try:
        found = tomllib.loads(settings_file().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        found = {}
    values = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        value = found.get(name)
        if type(value) is type(default):
            values[name] = value
    return values


def agent_enabled() -> bool:
    """Whether this person turned the key agent on (`agent = true`)."""
    return bool(settings()[AGENT])


def agent_timeout_minutes() -> int:
    """Minutes a key the agent holds lasts without use (`agent_timeout`, at least 1)."""
    return max(1, int(settings()[AGENT_TIMEOUT]))


def _toml_value(value: bool | int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(int(value))


def set_setting(name: str, value: bool | int) -> Path:
    """Write `name = value` into the settings file (other lines kept); returns the file.

    Raises `TandemError` when the file cannot be written.
    """
    from journal.ondisk import atomic_write, make_private_dir

    if name not in DEFAULTS or type(value) is not type(DEFAULTS[name]):
        raise ValueError(f"unknown setting {name}={value!r}")
    path = settings_file()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    except (OSError, UnicodeDecodeError) as error:
        raise TandemError(f"cannot read {path}: {error}") from None
    line = f"{name} = {_toml_value(value)}"
    pattern = re.compile(rf"\s*{re.escape(name)}\s*=")
    replaced = [line if pattern.match(old) else old for old in lines]
    if replaced == lines and line not in lines:
        replaced.append(line)
    try:
        make_private_dir(path.parent, narrow=True)
        atomic_write(path, ("\n".join(replaced) + "\n").encode("utf-8"))
    except OSError as error:
        raise TandemError(f"cannot write {path}: {error.strerror or error}") from None
    return path
