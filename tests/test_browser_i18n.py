"""The site in Russian in a real browser (issue 21): a browser that asks for Russian gets it, the
switch on every page changes the language and keeps it, the Russian pages pass axe, and a
request for a copy asked in Russian is answered in Russian at a real local SMTP server.

Headless Chromium from Debian through Playwright, as tests/test_browser.py.
"""

# ruff: noqa: RUF001 (Russian text: its letters look like Latin ones, as they should)
from __future__ import annotations

import re
import time

import pytest
import test_browser_copy
from smtp_server import Mailbox
from test_browser import CHROMIUM, _assert_accessible, browser, server

from indexer.home import ArchiveHome

from conftest import paper_id_of
from live_server import LiveServer

__all__ = ["browser", "server"]
# The request-a-copy journey's home (an on-request guide, a curator), mail server and server.
home, mail, copy_server = (
    test_browser_copy.home,
    test_browser_copy.mail,
    test_browser_copy.server,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _tab(browser: sync_api.Browser, base_url: str, problems: list[str], **options: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=base_url, **options)
    tab = context.new_page()
    tab.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    tab.on("pageerror", lambda error: problems.append(str(error)))
    return tab


def test_a_russian_browser_gets_russian_and_the_switch_changes_it(
    browser: sync_api.Browser, server: LiveServer
) -> None:
    expect = sync_api.expect
    problems: list[str] = []
    # Chromium's locale sets Accept-Language: ru-RU.
    page = _tab(browser, server.url, problems, locale="ru-RU")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text("Поиск по статьям об охране природы")
    _assert_accessible(page)
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
    _assert_accessible(page)
    page.locator("ol.results h2 a").first.click()
    expect(page.get_by_role("link", name="Читать PDF")).to_be_visible()
    _assert_accessible(page)

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
    _assert_accessible(page)
    page.goto("/no-such-page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Не найдено")
    problems[:] = [p for p in problems if "404" not in p]  # the page opened on purpose
    _assert_accessible(page)
    assert not problems, problems


def test_an_english_browser_can_choose_russian(
    browser: sync_api.Browser, server: LiveServer
) -> None:
    expect = sync_api.expect
    problems: list[str] = []
    page = _tab(browser, server.url, problems, locale="en-GB")
    page.goto("/browse")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Русский").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page).to_have_url(re.compile(r"/browse$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Все статьи")
    _assert_accessible(page)
    assert not problems, problems


def _wait_for(mailbox: Mailbox, address: str) -> tuple[str, str]:
    deadline = time.monotonic() + 30
    while not mailbox.to(address):
        if time.monotonic() > deadline:
            pytest.fail(f"no e-mail reached {address}")
        time.sleep(0.05)
    message = mailbox.to(address)[-1]
    return str(message["Subject"]), message.get_content()


def test_a_request_for_a_copy_in_russian_is_answered_in_russian(
    browser: sync_api.Browser,
    copy_server: LiveServer,
    home,  # type: ignore[no-untyped-def]
    mail: tuple[Mailbox, int],
) -> None:
    expect = sync_api.expect
    mailbox, _ = mail
    guide = paper_id_of(ArchiveHome.at(home), test_browser_copy.GUIDE)
    problems: list[str] = []
    reader = _tab(browser, copy_server.url, problems, locale="ru-RU")
    reader.goto(f"/papers/{guide}")
    expect(reader.get_by_role("heading", name="Запросить копию")).to_be_visible()
    _assert_accessible(reader)
    reader.get_by_label("Ваше имя").fill("Анна Петрова")
    reader.get_by_label("Ваш адрес электронной почты").fill(test_browser_copy.READER_MAIL)
    reader.get_by_label("Для чего она вам нужна").fill("Дипломная работа о фотоловушках.")
    reader.get_by_role("button", name="Запросить копию").click()
    expect(reader.get_by_text("Спасибо: ваш запрос отправлен в фонд")).to_be_visible()
    subject, _body = _wait_for(mailbox, "curator@charity.example")
    assert subject.startswith("Request for a copy")  # the staff's language: the default

    curator = _tab(browser, copy_server.url, problems, locale="en-GB")
    curator.goto("/staff")
    curator.get_by_label("User name").fill(test_browser_copy.STAFF_USER)
    curator.get_by_label("Password").fill(test_browser_copy.STAFF_PASSWORD)
    curator.get_by_role("button", name="Log in").click()
    row = curator.locator("table.copy-requests tr", has_text="Анна Петрова")
    row.get_by_role("button", name="Approve").click()
    expect(curator.get_by_text("Анна Петрова has been e-mailed")).to_be_visible()

    subject, body = _wait_for(mailbox, test_browser_copy.READER_MAIL)
    assert subject.startswith("Ваша копия:")
    assert body.startswith("Здравствуйте, Анна Петрова!") and "/copy/" in body
    assert not problems, problems
