"""Putting a SQLite file in WAL mode when other processes may be doing the same at that moment."""

from __future__ import annotations

import sqlite3
import time

# How long to keep trying; a switch takes a millisecond, so this is only ever reached when
# another connection holds the file for a long write.
WAL_SWITCH_S = 5.0


def use_wal(connection: sqlite3.Connection, timeout_s: float = WAL_SWITCH_S) -> None:
    """Put ``connection``'s file in write-ahead-log mode (kept by the file; a no-op once set).

    Two connections switching a new file at the same moment each hold a shared lock and want
    the exclusive one: SQLite answers one of them "database is locked" at once, without waiting
    for its busy timeout, since waiting would deadlock. The other finishes the switch in a
    moment, so the loser tries again (two server processes' first requests on a new home lost
    a usage batch or a question's first save this way, now and then).
    """
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)
