"""Follow a search (issue 25): each results page's Atom feed of the papers matching it, the
most recently added first, public whoever asks, cheap to ask again (ETag, 304), in English
and Russian, offered by /api/search?format=atom and described by the OpenAPI document."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from security_support import PASSWORD, USER
from staff_support import logged_in
from web_pages import head_of

from archive.accounts import AccountStore
from indexer.home import ArchiveHome
from webui import create_app
from webui.public import feeds

from conftest import paper_id_of

ATOM = "{http://www.w3.org/2005/Atom}"
# The demo papers, oldest added first (their added times are set by the fixture).
ADDED = [
    "zoo-reintroduction-report.pdf",
    "amur-tiger-fact-sheet.pdf",
    "camera-trapping-guide.pdf",
    "snow-leopard-fact-sheet.pdf",
    "amur-leopard-fact-sheet.pdf",
]

FEEDS_OF_LEOPARD = ("/feeds/search?q=leopard", "/api/search?q=leopard&format=atom", "/feeds/search")


def set_paper(home: ArchiveHome, filename: str, **changes: object) -> str:
    """Change a paper's sidecar (as a curator's save does; the index follows later)."""
    paper = home.library.get(paper_id_of(home, filename))
    home.library.save(dataclasses.replace(paper, **changes))
    return paper.id


@pytest.fixture
def feed_home(demo_home: ArchiveHome) -> ArchiveHome:
    for day, filename in enumerate(ADDED, start=1):
        set_paper(demo_home, filename, added=f"2026-03-0{day}T10:00:00+00:00")
    demo_home.index.rebuild(demo_home.library)
    return demo_home


@pytest.fixture
def feed_app(feed_home: ArchiveHome) -> Iterator[Flask]:
    AccountStore(feed_home.root).add(USER, PASSWORD)
    app = create_app({"ARCHIVE_HOME": str(feed_home.root), "TESTING": True})
    yield app
    app.extensions["staff_services"].uploads.stop()
    app.extensions["staff_services"].sync.stop()


@pytest.fixture
def anon(feed_app: Flask) -> FlaskClient:
    return feed_app.test_client()


def valid_atom(body: bytes) -> ET.Element:
    """The feed, after checking what RFC 4287 requires: a feed's id, title, updated and
    author (or every entry's); each entry's id, title, updated and alternate link; ids
    absolute; dates RFC 3339."""
    root = ET.fromstring(body)  # well-formed, or this raises
    assert root.tag == f"{ATOM}feed"

    def one(parent: ET.Element, name: str) -> str:
        found = parent.findall(f"{ATOM}{name}")
        assert len(found) == 1, (name, found)
        return found[0].text or ""

    def is_date(text: str) -> None:
        assert datetime.fromisoformat(text.replace("Z", "+00:00")).tzinfo is not None
        assert "T" in text

    assert one(root, "id").startswith("http")
    assert one(root, "title").strip()
    is_date(one(root, "updated"))
    feed_author = root.find(f"{ATOM}author")
    assert [link.get("rel") for link in root.findall(f"{ATOM}link")].count("self") == 1
    for entry in root.findall(f"{ATOM}entry"):
        assert one(entry, "id").startswith("http")
        assert one(entry, "title").strip()
        is_date(one(entry, "updated"))
        assert feed_author is not None or entry.find(f"{ATOM}author") is not None
        rels = [link.get("rel") for link in entry.findall(f"{ATOM}link")]
        assert "alternate" in rels
    return root


def titles(root: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") or "" for entry in root.findall(f"{ATOM}entry")]


def feed_link(page: str) -> str:
    """The results page's feed, as its head announces it."""
    links = [href for rel, kind, href in head_of(page).links if kind == "application/atom+xml"]
    search_feeds = [href for href in links if href.startswith("/feeds/search")]
    assert len(search_feeds) == 1, links
    return search_feeds[0]


def test_results_page_links_its_feed_newest_added_first(
    anon: FlaskClient, feed_home: ArchiveHome
) -> None:
    """The results of "leopard" link a feed that lists the leopard papers, the most recently
    added first, titled after the search, each entry linking its page."""
    page = anon.get("/search?q=leopard").get_data(as_text=True)
    href = feed_link(page)
    assert parse_qs(urlsplit(href).query) == {"q": ["leopard"], "lang": ["en"]}
    assert 'class="follow"' in page and f'href="{href.replace("&", "&amp;")}"' in page
    answer = anon.get(href)
    assert answer.status_code == 200
    assert answer.mimetype == "application/atom+xml"
    root = valid_atom(answer.data)
    assert root.findtext(f"{ATOM}title") == "New papers on “leopard”"
    listed = titles(root)
    order = [feed_home.library.get(paper_id_of(feed_home, name)).title for name in ADDED]
    leopard_papers = [title for title in reversed(order) if title in listed]
    assert listed == leopard_papers
    assert len(listed) >= 3  # the two leopard fact sheets and the camera-trapping guide
    assert "Amur Tiger" not in " ".join(listed)
    newest = feed_home.library.get(paper_id_of(feed_home, ADDED[-1]))
    first = root.find(f"{ATOM}entry")
    assert first is not None
    assert first.findtext(f"{ATOM}id") == f"http://localhost/papers/{newest.id}"
    assert root.findtext(f"{ATOM}updated") == "2026-03-05T10:00:00Z"


def test_feed_keeps_the_filters_of_the_page(anon: FlaskClient) -> None:
    """A filtered results page's feed is filtered the same way."""
    page = anon.get("/search?q=leopard&type=report").get_data(as_text=True)
    href = feed_link(page)
    assert parse_qs(urlsplit(href).query)["type"] == ["report"]
    root = valid_atom(anon.get(href).data)
    assert titles(root)
    assert all("Fact Sheet" not in title for title in titles(root))


def test_no_staff_only_paper_ever_and_no_pdf_of_an_on_request_one(
    feed_app: Flask, feed_home: ArchiveHome
) -> None:
    """A paper made staff-only leaves the feed at once (before the index catches up), for a
    signed-in curator too (a feed's URL is shared); an on-request paper is listed with its
    page but no PDF enclosure. Nothing of the hidden paper is in any field."""
    anon = feed_app.test_client()
    before = valid_atom(anon.get("/feeds/search?q=leopard").data)
    assert len(titles(before)) >= 3
    hidden_id = set_paper(
        feed_home,
        "amur-leopard-fact-sheet.pdf",
        access="staff-only",
        title="Secret leopard plans",
        abstract="Den sites of the last leopards",
        tags=["secret-tag"],
    )
    locked_id = set_paper(feed_home, "snow-leopard-fact-sheet.pdf", access="on-request")
    staff = logged_in(feed_app.test_client())
    for client in (anon, staff):
        for url in (
            "/feeds/search?q=leopard",
            "/api/search?q=leopard&format=atom",
            "/feeds/search",
        ):
            answer = client.get(url)
            body = answer.get_data(as_text=True)
            root = valid_atom(answer.data)
            assert hidden_id not in body
            assert "Secret" not in body and "Den sites" not in body and "secret-tag" not in body
            entries = {e.findtext(f"{ATOM}id"): e for e in root.findall(f"{ATOM}entry")}
            locked = entries[f"http://localhost/papers/{locked_id}"]
            rels = [link.get("rel") for link in locked.findall(f"{ATOM}link")]
            assert rels == ["alternate"]
            assert f"/papers/{locked_id}/pdf" not in body
    # Once the index knows, the search no longer finds it either: still absent.
    feed_home.index.rebuild(feed_home.library)
    assert hidden_id not in anon.get("/feeds/search?q=secret").get_data(as_text=True)


def test_feed_is_cheap_to_ask_again(
    anon: FlaskClient, feed_home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search runs once per index generation; the answer carries an ETag and
    Last-Modified, and asking with either gets a bodiless 304. A changed title changes the
    ETag (the sidecar is read each time), and a commit runs the search again."""
    # The index generation each search ran at: the staff services started with the app may
    # commit meanwhile (a new generation rightly runs the search again), so the test asks that
    # no generation is searched twice, not for a count of runs.
    runs: list[int] = []
    real = feeds.added_matching_ids

    def counted(*args: object, **kwargs: object) -> list[str]:
        assert args[1] == "leopard"
        runs.append(feed_home.index.open().latest_generation())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(feeds, "added_matching_ids", counted)
    url = "/feeds/search?q=leopard&lang=en"
    first = anon.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    assert first.headers["Last-Modified"] == "Thu, 05 Mar 2026 10:00:00 GMT"
    assert "no-cache" in first.headers["Cache-Control"]
    again = anon.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    since = anon.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    set_paper(feed_home, "camera-trapping-guide.pdf", title="Camera traps for leopards, 2nd ed.")
    changed = anon.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "Camera traps for leopards, 2nd ed." in titles(valid_atom(changed.data))
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert runs and len(set(runs)) == len(runs)  # four requests, one search per generation
    before = len(runs)
    feed_home.index.rebuild(feed_home.library)
    anon.get(url)
    assert len(runs) > before  # a rebuilt index is searched again


def test_feed_in_russian(anon: FlaskClient) -> None:
    """A Russian reader's results page links a Russian feed: its title, subtitle and the
    summary of a paper without an abstract in Russian; the id is the same in both."""
    page = anon.get("/search?q=leopard", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    href = feed_link(page)
    assert parse_qs(urlsplit(href).query)["lang"] == ["ru"]
    root = valid_atom(anon.get(href).data)
    assert root.findtext(f"{ATOM}title") == "Новые статьи по запросу «leopard»"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    english = valid_atom(anon.get("/feeds/search?q=leopard&lang=en").data)
    assert root.findtext(f"{ATOM}id") == english.findtext(f"{ATOM}id")
    subtitle = root.findtext(f"{ATOM}subtitle") or ""
    assert "Новые" in subtitle or "статьи" in subtitle.lower()
    assert not any(word in subtitle for word in ("Papers", "matching", "added"))
    # Without ``lang`` the reader's language applies, and caches are told it varies.
    plain = anon.get("/feeds/search?q=leopard", headers={"Accept-Language": "ru"})
    assert "Accept-Language" in plain.headers["Vary"]
    assert valid_atom(plain.data).findtext(f"{ATOM}title") == "Новые статьи по запросу «leopard»"


def test_feed_escapes_what_pdfs_and_people_typed(anon: FlaskClient, feed_home: ArchiveHome) -> None:
    """Markup, ampersands, "]]>" and control characters in a title, an abstract or the
    query stay text in a well-formed feed."""
    nasty = 'Leopards & <script>alert(1)</script> ]]> \x00\x1b "Primorye"'
    set_paper(
        feed_home,
        "amur-leopard-fact-sheet.pdf",
        title=nasty,
        abstract="<img src=x onerror=alert(1)> & more",
    )
    answer = anon.get("/feeds/search", query_string={"q": 'leopard <b>"x"</b>'})
    body = answer.get_data(as_text=True)
    root = valid_atom(answer.data)
    assert "<script>" not in body and "<img" not in body and "<b>" not in body
    assert 'Leopards & <script>alert(1)</script> ]]> "Primorye"' in titles(
        valid_atom(anon.get("/feeds/search?q=leopard").data)
    )
    assert root.findtext(f"{ATOM}title") == 'New papers on “leopard <b>"x"</b>”'


def test_unusable_query_says_why(anon: FlaskClient) -> None:
    """A query with nothing to search is a 400 with a sentence, never a 500."""
    answer = anon.get("/feeds/search?q=-snow")
    assert answer.status_code == 400
    assert "leave out" in answer.get_data(as_text=True)


def test_api_and_openapi_offer_the_feed(anon: FlaskClient) -> None:
    """/api/search?format=atom is the same feed; the OpenAPI document describes both."""
    api = anon.get("/api/search?q=leopard&format=atom&lang=en")
    assert api.mimetype == "application/atom+xml"
    assert api.data == anon.get("/feeds/search?q=leopard&lang=en").data
    spec = anon.get("/api/openapi.json").get_json()
    feed = spec["paths"]["/feeds/search"]["get"]
    assert "application/atom+xml" in feed["responses"]["200"]["content"]
    assert "304" in feed["responses"]
    names = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert "format" in names


def test_crawlers_are_kept_off_search_feeds(anon: FlaskClient) -> None:
    """Each results page links its feed; a crawler following every one would run every
    search again, so robots.txt keeps them off (feed readers do not read it)."""
    assert "Disallow: /feeds/" in anon.get("/robots.txt").get_data(as_text=True).splitlines()
