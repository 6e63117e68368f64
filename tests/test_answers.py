"""Answers from the papers: the passage and page that answer a student's question, first.

The reports of tests/answer_set.py (multi-page PDFs made with fpdf2, facts on particular pages,
neighbouring subjects, a long handbook of common words) are imported together with the real
PDFs of ../shared/corpus as distractors. Each question of the set, tuned-on and held-out parts
alike, is searched as the web and the command line search it; the answer passage must be first
in ``answers`` for the share of the set the README states (``make bench-answers`` prints the
figures), and every other property of the answers is checked question by question.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest
from answer_set import (
    LEOPARD,
    QUESTIONS,
    SAIGA,
    TIGER,
    VULTURE,
    Question,
    held_out,
    tuning,
    write_reports,
)
from click.testing import CliRunner
from flask.testing import FlaskClient
from pypdf import PdfReader

from indexer.cli.main import main
from indexer.describe.metadata_file import load_metadata
from indexer.engine import passages
from indexer.engine.glossary import load as load_glossary
from indexer.engine.passages import ANSWERS, page_passage, query_units
from indexer.engine.pasted_text import is_pasted
from indexer.engine.pasted_text import reduce as reduce_pasted
from indexer.engine.query_language import parse
from indexer.engine.search import search
from indexer.engine.snippets import index_terms, occurrences
from indexer.home import ArchiveHome
from indexer.ingest.importer import ImportOptions, import_paths
from webui import create_app

from conftest import CORPUS, DEMO_PAPERS

_TAGS = re.compile(r"<[^>]+>")
ISSUE_QUESTION = QUESTIONS[0].text
EMAIL = QUESTIONS[9].text
# What the ranking reaches on each part of the set (README, `make bench-answers`): a change
# that loses answers fails here. The first two held-out batches were tuned on in the third
# round; the third batch never was.
TUNED_AT_1 = 0.9
SEEN_AT_1 = 0.75
HELD_OUT_AT_1 = 0.6


def plain(html: str) -> str:
    text = _TAGS.sub("", html).replace("&#39;", "'").replace("&amp;", "&")
    return " ".join(text.lower().split())


def right(question: Question, answer: object) -> bool:
    return (
        answer.filename == question.filename  # type: ignore[attr-defined]
        and answer.page == question.page  # type: ignore[attr-defined]
        and question.passage.lower() in plain(answer.html)  # type: ignore[attr-defined]
    )


@pytest.fixture(scope="module")
def reports_home(
    corpus_import: tuple[ArchiveHome, object], tmp_path_factory: pytest.TempPathFactory
) -> ArchiveHome:
    """The shared corpus and the answer set's reports in one home (read-only here)."""
    source, _ = corpus_import
    root = tmp_path_factory.mktemp("answers") / "home"
    shutil.copytree(source.root, root)
    home = ArchiveHome.at(root)
    report = import_paths(home, write_reports(root.parent / "reports"))
    assert not report.failed
    return home


def ask(home: ArchiveHome, text: str, **options: object):  # type: ignore[no-untyped-def]
    return search(home.index, text, thesaurus=home.thesaurus(), **options)  # type: ignore[arg-type]


# --- the question set ----------------------------------------------------------------------------


def test_the_set_is_written_as_students_write() -> None:
    assert len(QUESTIONS) >= 40
    assert len(held_out()) >= 10
    assert sum(is_pasted(question.text) for question in QUESTIONS) >= 3
    assert any(len(question.text.split()) >= 15 for question in QUESTIONS)


@pytest.mark.parametrize(
    ("name", "part", "floor"),
    [
        ("tuned", tuning, TUNED_AT_1),
        ("held-out 1-2", lambda: held_out(1) + held_out(2), SEEN_AT_1),
        ("held-out 3", lambda: held_out(3), HELD_OUT_AT_1),
    ],
)
def test_answers_come_first_for_most_questions(
    reports_home: ArchiveHome, name: str, part: object, floor: float
) -> None:
    questions = part()  # type: ignore[operator]
    first = [
        q.text[:60]
        for q in questions
        if not (a := ask(reports_home, q.text).answers) or not right(q, a[0])
    ]
    assert 1 - len(first) / len(questions) >= floor, f"{name} misses: {first}"


