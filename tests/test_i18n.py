"""The interface's languages (issue 21): which locale a request gets, the switch, the catalogues."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask, render_template_string
from flask.testing import FlaskClient

import webui.public.search_views
from archive.accounts import AccountStore
from archive.copy_requests import CopyRequestStore
from archive.settings import load_settings
from indexer.home import ArchiveHome
from indexer.index import IndexBusy
from tests.conftest import paper_id_of
from tests.copy_requests_support import (
    GUIDE,
    PASSWORD,
    READER,
    STAFF_MAIL,
    TIGER,
    USER,
    _cheap_password_hashing,
    answer,
    ask,
    mail_app,
    on_request_home,
    smtp,
    staff_client,
)
from tests.smtp_server import Mailbox
from webui import create_app
from webui.i18n import COOKIE_NAME, LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
# The fixtures of the request-a-copy tests (a home with an on-request paper, a local SMTP server
# and an app that mails through it), used by name.
__all__ = ["_cheap_password_hashing", "mail_app", "on_request_home", "smtp"]


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


# --- every page in Russian ------------------------------------------------------------------------

# Latin-script words a Russian page may hold: names of things that have no Russian name here
# (formats, services, the query language's operators), the language switch's own "English".
ALLOWED_WORDS = {
    "pdf", "zip", "doi", "crossref", "bibtex", "ris", "csv", "english", "or", "and", "not",
    "id", "kb", "mb", "localhost", "http", "https", "org", "www", "example",
    # Examples of what the reader types (an e-mail address, a DOI, a wildcard, an option) and
    # the Russian word for cookies ("файлы cookie").
    "name", "abc", "leop", "metadata", "cookie",
}  # fmt: skip
# Elements whose text is the papers' own or what the reader typed, never the interface's:
# snippets of the papers, citations, code and query syntax, the echoed query, missing words.
DATA_CLASSES = {"snippet", "reference", "thesaurus", "byline"}
# Elements with no end tag (and the chart's self-closed ones).
VOID = {"meta", "link", "input", "img", "br", "hr", "source", "line", "rect"}
DATA_TAGS = {"code", "q", "s", "em", "blockquote", "script", "style", "textarea", "title"}


class _VisibleText(HTMLParser):
    """The words a reader sees or hears: text and the attributes read out (alt, title,
    aria-label, placeholder), outside the elements that show data."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        hidden = tag in DATA_TAGS or bool(classes & DATA_CLASSES)
        inside = bool(self.stack and self.stack[-1])
        if tag not in VOID:
            self.stack.append(inside or hidden)
        if not (inside or hidden):
            for name in ("alt", "title", "aria-label", "placeholder"):
                if found.get(name):
                    self.parts.append(str(found[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def english_left(body: str, allowed: set[str]) -> list[str]:
    """The Latin-script words of a page that are neither data nor allowed."""
    parser = _VisibleText()
    parser.feed(body)
    words = re.findall(r"[A-Za-z][A-Za-z'\u2019-]+", " ".join(parser.parts))
    return sorted({w for w in words if w.lower().strip("'\u2019-") not in allowed})


def data_words(home: ArchiveHome) -> set[str]:
    """Every word of the papers' descriptions (titles, authors, tags, file names...)."""
    words: set[str] = set()
    for paper in home.library.papers():
        fields = [paper.title, paper.filename, paper.abstract, paper.container, paper.publisher]
        fields += paper.authors + paper.tags
        for text in fields:
            words |= {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'\u2019-]+", text or "")}
    return words


@pytest.fixture
def ru_site(demo_home: ArchiveHome) -> Iterator[tuple[Flask, FlaskClient, FlaskClient]]:
    """The demo archive with an on-request paper, a request for it and a curator; a reader and
    the curator who both chose Russian on the switch."""
    guide = demo_home.library.get(paper_id_of(demo_home, GUIDE))
    demo_home.library.save(dataclasses.replace(guide, access="on-request", embargo="2999-06-01"))
    demo_home.index.rebuild(demo_home.library)
    AccountStore(demo_home.root).add(USER, PASSWORD)
    app = create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True})
    reader, staff = app.test_client(), app.test_client()
    for client in (reader, staff):
        client.set_cookie(COOKIE_NAME, "ru")
    form = {"csrf_token": csrf_of(staff, "/login"), "username": USER, "password": PASSWORD}
    assert staff.post("/login", data=form).status_code == 303
    yield app, reader, staff
    app.extensions["staff_services"].uploads.stop()
    app.extensions["staff_services"].sync.stop()


def csrf_of(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_every_page_in_russian_has_no_english_left(
    ru_site: tuple[Flask, FlaskClient, FlaskClient],
    demo_home: ArchiveHome,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app, reader, staff = ru_site
    guide, tiger = paper_id_of(demo_home, GUIDE), paper_id_of(demo_home, TIGER)
    # A reader asks for a copy (the staff's panel lists it); a form sent half-filled.
    asked = reader.post(
        f"/papers/{guide}/request-copy",
        data={
            "csrf_token": csrf_of(reader, f"/papers/{guide}"),
            "name": "Ada Reader",
            "email": "ada@university.example",
            "purpose": "My thesis.",
        },
    )
    assert asked.status_code == 303
    half = reader.post(
        f"/papers/{guide}/request-copy",
        data={"csrf_token": csrf_of(reader, f"/papers/{guide}"), "name": "", "email": "x"},
    )
    # A few searches and views, so that the usage page has figures, lists and a chart.
    for query in ("leopard", "leopard", "qqqzzzxx", "tiger poaching zzzqqq"):
        reader.get("/search", query_string={"q": query})
    pages: dict[str, Any] = {
        "home": reader.get("/"),
        "results": reader.get("/search?q=leopard"),
        "results, words missing": reader.get("/search?q=leopard+zzzqqq"),
        "results, none": reader.get("/search?q=qqqzzzxx"),
        "results, did you mean": reader.get("/search?q=leopord"),
        "results, nothing to search": reader.get("/search?q=%22%22"),
        "results, filtered": reader.get("/search?q=leopard&type=fact-sheet"),
        "results, past the end": reader.get("/search?q=leopard&page=50"),
        "empty search": reader.get("/search?q="),
        "browse": reader.get("/browse"),
        "help": reader.get("/help"),
        "paper": reader.get(f"/papers/{tiger}"),
        "paper on request": reader.get(f"/papers/{guide}"),
        "copy form errors": half,
        "page preview": reader.get(f"/papers/{tiger}/pages/1?q=tiger"),
        "404": reader.get("/papers/nothing-here"),
        "403": reader.get(f"/papers/{guide}/pdf"),
        "400 (form without its token)": reader.post(f"/papers/{guide}/request-copy"),
        "405": reader.post("/help"),
        "export problem": reader.get("/search.zip?q=qqqzzzxx"),
        "copy link invalid": reader.get(f"/papers/{guide}/copy/not-a-token"),
        "login": reader.get("/login"),
        "staff dashboard": staff.get("/staff"),
        "staff paper": staff.get(f"/papers/{guide}"),
        "edit": staff.get(f"/papers/{guide}/edit"),
        "remove": staff.get(f"/papers/{tiger}/remove"),
        "upload": staff.get("/upload"),
        "usage": staff.get("/staff/usage"),
        "bulk access": staff.get("/staff/access?q=leopard"),
        "bulk access without a query": staff.get("/staff/access"),
    }
    edit_form = {
        "csrf_token": csrf_of(staff, f"/papers/{tiger}/edit"),
        "version": "stale",
        "title": "",
        "year": "12",
    }
    pages["edit, stale"] = staff.post(f"/papers/{tiger}/edit", data=edit_form)
    pages["edit, after it"] = staff.get(f"/papers/{tiger}/edit")
    # An upload too large (413) and one that is fine (its results page).
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    pages["413"] = staff.post(
        "/upload",
        data={
            "csrf_token": csrf_of(staff, "/upload"),
            "files": [(io.BytesIO(b"%PDF-1.4\n" + b"x" * 100_000), "big.pdf")],
        },
        content_type="multipart/form-data",
    )
    app.config["MAX_CONTENT_LENGTH"] = 200 * 1024 * 1024
    sent = staff.post(
        "/upload",
        data={
            "csrf_token": csrf_of(staff, "/upload"),
            "files": [(io.BytesIO(b"not a pdf"), "notes.pdf")],
        },
        content_type="multipart/form-data",
    )
    pages["upload results"] = staff.get(sent.headers["Location"])

    # 503: the index is busy.
    def busy(*_args: object, **_kwargs: object) -> None:
        raise IndexBusy("locked")

    monkeypatch.setattr(webui.public.search_views, "search", busy)
    pages["503"] = reader.get("/search?q=leopard")
    monkeypatch.undo()
    # 429: too many login attempts.
    for _ in range(6):
        form = {"csrf_token": csrf_of(reader, "/login"), "username": "x", "password": "y"}
        pages["429"] = reader.post("/login", data=form)
    assert pages["429"].status_code == 429

    # What the reader typed is data too: their queries, name, address and purpose, a file name.
    typed = {"zzzqqq", "qqqzzzxx", "leopord", "ada", "reader", "university", "my", "thesis"}
    allowed = ALLOWED_WORDS | data_words(demo_home) | typed | {USER, "notes"}
    leftovers = {}
    for name, response in pages.items():
        body = response.get_data(as_text=True)
        assert "Traceback" not in body, name
        assert '<html lang="ru">' in body, name
        left = english_left(body, allowed)
        if left:
            leftovers[name] = left
    assert not leftovers, "\n".join(f"{k}: {v}" for k, v in leftovers.items())


# --- the catalogues ----------------------------------------------------------------------------

TRANSLATIONS = ROOT / "webui" / "translations"
# As the README's `pybabel extract` says: Babel's own keywords, _l (lazy_gettext) and
# lazy_pgettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_pgettext": ((1, "c"), 2)}


def extracted_ids() -> set[object]:
    """The msgids of the code and templates now, extracted as `pybabel extract` does."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    ids: set[object] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else tuple(message[:2]))
    return ids


def catalogue(code: str) -> Catalog:
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def languages() -> list[str]:
    return sorted(path.name for path in TRANSLATIONS.iterdir() if (path / "LC_MESSAGES").is_dir())


def test_every_language_of_the_switch_has_a_catalogue() -> None:
    from archive.settings import INTERFACE_LANGUAGES

    assert sorted(set(LANGUAGES) - {"en"}) == languages()
    assert set(INTERFACE_LANGUAGES) == set(LANGUAGES)  # the default_language setting's choice


@pytest.mark.parametrize("code", languages())
def test_the_catalogue_is_up_to_date_with_the_code_and_templates(code: str) -> None:
    in_code = extracted_ids()
    assert len(in_code) > 300
    translated = catalogue(code)
    in_catalogue = {message.id for message in translated if message.id}
    assert not sorted(map(str, in_code - in_catalogue)), (
        "strings not in the catalogue: run the README's pybabel extract, update and compile"
    )
    assert not sorted(map(str, in_catalogue - in_code)), "strings no longer used: pybabel update"
    untranslated = [
        message.id
        for message in translated
        if message.id and (message.fuzzy or not all(as_list(message.string)))
    ]
    assert not untranslated


def as_list(value: object) -> list[str]:
    return list(value) if isinstance(value, tuple | list) else [str(value)]


@pytest.mark.parametrize("code", languages())
def test_the_compiled_catalogue_matches_its_source(code: str) -> None:
    """The .mo shipped beside the .po says the same (pybabel compile was run after the edit)."""
    source = catalogue(code)
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    wanted = {(tuple(as_list(m.id)), tuple(as_list(m.string))) for m in source if m.id}
    shipped = {(tuple(as_list(m.id)), tuple(as_list(m.string))) for m in compiled if m.id}
    assert wanted == shipped, "the .mo is stale: run pybabel compile -d webui/translations"


@pytest.mark.parametrize("code", languages())
def test_translations_keep_their_placeholders(code: str) -> None:
    """A translation uses the same %(name)s values as its English (else rendering fails)."""
    placeholder = re.compile(r"%\((\w+)\)s")
    for message in catalogue(code):
        if not message.id:
            continue
        english = set(placeholder.findall(" ".join(as_list(message.id))))
        for text in as_list(message.string):
            # A plural form may leave out %(num)s ("one" can be said without the number).
            assert set(placeholder.findall(text)) - {"num"} == english - {"num"}, message.id


def test_every_stored_word_has_a_label() -> None:
    """The library's keys (document types, access levels, sources...) all have a name."""
    from archive.access import ACCESS_LEVELS
    from archive.curation import WEAKNESSES
    from archive.paper import DESCRIBED_FIELDS, DOC_TYPES, SOURCES
    from indexer.describe.curation_queue import DOUBTS
    from indexer.engine.search import SORTS
    from webui import labels

    assert set(labels.DOC_TYPE_LABELS) == set(DOC_TYPES)
    assert set(labels.ACCESS_LABELS) == set(ACCESS_LEVELS) == set(labels.ACCESS_NAMES)
    assert set(labels.SOURCE_LABELS) == set(SOURCES)
    assert set(labels.WEAKNESS_LABELS) == set(WEAKNESSES) | set(DOUBTS.values())
    assert set(labels.SORT_LABELS) == set(SORTS)
    assert set(labels.FIELD_LABELS) == set(DESCRIBED_FIELDS)


# --- plural forms, numbers and dates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 статья"),
        (2, "2 статьи"),
        (4, "4 статьи"),
        (5, "5 статей"),
        (11, "11 статей"),
        (21, "21 статья"),
        (22, "22 статьи"),
        (25, "25 статей"),
        (1234, "1\xa0234 статьи"),
    ],
)
def test_russian_plural_forms_and_numbers(app: Flask, count: int, words: str) -> None:
    template = "{{ ngettext('%(num)s paper,', '%(num)s papers,', n, num=n | numberformat) }}"
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        said = render_template_string(template, n=count)
    assert said == words + ","


def test_plural_forms_on_the_pages(client: FlaskClient, demo_home: ArchiveHome) -> None:
    papers = len(list(demo_home.library.ids()))
    ru = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    en = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"{papers} статей," in ru  # the demo has 5 papers
    assert f"{papers} papers," in en
    one = client.get(
        "/search?q=%22camera+trapping+for+big+cats%22", headers={"Accept-Language": "ru"}
    )
    assert "1 статья по запросу" in one.get_data(as_text=True)


def test_dates_in_the_readers_language(app: Flask) -> None:
    from webui.i18n import local_date, local_time

    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert local_date("2026-12-05").startswith("5 дек. 2026")
        assert local_time("2026-12-05T17:14:03+00:00").endswith("17:14")
        assert local_date("not a date") == "not a date"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert local_date("2026-12-05T08:00:00") == "Dec 5, 2026"


# --- requests for a copy are answered in the reader's language ------------------------------------


def test_a_request_in_russian_is_answered_in_russian(
    mail_app: Flask, on_request_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, _ = smtp
    guide = paper_id_of(on_request_home, GUIDE)
    reader = mail_app.test_client()
    reader.set_cookie(COOKIE_NAME, "ru")
    asked = ask(reader, guide, name="Анна Петрова", purpose="Для дипломной работы.")
    thanks = reader.get(asked.headers["Location"]).get_data(as_text=True)
    assert "Спасибо: ваш запрос отправлен в фонд" in thanks
    # The staff are told in the archive's own language (English here), the reader's kept.
    [notice] = mailbox.to(STAFF_MAIL)
    assert notice["Subject"].startswith("Request for a copy:")
    [item] = CopyRequestStore(on_request_home.root).open_requests()
    assert item.language == "ru"
    staff = staff_client(mail_app)  # an English-speaking curator
    assert "has been e-mailed" in answer(staff, item.id, "approve").get_data(as_text=True)
    [reply] = mailbox.to(READER["email"])
    text = reply.get_content()
    assert reply["Subject"] == "Ваша копия: Camera Trapping for Big Cats: A Field Guide"
    assert text.startswith("Здравствуйте, Анна Петрова!")
    assert "она действует 7 дней:" in text and "/copy/" in text
    assert "Dear" not in text and "download" not in text.lower()


def test_a_declined_request_in_russian_is_refused_in_russian(
    mail_app: Flask, on_request_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    mailbox, _ = smtp
    guide = paper_id_of(on_request_home, GUIDE)
    ask(mail_app.test_client(), guide, name="Ivan")  # a browser in English
    russian = mail_app.test_client()
    russian.set_cookie(COOKIE_NAME, "ru")
    ask(russian, guide, name="Ольга")
    asked = {item.name: item for item in CopyRequestStore(on_request_home.root).open_requests()}
    english, in_russian = asked["Ivan"], asked["Ольга"]
    assert (english.language, in_russian.language) == ("en", "ru")
    staff = staff_client(mail_app)
    answer(staff, english.id, "decline")
    assert "We are sorry" in mailbox.to(READER["email"])[-1].get_content()
    answer(staff, in_russian.id, "decline")
    refusal = mailbox.to(READER["email"])[-1]
    assert refusal["Subject"].startswith("Ваш запрос:")
    assert "мы не можем её прислать" in refusal.get_content()


def test_a_store_of_requests_made_before_languages_upgrades_in_place(tmp_path: Path) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "copy-requests.sqlite") as db:
        db.execute(
            "CREATE TABLE copy_requests (id TEXT PRIMARY KEY, paper_id TEXT NOT NULL, "
            "name TEXT NOT NULL, email TEXT NOT NULL, purpose TEXT NOT NULL, created TEXT NOT "
            "NULL, status TEXT NOT NULL DEFAULT 'open', decided TEXT, decided_by TEXT)"
        )
        db.execute(
            "INSERT INTO copy_requests (id, paper_id, name, email, purpose, created) "
            "VALUES ('old', 'p', 'Ada', 'ada@x.example', 'study', '2026-01-01T00:00:00+00:00')"
        )
    store = CopyRequestStore(tmp_path)
    [old] = store.open_requests()
    assert (old.id, old.name, old.language) == ("old", "Ada", "en")
    store.add("p", "Анна", "anna@x.example", "учёба", language="ru")
    assert [r.language for r in CopyRequestStore(tmp_path).open_requests()] == ["en", "ru"]
