"""The search engine itself, over a small index built in memory: the query language and its
failure modes, text analysis (hyphens, scripts), the time limit, facets and did-you-mean."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from whoosh.matching import Matcher, WrappingMatcher
from whoosh.query import Phrase

import indexer.engine.query_language
import indexer.engine.ranking
import indexer.engine.search
from indexer.analysis import text_analyzer
from indexer.engine.facets import Filters, year_range
from indexer.engine.search import QueryError, browse, search
from indexer.engine.suggestions import edit_distance
from indexer.engine.thesaurus import Thesaurus
from indexer.index import SearchIndex, index_papers

from paper_index import build_index, paper

PAPERS = [
    paper(
        "Hands-free camera traps for tigers",
        [
            "A well-known problem of camera traps is theft.",
            "We built a hands-free trigger with a fifth-order filter.",
        ],
        year=2012,
        authors=["Anna Petrova"],
        tags=["camera traps", "Amur tiger"],
        doi="10.1000/Tiger.42",
    ),
    paper(
        "COVID-19 and field work",
        ["Fieldwork stopped during COVID-19 in 2020.", "Leopards were seen near villages."],
        year=2021,
        authors=["Yuri Kuznetsov", "Anna Petrova"],
        tags=["fieldwork"],
    ),
    paper(
        "Учёт леопардов",
        ["Дальневосточный леопард живёт в Приморье. Учёт леопардов по следам."],
        year=2015,
        authors=["Иван Петров"],
        tags=["леопард"],
    ),
    paper(
        "Arabian leopard notes",
        ["النمر العربي مهدد بالانقراض في شبه الجزيرة العربية"],
        year=2008,
        tags=["Arabian leopard"],
    ),
    paper(
        "Korean survey",
        ["서울특별시 할인점에서 조사를 실시하였다"],
        year=2019,
        tags=["camera traps"],
    ),
    paper(
        "Leopard conservation in the Caucasus",
        ["Conservation of leopards needs connected habitat.", "Leopard leopards leopard."],
        year=2019,
        authors=["anna petrova"],
        tags=["Camera Traps", "Persian leopard"],
    ),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    return build_index(tmp_path_factory.mktemp("search") / "index", PAPERS)


def titles(index: SearchIndex, query: str, **kwargs: object) -> list[str]:
    return [hit.title for hit in search(index, query, limit=50, **kwargs).hits]  # type: ignore[arg-type]


# --- text analysis ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("hands-free", "Hands-free camera traps for tigers"),
        ("hands free", "Hands-free camera traps for tigers"),
        ("handsfree", "Hands-free camera traps for tigers"),
        ("well-known", "Hands-free camera traps for tigers"),
        ('"well known"', "Hands-free camera traps for tigers"),
        ("wellknown", "Hands-free camera traps for tigers"),
        ("fifth-order", "Hands-free camera traps for tigers"),
        ("fifthorder", "Hands-free camera traps for tigers"),
        ("COVID-19", "COVID-19 and field work"),
        ("covid19", "COVID-19 and field work"),
        ("covid 19", "COVID-19 and field work"),
        # Quoted: the words as typed, without their English translations (test_russian.py).
        ('"леопард"', "Учёт леопардов"),
        ('"леопарда"', "Учёт леопардов"),
        ("учет", "Учёт леопардов"),  # the diaeresis folded away
        ("العربية", "Arabian leopard notes"),
        ("النمر", "Arabian leopard notes"),
        ("할인점", "Korean survey"),  # inside the run 할인점에서, written without spaces
        ("특별시", "Korean survey"),
    ],
)
def test_words_are_found_however_written(index: SearchIndex, query: str, title: str) -> None:
    assert titles(index, query) == [title]


def test_hyphen_parts_do_not_match_out_of_order(index: SearchIndex) -> None:
    """ "COVID-19" is the phrase covid 19, not both anywhere: "19 covid" as a phrase fails."""
    assert titles(index, '"19 covid"') == []


def test_snippet_highlights_a_hyphenated_word_typed_joined(index: SearchIndex) -> None:
    (hit,) = search(index, "wellknown").hits
    assert hit.pages == [1]
    assert "<mark>well-known</mark>" in hit.snippets[0].html


def test_korean_snippet_marks_the_bigrams_on_their_page(index: SearchIndex) -> None:
    (hit,) = search(index, "할인점").hits
    assert "<mark>" in hit.snippets[0].html
    assert "할인점" in hit.snippets[0].html.replace("<mark>", "").replace("</mark>", "")


def test_analyzer_positions_keep_phrases_and_offsets() -> None:
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in text_analyzer()("well-known art", positions=True, chars=True, mode="index")
    ]
    assert tokens == [
        ("wellknown", 0, 0, 10),
        ("well", 0, 0, 4),
        ("known", 1, 5, 10),
        ("art", 2, 11, 14),
    ]


# --- the query language -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year:2012", {"Hands-free camera traps for tigers"}),
        ("year:2010s", {"Hands-free camera traps for tigers", "Учёт леопардов", "Korean survey",
                        "Leopard conservation in the Caucasus"}),
        ("year:2019-2021", {"COVID-19 and field work", "Korean survey",
                            "Leopard conservation in the Caucasus"}),
        ("leopard year:2000-2009", {"Arabian leopard notes"}),
        ("tag:fieldwork", {"COVID-19 and field work"}),
        ('tag:"camera traps"', {"Hands-free camera traps for tigers", "Korean survey",
                                "Leopard conservation in the Caucasus"}),
        ("doi:10.1000/tiger.42", {"Hands-free camera traps for tigers"}),
        ("doi:https://doi.org/10.1000/TIGER.42", {"Hands-free camera traps for tigers"}),
        ("camera -doi:10.1000/tiger.42", {"Korean survey", "Leopard conservation in the Caucasus"}),
        ("author:petrova title:leopard", {"Leopard conservation in the Caucasus"}),
        ("leop*", {"COVID-19 and field work", "Leopard conservation in the Caucasus",
                   "Arabian leopard notes"}),
        # Wildcards match whole words, then search their stems: leopards* finds "leopard".
        ("Leopards*", {"COVID-19 and field work", "Leopard conservation in the Caucasus",
                       "Arabian leopard notes"}),
        ("conservation*", {"Leopard conservation in the Caucasus"}),
        ("*leopard", {"COVID-19 and field work", "Leopard conservation in the Caucasus",
                      "Arabian leopard notes"}),
        ("theft OR villages", {"Hands-free camera traps for tigers", "COVID-19 and field work"}),
    ],
)  # fmt: skip
def test_query_language(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert set(titles(index, query, thesaurus=Thesaurus())) == expected


@pytest.mark.parametrize(
    "query",
    ["((", '"unclosed', "year:abc", "title:", "kind:page", "*", "?", "AND", "year:[", "leop**",
     "doi:", "tag:(", "a" * 300 + "*", "[2010 TO", "^2", "~", "\\"],
)  # fmt: skip
def test_odd_syntax_is_searched_or_refused_politely(index: SearchIndex, query: str) -> None:
    """Anything typed gives results or a QueryError with advice, never another exception."""
    try:
        search(index, query)
    except QueryError as error:
        assert "search" in str(error).lower()


def test_malformed_syntax_falls_back_to_the_words(index: SearchIndex) -> None:
    assert titles(index, "(theft") == ["Hands-free camera traps for tigers"]
    assert titles(index, "year:abc theft") == ["Hands-free camera traps for tigers"]


def test_wildcards_stand_for_a_bounded_number_of_words(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexer.engine.query_language, "MAX_EXPANSIONS", 2)
    results = search(index, "c*")
    assert results.capped == [("c", 2)]
    assert results.total > 0
    assert search(index, "camera lee*").total == 0  # a wildcard matching nothing is no joker
    monkeypatch.setattr(indexer.engine.query_language, "MAX_SCANNED", 1)
    scanned_one = search(index, "c*")  # scanning stops at the first word: no error
    assert scanned_one.capped == []
    assert scanned_one.total >= 1


# --- the time limit -----------------------------------------------------------------------------


class _SlowMatcher(WrappingMatcher):
    """A matcher that takes 50 ms to move to each next document."""

    def _replacement(self, newchild: Matcher) -> Matcher:
        return _SlowMatcher(newchild)

    def next(self) -> None:
        time.sleep(0.05)
        self.child.next()


def test_slow_search_is_cut_off_with_what_it_found(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A search that outlasts the limit stops, says it is incomplete and keeps its partial
    results (here: sloppy phrases, which Whoosh's matchers find, take 50 ms per matching
    document in a 0.12 s budget; three papers have "camera traps")."""
    complete = search(index, '"camera traps"~2')
    assert not complete.incomplete
    assert complete.total == 3
    slow = Phrase.matcher
    monkeypatch.setattr(
        Phrase, "matcher", lambda self, *args, **kwargs: _SlowMatcher(slow(self, *args, **kwargs))
    )
    monkeypatch.setattr(indexer.engine.ranking, "_CLOCK_EVERY", 1)
    results = search(index, '"camera traps"~2', time_limit=0.12)
    assert results.incomplete
    assert 0 < results.total < 3


