"""Searching the index: one result per paper, with the pages where the words are.

A search runs twice over the index. First over paper documents, which rank whole papers (BM25F,
title weighing most), give the total and the facet counts; then, for the papers on the requested
result page only, over their page documents, which say which pages match (best first) and give
the snippets (:mod:`indexer.engine.snippets`). Both runs evaluate the query over whole posting lists
(:mod:`indexer.engine.ranking`).

Every search runs under a time limit (:data:`TIME_LIMIT_S`): a search that takes longer stops
and returns what it found so far, marked ``incomplete``, rather than holding a server thread.
"""

from __future__ import annotations

import html
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from whoosh.query import Or, Query, Term

from indexer.constants import SORTS
from indexer.engine.access_filter import closed_docs, hidden_docs, public_mask
from indexer.engine.facets import Facets, Filters, facets_from
from indexer.engine.glossary import load as load_glossary
from indexer.engine.passages import (
    ANSWERS,
    MIN_SHARE,
    NEXT_ANSWER_SHARE,
    Passage,
    PassageReader,
)
from indexer.engine.passages import query_units as passage_units
from indexer.engine.pasted_text import Reduced, is_pasted
from indexer.engine.pasted_text import reduce as reduce_pasted
from indexer.engine.query_language import (
    DEFAULT_FIELDS,
    MAX_UNITS,
    NOTHING_TO_SEARCH,
    ExpansionBudget,
    ParsedQuery,
    QueryError,
    page_clauses,
    parse,
)
from indexer.engine.ranking import (
    Coordinated,
    Evaluator,
    IndexView,
    Matches,
    page_docs,
    reading_once,
)
from indexer.engine.snippets import mark_translations, snippet, translation_terms
from indexer.engine.suggestions import did_you_mean
from indexer.engine.thesaurus import Thesaurus, translations
from indexer.engine.thesaurus import load as load_thesaurus
from indexer.index import SearchIndex
from indexer.schema import PAGE_FIELD, PAPER

__all__ = [
    "DEFAULT_FIELDS",
    "MAX_LIMIT",
    "NOTHING_TO_SEARCH",
    "SORTS",
    "QueryError",
    "SearchResults",
    "added_matching_ids",
    "browse",
    "matching_ids",
    "newest_ids",
    "paper_passages",
    "parse_query",
    "search",
]

# The orders results can be listed in (see _order).
MAX_LIMIT = 100
SNIPPETS_PER_HIT = 3
# The longest a search may take, in seconds, before it stops with what it has found.
TIME_LIMIT_S = 2.0
# The order of a feed (by the time a paper was added); not one a reader picks, so not in SORTS.
ADDED = "added"
# Listing every match for an export (ids only) may take longer than a page of results.
LIST_TIME_LIMIT_S = 30.0
# The share of the time limit that expanding wildcards and fuzzy words may use.
PARSE_SHARE = 0.4
# A query of this many words or more (a question) is relaxed when fewer papers than this hold
# them all; a shorter one only when none does, so a search for two words that finds one paper
# finds just that paper.
RELAX_BELOW = 3
# The best-ranked papers whose pages are read for passages (answers, and the order of results:
# among these, a paper with a passage holding the query's words together moves up).
PASSAGE_CANDIDATES = 12
# Did you mean is offered for queries of up to this many words (never for pasted text).
SUGGEST_UP_TO = 6
# In that order, a paper's own score (as a share of the best one's) next to its best passage's.
PAPER_SHARE = 0.5


@dataclass
class Snippet:
    """A passage of one page with the query's words highlighted (safe HTML)."""

    page: int
    html: str


