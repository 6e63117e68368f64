"""Getting papers out through the web: the ZIP of all matches, citations, PDF caching."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import zipfile
from email.utils import format_datetime, parsedate_to_datetime

import bibtexparser
import pytest
import rispy
from file_name_safety import HOSTILE_TITLES, assert_safe_names
from flask import Flask
from flask.testing import FlaskClient
from web_pages import SCRIPT, hostile_paper, links, text_of
from werkzeug.http import parse_options_header

from indexer.home import ArchiveHome
from webui import create_app

from conftest import paper_id_of

__all__ = ["hostile_paper"]  # a fixture, used by name

LEOPARD_PDF = "amur-leopard-fact-sheet.pdf"


def leopard(home: ArchiveHome) -> str:
    """The id of the Amur leopard fact sheet."""
    return paper_id_of(home, LEOPARD_PDF)


def capped_client(home: ArchiveHome, **config: object) -> FlaskClient:
    """A client of an app with its own export settings."""
    app = create_app({"ARCHIVE_HOME": str(home.root), "TESTING": True, **config})
    return app.test_client()


def read_zip(data: bytes) -> zipfile.ZipFile:
    """A ZIP from bytes, after checking every member's CRC."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return archive


# --- the ZIP of all matches ---------------------------------------------------------------------


def test_search_zip_holds_every_match_byte_for_byte(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """/search.zip is an attachment holding each matching PDF as stored, a manifest with
    absolute links and a references.bib."""
    response = client.get("/search.zip?q=leopard")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    assert (kind, options["filename"]) == ("attachment", "archive-leopard.zip")
    data = response.get_data()
    assert int(response.headers["Content-Length"]) == len(data)
    expected = {
        p.id
        for p in demo_home.library.papers()
        if p.id
        in {r["id"] for r in client.get("/api/search?q=leopard&limit=100").get_json()["results"]}
    }
    assert len(expected) == 4
    with read_zip(data) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
        assert len(rows) == 4
        for row in rows:
            paper_id = row["link"].removeprefix("http://localhost/papers/")
            assert paper_id in expected
            stored = demo_home.library.pdf_path(paper_id).read_bytes()
            assert archive.read(row["file"]) == stored
        bib = bibtexparser.parse_string(archive.read("references.bib").decode())
        assert len(bib.entries) == 4
        assert len(archive.namelist()) == 6


def test_search_zip_streams(app: Flask) -> None:
    """The ZIP is a stream: the first bytes (a ZIP header) come before the rest is built."""
    response = app.test_client().get("/search.zip?q=leopard", buffered=False)
    assert response.is_streamed
    first = next(iter(response.response))
    assert first.startswith(b"PK\x03\x04")
    response.close()


def test_search_zip_head_sends_no_body(client: FlaskClient) -> None:
    """HEAD says the size without building the ZIP."""
    response = client.head("/search.zip?q=leopard")
    assert response.status_code == 200
    assert int(response.headers["Content-Length"]) > 0
    assert response.data == b""


def test_search_zip_names_are_safe(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """Hostile titles give safe, unique names inside the ZIP."""
    for paper, title in zip(demo_home.library.papers(), HOSTILE_TITLES, strict=False):
        paper.title = title
        demo_home.library.save(paper)
    with read_zip(client.get("/search.zip?q=leopard").get_data()) as archive:
        assert_safe_names(archive.namelist()[2:])


def test_search_zip_follows_the_sort_order(client: FlaskClient) -> None:
    """The ZIP lists the papers in the order of the results page it was asked from."""
    newest = client.get("/api/search?q=leopard&sort=newest").get_json()["results"]
    data = client.get("/search.zip?q=leopard&sort=newest").get_data()
    with read_zip(data) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
    assert [row["title"] for row in rows] == [hit["title"] for hit in newest]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"EXPORT_MAX_PAPERS": 3}, "This search matches 4 papers; at most 3 can be downloaded"),
        ({"EXPORT_MAX_BYTES": 10_000}, "at most 9.8 KB can be downloaded at once"),
    ],
)
def test_cap_gives_a_clear_page(
    demo_home: ArchiveHome, config: dict[str, int], message: str
) -> None:
    """Over the cap on papers or bytes: a page that says so and links back, not a 500."""
    client = capped_client(demo_home, **config)
    response = client.get("/search.zip?q=leopard")
    body = text_of(response)
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert message in body
    assert ("/search?q=leopard", "Back to the results") in links(body)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "nothing to search for"),
        ("((", 400, "nothing to search for"),
        ("zebra", 404, "No papers match"),
        ("<script>alert(1)</script>", 404, "No papers match"),
    ],
)
def test_unusable_queries_give_a_page(
    client: FlaskClient, query: str, status: int, message: str
) -> None:
    """An empty, unusable or unmatched query gets advice (escaped), never a ZIP or a 500."""
    for path in ("/search.zip", "/search.bib", "/search.ris"):
        response = client.get(path, query_string={"q": query})
        body = text_of(response)
        assert response.status_code == status
        assert message in body
        assert SCRIPT not in body