def test_an_exhausted_budget_returns_quickly(index: SearchIndex) -> None:
    results = search(index, "leopard", time_limit=0)
    assert results.incomplete
    assert results.total == 0


# --- facets and filters -------------------------------------------------------------------------


def test_facets_count_all_matching_papers(index: SearchIndex) -> None:
    results = search(index, "camera", facets=True, limit=1)
    assert results.total == 3
    facets = results.facets
    assert facets is not None
    assert {v.label: v.count for v in facets.decades} == {"2010s": 3}
    assert {v.label: v.count for v in facets.years} == {"2012": 1, "2019": 2}
    # "Anna Petrova" and "anna petrova" are one author; "camera traps" one tag.
    assert {v.label: v.count for v in facets.authors} == {"Anna Petrova": 2}
    assert {v.label.casefold(): v.count for v in facets.tags}["camera traps"] == 3


def test_filters_narrow_without_changing_scores(index: SearchIndex) -> None:
    everything = {h.title: h.score for h in search(index, "leopard", limit=50).hits}
    narrowed = search(index, "leopard", filters=Filters.build(year="2019"), facets=True)
    assert [h.title for h in narrowed.hits] == ["Leopard conservation in the Caucasus"]
    assert narrowed.hits[0].score == everything["Leopard conservation in the Caucasus"]
    assert narrowed.facets and [v.selected for v in narrowed.facets.years] == [True]
    by_tag = search(index, "camera", filters=Filters.build(tags=["CAMERA TRAPS"]))
    assert by_tag.total == 3
    both = Filters.build(authors=["Anna Petrova"], tags=["camera traps"], year="2010-2013")
    assert titles(index, "camera", filters=both) == ["Hands-free camera traps for tigers"]