@dataclass
class Answer:
    """A passage that answers the query: a page of a paper the visitor may read."""

    id: str
    title: str
    filename: str
    page: int
    html: str
    score: float
    year: int | None = None
    authors: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The passage as plain text (for a terminal)."""
        return html.unescape(re.sub(r"</?mark>", "", self.html))

    def to_json(self) -> dict[str, Any]:
        """The ``answers`` entry of the JSON contract."""
        return {
            "id": self.id,
            "title": self.title,
            "filename": self.filename,
            "page": self.page,
            "html": self.html,
            "score": round(self.score, 4),
        }


@dataclass
class Hit:
    """One paper in a result list."""

    id: str
    title: str
    authors: list[str]
    year: int | None
    filename: str
    score: float
    pages: list[int] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    doi: str | None = None
    page_count: int = 0
    # Words of the query this paper lacks (a relaxed match only).
    missing: list[str] = field(default_factory=list)


@dataclass
class SearchResults:
    """A page of results for a query (or for browsing, when ``query`` is empty)."""

    query: str
    total: int
    hits: list[Hit]
    page: int = 1
    limit: int = 10
    sort: str = "relevance"
    filters: Filters = field(default_factory=Filters)
    facets: Facets | None = None
    # A corrected query when a word typed is unknown to the index.
    suggestion: str | None = None
    # (words as typed, other names searched too) from the thesaurus.
    synonyms: list[tuple[str, list[str]]] = field(default_factory=list)
    # Wildcards that stand for more words than are searched: (pattern, words searched).
    capped: list[tuple[str, int]] = field(default_factory=list)
    # True when the time limit stopped the search: total and hits are what was found by then.
    incomplete: bool = False
    # True when too few papers hold every word and papers holding most of them are listed
    # too (all-words papers first); ``missing`` is what the best of them lacks, ``complete``
    # how many hold every word.
    relaxed: bool = False
    missing: list[str] = field(default_factory=list)
    complete: int = 0
    # Of ``total``, the papers whose PDF the public may read (all of them for staff).
    readable: int = 0
    # Stop words and question words left out of the query.
    ignored: list[str] = field(default_factory=list)
    # The passages that answer the query best (several words only), from readable papers.
    answers: list[Answer] = field(default_factory=list)
    # Pasted text (an e-mail): the telling words searched instead, and the words left out.
    shortened: str | None = None
    left_out: list[str] = field(default_factory=list)
    # Fields that could not be used ("author:" with nothing after it, "year:abc"): what was
    # wrong and what was searched instead, a sentence each.
    warnings: list[str] = field(default_factory=list)

    @property
    def translations(self) -> list[tuple[str, list[str]]]:
        """Of ``synonyms``, the names in another language than the words typed."""
        return translations(self.synonyms)

    @property
    def page_count(self) -> int:
        """How many result pages the total makes."""
        return max(1, -(-self.total // self.limit))

    def to_json(self, extras: bool = False) -> dict[str, Any]:
        """The ``--json`` and ``/api/search`` contract (PRODUCT.md). A relaxed match adds
        ``"relaxed": true`` and ``missing`` (the words the best match lacks) at the top and
        ``missing`` per result; ``extras`` adds those always, and facets, filters,
        did-you-mean, synonyms (and, of those, the ``translations``), the incomplete flag, the
        words left out (``ignored``) and the wildcards and fuzzy words that stood for more words
        than were searched (``expanded``), as further top-level keys."""
        data: dict[str, Any] = {
            "query": self.query,
            "total": self.total,
            "results": [
                {
                    "id": hit.id,
                    "title": hit.title,
                    "authors": hit.authors,
                    "year": hit.year,
                    "filename": hit.filename,
                    "score": round(hit.score, 4),
                    "pages": hit.pages,
                    "snippets": [{"page": s.page, "html": s.html} for s in hit.snippets],
                    **({"missing": hit.missing} if self.relaxed else {}),
                }
                for hit in self.hits
            ],
            "answers": [answer.to_json() for answer in self.answers],
        }
        if self.warnings or extras:
            data["warnings"] = self.warnings
        if self.relaxed or extras:
            data["relaxed"] = self.relaxed
            data["missing"] = self.missing
        if extras:
            data["filters"] = self.filters.to_json()
            if self.facets is not None:
                data["facets"] = self.facets.to_json()
            data["did_you_mean"] = self.suggestion
            data["synonyms"] = [{"typed": typed, "also": others} for typed, others in self.synonyms]
            data["translations"] = [
                {"typed": typed, "also": others} for typed, others in self.translations
            ]
            data["incomplete"] = self.incomplete
            data["ignored"] = self.ignored
            data["shortened"] = self.shortened
            data["left_out"] = self.left_out
            # searched 0: the pattern was past the query's first few and was not expanded.
            data["expanded"] = [
                {"pattern": pattern if "~" in pattern else pattern + "*", "searched": count}
                for pattern, count in self.capped
            ]
        return data


def _searched_text(searcher: Any, text: str) -> Reduced | None:
    """Pasted text reduced to its telling words; None for a query searched as typed."""
    if not is_pasted(text):
        return None
    reduced = reduce_pasted(searcher, text)
    return reduced if reduced.query else None


def parse_query(index: SearchIndex, text: str, thesaurus: Thesaurus | None = None) -> Query:
    """The Whoosh query for ``text`` (see :mod:`indexer.engine.query_language`)."""
    with index.searcher() as searcher:
        return parse(searcher, text, thesaurus or load_thesaurus()).query


class _Clock:
    """The time left of one search's budget."""

    def __init__(self, seconds: float | None = None) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + (TIME_LIMIT_S if seconds is None else seconds)

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def expansion_budget(self) -> ExpansionBudget:
        """Parsing's share of the time: the first part, leaving the rest to the search."""
        until = self.started + (self.deadline - self.started) * PARSE_SHARE
        return ExpansionBudget(expired=lambda: time.monotonic() >= until)


