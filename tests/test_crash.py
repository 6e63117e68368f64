"""Crash safety of the server: `archive serve` killed with SIGKILL in the middle of staff uploads.

Uploads go through HTTP as a browser's script sends them (a logged-in session, the CSRF token from
the form, ``Accept: application/json``). Whatever the server answered "received" before it died
must be in the library and searchable once it has been started again and has finished its
background work, and `archive verify` must then find nothing wrong. (The killed *import* and the
full disk are in tests/test_import.py.)
"""

from __future__ import annotations

import hashlib
import http.client
import http.cookiejar
import io
import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from archive.inbox import PROCESSING_LOCK, Inbox
from indexer.home import ArchiveHome

from conftest import demo_pdfs
from live_server import add_staff_account, live_server
from pdf_factory import make_pdf

USER = "curator"
PASSWORD = "otters-and-leopards"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
# At most this many files (one search page holds them all); the server is killed long before.
MAX_FILES = 90
UPLOADERS = 3
# Kill once this many files have been acknowledged and a few of them are already in the library:
# uploads in flight, received files waiting, papers being stored and indexed.
KILL_AFTER = 6
STORED_BEFORE_KILL = 2
DEADLINE_S = 90


class Session:
    """A logged-in browser, minus the browser: a cookie jar and the form's CSRF token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(
        self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, str]:
        """The status, body and final URL (redirects followed) of a GET, or a POST of ``data``."""
        request = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=60) as response:
                return response.status, response.read(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.url

    def token(self, path: str) -> str:
        status, body, _ = self.request(path)
        match = TOKEN.search(body.decode())
        assert status == 200 and match, f"no CSRF token in the form of {path}"
        return match.group(1)

    def log_in(self, name: str, password: str) -> None:
        form = {"csrf_token": self.token("/login"), "username": name, "password": password}
        status, _, url = self.request("/login", urllib.parse.urlencode(form).encode())
        assert status == 200 and url.endswith("/staff"), "could not log in"

    def upload(self, token: str, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        """POST the upload form as the page's script does; the JSON answer."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n']
        body = parts[0].encode() + token.encode() + b"\r\n"
        for name, content in files:
            body += (
                f"--{boundary}\r\nContent-Disposition: form-data; "
                f'name="files"; filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'
            ).encode()
            body += content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Accept": "application/json",
        }
        status, answer, _ = self.request("/upload", body, headers)
        if status != 201:
            raise AssertionError(f"upload refused ({status}): {answer[:300]!r}")
        return json.loads(answer)


def _wait_for(condition: Any, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.2)