def test_the_issue_question_gets_the_rangers_paragraph(reports_home: ArchiveHome) -> None:
    results = ask(reports_home, ISSUE_QUESTION)
    answer = results.answers[0]
    assert answer.filename == LEOPARD and answer.page == 3
    assert "ranger teams patrol the national park" in plain(answer.html)
    # The long handbook of common words ("wild", "survival", "work") is no answer.
    assert all(a.filename != "field-handbook-general.pdf" for a in results.answers[:1])
    # The report's result leads with the same page and its passage.
    hit = next(hit for hit in results.hits if hit.filename == LEOPARD)
    assert hit.pages[0] == 3 and hit.snippets[0].page == 3
    assert "patrol" in plain(hit.snippets[0].html)


def test_an_answer_is_a_passage_with_only_its_matched_words_marked(
    reports_home: ArchiveHome,
) -> None:
    results = ask(reports_home, "what diseases do amur tigers get")
    answer = results.answers[0]
    assert answer.filename == TIGER and answer.page == 5
    words = len(plain(answer.html).split())
    assert 50 <= words <= 125
    marked = {word.lower() for word in re.findall(r"<mark>(.*?)</mark>", answer.html)}
    # "disease" as typed, "virus" and "distemper" from the glossary; "tigers" alone is a part
    # of the name "Amur tigers", which this page does not hold whole: not marked.
    assert "disease" in marked and "virus" in marked
    assert "tigers" not in marked and "amur" not in marked


def test_a_name_is_marked_where_it_stands_whole(reports_home: ArchiveHome) -> None:
    answer = ask(reports_home, "what do Amur tigers eat?").answers[0]
    assert answer.filename == TIGER and answer.page == 4
    assert "<mark>Amur</mark> <mark>tigers</mark>" in answer.html


def test_answers_are_one_a_paper_best_first(reports_home: ArchiveHome) -> None:
    for question in QUESTIONS[:12]:
        answers = ask(reports_home, question.text).answers
        assert len(answers) <= ANSWERS
        assert len({a.id for a in answers}) == len(answers)
        assert [a.score for a in answers] == sorted((a.score for a in answers), reverse=True)


@pytest.mark.parametrize(
    "query",
    ["saiga", "leopards", '"saiga antelope"', "title:saiga", "saiga OR vulture", "year:2018"],
)
def test_no_answers_for_one_word_or_syntax_only(reports_home: ArchiveHome, query: str) -> None:
    results = ask(reports_home, query)
    assert results.total >= 1
    assert results.answers == []
    assert results.to_json()["answers"] == []


def test_answers_keep_to_the_filters_and_exclusions(reports_home: ArchiveHome) -> None:
    from indexer.engine.facets import Filters

    results = ask(
        reports_home, "why did vultures in India die?", filters=Filters.build(year="2018")
    )
    assert all(a.filename != VULTURE for a in results.answers)
    results = ask(reports_home, "why did the saiga die in 2015? -septicaemia")
    assert all(a.filename != SAIGA for a in results.answers)


def passage_of(home: ArchiveHome, question: str, text: str) -> tuple[float, str]:
    """The score and HTML of the best passage of ``text`` for ``question``, as a search over
    ``home`` reads it (its thesaurus, the glossary)."""
    with home.index.searcher() as searcher:
        thesaurus = home.thesaurus()
        units = query_units(
            home.index.view(searcher),
            parse(searcher, question, thesaurus),
            load_glossary().related,
            thesaurus,
        )
        assert units is not None
        found = page_passage(text, units)
    assert found is not None
    return found[0], found[1]


def test_a_word_inside_another_name_is_another_thing(reports_home: ArchiveHome) -> None:
    question = "where do leopards hunt at night"
    plain_score, plain_html = passage_of(
        reports_home, question, "Leopards hunt at night in the forest."
    )
    other_score, other_html = passage_of(
        reports_home, question, "Snow leopards hunt at night in the mountains."
    )
    assert "<mark>Leopards</mark>" in plain_html
    # "leopards" of "snow leopards" is not marked and counts less.
    assert "<mark>leopards</mark>" not in other_html and other_score < plain_score


