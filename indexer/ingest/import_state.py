"""What earlier imports learnt about each input file, so a re-run skips what has not changed.

A file is known by its absolute path, size and modification time; when all three match, the
earlier outcome stands without reading the file again (no hashing, no extraction). This is a
cache: deleting it only makes the next import slower.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from archive.sqlite_wal import use_wal

# Bump when extraction improves, so files that failed before are tried again.
EXTRACTOR_VERSION = 1


@dataclass(frozen=True)
class FileKey:
    """A file's identity for the cache."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileKey:
        """The key of a file on disk (raises OSError if it cannot be read)."""
        stat = path.stat()
        return cls(str(path.resolve()), stat.st_size, stat.st_mtime_ns)


@dataclass(frozen=True)
class KnownFile:
    """An earlier outcome: the paper the file became, or why it failed."""

    paper_id: str | None
    failure: str | None


class ImportState:
    """The cache, in a SQLite file in the home (WAL mode: imports in parallel processes)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        use_wal(self.db)
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER,"
            " mtime_ns INTEGER, paper_id TEXT, failure TEXT, extractor INTEGER)"
        )

    def lookup(self, key: FileKey) -> KnownFile | None:
        """The earlier outcome for this exact file, if any (failures of an older extractor
        do not count)."""
        row = self.db.execute(
            "SELECT paper_id, failure, extractor FROM files WHERE path=? AND size=? AND mtime_ns=?",
            (key.path, key.size, key.mtime_ns),
        ).fetchone()
        if row is None or (row[1] and row[2] != EXTRACTOR_VERSION):
            return None
        return KnownFile(paper_id=row[0], failure=row[1])

    def remember(self, key: FileKey, paper_id: str | None, failure: str | None) -> None:
        """Record a file's outcome."""
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?)",
            (key.path, key.size, key.mtime_ns, paper_id, failure, EXTRACTOR_VERSION),
        )

    def close(self) -> None:
        """Close the database."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
