"""The second security review's findings (issue 22), each through a real `archive serve` (with a
real local SMTP server, tests/smtp_server.py) or the CLI: staff e-mail carries no link from a
forged Host, copy links end with the paper's access and the paper, one recipient per request,
personal data files are the archive user's alone, and what public figures reveal."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from crossref_server import crossref_server
from security_support import FORM, PASSWORD, USER, fetch, form_token, log_in
from smtp_server import Mailbox, serve_mail_env, smtp_server

from archive.copy_requests import REQUESTS_FILE, CopyRequestStore
from archive.library import META_NAME
from archive.usage import USAGE_FILE
from benchmarks.slow_pdf import slow_page_pdf
from indexer.describe.crossref import CrossrefClient, LookupProblem
from indexer.home import ArchiveHome
from indexer.pictures.preview_cache import PreviewCache
from webui.server.usage import MAX_PER_CLIENT_DAY

from conftest import CORPUS, DEMO_PAPERS, paper_id_of
from live_server import LiveServer, add_staff_account, cli, live_server
from pdf_factory import make_pdf

GUIDE = "camera-trapping-guide.pdf"
STAFF_MAIL = "curator@charity.example"
READER = {"name": "Ada Reader", "email": "ada@university.example", "purpose": "My thesis."}
LINK = re.compile(r"http://[^/\s]+(/papers/[0-9a-f]{64}/copy/\S+)")


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture(scope="module")
def copy_home(_demo_home_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo archive with the camera-trapping guide on request, and one curator."""
    root = tmp_path_factory.mktemp("round2") / "home"
    shutil.copytree(_demo_home_template, root)
    home = ArchiveHome.at(root)
    paper = home.library.get(paper_id_of(home, GUIDE))
    home.library.save(dataclasses.replace(paper, access="on-request"))
    home.index.rebuild(home.library)
    add_staff_account(root, USER, PASSWORD)
    return root


@pytest.fixture(scope="module")
def server(copy_home: Path, mailbox: tuple[Mailbox, int]) -> Iterator[LiveServer]:
    """`archive serve` with mail configured and nothing said about its public address."""
    env = serve_mail_env(
        mailbox[1],
        ARCHIVE_COPY_REQUEST_NOTIFY=STAFF_MAIL,
        ARCHIVE_COPY_REQUEST_RATE_LIMIT="1000 per hour",
        ARCHIVE_LOGIN_RATE_LIMIT="200 per minute",
    )
    with live_server(copy_home, env=env) as running:
        yield running


def guide_id(root: Path) -> str:
    return paper_id_of(ArchiveHome.at(root), GUIDE)


def ask_copy(server: LiveServer, paper_id: str, host: str | None = None, **fields: str):  # type: ignore[no-untyped-def]
    """A reader's request for a copy, as the paper page's form posts it."""
    token, cookie = form_token(server, f"/papers/{paper_id}")
    headers = {**FORM, "Cookie": cookie}
    if host:
        headers["Host"] = host
    data = urlencode({"csrf_token": token, **READER, **fields})
    return fetch(server, "POST", f"/papers/{paper_id}/request-copy", headers, data), cookie


def set_access(root: Path, paper_id: str, access: str) -> None:
    """Change a paper's access in its sidecar (the source of truth the server reads)."""
    library = ArchiveHome.at(root).library
    library.save(dataclasses.replace(library.get(paper_id), access=access))


def approve(server: LiveServer, root: Path, email: str) -> None:
    """A curator approves the open request from ``email`` on the dashboard."""
    [item] = [r for r in CopyRequestStore(root).open_requests() if r.email == email]
    cookie = log_in(server)
    token, cookie = form_token(server, "/staff", cookie)
    answer = fetch(
        server,
        "POST",
        f"/staff/copy-requests/{item.id}/approve",
        {**FORM, "Cookie": cookie},
        urlencode({"csrf_token": token}),
    )
    assert answer.status == 303


# --- 1. no links from a forged Host in the curators' e-mail -------------------------------------