def test_an_irregular_plural_is_the_word_typed(reports_home: ArchiveHome) -> None:
    score, html = passage_of(
        reports_home, "wolf packs in Germany", "Wolves live in packs in Germany."
    )
    assert "<mark>Wolves</mark>" in html
    without, _ = passage_of(reports_home, "wolf packs in Germany", "Dogs live in packs in Germany.")
    assert score > without


def test_a_question_for_a_number_prefers_a_passage_holding_one(
    reports_home: ArchiveHome,
) -> None:
    question = "how many packs are in Germany"
    with_number, _ = passage_of(reports_home, question, "By 2020 Germany held 128 packs.")
    without, _ = passage_of(reports_home, question, "By then Germany held several packs.")
    assert with_number > without
    # A question not asking for a number: the number adds nothing.
    asked, _ = passage_of(reports_home, "packs in Germany", "By 2020 Germany held 128 packs.")
    not_asked, _ = passage_of(reports_home, "packs in Germany", "By then Germany held packs.")
    assert asked == pytest.approx(not_asked)


def test_a_year_answers_a_date_never_a_count(reports_home: ArchiveHome) -> None:
    dated = "In 2019 the cameras were set on the ridges."
    counted = "Then 240 cameras were set on the ridges."
    neither = "That year the cameras were set on the ridges."
    # "how many": a year adds nothing, a count does.
    how_many = "how many cameras were set on the ridges"
    assert passage_of(reports_home, how_many, dated)[0] == pytest.approx(
        passage_of(reports_home, how_many, neither)[0]
    )
    assert (
        passage_of(reports_home, how_many, counted)[0]
        > passage_of(reports_home, how_many, neither)[0]
    )
    # "when": a year answers, a count does not.
    when = "when were the cameras set on the ridges"
    assert passage_of(reports_home, when, dated)[0] > passage_of(reports_home, when, neither)[0]
    assert passage_of(reports_home, when, counted)[0] == pytest.approx(
        passage_of(reports_home, when, neither)[0]
    )


def test_question_words_the_search_leaves_out_count_through_the_glossary(
    reports_home: ArchiveHome,
) -> None:
    question = "where do most amur tigers live"
    largest, html = passage_of(
        reports_home, question, "The largest numbers of Amur tigers live in the mountains."
    )
    other, _ = passage_of(
        reports_home, question, "The young numbers of Amur tigers live in the mountains."
    )
    assert largest > other and "<mark>largest</mark>" in html
    # The search itself leaves "most" out: it finds the same papers with or without it.
    assert {h.id for h in ask(reports_home, question).hits} == {
        h.id for h in ask(reports_home, "where do amur tigers live").hits
    }


@pytest.mark.parametrize(
    ("text", "why"),
    [
        # A first page's opening restates the subject ("Gobi", "threats"): page 4 answers.
        ("is mining a threat to snow leopards in the gobi", "opening"),
        # A year on the first page is no count: the page of "240 camera traps" answers.
        ("how many cameras were put out to find snow leopards in mongolia", "opening, year"),
        # "tiger" of the title's "Amur Tiger Cubs" is the paper's subject.
        ("what happens to tiger cubs when their mother is killed by poachers?", "subject"),
        ("do released tigers cause problems for villagers", "subject"),
        # The report found by "tiger" and "hunt", not the 619-page book holding "make sure",
        # "letting" and "go": it gets its share of the query's score too.
        ("how do they make sure a rescued tiger can hunt before letting it go", "share"),
        ("where do most amur tigers live", "cue"),
    ],
)
def test_the_causes_found_in_the_third_round(
    reports_home: ArchiveHome, text: str, why: str
) -> None:
    question = next(q for q in QUESTIONS if q.text == text)
    answers = ask(reports_home, text).answers
    assert answers and right(question, answers[0]), (why, [(a.filename, a.page) for a in answers])


# --- access --------------------------------------------------------------------------------------


@pytest.fixture
def private_home(reports_home: ArchiveHome, tmp_path: Path) -> ArchiveHome:
    root = tmp_path / "home"
    shutil.copytree(reports_home.root, root)
    return ArchiveHome.at(root)


