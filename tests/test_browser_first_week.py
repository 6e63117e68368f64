"""The charity's first week in a real browser (issue 25; Chromium, headless, see
tests/browser_support.py): the README's first-run commands from a fresh home and the login they
lead to, a question's results on a 390 px phone (the first hit on the first screen), following
a search through its feed, and the 403 page of an on-request PDF linking to the request form."""

from __future__ import annotations

import dataclasses
import re
import shlex
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from answer_set import EMAIL_LEOPARD, ISSUE_QUESTION, write_reports
from browser_support import BROWSER_TESTS, assert_accessible, screenshot, sync_api, watched_tab

from indexer.home import ArchiveHome
from indexer.ingest.importer import import_paths

from conftest import DEMO_PAPERS, REPO, demo_pdfs, paper_id_of
from live_server import LiveServer, free_port, live_server

pytestmark = BROWSER_TESTS

PHONE = {"width": 390, "height": 844}
ATOM = "{http://www.w3.org/2005/Atom}"
PASSWORD = "a long enough password"


# --- the first run, as the README says it --------------------------------------------------------


def _readme_commands() -> tuple[list[str], str]:
    """The README's "without make" commands (import, serve) and the command `make user`
    stands for, as written there."""
    readme = (REPO / "README.md").read_text()
    run_section = readme.split("## Run it (the demo archive)", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", run_section, re.S)
    without_make = next(block for block in blocks if "venv" in block and "serve" in block)
    commands = [line for line in without_make.splitlines() if line.startswith(".venv/bin/archive")]
    user = re.search(r"make user NAME=alice\s+# the same as: (.+)", run_section)
    assert user is not None, "the README no longer says what `make user` runs"
    return commands, user.group(1).strip()


def _as_here(command: str, home: Path) -> list[str]:
    """A README command run with this interpreter's `archive`, against ``home``."""
    words = shlex.split(command)
    archive = Path(sys.executable).parent / "archive"
    assert words[0] == ".venv/bin/archive"
    words[0] = str(archive) if archive.exists() else sys.executable
    if words[0] == sys.executable:
        words[1:1] = ["-m", "indexer"]
    return [str(home) if word == "demo-home" else word for word in words]


def test_first_run_from_the_readme_then_log_in(browser: sync_api.Browser, tmp_path: Path) -> None:
    """From a fresh home: the README's import, its account command (what `make user` runs),
    its serve, then a curator logs in in the browser and reaches the dashboard."""
    commands, make_user = _readme_commands()
    home = tmp_path / "fresh" / "demo-home"
    imported = subprocess.run(
        _as_here(commands[0], home), cwd=REPO, capture_output=True, text=True, check=False
    )
    assert imported.returncode == 0, imported.stderr
    assert f"Imported into the home {home}." in imported.stdout
    assert "serve" in commands[-1]
    added = subprocess.run(
        [*_as_here(make_user, home), "--password-stdin"],
        cwd=REPO,
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == f"Added staff user alice to the home {home}."
    with live_server(home, port=free_port()) as server:
        problems: list[str] = []
        with watched_tab(browser, server, problems) as page:
            page.goto("/")
            page.get_by_role("link", name="Staff login").click()
            page.get_by_label("User name").fill("alice")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            sync_api.expect(page.get_by_role("button", name="Log out alice")).to_be_visible()
            page.goto("/staff")
            sync_api.expect(page.locator("h1")).to_have_text("Staff dashboard")
            sync_api.expect(page.locator("main")).to_contain_text("alice logged in")
            # Every paper of the README's import is there.
            sync_api.expect(page.locator("main")).to_contain_text(f"{len(demo_pdfs()) + 1} papers")
            assert_accessible(page)


# --- a question on a phone, and following a search ----------------------------------------------


@pytest.fixture(scope="module")
def reader_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`archive serve` over the demo papers (one on request), the Russian report and the
    answer set's reports."""
    root = tmp_path_factory.mktemp("browser-first-week") / "home"
    reports = write_reports(tmp_path_factory.mktemp("reports"))
    home = ArchiveHome.at(root)
    report = import_paths(home, [DEMO_PAPERS, REPO / "papers-ru", *reports], jobs=1)
    assert not report.failed
    tiger = home.library.get(paper_id_of(home, "amur-tiger-fact-sheet.pdf"))
    home.library.save(dataclasses.replace(tiger, access="on-request"))
    home.index.rebuild(home.library)
    with live_server(root) as running:
        yield running


@pytest.fixture
def problems() -> list[str]:
    return []


@pytest.fixture
def tab(
    browser: sync_api.Browser, reader_server: LiveServer, problems: list[str]
) -> Iterator[sync_api.Page]:
    with watched_tab(browser, reader_server, problems) as page:
        yield page


def _lines(page: sync_api.Page, selector: str) -> float:
    """How many lines of text the element takes."""
    return page.locator(selector).first.evaluate(
        "e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)"
    )


def test_a_question_on_a_phone_shows_its_first_hit_on_the_first_screen(
    tab: sync_api.Page,
) -> None:
    """The issue's question on a 390 x 844 phone: what was searched too and the relaxed
    notice are one line each (collapsed), the answers block leaves room, the ZIP link goes
    below the results, and the first hit's title is on the first screen."""
    tab.set_viewport_size(PHONE)
    tab.goto("/")
    tab.get_by_role("searchbox", name="Search the archive").fill(ISSUE_QUESTION)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/search?**")
    first_hit = tab.locator("li.hit").first
    title = first_hit.locator("h2")
    box = title.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], f"first hit's title at {box}"
    assert tab.locator("section.answers").count() == 1  # the answers are there, above it
    answers = tab.locator("section.answers").bounding_box()
    assert answers is not None and answers["y"] < box["y"]
    # Collapsed, one line each; the details are a tap away.
    searched_too = tab.locator("details.searched-too")
    assert searched_too.get_attribute("open") is None
    assert _lines(tab, "details.searched-too > summary") < 1.5
    sync_api.expect(tab.get_by_role("link", name="Search only the words as typed")).to_be_hidden()
    relaxed = tab.locator("details.notice.relaxed > summary")
    assert _lines(tab, "details.notice.relaxed > summary") < 1.5
    searched_too.locator("summary").click()
    sync_api.expect(tab.get_by_role("link", name="Search only the words as typed")).to_be_visible()
    relaxed.click()
    sync_api.expect(relaxed).to_contain_text("missing:")
    # The ZIP and citations: below the list of papers.
    download = tab.locator("p.download-all").bounding_box()
    results = tab.locator("ol.results").bounding_box()
    assert download is not None and results is not None
    assert download["y"] > results["y"] + results["height"] - 1
    assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(tab, "question-phone")
    assert_accessible(tab)


def test_a_pasted_email_on_a_phone_shows_its_first_hit_on_the_first_screen(
    tab: sync_api.Page,
) -> None:
    """A pasted e-mail's notice of the words left out is one line too."""
    tab.set_viewport_size(PHONE)
    tab.goto("/")
    tab.get_by_role("searchbox", name="Search the archive").fill(EMAIL_LEOPARD)
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/search?**")
    assert _lines(tab, "details.pasted > summary") < 1.5
    box = tab.locator("li.hit h2").first.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], f"first hit's title at {box}"