def _locate_pages(
    view: IndexView,
    query: Query,
    hits: list[Hit],
    snippets: bool,
    clock: _Clock,
    passages: dict[str, Passage] | None = None,
    reader: PassageReader | None = None,
    translated: frozenset[str] = frozenset(),
) -> bool:
    """Fill in each hit's matching pages (best first) and up to three snippets. A hit with a
    best passage (``passages``) lists its page first, and the passage is its first snippet;
    with a passage ``reader`` (a query of several words), the other snippets are its passages
    too, marked as answers are (a name only where it stands whole).

    Returns False when the time limit cut it short.
    """
    leaves = page_clauses(query)
    if not hits or not leaves:
        return True
    owners = page_docs(view, [hit.id for hit in hits])
    evaluator = Evaluator(view, clock.expired, within=np.array(sorted(owners), dtype=np.int64))
    found = evaluator.matches(Or(leaves))
    by_paper: dict[str, list[tuple[float, int, int]]] = {hit.id: [] for hit in hits}
    for docnum, score in zip(found.docs.tolist(), found.scores.tolist(), strict=True):
        by_paper[owners[docnum]].append((-score, view.page_number(docnum), docnum))
    for hit in hits:
        by_paper[hit.id].sort()
        best = (passages or {}).get(hit.id)
        if best is not None:
            # The page of the best passage first, then the others as they scored.
            by_paper[hit.id].sort(key=lambda item: item[2] != best.docnum)
        hit.pages = [number for _, number, _ in by_paper[hit.id]]
    if not snippets or evaluator.incomplete:
        return not evaluator.incomplete
    searcher = view.searcher
    terms = {
        text.decode("utf-8") if isinstance(text, bytes) else text
        for fieldname, text in Or(leaves).existing_terms(searcher.reader(), expand=True)
        if fieldname == PAGE_FIELD
    }
    for hit in hits:
        best = (passages or {}).get(hit.id)
        for _, number, docnum in by_paper[hit.id][:SNIPPETS_PER_HIT]:
            if clock.expired():
                return False
            if best is not None and docnum == best.docnum:
                html = mark_translations(best.short_html, translated)
                hit.snippets.append(Snippet(page=number, html=html))
                continue
            html = reader.snippet(docnum) if reader is not None else None
            if html is not None:
                html = mark_translations(html, translated)
            else:
                page_text = searcher.stored_fields(docnum).get("page_text", "")
                html = snippet(page_text, terms, translated)
            if html:
                hit.snippets.append(Snippet(page=number, html=html))
    return True


def hit_from_result(result: Any) -> Hit:
    """A :class:`Hit` from a Whoosh result of a paper document."""
    score = float(result.score or 0.0) if isinstance(result.score, int | float) else 0.0
    return _hit(result.fields(), score)


def _hit(fields: dict[str, Any], score: float) -> Hit:
    summary = fields["summary"]
    return Hit(
        id=fields["paper_id"],
        title=summary["title"],
        authors=list(summary["authors"]),
        year=summary["year"],
        filename=summary["filename"],
        score=score,
        doi=summary.get("doi"),
        page_count=summary.get("pages", 0),
    )


