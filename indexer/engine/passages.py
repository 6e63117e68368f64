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
from whoosh.query import DisjunctionMax, Or, Phrase, Query, Term

from indexer.analysis import WORD_PATTERN
from indexer.engine.query_language import ParsedQuery, positive_content_leaves
from indexer.engine.ranking import Evaluator, IndexView
from indexer.engine.snippets import index_terms, occurrences
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
# Characters of the window that is scored (about 45 words); a passage shown is widened to
# sentences of MIN_WORDS to MAX_WORDS words, looking back and ahead this many characters.
WINDOW_CHARS = 300
MIN_WORDS = 50
MAX_WORDS = 120
BACK_CHARS = 300
MAX_CHARS = 700
# A result's first snippet: its best passage, from a little before the first word marked.
SHORT_BEFORE = 60
SHORT_CHARS = 300
# Pages of each candidate paper read for passages (those holding the most of the query).
PAGES_PER_PAPER = 2
# Part of a unit's weight given by a word of a name that is not there whole, and by glossary
# words; the title and whole-paper terms of a passage's score (see the module docstring).
PART_WEIGHT = 0.5
GLOSSARY_WEIGHT = 0.6
# Each further glossary word of a unit in a window adds this share of its weight.
DISTINCT_SHARE = 0.3
TITLE_WEIGHT = 0.35
PAPER_WEIGHT = 0.6
# Over the whole index, pages are looked for by the terms at most this share of the pages (or
# RARE_MIN pages) hold.
RARE_PAGES = 0.02
RARE_MIN = 200
# Where a first page's title echo is looked for (characters from its start).
TITLE_ZONE = 600
# From this many pages on, the share of the query a whole paper holds counts less.
LONG_PAPER_PAGES = 20
# An answer's score must reach this share of the query's whole weight to be shown at all.
MIN_SHARE = 0.3
# A second or third answer is shown only when it scores this share of the first one's.
NEXT_ANSWER_SHARE = 0.5

_NO_DOCS = np.zeros(0, dtype=np.int64)
_WORD = re.compile(WORD_PATTERN)
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
_NON_SPACE = re.compile(r"\S+")


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
        # A name's translations counted as one (a DisjunctionMax): each is a name of its own.
        children = [c for child in children for c in _alternatives(child)]
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


def _alternatives(query: Query) -> list[Query]:
    return list(query.children()) if isinstance(query, DisjunctionMax) else [query]


# (start, end, index terms wanted) of a word of a page.
_Word = tuple[int, int, frozenset[str]]
# (start, end, unit number, weight, marked, term) of a word that counts for a unit; the term
# is the glossary word's ("" for the words of the unit itself).
_Hit = tuple[int, int, int, float, bool, str]


@lru_cache(maxsize=64)
def _starts(wanted: frozenset[str]) -> frozenset[str]:
    return frozenset(term[:3] for term in wanted)


def _words(text: str, wanted: frozenset[str]) -> list[_Word]:
    """The words of ``text`` that give some ``wanted`` term, in order, with those terms.

    A page's distinct words are analyzed once each (remembered across pages), and only those
    beginning as a wanted term does (a stem keeps its word's first letters in English; words
    of other scripts are always analyzed); the few that match are then found with
    ``str.find``, so a page is never cut into words in Python.
    """
    starts = _starts(wanted)
    found: list[_Word] = []
    for word in set(_WORD.findall(text)):
        if word.isascii() and word[:3].lower() not in starts:
            continue
        terms = index_terms(word) & wanted
        if terms:
            found += [(start, start + len(word), terms) for start in occurrences(text, word)]
    found.sort(key=lambda item: item[0])
    return found


def _adjacent(text: str, end: int, start: int) -> bool:
    """Whether two words stand next to each other (a space or a hyphen between them)."""
    gap = text[end:start]
    return len(gap) <= 3 and not any(char.isalnum() for char in gap)


