"""The web app as a person (or an API client) meets it, through Flask's test client.

Expectations about where words are come from the original PDFs in papers/, read here with pypdf,
not from the archive's own text cache, so a wrong page number in the app cannot go unnoticed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from functools import cache
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader
from web_pages import (
    IMG,
    ODD_QUERIES,
    SCRIPT,
    api,
    assert_escaped,
    hit_ids,
    hits,
    hostile_paper,
    links,
    result_count,
    text_of,
)
from werkzeug.http import parse_options_header

import webui.public.search_views
from indexer.home import ArchiveHome
from indexer.index import IndexBusy, title_sort_key

from conftest import DEMO_PAPERS, paper_id_of

__all__ = ["hostile_paper"]  # a fixture, used by name

LEOPARD_PDF = "amur-leopard-fact-sheet.pdf"
LEOPARD_TITLE = "The Amur Leopard: A Fact Sheet"
# What a person is told when a query finds nothing or cannot be searched.
ADVICE = ("Type a word or two to search for", "No papers match", "Try a few plain words")


# --- helpers ------------------------------------------------------------------------------------


def snippets(body: str) -> list[tuple[str, str, int, str]]:
    """Each snippet of a results page as (href, label, page in the href, snippet html)."""
    found = []
    for block in re.findall(r'<p class="snippet">(.*?)</p>', body, re.S):
        match = re.match(r'\s*<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>(.*)', block, re.S)
        assert match, f"a snippet without its page link: {block!r}"
        href, label, rest = match.groups()
        page = re.search(r"#page=(\d+)$", href)
        assert page, f"the page link {href!r} does not say which page"
        found.append((href, " ".join(label.split()), int(page.group(1)), rest))
    return found


def echoed_query(body: str) -> str | None:
    """The query as the results heading repeats it, unescaped."""
    match = re.search(r"<h1>\s*\d+ papers? for <q>(.*?)</q>", body, re.S)
    return html.unescape(match.group(1)) if match else None


def list_start(body: str) -> int:
    """The number of the first result listed (the ``start`` of the results list)."""
    match = re.search(r'<ol class="results" start="(\d+)"', body)
    assert match, "no results list on the page"
    return int(match.group(1))


@cache
def pdf_pages(filename: str) -> tuple[str, ...]:
    """The text of each page of a demo PDF, lowercased, straight from pypdf."""
    reader = PdfReader(DEMO_PAPERS / filename)
    return tuple(" ".join((page.extract_text() or "").split()).lower() for page in reader.pages)


def demo_files_with(*words: str) -> set[str]:
    """The demo PDFs whose text holds every one of ``words`` (case-insensitive)."""
    return {
        path.name
        for path in DEMO_PAPERS.glob("*.pdf")
        if all(any(word in page for page in pdf_pages(path.name)) for word in words)
    }


def api_ids(client: FlaskClient, url: str) -> list[str]:
    """The ids of the results of an API search, in order."""
    return [result["id"] for result in api(client, url)["results"]]


def leopard_id(home: ArchiveHome) -> str:
    """The id of the Amur leopard fact sheet."""
    return paper_id_of(home, LEOPARD_PDF)


# --- the search page and results ----------------------------------------------------------------


def test_home_shows_search_form_and_paper_count(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """The front page offers a search box (GET /search, field q) and says how much is there."""
    response = client.get("/")
    body = text_of(response)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    form = re.search(r"<form[^>]*>.*?</form>", body, re.S)
    assert form, "no search form on the front page"
    assert 'action="/search"' in form.group(0)
    assert 'method="get"' in form.group(0)
    assert re.search(r'<input[^>]*name="q"', form.group(0))
    papers = len(list(demo_home.library.papers()))
    assert papers == 5
    assert f"{papers} papers, 15 pages" in body


def test_search_lists_papers_with_title_authors_and_year(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """A search lists every paper holding all the words, with total, titles, authors and year."""
    response = client.get("/search?q=amur+leopard")
    body = text_of(response)
    assert response.status_code == 200
    expected = {paper_id_of(demo_home, name) for name in demo_files_with("amur", "leopard")}
    assert len(expected) == 3
    assert result_count(body) == 3
    assert set(hit_ids(body)) == expected
    # The fact sheet about exactly this animal ranks first.
    assert hits(body)[0] == (leopard_id(demo_home), LEOPARD_TITLE)
    assert "Anna Petrova, James Whitfield · 2024 · 3 pages" in body
    assert echoed_query(body) == "amur leopard"


def test_snippets_highlight_words_found_on_the_linked_page(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """Each snippet highlights the words with <mark> and its "Page N" link opens page N of the
    PDF, a page that really holds the highlighted words."""
    body = text_of(client.get("/search?q=amur+leopard"))
    names = {paper_id_of(demo_home, p.name): p.name for p in DEMO_PAPERS.glob("*.pdf")}
    found = snippets(body)
    assert found
    for href, label, page, snippet_html in found:
        match = re.fullmatch(r"/papers/([0-9a-f]{64})/pdf#page=(\d+)", href)
        assert match, href
        assert label == f"Page {page}"
        marked = re.findall(r"<mark>(.*?)</mark>", snippet_html)
        assert marked, f"nothing highlighted in {snippet_html!r}"
        pages = pdf_pages(names[match.group(1)])
        assert 1 <= page <= len(pages)
        for word in marked:
            assert word.lower() in pages[page - 1], f"{word!r} is not on page {page}"
    leopard_pages = {page for href, _, page, _ in found if leopard_id(demo_home) in href}
    assert 1 in leopard_pages  # "The Amur leopard (Panthera pardus orientalis)..."


@pytest.mark.parametrize(("word", "page"), [("Kedrovaya", 1), ("fingerprint", 3)])
def test_page_label_names_the_one_page_with_the_word(
    client: FlaskClient, demo_home: ArchiveHome, word: str, page: int
) -> None:
    """A word found on one page only is shown and linked on that page, and nowhere else."""
    pages = pdf_pages(LEOPARD_PDF)
    assert [n for n, text in enumerate(pages, 1) if word.lower() in text] == [page]
    body = text_of(client.get(f"/search?q={word}"))
    paper_id = leopard_id(demo_home)
    assert hit_ids(body) == [paper_id]
    assert [(label, number) for _, label, number, _ in snippets(body)] == [(f"Page {page}", page)]
    assert f"<mark>{word}</mark>" in body
    read = [href for href, text in links(body) if text == "Read PDF"]
    assert read == [f"/papers/{paper_id}/pdf#page={page}"]


def test_results_page_through_with_next_and_previous(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With more results than fit a page, page 1 links to page 2 and page 2 lists the rest,
    numbered on from page 1."""
    monkeypatch.setattr(webui.public.search_views, "RESULTS_PER_PAGE", 2)
    everything = api_ids(client, "/api/search?q=leopard")
    assert len(everything) == 4
    first = text_of(client.get("/search?q=leopard"))
    assert result_count(first) == 4
    assert hit_ids(first) == everything[:2]
    assert "Page 1 of 2" in first
    assert ("/search?q=leopard&sort=relevance&page=2", "Next") in links(first)
    second = text_of(client.get("/search?q=leopard&page=2"))
    assert result_count(second) == 4
    assert hit_ids(second) == everything[2:]
    assert list_start(second) == 3
    assert "Page 2 of 2" in second
    assert ("/search?q=leopard&sort=relevance&page=1", "Previous") in links(second)