def _order(
    view: IndexView,
    found: Matches,
    sort: str,
    later: np.ndarray | None,
    counts: np.ndarray | None = None,
) -> np.ndarray:
    """Positions in ``found`` in the order results are listed.

    Relevance: best score first, papers in ``later`` (found only through thesaurus names) after
    the others. Newest and oldest: by year, papers without one last. Title: by title. Ties keep
    the order papers were indexed in. In every order, papers holding more of the query's words
    (``counts``, in a relaxed match) come before papers holding fewer.
    """
    docs = found.docs
    fewer = () if counts is None else (-counts,)
    if sort == "title":
        titles = view.column("title_sort")
        by_title = sorted(range(len(docs)), key=lambda i: (titles[docs[i]] or "", docs[i]))
        ranks = np.empty(len(docs), dtype=np.int64)
        ranks[np.array(by_title, dtype=np.int64)] = np.arange(len(docs))
        return np.lexsort((ranks, *fewer))
    if sort == ADDED:
        # A feed's order: most recently added first, whatever the words held (the column
        # holds ISO times, which sort as text).
        added = view.column("added")
        newest = sorted(range(len(docs)), key=lambda i: added[docs[i]] or "", reverse=True)
        return np.array(newest, dtype=np.int64)
    if sort in ("newest", "oldest"):
        years = view.years()[docs]
        keys = (docs, -years if sort == "newest" else years, years == 0)
    else:
        keys = (docs, -found.scores) if later is None else (docs, -found.scores, later)
    return np.lexsort((*keys, *fewer))


@dataclass
class _Found:
    """What one run over the index found (see :func:`_run`)."""

    total: int
    hits: list[Hit]
    facets: Facets | None
    incomplete: bool
    relaxed: bool = False
    missing: list[str] = field(default_factory=list)
    complete: int = 0
    readable: int = 0
    answers: list[Answer] = field(default_factory=list)


def _relax_when(units: int) -> Callable[[int], bool]:
    """When a query of ``units`` words is relaxed, given how many papers hold them all."""
    return lambda complete: complete == 0 or (units >= RELAX_BELOW and complete < RELAX_BELOW)


def _coordinated(
    evaluator: Evaluator, parsed: ParsedQuery, allowed: np.ndarray | None
) -> Coordinated | None:
    """The papers of a query of plain words, relaxed when too few hold them all; None for a
    query that is not relaxed (one word, or only explicit syntax)."""
    units = len(parsed.units)
    if units < 2 or units > MAX_UNITS:
        return None
    # A name counts for the words it was typed as ("national park" is two of the question's
    # words): a glossary or thesaurus name never pushes a paper under the half mark that its
    # words, counted one by one, would reach.
    weights = tuple(max(1, len(label.split())) for label, _ in parsed.units)
    return evaluator.coordinated(
        parsed.required,
        [unit for _, unit in parsed.units],
        parsed.optional,
        _relax_when(units),
        # At least half of the words: a question's one common word alone is no match.
        at_least=math.ceil(sum(weights) / 2),
        allowed=allowed,
        excluded=parsed.excluded,
        weights=weights,
    )


