"""Ask the charity's protections (issue 27), each through a real `archive serve` with a real local
SMTP server (tests/smtp_server.py) or the CLI, in the manner of tests/test_security_round2.py:
no link from a forged Host in the staff's mail, exactly one reply address, the questions file
the archive user's alone (and tightened as the archive starts), a flood from one client and
from many bounded, writes for staff only and with CSRF, readers' text escaped, and a published
answer that never reveals a staff-only paper."""

from __future__ import annotations

import dataclasses
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from security_support import FORM, PASSWORD, USER, fetch, form_token, log_in
from smtp_server import Mailbox, serve_mail_env, smtp_server

from archive.questions import QUESTIONS_FILE, QuestionStore
from indexer.home import ArchiveHome

from conftest import paper_id_of
from live_server import LiveServer, add_staff_account, cli, live_server

STAFF_MAIL = "curator@charity.example"
GUIDE = "camera-trapping-guide.pdf"
TIGER = "amur-tiger-fact-sheet.pdf"
NOTHING = "quoll denning sites"


@pytest.fixture(scope="module")
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture(scope="module")
def home(_demo_home_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ask") / "home"
    shutil.copytree(_demo_home_template, root)
    add_staff_account(root, USER, PASSWORD)
    return root


@pytest.fixture(scope="module")
def server(home: Path, mailbox: tuple[Mailbox, int]) -> Iterator[LiveServer]:
    """`archive serve` with mail and nothing said about its public address."""
    env = serve_mail_env(
        mailbox[1],
        ARCHIVE_QUESTION_NOTIFY=STAFF_MAIL,
        ARCHIVE_QUESTION_RATE_LIMIT="30 per hour",
        ARCHIVE_LOGIN_RATE_LIMIT="200 per minute",
    )
    with live_server(home, env=env) as running:
        yield running


def ask(server: LiveServer, host: str | None = None, cookie: str | None = None, **fields: str):  # type: ignore[no-untyped-def]
    """A reader's question, as the results page's form posts it."""
    token, cookie = form_token(server, f"/search?q={NOTHING.replace(' ', '+')}", cookie)
    headers = {**FORM, "Cookie": cookie}
    if host:
        headers["Host"] = host
    data = {"csrf_token": token, "question": "Do quolls den in logs?", "q": NOTHING}
    data |= {"email": "ada@university.example", **fields}
    return fetch(server, "POST", "/ask", headers, urlencode(data))


def test_a_forged_host_never_becomes_a_link_and_one_address_only(
    server: LiveServer, home: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box = mailbox[0]
    before = len(box.to(STAFF_MAIL))
    answer = ask(server, host="evil.example", question="Forged host question?")
    assert answer.status == 303
    assert "evil.example" not in answer.headers.get("Location", "")
    [notice] = box.to(STAFF_MAIL)[before:]
    body = notice.get_content()
    assert "evil.example" not in body and "http" not in body
    assert "public_base_url" in body  # says where to look instead
    for address in ("a@b.example,c@d.example", "a@b.example>,<c@d.example", "a@b.example c@d"):
        refused = ask(server, email=address)
        assert refused.status == 400, address
        assert b"one e-mail address" in refused.body
    stored = [q.email for q in QuestionStore(home).list()]
    assert all("," not in email and " " not in email for email in stored)


def test_the_questions_file_is_private_and_tightened_as_the_archive_starts(
    server: LiveServer, home: Path, tmp_path: Path
) -> None:
    assert ask(server, question="Private?").status == 303
    mode = stat.S_IMODE((home / QUESTIONS_FILE).stat().st_mode)
    assert mode & 0o077 == 0, oct(mode)
    store = QuestionStore(tmp_path)
    store.add("Old?", "old@x.example", name="Old Reader")
    os.chmod(tmp_path / QUESTIONS_FILE, 0o644)  # as a careless copy left it
    QuestionStore(tmp_path)
    assert stat.S_IMODE((tmp_path / QUESTIONS_FILE).stat().st_mode) == 0o600


def test_readers_text_is_escaped_for_staff(server: LiveServer, home: Path) -> None:
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert ask(server, question=script, name=script).status == 303
    [item] = [q for q in QuestionStore(home).list() if q.question == script]
    cookie = log_in(server)
    for path in ("/staff/questions", f"/staff/questions/{item.id}", "/staff/gaps"):
        page = fetch(server, "GET", path, {"Cookie": cookie})
        assert page.status == 200, path
        assert "<script>alert" not in page.text and "<img src=x" not in page.text, path


def test_staff_routes_need_a_login_and_a_csrf_token(server: LiveServer, home: Path) -> None:
    assert ask(server, question="Anonymous publish?").status == 303
    [item] = [q for q in QuestionStore(home).list() if q.question == "Anonymous publish?"]
    for action in ("answer", "publish", "spam", "unpublish", "delete"):
        refused = fetch(
            server,
            "POST",
            f"/staff/questions/{item.id}/{action}",
            FORM,
            urlencode({"answer": "x", "public_question": "x", "public_answer": "x"}),
        )
        assert refused.status in (302, 303, 401, 403), (action, refused.status)
    for path in (
        "/staff/questions",
        f"/staff/questions/{item.id}",
        f"/staff/questions/{item.id}/delete",
        "/staff/gaps.csv",
    ):
        assert fetch(server, "GET", path).status in (302, 303, 401), path
    cookie = log_in(server)
    for action in ("spam", "delete"):
        no_token = fetch(
            server, "POST", f"/staff/questions/{item.id}/{action}", {**FORM, "Cookie": cookie}, ""
        )
        assert no_token.status == 400, action
    assert QuestionStore(home).get(item.id).state == "new"


def test_a_published_answer_never_reveals_a_staff_only_paper(
    server: LiveServer, home: Path, mailbox: tuple[Mailbox, int]
) -> None:
    archive_home = ArchiveHome.at(home)
    guide_id, tiger_id = paper_id_of(archive_home, GUIDE), paper_id_of(archive_home, TIGER)
    guide = archive_home.library.get(guide_id)
    archive_home.library.save(dataclasses.replace(guide, access="staff-only"))
    # Asked from the hidden paper's page (its id typed into the form): not attached.
    assert ask(server, question="Hidden paper question?", paper=guide_id).status == 303
    store = QuestionStore(home)
    [item] = [q for q in store.list() if q.question == "Hidden paper question?"]
    assert item.paper_id is None
    cookie = log_in(server)
    token, cookie = form_token(server, f"/staff/questions/{item.id}", cookie)
    headers = {**FORM, "Cookie": cookie}
    data = urlencode(
        [("csrf_token", token), ("action", "send"), ("answer", "Quolls den in logs."),
         ("link", guide_id), ("link", tiger_id)]
    )  # fmt: skip
    sent = fetch(server, "POST", f"/staff/questions/{item.id}/answer", headers, data)
    assert sent.status == 303
    told = fetch(server, "GET", sent.headers["Location"], {"Cookie": sent.cookie() or cookie})
    assert "1 linked paper is not public" in told.text  # the curator is told
    reply = mailbox[0].to("ada@university.example")[-1].get_content()
    assert guide.title not in reply and guide_id not in reply and tiger_id in reply
    published = urlencode(
        {"csrf_token": token, "public_question": "Do quolls den in logs?",
         "public_answer": "Quolls den in logs."}
    )  # fmt: skip
    assert (
        fetch(server, "POST", f"/staff/questions/{item.id}/publish", headers, published).status
        == 303
    )
    page = fetch(server, "GET", f"/questions/{item.id}")
    assert page.status == 200
    assert guide.title not in page.text and guide_id not in page.text
    assert f"/papers/{tiger_id}" in page.text
    results = fetch(server, "GET", "/search?q=quolls+den+logs")
    assert "Do quolls den in logs?" in results.text and guide.title not in results.text
    listing = fetch(server, "GET", "/questions")
    assert guide.title not in listing.text
    archive_home.library.save(guide)


def test_a_flood_from_one_client_and_from_many_is_bounded(home: Path) -> None:
    env = {"ARCHIVE_QUESTION_RATE_LIMIT": "2 per hour", "ARCHIVE_QUESTION_DAILY_LIMIT": "1"}
    root = home.parent / "flood-home"
    shutil.copytree(home, root)
    (root / QUESTIONS_FILE).unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        (root / (QUESTIONS_FILE + suffix)).unlink(missing_ok=True)
    with live_server(root, env=env) as running:
        assert ask(running, question="First?").status == 303
        day_full = ask(running, question="Second?")
        assert day_full.status == 429 and day_full.headers["Retry-After"]
        one_client = ask(running, question="Third?")
        assert one_client.status == 429 and one_client.headers["Retry-After"]
    assert [q.question for q in QuestionStore(root).list()] == ["First?"]


def test_backup_takes_the_questions_and_restore_brings_them_back(
    home: Path, tmp_path: Path
) -> None:
    if not (home / QUESTIONS_FILE).exists():
        QuestionStore(home).add("Backed up?", "b@x.example")
    count = len(QuestionStore(home).list())
    made = cli(home, "backup", str(tmp_path / "backup.tar.gz"))
    assert made.returncode == 0, made.stderr
    restored = tmp_path / "restored"
    back = cli(restored, "restore", str(tmp_path / "backup.tar.gz"))
    assert back.returncode == 0, back.stderr
    assert len(QuestionStore(restored).list()) == count
    assert stat.S_IMODE((restored / QUESTIONS_FILE).stat().st_mode) & 0o077 == 0
