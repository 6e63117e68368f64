"""The interface's languages (issue 21): which locale a request gets, the switch, the catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from archive.settings import load_settings
from indexer.home import ArchiveHome
from webui import create_app
from webui.i18n import COOKIE_NAME

ROOT = Path(__file__).resolve().parent.parent


def html_lang(body: bytes) -> str:
    match = re.search(rb'<html lang="([^"]+)"', body)
    assert match, body[:200]
    return match.group(1).decode()


def test_english_is_the_default(client: FlaskClient) -> None:
    page = client.get("/")
    assert html_lang(page.data) == "en"
    assert "Accept-Language" in page.headers.get("Vary", "")


def test_accept_language_picks_russian(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert html_lang(page.data) == "ru"
    assert "Язык".encode() in page.data


def test_accept_language_prefers_the_readers_order(client: FlaskClient) -> None:
    page = client.get("/", headers={"Accept-Language": "de, en;q=0.9, ru;q=0.5"})
    assert html_lang(page.data) == "en"


def test_cookie_wins_over_accept_language(client: FlaskClient) -> None:
    client.set_cookie(COOKIE_NAME, "en")
    page = client.get("/", headers={"Accept-Language": "ru"})
    assert html_lang(page.data) == "en"


def test_unknown_cookie_is_ignored(client: FlaskClient) -> None:
    client.set_cookie(COOKIE_NAME, "../../etc")
    assert html_lang(client.get("/", headers={"Accept-Language": "ru"}).data) == "ru"


def test_default_language_setting(demo_home: ArchiveHome) -> None:
    (demo_home.root / "config.toml").write_text('default_language = "ru"\n')
    app = create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True})
    client = app.test_client()
    assert html_lang(client.get("/").data) == "ru"
    # A browser asking for a language the archive has still gets it.
    assert html_lang(client.get("/", headers={"Accept-Language": "en-GB"}).data) == "en"
    # One asking only for others gets the setting.
    assert html_lang(client.get("/", headers={"Accept-Language": "fr"}).data) == "ru"


def test_default_language_setting_refuses_other_codes(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('default_language = "klingon"\n')
    settings = load_settings(tmp_path)
    assert settings.default_language == "en"
    assert any("default_language" in warning for warning in settings.warnings)


def test_switch_sets_the_cookie_and_goes_back(client: FlaskClient) -> None:
    answer = client.get("/language/ru?next=/help")
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/help")
    cookie = client.get_cookie(COOKIE_NAME)
    assert cookie is not None and cookie.value == "ru"
    assert html_lang(client.get("/help").data) == "ru"
    client.get("/language/en?next=/")
    assert html_lang(client.get("/help", headers={"Accept-Language": "ru"}).data) == "en"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "\\\\evil"])
def test_switch_never_leaves_the_site(client: FlaskClient, target: str) -> None:
    answer = client.get("/language/ru", query_string={"next": target})
    assert answer.status_code == 303
    location = answer.headers["Location"]
    assert "evil" not in location


def test_switch_with_unknown_language_changes_nothing(client: FlaskClient) -> None:
    client.get("/language/xx?next=/")
    assert client.get_cookie(COOKIE_NAME) is None


def test_every_page_has_the_switch(app: Flask, client: FlaskClient) -> None:
    page = client.get("/help").get_data(as_text=True)
    assert 'aria-label="Language"' in page
    assert 'lang="ru" hreflang="ru"' in page and "Русский" in page
    assert '<span lang="en" aria-current="true">English</span>' in page