def _run(
    view: IndexView,
    parsed: ParsedQuery | None,
    *,
    limit: int,
    page: int,
    sort: str,
    snippets: bool,
    filters: Filters,
    facets: bool,
    clock: _Clock,
    pages: bool = True,
    public: bool = True,
    answers: bool = False,
    related: Callable[[str], list[str]] | None = None,
    thesaurus: Thesaurus | None = None,
) -> _Found:
    """Rank papers (or list them all when ``parsed`` is None).

    Under relevance, the papers that the query without thesaurus names matches come first, so
    a synonym never outranks the words typed; papers holding more of the words come before
    papers holding fewer. Without ``pages``, hits carry no pages or snippets (listing ids for
    an export). With ``public``, papers hidden from the public today are left out as a filter.
    """
    if clock.expired():
        return _Found(0, [], Facets() if facets else None, True)
    evaluator = Evaluator(view, clock.expired)
    filter_query = filters.query()
    allowed = None
    if filter_query is not None:
        # A filter narrows without adding to the scores.
        allowed = np.zeros(view.size, dtype=bool)
        allowed[evaluator.matches(filter_query).docs] = True
    # Staff-only papers the public may not list today: one more filter, in the same pass.
    visible = public_mask(view.searcher) if public else None
    if visible is not None:
        allowed = visible if allowed is None else allowed & visible
    best = _coordinated(evaluator, parsed, allowed) if parsed is not None else None
    if best is not None:
        found = best.found
    else:
        found = evaluator.papers(None if parsed is None else parsed.query)
        if allowed is not None:
            found = found.where(allowed[found.docs])
    relaxed = best is not None and best.relaxed
    counts = best.counts() if relaxed and best is not None else None
    later = None
    if parsed is not None and parsed.exact is not None and sort == "relevance":
        later = ~np.isin(found.docs, evaluator.matches(parsed.exact).docs, assume_unique=True)
    order = _order(view, found, sort, later, counts)
    passages: dict[str, Passage] = {}
    found_answers: list[Answer] = []
    units = None
    reader: PassageReader | None = None
    if answers and parsed is not None and pages and snippets and sort == "relevance" and len(found):
        units = passage_units(view, parsed, related, thesaurus)
    if units is not None:
        reader = PassageReader(view, units, clock.expired)
        if parsed.required is not None or parsed.excluded is not None:
            # Explicit syntax: answers only from the papers it found.
            may_list = np.zeros(view.size, dtype=bool)
            may_list[found.docs] = True
        else:
            may_list = np.ones(view.size, dtype=bool) if allowed is None else allowed
        judge = _AnswerAccess(view, may_list, public)
        elsewhere = reader.papers_anywhere(judge.may_answer)
        complete = None
        if counts is not None and best is not None:
            complete = best.held == (1 << len(parsed.units)) - 1
        order, passages = _by_passages(
            view,
            found,
            order,
            reader,
            later,
            complete,
            elsewhere,
            lambda ids: _paper_scores(view, Or([unit for _, unit in parsed.units]), ids, clock),
        )
        found_answers = _answers(judge, passages)
    listed = order[(page - 1) * limit : page * limit]
    hits = [
        _hit(
            view.searcher.stored_fields(int(found.docs[i])),
            0.0 if parsed is None else float(found.scores[i]),
        )
        for i in listed.tolist()
    ]
    result = _Found(
        len(found),
        hits,
        facets_from(view.facet_counts(found.docs), filters) if facets else None,
        evaluator.incomplete,
        complete=len(found),
        readable=len(found),
        answers=found_answers,
    )
    if public and len(found):
        closed = closed_docs(view.searcher)
        if len(closed):
            result.readable -= int(np.count_nonzero(np.isin(found.docs, closed)))
    if relaxed and best is not None and parsed is not None and counts is not None and len(found):
        labels = [label for label, _ in parsed.units]
        for hit, i in zip(hits, listed.tolist(), strict=True):
            hit.missing = _missing(labels, int(best.held[i]))
        result.relaxed = True
        result.complete = int(np.count_nonzero(best.held == (1 << len(labels)) - 1))
        top = int(np.lexsort((-found.scores, -counts))[0])
        result.missing = _missing(labels, int(best.held[top]))
    if parsed is not None and pages and not result.incomplete:
        query = parsed.query
        if relaxed:
            # Pages are located by any of the words, not only by pages holding all of them.
            query = Or([unit for _, unit in parsed.units])
        translated = translation_terms(parsed.synonyms)
        for answer in result.answers:
            answer.html = mark_translations(answer.html, translated)
        result.incomplete = not _locate_pages(
            view, query, hits, snippets, clock, passages, reader, translated
        )
    return result


def _by_passages(
    view: IndexView,
    found: Matches,
    order: np.ndarray,
    reader: PassageReader,
    later: np.ndarray | None,
    complete: np.ndarray | None,
    elsewhere: dict[str, str],
    scores_of: Callable[[list[str]], dict[str, float]] | None = None,
) -> tuple[np.ndarray, dict[str, Passage]]:
    """The order with its first PASSAGE_CANDIDATES papers ranked again by their own score and
    their best passage's (within the groups the order keeps: in a relaxed match, papers
    holding every word (``complete``) first; the words as typed before synonyms), and the
    best passages of those papers and of the papers ``elsewhere`` (id: title), their pages
    read in one pass. Among the papers holding some of the words, the passage's score
    weighs each word by its rarity where the order counted words: a paper holding one more
    common word ("work") no longer comes before the one holding the telling words together.
    A passage's ``rank`` (how answers are ordered) adds its paper's share as results do; a
    paper found ``elsewhere`` (its telling words, not most of the words typed) has its share
    of the query's score too (``scores_of``: {paper id: score}), so a paper holding more of a
    question's common words ("make sure ... letting it go") never wins by being found."""
    top = order[:PASSAGE_CANDIDATES]
    docs = found.docs[top]
    summaries = {}
    ids = []
    for docnum in docs.tolist():
        fields = view.searcher.stored_fields(docnum)
        ids.append(fields["paper_id"])
        summaries[fields["paper_id"]] = (docnum, fields["summary"])
    titles = {paper_id: summary["title"] for paper_id, (_, summary) in summaries.items()}
    more = [paper_id for paper_id in elsewhere if paper_id not in titles]
    titles.update(elsewhere)
    passages = reader.of_papers(page_docs(view, ids + more), titles)
    scores = found.scores[top]
    best_paper = float(scores.max()) if len(scores) and scores.max() > 0 else 1.0
    shares = dict(zip(ids, (PAPER_SHARE * scores / best_paper).tolist(), strict=True))
    if more and scores_of is not None:
        for paper_id, score in scores_of(more).items():
            shares[paper_id] = PAPER_SHARE * min(1.0, score / best_paper)
    for paper_id, passage in passages.items():
        passage.rank = passage.score + shares.get(paper_id, 0.0)
    combined = np.array(
        [passages[paper_id].rank if paper_id in passages else shares[paper_id] for paper_id in ids]
    )
    keys: list[np.ndarray] = [np.arange(len(top)), -combined]
    if later is not None:
        keys.append(later[top])
    if complete is not None:
        keys.append(~complete[top])
    reordered = np.concatenate([top[np.lexsort(keys)], order[PASSAGE_CANDIDATES:]])
    return reordered, passages


