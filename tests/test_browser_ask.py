"""Ask the charity in a real browser, end to end (issue 27): a reader's search finds nothing, the
reader sends a question from the results page, the curator is told by e-mail (a real local SMTP
server), answers in the inbox with a link to a paper picked with the form's search box, the
reader's e-mail arrives in their language with a working link, the answer is published, and a
new search for the same question shows the published answer first. Axe on every page met; the
reader in English and in Russian.

Last, the curator deletes the question (the reader asked for their data to be erased) and the
published answer leaves search.

Headless Chromium from Debian through Playwright, see tests/browser_support.py; a real
`archive serve` whose SMTP settings point at the aiosmtpd server the test starts.
"""

# ruff: noqa: RUF001 (Russian text: its letters look like Latin ones, as they should)

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    BROWSER_TESTS,
    READER_MAIL,
    STAFF_PASSWORD,
    STAFF_USER,
    assert_accessible,
    open_tab,
    sync_api,
    wait_for_mail,
)
from smtp_server import Mailbox, serve_mail_env

from indexer.home import ArchiveHome

from conftest import paper_id_of
from live_server import LiveServer, add_staff_account, live_server

STAFF_MAIL = "curator@charity.example"
TIGER = "amur-tiger-fact-sheet.pdf"
NOTHING = "quoll denning sites"

pytestmark = BROWSER_TESTS

# What the reader meets, in each language.
READER_WORDS = {
    "en": {
        "locale": "en-GB",
        "heading": "Didn't find what you need? Ask the charity",
        "question": "Your question",
        "email": "E-mail address for the answer",
        "name": "Name (optional)",
        "send": "Send my question",
        "thanks": "your question has been sent to the charity",
        "asked": "You asked us:",
        "published": "The charity has answered this question",
    },
    "ru": {
        "locale": "ru-RU",
        "heading": "Не нашли нужное? Спросите фонд",
        "question": "Ваш вопрос",
        "email": "Адрес электронной почты для ответа",
        "name": "Имя (необязательно)",
        "send": "Отправить вопрос",
        "thanks": "ваш вопрос отправлен в фонд",
        "asked": "Вы спросили нас:",
        "published": "Фонд уже ответил на этот вопрос",
    },
}


@pytest.fixture
def home(_demo_home_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "home"
    shutil.copytree(_demo_home_template, root)
    add_staff_account(root, STAFF_USER, STAFF_PASSWORD)
    return root


@pytest.fixture
def server(home: Path, mail: tuple[Mailbox, int]) -> Iterator[LiveServer]:
    env = serve_mail_env(
        mail[1],
        ARCHIVE_QUESTION_NOTIFY=STAFF_MAIL,
    )
    with live_server(home, env=env) as running:
        yield running


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_question_is_answered_by_email_published_and_found_by_the_next_search(
    browser: sync_api.Browser,
    server: LiveServer,
    home: Path,
    mail: tuple[Mailbox, int],
    language: str,
) -> None:
    expect = sync_api.expect
    words = READER_WORDS[language]
    mailbox, _ = mail
    tiger = paper_id_of(ArchiveHome.at(home), TIGER)
    problems: list[str] = []

    # The reader's search finds nothing: the form is open on the page.
    reader = open_tab(browser, server.url, problems, locale=words["locale"])
    reader.goto(f"/search?q={NOTHING}")
    expect(reader.get_by_role("heading", name=words["heading"])).to_be_visible()
    trap = reader.locator("#ask-website").bounding_box()
    assert trap is not None and trap["x"] + trap["width"] <= 0  # the honeypot is off-screen
    assert_accessible(reader)
    question = "Where do quolls make their dens, and how are the sites protected?"
    reader.get_by_label(words["question"]).fill(question)
    reader.get_by_label(words["email"]).fill(READER_MAIL)
    reader.get_by_label(words["name"]).fill("Ada Reader")
    reader.get_by_role("button", name=words["send"]).click()
    expect(reader.get_by_text(words["thanks"])).to_be_visible()
    notice = wait_for_mail(mailbox, STAFF_MAIL).get_content()
    assert question in notice and NOTHING in notice

    # The curator: the count on the dashboard, the question with the reader's search.
    curator = open_tab(browser, server.url, problems, locale="en-GB")
    curator.goto("/staff")
    curator.get_by_label("User name").fill(STAFF_USER)
    curator.get_by_label("Password").fill(STAFF_PASSWORD)
    curator.get_by_role("button", name="Log in").click()
    expect(curator.get_by_text("1 new question")).to_be_visible()
    curator.get_by_role("link", name="Questions inbox").click()
    assert_accessible(curator)
    curator.get_by_role("link", name=question).click()
    expect(curator.get_by_text(f"They searched for {NOTHING}: 0 papers.")).to_be_visible()
    assert_accessible(curator)

    # A link to a paper picked with the search box inside the answer form; the text is kept.
    curator.get_by_label(re.compile("Answer to the reader")).fill(
        "No paper here is about quolls yet; the tiger fact sheet shows how dens are protected."
    )
    curator.get_by_label("Find papers to link").fill("amur tiger")
    curator.get_by_role("button", name="Find papers").click()
    expect(curator.get_by_label(re.compile("Answer to the reader"))).to_contain_text("quolls yet")
    curator.locator(f'input[name="link"][value="{tiger}"]').check()
    curator.get_by_role("button", name="Send the answer").click()
    expect(curator.get_by_text(f"{READER_MAIL} has been e-mailed")).to_be_visible()

    # The reader's e-mail, in their language, with a link that opens the paper's page.
    reply = wait_for_mail(mailbox, READER_MAIL).get_content()
    assert words["asked"] in reply and "quolls yet" in reply
    match = re.search(r"https?://[^/\s]+(/papers/[0-9a-f]{64})\s", reply)
    assert match and match.group(1) == f"/papers/{tiger}"
    reader.goto(match.group(1))
    expect(reader.locator("h1")).to_contain_text("Amur Tiger")

    # Published in the curator's wording; the next search shows it before the papers.
    curator.get_by_label("Question as published").fill("Where do quolls den?")
    curator.get_by_role("button", name="Publish", exact=True).click()
    expect(curator.get_by_text("Published: search finds it now.")).to_be_visible()
    reader.goto(f"/search?q={NOTHING}")
    box = reader.locator("section.published-answers")
    expect(box.get_by_role("heading", name=words["published"])).to_be_visible()
    box.get_by_role("link", name="Where do quolls den?").click()
    expect(reader.locator("h1")).to_have_text("Where do quolls den?")
    expect(reader.get_by_text("Ada Reader")).to_have_count(0)
    expect(reader.get_by_role("link", name=re.compile("Amur Tiger"))).to_be_visible()
    assert_accessible(reader)

    # The reader asks for their data to be erased: the curator deletes the question, after a
    # confirmation, and the published answer leaves search at once.
    curator.get_by_role("link", name="Delete the question and the reader's data").click()
    expect(curator.get_by_role("heading", name="Delete this question?")).to_be_visible()
    assert_accessible(curator)
    curator.get_by_role("button", name="Delete the question").click()
    deleted = curator.get_by_text("Deleted the question and everything the reader gave.")
    expect(deleted).to_be_visible()
    reader.goto(f"/search?q={NOTHING}")
    expect(reader.locator("section.published-answers")).to_have_count(0)
    assert not problems, problems
