"""The request-a-copy tests' set-up, shared with the other tests of readers' forms and their
e-mails (ask the charity, the interface's languages): a demo home with an on-request paper
and a staff account, a local SMTP server, an app that mails through it, and the steps a reader
and a curator take (ask, sign in, answer).

``_cheap_password_hashing`` (the staff tests', tests/staff_support.py) is autouse where a test
module imports it; ``USER`` and ``PASSWORD`` are the staff tests' curator
(tests/security_support.py).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from security_support import PASSWORD, USER
from staff_support import _cheap_password_hashing as _cheap_password_hashing  # re-exported

from archive.accounts import AccountStore
from indexer.home import ArchiveHome
from tests.conftest import paper_id_of
from tests.smtp_server import Mailbox, app_mail_config, smtp_server
from webui import create_app

GUIDE = "camera-trapping-guide.pdf"
TIGER = "amur-tiger-fact-sheet.pdf"
STAFF_MAIL = "curator@charity.example"
READER = {"name": "Ada Reader", "email": "ada@university.example", "purpose": "My thesis."}
LINK = re.compile(r"http://localhost/papers/([0-9a-f]{64})/copy/(\S+)")


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    with smtp_server() as running:
        yield running


def make_app(home: ArchiveHome, **config: Any) -> Flask:
    settings = {"ARCHIVE_HOME": str(home.root), "TESTING": True}
    settings.update(COPY_REQUEST_RATE_LIMIT="1000 per hour")
    settings.update(config)
    return create_app(settings)


def mail_config(port: int) -> dict[str, Any]:
    return app_mail_config(port, COPY_REQUEST_NOTIFY=STAFF_MAIL)


@pytest.fixture
def on_request_home(demo_home: ArchiveHome) -> ArchiveHome:
    paper = demo_home.library.get(paper_id_of(demo_home, GUIDE))
    demo_home.library.save(dataclasses.replace(paper, access="on-request"))
    demo_home.index.rebuild(demo_home.library)
    AccountStore(demo_home.root).add(USER, PASSWORD)
    return demo_home


@pytest.fixture
def mail_app(on_request_home: ArchiveHome, smtp: tuple[Mailbox, int]) -> Iterator[Flask]:
    app = make_app(on_request_home, **mail_config(smtp[1]))
    yield app
    app.extensions["staff_services"].uploads.stop()
    app.extensions["staff_services"].sync.stop()


def token_of(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def ask(client: FlaskClient, paper_id: str, **fields: str) -> Any:
    data = {"csrf_token": token_of(client, f"/papers/{paper_id}"), **READER, **fields}
    return client.post(f"/papers/{paper_id}/request-copy", data=data)


def staff_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    data = {"csrf_token": token_of(client, "/login"), "username": USER, "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 303
    return client


def answer(staff: FlaskClient, request_id: str, decision: str) -> Any:
    token = token_of(staff, "/staff")
    return staff.post(
        f"/staff/copy-requests/{request_id}/{decision}",
        data={"csrf_token": token},
        follow_redirects=True,
    )
