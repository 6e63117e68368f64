"""Several server processes on one home (``archive serve --processes 2``): they answer on one
port, share the login limit, read each upload once, and stop together; a process that dies is
replaced."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from limits import parse
from limits.strategies import FixedWindowRateLimiter
from security_support import PASSWORD, USER, form_token, post_login

from archive.inbox import Inbox
from indexer.cli.main import main as archive_cli
from indexer.home import ArchiveHome
from webui import create_app
from webui.server.shared_limits import FILE, SQLiteStorage, storage_uri

from live_server import add_staff_account, free_port, live_server
from pdf_factory import make_pdf


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _wait_for(condition, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


# --- through a real `archive serve --processes 2` ----------------------------------------------


def test_two_processes_share_the_login_limit_replace_a_dead_one_and_stop_together(
    demo_home: ArchiveHome,
) -> None:
    home = demo_home.root
    add_staff_account(home, USER, PASSWORD)
    with live_server(home, "--processes", "2") as running:
        assert "2 processes of 4 threads" in running.output()
        first = _children(running.process.pid)
        assert len(first) == 2, running.output()
        # Twenty-four wrong passwords at once reach both processes; one limit (5 a minute)
        # holds for them together, where each process counting alone would let up to 10 by.
        token, cookie = form_token(running, "/login")
        with ThreadPoolExecutor(24) as pool:
            answers = list(
                pool.map(lambda _: post_login(running, token, cookie, "wrong password"), range(24))
            )
        statuses = sorted(answer.status for answer in answers)
        assert statuses.count(429) == 24 - statuses.count(200), statuses
        assert 1 <= statuses.count(200) <= 5, statuses
        assert post_login(running, token, cookie, PASSWORD).status == 429
        assert (home / FILE).is_file()

        # No process failed or was replaced so far (both started on a new home at once).
        assert "ended" not in running.output() and _children(running.process.pid) == first
        # A process killed outright is replaced; the other answers meanwhile.
        os.kill(first[0], signal.SIGKILL)
        assert running.get("/search?q=leopard")[0] == 200
        _wait_for(
            lambda: (
                first[0] not in _children(running.process.pid)
                and len(_children(running.process.pid)) == 2
            ),
            "a new server process",
        )
        second = _children(running.process.pid)
        assert first[0] not in second and first[1] in second, running.output()
        assert "ended; starting another" in running.output()
        for _ in range(6):  # fresh connections, whichever process takes them
            assert running.get("/search?q=leopard")[0] == 200

        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(timeout=60) == 0
        assert running.output().rstrip().endswith("Stopped.")
        for pid in second:
            assert not Path(f"/proc/{pid}").exists() or _zombie(pid)


def _zombie(pid: int) -> bool:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"


def test_processes_setting_is_checked(demo_home: ArchiveHome) -> None:
    result = CliRunner().invoke(
        archive_cli, ["--home", str(demo_home.root), "serve", "--processes", "0"]
    )
    assert result.exit_code == 2
    assert "--processes" in result.output and "0 is not in the range" in result.output


def test_counters_that_cannot_be_made_are_a_sentence_not_a_traceback(
    demo_home: ArchiveHome,
) -> None:
    (demo_home.root / FILE).mkdir(parents=True)  # a folder where the counters' file goes
    port = str(free_port())
    done = subprocess.run(  # (not live_server's cli(): were it to serve, a timeout ends it)
        [
            sys.executable,
            "-m",
            "indexer",
            "--home",
            str(demo_home.root),
            "serve",
            "--port",
            port,
            "--processes",
            "2",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert "Cannot make the rate-limit counters the server processes share" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# --- the counters every process shares ---------------------------------------------------------


def test_two_storages_on_one_file_count_as_one(tmp_path: Path) -> None:
    uri = storage_uri(tmp_path)
    first, second = SQLiteStorage(uri), SQLiteStorage(uri)
    limit = parse("3/minute")
    one, other = FixedWindowRateLimiter(first), FixedWindowRateLimiter(second)
    assert one.hit(limit, "login", "10.0.0.1")
    assert other.hit(limit, "login", "10.0.0.1")
    assert one.hit(limit, "login", "10.0.0.1")
    assert not other.hit(limit, "login", "10.0.0.1")  # the fourth, in either process
    assert one.hit(limit, "login", "10.0.0.2")  # another client has its own count
    stats = other.get_window_stats(limit, "login", "10.0.0.1")
    assert stats.remaining == 0 and time.time() < stats.reset_time <= time.time() + 60
    other.clear(limit, "login", "10.0.0.1")
    assert one.hit(limit, "login", "10.0.0.1")


def test_the_file_is_made_ready_before_the_processes_start(tmp_path: Path) -> None:
    """Two processes switching a new file to WAL at once found it locked (a server process
    failed at start, one run in six): ``storage_uri`` makes the file, in WAL, before them, and a
    storage never switches the mode again."""
    uri = storage_uri(tmp_path)
    path = tmp_path / FILE
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("SELECT count(*) FROM counters").fetchone() == (0,)
        db.execute("BEGIN EXCLUSIVE")  # another process holding the file at that moment
        storage = SQLiteStorage(uri)  # opens (the table exists) without waiting for the lock
        db.rollback()
    assert storage.incr("key", expiry=60) == 1


def test_a_window_that_is_over_starts_again(tmp_path: Path) -> None:
    storage = SQLiteStorage(storage_uri(tmp_path))
    assert storage.incr("key", expiry=0) == 1  # a window ending at once
    assert storage.get("key") == 0
    assert storage.incr("key", expiry=60) == 1  # a new window, not a count of 2
    assert storage.incr("key", expiry=60) == 2
    assert storage.check()
    assert storage.reset() == 1
    assert storage.get("key") == 0


def _count(uri: str, times: int) -> None:
    storage = SQLiteStorage(uri)
    for _ in range(times):
        storage.incr("shared", expiry=600)


def test_increments_from_two_processes_at_once_are_all_counted(tmp_path: Path) -> None:
    uri = storage_uri(tmp_path)  # the file made ready before the processes start, as serve does
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_count, args=(uri, 300)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    assert SQLiteStorage(uri).get("shared") == 600


def test_apps_told_to_share_count_logins_together(demo_home: ArchiveHome) -> None:
    from staff_support import login

    add_staff_account(demo_home.root, USER, PASSWORD)
    shared = {
        "ARCHIVE_HOME": str(demo_home.root),
        "RATELIMIT_STORAGE_URI": storage_uri(demo_home.root),
        "LOGIN_RATE_LIMIT": "3/minute",
    }
    first, second = create_app(shared), create_app({**shared, "CLEAN_AT_START": False})
    for app in (first, second, first):
        assert login(app.test_client(), USER, "wrong password").status_code == 200
    assert login(second.test_client(), USER, PASSWORD).status_code == 429


# --- uploads: each is read once, whichever process received it ---------------------------------


def test_two_processes_read_each_waiting_upload_once(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    """Two uploads left waiting (received just before a restart) are read once each, though both
    processes look at the inbox as they start."""
    inbox = Inbox.in_home(demo_home.root)
    names = ("otter-survey.pdf", "heron-census.pdf")
    for name in names:
        pdf = make_pdf(tmp_path / name, [f"A survey of {name[:-4]} numbers along the river."])
        with pdf.open("rb") as stream, inbox.stage(stream, 10_000_000) as staged:
            inbox.commit(staged, batch="b1", filename=name, user=USER)
    config = {"ARCHIVE_HOME": str(demo_home.root), "CLEAN_AT_START": False}
    start = threading.Barrier(2)
    apps = []

    def start_app() -> None:
        start.wait()
        apps.append(create_app(config))  # each kicks its upload thread: the inbox is not empty

    starters = [threading.Thread(target=start_app) for _ in range(2)]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join()
    for app in apps:
        assert app.extensions["staff_services"].uploads.wait_idle(120)
    events = [
        event
        for event in apps[0].extensions["staff_services"].activity.recent(50)
        if event.get("batch") == "b1"
    ]
    assert sorted(event["filename"] for event in events) == sorted(names), events
    assert {event["status"] for event in events} == {"added"}, events
    assert not inbox.pending()
    titles = [paper.filename for paper in demo_home.library.papers()]
    assert sorted(name for name in titles if name in names) == sorted(names)


def test_a_single_process_still_cleans_the_inbox_at_start(demo_home: ArchiveHome) -> None:
    inbox = Inbox.in_home(demo_home.root)
    inbox.tmp.mkdir(parents=True)
    (inbox.tmp / "half-received").write_bytes(b"%PDF-1.4 cut off")
    create_app({"ARCHIVE_HOME": str(demo_home.root), "CLEAN_AT_START": False})
    assert (inbox.tmp / "half-received").exists()  # another process may be receiving it
    create_app({"ARCHIVE_HOME": str(demo_home.root)})
    assert not (inbox.tmp / "half-received").exists()
