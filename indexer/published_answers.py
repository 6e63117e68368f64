"""Published answers to readers' questions in the search index (issue 27).

Each published question is one document of kind ``answer`` in the papers' index: its wording
in ``qa_question`` and the answer in ``qa_text``, fields no paper has, so paper searches and
their ranking never see them and an answer search never sees a paper. ``paper_id`` holds the
question's id (never a 64-hex paper id), so one ``delete_by_term`` takes it out.

The store (:mod:`archive.questions`) is the source of truth: :func:`answer_documents` makes
the documents from it when the index is rebuilt (``archive reindex``, a schema upgrade), and
:func:`sync_answers` brings the index in line after a publish or an unpublish. What a search
shows is checked against the store again (:func:`found_published`), so unpublishing or deleting
takes an answer off every page and out of every API answer at once even if the index is a
moment behind.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.query import And, Or, Term

from archive.library import PaperNotFound
from archive.questions import QUESTIONS_FILE, Question, QuestionStore
from indexer.analysis import fold, query_stop_words, text_analyzer
from indexer.engine.thesaurus import Thesaurus, expand
from indexer.schema import ANSWER

# Published answers shown above a page of results at most.
MAX_SHOWN = 3
# Characters of a published answer shown beside the search's papers (the web page, the JSON).
EXCERPT = 300
INDEX_WAIT_S = 5.0


@dataclass(frozen=True)
class FoundAnswer:
    """A published answer a search found."""

    id: str
    question: str
    answer: str
    score: float


def answer_document(item: Question) -> dict[str, Any]:
    """The index document of one published question."""
    return {
        "kind": ANSWER,
        "paper_id": item.id,
        "qa_question": item.public_question,
        "qa_text": item.public_answer,
        "summary": {"question": item.public_question, "answer": item.public_answer},
    }


def answer_documents(home: Path) -> Iterator[dict[str, Any]]:
    """The documents of every answer published in the home at ``home`` (none when it has no
    questions file)."""
    store = QuestionStore(home)
    if not store.path.exists():
        return
    for item in store.published():
        yield answer_document(item)


def _indexed(index: Any) -> dict[str, Any]:
    """The answer documents the index holds now: question id -> stored summary."""
    with index.searcher() as searcher:
        return {
            fields["paper_id"]: fields.get("summary")
            for fields in (
                searcher.stored_fields(number) for number in Term("kind", ANSWER).docs(searcher)
            )
        }


def sync_answers(index: Any, home: Path, timeout: float = INDEX_WAIT_S) -> bool:
    """Make the index's answer documents those published now (no write when they are
    already); raises :class:`indexer.index.IndexBusy` when a bulk import holds the index (the
    next sync, or the next start, does it). True when the index was written."""
    documents = list(answer_documents(home))
    if _indexed(index) == {doc["paper_id"]: doc["summary"] for doc in documents}:
        return False
    with index.writer(timeout=timeout) as writer:
        writer.delete_by_term("kind", ANSWER)
        for document in documents:
            writer.add_document(**document)
    return True


def _stems(text: str) -> list[str]:
    """The analysed words of ``text``, stop words and question words left out."""
    stop = query_stop_words()
    kept = " ".join(word for word in text.split() if fold(word.strip("?!.,;:")) not in stop)
    return list(dict.fromkeys(token.text for token in text_analyzer()(kept)))


def _concepts(text: str, thesaurus: Thesaurus | None) -> list[set[str]]:
    """What the query asks about, one set of interchangeable stems per concept: a word, or a
    name the thesaurus knows with its synonyms and translations ("амурский леопард" and
    "Far Eastern leopard" are one concept), so a Russian question finds an English answer."""
    concepts: list[set[str]] = []
    rest = text
    if thesaurus is not None and thesaurus.concepts:
        for typed, names in expand(text, thesaurus).added:
            stems = set(_stems(typed))
            for name in names:
                stems |= set(_stems(name))
            if stems:
                concepts.append(stems)
            rest = rest.replace(typed, " ")
    concepts += [{stem} for stem in _stems(rest)]
    return concepts[:32]


def find_answers(
    index: Any, text: str, limit: int = MAX_SHOWN, thesaurus: Thesaurus | None = None
) -> list[FoundAnswer]:
    """The published answers holding at least half of the concepts of ``text`` (a word, or a
    name with its synonyms and translations from ``thesaurus``), best first."""
    concepts = _concepts(text[:1000], thesaurus)
    if not concepts:
        return []
    stems = sorted(set().union(*concepts))
    clauses = [Term(field, stem) for stem in stems for field in ("qa_question", "qa_text")]
    query = And([Term("kind", ANSWER), Or(clauses)])
    need = max(1, math.ceil(len(concepts) / 2))
    found = []
    try:
        with index.searcher() as searcher:
            for hit in searcher.search(query, limit=50, terms=True):
                matched = {
                    word.decode("utf-8") if isinstance(word, bytes) else word
                    for _field, word in hit.matched_terms()
                }
                if sum(1 for concept in concepts if concept & matched) < need:
                    continue
                summary = hit.fields().get("summary") or {}
                found.append(
                    FoundAnswer(
                        id=hit["paper_id"],
                        question=str(summary.get("question", "")),
                        answer=str(summary.get("answer", "")),
                        score=float(hit.score or 0.0),
                    )
                )
    except FileNotFoundError:
        return []
    return found[:limit]


def found_published(
    index: Any, home: Path, text: str, thesaurus: Thesaurus | None = None
) -> list[Question]:
    """The published questions a search for ``text`` finds, best first, as the store holds
    them now: one unpublished or deleted a moment ago is left out, whatever the index still
    holds."""
    if not text or not (home / QUESTIONS_FILE).exists():
        return []
    found = find_answers(index, text, thesaurus=thesaurus)
    if not found:
        return []
    live = {item.id: item for item in QuestionStore(home).published()}
    return [live[answer.id] for answer in found if answer.id in live]


def excerpt(text: str, most: int = EXCERPT) -> str:
    """The start of a published answer, on one line, cut at a word."""
    line = " ".join(text.split())
    if len(line) <= most:
        return line
    return line[:most].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def answer_json(item: Question, cited: list[dict[str, Any]]) -> dict[str, Any]:
    """A published answer in a search's JSON (``published_answers``): never the reader's name
    or address; ``cited`` holds the papers it links that the caller may see."""
    return {
        "id": item.id,
        "question": item.public_question,
        "excerpt": excerpt(item.public_answer),
        "published": item.published,
        "cited": cited,
    }


def answers_json_for_staff(home: Any, text: str) -> list[dict[str, Any]]:
    """The published answers a search finds, for ``archive search --json`` (the command line
    is a staff tool: every cited paper still in the archive, whatever its access)."""
    found = []
    for item in found_published(home.index, home.root, text, thesaurus=home.thesaurus()):
        cited = []
        for link in item.links:
            try:
                paper = home.library.get(link.paper_id)
            except PaperNotFound:
                continue
            cited.append({"id": paper.id, "title": paper.title, "page": link.page})
        found.append(answer_json(item, cited))
    return found
