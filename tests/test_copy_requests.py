"""Request a copy: a reader asks, staff approve or decline, the e-mail goes through a real local
SMTP server (tests/smtp_server.py), and its signed link downloads that one paper only."""

from __future__ import annotations

import dataclasses
import time
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from archive.copy_requests import CopyRequestStore
from archive.mail import MailError, MailSettings, send_mail
from indexer.home import ArchiveHome
from tests.conftest import paper_id_of
from tests.copy_requests_support import (
    GUIDE,
    LINK,
    READER,
    STAFF_MAIL,
    TIGER,
    _cheap_password_hashing,
    answer,
    ask,
    mail_app,
    mail_config,
    make_app,
    on_request_home,
    smtp,
    staff_client,
    token_of,
)
from tests.smtp_server import PASSWORD as MAIL_PASSWORD
from tests.smtp_server import USER as MAIL_USER
from tests.smtp_server import Mailbox, free_port
from webui.public.copy_requests import link_token

__all__ = ["_cheap_password_hashing", "mail_app", "on_request_home", "smtp"]  # fixtures, by name


def test_send_mail_logs_in_and_delivers(smtp: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp
    settings = MailSettings("127.0.0.1", port, "none", MAIL_USER, MAIL_PASSWORD, "a@b.example")
    send_mail(settings, "x@y.example", "Hello\nBcc: evil@z.example", "Body text")
    [message] = mailbox.messages
    assert message["Subject"] == "Hello Bcc: evil@z.example"  # no header injection
    assert message["Bcc"] is None
    wrong = dataclasses.replace(settings, password="wrong")
    with pytest.raises(MailError, match="did not take the message"):
        send_mail(wrong, "x@y.example", "S", "B")
    closed = dataclasses.replace(settings, port=free_port())
    with pytest.raises(MailError):
        send_mail(closed, "x@y.example", "S", "B")


def test_a_reader_asks_staff_approve_and_the_link_downloads_that_paper_only(
    mail_app: Flask, on_request_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, _ = smtp
    guide = paper_id_of(on_request_home, GUIDE)
    reader = mail_app.test_client()
    asked = ask(reader, guide)
    assert asked.status_code == 303
    thanks = reader.get(asked.headers["Location"]).get_data(as_text=True)
    assert "You will get an e-mail" in thanks
    [notice] = mailbox.to(STAFF_MAIL)
    assert "Camera Trapping for Big Cats" in notice["Subject"]
    assert "ada@university.example" in notice.get_content()
    staff = staff_client(mail_app)
    dashboard = staff.get("/staff").get_data(as_text=True)
    assert "Ada Reader" in dashboard and "My thesis." in dashboard
    [open_request] = CopyRequestStore(on_request_home.root).open_requests()
    approved = answer(staff, open_request.id, "approve")
    assert "Ada Reader has been e-mailed" in approved.get_data(as_text=True)
    [reply] = mailbox.to("ada@university.example")
    match = LINK.search(reply.get_content())
    assert match and match.group(1) == guide
    link = match.group(0)
    got = reader.get(link.removeprefix("http://localhost"))
    assert got.status_code == 200
    assert got.data == on_request_home.library.pdf_path(guide).read_bytes()
    assert got.headers["Cache-Control"] == "private, no-store"
    # The same token for another paper, a tampered token, an expired one: refused.
    tiger = paper_id_of(on_request_home, TIGER)
    token = match.group(2)
    other = reader.get(f"/papers/{tiger}/copy/{token}")
    assert other.status_code == 403 and "another paper" in other.get_data(as_text=True)
    tampered = reader.get(f"/papers/{guide}/copy/{token[:-2]}xx")
    assert tampered.status_code == 403
    with mail_app.app_context():
        expired = link_token(open_request.id, guide, int(time.time()) - 1)
    late = reader.get(f"/papers/{guide}/copy/{expired}")
    assert late.status_code == 403 and "expired" in late.get_data(as_text=True)
    # Approving twice (two curators at once) sends nothing more.
    again = answer(staff, open_request.id, "approve")
    assert "already answered" in again.get_data(as_text=True)
    assert len(mailbox.to("ada@university.example")) == 1


def test_a_declined_request_gets_a_polite_refusal_and_no_link(
    mail_app: Flask, on_request_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, _ = smtp
    guide = paper_id_of(on_request_home, GUIDE)
    ask(mail_app.test_client(), guide)
    [item] = CopyRequestStore(on_request_home.root).open_requests()
    answer(staff_client(mail_app), item.id, "decline")
    [reply] = mailbox.to("ada@university.example")
    assert "sorry" in reply.get_content() and "/copy/" not in reply.get_content()
    with mail_app.app_context():
        forged = link_token(item.id, guide, int(time.time()) + 3600)
    assert mail_app.test_client().get(f"/papers/{guide}/copy/{forged}").status_code == 403


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Please give your name."),
        ({"email": "ada at university"}, "Please give an e-mail address"),
        ({"purpose": ""}, "Please say what you need the paper for."),
        ({"purpose": "x" * 2001}, "at most 2000 characters"),
        ({"name": "n" * 201}, "shorten your name"),
    ],
)
def test_bad_input_on_the_request_form_is_said_and_nothing_is_kept(
    mail_app: Flask, on_request_home: ArchiveHome, smtp: tuple[Mailbox, int], fields, message
) -> None:
    guide = paper_id_of(on_request_home, GUIDE)
    refused = ask(mail_app.test_client(), guide, **fields)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert message in page and "Traceback" not in page
    assert 'value="Ada Reader"' in page or "name" in fields  # what was typed is kept
    assert CopyRequestStore(on_request_home.root).open_requests() == []
    assert smtp[0].messages == []


def test_the_honeypot_and_the_csrf_token_keep_bots_out(
    mail_app: Flask, on_request_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    guide = paper_id_of(on_request_home, GUIDE)
    client = mail_app.test_client()
    bot = ask(client, guide, website="http://spam.example")
    assert bot.status_code == 303  # thanked, as a person would be
    no_token = client.post(f"/papers/{guide}/request-copy", data=READER)
    assert no_token.status_code == 400
    assert CopyRequestStore(on_request_home.root).open_requests() == []
    assert smtp[0].messages == []


def test_requests_are_rate_limited_per_address(on_request_home: ArchiveHome) -> None:
    app = make_app(on_request_home, COPY_REQUEST_RATE_LIMIT="2 per hour")
    client = app.test_client()
    guide = paper_id_of(on_request_home, GUIDE)
    assert [ask(client, guide).status_code for _ in range(3)] == [303, 303, 429]
    assert len(CopyRequestStore(on_request_home.root).open_requests()) == 2


def test_only_on_request_papers_take_requests(
    mail_app: Flask, on_request_home: ArchiveHome
) -> None:
    tiger = paper_id_of(on_request_home, TIGER)
    client = mail_app.test_client()
    assert "Request a copy" not in client.get(f"/papers/{tiger}").get_data(as_text=True)
    guide = paper_id_of(on_request_home, GUIDE)
    data = {"csrf_token": token_of(client, f"/papers/{guide}"), **READER}
    assert client.post(f"/papers/{tiger}/request-copy", data=data).status_code == 303
    assert CopyRequestStore(on_request_home.root).open_requests() == []


def test_without_smtp_requests_still_reach_the_dashboard(on_request_home: ArchiveHome) -> None:
    app = make_app(on_request_home)
    guide = paper_id_of(on_request_home, GUIDE)
    reader = app.test_client()
    page = reader.get(f"/papers/{guide}").get_data(as_text=True)
    assert "The charity will answer you." in page
    asked = ask(reader, guide)
    assert "who will answer you" in reader.get(asked.headers["Location"]).get_data(as_text=True)
    staff = staff_client(app)
    assert "Ada Reader" in staff.get("/staff").get_data(as_text=True)
    [item] = CopyRequestStore(on_request_home.root).open_requests()
    approved = answer(staff, item.id, "approve").get_data(as_text=True)
    # The curator is given the link to send by hand.
    assert "no e-mail could be sent" in approved and f"/papers/{guide}/copy/" in approved
    app.extensions["staff_services"].sync.stop()


def test_an_unreachable_mail_server_loses_no_request(on_request_home: ArchiveHome) -> None:
    app = make_app(on_request_home, **mail_config(free_port()))
    guide = paper_id_of(on_request_home, GUIDE)
    asked = ask(app.test_client(), guide)
    assert asked.status_code == 303
    assert len(CopyRequestStore(on_request_home.root).open_requests()) == 1


def test_decided_requests_are_deleted_after_the_retention_period(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = CopyRequestStore(tmp_path)
    kept_open = store.add("a" * 64, "Open Reader", "o@x.example", "p")
    decided = store.add("a" * 64, "Old Reader", "old@x.example", "p")
    store.decide(decided.id, "declined", "curator")
    now = datetime.now(UTC)
    assert store.purge(30, now=now + timedelta(days=29)) == 0
    assert store.purge(30, now=now + timedelta(days=31)) == 2
    assert store.get(decided.id) is None
    # An open request nobody answered expires after the same period (issue 22).
    assert store.get(kept_open.id) is None
