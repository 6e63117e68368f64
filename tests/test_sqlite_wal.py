"""Server processes meeting a brand-new home at once: each one's first save lands.

Two connections switching a new SQLite file to WAL at the same moment deadlock, and SQLite
answers one of them "database is locked" at once, whatever its busy timeout. Here real
processes, held at a barrier before each new file, make its first write together: before
``use_wal`` tried again, writes were lost in most runs.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from archive.private_db import PrivateDatabase
from archive.questions import QuestionStore
from archive.sqlite_wal import use_wal
from archive.usage import Search, UsageStore

PROCESSES = 4
FILES = 40
_TABLE = "CREATE TABLE IF NOT EXISTS notes (process INTEGER)"


def _note(path: Path, number: int) -> None:
    with PrivateDatabase(path, _TABLE).connect() as db:
        db.execute("INSERT INTO notes VALUES (?)", (number,))


def _first_writes_together(writes: list[Callable[[int], None]]) -> list[str]:
    """Run every write of ``writes`` in PROCESSES processes, all released together for each
    write; what failed, as messages."""
    barrier = multiprocessing.get_context("fork").Barrier(PROCESSES)
    report_read, report_write = os.pipe()
    children = []
    for number in range(PROCESSES):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            for index, write in enumerate(writes):
                barrier.wait(timeout=30)
                try:
                    write(number)
                except Exception as error:
                    os.write(report_write, f"write {index}: {error}\n".encode())
            os._exit(0)
        children.append(pid)
    os.close(report_write)
    with os.fdopen(report_read) as report:
        failures = report.read().splitlines()
    for pid in children:
        os.waitpid(pid, 0)
    return failures


def test_processes_saving_first_on_a_new_home_at_once_all_save(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    writes: list[Callable[[int], None]] = [
        lambda n: UsageStore(home).append([Search(f"otters {n}", 3)], []),
        lambda n: QuestionStore(home).add(f"Where do otters live? ({n})", "s@example.org"),
    ]
    writes += [lambda n, f=f: _note(home / f"private-{f}.sqlite", n) for f in range(FILES)]
    assert _first_writes_together(writes) == []
    with sqlite3.connect(home / "usage.sqlite") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM searches").fetchone()[0] == PROCESSES
    assert len(QuestionStore(home).list()) == PROCESSES
    for file in range(FILES):
        with sqlite3.connect(home / f"private-{file}.sqlite") as db:
            assert db.execute("SELECT count(*) FROM notes").fetchone()[0] == PROCESSES


def test_the_switch_is_tried_again_only_while_the_file_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "not-a-database.sqlite"
    path.write_bytes(b"these are not the bytes of a SQLite file" * 100)
    connection = sqlite3.connect(path)
    try:
        try:
            use_wal(connection, timeout_s=30)
        except sqlite3.DatabaseError as error:  # at once: the loop is for locks only
            assert "locked" not in str(error)
        else:
            raise AssertionError("a file that is no database was put in WAL mode")
    finally:
        connection.close()
