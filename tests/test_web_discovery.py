"""Being found: Google Scholar meta tags, canonical URLs, sitemap, OpenSearch, Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask.testing import FlaskClient
from web_pages import IMG, SCRIPT, head_of, hostile_paper, text_of

from indexer.home import ArchiveHome
from webui import create_app

from conftest import paper_id_of

__all__ = ["hostile_paper"]  # a fixture, used by name

LEOPARD_PDF = "amur-leopard-fact-sheet.pdf"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
NASTY_TITLE = "Leopards & <b>tigers</b> ]]> \x00\x1b\x0c in \"Primorye\" 'today'"
CLEAN_TITLE = "Leopards & <b>tigers</b> ]]> in \"Primorye\" 'today'"


def meta(body: str, name: str) -> list[str]:
    """The contents of every <meta name=name>."""
    return [content for key, content in head_of(body).meta if key == name]


def set_title(home: ArchiveHome, filename: str, title: str, **more: object) -> str:
    """Give a paper a new title (and more metadata), in the library and the index."""
    paper = home.library.get(paper_id_of(home, filename))
    paper.title = title
    for key, value in more.items():
        setattr(paper, key, value)
    home.library.save(paper)
    home.index.rebuild(home.library)
    return paper.id


# --- meta tags ----------------------------------------------------------------------------------


def test_paper_page_has_scholar_tags(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """citation_title, one citation_author per author, date, DOI and an absolute PDF URL that
    serves the PDF; and the canonical URL of the page."""
    paper_id = set_title(
        demo_home, LEOPARD_PDF, "The Amur Leopard: A Fact Sheet", doi="10.1000/leo.2024"
    )
    body = text_of(client.get(f"/papers/{paper_id}"))
    assert meta(body, "citation_title") == ["The Amur Leopard: A Fact Sheet"]
    assert meta(body, "citation_author") == ["Anna Petrova", "James Whitfield"]
    assert meta(body, "citation_publication_date") == ["2024"]
    assert meta(body, "citation_doi") == ["10.1000/leo.2024"]
    (pdf_url,) = meta(body, "citation_pdf_url")
    assert pdf_url == f"http://localhost/papers/{paper_id}/pdf"
    pdf = client.get(pdf_url.removeprefix("http://localhost"))
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    canonical = [href for rel, _, href in head_of(body).links if rel == "canonical"]
    assert canonical == [f"http://localhost/papers/{paper_id}"]


def test_scholar_tags_name_the_journal_volume_and_pages(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """A journal article's page tells Google Scholar its journal, volume, issue and pages."""
    venue = {"container": "Oryx", "volume": "52", "issue": "3", "page_range": "457-465"}
    paper_id = set_title(demo_home, LEOPARD_PDF, "Leopards", doc_type="article", **venue)
    body = text_of(client.get(f"/papers/{paper_id}"))
    assert meta(body, "citation_journal_title") == ["Oryx"]
    assert meta(body, "citation_volume") == ["52"]
    assert meta(body, "citation_issue") == ["3"]
    assert meta(body, "citation_firstpage") == ["457"]
    assert meta(body, "citation_lastpage") == ["465"]
    assert "Oryx, 52(3), 457" in body  # the Cite box
    # A conference paper names its proceedings instead; no venue, no venue tags.
    set_title(demo_home, LEOPARD_PDF, "Leopards", doc_type="conference", **venue)
    body = text_of(client.get(f"/papers/{paper_id}"))
    assert meta(body, "citation_conference_title") == ["Oryx"]
    assert meta(body, "citation_journal_title") == []
    set_title(demo_home, LEOPARD_PDF, "Leopards", container="", page_range="")
    body = text_of(client.get(f"/papers/{paper_id}"))
    assert meta(body, "citation_conference_title") == meta(body, "citation_firstpage") == []


def test_meta_tags_escape_payloads(client: FlaskClient, hostile_paper: str) -> None:
    """Markup in a title or author stays inside the content attribute, escaped, and reads back
    as the original text."""
    body = text_of(client.get(f"/papers/{hostile_paper}"))
    head = body.split("</head>")[0]
    assert SCRIPT not in head
    assert "<img" not in head
    assert meta(body, "citation_title") == [f"Quokka {SCRIPT} {IMG}"]
    assert meta(body, "citation_author") == [f"{SCRIPT} {IMG}"]


def test_public_base_url_wins_over_the_host_header(demo_home: ArchiveHome) -> None:
    """With PUBLIC_BASE_URL set, a forged Host never reaches canonical URLs or the sitemap."""
    app = create_app(
        {
            "ARCHIVE_HOME": str(demo_home.root),
            "TESTING": True,
            "PUBLIC_BASE_URL": "https://papers.example.org/",
        }
    )
    client = app.test_client()
    paper_id = paper_id_of(demo_home, LEOPARD_PDF)
    forged = {"Host": "evil.example"}
    body = text_of(client.get(f"/papers/{paper_id}", headers=forged))
    assert meta(body, "citation_pdf_url") == [f"https://papers.example.org/papers/{paper_id}/pdf"]
    sitemap = client.get("/sitemap.xml", headers=forged).get_data(as_text=True)
    assert "evil.example" not in sitemap
    assert f"https://papers.example.org/papers/{paper_id}" in sitemap