def _paper_scores(
    view: IndexView, query: Query, paper_ids: list[str], clock: _Clock
) -> dict[str, float]:
    """The score ``query`` gives each of some papers (found by their pages' telling words,
    not by the search), reading only the postings' blocks that may hold them."""
    evaluator = Evaluator(view, clock.expired)
    papers: dict[int, str] = {}
    for paper_id in paper_ids:
        found = evaluator.matches(Term("paper_id", paper_id)).docs
        for docnum in found[view.papers[found]].tolist():
            papers[docnum] = paper_id
    if not papers:
        return {}
    within = Evaluator(view, clock.expired, within=np.array(sorted(papers), dtype=np.int64))
    found = within.matches(query)
    return {
        papers[docnum]: score
        for docnum, score in zip(found.docs.tolist(), found.scores.tolist(), strict=True)
        if docnum in papers
    }


class _AnswerAccess:
    """Which papers may give answers: those the search may list (``may_list``, over paper
    documents) and, for the public, may read; with their summaries."""

    def __init__(self, view: IndexView, may_list: np.ndarray, public: bool) -> None:
        self.view = view
        self.may_list = may_list
        self.closed = set(closed_docs(view.searcher).tolist()) if public else set()
        self.evaluator = Evaluator(view)
        self.papers: dict[str, dict[str, Any] | None] = {}

    def summary(self, paper_id: str) -> dict[str, Any] | None:
        """The paper's summary when it may give answers, else None."""
        if paper_id not in self.papers:
            docs = self.evaluator.matches(Term("paper_id", paper_id)).docs
            docs = docs[self.view.papers[docs]]
            self.papers[paper_id] = None
            if len(docs) and self.may_list[docs[0]] and int(docs[0]) not in self.closed:
                self.papers[paper_id] = self.view.searcher.stored_fields(int(docs[0]))["summary"]
        return self.papers[paper_id]

    def may_answer(self, paper_id: str) -> tuple[bool, str]:
        """Whether the paper may give answers, and its title."""
        found = self.summary(paper_id)
        return found is not None, found["title"] if found else ""


def _answers(judge: _AnswerAccess, passages: dict[str, Passage]) -> list[Answer]:
    """The best passages, best first, one a paper, from the papers that may give answers;
    after the first, only those not far behind it."""
    answers: list[Answer] = []
    first = 0.0
    for paper_id, passage in sorted(passages.items(), key=lambda item: -item[1].rank):
        if len(answers) == ANSWERS:
            break
        if passage.score < max(MIN_SHARE, NEXT_ANSWER_SHARE * first):
            continue  # far behind the first: common words only, no answer
        summary = judge.summary(paper_id)
        if summary is None:
            continue
        first = first or passage.score
        answers.append(
            Answer(
                id=paper_id,
                title=summary["title"],
                filename=summary["filename"],
                page=passage.page,
                html=passage.html,
                score=passage.rank,
                year=summary["year"],
                authors=list(summary["authors"]),
            )
        )
    return answers


def _missing(labels: list[str], held: int) -> list[str]:
    """The labels whose bit is not set in ``held``."""
    return [label for bit, label in enumerate(labels) if not held >> bit & 1]


def _check_sort(sort: str) -> None:
    if sort not in SORTS:
        raise QueryError(f"Unknown sort order {sort!r}; use one of: {', '.join(SORTS)}.")


def _checked(limit: int, page: int, sort: str) -> tuple[int, int]:
    _check_sort(sort)
    return max(1, min(limit, MAX_LIMIT)), max(1, page)