def test_server_killed_during_uploads_loses_nothing_it_acknowledged(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    root = demo_home.root
    add_staff_account(root, USER, PASSWORD)
    library = ArchiveHome.at(root).library
    papers: dict[str, bytes] = {}  # file name -> content, of every file sent
    acknowledged: dict[str, str] = {}  # id (SHA-256) -> file name, answered "received"
    batches: set[str] = set()
    surprises: list[str] = []  # what the upload threads saw that they should not have
    lock = threading.Lock()

    with live_server(root) as server:
        session = Session(server.url)
        session.log_in(USER, PASSWORD)
        token = session.token("/upload")

        def uploader() -> None:
            # One file a request, each a new paper, until the server is gone (or MAX_FILES).
            while True:
                with lock:
                    number = len(papers)
                    if number >= MAX_FILES:
                        return
                    name = f"crash-{number:02d}.pdf"
                    papers[name] = b""
                text = (
                    f"Crash paper {number}: saola sightings in the Annamite range, survey {number}."
                )
                content = make_pdf(tmp_path / name, [text], title=f"Saola survey {number}")
                papers[name] = content.read_bytes()
                try:
                    answer = session.upload(token, [(name, papers[name])])
                except (OSError, http.client.HTTPException):
                    return  # killed: this request was never answered
                except AssertionError as error:
                    surprises.append(str(error))
                    return
                with lock:
                    batches.add(answer["batch"])
                    for row in answer["files"]:
                        if row["status"] == "received":
                            acknowledged[_sha256(papers[row["filename"]])] = row["filename"]
                        else:
                            surprises.append(f"not received: {row}")
                time.sleep(0.05)  # leave the background thread some of the two cores

        def stored() -> int:
            with lock:
                return len(set(acknowledged) & set(library.ids()))

        threads = [threading.Thread(target=uploader) for _ in range(UPLOADERS)]
        for thread in threads:
            thread.start()
        _wait_for(
            lambda: (
                (len(acknowledged) >= KILL_AFTER and stored() >= STORED_BEFORE_KILL)
                or not any(thread.is_alive() for thread in threads)
            ),
            "uploads are received and stored",
        )
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        for thread in threads:
            thread.join(timeout=DEADLINE_S)
        assert not any(thread.is_alive() for thread in threads)
    assert not surprises, surprises
    assert len(acknowledged) >= KILL_AFTER

    # The same home, started again: it reads what it had received and indexes what it stored.
    with live_server(root) as server:
        session = Session(server.url)
        session.log_in(USER, PASSWORD)

        def searchable() -> set[str]:
            status, body, _ = session.request("/api/search?q=saola&limit=100")
            assert status == 200, server.output()[-4000:]
            return {hit["id"] for hit in json.loads(body)["results"]}

        _wait_for(lambda: set(acknowledged) <= searchable(), "every received file is searchable")
        # Every batch page tells the truth: no file left "received", none reported lost.
        for batch in batches:
            _wait_for(
                lambda batch=batch: _batch(session, batch)["pending"] == 0,
                f"batch {batch} is read",
            )
            for row in _batch(session, batch)["files"]:
                # A file stored just before the crash and read again is "added meanwhile".
                assert row["status"] in ("added", "duplicate"), row
        # Background work done: the inbox is empty (debris of the crash included) and the index
        # has caught up with the library.
        inbox = root / "inbox"
        _wait_for(
            lambda: not [p for p in inbox.iterdir() if p.is_file() and p.name != PROCESSING_LOCK],
            "the inbox is empty",
        )
        home = ArchiveHome.at(root)
        _wait_for(
            lambda: home.index.paper_ids() == set(home.library.ids()),
            "the index agrees with the library",
        )
        for paper_id, filename in acknowledged.items():
            status, body, _ = session.request(f"/api/papers/{paper_id}")
            assert status == 200 and json.loads(body)["filename"] == filename

    library_ids = set(home.library.ids())
    uploaded = {_sha256(content) for content in papers.values() if content}
    # Nothing half-made: every paper is a demo paper or one of the uploads.
    assert len(library_ids - uploaded) == len(demo_pdfs())
    check = subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(root), "verify"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "All is well" in check.stdout


def _batch(session: Session, batch: str) -> dict[str, Any]:
    status, body, _ = session.request(
        f"/upload/batches/{batch}", headers={"Accept": "application/json"}
    )
    assert status == 200, body
    return json.loads(body)


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_debris_of_a_crashed_commit_is_cleaned_at_start(tmp_path: Path) -> None:
    """A crash between the inbox's steps leaves files no one will read: a PDF renamed in whose
    commit mark was never written (never acknowledged), or whose mark was already dropped
    (processed), and a mark's temporary file. The next start deletes them, and only them."""
    inbox = Inbox(tmp_path / "inbox")
    with inbox.stage(io.BytesIO(b"%PDF-1.4 kept"), 1000) as staged:
        kept = inbox.commit(staged, batch="b" * 32, filename="kept.pdf", user=USER)
    debris = [
        inbox.root / f"{uuid.uuid4().hex}.pdf",
        inbox.root / f".{uuid.uuid4().hex}.json.x1y2.tmp",
        inbox.tmp / "half-received",
    ]
    for path in debris:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"%PDF-1.4 debris")
    inbox.clean_tmp()
    assert not any(path.exists() for path in debris)
    assert inbox.pending() == [kept]
    assert inbox.pdf_path(kept).read_bytes() == b"%PDF-1.4 kept"
