"""The staff side of the web app: login, uploads, curation, and the protections around them.

CSRF protection stays on (as in production): every write here posts the token taken from the
page's own form, the way a browser would.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from security_support import PASSWORD, TOKEN, USER
from staff_support import (
    _cheap_password_hashing,
    login,
    search_ids,
    services,
    token,
    upload,
    upload_and_wait,
    wait_until,
)
from werkzeug.test import TestResponse

import webui.staff.curation
from archive.accounts import AccountStore
from indexer.home import ArchiveHome
from indexer.ingest.uploads import display_name
from webui import create_app

from conftest import CORPUS, DEMO_PAPERS, paper_id_of
from pdf_factory import encrypt_pdf, make_pdf

__all__ = ["_cheap_password_hashing"]  # fixtures, used by name

LEOPARD_PDF = "amur-leopard-fact-sheet.pdf"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


# --- helpers ------------------------------------------------------------------------------------


@pytest.fixture
def staff_app(app: Flask, demo_home: ArchiveHome) -> Iterator[Flask]:
    """The app over the demo archive, with one staff account; its threads stopped afterwards."""
    AccountStore(demo_home.root).add(USER, PASSWORD)
    yield app
    services(app).uploads.stop()
    services(app).sync.stop()


@pytest.fixture
def anon(staff_app: Flask) -> FlaskClient:
    """A visitor who is not logged in."""
    return staff_app.test_client()


@pytest.fixture
def staff(staff_app: Flask) -> FlaskClient:
    """A client logged in as the curator."""
    client = staff_app.test_client()
    response = login(client, USER, PASSWORD)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def body_of(response: TestResponse) -> str:
    text = response.get_data(as_text=True)
    assert "Traceback" not in text
    return text


def pdf_bytes(tmp_path: Path, name: str, text: str, **meta: Any) -> bytes:
    return make_pdf(tmp_path / name, [text], **meta).read_bytes()


def pdfs_outside(top: Path, home: Path) -> list[Path]:
    """The PDFs under ``top`` but not in ``home``. The home is not walked at all: its index may
    be writing (and removing) temporary folders meanwhile."""
    found = []
    for folder, subfolders, files in os.walk(top):
        if Path(folder) == home:
            subfolders.clear()
            continue
        found += [Path(folder) / name for name in files if name.endswith(".pdf")]
    return found


def assert_escaped(body: str) -> None:
    assert SCRIPT not in body
    assert "<img src=x" not in body


# --- login and logout ---------------------------------------------------------------------------


def test_login_sets_a_safe_session_cookie_and_logout_ends_it(anon: FlaskClient) -> None:
    assert anon.get("/staff").status_code == 302
    response = login(anon, USER, PASSWORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in this test; see the HTTPS test below
    dashboard = anon.get("/staff")
    assert dashboard.status_code == 200
    assert "Staff dashboard" in body_of(dashboard)
    assert dashboard.headers["Cache-Control"] == "private, no-store"
    logout = anon.post("/logout", data={"csrf_token": token(anon, "/staff")})
    assert logout.status_code == 303
    assert anon.get("/staff").status_code == 302
    assert "You are logged out." in body_of(anon.get("/"))


@pytest.mark.parametrize(
    ("name", "password"),
    [(USER, "wrong password"), ("nobody", PASSWORD), ("", ""), ("../" * 10, PASSWORD)],
)
def test_wrong_credentials_are_refused_alike(anon: FlaskClient, name: str, password: str) -> None:
    response = login(anon, name, password)
    body = body_of(response)
    assert response.status_code == 200
    assert "Wrong user name or password." in body
    assert anon.get("/staff").status_code == 302


def test_login_is_rate_limited_after_five_failures(anon: FlaskClient) -> None:
    for _ in range(5):
        assert login(anon, USER, "wrong password").status_code == 200
    blocked = login(anon, USER, PASSWORD)  # even the right password waits now
    assert blocked.status_code == 429
    assert "Too many attempts" in body_of(blocked)
    assert anon.get("/staff").status_code == 302


def test_every_attempt_counts_before_the_password_is_checked(staff_app: Flask) -> None:
    """Counted before the check, so parallel attempts cannot slip past the limit
    (tests/test_security.py tries 24 at once): a successful login is an attempt too."""
    for _ in range(5):
        assert login(staff_app.test_client(), USER, PASSWORD).status_code == 303
    assert login(staff_app.test_client(), USER, PASSWORD).status_code == 429


def test_login_goes_back_only_to_a_page_of_this_site(anon: FlaskClient) -> None:
    assert login(anon, USER, PASSWORD, next="/upload").headers["Location"] == "/upload"
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:1"):
        client = anon.application.test_client()
        response = login(client, USER, PASSWORD, next=target)
        assert response.headers["Location"] == "/staff", target


def test_anonymous_page_request_goes_to_login_and_back(anon: FlaskClient) -> None:
    response = anon.get("/upload")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/upload"
    assert 'name="next" value="/upload"' in body_of(anon.get(response.headers["Location"]))


def test_secure_cookie_when_served_over_https(demo_home: ArchiveHome) -> None:
    """With PREFERRED_URL_SCHEME=https the session cookie is never sent over plain HTTP."""
    app = create_app({"ARCHIVE_HOME": str(demo_home.root), "PREFERRED_URL_SCHEME": "https"})
    response = app.test_client().get("/login")  # the form's CSRF token opens a session
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie


def test_new_password_or_removed_account_ends_sessions(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    assert staff.get("/staff").status_code == 200
    AccountStore(demo_home.root).set_password(USER, "a brand new password")
    assert staff.get("/staff").status_code == 302
    assert login(staff, USER, "a brand new password").status_code == 303
    AccountStore(demo_home.root).remove(USER)
    assert staff.get("/staff").status_code == 302


def test_secret_key_is_kept_in_the_home(staff_app: Flask, demo_home: ArchiveHome) -> None:
    key = (demo_home.root / "secret-key").read_text().strip()
    assert staff_app.config["SECRET_KEY"] == key
    again = create_app({"ARCHIVE_HOME": str(demo_home.root)})
    assert again.config["SECRET_KEY"] == key  # sessions survive a restart


# --- writes refused without a session or a CSRF token -------------------------------------------


def _snapshot(home: ArchiveHome) -> dict[str, Any]:
    return {
        "papers": {p.id: p.to_dict() for p in home.library.papers()},
        "inbox": sorted(p.name for p in (home.root / "inbox").glob("*")),
        "indexed": home.index.stats(),
    }


def _writes(home: ArchiveHome) -> list[tuple[str, dict[str, Any]]]:
    leopard = paper_id_of(home, LEOPARD_PDF)
    pdf = (DEMO_PAPERS / LEOPARD_PDF).read_bytes()
    return [
        ("/upload", {"files": [(io.BytesIO(b"%PDF-1.4 new " + pdf[:2000]), "new.pdf")]}),
        (f"/papers/{leopard}/edit", {"title": "Hijacked", "version": "x"}),
        (f"/papers/{leopard}/remove", {}),
    ]


def test_anonymous_writes_are_refused_and_change_nothing(
    anon: FlaskClient, demo_home: ArchiveHome
) -> None:
    before = _snapshot(demo_home)
    # With a valid token of an anonymous session (CSRF is not what stops them), and without.
    for extra in ({"csrf_token": token(anon)}, {}):
        for (url, data), (_, again) in zip(_writes(demo_home), _writes(demo_home), strict=True):
            page = anon.post(url, data={**data, **extra}, content_type="multipart/form-data")
            assert page.status_code == 302, url
            assert page.headers["Location"].startswith("/login")
            api = anon.post(
                url,
                data={**again, **extra},
                content_type="multipart/form-data",
                headers={"Accept": "application/json"},
            )
            assert api.status_code == 401, url
            assert api.get_json()["error"]
    for url in ("/staff", "/upload", f"/papers/{paper_id_of(demo_home, LEOPARD_PDF)}/edit"):
        assert anon.get(url).status_code == 302
    assert _snapshot(demo_home) == before


def test_anonymous_upload_body_is_never_read(
    anon: FlaskClient, staff_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refused before the multipart body is parsed (not even spooled to a temporary file)."""
    staff_app.config["MAX_CONTENT_LENGTH"] = 1024  # a body read would be a 413
    response = anon.post(
        "/upload",
        data={"files": [(io.BytesIO(b"%PDF-" + b"x" * 10_000), "big.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302


def test_writes_without_a_csrf_token_are_refused_and_change_nothing(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    before = _snapshot(demo_home)
    for bad in ({}, {"csrf_token": "forged"}):
        for url, data in _writes(demo_home):
            response = staff.post(url, data={**data, **bad}, content_type="multipart/form-data")
            assert response.status_code == 400, url
            assert "nothing was changed" in body_of(response)
        assert staff.post("/logout", data=bad).status_code == 400
    assert staff.get("/staff").status_code == 200  # still logged in
    assert _snapshot(demo_home) == before


def test_login_form_needs_its_csrf_token(anon: FlaskClient) -> None:
    response = anon.post("/login", data={"username": USER, "password": PASSWORD})
    assert response.status_code == 400
    assert anon.get("/staff").status_code == 302


def test_a_token_from_another_session_is_refused(staff_app: Flask) -> None:
    mallory = staff_app.test_client()
    stolen = token(mallory)
    victim = staff_app.test_client()
    login(victim, USER, PASSWORD)
    response = victim.post("/logout", data={"csrf_token": stolen})
    assert response.status_code == 400


# --- uploads ------------------------------------------------------------------------------------


def test_upload_of_several_pdfs_makes_them_searchable(
    staff: FlaskClient, staff_app: Flask, demo_home: ArchiveHome, tmp_path: Path
) -> None:
    files = [
        (
            pdf_bytes(tmp_path, "a.pdf", "The quagga was a plains zebra.", title="Quagga notes"),
            "a.pdf",
        ),
        (
            pdf_bytes(tmp_path, "b.pdf", "Okapi survey in Ituri forest.", title="Okapi survey"),
            "b.pdf",
        ),
    ]
    response = upload(staff, files)
    assert response.status_code == 303
    batch_page = response.headers["Location"]
    assert re.fullmatch(r"/upload/batches/[0-9a-f]{32}", batch_page)
    assert services(staff_app).uploads.wait_idle(30)
    body = body_of(staff.get(batch_page))
    assert body.count("added: ") == 2
    assert "Quagga notes" in body
    assert "Okapi survey" in body
    assert 'http-equiv="refresh"' not in body  # done: it stops refreshing
    quagga = next(p for p in demo_home.library.papers() if p.filename == "a.pdf")
    # Its first page was drawn as a thumbnail in the upload's worker (issue 16).
    thumbnail = demo_home.library.derived_path(quagga.id, "thumbnail.webp").read_bytes()
    assert thumbnail[:4] == b"RIFF" and thumbnail[8:12] == b"WEBP"
    # Each paper may reach the index in a commit of its own: wait for both.
    wait_until(lambda: search_ids(staff, "quagga") == [quagga.id])
    wait_until(lambda: bool(search_ids(staff, "okapi")))
    # The dashboard lists them.
    dashboard = body_of(staff.get("/staff"))
    assert "Quagga notes" in dashboard
    assert 'uploaded a.pdf: added as <a href="/papers/' in dashboard


def test_upload_reports_duplicates_of_the_archive_and_within_the_upload(
    staff: FlaskClient, staff_app: Flask, tmp_path: Path
) -> None:
    leopard = (DEMO_PAPERS / LEOPARD_PDF).read_bytes()
    new = pdf_bytes(tmp_path, "n.pdf", "Saiga antelope counts.", title="Saiga counts")
    rows = upload_and_wait(
        staff, staff_app, [(leopard, "renamed.pdf"), (new, "saiga.pdf"), (new, "saiga copy.pdf")]
    )
    assert [row["status"] for row in rows] == ["duplicate", "added", "duplicate"]
    assert rows[0]["title"] == "The Amur Leopard: A Fact Sheet"
    assert rows[0]["reason"] == f"same file as {LEOPARD_PDF}"
    assert "same file as saiga.pdf" in rows[2]["reason"]
    # In the page: "duplicate of <the paper>".
    batch = staff.get(f"/upload/batches/{rows[0]['batch']}")
    assert "duplicate of <a href" in body_of(batch)


def test_an_uploaded_pdf_holding_javascript_is_noted_and_kept_from_the_browser(
    staff: FlaskClient, staff_app: Flask, demo_home: ArchiveHome
) -> None:
    scripted = next(CORPUS.rglob("embedded-images-tables.pdf")).read_bytes()  # /JavaScript
    (row,) = upload_and_wait(staff, staff_app, [(scripted, "tables.pdf")])
    assert row["status"] == "added" and "holds JavaScript" in row["reason"]
    assert demo_home.library.get(row["id"]).javascript is True
    pdf = staff.get(f"/papers/{row['id']}/pdf")
    assert pdf.headers["Content-Disposition"].startswith("attachment")


def test_upload_judges_pdfs_by_content_not_name(
    staff: FlaskClient, staff_app: Flask, demo_home: ArchiveHome, tmp_path: Path
) -> None:
    real = pdf_bytes(tmp_path, "r.pdf", "Dhole pack territories.", title="Dhole packs")
    damaged = b"%PDF-1.7\n" + b"\x00garbage" * 200
    locked = encrypt_pdf(
        make_pdf(tmp_path / "plain.pdf", ["secret"]), tmp_path / "locked.pdf", user_password="pw"
    ).read_bytes()
    rows = upload_and_wait(
        staff,
        staff_app,
        [
            (b"MZ\x90\x00 this is really a program", "paper.pdf"),
            (b"", "empty.pdf"),
            (real, "dhole.txt"),
            (damaged, "damaged.pdf"),
            (locked, "locked.pdf"),
            (b"Minutes of the field team meeting", "notes.txt"),
            (b"\xff\xd8\xff\xe0\x00\x10JFIF", "photo.jpg"),
        ],
    )
    outcomes = [(row["filename"], row["status"], row.get("reason")) for row in rows]
    # A refused file is named as the person's file was, never with a ".pdf" it never had.
    assert outcomes[5:] == [
        ("notes.txt", "failed", "not a PDF"),
        ("photo.jpg", "failed", "not a PDF"),
    ]
    assert outcomes[0] == ("paper.pdf", "failed", "not a PDF")
    assert outcomes[1][1:] == ("failed", "empty file (0 bytes)") or outcomes[1][1] == "failed"
    assert outcomes[2][:2] == ("dhole.txt.pdf", "added")
    assert outcomes[3][1:] == ("failed", "damaged beyond repair")
    assert outcomes[4][1:] == ("failed", "encrypted with a password")
    assert [p.filename for p in demo_home.library.papers()].count("dhole.txt.pdf") == 1
    assert not list((demo_home.root / "inbox").glob("*.pdf"))  # nothing left behind
    failures = body_of(staff.get("/staff"))
    assert "damaged beyond repair" in failures
    assert "encrypted with a password" in failures
    assert "notes.txt" in failures and "notes.txt.pdf" not in failures


def test_oversized_request_gets_a_friendly_413_and_keeps_nothing(
    staff: FlaskClient, staff_app: Flask, demo_home: ArchiveHome
) -> None:
    staff_app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    response = upload(staff, [(b"%PDF-1.4\n" + b"x" * 100_000, "big.pdf")])
    body = body_of(response)
    assert response.status_code == 413
    assert "That upload is too large: at most 64 KB at once" in body
    assert not list((demo_home.root / "inbox").glob("*.pdf"))


def test_file_over_the_per_file_limit_fails_with_a_reason(
    staff: FlaskClient, staff_app: Flask, demo_home: ArchiveHome
) -> None:
    services(staff_app).uploads.max_file_bytes = 2 * 1024 * 1024
    rows = upload_and_wait(staff, staff_app, [(b"%PDF-1.4\n" + b"x" * 3_000_000, "big.pdf")])
    assert rows[0]["status"] == "failed"
    assert rows[0]["reason"] == "larger than the 2 MB limit"
    assert not list((demo_home.root / "inbox").rglob("*")) or not list(
        (demo_home.root / "inbox").glob("*.pdf")
    )


def test_upload_without_files_asks_for_some(staff: FlaskClient) -> None:
    response = staff.post(
        "/upload", data={"csrf_token": token(staff, "/upload")}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Choose one or more PDF files" in body_of(response)


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../../../etc/passwd.pdf", "passwd.pdf"),
        ("/abs/path/x.pdf", "x.pdf"),
        ("..", "upload.pdf"),
        ("notes.txt", "notes.txt.pdf"),
    ],
)
def test_uploaded_file_names_never_become_paths(
    staff: FlaskClient,
    staff_app: Flask,
    demo_home: ArchiveHome,
    tmp_path: Path,
    sent: str,
    kept: str,
) -> None:
    content = pdf_bytes(tmp_path, "t.pdf", f"Traversal test {sent!r}.", title="Traversal")
    rows = upload_and_wait(staff, staff_app, [(content, sent)])
    assert rows[0]["status"] == "added", rows
    paper = demo_home.library.get(rows[0]["id"])
    assert paper.filename == kept
    assert demo_home.library.pdf_path(paper.id).read_bytes() == content
    assert sorted(p.name for p in pdfs_outside(tmp_path, demo_home.root)) == ["t.pdf"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        ("C:\\Users\\me\\report.PDF", "report.PDF"),
        ("na\x00me\n.pdf", "na me .pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),
        ('say "hi".pdf', "say 'hi'.pdf"),
        ("caf\udce9.pdf", "caf\ufffd.pdf"),  # a byte that was not UTF-8
        (None, "upload.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_display_names_drop_folders_and_control_characters(sent: str | None, kept: str) -> None:
    """What browsers may send that the test client cannot (backslashes, control characters)."""
    assert display_name(sent) == kept


def test_batch_pages_need_a_well_formed_id(staff: FlaskClient) -> None:
    for batch in ("..%2F..%2Fetc%2Fpasswd", "0" * 32, "abc"):
        assert staff.get(f"/upload/batches/{batch}").status_code == 404


def test_received_uploads_survive_a_restart(
    staff: FlaskClient,
    staff_app: Flask,
    demo_home: ArchiveHome,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An upload the server crashed before reading is read at the next start."""
    monkeypatch.setattr(type(services(staff_app).uploads), "kick", lambda self: None)
    content = pdf_bytes(tmp_path, "k.pdf", "Kouprey sightings.", title="Kouprey sightings")
    response = upload(staff, [(content, "kouprey.pdf")], Accept="application/json")
    assert response.get_json()["files"][0]["status"] == "received"
    assert len(list((demo_home.root / "inbox").glob("*.pdf"))) == 1
    monkeypatch.undo()
    restarted = create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True})
    try:
        assert services(restarted).uploads.wait_idle(30)
        wait_until(lambda: len(search_ids(restarted.test_client(), "kouprey")) == 1)
    finally:
        services(restarted).uploads.stop()
        services(restarted).sync.stop()


# --- writes while another process holds the index -----------------------------------------------

HOLD_INDEX_WRITER = """
import sys
from whoosh import index
writer = index.open_dir(sys.argv[1]).writer()
print("locked", flush=True)
sys.stdin.read()  # hold the lock until the test closes our stdin
writer.cancel()
"""


@pytest.fixture
def index_held_elsewhere(demo_home: ArchiveHome) -> Iterator[Callable[[], None]]:
    """A real second process holding the index's write lock; call the fixture to release it."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_INDEX_WRITER, str(demo_home.root / "index")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdin is not None
    assert holder.stdout.readline().strip() == "locked"

    def release() -> None:
        if holder.poll() is None:
            holder.stdin.close()  # type: ignore[union-attr]
            assert holder.wait(timeout=20) == 0

    yield release
    release()


def test_upload_and_edit_while_another_process_holds_the_index(
    staff: FlaskClient,
    staff_app: Flask,
    demo_home: ArchiveHome,
    tmp_path: Path,
    index_held_elsewhere: Callable[[], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(webui.staff.curation, "INDEX_WAIT_S", 0.5)
    content = pdf_bytes(tmp_path, "g.pdf", "Gharial nesting banks.", title="Gharial nests")
    rows = upload_and_wait(staff, staff_app, [(content, "gharial.pdf")])
    assert rows[0]["status"] == "added"  # while the other process still holds the lock
    gharial = rows[0]["id"]
    # In the library (pages and downloads work) though not yet in the index.
    assert staff.get(f"/papers/{gharial}").status_code == 200
    assert staff.get(f"/papers/{gharial}/download").data == content
    wait_until(lambda: services(staff_app).sync.waiting_for_lock)
    assert search_ids(staff, "gharial") == []
    assert "a bulk import is using it" in body_of(staff.get("/staff"))

    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    edit_url = f"/papers/{leopard}/edit"
    page = body_of(staff.get(edit_url))
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)
    assert version
    response = staff.post(
        edit_url,
        data={
            **_current_form(demo_home, leopard),
            "title": "Amur leopard, renamed while locked",
            "version": version.group(1),
            "csrf_token": TOKEN.search(page).group(1),  # type: ignore[union-attr]
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Search will show the change in a moment" in body_of(response)
    assert demo_home.library.get(leopard).title == "Amur leopard, renamed while locked"

    index_held_elsewhere()
    wait_until(lambda: search_ids(staff, "gharial") == [gharial])
    wait_until(lambda: search_ids(staff, "title:renamed") == [leopard])
    log = (demo_home.root / "logs" / "activity.jsonl").read_text()
    assert "LockError" not in log


def test_upload_beside_a_concurrent_cli_import_loses_nothing(
    staff: FlaskClient, staff_app: Flask, demo_home: ArchiveHome, tmp_path: Path
) -> None:
    """`archive import` in another process and web uploads at the same time: every paper ends
    up in the library and the index once, and neither side sees a lock error."""
    folder = tmp_path / "bulk"
    for n in range(40):
        make_pdf(folder / f"bulk-{n}.pdf", [f"Bulk paper {n} about pangolin trade."])
    shared = folder / "bulk-0.pdf"  # uploaded on the web too
    importer = subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(demo_home.root), "import", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    rows = upload_and_wait(staff, staff_app, [(shared.read_bytes(), "shared.pdf")])
    web = 0
    # Keep uploading, one file per request, for as long as the import runs (at least 4).
    while web < 4 or (importer.poll() is None and web < 40):
        content = pdf_bytes(tmp_path, f"w{web}.pdf", f"Web paper {web} about pangolin scales.")
        rows += upload_and_wait(staff, staff_app, [(content, f"web-{web}.pdf")])
        web += 1
    output, _ = importer.communicate(timeout=120)
    assert importer.returncode == 0, output
    assert "rror" not in output and "busy" not in output, output
    assert all(row["status"] in ("added", "duplicate") for row in rows), rows
    ids = {p.id for p in demo_home.library.papers()}
    assert len(ids) == 5 + 40 + web
    wait_until(lambda: demo_home.index.paper_ids() == ids)
    assert len(search_ids(staff, "pangolin&limit=100")) == 40 + web


# --- curation -----------------------------------------------------------------------------------


def _current_form(home: ArchiveHome, paper_id: str) -> dict[str, str]:
    paper = home.library.get(paper_id)
    return {
        "title": paper.title,
        "authors": "\n".join(paper.authors),
        "year": str(paper.year or ""),
        "doi": paper.doi or "",
        "abstract": paper.abstract,
        "tags": ", ".join(paper.tags),
        "doc_type": paper.doc_type,
    }


def edit(client: FlaskClient, paper_id: str, **fields: str) -> TestResponse:
    url = f"/papers/{paper_id}/edit"
    page = body_of(client.get(url))
    version = re.search(r'name="version" value="([0-9a-f]+)"', page)
    csrf = TOKEN.search(page)
    assert version and csrf
    data = {"version": version.group(1), "csrf_token": csrf.group(1), **fields}
    return client.post(url, data=data)


def test_edit_lands_in_sidecar_page_and_search_at_once(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    form = _current_form(demo_home, leopard)
    response = edit(
        staff,
        leopard,
        **{
            **form,
            "title": "Far Eastern leopard status review",
            "authors": "Petrova, Anna\nWhitfield, James\n",
            "year": "2019",
            "doi": "https://doi.org/10.1234/Leo.2019-7",
            "tags": "Panthera pardus orientalis; Primorye, camera traps",
            "abstract": "A review of the quokkaesque population.",
            "doc_type": "report",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/papers/{leopard}"
    paper = demo_home.library.get(leopard)
    assert paper.title == "Far Eastern leopard status review"
    assert paper.authors == ["Petrova, Anna", "Whitfield, James"]
    assert paper.year == 2019
    assert paper.doi == "10.1234/Leo.2019-7"
    assert paper.tags == ["Panthera pardus orientalis", "Primorye", "camera traps"]
    assert paper.doc_type == "report"
    page = body_of(staff.get(f"/papers/{leopard}"))
    assert "Saved the details. Search shows the change now." in page
    assert "Far Eastern leopard status review" in page
    assert search_ids(staff, "title:review") == [leopard]
    assert search_ids(staff, "quokkaesque") == [leopard]
    assert leopard in search_ids(staff, "year:2019")
    assert leopard not in search_ids(staff, "year:2024")
    assert staff.get(f"/api/papers/{leopard}").get_json()["doc_type"] == "report"
    assert "edited" in body_of(staff.get("/staff"))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "A paper needs a title."),
        ("title", "x" * 501, "At most 500 characters."),
        ("year", "1234", "A year from 1500"),
        ("year", "20l9", "A year from 1500"),
        ("year", "3000", "A year from 1500"),
        ("doi", "not a doi", "A DOI looks like"),
        ("doc_type", "../../etc", "Choose one of the listed"),
        ("authors", "x" * 201, "at most 200 characters"),
        ("tags", ",".join(f"t{n}" for n in range(51)), "At most 50 tags."),
    ],
)
def test_invalid_edits_are_refused_and_change_nothing(
    staff: FlaskClient, demo_home: ArchiveHome, field: str, value: str, message: str
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    before = demo_home.library.get(leopard)
    response = edit(staff, leopard, **{**_current_form(demo_home, leopard), field: value})
    assert response.status_code == 400
    assert html.escape(message) in body_of(response) or message in body_of(response)
    assert demo_home.library.get(leopard) == before


def test_edit_over_someone_elses_change_is_a_conflict(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    url = f"/papers/{leopard}/edit"
    page = body_of(staff.get(url))
    stale = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    assert (
        edit(staff, leopard, **{**_current_form(demo_home, leopard), "year": "2020"}).status_code
        == 303
    )
    response = staff.post(
        url,
        data={
            **_current_form(demo_home, leopard),
            "year": "2021",
            "version": stale,
            "csrf_token": TOKEN.search(page).group(1),  # type: ignore[union-attr]
        },
    )
    assert response.status_code == 409
    assert "Someone changed this paper" in body_of(response)
    assert demo_home.library.get(leopard).year == 2020


def test_edited_markup_is_shown_as_text_everywhere(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    form = _current_form(demo_home, leopard)
    response = edit(
        staff,
        leopard,
        **{**form, "title": f"Leopard {SCRIPT}", "authors": IMG, "tags": SCRIPT, "abstract": IMG},
    )
    assert response.status_code == 303
    assert demo_home.library.get(leopard).title == f"Leopard {SCRIPT}"
    for url in (
        f"/papers/{leopard}",
        f"/papers/{leopard}/edit",
        f"/papers/{leopard}/remove",
        "/search?q=leopard",
        "/staff",
    ):
        body = body_of(staff.get(url))
        assert_escaped(body)
        assert "&lt;script&gt;" in body, url


def test_markup_in_uploaded_pdf_metadata_is_escaped(
    staff: FlaskClient, staff_app: Flask, tmp_path: Path
) -> None:
    hostile = pdf_bytes(
        tmp_path,
        "h.pdf",
        f"Numbat notes {SCRIPT}",
        title=f"Numbat {SCRIPT}",
        author=IMG,
        keywords=SCRIPT,
    )
    rows = upload_and_wait(staff, staff_app, [(hostile, "<img src=x onerror=alert(1)>.pdf")])
    assert rows[0]["status"] == "added"
    for url in (f"/upload/batches/{rows[0]['batch']}", "/staff", f"/papers/{rows[0]['id']}/edit"):
        body = body_of(staff.get(url))
        assert_escaped(body)
        assert "&lt;script&gt;" in body or "&lt;img" in body, url


def test_remove_needs_confirmation_then_the_paper_is_gone_everywhere(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    confirm = staff.get(f"/papers/{leopard}/remove")
    assert confirm.status_code == 200
    assert "Remove this paper?" in body_of(confirm)
    assert leopard in demo_home.library  # asking changes nothing
    assert leopard in search_ids(staff, "kedrovaya")
    response = staff.post(
        f"/papers/{leopard}/remove", data={"csrf_token": token(staff, f"/papers/{leopard}/remove")}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff"
    assert "Removed" in body_of(staff.get("/staff"))
    for suffix in ("", "/pdf", "/download", "/edit", "/remove"):
        assert staff.get(f"/papers/{leopard}{suffix}").status_code == 404
    assert staff.get(f"/api/papers/{leopard}").status_code == 404
    assert search_ids(staff, "kedrovaya") == []
    assert leopard not in demo_home.index.paper_ids()
    assert (
        json.loads((demo_home.root / "logs" / "activity.jsonl").read_text().splitlines()[-1])[
            "action"
        ]
        == "remove"
    )


@pytest.mark.parametrize("paper_id", ["..%2F..%2Fetc%2Fpasswd", "0" * 64, "abc"])
def test_edit_and_remove_of_malformed_or_unknown_ids_are_404(
    staff: FlaskClient, paper_id: str
) -> None:
    for suffix in ("/edit", "/remove"):
        assert staff.get(f"/papers/{paper_id}{suffix}").status_code == 404


def test_paper_page_offers_staff_controls_only_to_staff(
    staff: FlaskClient, anon: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    assert f"/papers/{leopard}/edit" in body_of(staff.get(f"/papers/{leopard}"))
    public = body_of(anon.get(f"/papers/{leopard}"))
    assert f"/papers/{leopard}/edit" not in public
    assert "Staff login" in public


# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/login", "/upload", "/staff", "/papers/{id}/edit"])
def test_staff_pages_have_strict_headers_and_no_inline_script(
    staff: FlaskClient, demo_home: ArchiveHome, url: str
) -> None:
    response = staff.get(url.format(id=paper_id_of(demo_home, LEOPARD_PDF)))
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    body = body_of(response)
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "inline script"
    assert not re.search(r"\son[a-z]+=", body), "inline event handler"


def test_serve_settings_come_from_archive_environment_variables(
    demo_home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`archive serve` behind HTTPS is configured with ARCHIVE_* variables; a bad number is
    ignored (the default stays), not a crash at start."""
    monkeypatch.setenv("ARCHIVE_PREFERRED_URL_SCHEME", "https")
    monkeypatch.setenv("ARCHIVE_UPLOAD_MAX_FILE_BYTES", "lots")
    monkeypatch.setenv("ARCHIVE_UPLOAD_MAX_FILES", "3")
    app = create_app({"ARCHIVE_HOME": str(demo_home.root)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["UPLOAD_MAX_FILE_BYTES"] == 100 * 1024 * 1024
    assert app.config["UPLOAD_MAX_FILES"] == 3


# --- provenance, the venue, Crossref and the curation queue --------------------------------------

IOP_DOI = "10.1088/1742-6596/2188/1/012011"


def test_edit_page_shows_where_each_value_came_from_and_the_venue(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    paper = demo_home.library.get(leopard)
    paper.sources = {"title": "first-page", "authors": "pdf-info"}
    demo_home.library.save(paper)
    page = body_of(staff.get(f"/papers/{leopard}/edit"))
    assert 'id="title-source">From: read from the first page<' in page
    assert 'id="authors-source">From: PDF document info<' in page
    response = edit(
        staff,
        leopard,
        **{
            **_current_form(demo_home, leopard),
            "title": "Amur leopard fact sheet",
            "container": "Oryx",
            "volume": "52",
            "issue": "3",
            "page_range": "457 \u2013 465",
            "publisher": "Cambridge University Press",
        },
    )
    assert response.status_code == 303
    paper = demo_home.library.get(leopard)
    assert (paper.container, paper.volume, paper.issue, paper.page_range) == (
        "Oryx", "52", "3", "457-465"
    )  # fmt: skip
    assert paper.sources["title"] == paper.sources["container"] == "staff"
    assert paper.sources["authors"] == "pdf-info"  # not changed, so not the curator's
    page = body_of(staff.get(f"/papers/{leopard}/edit"))
    assert 'id="title-source">From: edited by staff<' in page
    assert 'value="Cambridge University Press"' in page
    assert "Oryx, 52(3), 457" in body_of(staff.get(f"/papers/{leopard}"))  # the Cite box


def test_an_edit_form_without_the_venue_fields_keeps_the_venue(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    """A form from before the venue fields existed (a page left open) leaves them alone."""
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    paper = demo_home.library.get(leopard)
    paper.container = "Oryx"
    demo_home.library.save(paper)
    assert (
        edit(staff, leopard, **{**_current_form(demo_home, leopard), "year": "2020"}).status_code
        == 303
    )
    assert demo_home.library.get(leopard).container == "Oryx"


@pytest.fixture
def lookup_client(demo_home: ArchiveHome) -> Iterator[tuple[FlaskClient, Any]]:
    """A curator's client of an app whose Crossref is a local server of recorded answers."""
    from crossref_server import crossref_server

    with crossref_server() as (base_url, seen):
        config = {
            "ARCHIVE_HOME": str(demo_home.root),
            "TESTING": True,
            "CROSSREF_URL": base_url,
            "CROSSREF_MAILTO": "curator@example.org",
            "CROSSREF_TIMEOUT": 1,
        }
        app = create_app(config)
        AccountStore(demo_home.root).add(USER, PASSWORD)
        client = app.test_client()
        assert login(client, USER, PASSWORD).status_code == 303
        yield client, seen
        services(app).uploads.stop()
        services(app).sync.stop()


def _with_doi(home: ArchiveHome, doi: str) -> str:
    paper = home.library.get(paper_id_of(home, LEOPARD_PDF))
    paper.doi = doi
    home.library.save(paper)
    return paper.id


def _look_up(client: FlaskClient, paper_id: str) -> TestResponse:
    csrf = token(client, f"/papers/{paper_id}/edit")
    return client.post(f"/papers/{paper_id}/lookup", data={"csrf_token": csrf})


def test_the_crossref_button_fills_the_details_and_keeps_staff_edits(
    lookup_client: tuple[FlaskClient, Any], demo_home: ArchiveHome
) -> None:
    client, seen = lookup_client
    leopard = _with_doi(demo_home, IOP_DOI)
    assert (
        edit(
            client, leopard, **{**_current_form(demo_home, leopard), "title": "My title"}
        ).status_code
        == 303
    )
    assert "look up by DOI at Crossref" in body_of(client.get(f"/papers/{leopard}/edit"))
    response = _look_up(client, leopard)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/papers/{leopard}/edit"
    page = body_of(client.get(f"/papers/{leopard}/edit"))
    assert "Crossref: updated authors" in page
    paper = demo_home.library.get(leopard)
    assert paper.title == "My title"  # the curator's
    assert paper.authors[0] == "Yuqi Xi"
    assert paper.container == "Journal of Physics: Conference Series"
    assert paper.sources["authors"] == "crossref" and paper.sources["title"] == "staff"
    assert 'id="container-source">From: Crossref (by DOI)<' in page
    assert seen.dois() == [IOP_DOI]  # one request, even though the answer was applied under lock
    assert search_ids(client, "author:Xi") == [leopard]
    assert "looked up" in body_of(client.get("/staff"))


@pytest.mark.parametrize(
    ("doi", "message"),
    [
        ("10.5555/never-registered", "Crossref has no record of DOI 10.5555/never-registered"),
        ("10.5555/malformed", "not readable (not JSON)"),
        ("10.5555/slow", "did not answer within 1 s"),
    ],
)
def test_a_failed_crossref_lookup_changes_nothing_and_says_why(
    lookup_client: tuple[FlaskClient, Any], demo_home: ArchiveHome, doi: str, message: str
) -> None:
    client, _ = lookup_client
    leopard = _with_doi(demo_home, doi)
    before = demo_home.library.get(leopard)
    response = _look_up(client, leopard)
    assert response.status_code == 303
    page = body_of(client.get(f"/papers/{leopard}/edit"))
    assert message in page and "Nothing was changed." in page
    after = demo_home.library.get(leopard)
    assert (after.title, after.authors, after.year) == (before.title, before.authors, before.year)


def test_save_then_look_up_keeps_the_changes_typed(
    lookup_client: tuple[FlaskClient, Any], demo_home: ArchiveHome
) -> None:
    """The lookup button is in the one form: what the curator typed is saved first (and, being
    staff's, wins over Crossref), then Crossref fills the rest."""
    client, seen = lookup_client
    leopard = _with_doi(demo_home, IOP_DOI)
    form = {**_current_form(demo_home, leopard), "title": "Typed before the lookup"}
    response = edit(client, leopard, **form, access="on-request", then="lookup")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/papers/{leopard}/edit"
    paper = demo_home.library.get(leopard)
    assert paper.title == "Typed before the lookup" and paper.access == "on-request"
    assert paper.authors[0] == "Yuqi Xi"
    page = body_of(client.get(f"/papers/{leopard}/edit"))
    assert "Saved the details." in page and "Crossref: updated authors" in page
    assert seen.dois() == [IOP_DOI]


def test_without_a_contact_address_there_is_no_lookup(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = _with_doi(demo_home, IOP_DOI)
    page = body_of(staff.get(f"/papers/{leopard}/edit"))
    assert "look up by DOI at Crossref" not in page
    assert "crossref_mailto" in page
    response = _look_up(staff, leopard)
    assert response.status_code == 303
    assert "set crossref_mailto" in body_of(staff.get(f"/papers/{leopard}/edit"))


def test_lookup_needs_a_curator_and_a_csrf_token(
    anon: FlaskClient, staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = _with_doi(demo_home, IOP_DOI)
    before = demo_home.library.get(leopard)
    assert (
        anon.post(f"/papers/{leopard}/lookup", data={"csrf_token": token(anon)}).status_code == 302
    )
    assert staff.post(f"/papers/{leopard}/lookup").status_code == 400
    assert demo_home.library.get(leopard) == before


def test_dashboard_lists_the_weakest_papers_first_with_edit_links(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    papers = {p.filename: p for p in demo_home.library.papers()}
    leopard = papers[LEOPARD_PDF]
    # A title that is only the file name, no authors, no year: the worst there is...
    leopard.title, leopard.authors, leopard.year = "amur-leopard-fact-sheet", [], None
    demo_home.library.save(leopard)
    # ...then one without authors only.
    other = next(p for name, p in papers.items() if name != LEOPARD_PDF)
    other.authors = []
    demo_home.library.save(other)
    page = body_of(staff.get("/staff"))
    queue = page.split("Papers to describe better")[1].split("Recently added papers")[0]
    assert queue.index(f"/papers/{leopard.id}/edit") < queue.index(f"/papers/{other.id}/edit")
    assert "title from the file name, no authors, no year" in queue
    # Fixed by a curator: it leaves the queue at once.
    fixed = {"title": "Amur leopard", "authors": "Anna Petrova", "year": "2024"}
    assert (
        edit(staff, leopard.id, **{**_current_form(demo_home, leopard.id), **fixed}).status_code
        == 303
    )
    queue = (
        body_of(staff.get("/staff"))
        .split("Papers to describe better")[1]
        .split("Recently added papers")[0]
    )
    assert f"/papers/{leopard.id}/edit" not in queue
    assert f"/papers/{other.id}/edit" in queue


def test_a_scan_without_text_is_in_the_queue_and_verify_finds_no_error(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import main

    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    pages = demo_home.library.page_texts(leopard)
    demo_home.library.replace_page_texts(leopard, [""] * len(pages))  # as a scan without OCR
    demo_home.index.rebuild(demo_home.library)
    queue = body_of(staff.get("/staff")).split("Papers to describe better")[1]
    assert "scan not searchable" in queue.split("Recently added papers")[0]
    result = CliRunner().invoke(main, ["--home", str(demo_home.root), "verify", "--json"])
    assert result.exit_code == 0, result.output


def test_the_edit_page_has_one_form_and_one_save(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    """No button of the edit page may drop a change it shows: the details and the access are
    one form with one Save (issue 25: "Save" of the details used to keep the old access)."""
    paper_id = next(iter(demo_home.library.ids()))
    page = body_of(staff.get(f"/papers/{paper_id}/edit"))
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert main.count("<form") == 1
    assert main.count('type="submit"') == 1
    assert '<button type="submit">Save</button>' in main
    form = main.split("<form", 1)[1].split("</form>", 1)[0]
    assert 'name="title"' in form and 'name="access"' in form and 'name="embargo"' in form


def test_one_save_keeps_title_and_access_together(
    staff: FlaskClient, anon: FlaskClient, demo_home: ArchiveHome
) -> None:
    """A new title and a new access level, saved with the one button: both kept, both said,
    both in the activity list."""
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    form = {**_current_form(demo_home, leopard), "title": "Leopards, restricted"}
    response = edit(staff, leopard, **form, access="on-request", embargo="2031-05-01")
    assert response.status_code == 303
    paper = demo_home.library.get(leopard)
    assert paper.title == "Leopards, restricted"
    assert (paper.access, paper.embargo) == ("on-request", "2031-05-01")
    page = body_of(staff.get(response.headers["Location"]))
    assert "Saved the details." in page and "Access set to on-request until" in page
    assert anon.get(f"/papers/{leopard}/pdf").status_code == 403
    dashboard = body_of(staff.get("/staff"))
    assert "Leopards, restricted" in dashboard


def test_a_bad_embargo_saves_nothing_and_keeps_what_was_typed(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    """One field wrong: nothing is written, the page comes back with every value typed and
    says which field to fix."""
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    before = demo_home.library.get(leopard)
    form = {**_current_form(demo_home, leopard), "title": "A new title"}
    response = edit(staff, leopard, **form, access="staff-only", embargo="31/01/2027")
    assert response.status_code == 400
    page = body_of(response)
    assert "2027-01-31 (year-month-day)" in page
    assert 'value="A new title"' in page
    assert '<option value="staff-only" selected>' in page
    assert demo_home.library.get(leopard) == before


def test_access_alone_is_saved_by_the_one_button(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    response = edit(staff, leopard, **_current_form(demo_home, leopard), access="staff-only")
    assert response.status_code == 303
    assert demo_home.library.get(leopard).access == "staff-only"
    page = body_of(staff.get(response.headers["Location"]))
    assert "Access set to staff-only." in page and "Saved the details" not in page


def test_activity_says_who_did_what_to_which_paper(
    staff: FlaskClient, demo_home: ArchiveHome
) -> None:
    """Each entry of the dashboard's activity names the curator, the action and the paper
    (linked), with the new access level; user names sit in a cell that never breaks them."""
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    form = {**_current_form(demo_home, leopard), "title": "Leopards <i>now</i>"}
    assert (
        edit(staff, leopard, **form, access="on-request", embargo="2031-05-01").status_code == 303
    )
    page = body_of(staff.get("/staff"))
    activity = page.split("Recent activity", 1)[1].split("</table>", 1)[0]
    link = f'<a href="/papers/{leopard}">Leopards &lt;i&gt;now&lt;/i&gt;</a>'
    assert f"edited {link}: title" in activity
    assert f"set the access of {link} to <strong>on-request</strong> until May 1, 2031" in activity
    assert f'<td class="who">{USER}</td>' in activity
    assert ">access<" not in activity  # never a bare action name
    css = staff.get("/static/style.css").get_data(as_text=True)
    rule = css.split("table.outcomes td.who {", 1)[1].split("}", 1)[0]
    assert "white-space: nowrap" in rule and "overflow-wrap: normal" in rule