def test_api_pages_are_disjoint_and_cover_every_result(client: FlaskClient) -> None:
    """API pages of two results each split the result list in order, without overlap."""
    everything = api_ids(client, "/api/search?q=leopard")
    first = api(client, "/api/search?q=leopard&limit=2&page=1")
    second = api(client, "/api/search?q=leopard&limit=2&page=2")
    assert first["total"] == second["total"] == 4
    assert (first["page"], second["page"]) == (1, 2)
    assert [r["id"] for r in first["results"]] == everything[:2]
    assert [r["id"] for r in second["results"]] == everything[2:]


@pytest.mark.parametrize("page", ["0", "-3", "abc", ""])
def test_odd_page_numbers_show_the_first_page(client: FlaskClient, page: str) -> None:
    """A page number that is not a positive number is read as page 1, not an error."""
    expected = hit_ids(text_of(client.get("/search?q=leopard")))
    response = client.get(f"/search?q=leopard&page={page}")
    body = text_of(response)
    assert response.status_code == 200
    assert hit_ids(body) == expected
    assert list_start(body) == 1


def test_out_of_range_page_does_not_list_results_again(client: FlaskClient) -> None:
    """Page 2 of a search with 4 results lists no papers (or, at most, honestly page 1)."""
    first = hit_ids(text_of(client.get("/search?q=leopard")))
    response = client.get("/search?q=leopard&page=2")
    body = text_of(response)
    assert response.status_code == 200
    listed = hit_ids(body)
    assert not listed or (listed == first and list_start(body) == 1)


