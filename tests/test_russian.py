"""Russian words find papers, and search crosses English and Russian: queries as rangers and
students type them (single words, inflections, questions) find their paper among the English
demo papers, the Russian demo report (papers-ru/) and the real PDFs of ../shared/corpus;
English queries find the Russian report; the results page, the JSON and the snippets say which
translations were added, and the words as typed still rank first."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from indexer.cli.main import main
from indexer.describe.metadata_file import load_metadata
from indexer.engine.search import search
from indexer.engine.thesaurus import GLOSSARY_FILE, load, script, shipped_path
from indexer.home import ArchiveHome
from indexer.ingest.importer import ImportOptions, import_paths
from webui import create_app

from conftest import DEMO_PAPERS, REPO

RUSSIAN_PAPERS = REPO / "papers-ru"
RU = "leopard-camera-traps-report-ru.pdf"
LEOPARD = "amur-leopard-fact-sheet.pdf"
TIGER = "amur-tiger-fact-sheet.pdf"
SNOW = "snow-leopard-fact-sheet.pdf"
CAMERA = "camera-trapping-guide.pdf"
ZOO = "zoo-reintroduction-report.pdf"

OPTIONS = ImportOptions(metadata=load_metadata(DEMO_PAPERS / "metadata.csv"))


@pytest.fixture(scope="module")
def bilingual(_demo_home_template: Path, tmp_path_factory: pytest.TempPathFactory) -> ArchiveHome:
    """The English demo papers and the Russian report, as `make run` imports them."""
    root = tmp_path_factory.mktemp("russian") / "home"
    shutil.copytree(_demo_home_template, root)
    home = ArchiveHome.at(root)
    assert not import_paths(home, [RUSSIAN_PAPERS], jobs=1, options=OPTIONS).failed
    return home


@pytest.fixture(scope="module")
def with_corpus(corpus_import, tmp_path_factory: pytest.TempPathFactory) -> ArchiveHome:  # type: ignore[no-untyped-def]
    """The shared corpus with the demo papers of both languages added."""
    corpus, _ = corpus_import
    root = tmp_path_factory.mktemp("russian-corpus") / "home"
    shutil.copytree(corpus.root, root)
    home = ArchiveHome.at(root)
    report = import_paths(home, [DEMO_PAPERS, RUSSIAN_PAPERS], jobs=1, options=OPTIONS)
    assert not report.failed
    return home


def top_files(home: ArchiveHome, query: str, limit: int = 3) -> list[str]:
    results = search(home.index, query, limit=limit, thesaurus=home.thesaurus())
    return [hit.filename for hit in results.hits]


# Written as rangers and students type them; held out of the glossary's tuning: the second half.
RUSSIAN_QUERIES = [
    ("леопард", RU),
    ("леопарда", RU),
    ("леопардов", RU),
    ("леопарды", LEOPARD),
    ("барс", SNOW),
    ("ирбис", SNOW),
    ("снежный барс", SNOW),
    ("снежные барсы", SNOW),
    ("тигр", TIGER),
    ("тигры", TIGER),
    ("тигрица", TIGER),
    ("амурский тигр", TIGER),
    ("сколько амурских тигров осталось", TIGER),
    ("как защищают леопарда", LEOPARD),
    ("дальневосточный леопард фотоловушки", CAMERA),
    ("фотоловушка", CAMERA),
    ("как поставить фотоловушку на тропе", CAMERA),
    ("учёт леопардов", RU),
    ("учет тигров по следам на снегу", TIGER),
    # Both leopard fact sheets are about poaching (the snow leopard's abstract names it too).
    ("браконьерство", f"{LEOPARD}|{SNOW}"),
    ("браконьерские петли", RU),
    ("лесные пожары", LEOPARD),
    ("болезни леопардов", LEOPARD),
    ("чума плотоядных", RU),
    ("реинтродукция леопарда", ZOO),
    ("зоопарк", ZOO),
    ("разведение леопардов в зоопарках", ZOO),
    ("племенная книга", ZOO),
    ("котята леопарда", LEOPARD),
    ("чем питается амурский тигр", TIGER),
    ("добыча тигра", TIGER),
    ("местообитание снежного барса", SNOW),
    ("национальный парк Земля леопарда", LEOPARD),
    # A region: both big cats' fact sheets are set there (the tiger's abstract names
    # Primorsky Krai; the leopard's text, Primorye). Each scores for its best name of the
    # region, not for every name it uses.
    ("Приморье", f"{LEOPARD}|{TIGER}"),
    ("конфликт с пастухами снежный барс", SNOW),
    ("почему исчезает амурский леопард", LEOPARD),
    ("генетическое разнообразие леопарда", ZOO),
    ("как считают тигров", TIGER),
    ("где живёт снежный барс", SNOW),
    ("ошейник тигр", TIGER),
]


@pytest.mark.parametrize(("query", "paper"), RUSSIAN_QUERIES)
def test_russian_queries_find_their_paper(bilingual: ArchiveHome, query: str, paper: str) -> None:
    assert set(paper.split("|")) & set(top_files(bilingual, query))


@pytest.mark.parametrize(("query", "paper"), RUSSIAN_QUERIES)
def test_russian_queries_find_their_paper_among_the_corpus(
    with_corpus: ArchiveHome, query: str, paper: str
) -> None:
    assert set(paper.split("|")) & set(top_files(with_corpus, query))


def test_the_issue_queries(bilingual: ArchiveHome) -> None:
    for query in ("леопард", "леопарды", "тигр", "как защищают леопарда"):
        assert search(bilingual.index, query, thesaurus=bilingual.thesaurus()).total >= 3
    # The Russian report holds the words as typed and answers as well as any: it is the
    # camera-trap monitoring of the Far Eastern leopard ("Почему фотоловушки", "Как ставят
    # фотоловушку", the counts), so it comes first, its passage the first answer. The English
    # papers follow, found through translations with nothing missing, in the order the same
    # question asked in English gives them: the leopard fact sheet (its page on camera-trap
    # monitoring of the leopard) and the camera-trapping guide. The issue saw the guide third,
    # marked "missing: фотоловушки"; what it asked for is that the Russian words reach the
    # English papers as their English words do.
    results = search(
        bilingual.index, "дальневосточный леопард фотоловушки", thesaurus=bilingual.thesaurus()
    )
    english = search(
        bilingual.index, "far eastern leopard camera traps", thesaurus=bilingual.thesaurus()
    )
    assert not results.relaxed and all(not hit.missing for hit in results.hits)
    found = [hit.filename for hit in results.hits]
    assert found[0] == RU
    assert CAMERA in found[:3]
    in_english = [hit.filename for hit in english.hits if hit.filename != RU]
    assert found[1:3] == in_english[:2]
    answered = [answer.filename for answer in results.answers]
    assert answered[0] == RU
    assert (
        answered[1:]
        == [a.filename for a in english.answers if a.filename != RU][: len(answered) - 1]
    )


def test_translations_of_one_word_count_once(bilingual: ArchiveHome) -> None:
    # "фотоловушки" has two English translations the papers hold ("camera trap", "trail
    # camera"); a paper scores for the best one: the same as searching that one alone.
    both = search(bilingual.index, "фотоловушки", thesaurus=bilingual.thesaurus())
    alone = search(bilingual.index, '"camera trap"', thesaurus=bilingual.thesaurus())
    guide = next(hit for hit in both.hits if hit.filename == CAMERA)
    assert guide.score == pytest.approx(
        0.5 * next(hit.score for hit in alone.hits if hit.filename == CAMERA)
    )


def test_translations_no_paper_holds_are_not_added(demo_home: ArchiveHome) -> None:
    # The English demo archive holds no Russian text: an English query is searched as it
    # was before the glossary, without translations (they could find nothing), and a
    # glossary name none of whose translations are held is words of its own.
    results = search(demo_home.index, "population density", thesaurus=demo_home.thesaurus())
    assert results.translations == []
    assert results.synonyms == []
    # Where the Russian report is imported, its words are added.
    results = search(demo_home.index, "camera traps", thesaurus=demo_home.thesaurus())
    assert results.translations == []
    import_paths(demo_home, [RUSSIAN_PAPERS], jobs=1, options=OPTIONS)
    results = search(demo_home.index, "camera traps", thesaurus=demo_home.thesaurus())
    assert ("camera traps", ["фотоловушка", "фотоловушек"]) in results.translations


@pytest.mark.parametrize(
    "query",
    [
        "camera traps Land of the Leopard",
        "leopard poaching snares",
        "leopard fire",
        "cubs leopard camera trap",
        "Far Eastern leopard census",
    ],
)
def test_english_queries_find_the_russian_report_below_the_english_words(
    bilingual: ArchiveHome, query: str
) -> None:
    files = top_files(bilingual, query, limit=10)
    assert RU in files
    # Papers with the words as typed come before the one found through translations.
    english = [name for name in files if name != RU]
    assert english and files.index(RU) > files.index(english[0])


def test_the_words_as_typed_rank_first(bilingual: ArchiveHome) -> None:
    assert top_files(bilingual, "леопард")[0] == RU
    assert top_files(bilingual, "leopard")[0] != RU


def test_quoted_words_are_not_translated(bilingual: ArchiveHome) -> None:
    assert set(top_files(bilingual, '"леопард"', limit=10)) == {RU}


def test_glossary_reads_cleanly_and_pairs_the_languages() -> None:
    glossary = load(None)
    own = [c for c in glossary.concepts if c.glossary]
    assert glossary.problems == []
    assert len(own) >= 150
    for concept in own:
        scripts = {script(name) for name in concept.names}
        assert scripts == {"latin", "cyrillic"}, concept
    assert shipped_path(GLOSSARY_FILE).is_file()


def test_a_home_glossary_replaces_the_shipped_one(tmp_path: Path) -> None:
    home_file = tmp_path / "thesaurus.txt"
    (tmp_path / GLOSSARY_FILE).write_text("wombat = вомбат\n", encoding="utf-8")
    mine = load(home_file)
    assert mine.synonyms(["вомбата"]) == ["wombat"]
    assert mine.synonyms(["фотоловушка"]) == []


def test_results_page_lists_translations_and_offers_to_search_without(
    bilingual: ArchiveHome,
) -> None:
    client = create_app({"ARCHIVE_HOME": str(bilingual.root), "TESTING": True}).test_client()
    body = client.get(f"/search?q={quote('леопард фотоловушки')}").get_data(as_text=True)
    assert "Translations searched too" in body
    assert CAMERA in body or "Camera Trapping for Big Cats" in body
    # English words found through a translation are marked as such in the snippets.
    assert re.search(r'<mark class="translation">[Cc]amera</mark>', body)
    link = re.search(r'<a href="([^"]+)">Search without translations</a>', body)
    assert link
    without = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Translations searched too" not in without
    assert "Camera Trapping for Big Cats" not in without


def test_json_says_which_translations_were_added(bilingual: ArchiveHome) -> None:
    client = create_app({"ARCHIVE_HOME": str(bilingual.root), "TESTING": True}).test_client()
    data = client.get(f"/api/search?q={quote('браконьерство')}").get_json()
    assert {"typed": "браконьерство", "also": ["poaching"]} in data["translations"]
    result = CliRunner().invoke(
        main, ["--home", str(bilingual.root), "search", "poaching", "--json"]
    )
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    assert cli["results"]
    assert (
        "translations" not in cli
        or {"typed": "poaching", "also": ["браконьерство"]} in cli["translations"]
    )
