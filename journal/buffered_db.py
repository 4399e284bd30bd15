"""TinyDB over an encrypted journal file: the document in memory, written on demand.

`JournalDB` is TinyDB with tables keyed by the records' own ids
(`StringIdTable`); `BufferedMiddleware` keeps its writes in memory until
`flush()`; `EncryptedStorage` reads and writes the document through a
`journal.storage.JournalFile`.
"""

from __future__ import annotations

from typing import Any

from tinydb import Storage, TinyDB
from tinydb.middlewares import Middleware
from tinydb.table import Table

from journal.storage import Document, JournalFile

__all__ = ["BufferedMiddleware", "EncryptedStorage", "JournalDB", "StringIdTable"]


class EncryptedStorage(Storage):
    """A TinyDB storage whose one file is an encrypted `.tandem` journal.

    `read()` returns the decrypted document; `write()` encrypts and saves it
    atomically. Wrap it in `BufferedMiddleware` to save only on demand.
    """

    def __init__(self, journal_file: JournalFile):
        self.journal_file = journal_file

    def read(self) -> Document | None:
        """The journal document, or None when it holds no tables yet."""
        document = self.journal_file.read_document()
        return document or None

    def write(self, data: Document) -> None:
        """Encrypt and save `data` as the whole journal."""
        self.journal_file.write_document(data)


class BufferedMiddleware(Middleware):
    """Keeps TinyDB's writes in memory; `flush()` writes them in one save."""

    def __init__(self, storage_cls: Any = EncryptedStorage) -> None:
        super().__init__(storage_cls)
        self.cache: Document | None = None
        self.dirty = False

    def read(self) -> Document | None:
        """The in-memory document, read from the storage the first time."""
        if self.cache is None:
            self.cache = self.storage.read() or {}
        return self.cache

    def write(self, data: Document) -> None:
        """Remember `data`; nothing is written until `flush()`."""
        self.cache = data
        self.dirty = True

    def flush(self) -> None:
        """Write the document through the storage if anything changed."""
        if self.dirty and self.cache is not None:
            self.storage.write(self.cache)
            self.dirty = False

    def close(self) -> None:
        """Closing does not save: unsaved changes are the caller's decision."""
        self.storage.close()


class StringIdTable(Table):
    """A TinyDB table keyed by the records' own string ids.

    TinyDB's stock table rebuilds the whole table on every write; this one
    updates the stored dict in place, so adding one record costs the same at
    10 or 100,000 records.
    """

    document_id_class = str  # type: ignore[assignment]

    def put(self, doc_id: str, doc: dict[str, Any]) -> None:
        """Insert or replace one record in place."""
        tables = self._storage.read()
        if tables is None:
            tables = {}
        tables.setdefault(self.name, {})[doc_id] = doc
        self._storage.write(tables)
        self.clear_cache()


class JournalDB(TinyDB):
    """TinyDB with string-keyed tables."""

    table_class = StringIdTable
