"""The public site stays up (issue 13): wildcard floods cost a bounded time, slow downloads
never hold the threads that answer searches, bodies are refused before they are stored,
expensive routes are rate limited, slow and idle connections are closed.

Nothing here is timed by the test: durations are the server's own, from its access log.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import re
import select
import shutil
import socket
import string
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

import indexer.engine.query_language
from indexer.engine.query_language import ExpansionBudget, parse
from indexer.engine.search import search
from indexer.home import ArchiveHome
from indexer.ingest.importer import ImportReport
from webui.server.export_spool import SPOOL_FOLDER

from live_server import add_staff_account, live_server

LETTERS = string.ascii_lowercase
TWO_LETTERS = ["".join(pair) for pair in itertools.product(LETTERS, repeat=2)]
# The queries of the security review (issue 13), as a visitor would send them.
FLOODS = {
    "26 wildcards": " OR ".join(f"{letter}*" for letter in LETTERS),
    "1,000 characters of wildcards": " ".join(f"{pair}*" for pair in TWO_LETTERS)[:1000],
    "26 fuzzy words": " OR ".join(f"a{letter}x~2" for letter in LETTERS),
    "1,000 characters of fuzzy words": " ".join(f"{pair}x~2" for pair in TWO_LETTERS)[:1000],
}


# --- the cost of one query ----------------------------------------------------------------------


def test_a_query_expands_a_bounded_number_of_patterns(demo_home: ArchiveHome) -> None:
    results = search(demo_home.index, FLOODS["26 wildcards"])
    skipped = [pattern for pattern, count in results.capped if count == 0]
    assert len(skipped) == 26 - indexer.engine.query_language.MAX_PATTERNS
    assert skipped[0] == "i"  # the first eight typed are searched, the rest are not
    assert results.total > 0


def test_words_are_scanned_once_per_query_for_every_field(
    demo_home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Title, abstract, tags and body list their whole words in one field: one scan."""
    scans: list[tuple[str, str]] = []
    original = ExpansionBudget.scan

    def counting(self, reader, source, prefix):  # type: ignore[no-untyped-def]
        scans.append((source, prefix))
        return original(self, reader, source, prefix)

    monkeypatch.setattr(ExpansionBudget, "scan", counting)
    with demo_home.index.searcher() as searcher:
        parse(searcher, "leop* OR tig*", budget=ExpansionBudget())
    assert len(scans) == 2 * 5  # two patterns, five fields each...
    assert {key for key in scans} == {
        ("spelling", "leop"),
        ("authors", "leop"),
        ("spelling", "tig"),
        ("authors", "tig"),
    }  # ...but four scans


def test_the_clock_stops_the_expansion(demo_home: ArchiveHome) -> None:
    budget = ExpansionBudget(expired=lambda: True)
    with demo_home.index.searcher() as searcher:
        parse(searcher, "c* OR leop~", budget=budget)
    assert budget.cut
    results = search(demo_home.index, "leopard c*", time_limit=0)
    assert results.incomplete


def test_a_short_wildcard_finds_papers(corpus_import: tuple[ArchiveHome, ImportReport]) -> None:
    """s* matches thousands of words: its commonest are searched, not nothing."""
    home, _ = corpus_import
    results = search(home.index, "s*", facets=True)
    assert results.total >= 10
    assert not results.incomplete
    assert results.capped == [("s", indexer.engine.query_language.MAX_EXPANSIONS)]


