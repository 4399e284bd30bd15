"""The floor: the least a program can do for each operation on the same plaintext.

    python bench/floor.py unlock|list|search|add JSON_PATH [ARG]

Reads the journal document (the same JSON Tandem keeps inside its encrypted
payload) from one plain JSON file with `json.load`, then lists the newest 10,
searches, or appends one entry and writes the file back atomically (temp file,
fsync, `os.replace`). No encryption, no compression, no key derivation.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def load(path: Path) -> dict[str, Any]:
    """The whole document."""
    with open(path, encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


def live_entries(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Entries that are not deleted, newest first (as `tandem list` orders them)."""
    entries = [e for e in document.get("entries", {}).values() if e.get("deleted_at") is None]
    entries.sort(key=lambda e: (e.get("occurred_at", ""), e.get("created_at", "")), reverse=True)
    return entries


def show(entries: list[dict[str, Any]]) -> None:
    """One line per entry: date, kind, short id, title."""
    lines = [f"{e['occurred_at']}  {e['kind']:<8} {e['id'][:8]}  {e['title']}" for e in entries]
    if lines:
        print("\n".join(lines))


def search_text(entry: dict[str, Any]) -> str:
    """What a search looks in: title, body, tags and field values (as Tandem does)."""
    parts = [entry.get("title", ""), entry.get("body", ""), " ".join(entry.get("tags", ()))]
    parts.extend(str(v) for v in entry.get("fields", {}).values() if v)
    return "\n".join(parts).casefold()


def add(path: Path, document: dict[str, Any], title: str, body: str) -> str:
    """Append one entry and replace the file atomically; returns the new id."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    entry_id = uuid.uuid4().hex
    document.setdefault("entries", {})[entry_id] = {
        "id": entry_id,
        "kind": "checkin",
        "title": title,
        "body": body,
        "created_at": now,
        "updated_at": now,
        "occurred_at": datetime.now().strftime("%Y-%m-%dT%H:%M"),
        "tags": [],
        "fields": {},
        "deleted_at": None,
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return entry_id


def main(argv: list[str]) -> int:
    """Run one floor operation."""
    if len(argv) < 2:
        print("usage: floor.py unlock|list|search|add JSON_PATH [ARG]...", file=sys.stderr)
        return 2
    operation, path = argv[0], Path(argv[1])
    document = load(path)
    if operation == "unlock":
        return 0
    if operation == "list":
        show(live_entries(document)[:10])
    elif operation == "search":
        needle = argv[2].casefold()
        show([e for e in live_entries(document) if needle in search_text(e)])
    elif operation == "add":
        print(add(path, document, argv[2], argv[3]))
    else:
        print(f"unknown operation {operation!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