def test_api_out_of_range_page_is_empty_or_says_which_page(client: FlaskClient) -> None:
    """Page 3 of two-result pages over 4 results is empty, or says it is page 2."""
    data = api(client, "/api/search?q=leopard&limit=2&page=3")
    assert data["total"] == 4
    assert data["results"] == [] or data["page"] == 2


@pytest.mark.parametrize(
    "sort",
    [
        "newest",
        "oldest",
        "title",
    ],
)
def test_sort_orders_results(client: FlaskClient, demo_home: ArchiveHome, sort: str) -> None:
    """sort=newest|oldest|title orders the results by year (either way) or by title."""
    papers = {paper.id: paper for paper in demo_home.library.papers()}
    relevance = hit_ids(text_of(client.get("/search?q=amur")))
    assert len(relevance) == 4
    response = client.get(f"/search?q=amur&sort={sort}")
    body = text_of(response)
    assert response.status_code == 200
    listed = hit_ids(body)
    keys = {
        "newest": lambda i: -(papers[i].year or 0),
        "oldest": lambda i: papers[i].year or 0,
        "title": lambda i: title_sort_key(papers[i].title),
    }
    assert listed == sorted(relevance, key=keys[sort])
    assert listed != relevance  # for "amur", every order differs from relevance
    assert f'<option value="{sort}" selected>' in body


@pytest.mark.parametrize("sort", ["newest", "title"])
def test_api_sorted_results_keep_their_relevance_score(client: FlaskClient, sort: str) -> None:
    """Sorting changes the order of API results, not their scores."""
    scores = {r["id"]: r["score"] for r in api(client, "/api/search?q=amur")["results"]}
    response = client.get(f"/api/search?q=amur&sort={sort}")
    assert response.status_code == 200
    assert {r["id"]: r["score"] for r in response.get_json()["results"]} == scores


def test_newest_and_oldest_are_opposite(client: FlaskClient) -> None:
    """Oldest first is newest first reversed (the demo papers all have distinct years)."""
    newest = hit_ids(text_of(client.get("/search?q=leopard&sort=newest")))
    oldest = hit_ids(text_of(client.get("/search?q=leopard&sort=oldest")))
    assert len(newest) == 4
    assert oldest == newest[::-1]


def test_unknown_sort_is_ignored(client: FlaskClient) -> None:
    """An unknown sort order falls back to relevance instead of failing."""
    relevance = hit_ids(text_of(client.get("/search?q=leopard")))
    response = client.get("/search?q=leopard&sort=bogus%27%3Cx")
    body = text_of(response)
    assert response.status_code == 200
    assert hit_ids(body) == relevance
    assert '<option value="relevance" selected>' in body
    assert api_ids(client, "/api/search?q=leopard&sort=bogus") == api_ids(
        client, "/api/search?q=leopard"
    )