def search(
    index: SearchIndex,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    snippets: bool = True,
    filters: Filters | None = None,
    facets: bool = False,
    thesaurus: Thesaurus | None = None,
    time_limit: float | None = None,
    public: bool = True,
    answers: bool = True,
    glossary: bool = True,
) -> SearchResults:
    """Search the archive. Raises :class:`QueryError` for a query with nothing to search.

    ``filters`` narrow the results (year, authors, tags); ``facets`` also counts, over all
    matching papers, how many each year, author and tag has. ``thesaurus`` defaults to the
    shipped one (pass the home's, :meth:`indexer.home.ArchiveHome.thesaurus`).
    ``time_limit`` defaults to :data:`TIME_LIMIT_S`. ``public`` (the default) leaves out the
    papers the public may not see today (:mod:`archive.access`); staff pass False.
    ``answers`` (with ``snippets``, under relevance) finds the passages that answer a query of
    several words and ranks the first papers by them too; ``glossary`` lets the field's
    general terms count in those passages (:mod:`indexer.engine.glossary`).
    """
    limit, page = _checked(limit, page, sort)
    filters = filters or Filters()
    clock = _Clock(time_limit)
    budget = clock.expansion_budget()
    # One searcher, and each term's postings read once, for the whole search.
    with index.searcher() as searcher, reading_once():
        pasted = _searched_text(searcher, text)
        searched = pasted.query if pasted else text
        parsed = parse(searcher, searched, thesaurus or load_thesaurus(), budget=budget)
        found = _run(
            index.view(searcher),
            parsed,
            limit=limit,
            page=page,
            sort=sort,
            snippets=snippets,
            filters=filters,
            facets=facets,
            clock=clock,
            public=public,
            answers=answers,
            related=load_glossary().related if glossary else None,
            thesaurus=thesaurus or load_thesaurus(),
        )
        hidden = hidden_docs(searcher) if public else None
        suggestion = None
        if pasted is None and len(parsed.units) <= SUGGEST_UP_TO:
            suggestion = did_you_mean(searcher, parsed.text, parsed.expansion, hidden)
        if suggestion is not None:
            # Offered only when more papers hold all of its words than hold all of the
            # query's: searched first.
            try:
                better = parse(searcher, suggestion, thesaurus or load_thesaurus())
                again = _run(
                    index.view(searcher),
                    better,
                    limit=1,
                    page=1,
                    sort="relevance",
                    snippets=False,
                    filters=filters,
                    facets=False,
                    clock=clock,
                    pages=False,
                    public=public,
                )
                helps = again.complete > found.complete
            except QueryError:
                helps = False
            if not helps:
                suggestion = None
    return SearchResults(
        query=text,
        total=found.total,
        hits=found.hits,
        page=page,
        limit=limit,
        sort=sort,
        filters=filters,
        facets=found.facets,
        suggestion=suggestion,
        synonyms=parsed.synonyms,
        capped=parsed.capped,
        incomplete=found.incomplete or budget.cut,
        relaxed=found.relaxed,
        missing=found.missing,
        complete=found.complete,
        readable=found.readable,
        ignored=parsed.ignored,
        answers=found.answers,
        shortened=pasted.query if pasted else None,
        left_out=pasted.left_out if pasted else [],
        warnings=parsed.warnings,
    )


def paper_passages(
    index: SearchIndex,
    paper_id: str,
    text: str,
    *,
    thesaurus: Thesaurus | None = None,
    glossary: bool = True,
) -> tuple[list[int], list[Snippet]]:
    """One paper's pages matching a search (best first) and up to three snippets, the first
    its best passage, as the search's result for the paper showed them: for the paper's page
    opened from the results. ([], []) when the query has nothing to search or the paper none
    of its words. The caller judges access (this reads the paper's pages)."""
    clock = _Clock()
    with index.searcher() as searcher:
        pasted = _searched_text(searcher, text)
        try:
            parsed = parse(
                searcher, pasted.query if pasted else text, thesaurus or load_thesaurus()
            )
        except QueryError:
            return [], []
        view = index.view(searcher)
        owners = page_docs(view, [paper_id])
        if not owners:
            return [], []
        summary = searcher.stored_fields(
            next(iter(searcher.document_numbers(paper_id=paper_id, kind=PAPER)))
        )["summary"]
        hit = _hit({"paper_id": paper_id, "summary": summary}, 0.0)
        passages: dict[str, Passage] = {}
        units = passage_units(
            view,
            parsed,
            load_glossary().related if glossary else None,
            thesaurus or load_thesaurus(),
        )
        reader = None
        if units is not None:
            reader = PassageReader(view, units, clock.expired)
            passages = reader.of_papers(owners, {paper_id: hit.title})
        query = Or([unit for _, unit in parsed.units]) if parsed.units else parsed.query
        _locate_pages(view, query, [hit], True, clock, passages, reader)
    return hit.pages, hit.snippets