def set_access(home: ArchiveHome, filename: str, level: str) -> str:
    """A paper's access as a curator's save writes it, in its sidecar and the index."""
    paper = next(p for p in home.library.papers() if p.filename == filename)
    changed = dataclasses.replace(paper, access=level)
    home.library.save(changed)
    with home.index.writer() as writer:
        home.index.add(writer, changed, home.library.page_texts(paper.id))
    return paper.id


@pytest.mark.parametrize("level", ["on-request", "staff-only"])
def test_answers_only_from_papers_the_visitor_may_read(
    private_home: ArchiveHome, level: str
) -> None:
    paper_id = set_access(private_home, SAIGA, level)
    question = "why did the saiga die in 2015?"
    public = ask(private_home, question)
    assert all(a.id != paper_id for a in public.answers)
    staff = ask(private_home, question, public=False)
    assert staff.answers[0].id == paper_id
    app = create_app({"ARCHIVE_HOME": str(private_home.root), "TESTING": True})
    client = app.test_client()
    body = client.get("/search", query_string={"q": question}).get_data(as_text=True)
    assert "Pasteurella" not in body.split('class="with-facets"')[0]
    data = client.get("/api/search", query_string={"q": question}).get_json()
    assert all(a["id"] != paper_id for a in data["answers"])


# --- pasted text ---------------------------------------------------------------------------------


def test_a_pasted_email_is_searched_for_its_telling_words(reports_home: ArchiveHome) -> None:
    results = ask(reports_home, EMAIL)
    assert results.total >= 1
    assert results.shortened is not None
    kept = results.shortened.lower().split()
    assert len(kept) <= 10
    assert {"snares", "leopard's"} & set(kept) or "amur" in kept
    for left in ("Dear", "Emily", "Brown", "regards", "emily.brown", "School"):
        assert left.lower() not in kept
    assert "Emily" in results.left_out
    assert results.suggestion is None
    assert results.answers[0].filename == LEOPARD and results.answers[0].page == 3


def test_pasted_text_without_its_lines_is_still_read_as_an_email(reports_home: ArchiveHome) -> None:
    # A one-line search box joins the e-mail's lines.
    joined = EMAIL.replace("\n", "")
    results = ask(reports_home, joined)
    assert results.shortened and results.answers
    assert results.answers[0].filename == LEOPARD


def test_long_text_whose_words_are_all_in_the_archive_finds_papers(
    reports_home: ArchiveHome,
) -> None:
    text = " ".join(page for page in (QUESTIONS[0].text, *[q.text for q in QUESTIONS[1:20]]))
    results = ask(reports_home, text[:1000])
    assert results.total >= 1
    assert results.shortened and len(results.shortened.split()) <= 10


def test_a_typed_question_is_not_pasted_text() -> None:
    assert not is_pasted(ISSUE_QUESTION)
    assert not is_pasted('"amur leopard" camera traps title:snares ' * 5)


def test_reduce_keeps_topical_words_in_order(reports_home: ArchiveHome) -> None:
    with reports_home.index.searcher() as searcher:
        reduced = reduce_pasted(searcher, QUESTIONS[35].text)
    kept = reduced.query.split()
    # In the order written; the year is a telling word, the writer's class number is not.
    assert kept.index("saiga") + 1 == kept.index("antelope") < kept.index("2015")
    assert "bacterium" in kept and "essay" not in kept and "113" not in kept
    assert "Novak" in reduced.left_out and "Leeds" in reduced.left_out


# --- did you mean, messages, possessives ---------------------------------------------------------


def test_did_you_mean_never_for_a_word_the_index_holds_or_long_text(
    reports_home: ArchiveHome,
) -> None:
    assert ask(reports_home, "what is being done to save the amur leopard").suggestion is None
    assert ask(reports_home, EMAIL).suggestion is None
    assert ask(reports_home, ISSUE_QUESTION).suggestion is None


def test_did_you_mean_still_helps_a_misspelling(reports_home: ArchiveHome) -> None:
    results = ask(reports_home, "saiga antilope")
    assert results.suggestion == "saiga antelope"


