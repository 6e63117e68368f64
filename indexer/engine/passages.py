"""Passages: the few lines of a page that answer a question, ranked across papers.

A search ranks papers; a student wants the sentence that answers. For a query of several words
(a question, a pasted e-mail) the pages of the best-ranked papers are read and cut into windows
of words; each window is scored by the query's *units* (a word, or a thesaurus name counting as
one) that stand in it together:

- each unit found in the window adds its rarity over all pages (inverse document frequency), so
  the telling words ("snares", "distemper") weigh more than common ones ("wild", "work");
  further occurrences add a little (log-damped);
- a unit that occurs only as part of a name ("leopard" of "Amur leopard") adds half, and is not
  marked;
- glossary words (:mod:`indexer.engine.glossary`: "money" also looks for "compensation") add
  :data:`GLOSSARY_WEIGHT` of their unit's weight;
- the paper's own subject adds to each of its passages: the units its title holds
  (:data:`TITLE_WEIGHT`) and the share of the query's weight the whole paper holds
  (:data:`PAPER_WEIGHT`), so the report written on the subject beats a long book whose pages
  happen to hold the common words.

A window's length is fixed in words, so a page or a paper's length never inflates a score. The
best window is widened to whole sentences (50 to 120 words) and its matched words are marked;
only words that matched a unit (a name only where it stands whole) are marked. Every piece of
page text is HTML-escaped.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from markupsafe import escape
from whoosh.query import Or, Phrase, Query, Term

from indexer.analysis import WORD_PATTERN
from indexer.engine.query_language import ParsedQuery, positive_content_leaves
from indexer.engine.ranking import Evaluator, IndexView, page_docs
from indexer.engine.snippets import index_terms
from indexer.schema import PAGE_FIELD

__all__ = [
    "ANSWERS",
    "MIN_SHARE",
    "NEXT_ANSWER_SHARE",
    "Passage",
    "PassageReader",
    "QueryUnits",
    "query_units",
]

# How many answers a results page shows at most.
ANSWERS = 3
# Words in the window that is scored; a passage shown is widened to sentences within these.
WINDOW_WORDS = 45
MIN_WORDS = 50
MAX_WORDS = 120
# Pages of each candidate paper read for passages (those holding the most of the query).
PAGES_PER_PAPER = 3
# Part of a unit's weight given by a word of a name that is not there whole, and by glossary
# words; the title and whole-paper terms of a passage's score (see the module docstring).
PART_WEIGHT = 0.5
GLOSSARY_WEIGHT = 0.6
TITLE_WEIGHT = 0.35
PAPER_WEIGHT = 0.6
# Where a first page's title echo is looked for (characters from its start).
TITLE_ZONE = 600
# From this many pages on, the share of the query a whole paper holds counts less.
LONG_PAPER_PAGES = 20
# An answer's score must reach this share of the query's whole weight to be shown at all.
MIN_SHARE = 0.3
# A second or third answer is shown only when it scores this share of the first one's.
NEXT_ANSWER_SHARE = 0.5

_WORD = re.compile(WORD_PATTERN)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@dataclass
class Unit:
    """One unit of a query as a passage sees it: single terms and phrases of the page field,
    the words that only count a little (a name's words, glossary words), and its weight."""

    label: str
    terms: set[str] = field(default_factory=set)
    phrases: list[tuple[str, ...]] = field(default_factory=list)
    parts: set[str] = field(default_factory=set)
    # Glossary terms and the weight each adds.
    related: dict[str, float] = field(default_factory=dict)
    weight: float = 0.0


@dataclass
class QueryUnits:
    """The units of a query."""

    units: list[Unit]

    @cached_property
    def wanted(self) -> frozenset[str]:
        """Every term a passage looks for."""
        return frozenset(
            term for unit in self.units for term in (*unit.terms, *unit.parts, *unit.related)
        )

    @property
    def total(self) -> float:
        return sum(unit.weight for unit in self.units)


@dataclass
class Passage:
    """The best passage of one page: where it stands and its score."""

    paper_id: str
    docnum: int
    page: int
    score: float
    html: str
    # The window around the marked words, shorter (for a result's first snippet).
    short_html: str = ""


def _idf(view: IndexView, term: str, pages: int) -> float:
    frequency = view.searcher.reader().doc_frequency(PAGE_FIELD, term)
    return math.log(1 + (pages - frequency + 0.5) / (frequency + 0.5))


def query_units(
    view: IndexView,
    parsed: ParsedQuery,
    related: Callable[[str], Iterable[str]] | None = None,
) -> QueryUnits | None:
    """The units of a query of plain words (None for one word, or explicit syntax only).

    ``related`` gives, for a word as typed, other words whose terms count a little (a
    glossary)."""
    if len(parsed.units) < 2:
        return None
    pages = max(1, view.searcher.doc_count())
    units: list[Unit] = []
    for label, query in parsed.units:
        unit = Unit(label)
        weights = []
        children = query.children() if isinstance(query, Or) else [query]
        for child in children:
            leaves = positive_content_leaves(child)
            terms = [leaf for leaf in leaves if isinstance(leaf, Term)]
            if len(terms) > 1 and len(terms) == len(leaves):
                # A name as typed ("far eastern leopard"): its words count as one, together.
                leaves = [Phrase(PAGE_FIELD, [str(term.text) for term in terms])]
            for leaf in leaves:
                if isinstance(leaf, Term):
                    text = str(leaf.text)
                    unit.terms.add(text)
                    weights.append(_idf(view, text, pages))
                elif isinstance(leaf, Phrase):
                    words = tuple(str(word) for word in leaf.words)
                    unit.phrases.append(words)
                    unit.parts.update(words)
                    # A name is as telling as its rarest word, and more.
                    weights.append(max(_idf(view, word, pages) for word in words) * 1.2)
        if not weights:
            continue
        unit.weight = max(weights)
        if related is not None:
            for word in related(label):
                for term in index_terms(word) - unit.terms:
                    # A rare glossary word ("compensation") tells more than a common one.
                    unit.related[term] = GLOSSARY_WEIGHT * max(unit.weight, _idf(view, term, pages))
        units.append(unit)
    if len(units) < 2:
        return None
    return QueryUnits(units)


def _tokens(
    text: str, wanted: frozenset[str]
) -> tuple[list[tuple[int, int]], dict[int, frozenset[str]]]:
    """Every word's (start, end) in ``text``, and for the words that give some ``wanted``
    term, their position and those terms. A page's distinct words are analyzed once each
    (remembered across pages); a page holding none of the terms is not cut into words."""
    relevant = {}
    # A stem keeps its word's first letters (in English): words that begin otherwise are
    # not analyzed at all. Words of other scripts always are.
    starts = _starts(wanted)
    for word in set(_WORD.findall(text)):
        if word.isascii() and word[:3].lower() not in starts:
            continue
        terms = index_terms(word) & wanted
        if terms:
            relevant[word] = terms
    spans: list[tuple[int, int]] = []
    found: dict[int, frozenset[str]] = {}
    if not relevant:
        return spans, found
    for position, match in enumerate(_WORD.finditer(text)):
        spans.append(match.span())
        terms = relevant.get(match.group())
        if terms:
            found[position] = terms
    return spans, found


@lru_cache(maxsize=64)
def _starts(wanted: frozenset[str]) -> frozenset[str]:
    return frozenset(term[:3] for term in wanted)


def _hits(
    found: dict[int, frozenset[str]], units: list[Unit], whole: frozenset[int] = frozenset()
) -> list[tuple[int, int, float, bool]]:
    """(word position, unit number, weight, marked) for each word that counts for a unit:
    a whole phrase marks all its words. A word of a name counts in full (unmarked) where the
    paper holds the name whole elsewhere (``whole``: "leopard" in the Amur leopard's report)."""
    hits: list[tuple[int, int, float, bool]] = []
    for position, terms in found.items():
        for number, unit in enumerate(units):
            if terms & unit.terms:
                hits.append((position, number, unit.weight, True))
                continue
            complete = False
            for phrase in unit.phrases:
                if phrase[0] in terms and all(
                    word in found.get(position + i, ()) for i, word in enumerate(phrase)
                ):
                    hits += [(position + i, number, unit.weight, True) for i in range(len(phrase))]
                    complete = True
                    break
            if complete:
                continue
            if terms & unit.parts:
                share = 1.0 if number in whole else PART_WEIGHT
                hits.append((position, number, unit.weight * share, False))
                continue
            glossary = [unit.related[term] for term in terms if term in unit.related]
            if glossary:
                hits.append((position, number, max(glossary), True))
    hits.sort()
    return hits


def _window_score(hits: list[tuple[int, int, float, bool]], units: int) -> float:
    best = [0.0] * units
    counts = [0] * units
    for _, unit, weight, _ in hits:
        best[unit] = max(best[unit], weight)
        counts[unit] += 1
    return sum(
        weight * (1 + 0.15 * math.log(counts[unit])) for unit, weight in enumerate(best) if weight
    )


def _best_window(hits: list[tuple[int, int, float, bool]], units: int) -> tuple[float, int, int]:
    """(score, first token, last token) of the best WINDOW_WORDS-token window."""
    best = (0.0, 0, 0)
    end = 0
    for first in range(len(hits)):
        if first and hits[first][0] == hits[first - 1][0]:
            continue
        start = hits[first][0]
        while end < len(hits) and hits[end][0] < start + WINDOW_WORDS:
            end += 1
        inside = hits[first:end]
        score = _window_score(inside, units)
        if score > best[0]:
            best = (score, start, inside[-1][0])
    return best


def _sentence_span(
    text: str, tokens: list[tuple[int, int]], first: int, last: int
) -> tuple[int, int]:
    """Token positions of the passage around ``first``..``last``: from the start of the
    sentence holding ``first`` to the end of the one holding ``last``, MIN_WORDS to MAX_WORDS
    words long."""
    begin = first
    while begin > 0 and first - begin < (MAX_WORDS - (last - first)) // 2:
        between = text[tokens[begin - 1][1] : tokens[begin][0]]
        if _SENTENCE_END.search(between):
            break
        begin -= 1
    end = last
    while end + 1 < len(tokens) and end - begin + 1 < MAX_WORDS:
        between = text[tokens[end][1] : tokens[end + 1][0]]
        if _SENTENCE_END.search(between) and end - begin + 1 >= MIN_WORDS:
            break
        end += 1
    while end - begin + 1 < MIN_WORDS and begin > 0:
        begin -= 1
    return begin, end


def _html(text: str, tokens: list[tuple[int, int]], begin: int, end: int, marked: set[int]) -> str:
    start, stop = tokens[begin][0], tokens[end][1]
    # Keep the full stop that ends the sentence.
    if stop < len(text) and text[stop] in ".!?":
        stop += 1
    pieces = ["…" if begin > 0 else ""]
    at = start
    for position in range(begin, end + 1):
        if position in marked:
            word_start, word_end = tokens[position]
            pieces.append(str(escape(text[at:word_start])))
            pieces.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
            at = word_end
    pieces.append(str(escape(text[at:stop])))
    pieces.append("…" if end + 1 < len(tokens) else "")
    return "".join(pieces).strip()


def page_passage(
    text: str, query: QueryUnits, title: str = "", whole: frozenset[int] = frozenset()
) -> tuple[float, str, str] | None:
    """The best passage of one page's ``text``: (score, passage HTML, shorter HTML), None
    when no word of the query is on it. The paper's ``title`` where the page begins with it
    scores nothing (the title counts once, for every passage of its paper)."""
    tokens, found = _tokens(text, query.wanted)
    hits = _hits(found, query.units, whole)
    spans = _title_spans(text, title) if title else []
    if spans:
        hits = [
            hit for hit in hits if not any(start <= tokens[hit[0]][0] < end for start, end in spans)
        ]
    if not hits:
        return None
    score, first, last = _best_window(hits, len(query.units))
    if score <= 0:
        return None
    marked = {position for position, _, _, mark in hits if mark}
    begin, end = _sentence_span(text, tokens, first, last)
    short_begin = max(begin, first - 8)
    short_end = min(end, max(last, short_begin + 30), short_begin + 55)
    return (
        score,
        _html(text, tokens, begin, end, marked),
        _html(text, tokens, short_begin, short_end, marked),
    )


def _title_spans(text: str, title: str) -> list[tuple[int, int]]:
    """Where the paper's title stands near the start of its first page (a heading, a cover
    page's echo of it): words there score nothing, the title counts once for every passage."""
    words = _WORD.findall(title)
    if not words:
        return []
    pattern = re.compile(r"\W+".join(re.escape(word) for word in words), re.IGNORECASE)
    return [match.span() for match in pattern.finditer(text, 0, TITLE_ZONE)]


def _title_score(title: str, query: QueryUnits) -> float:
    held = {
        unit for _, unit, _, mark in _hits(_tokens(title, query.wanted)[1], query.units) if mark
    }
    return sum(query.units[unit].weight for unit in held)


def _unit_query(unit: Unit, related: bool = False) -> Query:
    leaves: list[Query] = [Term(PAGE_FIELD, term) for term in sorted(unit.terms)]
    leaves += [Phrase(PAGE_FIELD, list(words)) for words in unit.phrases]
    if related:
        leaves += [Term(PAGE_FIELD, term) for term in sorted(unit.related)]
    return Or(leaves) if len(leaves) > 1 else leaves[0]


@dataclass
class PageCover:
    """Which pages of the index hold which of a query's units (glossary words included)."""

    docs: np.ndarray
    weights: np.ndarray
    # For each unit, the pages holding it, and those holding only a word of it (a name's).
    per_unit: list[np.ndarray]
    partly: list[np.ndarray]


def page_cover(view: IndexView, query: QueryUnits, expired: Callable[[], bool]) -> PageCover:
    """Every page holding some unit of ``query``, and the weight of the units it holds (one
    pass over the page field's postings for the whole search)."""
    evaluator = Evaluator(view, expired)
    per_unit = []
    partly_of = []
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for unit in query.units:
        found = evaluator.matches(_unit_query(unit, related=True)).docs
        found = found[~view.papers[found]] if len(found) else found
        per_unit.append(found)
        docs.append(found)
        weights.append(np.full(len(found), unit.weight))
        if unit.parts:
            # Pages holding only a word of a name ("tigers" in the tiger report) count a part.
            parts = [Term(PAGE_FIELD, term) for term in sorted(unit.parts)]
            partly = evaluator.matches(Or(parts) if len(parts) > 1 else parts[0]).docs
            partly = partly[~view.papers[partly] & ~np.isin(partly, found, assume_unique=True)]
            docs.append(partly)
            weights.append(np.full(len(partly), unit.weight * PART_WEIGHT))
        else:
            partly = np.zeros(0, dtype=np.int64)
        partly_of.append(partly)
    if not per_unit:
        return PageCover(np.zeros(0, dtype=np.int64), np.zeros(0), [], [])
    every, where = np.unique(np.concatenate(docs), return_inverse=True)
    weight = np.bincount(where, weights=np.concatenate(weights))
    return PageCover(every, weight, per_unit, partly_of)


class PassageReader:
    """Reads pages for their best passage, each page once per search."""

    def __init__(self, view: IndexView, query: QueryUnits, expired: Callable[[], bool]) -> None:
        self.view = view
        self.query = query
        self.expired = expired
        self.cover = page_cover(view, query, expired)
        self._pages: dict[int, tuple[str, int, tuple[float, str, str] | None]] = {}

    def _page(
        self, docnum: int, titles: dict[str, str], whole: dict[str, frozenset[int]]
    ) -> tuple[str, int, tuple[float, str, str] | None]:
        if docnum not in self._pages:
            fields = self.view.searcher.stored_fields(docnum)
            paper_id = fields["paper_id"]
            number = int(fields.get("page", 0))
            title = titles.get(paper_id, "") if number == 1 else ""
            self._pages[docnum] = (
                paper_id,
                number,
                page_passage(
                    fields.get("page_text", ""),
                    self.query,
                    title,
                    whole.get(paper_id, frozenset()),
                ),
            )
        return self._pages[docnum]

    def _read(
        self,
        pages: list[int],
        priors: dict[str, float],
        titles: dict[str, str],
        whole: dict[str, frozenset[int]],
    ) -> dict[str, Passage]:
        total = self.query.total or 1.0
        best: dict[str, Passage] = {}
        for docnum in pages:
            if self.expired():
                break
            paper_id, number, found = self._page(docnum, titles, whole)
            if found is None or priors.get(paper_id, -1.0) < 0:
                continue
            score = (found[0] + priors[paper_id]) / total
            if paper_id not in best or score > best[paper_id].score:
                best[paper_id] = Passage(paper_id, docnum, number, score, found[1], found[2])
        return best

    def of_papers(self, owners: dict[int, str], titles: dict[str, str]) -> dict[str, Passage]:
        """The best passage of each paper whose pages are ``owners`` ({page document: paper
        id}); none for a paper none of whose pages hold a query word."""
        if not owners or not len(self.cover.docs):
            return {}
        mine = np.array(sorted(owners), dtype=np.int64)
        paper_units: dict[str, set[int]] = {}
        for number, docs in enumerate(self.cover.per_unit):
            for docnum in docs[np.isin(docs, mine, assume_unique=True)].tolist():
                paper_units.setdefault(owners[docnum], set()).add(number)
        keep = np.isin(self.cover.docs, mine, assume_unique=True)
        cover = dict(
            zip(self.cover.docs[keep].tolist(), self.cover.weights[keep].tolist(), strict=True)
        )
        # A page holding a word of a name its paper holds whole counts the name in full.
        for number, partly in enumerate(self.cover.partly):
            unit = self.query.units[number]
            for docnum in partly[np.isin(partly, mine, assume_unique=True)].tolist():
                if number in paper_units.get(owners[docnum], ()):
                    cover[docnum] += unit.weight * (1 - PART_WEIGHT)
        by_paper: dict[str, list[tuple[float, int]]] = {}
        for docnum, weight in cover.items():
            by_paper.setdefault(owners[docnum], []).append((-weight, docnum))
        pages = []
        for found in by_paper.values():
            found.sort()
            pages += [docnum for _, docnum in found[:PAGES_PER_PAPER]]
        lengths = Counter(owners.values())
        priors = {
            paper_id: _prior(
                self.query,
                titles.get(paper_id, ""),
                paper_units.get(paper_id, ()),
                lengths[paper_id],
            )
            for paper_id in by_paper
        }
        names = {number for number, unit in enumerate(self.query.units) if unit.phrases}
        whole = {
            paper_id: frozenset(paper_units.get(paper_id, set()) & names) for paper_id in by_paper
        }
        return self._read(pages, priors, titles, whole)

    def anywhere(
        self, may_answer: Callable[[str], tuple[bool, str]], limit: int = 24
    ) -> dict[str, Passage]:
        """The best passages among the ``limit`` pages of the whole index holding most of the
        query's weight, whichever papers the search ranked first: a question worded otherwise
        than its report still finds the page. ``may_answer(paper_id)`` says whether a paper
        may give answers, and its title."""
        if not len(self.cover.docs):
            return {}
        count = min(limit, len(self.cover.docs))
        chosen = np.argpartition(-self.cover.weights, count - 1)[:count]
        chosen = chosen[np.argsort(-self.cover.weights[chosen], kind="stable")]
        papers: dict[str, str] = {}
        refused: set[str] = set()
        for docnum in self.cover.docs[chosen].tolist():
            paper_id = self.view.searcher.stored_fields(docnum)["paper_id"]
            if paper_id in papers or paper_id in refused:
                continue
            allowed, title = may_answer(paper_id)
            if allowed:
                papers[paper_id] = title
            else:
                refused.add(paper_id)
        # Scored as the first papers' passages are: the whole paper's part of the query counts.
        return self.of_papers(page_docs(self.view, list(papers)), papers)


def _prior(query: QueryUnits, title: str, held: Iterable[int], pages: int) -> float:
    """What a paper's subject adds to each of its passages: its title's units, and the weight
    of the units the whole paper holds, less for a long paper (hundreds of pages hold most
    words somewhere)."""
    length = 1.0 / (1.0 + math.log(max(1.0, pages / LONG_PAPER_PAGES)))
    return TITLE_WEIGHT * _title_score(title, query) + PAPER_WEIGHT * length * sum(
        query.units[unit].weight for unit in held
    )