def test_results_page_offers_the_zip_with_its_query(client: FlaskClient) -> None:
    """The results page links "Download all 4 papers (ZIP)" with its query and sort order."""
    body = text_of(client.get("/search?q=leopard&sort=newest&page=1"))
    assert ("/search.zip?q=leopard&sort=newest", "Download all 4 papers (ZIP)") in links(body)
    assert ("/search.bib?q=leopard&sort=newest", "BibTeX") in links(body)
    assert ("/search.ris?q=leopard&sort=newest", "RIS") in links(body)


def test_results_page_over_the_cap_says_so(demo_home: ArchiveHome) -> None:
    """With more matches than the cap, the results page says so instead of offering the ZIP."""
    body = text_of(capped_client(demo_home, EXPORT_MAX_PAPERS=2).get("/search?q=leopard"))
    assert "4 papers are too many to download at once (at most 2)" in body
    assert not any(href.startswith("/search.zip") for href, _ in links(body))


def test_results_page_without_matches_offers_no_download(client: FlaskClient) -> None:
    """No matches, no download link."""
    body = text_of(client.get("/search?q=zebra"))
    assert not any(href.startswith("/search.zip") for href, _ in links(body))


# --- citations ----------------------------------------------------------------------------------


def test_result_set_citations(client: FlaskClient) -> None:
    """/search.bib and /search.ris cite every match, readable by BibTeX and RIS parsers."""
    bib = client.get("/search.bib?q=leopard")
    assert bib.status_code == 200
    assert bib.mimetype == "application/x-bibtex"
    assert parse_options_header(bib.headers["Content-Disposition"])[1]["filename"] == (
        "archive-leopard.bib"
    )
    library = bibtexparser.parse_string(bib.get_data(as_text=True))
    assert not library.failed_blocks
    assert len(library.entries) == 4
    ris = client.get("/search.ris?q=leopard")
    assert ris.mimetype == "application/x-research-info-systems"
    records = rispy.loads(ris.get_data(as_text=True))
    assert len(records) == 4
    assert all(r["urls"][0].startswith("http://localhost/papers/") for r in records)