def test_filters_with_paging(index: SearchIndex) -> None:
    filters = Filters.build(tags=["camera traps"])
    pages = [search(index, "camera", filters=filters, limit=2, page=n) for n in (1, 2)]
    assert [r.total for r in pages] == [3, 3]
    listed = [h.title for r in pages for h in r.hits]
    assert len(listed) == len(set(listed)) == 3


def test_browse_lists_every_paper_newest_first(index: SearchIndex) -> None:
    results = browse(index, limit=50)
    assert results.total == len(PAPERS)
    years = [hit.year for hit in results.hits]
    assert years == sorted(years, reverse=True)
    assert results.facets and sum(v.count for v in results.facets.decades) == len(PAPERS)
    narrowed = browse(index, filters=Filters.build(year="2000s"))
    assert [h.title for h in narrowed.hits] == ["Arabian leopard notes"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2018", (2018, 2018)), ("2010s", (2010, 2019)), ("2018-2010", (2010, 2018))],
)
def test_year_filter_forms(value: str, expected: tuple[int, int]) -> None:
    assert year_range(value) == expected


@pytest.mark.parametrize("value", ["20x", "18", "2010-", "<script>"])
def test_bad_year_filters(value: str) -> None:
    with pytest.raises(ValueError, match="A year filter is"):
        Filters.build(year=value)
    assert not Filters.build(year=value, strict=False)


def test_toggling_a_filter_adds_then_removes_it() -> None:
    filters = Filters().toggled("tag", "camera traps").toggled("year", "2019")
    assert filters.params() == [("year", "2019"), ("tag", "camera traps")]
    assert filters.toggled("tag", "Camera Traps").params() == [("year", "2019")]
    assert filters.toggled("year", "2019").params() == [("tag", "camera traps")]


# --- did you mean -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "suggestion"),
    [
        ("leapord", "leopard"),
        ("conservaton", "conservation"),
        ("camera thieft", "camera theft"),
        ('leapord "camera"', 'leopard "camera"'),
    ],
)
def test_did_you_mean(index: SearchIndex, query: str, suggestion: str) -> None:
    assert search(index, query).suggestion == suggestion


@pytest.mark.parametrize("query", ["leopard", "the camera", "title:leapord", '"leapord"', "zzzzqx"])
def test_no_suggestion_for_known_or_exact_words(index: SearchIndex, query: str) -> None:
    assert search(index, query).suggestion is None


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert edit_distance("leopard", "leopard") == 0
    assert edit_distance("leoprad", "leopard") == 1
    assert edit_distance("leapord", "leopard") == 2


def test_schema_version_change_rebuilds(tmp_path: Path) -> None:
    """An index written by an older schema is not used (it is rebuilt at start)."""
    index = build_index(tmp_path / "index", PAPERS[:1])
    assert index.is_usable()
    (index.path / "archive-schema-version").write_text("2\n")
    assert not SearchIndex(index.path).is_usable()


def test_facets_over_segments_without_names(tmp_path: Path) -> None:
    """A segment whose papers have no authors or tags (a batch of an import) still facets."""
    index = build_index(tmp_path / "index", [paper("No names", ["leopard"], year=2001)])
    index_papers(index, [paper("Named", ["leopard"], authors=["A. Author"], tags=["t"])])
    index_papers(index, [paper("Plain again", ["leopard"])])
    results = search(index, "leopard", facets=True)
    assert results.total == 3
    assert results.facets is not None
    assert [(v.label, v.count) for v in results.facets.authors] == [("A. Author", 1)]
    assert [(v.label, v.count) for v in results.facets.years] == [("2001", 1)]


def test_the_reused_searcher_sees_additions_and_deletions(tmp_path: Path) -> None:
    index = build_index(tmp_path / "index", [paper("First", ["okapi survey"])])
    assert titles(index, "okapi") == ["First"]  # the thread's searcher is now cached
    index_papers(index, [paper("Second", ["okapi census"])])
    assert sorted(titles(index, "okapi")) == ["First", "Second"]
    index.remove(paper("First", [])[0].id)
    assert titles(index, "okapi") == ["Second"]