def browse(
    index: SearchIndex,
    *,
    limit: int = 10,
    page: int = 1,
    sort: str = "newest",
    filters: Filters | None = None,
    time_limit: float | None = None,
    public: bool = True,
) -> SearchResults:
    """Every paper (narrowed by ``filters``), in ``sort`` order, with facets and no query;
    ``public`` as for :func:`search`."""
    limit, page = _checked(limit, page, sort)
    filters = filters or Filters()
    if sort == "relevance":
        sort = "newest"  # without a query every paper is equally relevant
    with index.searcher() as searcher:
        found = _run(
            index.view(searcher),
            None,
            limit=limit,
            page=page,
            sort=sort,
            snippets=False,
            filters=filters,
            facets=True,
            clock=_Clock(time_limit),
            public=public,
        )
    return SearchResults(
        query="",
        total=found.total,
        hits=found.hits,
        page=page,
        limit=limit,
        sort=sort,
        filters=filters,
        facets=found.facets,
        incomplete=found.incomplete,
        readable=found.readable,
    )


# --- every match at once (for exports and feeds) ------------------------------------------------


def matching_ids(
    index: SearchIndex,
    text: str,
    *,
    limit: int,
    sort: str = "relevance",
    filters: Filters | None = None,
    thesaurus: Thesaurus | None = None,
    public: bool = True,
) -> tuple[int, list[str]]:
    """The total number of papers matching ``text`` and the ids of the first ``limit`` of them,
    in the order :func:`search` lists them (synonyms, filters and all). No snippets, no pages:
    just enough to fetch them.

    Raises :class:`QueryError` as :func:`search` does, and when listing every match would take
    longer than :data:`LIST_TIME_LIMIT_S` (an export must not be silently partial).
    """
    _check_sort(sort)
    clock = _Clock(LIST_TIME_LIMIT_S)
    budget = clock.expansion_budget()
    found = _listed(index, text, limit, sort, filters, thesaurus, public, clock, budget)
    if found.incomplete or budget.cut:
        raise QueryError(
            "Listing every paper of this search took too long; narrow it down and try again."
        )
    return found.total, [hit.id for hit in found.hits]


def _listed(
    index: SearchIndex,
    text: str | None,
    limit: int,
    sort: str,
    filters: Filters | None,
    thesaurus: Thesaurus | None,
    public: bool,
    clock: _Clock,
    budget: ExpansionBudget,
) -> _Found:
    """The first ``limit`` papers of a search (every paper when ``text`` is None), without
    pages or snippets."""
    with index.searcher() as searcher:
        parsed = None
        if text is not None:
            pasted = _searched_text(searcher, text)
            searched = pasted.query if pasted else text
            parsed = parse(searcher, searched, thesaurus or load_thesaurus(), budget=budget)
        return _run(
            index.view(searcher),
            parsed,
            limit=max(1, limit),
            page=1,
            sort=sort,
            snippets=False,
            filters=filters or Filters(),
            facets=False,
            clock=clock,
            pages=False,
            public=public,
        )


def added_matching_ids(
    index: SearchIndex,
    text: str,
    *,
    limit: int,
    filters: Filters | None = None,
    thesaurus: Thesaurus | None = None,
    public: bool = True,
) -> list[str]:
    """The ids of the first ``limit`` papers matching ``text`` (every paper for an empty text)
    and ``filters``, the most recently added first: a search's feed. Raises
    :class:`QueryError` as :func:`search` does; a search cut short by the time limit lists
    what it found (a feed reader asks again)."""
    clock = _Clock()
    searched = text if text.strip() else None
    limit = min(limit, MAX_LIMIT)
    found = _listed(
        index, searched, limit, ADDED, filters, thesaurus, public, clock, clock.expansion_budget()
    )
    return [hit.id for hit in found.hits]


def newest_ids(index: SearchIndex, limit: int, public: bool = True) -> list[str]:
    """The ids of the papers added most recently, newest first (``public``: those the public
    may list)."""
    with index.searcher() as searcher:
        hidden = set(hidden_docs(searcher).tolist()) if public else set()
        results = searcher.search(
            Term("kind", PAPER),
            limit=max(1, limit),
            sortedby="added",
            reverse=True,
            mask=hidden or None,
        )
        return [result["paper_id"] for result in results]
