"""The conservation thesaurus: its file format, how it widens queries, the shipped names, and
staff editing their own copy in the archive home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from indexer.engine.search import search
from indexer.engine.thesaurus import SYNONYM_BOOST, Thesaurus, expand, load, shipped_path

from paper_index import build_index, paper

SHIPPED = load()


def test_shipped_thesaurus_reads_cleanly() -> None:
    assert SHIPPED.source == shipped_path()
    assert SHIPPED.problems == []
    assert len(SHIPPED) > 60


@pytest.mark.parametrize(
    ("typed", "also"),
    [
        ("Amur leopard", {"Far Eastern leopard", "Panthera pardus orientalis"}),
        ("Far Eastern leopard", {"Amur leopard", "Panthera pardus orientalis"}),
        ("Panthera pardus orientalis", {"Amur leopard", "Far Eastern leopard"}),
        ("Amur tiger", {"Siberian tiger", "Panthera tigris altaica"}),
        ("Siberian tigers", {"Amur tiger", "Panthera tigris altaica"}),
        ("snow leopard", {"Panthera uncia", "Uncia uncia"}),
        ("clouded leopard", {"Neofelis nebulosa"}),
        ("Eurasian lynx", {"Lynx lynx"}),
        ("Primorye", {"Primorsky Krai", "Primorskii Krai", "Primorskiy Krai"}),
        ("primorskii krai", {"Primorye", "Primorsky Krai"}),
        ("Land of the Leopard National Park", {"Kedrovaya Pad"}),
        ("Kedrovaya Pad", {"Land of the Leopard National Park"}),
        ("Sikhote-Alin", {"Sikhote Alin mountains"}),
        ("Khabarovsk Krai", {"Khabarovskii Krai"}),
        ("Jilin", {"Jilin Province"}),
        ("Heilongjiang", {"Heilongjiang Province"}),
        ("Hunchun", {"Hunchun City"}),
        ("Changbai Mountains", {"Changbaishan", "Changbai Shan"}),
    ],
)
def test_shipped_names(typed: str, also: set[str]) -> None:
    (added,) = expand(typed, SHIPPED).added
    assert added[0] == typed
    assert also <= set(added[1])


def test_format_comments_and_problems() -> None:
    thesaurus = Thesaurus.parse(
        "# a comment\n\nquokka = Setonix brachyurus  # the short-tailed scrub wallaby\n"
        "lonely name\n = = \n"
    )
    assert [c.names for c in thesaurus.concepts] == [["quokka", "Setonix brachyurus"]]
    assert [p.split(":")[0] for p in thesaurus.problems] == ["line 4", "line 5"]


def test_expansion_keeps_the_typed_words_first_and_boosts_the_others() -> None:
    thesaurus = Thesaurus.parse("Amur leopard = Panthera pardus orientalis\n")
    expansion = expand("amur leopards camera", thesaurus)
    assert expansion.text == (
        f'((amur leopards) OR "Panthera pardus orientalis"^{SYNONYM_BOOST}) camera'
    )


@pytest.mark.parametrize(
    "query",
    ['"amur leopard"', "title:amur leopard", "-primorye tiger", "amur* leopard", "leopard amur"],
)
def test_quoted_fielded_excluded_and_wildcard_words_are_exact(query: str) -> None:
    thesaurus = Thesaurus.parse("Amur leopard = Far Eastern leopard\nPrimorye = Primorsky Krai\n")
    assert expand(query, thesaurus).added == []


@pytest.fixture
def index(tmp_path: Path):  # type: ignore[no-untyped-def]
    return build_index(
        tmp_path / "index",
        [
            paper("Census of 2015", ["The Amur leopard census of 2015 in Primorye."]),
            paper("A cat of the forest", ["Panthera pardus orientalis was photographed."]),
            paper("Tiger diet", ["Tigers in Primorsky Krai eat wild boar."]),
            paper("Leopards in Africa", ["African leopards are widespread."]),
        ],
    )


def test_a_synonym_finds_papers_ranked_below_the_words_typed(index) -> None:  # type: ignore[no-untyped-def]
    titles = [hit.title for hit in search(index, "Amur leopard").hits]
    assert titles == ["Census of 2015", "A cat of the forest"]
    titles = [hit.title for hit in search(index, "Panthera pardus orientalis").hits]
    assert titles == ["A cat of the forest", "Census of 2015"]
    titles = [hit.title for hit in search(index, "Primorsky Krai").hits]
    assert titles == ["Tiger diet", "Census of 2015"]


def test_synonym_pages_and_snippets(index) -> None:  # type: ignore[no-untyped-def]
    hit = search(index, "Far Eastern leopard").hits[0]
    assert hit.title == "A cat of the forest"
    assert hit.pages == [1]
    assert "<mark>Panthera</mark> <mark>pardus</mark> <mark>orientalis</mark>" in (
        hit.snippets[0].html
    )


def test_quotes_search_only_the_words_typed(index) -> None:  # type: ignore[no-untyped-def]
    assert [hit.title for hit in search(index, '"Amur leopard"').hits] == ["Census of 2015"]


def test_home_file_replaces_the_shipped_one_and_edits_apply(tmp_path: Path) -> None:
    home_file = tmp_path / "thesaurus.txt"
    assert load(home_file) == SHIPPED  # no home file: the shipped one
    home_file.write_text("quokka = Setonix brachyurus\n", encoding="utf-8")
    mine = load(home_file)
    assert mine.source == home_file
    assert expand("Kedrovaya Pad", mine).added == []  # replaced, not merged
    assert expand("quokka", mine).added == [("quokka", ["Setonix brachyurus"])]
    home_file.write_text("quokka = Setonix brachyurus = short-tailed scrub wallaby\n")
    # Same second, different size: still seen as changed.
    stat = home_file.stat()
    os.utime(home_file, ns=(stat.st_atime_ns, mine_mtime := stat.st_mtime_ns))
    assert mine_mtime
    assert expand("quokka", load(home_file)).added[0][1][-1] == "short tailed scrub wallaby"


def test_unreadable_home_file_falls_back_to_the_shipped_one(tmp_path: Path) -> None:
    home_file = tmp_path / "thesaurus.txt"
    home_file.write_bytes(b"\xff\xfe\x00 not utf-8 \xc3")
    assert load(home_file) == SHIPPED