@pytest.mark.parametrize("path", ["/", "/search?q=leopard", "/help"])
def test_every_page_offers_opensearch_and_the_feed(client: FlaskClient, path: str) -> None:
    """Browsers find the search engine and the feed from any page's head."""
    links = head_of(text_of(client.get(path))).links
    assert ("search", "application/opensearchdescription+xml", "/opensearch.xml") in links
    assert ("alternate", "application/atom+xml", "/feed.atom") in links


# --- XML documents ------------------------------------------------------------------------------


def xml_of(client: FlaskClient, path: str, mimetype: str) -> ET.Element:
    """A well-formed XML document served at ``path`` with ``mimetype``."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.data.startswith(b"<?xml")
    return ET.fromstring(response.data)


def test_sitemap_lists_every_paper(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """The sitemap lists the front page and every paper's canonical URL with a date."""
    root = xml_of(client, "/sitemap.xml", "application/xml")
    assert root.tag == f"{SITEMAP}urlset"
    locs = [url.findtext(f"{SITEMAP}loc") for url in root]
    assert locs[0] == "http://localhost/"
    expected = {f"http://localhost/papers/{p.id}" for p in demo_home.library.papers()}
    assert set(locs[1:]) == expected
    assert all(url.findtext(f"{SITEMAP}lastmod") for url in root[1:])
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in robots
    assert "Disallow: /search.zip" in robots


def test_opensearch_description(client: FlaskClient) -> None:
    """The OpenSearch description names the archive briefly and gives a search URL template."""
    root = xml_of(client, "/opensearch.xml", "application/opensearchdescription+xml")
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    short = root.findtext(f"{OPENSEARCH}ShortName")
    assert short and len(short) <= 16
    templates = {url.get("type"): url.get("template") for url in root.iter(f"{OPENSEARCH}Url")}
    assert templates["text/html"] == "http://localhost/search?q={searchTerms}"
    search = client.get("/search?q=leopard")
    assert search.status_code == 200


def test_opensearch_description_in_the_readers_language(client: FlaskClient) -> None:
    """A Russian reader's browser is offered the archive as a search engine in Russian."""
    client.set_cookie("archive_lang", "ru")
    response = client.get("/opensearch.xml")
    root = xml_of(client, "/opensearch.xml", "application/opensearchdescription+xml")
    short = root.findtext(f"{OPENSEARCH}ShortName")
    assert short == "Архив статей" and len(short) <= 16
    assert root.findtext(f"{OPENSEARCH}LongName") == "Архив природоохранных статей"
    assert "полн" in (root.findtext(f"{OPENSEARCH}Description") or "")
    assert root.findtext(f"{OPENSEARCH}Language") == "ru"
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
    client.delete_cookie("archive_lang")
    english = client.get("/opensearch.xml", headers={"Accept-Language": "en"})
    assert b"<Language>en</Language>" in english.data
    assert b"Paper Archive" in english.data


def test_feed_lists_newest_papers_first(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """The Atom feed is well-formed, newest first, and each entry links its page and PDF."""
    papers = sorted(demo_home.library.papers(), key=lambda p: p.filename)
    for year, paper in enumerate(papers, start=2001):
        paper.added = f"{year}-01-01T00:00:00+00:00"
        demo_home.library.save(paper)
    demo_home.index.rebuild(demo_home.library)
    root = xml_of(client, "/feed.atom", "application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}updated") == "2005-01-01T00:00:00Z"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [p.title for p in reversed(papers)]
    first = entries[0]
    newest = papers[-1]
    assert first.findtext(f"{ATOM}id") == f"http://localhost/papers/{newest.id}"
    assert first.findtext(f"{ATOM}published") == "2005-01-01T00:00:00Z"
    links = {link.get("rel"): link for link in first.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == f"http://localhost/papers/{newest.id}"
    assert links["enclosure"].get("href") == f"http://localhost/papers/{newest.id}/pdf"
    assert links["enclosure"].get("length") == str(newest.size)
    authors = [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")]
    assert authors == newest.authors


def test_feed_and_sitemap_survive_nasty_metadata(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """A title with &, markup, "]]>" and control characters XML cannot hold still gives
    well-formed XML, with the text intact minus those characters."""
    paper_id = set_title(
        demo_home, LEOPARD_PDF, NASTY_TITLE, authors=["Anna <b>Petrova</b> & \x07Co"], tags=["a&b"]
    )
    root = xml_of(client, "/feed.atom", "application/atom+xml")
    entry = next(
        e for e in root.findall(f"{ATOM}entry") if e.findtext(f"{ATOM}id").endswith(paper_id)
    )
    assert entry.findtext(f"{ATOM}title") == CLEAN_TITLE
    assert entry.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Anna <b>Petrova</b> & Co"
    assert entry.find(f"{ATOM}category").get("term") == "a&b"
    xml_of(client, "/sitemap.xml", "application/xml")
    body = text_of(client.get(f"/papers/{paper_id}"))
    assert "<b>tigers" not in body.split("</head>")[0]
