"""What the real-browser tests share (tests/test_browser*.py): Playwright driving Debian's
Chromium, headless, against a real `archive serve`.

Needs /usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it) and the Python
packages playwright and axe-playwright-python (the test extra). Playwright's own browser
download is not used. A browser test module starts with ``pytestmark = BROWSER_TESTS`` and
imports ``sync_api`` from here: without Chromium or Playwright its tests are skipped. The
fixtures (``browser``, the demo ``server`` and its ``page``, the local SMTP server ``mail``)
are in conftest.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from smtp_server import Mailbox, serve_mail_env

from indexer.home import ArchiveHome

from conftest import paper_id_of
from live_server import LiveServer, add_staff_account, live_server

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
# An e-mail the server sends in the background gets this long on a loaded machine.
MAIL_TIMEOUT_S = 30
# The curator the journeys log in as, and the reader who writes in.
STAFF_USER = "curator"
STAFF_PASSWORD = "otters-and-leopards"
READER_MAIL = "reader@university.example"

BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@contextlib.contextmanager
def chromium() -> Iterator[sync_api.Browser]:
    """Headless Chromium from Debian (Playwright's own download is not available here)."""
    with sync_api.sync_playwright() as playwright:
        running = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield running
        running.close()


def open_tab(
    browser: sync_api.Browser, base_url: str, problems: list[str], **options: Any
) -> sync_api.Page:
    """A fresh tab (in a fresh context: no cookies; ``options`` such as ``locale`` for it) that
    notes console errors and uncaught exceptions in ``problems``, for the test to check."""
    context = browser.new_context(base_url=base_url, **options)
    tab = context.new_page()

    def on_console(message: sync_api.ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"{message.text} at {message.location['url']}")

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    return tab


@contextlib.contextmanager
def watched_tab(
    browser: sync_api.Browser, server: LiveServer, problems: list[str]
) -> Iterator[sync_api.Page]:
    """:func:`open_tab` on ``server``, downloads accepted, that fails the test on any problem
    left in ``problems`` at the end."""
    tab = open_tab(browser, server.url, problems, accept_downloads=True)
    yield tab
    tab.context.close()
    assert not problems, f"console errors: {problems}"


def assert_accessible(page: sync_api.Page) -> None:
    """Run axe on the page as it is: no serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.response["testEngine"]["name"] == "axe-core"  # it really ran
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} - "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, f"on {page.url}:\n" + "\n".join(serious)


def screenshot(page: sync_api.Page, name: str) -> None:
    """The whole page as tests/screenshots/``name``.png, for people to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def search(page: sync_api.Page, query: str) -> None:
    """Search from the home page, as a reader does (a screenshot of the home page on the way)."""
    page.goto("/")
    screenshot(page, "home")
    page.get_by_role("searchbox", name="Search the archive").fill(query)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")


def wait_for_mail(mailbox: Mailbox, address: str) -> EmailMessage:
    """The latest e-mail to ``address``, once one has come (the test fails after
    :data:`MAIL_TIMEOUT_S`)."""
    deadline = time.monotonic() + MAIL_TIMEOUT_S
    while not mailbox.to(address):
        if time.monotonic() > deadline:
            pytest.fail(f"no e-mail reached {address}")
        time.sleep(0.05)
    return mailbox.to(address)[-1]


# --- the request-a-copy journey's archive (tests/test_browser_copy.py, test_browser_i18n.py) ---

GUIDE = "camera-trapping-guide.pdf"  # on request
COPY_NOTIFY = "curator@charity.example"


def copy_journey_home(template: Path, root: Path) -> Path:
    """A copy of the demo home ``template`` at ``root`` with the camera-trapping guide on
    request and a curator's account."""
    shutil.copytree(template, root)
    archive_home = ArchiveHome.at(root)
    guide = archive_home.library.get(paper_id_of(archive_home, GUIDE))
    archive_home.library.save(dataclasses.replace(guide, access="on-request"))
    archive_home.index.rebuild(archive_home.library)
    add_staff_account(root, STAFF_USER, STAFF_PASSWORD)
    return root


@contextlib.contextmanager
def copy_journey_server(home: Path, smtp_port: int) -> Iterator[LiveServer]:
    """`archive serve` over ``home``, e-mailing through the local SMTP server at ``smtp_port``
    and telling :data:`COPY_NOTIFY` of each request for a copy."""
    env = serve_mail_env(smtp_port, ARCHIVE_COPY_REQUEST_NOTIFY=COPY_NOTIFY)
    with live_server(home, env=env) as running:
        yield running