@pytest.mark.parametrize("apostrophe", ["'", "\u2019"])
def test_a_possessive_is_the_word_itself(reports_home: ArchiveHome, apostrophe: str) -> None:
    results = ask(reports_home, f"amur leopard{apostrophe}s survival")
    plain_results = ask(reports_home, "amur leopard survival")
    assert results.synonyms == plain_results.synonyms != []
    assert [h.id for h in results.hits] == [h.id for h in plain_results.hits]


# --- the command line and the API ----------------------------------------------------------------


def test_cli_json_and_api_carry_answers(reports_home: ArchiveHome) -> None:
    # "how many" reaches the glossary's census words ("population" on page 4); the passage
    # holding the number, the packs and Germany answers it.
    question = "how many wolf packs are there in Germany"
    result = CliRunner().invoke(
        main, ["--home", str(reports_home.root), "search", question, "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    answer = data["answers"][0]
    assert set(answer) == {"id", "title", "filename", "page", "html", "score"}
    assert answer["page"] == 2 and "128 packs" in plain(answer["html"])
    app = create_app({"ARCHIVE_HOME": str(reports_home.root), "TESTING": True})
    api = app.test_client().get("/api/search", query_string={"q": question}).get_json()
    assert api["answers"][0]["id"] == answer["id"] and api["answers"][0]["page"] == 2
    text = CliRunner().invoke(main, ["--home", str(reports_home.root), "search", question])
    assert "Answer:" in text.output and "page 2" in text.output


# --- the demo archive of `make run` --------------------------------------------------------------


@pytest.fixture(scope="module")
def make_run_home(tmp_path_factory: pytest.TempPathFactory) -> ArchiveHome:
    """The demo archive as `make run` imports it: papers/ and papers-ru/, with the document
    types and abstracts of papers/metadata.csv."""
    home = ArchiveHome.at(tmp_path_factory.mktemp("make-run") / "home")
    options = ImportOptions(metadata=load_metadata(DEMO_PAPERS / "metadata.csv"))
    papers = [DEMO_PAPERS, DEMO_PAPERS.parent / "papers-ru"]
    assert not import_paths(home, papers, jobs=1, options=options).failed
    return home


def test_the_issue_question_on_the_demo_archive(make_run_home: ArchiveHome) -> None:
    # The fact sheet's "Conservation" paragraph answers it, not the zoo report's page on the
    # Lazovsky reserve (which holds "national park", "protect", "wild" and "leopards" too).
    app = create_app({"ARCHIVE_HOME": str(make_run_home.root), "TESTING": True})
    client = app.test_client()
    data = client.get("/api/search", query_string={"q": ISSUE_QUESTION}).get_json()
    first = data["answers"][0]
    assert first["filename"] == "amur-leopard-fact-sheet.pdf" and first["page"] == 2
    assert "ranger teams patrol the national park, remove snares" in plain(first["html"])
    assert data["results"][0]["filename"] == "amur-leopard-fact-sheet.pdf"
    body = client.get("/search", query_string={"q": ISSUE_QUESTION}).get_data(as_text=True)
    block = body[body.index("Answers from the papers") : body.index('class="results"')]
    first_answer = block[block.index('<li class="answer">') :].split("</li>")[0]
    assert "ranger teams patrol the national park" in plain(first_answer)
    assert "The Amur Leopard: A Fact Sheet" in first_answer and "page 2" in first_answer
    results = body[body.index('class="results"') :]
    assert re.search(r"<h2><a [^>]+>([^<]+)</a></h2>", results).group(1) == (
        "The Amur Leopard: A Fact Sheet"
    )


# --- the results page and the paper page ---------------------------------------------------------


@pytest.fixture(scope="module")
def web(reports_home: ArchiveHome) -> FlaskClient:
    return create_app({"ARCHIVE_HOME": str(reports_home.root), "TESTING": True}).test_client()


def test_results_page_shows_answers_first_with_page_links_and_citation(web: FlaskClient) -> None:
    question = "how many saiga died in the die-off"
    body = web.get("/search", query_string={"q": question}).get_data(as_text=True)
    answers = body.index("Answers from the papers")
    assert answers < body.index('class="results"')
    block = body[answers : body.index('class="with-facets"')]
    assert "more than 200,000 <mark>saiga</mark>" in block
    assert "page 2" in block and "#page=2" in block and "/pages/2?q=" in block
    assert "cite.bib?page=2" in block and "p. 2." in block
    bib = web.get(
        re.search(r'href="([^"]+cite\.bib\?page=2)"', block).group(1).replace("&amp;", "&")
    )
    assert bib.status_code == 200 and "note = {p. 2}" in bib.get_data(as_text=True)
    ris = web.get(
        re.search(r'href="([^"]+cite\.ris\?page=2)"', block).group(1).replace("&amp;", "&")
    )
    assert "N1  - p. 2" in ris.get_data(as_text=True)


def test_results_page_of_a_pasted_email_shows_it_shortened(web: FlaskClient) -> None:
    body = web.get("/search", query_string={"q": EMAIL}).get_data(as_text=True)
    heading = body[body.index("<h1>") : body.index("</h1>")]
    assert "Emily" not in heading and "snares" in heading
    assert "<details" in body and "Left out" in body
    assert "Did you mean" not in body
    assert "Answers from the papers" in body


def test_paper_page_keeps_the_search_and_its_pages(
    web: FlaskClient, reports_home: ArchiveHome
) -> None:
    body = web.get("/search", query_string={"q": ISSUE_QUESTION}).get_data(as_text=True)
    link = re.search(r'<h2><a href="(/papers/[0-9a-f]+\?q=[^"]+)">The Far Eastern', body)
    assert link, "the result links to the paper with the search"
    paper = web.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Back to results" in paper
    assert "/search?q=" in paper
    assert "ranger teams patrol the national park" in plain(paper)
    assert "Page 3" in paper


def test_relaxed_message_says_follow_only_when_some_do(
    web: FlaskClient, reports_home: ArchiveHome
) -> None:
    # Only the saiga report holds all three words, and no paper holds two of them.
    query = "saiga septicaemia multocida"
    results = ask(reports_home, query)
    assert results.relaxed and results.complete == results.total == 1
    body = web.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "Only 1 paper has all of your words" in body
    assert "Papers with most of them follow" not in body


# Pages in several scripts, and words the page-reading shortcut must cut as the tokenizer does.
_SCRIPT_PAGES = [
    "unstructured/fr_olap.pdf",
    "unstructured/korean-text-with-tables.pdf",
    "sample-files/habibi.pdf",
]
_TRICKY_TEXTS = [
    "Predator-proof fences (anti-predator) cut losses by 1.5-fold; e.g. the ﬁeld team's "
    "cafe\u0301 survey, a naïve model--modelling..model.-Modell and MODEL-based work, 12-15 "
    "x-ray co-operation in the Amur region of the Russian Far East, over a hundred words of "
    "English around a few accented ones, as a report's page has them.",
    # Mostly another script: the page is cut into words whole.
    "Численность леопарда: 120 особей.",
    # "İ" lowercases to two characters: the page is cut into words whole.
    "İstanbul's zoo and a naïve x-ray model",
]


def test_a_pages_words_are_found_as_the_tokenizer_cuts_them() -> None:
    """A passage reads only the words that may give a query term (found in the lowercased
    page, not by cutting it into words); on real pages of several scripts and on words joined
    by hyphens and dots, with ligatures and combining accents, it finds every word that cutting
    the whole page would."""
    texts = list(_TRICKY_TEXTS)
    for name in _SCRIPT_PAGES:
        if (CORPUS / name).is_file():
            texts += [page.extract_text() or "" for page in PdfReader(CORPUS / name).pages[:3]]
    questions = [
        "predator proof fences",
        "model field cafe",
        "численность леопарда",
        "istanbul naive co-operation x-ray",
        "naïve 1.5-fold",
        "olap cube données",
        "분석 데이터",
        "حبيبي",
    ]
    for question in questions:
        wanted = frozenset(term for word in question.split() for term in index_terms(word))
        for text in texts:
            every_word = sorted(
                (start, start + len(word), index_terms(word) & wanted)
                for word in set(passages._WORD.findall(text))
                if index_terms(word) & wanted
                for start in occurrences(text, word)
            )
            assert passages._words(text, wanted) == every_word, (question, text[:80])
    assert len(texts) > 5 or not CORPUS.is_dir()
