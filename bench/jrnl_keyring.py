"""A keyring backend that hands jrnl the bench password, so encrypted runs never prompt.

Used only inside `.venv-bench` through ``PYTHON_KEYRING_BACKEND=jrnl_keyring.BenchKeyring``
with this folder on ``PYTHONPATH``. jrnl asks the keyring before it prompts.
"""

from __future__ import annotations

import os

from keyring.backend import KeyringBackend

PASSWORD_ENV = "JRNL_BENCH_PASSWORD"


class BenchKeyring(KeyringBackend):
    """Returns ``$JRNL_BENCH_PASSWORD`` for every service; stores nothing."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        """The bench password."""
        return os.environ.get(PASSWORD_ENV)

    def set_password(self, service: str, username: str, password: str) -> None:
        """Nothing to store."""

    def delete_password(self, service: str, username: str) -> None:
        """Nothing to delete."""
