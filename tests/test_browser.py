"""The main journeys in a real browser: Playwright driving Debian's Chromium, headless, against a
real `archive serve`. Any console error fails a test; screenshots of the main pages are written
to tests/screenshots/ for people to look at; axe checks accessibility.

Needs /usr/bin/chromium (`apt-get install chromium`; `.ci/run` installs it) and the Python
packages playwright and axe-playwright-python (the test extra). Playwright's own browser
download is not used.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import (
    BROWSER_TESTS,
    SCREENSHOTS,
    STAFF_PASSWORD,
    STAFF_USER,
    assert_accessible,
    screenshot,
    search,
    sync_api,
    watched_tab,
)

from conftest import DEMO_PAPERS
from live_server import LiveServer, add_staff_account, live_server
from pdf_factory import distinct_copy

# Background work (reading an upload, indexing) gets this long on a loaded machine.
BACKGROUND_TIMEOUT_S = 60

pytestmark = BROWSER_TESTS


@pytest.fixture(scope="module")
def staff_server(
    _demo_home_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """A server of its own for the staff journeys (they change the archive: the public tests
    count papers), over the demo papers, with a staff account made with the CLI."""
    root = tmp_path_factory.mktemp("staff") / "home"
    shutil.copytree(_demo_home_template, root)
    add_staff_account(root, STAFF_USER, STAFF_PASSWORD)
    with live_server(root) as running:
        yield running


@pytest.fixture
def staff_page(
    browser: sync_api.Browser, staff_server: LiveServer, console_errors: list[str]
) -> Iterator[sync_api.Page]:
    """A fresh tab on the staff journeys' server, nobody logged in; no console errors allowed."""
    with watched_tab(browser, staff_server, console_errors) as tab:
        yield tab


def test_search_sort_and_page_through_results(page: sync_api.Page) -> None:
    search(page, "leopard")
    heading = page.locator("h1").inner_text()
    total = int(heading.split()[0])
    assert total > 10 and "leopard" in heading
    assert page.locator("li.hit").count() == 10
    screenshot(page, "results")

    page.get_by_label("Sort by").select_option("title")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_url("**sort=title**")
    titles = page.locator("li.hit h2").all_inner_texts()
    assert titles == sorted(titles, key=lambda t: t.casefold().removeprefix("the "))

    page.get_by_role("link", name="Next").click()
    page.wait_for_url("**page=2**")
    assert page.locator("nav.pager").inner_text().startswith("Previous")
    assert "Page 2 of" in page.locator("nav.pager").inner_text()
    assert page.locator("li.hit").count() == total - 10
    assert page.locator("ol.results").get_attribute("start") == "11"


def test_open_a_paper_and_its_pdf_at_a_page(page: sync_api.Page) -> None:
    search(page, '"camera traps"')
    first = page.locator("li.hit").first
    page_link = first.locator("a.page").first
    href = page_link.get_attribute("href") or ""
    path, _, fragment = href.partition("#")
    assert path.endswith("/pdf") and fragment.startswith("page=") and int(fragment[5:]) >= 1
    pdf = page.request.get(path)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF-")
    # What a PDF viewer asks for when it opens a page of a large file.
    part = page.request.get(path, headers={"Range": "bytes=0-99"})
    assert part.status == 206 and len(part.body()) == 100

    title = first.locator("h2 a").inner_text()
    first.locator("h2 a").click()
    page.wait_for_url("**/papers/*")
    assert page.locator("h1").inner_text() == title
    screenshot(page, "paper")


