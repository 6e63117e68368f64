"""Follow a search (issue 25): each results page's Atom feed of the papers matching it, the
most recently added first, public whoever asks, cheap to ask again (ETag, 304), in English
and Russian, offered by /api/search?format=atom and described by the OpenAPI document."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.utils import format_datetime
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from archive.accounts import AccountStore
from indexer.home import ArchiveHome
from webui import create_app, feeds

from conftest import paper_id_of
from test_web_discovery import head_of

ATOM = "{http://www.w3.org/2005/Atom}"
USER, PASSWORD = "curator", "a long staff password"
# The demo papers, oldest added first (their added times are set by the fixture).
ADDED = [
    "zoo-reintroduction-report.pdf",
    "amur-tiger-fact-sheet.pdf",
    "camera-trapping-guide.pdf",
    "snow-leopard-fact-sheet.pdf",
    "amur-leopard-fact-sheet.pdf",
]


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


def login(client: FlaskClient) -> FlaskClient:
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/login", data={"csrf_token": token, "username": USER, "password": PASSWORD}
    )
    assert answer.status_code == 303
    return client


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