def _hits(
    text: str, words: list[_Word], units: list[Unit], whole: frozenset[int] = frozenset()
) -> list[_Hit]:
    """Each word that counts for a unit, with its weight and whether it is marked: a whole
    phrase marks all its words. A word of a name counts in full (unmarked) where the paper
    holds the name whole elsewhere (``whole``: "leopard" in the Amur leopard's report)."""
    hits: list[_Hit] = []
    for at, (start, end, terms) in enumerate(words):
        for number, unit in enumerate(units):
            if terms & unit.terms:
                hits.append((start, end, number, unit.weight, True, ""))
                continue
            complete = False
            for phrase in unit.phrases:
                if phrase[0] in terms and _phrase_at(text, words, at, phrase):
                    hits += [
                        (words[at + i][0], words[at + i][1], number, unit.weight, True, "")
                        for i in range(len(phrase))
                    ]
                    complete = True
                    break
            if complete:
                continue
            if terms & unit.parts:
                share = 1.0 if number in whole else PART_WEIGHT
                hits.append((start, end, number, unit.weight * share, False, ""))
                continue
            glossary = [(unit.related[term], term) for term in terms if term in unit.related]
            if glossary:
                weight, term = max(glossary)
                hits.append((start, end, number, weight, True, term))
    hits.sort()
    return hits


def _phrase_at(text: str, words: list[_Word], at: int, phrase: tuple[str, ...]) -> bool:
    if at + len(phrase) > len(words):
        return False
    for i in range(1, len(phrase)):
        if phrase[i] not in words[at + i][2]:
            return False
        if not _adjacent(text, words[at + i - 1][1], words[at + i][0]):
            return False
    return True


def _window_score(hits: list[_Hit], units: int) -> float:
    """Each unit in the window: its best word's weight, a little more for each further
    occurrence (log-damped) and for each other glossary word of it (several words of one
    subject together: "rangers patrol ... protection")."""
    found: list[dict[str, float]] = [{} for _ in range(units)]
    counts = [0] * units
    for _, _, unit, weight, _, term in hits:
        found[unit][term] = max(found[unit].get(term, 0.0), weight)
        counts[unit] += 1
    score = 0.0
    for unit, weights in enumerate(found):
        if not weights:
            continue
        best = max(weights.values())
        others = min(best, sum(weights.values()) - best)
        score += best * (1 + 0.15 * math.log(counts[unit])) + DISTINCT_SHARE * others
    return score


def _best_window(hits: list[_Hit], units: int) -> tuple[float, int, int]:
    """(score, first hit, last hit) of the best window of WINDOW_CHARS characters."""
    best = (0.0, 0, 0)
    end = 0
    for first in range(len(hits)):
        if first and hits[first][0] == hits[first - 1][0]:
            continue
        start = hits[first][0]
        end = max(end, first)
        while end < len(hits) and hits[end][0] < start + WINDOW_CHARS:
            end += 1
        score = _window_score(hits[first:end], units)
        if score > best[0]:
            best = (score, first, end - 1)
    return best