def test_paper_citations(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """A paper's cite.bib and cite.ris hold its title, authors and year."""
    paper_id = leopard(demo_home)
    bib = client.get(f"/papers/{paper_id}/cite.bib")
    assert bib.status_code == 200
    (entry,) = bibtexparser.parse_string(bib.get_data(as_text=True)).entries
    assert entry["title"] == "{The Amur Leopard: A Fact Sheet}"
    assert entry["author"] == "Anna Petrova and James Whitfield"
    assert entry["year"] == "2024"
    assert entry.key == "petrova2024amur"
    (record,) = rispy.loads(client.get(f"/papers/{paper_id}/cite.ris").get_data(as_text=True))
    assert record["title"] == "The Amur Leopard: A Fact Sheet"
    assert record["authors"] == ["Anna Petrova", "James Whitfield"]
    assert record["file_attachments1"] == f"http://localhost/papers/{paper_id}/pdf"


@pytest.mark.parametrize("suffix", ["cite.bib", "cite.ris"])
@pytest.mark.parametrize("paper_id", ["0" * 64, "..%2F..%2Fetc%2Fpasswd", "abc"])
def test_citation_of_unknown_paper_is_404(client: FlaskClient, suffix: str, paper_id: str) -> None:
    """An unknown or malformed id gets the friendly 404."""
    response = client.get(f"/papers/{paper_id}/{suffix}")
    assert response.status_code == 404
    assert "There is no such page or paper" in text_of(response)


def test_paper_page_has_a_cite_box(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """The paper page shows a reference to paste and links to BibTeX and RIS."""
    paper_id = leopard(demo_home)
    body = text_of(client.get(f"/papers/{paper_id}"))
    assert (
        "Petrova, A., &amp; Whitfield, J. (2024). The Amur Leopard: A Fact Sheet. "
        f"Conservation Paper Archive. http://localhost/papers/{paper_id}"
    ) in body
    assert (f"/papers/{paper_id}/cite.bib", "BibTeX") in links(body)
    assert (f"/papers/{paper_id}/cite.ris", "RIS") in links(body)


def test_hostile_paper_citations(client: FlaskClient, hostile_paper: str) -> None:
    """A title carrying markup is escaped in the cite box and intact in BibTeX and RIS."""
    body = text_of(client.get(f"/papers/{hostile_paper}"))
    cite = re.search(r'<section class="cite".*?</section>', body, re.S)
    assert cite
    assert "<script>" not in cite.group(0)
    assert "&lt;script&gt;" in cite.group(0)
    (record,) = rispy.loads(client.get(f"/papers/{hostile_paper}/cite.ris").get_data(as_text=True))
    assert SCRIPT in record["title"]
    library = bibtexparser.parse_string(
        client.get(f"/papers/{hostile_paper}/cite.bib").get_data(as_text=True)
    )
    assert not library.failed_blocks


# --- the PDF: caching, conditional and range requests -------------------------------------------


@pytest.mark.parametrize("suffix", ["pdf", "download"])
def test_an_open_pdf_may_be_cached_but_is_checked_again_each_time(
    client: FlaskClient, demo_home: ArchiveHome, suffix: str
) -> None:
    """The bytes behind an id never change, but who may read them can (access levels): any
    cache may keep an open PDF, asking again each time (no-cache) with its ETag and
    Last-Modified, so the answer is a bodiless 304 and the access check runs every time."""
    response = client.get(f"/papers/{leopard(demo_home)}/{suffix}")
    assert response.status_code == 200
    cache = response.cache_control
    assert cache.public
    assert cache.no_cache
    assert not cache.immutable
    assert response.headers["ETag"] == f'"{leopard(demo_home)}"'
    assert response.last_modified is not None
    assert response.headers["Accept-Ranges"] == "bytes"
    again = client.get(
        f"/papers/{leopard(demo_home)}/{suffix}",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304 and again.data == b""


def test_pdf_if_modified_since(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """If-Modified-Since at or after Last-Modified gives 304; before it, the file."""
    url = f"/papers/{leopard(demo_home)}/pdf"
    last_modified = client.get(url).headers["Last-Modified"]
    same = client.get(url, headers={"If-Modified-Since": last_modified})
    assert same.status_code == 304
    assert same.data == b""
    assert same.headers["ETag"]
    earlier = parsedate_to_datetime(last_modified).replace(year=2000)
    older = client.get(url, headers={"If-Modified-Since": format_datetime(earlier, usegmt=True)})
    assert older.status_code == 200
    assert older.data.startswith(b"%PDF")


def test_pdf_if_none_match_wins_over_if_modified_since(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """A changed ETag means the file is sent even if the date says unchanged (RFC 9110)."""
    url = f"/papers/{leopard(demo_home)}/pdf"
    last_modified = client.get(url).headers["Last-Modified"]
    response = client.get(
        url, headers={"If-None-Match": '"other"', "If-Modified-Since": last_modified}
    )
    assert response.status_code == 200


def test_pdf_ranges(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """Ranges: a middle slice, a suffix, If-Range with the current and a stale ETag, and a
    range past the end (416, not an error page)."""
    paper_id = leopard(demo_home)
    url = f"/papers/{paper_id}/pdf"
    original = demo_home.library.pdf_path(paper_id).read_bytes()
    size = len(original)
    middle = client.get(url, headers={"Range": "bytes=100-199"})
    assert middle.status_code == 206
    assert middle.data == original[100:200]
    assert middle.headers["Content-Range"] == f"bytes 100-199/{size}"
    tail = client.get(url, headers={"Range": "bytes=-50"})
    assert tail.status_code == 206
    assert tail.data == original[-50:]
    current = client.get(url, headers={"Range": "bytes=0-9", "If-Range": f'"{paper_id}"'})
    assert current.status_code == 206
    assert current.data == original[:10]
    stale = client.get(url, headers={"Range": "bytes=0-9", "If-Range": '"stale"'})
    assert stale.status_code == 200
    assert stale.data == original
    past = client.get(url, headers={"Range": f"bytes={size + 10}-{size + 20}"})
    assert past.status_code == 416
    # Werkzeug answers several ranges with 416 (PDF viewers ask for one at a time); what
    # matters here is that it is an answer, not a server error.
    several = client.get(url, headers={"Range": "bytes=0-9,20-29"})
    assert several.status_code in (200, 206, 416)


def test_caps_come_from_the_environment(
    demo_home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`archive serve` is configured by ARCHIVE_EXPORT_MAX_PAPERS / _BYTES; a value that is not
    a number is ignored (with a warning), not a crash at start."""
    monkeypatch.setenv("ARCHIVE_EXPORT_MAX_PAPERS", "2")
    monkeypatch.setenv("ARCHIVE_EXPORT_MAX_BYTES", "lots")
    app = create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True})
    assert app.config["EXPORT_MAX_PAPERS"] == 2
    assert app.config["EXPORT_MAX_BYTES"] == 2 * 1024**3
    assert app.test_client().get("/search.zip?q=leopard").status_code == 422


def test_a_journal_paper_s_venue_is_on_its_page_and_in_the_zip_manifest(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    paper_id = paper_id_of(demo_home, "zoo-reintroduction-report.pdf")
    paper = demo_home.library.get(paper_id)
    venue = {"container": "Oryx <i>", "volume": "52", "issue": "3", "page_range": "45-67"}
    demo_home.library.save(dataclasses.replace(paper, **venue))
    page = text_of(client.get(f"/papers/{paper_id}"))
    assert "<dt>Published in</dt><dd>Oryx &lt;i&gt;, 52(3), 45\u201367</dd>" in page
    answer = client.get("/search.zip?q=zoo")
    with read_zip(answer.data) as bundle:
        name = next(n for n in bundle.namelist() if n.endswith("manifest.csv"))
        rows = list(csv.DictReader(io.StringIO(bundle.read(name).decode("utf-8-sig"))))
    assert [row["venue"] for row in rows if row["title"] == paper.title] == [
        "Oryx <i>, 52(3), 45\u201367"
    ]