# --- odd, empty and malformed queries -----------------------------------------------------------


@pytest.mark.parametrize("query", ODD_QUERIES.values(), ids=ODD_QUERIES.keys())
def test_odd_queries_get_a_helpful_page(client: FlaskClient, query: str) -> None:
    """Whatever is typed, the answer is a page with a search box and either results or advice."""
    response = client.get(f"/search?q={quote(query)}")
    body = text_of(response)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert re.search(r'<form[^>]*action="/search"', body), "no search box to try again"
    count = result_count(body)
    if count is not None:
        assert echoed_query(body) == query[:1000]
    if not count:
        assert any(advice in body for advice in ADVICE), "no advice on a page without results"


@pytest.mark.parametrize("query", ODD_QUERIES.values(), ids=ODD_QUERIES.keys())
def test_odd_queries_get_json_results_or_a_400(client: FlaskClient, query: str) -> None:
    """The API answers any query with results (200) or a JSON error saying why (400)."""
    response = client.get(f"/api/search?q={quote(query)}")
    assert response.status_code in (200, 400)
    assert response.mimetype == "application/json"
    data = response.get_json()
    if response.status_code == 400:
        assert isinstance(data["error"], str)
        assert any(advice in data["error"] for advice in ADVICE)
    else:
        assert isinstance(data["total"], int)
        assert data["total"] == len(data["results"])


@pytest.mark.parametrize(
    ("query", "heading", "advice"),
    [
        ("", "Search conservation papers", "Type a word or two to search for."),
        ("((", "Nothing to search for", "Try a few plain words"),
        ("\x00", "Nothing to search for", "Try a few plain words"),
        ("zebra", "0 papers for", "No papers match. Try fewer or different words"),
        ("кенгуру", "0 papers for", "No papers match"),
    ],
)
def test_queries_without_results_say_what_to_do(
    client: FlaskClient, query: str, heading: str, advice: str
) -> None:
    """An empty, unusable or unmatched query gets the advice that fits it."""
    body = text_of(client.get(f"/search?q={quote(query)}"))
    assert heading in body
    assert advice in body
    assert hits(body) == []