def test_download_is_the_original_file(page: sync_api.Page) -> None:
    search(page, 'title:"snow leopard"')
    page.locator("li.hit h2 a").first.click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download (").click()
    download = download_info.value
    assert download.suggested_filename == "snow-leopard-fact-sheet.pdf"
    saved = Path(download.path())
    assert saved.read_bytes() == (DEMO_PAPERS / "snow-leopard-fact-sheet.pdf").read_bytes()


def test_download_all_matches_as_one_zip(page: sync_api.Page) -> None:
    search(page, "tiger")
    total = int(page.locator("h1").inner_text().split()[0])
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download all").click()
    data = Path(download_info.value.path()).read_bytes()
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    pdfs = [name for name in names if name.endswith(".pdf")]
    assert len(pdfs) == total
    assert any(name.endswith("manifest.csv") for name in names)
    assert any(name.endswith("references.bib") for name in names)
    manifest = next(name for name in names if name.endswith("manifest.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(manifest).decode("utf-8-sig"))))
    assert len(rows) == total
    # Every PDF byte for byte as imported: its SHA-256 is the id of a paper that matches.
    found = page.request.get("/api/search?q=tiger&limit=100").json()
    assert {hashlib.sha256(archive.read(name)).hexdigest() for name in pdfs} == {
        hit["id"] for hit in found["results"]
    }


@pytest.mark.parametrize(
    "path",
    ["/", "/search?q=leopard", "/search?q=", "/help", "/papers/" + "0" * 64, "FIRST_PAPER"],
)
def test_pages_have_no_serious_accessibility_violations(
    page: sync_api.Page, console_errors: list[str], path: str
) -> None:
    if path == "FIRST_PAPER":
        search(page, "leopard")
        page.locator("li.hit h2 a").first.click()
        page.wait_for_url("**/papers/*")
    else:
        response = page.goto(path)
        assert response is not None
        if response.status == 404:
            # The browser reports the error page's own status; nothing else may fail.
            page.wait_for_load_state("load")
            assert len(console_errors) == 1 and "404" in console_errors[0]
            console_errors.clear()
    assert_accessible(page)


# --- staff: log in, upload, edit, log out ------------------------------------------------------


def _eventually(condition: Callable[[], bool], what: str) -> None:
    """Poll ``condition`` (background work on a loaded machine takes its time)."""
    deadline = time.monotonic() + BACKGROUND_TIMEOUT_S
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.5)


def _search_titles(page: sync_api.Page, query: str) -> list[str]:
    page.goto("/search?q=" + quote(query))
    return page.locator("li.hit h2").all_inner_texts()


def test_staff_journeys_log_in_upload_edit(staff_page: sync_api.Page, tmp_path: Path) -> None:
    page = staff_page
    expect = sync_api.expect
    uploads = [
        distinct_copy(
            DEMO_PAPERS / "snow-leopard-fact-sheet.pdf", tmp_path / "journey-snow.pdf", "a"
        ),
        distinct_copy(
            DEMO_PAPERS / "amur-leopard-fact-sheet.pdf", tmp_path / "journey-amur.pdf", "b"
        ),
        tmp_path / "not-a-paper.pdf",
    ]
    uploads[2].write_text("Meeting notes, saved with the wrong name.\n")

    # A staff page sends a stranger to the login form; a wrong password is said so.
    page.goto("/upload")
    expect(page.locator("h1")).to_have_text("Staff login")
    page.get_by_label("User name").fill(STAFF_USER)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong user name or password.")
    expect(page.get_by_label("User name")).to_have_value(STAFF_USER)
    assert_accessible(page)
    screenshot(page, "login")
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Back where the curator was going: the upload form. Three files at once.
    page.wait_for_url("**/upload")
    expect(page.locator("h1")).to_have_text("Upload papers")
    expect(page.get_by_role("navigation", name="Staff")).to_contain_text(STAFF_USER)
    assert_accessible(page)
    screenshot(page, "upload")
    page.get_by_label("PDF files").set_input_files(uploads)
    expect(page.locator("#upload-status")).to_have_text("3 files chosen.")
    page.get_by_role("button", name="Upload", exact=True).click()
    page.wait_for_url("**/upload/batches/*")
    # The page refreshes itself until every file has its outcome.
    expect(page.locator("tr.status-received")).to_have_count(0, timeout=BACKGROUND_TIMEOUT_S * 1000)
    rows = page.locator("table.outcomes tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("journey-snow.pdf")
    expect(rows.nth(0).locator("td").nth(1)).to_have_text("added: The Snow Leopard: A Fact Sheet")
    expect(rows.nth(1)).to_contain_text("journey-amur.pdf")
    expect(rows.nth(1).locator("td").nth(1)).to_contain_text("added: ")
    expect(rows.nth(2)).to_contain_text("not-a-paper.pdf")
    expect(rows.nth(2).locator("td").nth(1)).to_have_text("failed: not a PDF")
    assert_accessible(page)
    screenshot(page, "upload-results")
    paper_url = rows.nth(0).get_by_role("link").get_attribute("href") or ""
    assert paper_url.startswith("/papers/")

    # Searchable within seconds (the index follows in the background).
    _eventually(
        lambda: len(_search_titles(page, 'filename:"journey-snow.pdf"')) == 1,
        "the upload is searchable",
    )

    # Fix its title; the paper's page and search show the new one.
    page.goto(paper_url)
    page.get_by_role("link", name="Edit details").click()
    expect(page.locator("h1")).to_have_text("Edit details")
    assert_accessible(page)
    screenshot(page, "edit")
    new_title = "Snow leopards above the tree line, a journey survey"
    # One form, one Save: a new title and a new access level are both kept (issue 25).
    page.get_by_label("Title").fill(new_title)
    page.get_by_label("Access", exact=True).select_option("on-request")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**" + paper_url)
    expect(page.get_by_role("status").first).to_contain_text("Saved the details.")
    expect(page.get_by_role("status").first).to_contain_text("Access set to on-request.")
    expect(page.locator("h1")).to_have_text(new_title)
    page.get_by_role("link", name="Edit details").click()
    expect(page.get_by_label("Title")).to_have_value(new_title)
    expect(page.get_by_label("Access", exact=True)).to_have_value("on-request")
    page.go_back()
    _eventually(
        lambda: _search_titles(page, '"journey survey"') == [new_title],
        "search shows the new title",
    )

    # The dashboard lists the upload that failed and the edit.
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Staff").click()
    expect(page.locator("h1")).to_have_text("Staff dashboard")
    failures = page.locator("table.outcomes").first
    expect(failures).to_contain_text("not-a-paper.pdf")
    expect(failures).to_contain_text("not a PDF")
    expect(page.locator("main")).to_contain_text(f"edited {new_title}: title")
    expect(page.locator("main")).to_contain_text(f"set the access of {new_title} to on-request")
    assert_accessible(page)
    screenshot(page, "staff")

    # Log out: the staff menu goes, and staff pages ask for a login again.
    page.get_by_role("button", name=f"Log out {STAFF_USER}").click()
    expect(page.get_by_role("status").first).to_have_text("You are logged out.")
    expect(page.get_by_role("navigation", name="Staff")).to_have_count(0)
    page.goto("/staff")
    expect(page.locator("h1")).to_have_text("Staff login")


def test_staff_usage_dashboard(staff_page: sync_api.Page, staff_server: LiveServer) -> None:
    page = staff_page
    expect = sync_api.expect
    # Readers with a browser (Playwright's headless Chromium says "HeadlessChrome", a robot
    # by COUNTER's list, so its own visits are rightly not counted).
    reader = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    for path in ("/search?q=pangolin+scales", "/search?q=amur+leopard", "/search.zip?q=tiger"):
        request = urllib.request.Request(staff_server.url + path, headers={"User-Agent": reader})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    page.goto("/staff/usage")
    page.get_by_label("User name").fill(STAFF_USER)
    page.get_by_label("Password").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/staff/usage")
    missed = page.locator("table.missed")

    def counted() -> bool:
        page.reload()
        return missed.count() == 1 and "pangolin scales" in missed.inner_text()

    _eventually(counted, "the searches are counted")
    chart = page.get_by_role("img", name="Searches and downloads per week")
    expect(chart).to_be_visible()
    assert page.locator("svg[role=img] rect").count() >= 2
    page.get_by_text("The chart's figures as a table").click()
    expect(page.locator("details table")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "usage")

    # Mark the miss handled (a form with its CSRF token); it leaves the list.
    missed.get_by_role("button", name="Mark “pangolin scales” handled").click()
    page.wait_for_url("**/staff/usage**")
    expect(page.get_by_role("status").first).to_contain_text("is marked handled")
    expect(page.locator("table.missed")).to_have_count(0)
    # Run a top query again from the list.
    page.get_by_role("link", name="amur leopard").first.click()
    page.wait_for_url("**/search?q=amur*")
    expect(page.locator("h1")).to_contain_text("amur leopard")


def teardown_module() -> None:
    # Keep screenshots (people look at them); drop an empty folder from a skipped run.
    if SCREENSHOTS.is_dir() and not any(SCREENSHOTS.iterdir()):
        shutil.rmtree(SCREENSHOTS)


# --- a student's questions -------------------------------------------------------------------


def test_a_question_finds_the_papers_holding_most_of_its_words(page: sync_api.Page) -> None:
    """Typed as a student writes it: no demo paper says "researchers", so the page says that
    no paper has every word and lists those with most of them, each with what it lacks."""
    search(page, "how do researchers count leopards with camera traps?")
    notice = page.locator(".notice.relaxed")
    sync_api.expect(notice).to_contain_text("No paper has all of your words")
    sync_api.expect(notice).to_contain_text("missing: researchers")
    titles = page.locator("li.hit h2").all_inner_texts()
    assert any("Camera Trapping" in title for title in titles)
    assert page.locator("li.hit").first.inner_text().count("researchers") >= 1
    screenshot(page, "results-relaxed")
    assert_accessible(page)


def test_no_results_page_is_laid_out_under_the_heading(page: sync_api.Page) -> None:
    """The message of a search that finds nothing starts where the heading does, not in the
    empty facet column's place, and offers ways on."""
    search(page, "okapi pangolin")
    heading = page.locator("h1").bounding_box()
    message = page.locator("section.no-results").bounding_box()
    assert heading is not None and message is not None
    assert abs(message["x"] - heading["x"]) < 2
    sync_api.expect(page.locator("section.no-results")).to_contain_text("No papers match")
    ways_on = page.locator("section.no-results")
    sync_api.expect(ways_on.get_by_role("link", name="Browse all papers")).to_be_visible()
    assert page.locator("aside.facets").count() == 0
    screenshot(page, "no-results")
    assert_accessible(page)

    # On a phone: under the heading too, and nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    heading = page.locator("h1").bounding_box()
    message = page.locator("section.no-results").bounding_box()
    assert heading is not None and message is not None
    assert abs(message["x"] - heading["x"]) < 2 and message["x"] + message["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "no-results-phone")
