"""Answers from the papers in a real browser (Chromium, headless, see tests/browser_support.py):
a student's question and a pasted e-mail get the passage that answers them above the results,
on a desktop and on a 390 px phone, with no serious accessibility violation; the paper page
opened from the results leads back to them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from answer_set import EMAIL_LEOPARD, ISSUE_QUESTION, write_reports
from browser_support import BROWSER_TESTS, assert_accessible, screenshot, sync_api, watched_tab

from indexer.home import ArchiveHome
from indexer.ingest.importer import import_paths

from conftest import DEMO_PAPERS
from live_server import LiveServer, live_server

pytestmark = BROWSER_TESTS

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def answers_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`archive serve` over the demo papers and the answer set's reports."""
    root = tmp_path_factory.mktemp("browser-answers") / "home"
    reports = write_reports(tmp_path_factory.mktemp("reports"))
    report = import_paths(ArchiveHome.at(root), [DEMO_PAPERS, *reports], jobs=1)
    assert not report.failed
    with live_server(root) as running:
        yield running


@pytest.fixture
def tab(browser: sync_api.Browser, answers_server: LiveServer) -> Iterator[sync_api.Page]:
    """A fresh tab on the answers' server; no console errors allowed."""
    with watched_tab(browser, answers_server, []) as page:
        yield page


def _ask(page: sync_api.Page, text: str) -> None:
    page.goto("/")
    page.get_by_role("searchbox", name="Search the archive").fill(text)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?**")


def _fits(page: sync_api.Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_question_gets_its_answer_first(tab: sync_api.Page) -> None:
    _ask(tab, ISSUE_QUESTION)
    answers = tab.get_by_role("region", name="Answers from the papers")
    sync_api.expect(answers).to_be_visible()
    # The reports' and the fact sheet's paragraphs on the rangers are among the answers.
    first = answers.locator("li.answer", has_text="Far Eastern Leopard Programme")
    sync_api.expect(first).to_contain_text("Ranger teams patrol the national park")
    sync_api.expect(first).to_contain_text("page 3")
    sync_api.expect(first.locator("mark").first).to_be_visible()
    # Above the list of papers.
    block = answers.bounding_box()
    results = tab.locator("ol.results").bounding_box()
    assert block is not None and results is not None and block["y"] < results["y"]
    # Cite the page: the reference carries it.
    first.locator("summary", has_text="Cite this page").click()
    sync_api.expect(first.locator(".reference")).to_contain_text("p. 3.")
    screenshot(tab, "answers")
    assert_accessible(tab)

    tab.set_viewport_size(PHONE)
    sync_api.expect(first).to_be_visible()
    _fits(tab, PHONE["width"])
    screenshot(tab, "answers-phone")
    assert_accessible(tab)

    # The preview of the answer's page opens it with the words marked.
    tab.set_viewport_size({"width": 1280, "height": 900})
    first.get_by_role("link", name="Preview page 3").click()
    tab.wait_for_url("**/pages/3?**")


def test_a_pasted_email_is_shortened_and_answered(tab: sync_api.Page) -> None:
    _ask(tab, EMAIL_LEOPARD)
    heading = tab.locator("h1").inner_text()
    assert "Emily" not in heading and "regards" not in heading.lower()
    assert len(heading) < 200
    left_out = tab.locator("details.pasted")
    sync_api.expect(left_out.locator("p")).to_be_hidden()
    left_out.locator("summary").click()
    sync_api.expect(left_out.locator("p")).to_contain_text("Emily")
    assert tab.locator("p.did-you-mean").count() == 0
    first = tab.locator("li.answer", has_text="Far Eastern Leopard Programme")
    sync_api.expect(first).to_contain_text("remove snares")
    assert_accessible(tab)
    tab.set_viewport_size(PHONE)
    _fits(tab, PHONE["width"])
    screenshot(tab, "answers-pasted-phone")
    assert_accessible(tab)


def test_from_a_result_to_the_paper_and_back(tab: sync_api.Page) -> None:
    _ask(tab, ISSUE_QUESTION)
    tab.locator("li.hit h2 a", has_text="Far Eastern Leopard Programme").click()
    tab.wait_for_url("**/papers/*")
    matching = tab.get_by_role("region", name="Pages matching your search")
    sync_api.expect(matching).to_contain_text("Page 3")
    sync_api.expect(matching).to_contain_text("patrol the national park")
    assert_accessible(tab)
    tab.get_by_role("link", name="Back to results").click()
    tab.wait_for_url("**/search?q=*")
    sync_api.expect(tab.locator("h1")).to_contain_text("paper")
