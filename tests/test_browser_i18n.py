"""The site in Russian in a real browser (issue 21): a browser that asks for Russian gets it, the
switch on every page changes the language and keeps it, the Russian pages pass axe, and a
request for a copy asked in Russian is answered in Russian at a real local SMTP server.

Headless Chromium from Debian through Playwright, see tests/browser_support.py.
"""

# ruff: noqa: RUF001 (Russian text: its letters look like Latin ones, as they should)
from __future__ import annotations

import re
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
from smtp_server import Mailbox

from indexer.home import ArchiveHome

from conftest import paper_id_of
from live_server import LiveServer

pytestmark = BROWSER_TESTS


# The request-a-copy journey's archive (an on-request guide, a curator) and its server.
@pytest.fixture
def home(_demo_home_template: Path, tmp_path: Path) -> Path:
    return copy_journey_home(_demo_home_template, tmp_path / "home")


@pytest.fixture
def copy_server(home: Path, mail: tuple[Mailbox, int]) -> Iterator[LiveServer]:
    with copy_journey_server(home, mail[1]) as running:
        yield running


def test_a_russian_browser_gets_russian_and_the_switch_changes_it(
    browser: sync_api.Browser, server: LiveServer
) -> None:
    expect = sync_api.expect
    problems: list[str] = []
    # Chromium's locale sets Accept-Language: ru-RU.
    page = open_tab(browser, server.url, problems, locale="ru-RU")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Поиск по статьям об охране природы")
    assert_accessible(page)
    page.get_by_role("searchbox", name="Поиск по архиву").fill("leopard")
    page.get_by_role("button", name="Найти").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("по запросу")
    # Russian plural forms: the count decides the noun's form.
    count = int(re.match(r"\d+", heading.inner_text()).group())  # type: ignore[union-attr]
    form = "статья" if count % 10 == 1 and count % 100 != 11 else (
        "статьи" if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14) else "статей"
    )  # fmt: skip
    expect(heading).to_contain_text(f"{count} {form}")
    assert_accessible(page)
    page.locator("ol.results h2 a").first.click()
    expect(page.get_by_role("link", name="Читать PDF")).to_be_visible()
    assert_accessible(page)

    # The switch, at the foot of every page: English, kept from page to page.
    switch = page.get_by_role("navigation", name="Язык")
    switch.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Read PDF")).to_be_visible()  # the same paper
    page.get_by_role("link", name="Search help").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How to search")
    # ... and back to Russian, which now wins over nothing else but the reader's choice.
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Как искать")
    assert_accessible(page)
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Не найдено")
    problems[:] = [p for p in problems if "404" not in p]  # the page opened on purpose
    assert_accessible(page)
    assert not problems, problems


def test_an_english_browser_can_choose_russian(
    browser: sync_api.Browser, server: LiveServer
) -> None:
    expect = sync_api.expect
    problems: list[str] = []
    page = open_tab(browser, server.url, problems, locale="en-GB")
    page.goto("/browse")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(re.compile(r"/browse$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Все статьи")
    assert_accessible(page)
    assert not problems, problems


def _wait_for(mailbox: Mailbox, address: str) -> tuple[str, str]:
    message = wait_for_mail(mailbox, address)
    return str(message["Subject"]), message.get_content()


def test_a_request_for_a_copy_in_russian_is_answered_in_russian(
    browser: sync_api.Browser,
    copy_server: LiveServer,
    home: Path,
    mail: tuple[Mailbox, int],
) -> None:
    expect = sync_api.expect
    mailbox, _ = mail
    guide = paper_id_of(ArchiveHome.at(home), GUIDE)
    problems: list[str] = []
    reader = open_tab(browser, copy_server.url, problems, locale="ru-RU")
    reader.goto(f"/papers/{guide}")
    expect(reader.get_by_role("heading", name="Запросить копию")).to_be_visible()
    assert_accessible(reader)
    reader.get_by_label("Ваше имя").fill("Анна Петрова")
    reader.get_by_label("Ваш адрес электронной почты").fill(READER_MAIL)
    reader.get_by_label("Для чего она вам нужна").fill("Дипломная работа о фотоловушках.")
    reader.get_by_role("button", name="Запросить копию").click()
    expect(reader.get_by_text("Спасибо: ваш запрос отправлен в фонд")).to_be_visible()
    subject, _body = _wait_for(mailbox, "curator@charity.example")
    assert subject.startswith("Request for a copy")  # the staff's language: the default

    curator = open_tab(browser, copy_server.url, problems, locale="en-GB")
    curator.goto("/staff")
    curator.get_by_label("User name").fill(STAFF_USER)
    curator.get_by_label("Password").fill(STAFF_PASSWORD)
    curator.get_by_role("button", name="Log in").click()
    row = curator.locator("table.copy-requests tr", has_text="Анна Петрова")
    row.get_by_role("button", name="Approve").click()
    expect(curator.get_by_text("Анна Петрова has been e-mailed")).to_be_visible()

    subject, body = _wait_for(mailbox, READER_MAIL)
    assert subject.startswith("Ваша копия:")
    assert body.startswith("Здравствуйте, Анна Петрова!") and "/copy/" in body
    assert not problems, problems