def test_a_forged_host_never_becomes_a_link_in_the_curators_mail(
    server: LiveServer, copy_home: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box = mailbox[0]
    before = len(box.to(STAFF_MAIL))
    answer, _ = ask_copy(server, guide_id(copy_home), host="evil.example")
    assert answer.status == 303
    [notice] = box.to(STAFF_MAIL)[before:]
    body = notice.get_content()
    assert "evil.example" not in body
    assert "http" not in body  # no link at all: the archive does not know its own address
    assert "staff dashboard" in body and "public_base_url" in body  # where to look instead


# --- 9. exactly one recipient -------------------------------------------------------------------


@pytest.mark.parametrize(
    "address", ["postmaster,reader@example.org", "a@b.c>,<x@evil.example", "Ada <a@b.example>"]
)
def test_an_address_that_names_several_recipients_is_refused(
    server: LiveServer, copy_home: Path, mailbox: tuple[Mailbox, int], address: str
) -> None:
    before = len(CopyRequestStore(copy_home).open_requests())
    answer, _ = ask_copy(server, guide_id(copy_home), email=address)
    assert answer.status == 400
    assert "e-mail address such as" in answer.text
    assert len(CopyRequestStore(copy_home).open_requests()) == before  # nothing kept


# --- 2. links end with the paper's access and with the paper ------------------------------------


def test_a_copy_link_ends_when_the_paper_is_hidden_or_removed_and_removal_forgets_requests(
    server: LiveServer, copy_home: Path, mailbox: tuple[Mailbox, int]
) -> None:
    paper_id = guide_id(copy_home)
    answer, _ = ask_copy(server, paper_id, email="holder@university.example")
    assert answer.status == 303
    approve(server, copy_home, "holder@university.example")
    [message] = mailbox[0].to("holder@university.example")
    link = LINK.search(message.get_content())
    assert link, message.get_content()
    path = link.group(1)
    assert fetch(server, "GET", path).status == 200

    set_access(copy_home, paper_id, "staff-only")
    hidden = fetch(server, "GET", path)
    assert hidden.status == 403 and b"%PDF" not in hidden.body
    set_access(copy_home, paper_id, "on-request")
    assert fetch(server, "GET", path).status == 200  # the link lives as long as the access

    pdf = copy_home.parent / GUIDE
    shutil.copy(DEMO_PAPERS / GUIDE, pdf)
    done = cli(copy_home, "remove", paper_id)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(copy_home / REQUESTS_FILE) as db:
        left = db.execute("SELECT count(*) FROM copy_requests WHERE paper_id = ?", (paper_id,))
        assert left.fetchone()[0] == 0  # names and addresses gone with the paper
    done = cli(copy_home, "import", str(pdf), "--access", "on-request")
    assert done.returncode == 0, done.stderr
    again = fetch(server, "GET", path)
    assert again.status == 403 and b"%PDF" not in again.body  # the same file again: a new paper


# --- 10. retention and file modes ---------------------------------------------------------------


def test_the_reader_is_told_requests_expire_and_personal_data_files_are_private(
    server: LiveServer, copy_home: Path
) -> None:
    paper_id = guide_id(copy_home)
    answer, cookie = ask_copy(server, paper_id, email="told@university.example")
    assert answer.status == 303
    page = fetch(server, "GET", f"/papers/{paper_id}", {"Cookie": answer.cookie() or cookie})
    assert "not answered within 30 days is deleted" in page.text
    for name in (REQUESTS_FILE, "logs/access.log"):
        mode = stat.S_IMODE((copy_home / name).stat().st_mode)
        assert mode & 0o077 == 0, (name, oct(mode))


def test_a_requests_file_left_readable_by_others_is_tightened_as_the_archive_starts(
    tmp_path: Path,
) -> None:
    store = CopyRequestStore(tmp_path)
    store.add("a" * 64, "Old Reader", "old@x.example", "p")
    os.chmod(tmp_path / REQUESTS_FILE, 0o644)  # as an older version made it
    CopyRequestStore(tmp_path)
    assert stat.S_IMODE((tmp_path / REQUESTS_FILE).stat().st_mode) == 0o600


def _json(answer) -> dict:  # type: ignore[no-untyped-def]
    return json.loads(answer.body)


# --- 3, 5, 11: previews, /healthz, the usage page -----------------------------------------------

SLOW = "slow-quokka-page.pdf"
HIDDEN = "staff-only-quokka.pdf"


@pytest.fixture(scope="module")
def preview_home(_demo_home_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo archive, a page PDFium needs seconds to draw (open), and a staff-only paper,
    imported with the CLI; one curator."""
    folder = tmp_path_factory.mktemp("previews")
    root = folder / "home"
    shutil.copytree(_demo_home_template, root)
    slow_page_pdf(folder / SLOW, shapes=20_000, words="Quokka survey of the slow page")
    done = cli(root, "import", str(folder / SLOW), "--access", "open")
    assert done.returncode == 0, done.stderr
    make_pdf(folder / HIDDEN, ["Quokka burrows seen by the charity's rangers only."])
    done = cli(root, "import", str(folder / HIDDEN), "--access", "staff-only")
    assert done.returncode == 0, done.stderr
    add_staff_account(root, USER, PASSWORD)
    return root


@pytest.fixture(scope="module")
def preview_server(preview_home: Path) -> Iterator[LiveServer]:
    """`archive serve` with a one-second preview time limit and a budget of three drawings."""
    env = {
        "ARCHIVE_PREVIEW_TIMEOUT": "1",
        "ARCHIVE_PREVIEW_RATE_LIMIT": "3 per minute",
        "ARCHIVE_LOGIN_RATE_LIMIT": "200 per minute",
    }
    with live_server(preview_home, env=env) as running:
        yield running


def preview_of(server: LiveServer, paper_id: str, q: str):  # type: ignore[no-untyped-def]
    return fetch(server, "GET", f"/papers/{paper_id}/pages/1/preview.png?q={q}")


def test_previews_never_queue_a_slow_page_is_tried_once_and_each_client_has_a_budget(
    preview_server: LiveServer, preview_home: Path
) -> None:
    home = ArchiveHome.at(preview_home)
    slow = paper_id_of(home, SLOW)
    answers = []
    first = ThreadPoolExecutor(1).submit(preview_of, preview_server, slow, "quokka")
    while not first.done():  # others asking meanwhile are told "busy" at once, never queued
        answers.append(preview_of(preview_server, slow, f"survey{len(answers)}"))
    answers.append(first.result())
    busy = [a for a in answers if a.status == 503]
    assert busy and all(a.headers["Retry-After"] for a in busy)
    # The page took longer than the limit: the placeholder, and the page is remembered.
    assert {a.headers["Content-Type"].split(";")[0] for a in answers if a.status != 503} == {
        "image/svg+xml"
    }
    for word in ("slow", "page", "quokka+survey"):
        again = preview_of(preview_server, slow, word)
        assert again.status == 200 and again.headers["Content-Type"].startswith("image/svg+xml")
    assert preview_server.output().count("took longer than") == 1  # drawn (and failed) once
    # Drawing costs the client's budget (3 here); the slow page's one attempt used one.
    other = paper_id_of(home, GUIDE)
    statuses = [preview_of(preview_server, other, word).status for word in ("camera", "trap")]
    assert statuses == [200, 200]
    refused = preview_of(preview_server, other, "survey")
    assert refused.status == 429


def test_healthz_counts_only_what_the_public_may_see(
    preview_server: LiveServer, preview_home: Path
) -> None:
    home = ArchiveHome.at(preview_home)
    papers = list(home.library.papers())
    listed = [p for p in papers if p.may_list()]
    assert len(listed) == len(papers) - 1  # the staff-only paper
    figures = _json(fetch(preview_server, "GET", "/healthz"))
    assert figures["papers"] == len(listed)
    assert figures["pages"] == sum(p.pages for p in listed)


def test_the_usage_page_bounds_any_period_it_is_asked_for(preview_server: LiveServer) -> None:
    cookie = log_in(preview_server)
    for query in ("since=0001-01-01&until=9990-01-01", "since=2020-01-01&until=9999-12-31"):
        page = fetch(preview_server, "GET", f"/staff/usage?{query}", {"Cookie": cookie})
        assert page.status == 200, page.text[:300]
        assert "Usage is kept for 730 days up to today" in page.text
        assert len(page.body) < 2_000_000  # two years of weeks, not eight thousand years
    csv = fetch(preview_server, "GET", "/staff/usage.csv?weeks=4", {"Cookie": cookie})
    assert csv.status == 200
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"


# --- 4. what one client can add to the usage store ----------------------------------------------


def usage_rows(root: Path, table: str) -> int:
    with sqlite3.connect(root / USAGE_FILE) as db:
        return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def settled_rows(root: Path, table: str, at_least: int) -> int:
    """The rows of ``table`` once the server's flushes (every two seconds) have stopped adding."""
    last = -1
    for _ in range(60):
        count = usage_rows(root, table) if (root / USAGE_FILE).exists() else 0
        if count >= at_least and count == last:
            return count
        last = count
        time.sleep(2.5)
    return last


def test_one_client_cannot_grow_the_usage_store_without_bound(
    _demo_home_template: Path, tmp_path: Path
) -> None:
    root = tmp_path / "home"
    shutil.copytree(_demo_home_template, root)
    paper_id = paper_id_of(ArchiveHome.at(root), GUIDE)
    with live_server(root) as server:
        # 20 downloads, each with a user agent of its own: one reader's double click, counted once.
        for number in range(20):
            agent = {"User-Agent": f"Mozilla/5.0 (X11; Linux) Firefox/{100 + number}.0"}
            assert fetch(server, "GET", f"/papers/{paper_id}/download", agent).status == 200
        assert settled_rows(root, "events", 1) == 1
        # A flood of unique queries: served, but one client's counts stop at its daily budget.
        for number in range(MAX_PER_CLIENT_DAY + 40):
            agent = {"User-Agent": f"Mozilla/5.0 (X11; Linux) Firefox/{number}.0"}
            answer = fetch(server, "GET", f"/api/search?q=quokka{number}x", agent)
            assert answer.status == 200
        searches = settled_rows(root, "searches", MAX_PER_CLIENT_DAY - 1)
    assert searches == MAX_PER_CLIENT_DAY - 1  # the download took one count of the budget


# --- 12. PDFs holding JavaScript; Expires beside no-cache ---------------------------------------

SCRIPTED = next(CORPUS.rglob("embedded-images-tables.pdf"))  # a /Names /JavaScript tree


def test_a_pdf_with_javascript_is_noted_at_import_and_offered_as_a_download_only(
    preview_server: LiveServer, preview_home: Path
) -> None:
    done = cli(preview_home, "import", str(SCRIPTED))
    assert done.returncode == 0, done.stderr
    assert "holds JavaScript" in done.stdout + done.stderr
    home = ArchiveHome.at(preview_home)
    scripted = paper_id_of(home, SCRIPTED.name)
    shown = fetch(preview_server, "GET", f"/papers/{scripted}/pdf")
    assert shown.status == 200 and shown.body.startswith(b"%PDF")
    assert shown.headers["Content-Disposition"].startswith("attachment")
    plain = fetch(preview_server, "GET", f"/papers/{paper_id_of(home, GUIDE)}/pdf")
    assert plain.status == 200
    assert plain.headers["Content-Disposition"].startswith("inline")
    assert plain.headers["Cache-Control"] == "public, no-cache"
    assert plain.headers["Expires"] is None  # nothing contradicting no-cache
    assert home.library.get(scripted).javascript is True  # found at import, kept with the paper

    # The paper's page says so to a reader, and to a curator, who may let this one open inline.
    page = fetch(preview_server, "GET", f"/papers/{scripted}")
    assert "offered as a download rather than opened in your browser" in page.text
    assert 'name="inline"' not in page.text
    cookie = log_in(preview_server)
    token, cookie = form_token(preview_server, f"/papers/{scripted}", cookie)
    action = f"/papers/{scripted}/javascript"
    anonymous = fetch(preview_server, "POST", action, FORM, urlencode({"inline": "1"}))
    assert anonymous.status == 302 and "/login" in anonymous.headers["Location"]
    forged = urlencode({"inline": "1"})  # signed in, but no CSRF token: refused
    answer = fetch(preview_server, "POST", action, {**FORM, "Cookie": cookie}, forged)
    assert answer.status == 400 and not home.library.get(scripted).javascript_inline
    allow = urlencode({"inline": "1", "csrf_token": token})
    answer = fetch(
        preview_server, "POST", f"/papers/{scripted}/javascript", {**FORM, "Cookie": cookie}, allow
    )
    assert answer.status == 303 and home.library.get(scripted).javascript_inline
    shown = fetch(preview_server, "GET", f"/papers/{scripted}/pdf")
    assert shown.headers["Content-Disposition"].startswith("inline")
    staff_page = fetch(preview_server, "GET", f"/papers/{scripted}", {"Cookie": cookie})
    assert "opens in the browser all the same" in staff_page.text
    again = urlencode({"inline": "0", "csrf_token": token})
    fetch(
        preview_server, "POST", f"/papers/{scripted}/javascript", {**FORM, "Cookie": cookie}, again
    )
    shown = fetch(preview_server, "GET", f"/papers/{scripted}/pdf")
    assert shown.headers["Content-Disposition"].startswith("attachment")


def test_a_scripted_pdf_imported_by_an_earlier_version_is_still_a_download_only(
    preview_server: LiveServer, preview_home: Path
) -> None:
    home = ArchiveHome.at(preview_home)
    done = cli(preview_home, "import", str(SCRIPTED))
    assert done.returncode == 0, done.stderr
    scripted = paper_id_of(home, SCRIPTED.name)
    sidecar = home.library.pdf_path(scripted).parent / META_NAME
    data = json.loads(sidecar.read_text())
    for key in ("javascript", "javascript_inline"):  # what an earlier version wrote
        data.pop(key, None)
    sidecar.write_text(json.dumps(data))
    assert home.library.get(scripted).javascript is None
    shown = fetch(preview_server, "GET", f"/papers/{scripted}/pdf")
    assert shown.headers["Content-Disposition"].startswith("attachment")
    page = fetch(preview_server, "GET", f"/papers/{scripted}")
    assert "offered as a download rather than opened in your browser" in page.text


# --- 7. a staff-only paper's 404 costs what an absent id's does ---------------------------------


def test_a_staff_only_paper_is_refused_before_its_sidecar_is_read(
    preview_server: LiveServer, preview_home: Path
) -> None:
    home = ArchiveHome.at(preview_home)
    hidden = paper_id_of(home, HIDDEN)
    sidecar = home.library.root / hidden[:2] / hidden / META_NAME
    if not sidecar.exists():
        [sidecar] = home.library.root.rglob(f"{hidden}/{META_NAME}")
    kept = sidecar.read_bytes()
    try:
        # Unreadable now: a route that parsed it before refusing would fail, not answer 404.
        sidecar.write_text("{ not json", "utf-8")
        for path in (f"/papers/{hidden}", f"/papers/{hidden}/pdf", f"/api/papers/{hidden}"):
            answer = fetch(preview_server, "GET", path)
            assert answer.status == 404, (path, answer.status)
        absent = fetch(preview_server, "GET", "/papers/" + "0" * 64)
        assert absent.status == 404
    finally:
        sidecar.write_bytes(kept)


# --- 6, 8. what scores and snippets reveal; deep API paging -------------------------------------


def scores(server: LiveServer, query: str, cookie: str | None = None) -> dict[str, float]:
    answer = fetch(server, "GET", f"/api/search?q={query}", {"Cookie": cookie} if cookie else {})
    assert answer.status == 200, answer.text
    return {hit["id"]: hit["score"] for hit in _json(answer)["results"]}


def test_adding_a_staff_only_paper_leaves_public_scores_as_they_were(
    preview_server: LiveServer, preview_home: Path, tmp_path: Path
) -> None:
    extra = make_pdf(
        tmp_path / "open-quokka-notes.pdf",
        ["Quokka notes: the quokka of Rottnest Island, counted at dusk by volunteers."],
    )
    assert cli(preview_home, "import", str(extra), "--access", "open").returncode == 0
    cookie = log_in(preview_server)
    public_before = scores(preview_server, "quokka")
    staff_before = scores(preview_server, "quokka", cookie)
    assert len(public_before) == 2  # two open papers; the staff-only one is not listed
    hidden = make_pdf(
        tmp_path / "hidden-quokka-census.pdf",
        ["Quokka census, quokka quokka: a staff-only count of quokka colonies. " * 3],
    )
    assert cli(preview_home, "import", str(hidden), "--access", "staff-only").returncode == 0
    staff_after = scores(preview_server, "quokka", cookie)
    shared = set(staff_before) & set(staff_after)
    assert any(staff_before[i] != staff_after[i] for i in shared)  # the raw scores moved
    assert scores(preview_server, "quokka") == public_before  # what the public sees did not


def test_papers_the_visitor_may_not_read_get_one_short_snippet_and_deep_paging_stops(
    server: LiveServer, copy_home: Path
) -> None:
    paper_id = guide_id(copy_home)
    answer = fetch(server, "GET", "/api/search?q=camera+trap")
    [hit] = [h for h in _json(answer)["results"] if h["id"] == paper_id]
    assert len(hit["snippets"]) <= 1
    for snippet in hit["snippets"]:
        words = re.sub(r"</?mark>", "", snippet["html"]).split()
        assert len([w for w in words if w != "…"]) <= 12
    cookie = log_in(server)
    staff = fetch(server, "GET", "/api/search?q=camera+trap", {"Cookie": cookie})
    [full] = [h for h in _json(staff)["results"] if h["id"] == paper_id]
    assert len(full["snippets"]) > len(hit["snippets"]) or len(full["snippets"][0]["html"]) > len(
        hit["snippets"][0]["html"]
    )  # staff still get the whole passages
    deep = fetch(server, "GET", "/api/search?q=the&page=30&limit=10")
    assert deep.status == 400 and "first 200 results" in _json(deep)["error"]
    assert fetch(server, "GET", "/api/search?q=the&page=30", {"Cookie": cookie}).status == 200


# --- info: waitress's own errors carry the security headers; Crossref redirects ------------------


def test_waitress_refusals_carry_the_security_headers(server: LiveServer) -> None:
    too_large = fetch(
        server, "POST", "/search", {**FORM, "Content-Length": str(50 * 1024 * 1024)}, "x"
    )
    too_long = fetch(server, "GET", "/search?q=" + "a" * 40_000)
    for answer in (too_large, too_long):
        assert answer.status in (413, 431), answer.status
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "DENY"


class _Redirector(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_the_crossref_client_follows_no_redirect_to_another_host() -> None:
    with crossref_server() as (elsewhere, seen):
        _Redirector.target = elsewhere.rstrip("/")
        redirector = ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
        thread = threading.Thread(target=redirector.serve_forever, daemon=True)
        thread.start()
        try:
            host, port = redirector.server_address[:2]
            client = CrossrefClient(
                mailto="curator@charity.example", base_url=f"http://{host}:{port}"
            )
            with pytest.raises(LookupProblem, match="redirected to another host"):
                client.fetch("10.1017/S0030605310000116")
        finally:
            redirector.shutdown()
            redirector.server_close()
        assert seen.requests == []  # the other host was never asked


def test_previews_that_fit_no_cache_do_not_pile_up(tmp_path: Path) -> None:
    cache = PreviewCache(tmp_path / "previews", max_bytes=10)  # smaller than any preview
    old = cache.put("a" * 64, b"x" * 100)
    os.utime(old, (time.time() - 3600, time.time() - 3600))  # sent an hour ago
    new = cache.put("b" * 64, b"y" * 100)
    assert new.read_bytes() == b"y" * 100
    assert not old.exists()  # gone, not kept for ever in cache/previews/uncached
