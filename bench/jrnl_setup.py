"""Prepare jrnl 4.x for the bench; runs with `.venv-bench/bin/python`, never Tandem's venv.

    jrnl_setup.py version
    jrnl_setup.py config CONFIG_PATH JOURNAL_PATH ENCRYPT(0|1) TIMEFORMAT
    jrnl_setup.py encrypt PLAIN_PATH ENCRYPTED_PATH      (password in $JRNL_BENCH_PASSWORD)

The config is written by jrnl's own `save_config` from its defaults, so jrnl
does not rewrite ("upgrade") it on first use; the editor is empty so jrnl
never opens one. The encrypted journal is written by jrnl's own current
encryption class (v3: PBKDF2-SHA256 100,000 iterations + Fernet).
"""

from __future__ import annotations

import os
import sys
from typing import Any


def main(argv: list[str]) -> int:
    """Do one setup step."""
    from jrnl.__version__ import __version__

    if argv[:1] == ["version"]:
        print(__version__)
        return 0
    if argv[:1] == ["config"] and len(argv) == 5:
        from jrnl.config import get_default_config, save_config

        config_path, journal_path, encrypt, timeformat = argv[1:]
        config: dict[str, Any] = get_default_config()
        config["journals"] = {"default": {"journal": journal_path, "encrypt": encrypt == "1"}}
        config["encrypt"] = encrypt == "1"
        config["editor"] = ""
        config["timeformat"] = timeformat
        config["highlight"] = False
        save_config(config, alt_config_path=config_path)
        return 0
    if argv[:1] == ["encrypt"] and len(argv) == 3:
        from jrnl.encryption import determine_encryption_method_for_writing

        method = determine_encryption_method_for_writing(True)
        encryption = method("default", {"encrypt": True})
        encryption.password = os.environ["JRNL_BENCH_PASSWORD"]
        with open(argv[1], encoding="utf-8") as handle:
            text = handle.read()
        data = encryption.encrypt(text)
        with open(argv[2], "wb") as handle:
            handle.write(data)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
