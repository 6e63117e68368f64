"""Search features as a person meets them on the web and the command line: facets and filters,
browsing, did-you-mean, synonyms (and staff editing them), related papers, the time limit, and
markup that must stay text."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from web_pages import (
    IMG,
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

import indexer.engine.search
import webui.public.search_views
from indexer.cli.main import main
from indexer.home import ArchiveHome

from conftest import paper_id_of

__all__ = ["hostile_paper"]  # a fixture, used by name

ZOO = "zoo-reintroduction-report.pdf"
LEOPARD = "amur-leopard-fact-sheet.pdf"
TIGER = "amur-tiger-fact-sheet.pdf"


def facet_links(body: str) -> dict[str, str]:
    """The facet choices of a results page, as label -> href (unescaped)."""
    aside = re.search(r'<aside class="facets".*?</aside>', body, re.S)
    assert aside, "no facets on the page"
    return {text: html.unescape(href) for href, text in links(aside.group(0))}


def facet_counts(body: str) -> dict[str, int]:
    """The facet choices of a results page with their counts, as label -> count."""
    aside = re.search(r'<aside class="facets".*?</aside>', body, re.S)
    assert aside
    found = re.findall(
        r'<a href="[^"]*"[^>]*>([^<]*)</a> <span class="count">(\d+)</span>', aside[0]
    )
    return {html.unescape(label): int(count) for label, count in found}


def params(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


# --- facets and filters -------------------------------------------------------------------------


def test_facets_show_counts_of_all_matches(client: FlaskClient) -> None:
    body = text_of(client.get("/search?q=leopard"))
    counts = facet_counts(body)
    assert counts["2020s"] == 3
    assert counts["2010s"] == 1
    assert counts["2024"] == 1
    assert counts["Anna Petrova"] == 2
    assert counts["Amur leopard"] == 3
    assert counts["camera traps"] == 2
    data = api(client, "/api/search?q=leopard")
    assert {v["value"]: v["count"] for v in data["facets"]["tag"]}["Amur leopard"] == 3
    assert {v["value"]: v["count"] for v in data["facets"]["decade"]} == {"2020s": 3, "2010s": 1}


def test_clicking_a_facet_filters_and_clicking_again_removes_it(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    first = text_of(client.get("/search?q=leopard"))
    assert result_count(first) == 4
    href = facet_links(first)["Anna Petrova"]
    assert params(href)["author"] == ["Anna Petrova"]
    narrowed = text_of(client.get(href))
    assert set(hit_ids(narrowed)) == {
        paper_id_of(demo_home, LEOPARD),
        paper_id_of(demo_home, ZOO),
    }
    assert result_count(narrowed) == 2
    # Compose with a year; the author stays chosen.
    both = text_of(client.get(facet_links(narrowed)["2020"]))
    assert hit_ids(both) == [paper_id_of(demo_home, ZOO)]
    assert params(facet_links(both)["2020"]) == {
        "q": ["leopard"],
        "sort": ["relevance"],
        "author": ["Anna Petrova"],
    }
    # Clicking the chosen author again removes it, keeping the year.
    again = text_of(client.get(facet_links(both)["Anna Petrova"]))
    assert result_count(again) == 1
    assert "Clear all filters" in again
    cleared = next(h for h, t in links(again) if t == "Clear all filters")
    assert result_count(text_of(client.get(html.unescape(cleared)))) == 4


def test_document_type_facet(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """Types come from papers/metadata.csv: three fact sheets and two reports."""
    first = text_of(client.get("/search?q=leopard"))
    counts = facet_counts(first)
    assert (counts["Fact sheet"], counts["Report"]) == (2, 2)
    href = facet_links(first)["Report"]
    assert params(href)["type"] == ["report"]
    reports = text_of(client.get(href))
    assert set(hit_ids(reports)) == {
        paper_id_of(demo_home, ZOO),
        paper_id_of(demo_home, "camera-trapping-guide.pdf"),
    }
    # Clicking the chosen type again removes it.
    assert params(facet_links(reports)["Report"]) == {"q": ["leopard"], "sort": ["relevance"]}
    browse_body = text_of(client.get("/browse?type=fact-sheet"))
    assert "Browse: 3 papers" in browse_body
    data = api(client, "/api/search?q=leopard&type=report")
    assert data["total"] == 2
    assert data["filters"]["type"] == "report"
    assert {v["value"]: v["count"] for v in data["facets"]["type"]} == {"report": 2}
    # An unknown type in an edited link is ignored, not an error.
    assert api(client, "/api/search?q=leopard&type=%3Cscript%3E")["total"] == 4
    # A paper's page says its type, linking to the papers of that type.
    page = text_of(client.get(f"/papers/{paper_id_of(demo_home, LEOPARD)}"))
    assert ("/browse?type=fact-sheet", "Fact sheet") in links(page)


def test_cli_document_type_filter(demo_home: ArchiveHome) -> None:
    runner = CliRunner()
    home = ["--home", str(demo_home.root)]
    result = runner.invoke(main, [*home, "search", "leopard", "--type", "fact-sheet", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["total"] == 2
    result = runner.invoke(main, [*home, "search", "leopard", "--facets"])
    assert "Types of document: Fact sheet (2), Report (2)" in result.output
    result = runner.invoke(main, [*home, "search", "leopard", "--type", "pamphlet"])
    assert result.exit_code == 2
    assert "pamphlet" in result.output


def test_filters_survive_paging_and_sorting(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webui.public.search_views, "RESULTS_PER_PAGE", 1)
    first = text_of(client.get("/search?q=leopard&tag=amur+leopard&sort=newest"))
    assert result_count(first) == 3
    assert "Page 1 of 3" in first
    next_href = html.unescape(next(h for h, t in links(first) if t == "Next"))
    assert params(next_href) == {
        "q": ["leopard"],
        "sort": ["newest"],
        "page": ["2"],
        "tag": ["amur leopard"],
    }
    second = text_of(client.get(next_href))
    assert result_count(second) == 3
    assert "Page 2 of 3" in second
    # The sort form carries the filters along.
    form = re.search(r'<form class="sort".*?</form>', second, re.S)
    assert form and '<input type="hidden" name="tag" value="amur leopard">' in form.group(0)
    listed = [
        hit_ids(text_of(client.get(f"/search?q=leopard&tag=amur+leopard&sort=oldest&page={n}")))
        for n in (1, 2, 3)
    ]
    assert len({i for ids in listed for i in ids}) == 3


def test_odd_filter_values_are_ignored_not_errors(client: FlaskClient) -> None:
    for query in ("year=abc", "year=%3Cscript%3E", "tag=", "author=" + "x" * 5000, "year=99999"):
        response = client.get(f"/search?q=leopard&{query}")
        assert response.status_code == 200
        assert result_count(text_of(response)) in (0, 4)
    assert api(client, "/api/search?q=leopard&year=nope")["total"] == 4


def test_browse_lists_all_papers_with_facets(client: FlaskClient, demo_home: ArchiveHome) -> None:
    body = text_of(client.get("/browse"))
    assert "Browse: 5 papers" in body
    assert len(hits(body)) == 5
    counts = facet_counts(body)
    assert counts["2020s"] == 3
    assert counts["2010s"] == 2
    narrowed = text_of(client.get(facet_links(body)["2010s"]))
    assert "Browse: 2 papers" in narrowed
    assert set(hit_ids(narrowed)) == {
        paper_id_of(demo_home, TIGER),
        paper_id_of(demo_home, "camera-trapping-guide.pdf"),
    }
    assert ("/browse", "Browse all papers") in links(text_of(client.get("/")))
    # A search box query with only filters browses too.
    assert "Browse: 2 papers" in text_of(client.get("/search?q=&year=2010s"))


def test_cli_filters_and_facets(demo_home: ArchiveHome) -> None:
    runner = CliRunner()
    home = ["--home", str(demo_home.root)]
    result = runner.invoke(main, [*home, "search", "leopard", "--year", "2020s", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    # The contract (issue 20 added "answers"), unless --facets.
    assert set(data) == {"query", "total", "results", "answers"}
    assert data["answers"] == []  # one word: no answers
    assert data["total"] == 3
    result = runner.invoke(
        main, [*home, "search", "leopard", "--tag", "camera traps", "--facets", "--json"]
    )
    data = json.loads(result.output)
    assert data["total"] == 2
    assert {v["value"] for v in data["facets"]["tag"]} >= {"camera traps", "Amur leopard"}
    assert data["filters"] == {"year": None, "author": [], "tag": ["camera traps"], "type": None}
    result = runner.invoke(main, [*home, "search", "leopard", "--facets"])
    assert "Tags: Amur leopard (3)" in result.output
    result = runner.invoke(main, [*home, "search", "leopard", "--year", "last year"])
    assert result.exit_code == 2
    assert "A year filter is" in result.output


# --- did you mean -------------------------------------------------------------------------------


def test_did_you_mean_links_to_the_corrected_search(client: FlaskClient) -> None:
    body = text_of(client.get("/search?q=amur+leapord&year=2020s"))
    # No paper has the misspelled word: the papers with "amur" are shown, saying so.
    assert "No paper has all of your words" in body
    assert "(missing: leapord)" in body
    assert "Did you mean" in body
    href = next(h for h, t in links(body) if t == "amur leopard")
    assert params(html.unescape(href))["year"] == ["2020s"]  # the filters are kept
    corrected = text_of(client.get(html.unescape(href)))
    assert result_count(corrected) == 2
    assert "Did you mean" not in corrected
    assert api(client, "/api/search?q=kedrovya")["did_you_mean"] == "kedrovaya"
    assert api(client, "/api/search?q=leopard")["did_you_mean"] is None


def test_cli_did_you_mean(demo_home: ArchiveHome) -> None:
    result = CliRunner().invoke(main, ["--home", str(demo_home.root), "search", "leapord"])
    assert result.exit_code == 0
    assert "Did you mean: leopard" in result.output


# --- the thesaurus ------------------------------------------------------------------------------


def test_a_synonym_finds_a_paper_and_says_so(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """Only the zoo report says "Primorye" without "Primorsky Krai"; it is found, listed
    after the papers that say "Primorsky Krai", and the page says what was added."""
    body = text_of(client.get("/search?q=Primorsky+Krai"))
    listed = hit_ids(body)
    assert paper_id_of(demo_home, ZOO) == listed[-1]
    assert set(listed[:-1]) == {paper_id_of(demo_home, LEOPARD), paper_id_of(demo_home, TIGER)}
    assert "Also searched for" in body
    assert "Primorye" in body
    exact = next(h for h, t in links(body) if t == "Search only the words as typed")
    assert params(html.unescape(exact))["q"] == ['"Primorsky Krai"']
    only_typed = hit_ids(text_of(client.get(html.unescape(exact))))
    assert paper_id_of(demo_home, ZOO) not in only_typed


def test_staff_edit_the_home_thesaurus(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """Copying the thesaurus into the home and editing it changes searches at once."""
    assert api(client, "/api/search?q=pedigree+register")["total"] == 0
    result = CliRunner().invoke(main, ["--home", str(demo_home.root), "thesaurus", "--init"])
    assert result.exit_code == 0, result.output
    path = demo_home.root / "thesaurus.txt"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nstudbook = pedigree register\n", encoding="utf-8"
    )
    data = api(client, "/api/search?q=pedigree+register")
    assert [r["filename"] for r in data["results"]] == [ZOO]
    assert data["synonyms"] == [{"typed": "pedigree register", "also": ["studbook"]}]
    assert "studbook = pedigree register" in text_of(client.get("/help"))
    again = CliRunner().invoke(main, ["--home", str(demo_home.root), "thesaurus", "--init"])
    assert again.exit_code == 1
    assert "exists already" in again.output


# --- related papers -----------------------------------------------------------------------------


def test_paper_page_lists_related_papers(client: FlaskClient, demo_home: ArchiveHome) -> None:
    paper_id = paper_id_of(demo_home, LEOPARD)
    body = text_of(client.get(f"/papers/{paper_id}"))
    section = re.search(r'<section class="related".*?</section>', body, re.S)
    assert section, "no related papers"
    related = [href.removeprefix("/papers/") for href, _ in links(section.group(0))]
    assert paper_id not in related
    assert len(related) >= 2
    assert paper_id_of(demo_home, ZOO) in related[:2]  # the other Amur leopard paper
    # Kept for the next visit, but not past a change to the index: a removed paper goes.
    zoo = paper_id_of(demo_home, ZOO)
    demo_home.remove(zoo)
    again = text_of(client.get(f"/papers/{paper_id}"))
    assert '<section class="related"' in again
    assert zoo not in again


def test_paper_page_survives_a_related_papers_failure(
    client: FlaskClient, demo_home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("index trouble")

    monkeypatch.setattr("webui.public.pages.related_papers", broken)
    response = client.get(f"/papers/{paper_id_of(demo_home, LEOPARD)}")
    assert response.status_code == 200
    assert "Related papers" not in text_of(response)


# --- the time limit -----------------------------------------------------------------------------


def test_search_out_of_time_says_so(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(indexer.engine.search, "TIME_LIMIT_S", 0.0)
    response = client.get("/search?q=leopard")
    assert response.status_code == 200
    assert "This search took too long and was stopped" in text_of(response)
    data = api(client, "/api/search?q=leopard")
    assert data["incomplete"] is True


# --- markup stays text --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"/search?q=leopard&tag={quote(SCRIPT)}&author={quote(IMG)}",
        f"/search?q=leapord{quote(SCRIPT)}",
        f"/search?q={quote('leapord ' + IMG)}",
        f"/browse?tag={quote(SCRIPT)}&year={quote(IMG)}",
        f"/search?q={quote('Primorye ' + SCRIPT)}",
    ],
)
def test_query_and_filters_are_not_reflected_raw(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    body = text_of(response)
    assert response.status_code == 200
    assert SCRIPT not in body
    assert "<img src=x" not in body


def test_hostile_metadata_is_escaped_in_facets(
    client: FlaskClient, request: pytest.FixtureRequest
) -> None:
    hostile_id = request.getfixturevalue("hostile_paper")
    body = text_of(client.get("/search?q=quokka"))
    aside = re.search(r'<aside class="facets".*?</aside>', body, re.S)
    assert aside
    assert_escaped(aside.group(0))
    assert_escaped(text_of(client.get("/browse")))
    # The hostile tag works as a filter, and its link round-trips.
    (href,) = [h for label, h in facet_links(body).items() if "script" in label]
    assert hit_ids(text_of(client.get(href))) == [hostile_id]


def test_api_says_which_words_were_left_out_and_which_wildcards_were_not_searched(
    client: FlaskClient,
) -> None:
    question = api(client, "/api/search?q=" + quote("what is the diet of the snow leopard?"))
    assert question["total"] >= 1 and question["ignored"] == ["what", "is", "the", "of", "the"]
    assert question["expanded"] == []
    # Ten wildcards: the first eight are expanded, the last two are said not to be.
    flood = " OR ".join(f"{letter}*" for letter in "abcdefghij")
    found = api(client, "/api/search?q=" + quote(flood))
    assert found["total"] >= 1
    assert [e for e in found["expanded"] if e["searched"] == 0] == [
        {"pattern": "i*", "searched": 0},
        {"pattern": "j*", "searched": 0},
    ]
