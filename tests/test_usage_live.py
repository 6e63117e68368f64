"""Usage statistics through a real `archive serve`: counts right (a robot, a double click, a
search that finds nothing, a ZIP, a PDF view), no personal data in the store's file, and a
server killed with SIGKILL while counting leaves the store whole."""

from __future__ import annotations

import contextlib
import http.client
import shutil
import sqlite3
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.usage import USAGE_FILE, UsageStore
from indexer.cli.main import main
from indexer.home import ArchiveHome

from conftest import paper_id_of
from live_server import LiveServer, live_server

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 UsageTest/7"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
WAIT_S = 30


def fetch(server: LiveServer, path: str, user_agent: str = BROWSER, **headers: str) -> int:
    """GET ``path`` as a browser would; the status (the body is read and dropped)."""
    request = urllib.request.Request(server.url + path, headers={"User-Agent": user_agent})
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def query(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def wait_for_rows(path: Path, sql: str, at_least: int) -> list[tuple]:
    """The rows of ``sql`` once there are ``at_least`` (the server flushes every 2 s)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        found: list[tuple] = []
        if path.exists():
            with contextlib.suppress(sqlite3.OperationalError):  # tables being made
                found = query(path, sql)
        if len(found) >= at_least:
            return found
        assert time.monotonic() < deadline, f"only {found} after {WAIT_S} s"
        time.sleep(0.2)


@pytest.fixture
def served_home(_demo_home_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "home"
    shutil.copytree(_demo_home_template, root)
    return root


def test_counts_through_the_real_server_and_no_personal_data(served_home: Path) -> None:
    leopard = paper_id_of(ArchiveHome.at(served_home), "amur-leopard-fact-sheet.pdf")
    store = served_home / USAGE_FILE
    with live_server(served_home) as server:
        assert fetch(server, "/search?q=leopard", GOOGLEBOT) == 200  # a robot
        assert fetch(server, "/search?q=Snow+Leopard") == 200
        assert fetch(server, "/search?q=Snow+Leopard") == 200  # a double click
        assert fetch(server, "/search?q=pangolin+scales") == 200  # finds nothing
        # A question no paper holds every word of: found by a relaxed match, and counted so.
        assert fetch(server, "/search?q=how+do+researchers+count+leopards%3F") == 200
        assert fetch(server, "/api/search?q=where+do+okapi+live%3F") == 200
        assert fetch(server, "/search.zip?q=tiger") == 200
        assert fetch(server, f"/papers/{leopard}/pdf") == 200
        assert fetch(server, f"/papers/{leopard}/pdf", Range="bytes=100-199") == 206  # a piece
        assert fetch(server, f"/papers/{leopard}/download", GOOGLEBOT) == 200  # a robot
        events = wait_for_rows(store, "SELECT kind, paper_id, query FROM events", 2)
        searches = wait_for_rows(store, "SELECT query, results > 0, relaxed FROM searches", 4)
        time.sleep(2.5)  # one more flush round: nothing else may arrive
        assert sorted(query(store, "SELECT kind, paper_id, query FROM events")) == sorted(events)
        assert sorted(events) == [("pdf", leopard, ""), ("zip", "", "tiger")]
        assert sorted(searches) == [
            ("how do researchers count leopards?", 1, 1),
            ("pangolin scales", 0, 0),
            ("snow leopard", 1, 0),
            ("where do okapi live?", 1, 1),
        ]
        assert len(query(store, "SELECT 1 FROM searches")) == 4

    # Nothing in the file says who asked: every table, every column, every value.
    tables = dict(query(store, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    columns = {
        table: [row[1] for row in query(store, f"PRAGMA table_info({table})")] for table in tables
    }
    assert columns == {
        "searches": ["day", "query", "results", "relaxed", "corrected", "page", "source", "times"],
        "events": ["day", "kind", "paper_id", "query", "times"],
        "handled": ["query", "day"],
    }
    values = [
        str(value)
        for table in tables
        for row in query(store, f"SELECT * FROM {table}")
        for value in row
    ]
    assert values
    for value in values:
        assert "127.0.0.1" not in value and "UsageTest" not in value and "Mozilla" not in value
        assert "T" not in value or len(value) != 19  # days only, never a time of day
    raw = b"".join(
        path.read_bytes() for path in served_home.glob(USAGE_FILE + "*") if path.is_file()
    )
    assert b"127.0.0.1" not in raw and b"UsageTest" not in raw and b"Googlebot" not in raw


def test_a_server_killed_while_counting_leaves_the_store_readable(served_home: Path) -> None:
    store = served_home / USAGE_FILE
    stop = threading.Event()
    with live_server(served_home) as server:

        def readers(number: int) -> None:
            turn = 0
            while not stop.is_set():
                turn += 1
                # A distinct query each time: no double click to filter out.
                with contextlib.suppress(OSError, http.client.HTTPException):  # server gone
                    fetch(server, f"/search?q=leopard+{number}x{turn}", f"{BROWSER} r{number}")

        workers = [threading.Thread(target=readers, args=(n,)) for n in range(3)]
        for worker in workers:
            worker.start()
        try:
            before = len(wait_for_rows(store, "SELECT rowid FROM searches", 20))
            server.process.kill()  # SIGKILL amid counting: no flush, no clean shutdown
            server.process.wait()
        finally:
            stop.set()
            for worker in workers:
                worker.join()

    assert query(store, "PRAGMA integrity_check") == [("ok",)]
    assert len(query(store, "SELECT rowid FROM searches")) >= before
    assert UsageStore(served_home).check() is None
    result = CliRunner().invoke(main, ["--home", str(served_home), "verify"])
    assert result.exit_code == 0, result.output
    # Counting carries on after a restart.
    with live_server(served_home) as server:
        assert fetch(server, "/search?q=after+the+crash") == 200
        wait_for_rows(store, "SELECT 1 FROM searches WHERE query = 'after the crash'", 1)