@pytest.fixture(scope="module")
def corpus_copy(
    corpus_import: tuple[ArchiveHome, ImportReport], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of the corpus home this module's servers may write logs into."""
    root = tmp_path_factory.mktemp("abuse") / "home"
    shutil.copytree(corpus_import[0].root, root)
    return root


def test_wildcard_floods_are_answered_partially_saying_so(corpus_copy: Path) -> None:
    """The review's queries: each answered, partial and saying so (the words it did not
    search, or that the search was stopped at its time limit). How long they take is
    ``make bench-abuse``'s to print: no test asserts a time."""
    (corpus_copy / "config.toml").write_text('deep_page_rate_limit = "100 per minute"\n')
    with live_server(corpus_copy) as server:
        for name, query in FLOODS.items():
            path = "/search?" + urllib.parse.urlencode({"q": query})
            status, body = server.get(path)
            page = body.decode()
            assert status == 200, name
            assert "not searched" in page or "took too long" in page, name
            api = "/api/search?" + urllib.parse.urlencode({"q": query, "limit": 100, "page": 2})
            status, body = server.get(api)
            assert status == 200, name
            assert json.loads(body)["results"] == []  # page 10,000: past the end


# --- slow downloads ----------------------------------------------------------------------------


class SlowReader:
    """A client that asks for a URL and then reads nothing (a phone on a poor line)."""

    def __init__(self, port: int, path: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())

    def head(self) -> str:
        """The status line and headers (the body is left unread)."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = self.sock.recv(1)
            if not chunk:
                break
            data += chunk
        return data.decode("latin-1")

    def close(self) -> None:
        self.sock.close()


def _spool_fds(pid: int, home: Path) -> list[str]:
    """The server's open files under the export spool (unnamed: "... (deleted)")."""
    folder = str(home / SPOOL_FOLDER)
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(folder):
            found.append(target)
    return found


@pytest.fixture
def slow_readers() -> Iterator[list[SlowReader]]:
    readers: list[SlowReader] = []
    yield readers
    for reader in readers:
        reader.close()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_slow_zip_readers_never_starve_searches(
    corpus_copy: Path, slow_readers: list[SlowReader]
) -> None:
    """With the export cap's worth of slow ZIP readers connected (more than the server's
    threads; ZIPs of tens of MB, far more than socket buffers hold), searches still answer;
    one more reader gets 503 with Retry-After; the spooled files are gone once the readers
    disconnect."""
    home = corpus_copy
    (home / "config.toml").write_text(
        'threads = 2\nexport_slots = 3\nexport_rate_limit = "100 per minute"\n'
    )
    with live_server(home) as server:
        port = int(server.url.rsplit(":", 1)[1])
        for _ in range(3):
            slow_readers.append(SlowReader(port, "/search.zip?q=page"))
            assert slow_readers[-1].head().startswith("HTTP/1.1 200")
        assert len(_spool_fds(server.process.pid, home)) == 3
        status, body = server.get("/search?q=table")
        assert status == 200 and b"table" in body.lower()
        status, _ = server.get("/healthz")
        assert status == 200
        over = SlowReader(port, "/search.zip?q=table")
        head = over.head()
        over.close()
        assert head.startswith("HTTP/1.1 503")
        assert re.search(r"(?im)^retry-after: \d+", head)
        for reader in slow_readers:
            reader.close()
        deadline = time.monotonic() + 20
        while _spool_fds(server.process.pid, home) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _spool_fds(server.process.pid, home) == []
        assert list((home / SPOOL_FOLDER).iterdir()) == []
        status, _ = server.get("/search.bib?q=page")  # the slots are free again
        assert status == 200


def test_the_spool_gives_back_its_slots_and_says_when_full(app: Flask) -> None:
    app.extensions["export_spool"].slots = 1
    client = app.test_client()
    first = client.get("/search.zip?q=leopard", buffered=False)
    assert first.status_code == 200
    busy = client.get("/search.bib?q=leopard")
    assert busy.status_code == 503
    assert int(busy.headers["Retry-After"]) > 0
    assert "in progress" in busy.get_data(as_text=True)
    as_json = client.get("/search.zip?q=leopard", headers={"Accept": "application/json"})
    assert as_json.status_code == 503 and as_json.get_json()["retry_after"] > 0
    first.get_data()
    first.close()
    assert app.extensions["export_spool"].use().in_flight == 0
    head = client.head("/search.zip?q=leopard")  # says the size, writes nothing
    assert head.status_code == 200 and int(head.headers["Content-Length"]) > 0
    assert app.extensions["export_spool"].use().in_flight == 0
    assert client.get("/search.bib?q=leopard").status_code == 200


# --- bodies ------------------------------------------------------------------------------------


def _post_head(port: int, path: str, size: int, cookie: str = "") -> str:
    """POST ``size`` announced bytes but send only the headers: the status line the server
    answers with, or "" when it waits for the body."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        headers = (
            f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {size}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + "\r\n"
        )
        sock.sendall(headers.encode())
        try:
            return sock.recv(200).decode("latin-1").split("\r\n", 1)[0]
        except TimeoutError:
            return ""
    finally:
        sock.close()


def test_large_bodies_are_refused_before_they_are_read(demo_home: ArchiveHome) -> None:
    """A 150 MB body is answered 413 from its headers alone, unless it is a curator's upload
    (then the server waits for the body)."""
    add_staff_account(demo_home.root, "curator", "a long enough password")
    with live_server(demo_home.root) as server:
        port = int(server.url.rsplit(":", 1)[1])
        for path in ("/upload", "/search", "/login"):
            assert _post_head(port, path, 150 * 1024**2).startswith("HTTP/1.1 413"), path
        assert _post_head(port, "/login", 2000) == ""  # a small form: its body is awaited
        cookie = _login(server.url)
        # A curator may upload that much: the server waits for the body.
        assert _post_head(port, "/upload", 150 * 1024**2, cookie) == ""
        assert _post_head(port, "/search", 150 * 1024**2, cookie).startswith("HTTP/1.1 413")


def _login(url: str) -> str:
    """Log in as the test curator through the form; the session cookie."""
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/login")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    form = urllib.parse.urlencode(
        {"csrf_token": token, "username": "curator", "password": "a long enough password"}
    )
    connection.request(
        "POST",
        "/login",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 303
    return response.getheader("Set-Cookie", "").split(";", 1)[0]


def test_forms_are_small_and_uploads_may_be_large(client: FlaskClient, app: Flask) -> None:
    app.config["MAX_FORM_BYTES"] = 1024
    response = client.post("/login", data={"username": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


# --- rate limits -------------------------------------------------------------------------------


def test_exports_and_deep_pages_are_rate_limited_per_client(app: Flask) -> None:
    app.config["EXPORT_RATE_LIMIT"] = "2 per minute"
    app.config["DEEP_PAGE_RATE_LIMIT"] = "1 per minute"
    client = app.test_client()
    other = app.test_client()
    for _ in range(2):
        response = client.get("/search.bib?q=leopard")
        assert response.status_code == 200
        response.close()
    limited = client.get("/search.ris?q=leopard")
    assert limited.status_code == 429
    assert 0 < int(limited.headers["Retry-After"]) <= 60
    assert "Too many downloads of search results" in limited.get_data(as_text=True)
    # Another address has its own budget.
    elsewhere = other.get("/search.bib?q=leopard", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert elsewhere.status_code == 200
    elsewhere.close()
    # The first pages are free; deep ones are counted.
    for _ in range(3):
        assert client.get("/search?q=leopard&page=2").status_code == 200
    assert client.get("/search?q=leopard&page=11").status_code == 200
    deep = client.get("/api/search?q=leopard&page=50")
    assert deep.status_code == 429 and deep.get_json()["retry_after"] > 0


def test_robots_keep_crawlers_off_the_expensive_routes(client: FlaskClient) -> None:
    robots = client.get("/robots.txt").get_data(as_text=True)
    for path in ("/search.zip", "/search.bib", "/search.ris", "/*page=", "/api/"):
        assert f"Disallow: {path}" in robots


# --- slow and idle connections -----------------------------------------------------------------


def _closed_within(sock: socket.socket, seconds: float, dribble: bool) -> bool:
    """Whether the server closes ``sock`` within ``seconds`` (while it sends a header line
    every half second, when ``dribble``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sock], [], [], 0.5)
        try:
            if readable and sock.recv(100) == b"":
                return True
            if dribble:
                sock.sendall(b"X-Slow: 1\r\n")
        except OSError:
            return True
    return False


def test_slow_headers_and_idle_connections_are_closed(demo_home: ArchiveHome) -> None:
    """A client dribbling its headers (slowloris) and one sending nothing are closed after
    header_timeout; a huge request line is refused; searches go on meanwhile."""
    (demo_home.root / "config.toml").write_text("header_timeout = 2\n")
    with live_server(demo_home.root) as server:
        port = int(server.url.rsplit(":", 1)[1])
        idle = socket.create_connection(("127.0.0.1", port), timeout=30)
        dribble = socket.create_connection(("127.0.0.1", port), timeout=30)
        dribble.sendall(b"GET /search?q=leopard HTTP/1.1\r\n")
        try:
            assert _closed_within(dribble, 15, dribble=True)
            assert _closed_within(idle, 5, dribble=False)
        finally:
            idle.close()
            dribble.close()
        status, _ = server.get("/search?q=" + "leopard+" * 5000)
        assert status == 431
        status, _ = server.get("/search?q=leopard")
        assert status == 200
