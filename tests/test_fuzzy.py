"""Fuzzy words in the query language: ``leopord~`` (one edit) and ``leapord~2`` (two), bounded
like wildcards, and odd uses of ``~`` that must be searched or refused politely, never fail."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from web_pages import hit_ids, result_count, text_of

import indexer.engine.query_language
from indexer.cli.main import main
from indexer.engine.query_language import NOTHING_TO_SEARCH
from indexer.engine.search import QueryError, search
from indexer.engine.suggestions import edit_distance
from indexer.engine.thesaurus import Thesaurus
from indexer.home import ArchiveHome
from indexer.index import SearchIndex

from conftest import paper_id_of
from paper_index import build_index, paper

LEOPARD = "Leopards of the Caucasus"
TIGER = "Tiger census"
FOREST = "Forest notes"
CAT = "A cat in the archive"
COT_1 = "Sleeping quarters"
COT_2 = "Field camp equipment"

PAPERS = [
    paper(
        LEOPARD,
        ["The leopard lives in forests.", "A well-known problem of camera traps is theft."],
        authors=["Anna Petrova"],
    ),
    paper(TIGER, ["Tigers were counted along transects."]),
    paper(FOREST, ["A tiger was seen once near the river."]),
    # "cat" is in one paper, "cot" and "cut" (one edit from it) in two: commoner words.
    paper(CAT, ["One cat only."]),
    paper(COT_1, ["A cot, a cut rope."]),
    paper(COT_2, ["Every cot had a cut tent peg."]),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return build_index(tmp_path_factory.mktemp("fuzzy") / "index", PAPERS)


def titles(index: SearchIndex, query: str) -> set[str]:
    return {hit.title for hit in search(index, query, limit=50, thesaurus=Thesaurus()).hits}


# --- what fuzzy words find ----------------------------------------------------------------------


def test_one_edit_finds_the_word(index: SearchIndex) -> None:
    assert titles(index, "leopard") == {LEOPARD}
    assert titles(index, "leopord") == set()  # the misspelling alone finds nothing
    assert titles(index, "leopord~") == {LEOPARD}  # a letter changed
    assert titles(index, "Leopad~") == {LEOPARD}  # a letter missing; capitals do not matter
    assert titles(index, "leoaprd~") == {LEOPARD}  # two letters swapped count as one edit


def test_two_edits_need_tilde_two(index: SearchIndex) -> None:
    assert edit_distance("leapord", "leopard") == 2
    assert titles(index, "leapord~") == set()
    assert titles(index, "leapord~2") == {LEOPARD}


def test_distance_is_capped_at_two(index: SearchIndex) -> None:
    assert edit_distance("lxapord", "leopard") == 3
    assert titles(index, "lxapord~5") == set()  # read as lxapord~2
    # Whoosh alone reads "~12" as "~1" followed by the word "2", which no paper has.
    assert titles(index, "leapord~12") == {LEOPARD}


def test_a_fuzzy_word_is_matched_as_a_whole_word_then_stemmed(index: SearchIndex) -> None:
    """ "tigre~" is one swap from "tiger", whose stem also finds "Tigers"."""
    hits = {hit.title: hit for hit in search(index, "tigre~", limit=50).hits}
    assert set(hits) == {TIGER, FOREST}
    assert "<mark>Tigers</mark>" in hits[TIGER].snippets[0].html


def test_fuzzy_in_a_field(index: SearchIndex) -> None:
    assert titles(index, "title:tigre~") == {TIGER}  # "Forest notes" says tiger in its text only
    assert titles(index, "author:petrvoa~") == {LEOPARD}
    assert titles(index, "tigre~ -title:tigre~") == {FOREST}


def test_a_fuzzy_word_matching_nothing_is_no_joker(index: SearchIndex) -> None:
    assert titles(index, "camera") == {LEOPARD}
    assert titles(index, "camera zqxwv~2") == set()


def test_short_words_are_not_fuzzy(index: SearchIndex) -> None:
    """Two letters within one edit would be most short words: "ca~" is just "ca"."""
    assert titles(index, "ca~") == titles(index, "ca") == set()  # not "cat", one edit away
    assert titles(index, "cat~") == {CAT, COT_1, COT_2}


# --- bounded cost -------------------------------------------------------------------------------


def test_fuzzy_words_stand_for_a_bounded_number_of_words(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer.engine.query_language, "MAX_EXPANSIONS", 2)
    results = search(index, "cat~", limit=50)
    assert results.capped == [("cat~", 2)]
    assert results.total >= 1
    assert search(index, "cat~2").capped == [("cat~2", 2)]
    # The closest words are kept first: "cat" itself, although "cot" and "cut" are commoner.
    monkeypatch.setattr(indexer.engine.query_language, "MAX_EXPANSIONS", 1)
    assert titles(index, "cat~") == {CAT}


def test_fuzzy_words_look_at_a_bounded_number_of_words(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert titles(index, "tigre~") == {TIGER, FOREST}
    # Only the first word starting with "t" ("the") is compared: tiger is never reached.
    monkeypatch.setattr(indexer.engine.query_language, "MAX_SCANNED", 1)
    assert titles(index, "tigre~") == set()


# --- odd uses of "~" ----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["~", '"~"', "~~~", " ~ ~ "])
def test_a_lone_tilde_is_nothing_to_search(index: SearchIndex, query: str) -> None:
    with pytest.raises(QueryError) as error:
        search(index, query)
    assert str(error.value) == NOTHING_TO_SEARCH


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("~2", set()),  # the number 2, as a word
        ("leopard~x", {LEOPARD}),  # a "~" glued to letters is no fuzziness: the word is read
        ("leopard~abc", set()),  # as "leopard abc": no paper has both
        ("leopard~/", {LEOPARD}),
        ("leopard ~", {LEOPARD}),
        ("leopard~~", {LEOPARD}),
        ("leop*~", set()),
        ("(leopard)~", {LEOPARD}),
        ('"camera theft"', set()),
        ('"camera theft"~3', {LEOPARD}),  # after a phrase: the words up to 3 apart
        ('"camera theft"~x', set()),
    ],
)
def test_odd_tildes_are_searched(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert titles(index, query) == expected


# --- the web and the command line ---------------------------------------------------------------


def test_web_search_with_a_fuzzy_word(client: FlaskClient, demo_home: ArchiveHome) -> None:
    leopard = paper_id_of(demo_home, "amur-leopard-fact-sheet.pdf")
    assert result_count(text_of(client.get("/search?q=kedrovya"))) == 0
    response = client.get("/search?q=kedrovya~")
    assert response.status_code == 200
    assert hit_ids(text_of(response)) == [leopard]


def test_the_help_page_examples_find_what_it_says(client: FlaskClient) -> None:
    help_page = text_of(client.get("/help"))
    leopards = set(hit_ids(text_of(client.get("/search?q=leopard"))))
    assert len(leopards) >= 2
    for example in ("leopord~", "leapord~2"):
        assert f"<code>{example}</code> finds <em>leopard</em>" in help_page
        assert set(hit_ids(text_of(client.get(f"/search?q={example}")))) == leopards


@pytest.mark.parametrize(
    "query", ["~", "leopard~x", '"~"', "~~~", "leopard~9", '"amur leopard"~2', "title:~"]
)
def test_web_search_never_fails_on_a_tilde(client: FlaskClient, query: str) -> None:
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    body = text_of(response)
    assert result_count(body) is not None or "nothing to search for" in body
    assert client.get("/api/search", query_string={"q": query}).status_code < 500


def test_cli_search_with_a_fuzzy_word(demo_home: ArchiveHome) -> None:
    runner = CliRunner()
    home = ["--home", str(demo_home.root)]
    result = runner.invoke(main, [*home, "search", "kedrovya~", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["filename"] for r in data["results"]] == ["amur-leopard-fact-sheet.pdf"]
    result = runner.invoke(main, [*home, "search", "~"])
    assert result.exit_code == 1
    assert "nothing to search for" in result.output
    assert "Traceback" not in result.output
