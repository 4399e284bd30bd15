"""Writing an export: atomically, readable only by its owner, never over a journal."""

from __future__ import annotations

from pathlib import Path

from journal.errors import TandemError
from journal.fileformat import MAGIC
from journal.storage import atomic_write


def not_encrypted_warning(out: Path | str) -> str:
    """The one-line warning every export ends with."""
    return f"the export is NOT encrypted: {out}"


def checked_target(journal_path: Path, out_path: Path) -> Path:
    """The resolved path to write an export to, after refusing the journal, folders and
    Tandem files."""
    out = Path(out_path)
    target = out.resolve()
    if target == Path(journal_path).resolve():
        raise TandemError(f"refusing to write the export over the journal itself ({out})")
    if target.is_dir():
        raise TandemError(f"{out} is a folder; give the export a file name")
    if target.exists():
        try:
            if Path(journal_path).exists() and target.samefile(journal_path):
                raise TandemError(f"refusing to write the export over the journal itself ({out})")
            with open(target, "rb") as handle:
                head = handle.read(len(MAGIC))
        except OSError as error:
            reason = error.strerror or str(error)
            raise TandemError(f"cannot check {out} before writing: {reason}") from error
        if head == MAGIC:
            raise TandemError(f"refusing to write the export over {out}: it is a Tandem journal")
    return target


def write_export(journal_path: Path, out_path: Path, text: str) -> None:
    """Write an export to `out_path` atomically, readable only by its owner (mode 0600).

    Refuses to write over the journal itself or over any Tandem file.
    """
    write_export_bytes(journal_path, out_path, text.encode("utf-8"))


def write_export_bytes(journal_path: Path, out_path: Path, data: bytes) -> None:
    """`write_export` for bytes (a zip, a CSV file with its byte order mark)."""
    atomic_write(checked_target(journal_path, out_path), data)
