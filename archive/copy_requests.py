"""Readers' requests for a copy of a paper that is available on request only.

One SQLite file, ``HOME/copy-requests.sqlite`` (WAL mode, so several server threads and
processes share it). A request is ``open`` until a curator approves or declines it. The reader's
name and address are personal data: the file (and SQLite's ``-wal`` and ``-shm`` beside it, which
SQLite makes with the same mode) is readable by the archive's user alone
(:mod:`archive.private_db`, which also overwrites what is deleted); a request is kept
while it is open and, once it is decided, for the retention period (so a reader asking again can
be answered in context); a request nobody answered within the retention period expires too (the
reader is told so when asking); then the request is deleted (:meth:`CopyRequestStore.purge`).
A paper's removal deletes its requests (:meth:`CopyRequestStore.forget_paper`), which also ends
the links e-mailed for it.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from archive.private_db import PrivateDatabase, new_row_id

REQUESTS_FILE = "copy-requests.sqlite"
OPEN = "open"
APPROVED = "approved"
DECLINED = "declined"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS copy_requests (
    id TEXT PRIMARY KEY,
    paper_id TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    purpose TEXT NOT NULL,
    created TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    decided TEXT,
    decided_by TEXT,
    language TEXT NOT NULL DEFAULT 'en'
)
"""
# The reader's language (issue 21), for the e-mails that answer them. Stores made before it get
# the column in place; their requests are answered in English, as they were asked.
_LANGUAGE_COLUMN = "ALTER TABLE copy_requests ADD COLUMN language TEXT NOT NULL DEFAULT 'en'"
_COLUMNS = "id, paper_id, name, email, purpose, created, status, decided, decided_by, language"


@dataclass(frozen=True)
class CopyRequest:
    """One reader's request for one paper."""

    id: str
    paper_id: str
    name: str
    email: str
    purpose: str
    created: str
    status: str = OPEN
    decided: str | None = None
    decided_by: str | None = None
    language: str = "en"


class RequestNotOpen(LookupError):
    """The request is gone, or was decided already (by another curator, a moment ago)."""


def _add_language_column(connection: sqlite3.Connection) -> None:
    """Give a store made before languages were kept its ``language`` column (once)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(copy_requests)")}
    if "language" not in columns:
        try:
            connection.execute(_LANGUAGE_COLUMN)
        except sqlite3.OperationalError as error:  # another thread or process added it first
            if "duplicate column" not in str(error):
                raise


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class CopyRequestStore:
    """The copy requests of one archive home."""

    def __init__(self, home: Path) -> None:
        self.path = home / REQUESTS_FILE
        self._file = PrivateDatabase(self.path, _SCHEMA, upgrade=_add_language_column)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._file.connect()

    def add(
        self, paper_id: str, name: str, email: str, purpose: str, language: str = "en"
    ) -> CopyRequest:
        """Record a new, open request; returns it (with its random id). ``language`` is the
        one the reader asked in (``en``, ``ru``): the answer is written in it."""
        request = CopyRequest(
            id=new_row_id(),
            paper_id=paper_id,
            name=name,
            email=email,
            purpose=purpose,
            created=_now().isoformat(),
            language=language,
        )
        with self._db() as db:
            db.execute(
                "INSERT INTO copy_requests (id, paper_id, name, email, purpose, created, language)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (request.id, paper_id, name, email, purpose, request.created, language),
            )
        return request

    def get(self, request_id: str) -> CopyRequest | None:
        """The request with this id, or None."""
        with self._db() as db:
            row = db.execute(
                f"SELECT {_COLUMNS} FROM copy_requests WHERE id = ?",
                (request_id,),
            ).fetchone()
        return CopyRequest(*row) if row else None

    def open_requests(self) -> list[CopyRequest]:
        """The requests waiting for a curator, oldest first."""
        with self._db() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM copy_requests WHERE status = 'open' ORDER BY created, id"
            ).fetchall()
        return [CopyRequest(*row) for row in rows]

    def decide(self, request_id: str, status: str, user: str) -> CopyRequest:
        """Approve or decline an open request; raises :class:`RequestNotOpen` when it is not
        open any more (two curators clicking at once: the second changes nothing)."""
        if status not in (APPROVED, DECLINED):
            raise ValueError(f"unknown decision {status!r}")
        with self._db() as db:
            changed = db.execute(
                "UPDATE copy_requests SET status = ?, decided = ?, decided_by = ?"
                " WHERE id = ? AND status = 'open'",
                (status, _now().isoformat(), user, request_id),
            ).rowcount
        decided = self.get(request_id)
        if not changed or decided is None:
            raise RequestNotOpen(request_id)
        return decided

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete the requests decided more than ``retention_days`` ago, and the open ones
        made more than ``retention_days`` ago that nobody answered (their readers' names and
        addresses with them); returns how many."""
        cutoff = ((now or _now()) - timedelta(days=retention_days)).isoformat()
        with self._db() as db:
            deleted = db.execute(
                "DELETE FROM copy_requests WHERE (status != 'open' AND decided < ?)"
                " OR (status = 'open' AND created < ?)",
                (cutoff, cutoff),
            ).rowcount
        if deleted:
            self._file.erased()
        return deleted

    def forget_paper(self, paper_id: str) -> int:
        """Delete every request for a paper (removed from the archive); returns how many."""
        with self._db() as db:
            return db.execute("DELETE FROM copy_requests WHERE paper_id = ?", (paper_id,)).rowcount