def test_follow_a_search_from_its_results_page(tab: sync_api.Page) -> None:
    """The results page's "Follow this search" link and its head's alternate link give the
    search's Atom feed: the leopard papers, newest first, and no PDF of the on-request one."""
    tab.goto("/search?q=leopard")
    link = tab.get_by_role("link", name="Follow this search (feed)")
    sync_api.expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    head = tab.locator('head link[rel="alternate"][type="application/atom+xml"][href^="/feeds/"]')
    assert head.get_attribute("href") == href
    answer = tab.request.get(href)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.body())
    assert feed.findtext(f"{ATOM}title") == "New papers on “leopard”"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert any("Amur Leopard" in (title or "") for title in titles)
    again = tab.request.get(href, headers={"If-None-Match": answer.headers["etag"]})
    assert again.status == 304
    # In Russian, the page links a Russian feed.
    tab.get_by_role("link", name="Русский").click()
    russian = tab.get_by_role("link", name="Следить за этим поиском (лента)")
    feed_ru = ET.fromstring(tab.request.get(russian.get_attribute("href") or "").body())
    assert feed_ru.findtext(f"{ATOM}title") == "Новые статьи по запросу «leopard»"


def test_the_403_page_links_to_the_request_form(tab: sync_api.Page, problems: list[str]) -> None:
    """Opening an on-request paper's PDF gives a 403 page whose link leads to the paper's
    request form."""
    tab.goto("/search?q=tiger")
    tiger_url = tab.locator("li.hit h2 a", has_text="Amur Tiger").first.get_attribute("href")
    assert tiger_url
    paper_path = tiger_url.split("?", 1)[0]
    tab.goto(paper_path + "/pdf")
    sync_api.expect(tab.locator("main")).to_contain_text("not public")
    assert len(problems) == 1 and "403" in problems[0]
    problems.clear()
    tab.get_by_role("link", name="Ask the charity for a copy of this paper").click()
    tab.wait_for_url(f"**{paper_path}#request-copy")
    form = tab.get_by_role("region", name="Request a copy")
    sync_api.expect(form).to_be_visible()
    sync_api.expect(form.get_by_label("Your e-mail address")).to_be_visible()
    assert_accessible(tab)
