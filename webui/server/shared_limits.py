"""Rate-limit counters every server process of a home shares: a SQLite file in the home.

Flask-Limiter counts in memory by default, which is right for one server process; with several
(the ``processes`` setting) each would count on its own, and a client would get that many times
its login attempts or exports. The ``limits`` library, under Flask-Limiter, offers Redis,
Memcached and MongoDB for sharing, none of which a charity's one machine runs; this is its storage
interface over SQLite, which the home already uses (usage figures, questions), for the fixed
windows the archive's limits use. ``archive serve`` picks it when there are several processes and
``ratelimit_storage_uri`` is left at ``memory://``; importing this module registers the scheme.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote, urlparse

from limits.storage import Storage

from archive.sqlite_wal import use_wal

SCHEME = "archive-sqlite"
FILE = Path("tmp") / "rate-limits.sqlite"
# Expired counters are deleted once in this many increments (a lookup ignores them anyway).
PURGE_EVERY = 1000
BUSY_TIMEOUT_S = 5.0


def storage_uri(home: Path) -> str:
    """The storage URI of the counters shared by the server processes of the home at ``home``,
    its file made ready (``archive serve`` calls this before it starts the processes: two of
    them switching a new file to WAL at once may find it locked)."""
    path = (home / FILE).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(_connect(path)) as db:
        use_wal(db)  # kept by the file: later connections are in it
        db.execute(_TABLE)
    return f"{SCHEME}://{path}"


_TABLE = (
    "CREATE TABLE IF NOT EXISTS counters"
    " (key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires REAL NOT NULL)"
)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    db.execute("PRAGMA synchronous=NORMAL")  # counters may be lost in a power cut
    return db


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file, safe across threads and processes: each increment
    is one statement, which SQLite runs atomically under its write lock."""

    STORAGE_SCHEME: ClassVar[list[str]] = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **options: float | str | bool):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = Path(unquote(urlparse(uri).path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._increments = 0
        self._connection().execute(_TABLE)

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread (sqlite3 connections are not shared between threads).
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = _connect(self.path)
        return db

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add ``amount`` to the key's counter (a new window of ``expiry`` seconds when it has none
        or its window is over); returns the count."""
        now = time.time()
        db = self._connection()
        (count,) = db.execute(
            "INSERT INTO counters (key, count, expires) VALUES (?1, ?2, ?3)"
            " ON CONFLICT (key) DO UPDATE SET"
            " count = CASE WHEN expires <= ?4 THEN ?2 ELSE count + ?2 END,"
            " expires = CASE WHEN expires <= ?4 THEN ?3 ELSE expires END"
            " RETURNING count",
            (key, amount, now + expiry, now),
        ).fetchone()
        self._increments += 1
        if self._increments % PURGE_EVERY == 0:
            db.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return int(count)

    def get(self, key: str) -> int:
        """The key's count in its current window (0 when it has none)."""
        row = (
            self._connection()
            .execute("SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        """When the key's window ends (now when it has none)."""
        now = time.time()
        row = (
            self._connection()
            .execute("SELECT expires FROM counters WHERE key = ? AND expires > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        """True when the file can be read."""
        try:
            self._connection().execute("SELECT 1 FROM counters LIMIT 1").fetchall()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter; returns how many there were."""
        return self._connection().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Forget the key's counter."""
        self._connection().execute("DELETE FROM counters WHERE key = ?", (key,))
