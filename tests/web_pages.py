"""What the web tests read pages with and feed them, shared by the web, search, discovery, feed,
download and OpenAPI tests: the links, text and head (meta and link tags) of a page, the odd
queries people type, and a paper whose metadata carries HTML payloads (``hostile_paper``, a
fixture a test module imports by name) with the check that they show as text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from fpdf import FPDF
from werkzeug.test import TestResponse

from indexer.home import ArchiveHome
from indexer.ingest.importer import import_paths

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAPER_ID = re.compile(r"[0-9a-f]{64}")


class _Links(HTMLParser):
    """Every ``<a>`` of a page as (href, text), text unescaped and with spaces collapsed."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def links(body: str) -> list[tuple[str, str]]:
    """The links of an HTML page, in document order."""
    parser = _Links()
    parser.feed(body)
    return parser.links


def hits(body: str) -> list[tuple[str, str]]:
    """The results listed on a results page, as (paper id, title), in order."""
    # A result's link carries the search (?q=...), for the paper page's "Back to results".
    paths = [(href.split("?", 1)[0], text) for href, text in links(body)]
    return [
        (href.removeprefix("/papers/"), text)
        for href, text in paths
        if href.startswith("/papers/") and PAPER_ID.fullmatch(href.removeprefix("/papers/"))
    ]


def hit_ids(body: str) -> list[str]:
    """The ids of the results listed on a results page, in order."""
    return [paper_id for paper_id, _ in hits(body)]


def result_count(body: str) -> int | None:
    """The total a results page announces ("3 papers for ..."), or None if it has none."""
    match = re.search(r"<h1>\s*(\d+) papers? for", body)
    return int(match.group(1)) if match else None


class _Head(HTMLParser):
    """The <meta name=...> and <link rel=...> tags of a page, values unescaped."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[tuple[str, str]] = []
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "meta" and "name" in values:
            self.meta.append((values["name"], values.get("content", "")))
        if tag == "link":
            self.links.append((values.get("rel", ""), values.get("type", ""), values["href"]))


def head_of(body: str) -> _Head:
    """The meta and link tags of a page."""
    parser = _Head()
    parser.feed(body.split("</head>")[0])
    return parser


def api(client: FlaskClient, url: str) -> dict[str, Any]:
    """A successful JSON answer of the API."""
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    data = response.get_json()
    assert isinstance(data, dict)
    return data


def text_of(response: TestResponse) -> str:
    """The body as text, after checking it is no traceback."""
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    assert 'File "' not in body
    return body


def assert_escaped(body: str) -> None:
    """The payloads of ``hostile_paper`` (``SCRIPT``, ``IMG``) show on the page as text."""
    assert SCRIPT not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body


ODD_QUERIES = {
    "empty": "",
    "spaces": "   ",
    "unclosed-quote": '"unclosed',
    "bare-field": "title:",
    "star": "*",
    "bare-and": "AND",
    "parens": "((",
    "bad-year": "year:abc",
    "internal-field": "kind:page",
    "long-2000": "x" * 2000,
    "long-words": "leopard " * 250,
    "nul": "\x00",
    "nul-after-word": "leopard\x00",
    "cyrillic": "леопард",
    "korean": "표범",
}


@pytest.fixture
def hostile_paper(demo_home: ArchiveHome, tmp_path: Path) -> str:
    """The id of a paper whose text, title, author and keywords carry HTML payloads."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 8, f"Quokka survey notes. {SCRIPT} {IMG} The quokka is a small wallaby.")
    pdf.set_title(f"Quokka {SCRIPT} {IMG}")
    pdf.set_author(f"{SCRIPT} {IMG}")
    pdf.set_keywords(f"{SCRIPT} {IMG}")
    path = tmp_path / "hostile.pdf"
    pdf.output(str(path))
    report = import_paths(demo_home, [path], jobs=1)
    assert [outcome.status for outcome in report.files] == ["added"]
    paper = demo_home.library.get(str(report.files[0].id))
    assert SCRIPT in paper.title  # the payload really reached the metadata
    return paper.id