def test_syntax_from_the_help_page_works(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """The query syntax the help page teaches finds the papers it promises."""
    assert "How to search" in text_of(client.get("/help"))
    leopard = leopard_id(demo_home)
    without_snow = demo_files_with("leopard") - demo_files_with("snow")
    assert without_snow == {"zoo-reintroduction-report.pdf"}
    assert api_ids(client, "/api/search?q=leopard+-snow") == [
        paper_id_of(demo_home, name) for name in without_snow
    ]
    assert set(api_ids(client, "/api/search?q=author:petrova")) == {
        leopard,
        paper_id_of(demo_home, "zoo-reintroduction-report.pdf"),
    }
    assert set(api_ids(client, "/api/search?q=year:2010-2018")) == {
        paper_id_of(demo_home, "camera-trapping-guide.pdf"),
        paper_id_of(demo_home, "amur-tiger-fact-sheet.pdf"),
    }


def test_lone_exclusion_does_not_find_the_excluded_word(client: FlaskClient) -> None:
    """A query of only "-leopard" never lists the papers about leopards (it leaves them out,
    or asks for more)."""
    response = client.get("/api/search?q=-leopard")
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        with_leopard = set(api_ids(client, "/api/search?q=leopard"))
        assert not with_leopard & {r["id"] for r in response.get_json()["results"]}


# --- a paper's page and its PDF -----------------------------------------------------------------


def test_paper_page_shows_metadata_and_links(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """A paper's page shows its title, authors and year, and links to read and download it."""
    paper_id = leopard_id(demo_home)
    response = client.get(f"/papers/{paper_id}")
    body = text_of(response)
    assert response.status_code == 200
    assert f"<h1>{LEOPARD_TITLE}</h1>" in body
    assert "Anna Petrova, James Whitfield · 2024" in body
    assert "<dt>Pages</dt><dd>3</dd>" in body
    assert LEOPARD_PDF in body
    page_links = links(body)
    assert (f"/papers/{paper_id}/pdf", "Read PDF") in page_links
    assert any(href == f"/papers/{paper_id}/download" for href, _ in page_links)


def test_hit_title_links_to_its_paper_page(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """Following a result's title opens that paper's page."""
    paper_id, title = hits(text_of(client.get("/search?q=Kedrovaya")))[0]
    assert paper_id == leopard_id(demo_home)
    assert f"<h1>{html.escape(title)}</h1>" in text_of(client.get(f"/papers/{paper_id}"))


def _unknown_id(demo_home: ArchiveHome) -> str:
    real = leopard_id(demo_home)
    return real[:-1] + ("0" if real[-1] != "0" else "1")


@pytest.mark.parametrize("suffix", ["", "/pdf", "/download"])
def test_unknown_paper_is_a_friendly_404(
    client: FlaskClient, demo_home: ArchiveHome, suffix: str
) -> None:
    """A well-formed id of no paper gets the HTML "Not found" page, pointing back to search."""
    for paper_id in ("0" * 64, _unknown_id(demo_home)):
        response = client.get(f"/papers/{paper_id}{suffix}")
        body = text_of(response)
        assert response.status_code == 404
        assert response.mimetype == "text/html"
        assert "Not found" in body
        assert "There is no such page or paper in the archive." in body
        assert ("/", "Back to the search page") in links(body)


# Malformed ids, made from the id of a real paper (URL-encoded as they would be sent).
MALFORMED_IDS: dict[str, Callable[[str], str]] = {
    "traversal": lambda _real: "..%2F..%2Fetc%2Fpasswd",
    "deep-traversal": lambda _real: "..%2F" * 8 + "etc%2Fpasswd",
    "dot-dot": lambda _real: "..",
    "short": lambda _real: "abc",
    "uppercase": str.upper,
    "prefix": lambda real: real[:12],
    "trailing-newline": lambda real: real + "%0A",
    "trailing-traversal": lambda real: real + "%2F..%2F..",
}


@pytest.mark.parametrize("make_id", MALFORMED_IDS.values(), ids=MALFORMED_IDS.keys())
@pytest.mark.parametrize("suffix", ["", "/pdf", "/download"])
def test_malformed_ids_are_404_and_leak_nothing(
    client: FlaskClient, demo_home: ArchiveHome, make_id: Callable[[str], str], suffix: str
) -> None:
    """Anything but a lowercase full id, even one naming a real paper, is a 404 without file
    content (no /etc/passwd, no PDF bytes)."""
    paper_id = make_id(leopard_id(demo_home))
    response = client.get(f"/papers/{paper_id}{suffix}")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"root:" not in response.data
    assert b"%PDF" not in response.data
    assert "There is no such page or paper" in text_of(response)


def test_pdf_is_served_inline_byte_for_byte(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """The "Read PDF" link gives the original file, for the browser to show, not save."""
    response = client.get(f"/papers/{leopard_id(demo_home)}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers.get("Content-Disposition")
    assert disposition is None or parse_options_header(disposition)[0] == "inline"
    assert response.data == (DEMO_PAPERS / LEOPARD_PDF).read_bytes()


def test_pdf_answers_range_requests(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """PDF viewers may fetch part of the file: bytes=0-99 gives exactly the first 100 bytes."""
    original = (DEMO_PAPERS / LEOPARD_PDF).read_bytes()
    response = client.get(f"/papers/{leopard_id(demo_home)}/pdf", headers={"Range": "bytes=0-99"})
    assert response.status_code == 206
    assert response.data == original[:100]
    assert response.headers["Content-Range"] == f"bytes 0-99/{len(original)}"


def test_pdf_revalidates_with_its_etag(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """A browser holding the PDF gets 304 Not Modified, without the bytes, for its ETag."""
    url = f"/papers/{leopard_id(demo_home)}/pdf"
    etag = client.get(url).headers.get("ETag")
    assert etag
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_download_is_an_attachment_under_the_original_name(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    """The "Download" link saves the original bytes under the original file name."""
    response = client.get(f"/papers/{leopard_id(demo_home)}/download")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    kind, options = parse_options_header(response.headers["Content-Disposition"])
    assert kind == "attachment"
    assert options["filename"] == LEOPARD_PDF
    assert response.data == (DEMO_PAPERS / LEOPARD_PDF).read_bytes()


# --- the JSON API and the health check ----------------------------------------------------------


def test_api_search_follows_the_contract(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """/api/search gives query, total and results, each result with the documented fields."""
    data = api(client, "/api/search?q=leopard")
    assert {"query", "total", "results"} <= data.keys()
    assert data["query"] == "leopard"
    expected = {paper_id_of(demo_home, name) for name in demo_files_with("leopard")}
    assert data["total"] == len(expected) == 4
    assert {result["id"] for result in data["results"]} == expected
    papers = {paper.id: paper for paper in demo_home.library.papers()}
    scores = []
    for result in data["results"]:
        fields = {"id", "title", "authors", "year", "filename", "score", "pages", "snippets"}
        assert fields <= result.keys()
        paper = papers[result["id"]]
        assert result["title"] == paper.title
        assert result["filename"] == paper.filename
        assert isinstance(result["authors"], list)
        assert all(isinstance(name, str) for name in result["authors"])
        assert result["year"] is None or type(result["year"]) is int
        assert type(result["score"]) in (int, float)
        scores.append(result["score"])
        assert result["pages"], "a hit found by its text names its pages"
        assert all(type(n) is int and 1 <= n <= paper.pages for n in result["pages"])
        pages = pdf_pages(paper.filename)
        assert all("leopard" in pages[n - 1] for n in result["pages"])
        for snippet in result["snippets"]:
            assert set(snippet) == {"page", "html"}
            assert snippet["page"] in result["pages"]
            assert "<mark>" in snippet["html"]
    assert scores == sorted(scores, reverse=True)


def test_api_empty_query_is_a_400_with_an_error(client: FlaskClient) -> None:
    """An empty query to the API is a 400 whose JSON says what to do."""
    response = client.get("/api/search?q=")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert "nothing to search for" in response.get_json()["error"]


def test_api_paper_gives_its_metadata(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """/api/papers/<id> gives the paper's metadata as JSON."""
    paper_id = leopard_id(demo_home)
    data = api(client, f"/api/papers/{paper_id}")
    assert data["id"] == paper_id
    assert data["title"] == LEOPARD_TITLE
    assert data["authors"] == ["Anna Petrova", "James Whitfield"]
    assert data["year"] == 2024
    assert data["filename"] == LEOPARD_PDF
    assert data["pages"] == 3


@pytest.mark.parametrize("paper_id", ["0" * 64, "abc", "..%2Fetc%2Fpasswd"])
def test_api_unknown_paper_is_a_json_404(client: FlaskClient, paper_id: str) -> None:
    """An unknown or malformed id under /api/ gets a JSON 404, never the HTML page."""
    response = client.get(f"/api/papers/{paper_id}")
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]


def test_healthz_says_ok(client: FlaskClient) -> None:
    """/healthz answers 200 {"status": "ok", ...} with what the index holds."""
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.get_json()
    assert data["status"] == "ok"
    assert data["papers"] == 5


# --- hostile content ----------------------------------------------------------------------------


def test_imported_paper_appears_without_restart(client: FlaskClient, hostile_paper: str) -> None:
    """A paper imported while the app runs is counted on the front page and in /healthz."""
    assert "6 papers, 16 pages" in text_of(client.get("/"))
    assert client.get("/healthz").get_json()["papers"] == 6
    assert client.get(f"/papers/{hostile_paper}").status_code == 200


def test_pdf_payload_is_escaped_in_results(client: FlaskClient, hostile_paper: str) -> None:
    """Markup in a PDF's text and metadata shows as text in results, snippets included."""
    body = text_of(client.get("/search?q=quokka"))
    assert hit_ids(body) == [hostile_paper]
    assert_escaped(body)
    (snippet,) = snippets(body)
    assert "<mark>Quokka</mark>" in snippet[3]
    assert "&lt;script&gt;" in snippet[3]


def test_pdf_payload_is_escaped_on_paper_page(client: FlaskClient, hostile_paper: str) -> None:
    """Markup in a PDF's metadata shows as text on its page, the window title included."""
    body = text_of(client.get(f"/papers/{hostile_paper}"))
    assert_escaped(body)
    title = re.search(r"<title>(.*?)</title>", body, re.S)
    assert title
    assert "<" not in title.group(1)


def test_api_snippets_are_escaped_html(client: FlaskClient, hostile_paper: str) -> None:
    """Snippet html in the API is safe to insert: only <mark> is markup."""
    (result,) = api(client, "/api/search?q=quokka")["results"]
    assert result["id"] == hostile_paper
    assert result["snippets"]
    for snippet in result["snippets"]:
        assert re.sub(r"</?mark>", "", snippet["html"]).count("<") == 0
        assert "&lt;script&gt;" in snippet["html"]


@pytest.mark.parametrize("query", [SCRIPT, IMG, f"leopard {SCRIPT}", f'"{IMG}'])
def test_query_is_not_reflected_raw(client: FlaskClient, query: str) -> None:
    """A query with markup is shown as text: in the heading, the search box and the title."""
    for url in (f"/search?q={quote(query)}", f"/search?q={quote(query)}&page=2&sort=newest"):
        response = client.get(url)
        body = text_of(response)
        assert response.status_code == 200
        assert SCRIPT not in body
        assert "<img src=x" not in body
        assert 'value=""><' not in body


# --- headers and errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=leopard",
        "/papers/{id}",
        "/papers/{id}/pdf",
        "/papers/{id}/download",
        "/api/search?q=leopard",
        "/healthz",
        "/papers/" + "0" * 64,
    ],
)
def test_security_headers(client: FlaskClient, demo_home: ArchiveHome, path: str) -> None:
    """Every answer forbids MIME sniffing and carries a CSP that allows no inline script."""
    response = client.get(path.format(id=leopard_id(demo_home)))
    assert response.status_code in (200, 404)
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    csp = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_post_to_search_is_a_friendly_405(client: FlaskClient) -> None:
    """Posting to the search page gets the friendly error page, not a server error."""
    response = client.post("/search", data={"q": "leopard"})
    body = text_of(response)
    assert response.status_code == 405
    assert response.mimetype == "text/html"
    assert "That action is not allowed here." in body
    api_response = client.post("/api/search?q=leopard")
    assert api_response.status_code == 405
    assert api_response.get_json()["error"] == "That action is not allowed here."


def test_405_says_which_methods_are_allowed(client: FlaskClient) -> None:
    """A 405 names the allowed methods in its Allow header."""
    response = client.post("/search")
    assert response.status_code == 405
    assert "GET" in response.headers.get("Allow", "")


def test_unexpected_failure_is_a_friendly_500(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash inside a view gives a plain apology, never the exception's text."""

    def explode(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(webui.public.search_views, "search", explode)
    response = client.get("/search?q=leopard")
    body = text_of(response)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "secret-internal-detail" not in body


def test_busy_index_asks_to_try_again(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the index is locked by an import, people are asked to retry (503), not shown 500."""

    def busy(*_args: object, **_kwargs: object) -> None:
        raise IndexBusy("locked")

    monkeypatch.setattr(webui.public.search_views, "search", busy)
    response = client.get("/search?q=leopard")
    assert response.status_code == 503
    assert "The archive is busy. Please try again in a moment." in text_of(response)
