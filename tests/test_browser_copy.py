"""Request a copy in a real browser, end to end: a reader asks on an on-request paper's page, a
curator approves on the dashboard, the e-mail arrives at a real local SMTP server, its link
downloads the PDF; the link fails for another paper and once it has expired.

Headless Chromium from Debian through Playwright, see tests/browser_support.py; a real
`archive serve` whose SMTP settings point at the aiosmtpd server the test starts.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    BROWSER_TESTS,
    GUIDE,
    READER_MAIL,
    STAFF_PASSWORD,
    STAFF_USER,
    assert_accessible,
    copy_journey_home,
    copy_journey_server,
    open_tab,
    sync_api,
    wait_for_mail,
)
from itsdangerous import URLSafeSerializer
from smtp_server import Mailbox

from archive.instance_secret import load_or_create_secret
from indexer.home import ArchiveHome

from conftest import paper_id_of
from live_server import LiveServer

TIGER = "amur-tiger-fact-sheet.pdf"

pytestmark = BROWSER_TESTS


@pytest.fixture
def home(_demo_home_template: Path, tmp_path: Path) -> Path:
    return copy_journey_home(_demo_home_template, tmp_path / "home")


@pytest.fixture
def server(home: Path, mail: tuple[Mailbox, int]) -> Iterator[LiveServer]:
    with copy_journey_server(home, mail[1]) as running:
        yield running


def test_a_reader_asks_a_curator_approves_and_the_emailed_link_downloads_the_paper(
    browser: sync_api.Browser, server: LiveServer, home: Path, mail: tuple[Mailbox, int]
) -> None:
    expect = sync_api.expect
    mailbox, _ = mail
    archive_home = ArchiveHome.at(home)
    guide, tiger = paper_id_of(archive_home, GUIDE), paper_id_of(archive_home, TIGER)
    problems: list[str] = []

    # The reader: the paper is described, its PDF is not offered, a form asks for a copy.
    reader = open_tab(browser, server.url, problems, accept_downloads=True)
    reader.goto(f"/papers/{guide}")
    expect(reader.locator("h1")).to_contain_text("Camera Trapping for Big Cats")
    expect(reader.get_by_role("link", name="Read PDF")).to_have_count(0)
    expect(reader.get_by_role("heading", name="Request a copy")).to_be_visible()
    # The honeypot field is off-screen for people (bots fill it).
    trap = reader.locator("#copy-website").bounding_box()
    assert trap is not None and trap["x"] + trap["width"] <= 0
    assert_accessible(reader)
    reader.get_by_label("Your name").fill("Ada Reader")
    reader.get_by_label("Your e-mail address").fill(READER_MAIL)
    reader.get_by_label("What you need it for").fill("A thesis on camera traps.")
    reader.get_by_role("button", name="Ask for a copy").click()
    expect(reader.get_by_text("your request has been sent to the charity")).to_be_visible()
    assert "Ada Reader" in wait_for_mail(mailbox, "curator@charity.example").get_content()

    # The curator approves it on the dashboard with one click.
    curator = open_tab(browser, server.url, problems, accept_downloads=True)
    curator.goto("/staff")
    curator.get_by_label("User name").fill(STAFF_USER)
    curator.get_by_label("Password").fill(STAFF_PASSWORD)
    curator.get_by_role("button", name="Log in").click()
    row = curator.locator("table.copy-requests tr", has_text="Ada Reader")
    expect(row).to_contain_text("A thesis on camera traps.")
    assert_accessible(curator)
    row.get_by_role("button", name="Approve").click()
    expect(curator.get_by_text("Ada Reader has been e-mailed")).to_be_visible()
    expect(curator.locator("table.copy-requests")).to_have_count(0)

    # The e-mail's link downloads that paper in the reader's browser.
    body = wait_for_mail(mailbox, READER_MAIL).get_content()
    match = re.search(r"http://\S+/papers/([0-9a-f]{64})/copy/(\S+)", body)
    assert match and match.group(1) == guide
    link = match.group(0).replace("http://localhost", server.url)
    with reader.expect_download() as download_info:
        reader.evaluate("url => { window.location.href = url; }", link)
    saved = Path(download_info.value.path())
    expected = archive_home.library.pdf_path(guide).read_bytes()
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == hashlib.sha256(expected).hexdigest()

    # The same link for another paper, and a link past its expiry, fail.
    token = match.group(2)
    status, page = server.get(f"/papers/{tiger}/copy/{token}")
    assert status == 403 and b"another paper" in page
    signer = URLSafeSerializer(load_or_create_secret(home), salt="copy-link")
    request_id = signer.loads(token)["r"]
    expired = signer.dumps({"r": request_id, "p": guide, "e": int(time.time()) - 60})
    status, page = server.get(f"/papers/{guide}/copy/{expired}")
    assert status == 403 and b"expired" in page
    assert not problems, problems
