"""SQLite files that hold readers' personal data (requests for a copy, questions to the charity).

Each is one file in the home, in WAL mode (shared by the server's threads and processes and the
CLI), readable and writable by the archive's user alone: the file is made (or an older, wider
one tightened) 0600 before SQLite first opens it, and SQLite gives its ``-wal`` and ``-shm``
files the same mode. Rows are erased for real: ``secure_delete`` makes SQLite overwrite what a
``DELETE`` or an ``UPDATE`` removes instead of leaving it in free space, and :meth:`erased` cuts
the write-ahead log, whose older frames would still hold it, once a reader's data is deleted.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.sqlite_wal import use_wal
from archive.storage import owner_only

TIMEOUT_S = 10


def new_row_id() -> str:
    """A random id for a reader's row (a request, a question), unguessable (96 bits) and safe in
    a URL and on a command line: hexadecimal, so it never starts with "-", which ``archive
    questions delete`` would read as an option (one id in 64 from ``token_urlsafe`` did)."""
    return secrets.token_hex(12)


class PrivateDatabase:
    """One SQLite file of personal data: ``schema`` is run on every connection (``CREATE ...
    IF NOT EXISTS``), and ``upgrade`` once a process, for columns added since a store was made."""

    def __init__(
        self,
        path: Path,
        schema: str,
        upgrade: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        self.path = path
        self._schema = schema
        self._upgrade = upgrade
        self._private = False
        if path.exists():  # an older file, perhaps made wider: tightened as the archive starts
            owner_only(path)
            self._private = True

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction (committed when the block ends without an
        error); makes the file, private, when it is missing."""
        if not self._private:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            owner_only(self.path)
            self._private = True
        connection = sqlite3.connect(self.path, timeout=TIMEOUT_S)
        try:
            use_wal(connection)
            connection.execute("PRAGMA secure_delete=ON")
            connection.execute(self._schema)
            if self._upgrade is not None:
                self._upgrade(connection)
                self._upgrade = None
            with connection:
                yield connection
        finally:
            connection.close()

    def erased(self) -> None:
        """After personal data was deleted: copy the log into the file and cut the log to
        nothing, so no older copy of the deleted rows stays on disk. Best effort: while
        another connection reads, SQLite cuts it at its next checkpoint instead."""
        connection = sqlite3.connect(self.path, timeout=TIMEOUT_S)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