def _word_count(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _sentence_span(text: str, first: int, last: int) -> tuple[int, int]:
    """Character span of the passage around ``first``..``last``: from the start of the
    sentence holding ``first`` to the end of the one holding ``last``, MIN_WORDS to MAX_WORDS
    words long (about)."""
    begin = first
    for _ in range(4):
        low = max(0, begin - BACK_CHARS)
        starts = [match.end() for match in _SENTENCE_END.finditer(text, low, begin)]
        if starts:
            begin = starts[-1]
        elif low == 0:
            begin = 0
        else:
            space = text.find(" ", low, begin)
            begin = space + 1 if space >= 0 else begin
        if begin == 0 or _word_count(text, begin, last) >= MIN_WORDS // 2:
            break
    while begin < len(text) and text[begin].isspace():
        begin += 1
    limit = min(len(text), last + MAX_CHARS)
    end = None
    for match in _SENTENCE_END.finditer(text, last, limit):
        if _word_count(text, begin, match.end()) >= MIN_WORDS:
            end = match.end()
            break
    if end is None:
        end = limit if limit == len(text) else max(text.rfind(" ", last, limit), last)
    if _word_count(text, begin, end) > MAX_WORDS:
        ends = [match.end() for match in _NON_SPACE.finditer(text, begin, end)]
        end = max(ends[MAX_WORDS - 1], last)
    return begin, end


def _html(text: str, begin: int, end: int, hits: list[_Hit]) -> str:
    """``text[begin:end]`` escaped, the marked hits in ``<mark>``, "…" where it is cut."""
    pieces = ["…" if begin > 0 else ""]
    at = begin
    for start, stop, _, _, marked, _ in hits:
        if not marked or start < at or stop > end:
            continue
        pieces.append(str(escape(text[at:start])))
        pieces.append(f"<mark>{escape(text[start:stop])}</mark>")
        at = stop
    pieces.append(str(escape(text[at:end])))
    pieces.append("…" if end < len(text.rstrip()) else "")
    return "".join(pieces).strip()


def page_passage(
    text: str, query: QueryUnits, title: str = "", whole: frozenset[int] = frozenset()
) -> tuple[float, str, str] | None:
    """The best passage of one page's ``text``: (score, passage HTML, shorter HTML), None
    when no word of the query is on it. The paper's ``title`` where the page begins with it
    scores nothing (the title counts once, for every passage of its paper)."""
    words = _words(text, query.wanted)
    if not words:
        return None
    hits = _hits(text, words, query.units, whole)
    spans = _title_spans(text, title) if title else []
    if spans:
        hits = [hit for hit in hits if not any(a <= hit[0] < b for a, b in spans)]
    if not hits:
        return None
    score, first, last = _best_window(hits, len(query.units))
    if score <= 0:
        return None
    start, stop = hits[first][0], hits[last][1]
    begin, end = _sentence_span(text, start, stop)
    short_begin = max(begin, start - SHORT_BEFORE)
    if short_begin > begin:
        space = text.find(" ", short_begin, start)
        short_begin = space + 1 if space >= 0 else short_begin
    short_end = min(end, max(stop, short_begin + SHORT_CHARS))
    if short_end < end:
        space = text.rfind(" ", stop, short_end)
        short_end = space if space > stop else short_end
    return score, _html(text, begin, end, hits), _html(text, short_begin, short_end, hits)


def _title_spans(text: str, title: str) -> list[tuple[int, int]]:
    """Where the paper's title stands near the start of its first page (a heading, a cover
    page's echo of it): words there score nothing, the title counts once for every passage."""
    words = _WORD.findall(title)
    if not words:
        return []
    pattern = re.compile(r"\W+".join(re.escape(word) for word in words), re.IGNORECASE)
    return [match.span() for match in pattern.finditer(text, 0, TITLE_ZONE)]


def _title_score(title: str, query: QueryUnits) -> float:
    hits = _hits(title, _words(title, query.wanted), query.units)
    held = {unit for _, _, unit, _, marked, _ in hits if marked}
    return sum(query.units[unit].weight for unit in held)


@dataclass
class PageCover:
    """Which pages of the index hold which of a query's units (glossary words included)."""

    docs: np.ndarray
    weights: np.ndarray
    # For each unit, the pages holding it, and those holding only a word of it (a name's).
    per_unit: list[np.ndarray]
    partly: list[np.ndarray]


def page_cover(
    view: IndexView,
    query: QueryUnits,
    expired: Callable[[], bool],
    within: np.ndarray | None = None,
) -> PageCover:
    """The pages holding some unit of ``query`` (glossary words included), and the weight
    of the units each holds: among the pages ``within`` (sorted), every term read (only the
    postings' blocks that may hold them are); over the whole index, only the terms at most
    RARE_PAGES of the pages hold (the telling words: a common word's postings over 100,000
    pages cost more than the rest of a search).

    Candidate pages only: a name counts where a page holds all its words (over the whole
    index, any of its rare words), without reading positions; a page's passage then checks
    that it stands whole. Each term's postings are read once.
    """
    evaluator = Evaluator(view, expired, within=within)
    reader = view.searcher.reader()
    most = max(RARE_MIN, RARE_PAGES * view.searcher.doc_count())
    read: dict[str, np.ndarray] = {}

    def pages_of(term: str) -> np.ndarray:
        if term not in read:
            if within is None and reader.doc_frequency(PAGE_FIELD, term) > most:
                read[term] = _NO_DOCS
            else:
                found = evaluator.matches(Term(PAGE_FIELD, term)).docs
                read[term] = found[~view.papers[found]] if len(found) else found
        return read[term]

    def any_of(terms: Iterable[str]) -> np.ndarray:
        found = [pages_of(term) for term in sorted(terms)]
        found = [docs for docs in found if len(docs)]
        return np.unique(np.concatenate(found)) if found else _NO_DOCS

    per_unit = []
    partly_of = []
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for unit in query.units:
        parts = [any_of(unit.terms), any_of(unit.related)]
        for words in unit.phrases:
            if within is None:
                parts.append(any_of(words))
            else:
                held = pages_of(words[0])
                for word in words[1:]:
                    held = np.intersect1d(held, pages_of(word), assume_unique=True)
                parts.append(held)
        found = parts[0] if len(parts) == 1 else np.unique(np.concatenate(parts))
        per_unit.append(found)
        docs.append(found)
        weights.append(np.full(len(found), unit.weight))
        partly = _NO_DOCS
        if unit.parts:
            # Pages holding only a word of a name ("tigers" in the tiger report) count a part.
            partly = any_of(unit.parts)
            partly = partly[~np.isin(partly, found, assume_unique=True)]
            docs.append(partly)
            weights.append(np.full(len(partly), unit.weight * PART_WEIGHT))
        partly_of.append(partly)
    if not per_unit:
        return PageCover(_NO_DOCS, np.zeros(0), [], [])
    every, where = np.unique(np.concatenate(docs), return_inverse=True)
    weight = np.bincount(where, weights=np.concatenate(weights))
    return PageCover(every, weight, per_unit, partly_of)


class PassageReader:
    """Reads pages for their best passage, each page once per search."""

    def __init__(self, view: IndexView, query: QueryUnits, expired: Callable[[], bool]) -> None:
        self.view = view
        self.query = query
        self.expired = expired
        # Over the whole index, its telling words only (see page_cover).
        self.cover = page_cover(view, query, expired)
        self._pages: dict[int, tuple[str, int, tuple[float, str, str] | None]] = {}
        # Per paper read: its title and the names it holds whole.
        self._titles: dict[str, str] = {}
        self._whole: dict[str, frozenset[int]] = {}

    def snippet(self, docnum: int) -> str | None:
        """A page's best passage, shortened (a result's further snippets), marked as answers
        are; None when no word of the query is on it."""
        found = self._page(docnum, self._titles, self._whole)[2]
        return found[2] if found else None

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
        if not owners:
            return {}
        mine = np.array(sorted(owners), dtype=np.int64)
        # Every term of the query, read only in these papers' pages.
        local = page_cover(self.view, self.query, self.expired, within=mine)
        paper_units: dict[str, set[int]] = {}
        for number, docs in enumerate(local.per_unit):
            for docnum in docs.tolist():
                paper_units.setdefault(owners[docnum], set()).add(number)
        cover = dict(zip(local.docs.tolist(), local.weights.tolist(), strict=True))
        # A page holding a word of a name its paper holds whole counts the name in full.
        for number, partly in enumerate(local.partly):
            unit = self.query.units[number]
            for docnum in partly.tolist():
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
        self._titles.update(titles)
        self._whole.update(whole)
        return self._read(pages, priors, titles, whole)

    def papers_anywhere(
        self, may_answer: Callable[[str], tuple[bool, str]], limit: int = 24
    ) -> dict[str, str]:
        """The papers (id: title) of the ``limit`` pages of the whole index holding most of
        the query's telling words, whichever papers the search ranked first: a question
        worded otherwise than its report still finds the page. ``may_answer(paper_id)`` says
        whether a paper may give answers, and its title; those that may not are left out."""
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
        return papers


def _prior(query: QueryUnits, title: str, held: Iterable[int], pages: int) -> float:
    """What a paper's subject adds to each of its passages: its title's units, and the weight
    of the units the whole paper holds, less for a long paper (hundreds of pages hold most
    words somewhere)."""
    length = 1.0 / (1.0 + math.log(max(1.0, pages / LONG_PAPER_PAGES)))
    return TITLE_WEIGHT * _title_score(title, query) + PAPER_WEIGHT * length * sum(
        query.units[unit].weight for unit in held
    )
