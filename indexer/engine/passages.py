"""Passages: the few lines of a page that answer a question, ranked across papers.

A search ranks papers; a student wants the sentence that answers. For a query of several words
(a question, a pasted e-mail) the pages of the best-ranked papers are read and cut into windows
of words; each window is scored by the query's *units* (a word, or a thesaurus name counting as
one) that stand in it together:

- each unit found in the window adds its rarity over all pages (inverse document frequency), so
  the telling words ("snares", "distemper") weigh more than common ones ("wild", "work");
  further occurrences add a little (log-damped);
- a word of the page counts once, for the unit it gives most, and a name's words once;
- a unit that occurs only as part of a name ("leopard" of "Amur leopard") adds half, and is not
  marked; a word typed standing inside another thesaurus name ("leopards" of "snow leopards")
  adds half, a word of a name inside another name ("Amur" of "Amur tigers") nothing;
- an irregular plural is the word typed ("wolves" for "wolf");
- a question asking for a number ("how many", "when") counts a number near its words as one
  more unit (:data:`NUMBER_SHARE`): a year for a date, any other number for a count;
- question words the search leaves out that the glossary knows ("why", "most") count as small
  units held by their glossary words (:data:`CUE_SHARE`);
- glossary words (:mod:`indexer.engine.glossary`: "money" also looks for "compensation") add
  :data:`GLOSSARY_WEIGHT` of their unit's weight;
- the paper's own subject adds to each of its passages: the units its title holds
  (:data:`TITLE_WEIGHT`), those its abstract and tags hold (:data:`ABOUT_WEIGHT`) and the
  share of the query's weight the whole paper holds (:data:`PAPER_WEIGHT`), so the report
  written on the subject beats a long book whose pages happen to hold the common words;
- within a paper, the units its title names count :data:`SUBJECT_SHARE` in choosing which of
  its passages answers (the page holding the rest of the question), and on its first page
  those of its opening :data:`OPENING_SHARE` (an introduction restating the subject).

A window's length is fixed in words, so a page or a paper's length never inflates a score. The
best window is widened to whole sentences (50 to 120 words) and its matched words are marked;
only words that matched a unit (a name only where it stands whole) are marked. Every piece of
page text is HTML-escaped.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from markupsafe import escape
from whoosh.query import DisjunctionMax, Or, Phrase, Query, Term

from indexer.analysis import LETTER_PATTERN, WORD_PATTERN
from indexer.engine.query_language import ParsedQuery, positive_content_leaves
from indexer.engine.ranking import Evaluator, IndexView
from indexer.engine.snippets import index_terms, occurrences
from indexer.engine.thesaurus import Thesaurus
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
PAGES_TIED = 4
# Part of a unit's weight given by a word of a name that is not there whole, and by glossary
# words; the title and whole-paper terms of a passage's score (see the module docstring).
PART_WEIGHT = 0.5
GLOSSARY_WEIGHT = 0.6
# Each further glossary word of a unit in a window adds this share of its weight.
DISTINCT_SHARE = 0.3
TITLE_WEIGHT = 0.35
# The units a paper's abstract or tags hold, as the index weighs those fields: half the title.
ABOUT_WEIGHT = TITLE_WEIGHT / 2
ABOUT_FIELDS = ("abstract", "tags")
PAPER_WEIGHT = 0.6
# Over the whole index, pages are looked for by the terms at most this share of the pages (or
# RARE_MIN pages) hold.
RARE_PAGES = 0.02
RARE_MIN = 200
# Where a first page's title echo is looked for (characters from its start).
TITLE_ZONE = 600
# From this many pages on, the share of the query a whole paper holds counts less.
LONG_PAPER_PAGES = 20
# Within a paper, the units its title holds (its subject: "snow leopards" in "Snow Leopards and
# Herders") count this share of their weight when its passages are compared with each other:
# the page that answers is the one holding the rest of the question ("corrals"). Across
# papers a passage keeps its whole score (the title adds to every passage of its paper).
SUBJECT_SHARE = 0.25
# On a paper's first page, the units its opening holds (a heading, the sentence saying what the
# paper is about) count this share in choosing its page: they restate the subject.
OPENING_SHARE = 0.1
# A question asking for a number ("how many", "how much", "when", "how big"...) is answered by
# a passage holding one: a number near the question's words counts as a unit of this share of
# the mean weight of the question's units.
NUMBER_SHARE = 0.5
# A word of the question the search leaves out ("why", "most", "done") that the glossary knows
# counts this share of the mean unit's weight, held by its glossary words ("because",
# "largest", "patrol"): the question's form still tells which passage answers.
CUE_SHARE = 0.5
# An answer's score must reach this share of the query's whole weight to be shown at all.
MIN_SHARE = 0.3
# A second or third answer is shown only when it scores this share of the first one's.
NEXT_ANSWER_SHARE = 0.5

_NO_DOCS = np.zeros(0, dtype=np.int64)
_WORD = re.compile(WORD_PATTERN)
_LETTER = re.compile(LETTER_PATTERN)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# A page with more than this share of characters outside ASCII is cut into words whole.
_MOSTLY_OTHER_SCRIPT = 1 / 50
# Questions whose answer is a number (English and Russian): a count or a size ("how many",
# "how big") or a date ("when" only where it asks: at the start of a question, not "do they
# get money when..."). A year answers a date, never a count ("in 2019 the team set 240 camera
# traps": 240 answers "how many cameras", not 2019).
_ASKS_COUNT = re.compile(
    r"\b(how\s+(many|much|big|large|high|tall|far|long|old|often|wide|deep|heavy|fast)|"
    r"сколько)\b",
    re.IGNORECASE,
)
_ASKS_DATE = re.compile(
    r"\b(what\s+year|which\s+year|в\s+каком\s+году)\b|(^|[.?!;:]\s*|\band\s+)(when|когда)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w])")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
# Plurals the stemmer does not bring back to their word ("wolves" is "wolv", "wolf" is
# "wolf"): a passage counts them as the word typed.
_IRREGULAR = {
    "mouse": "mice",
    "louse": "lice",
    "goose": "geese",
    "tooth": "teeth",
    "foot": "feet",
    "child": "children",
    "ox": "oxen",
    "person": "people",
    "man": "men",
    "woman": "women",
    "cactus": "cacti",
    "fungus": "fungi",
    "larva": "larvae",
    "pupa": "pupae",
    "genus": "genera",
    "criterion": "criteria",
    "phenomenon": "phenomena",
}
_SINGULAR = {plural: word for word, plural in _IRREGULAR.items()}
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
    # Other names of the thesaurus that hold one of its terms, with where ("leopard" in
    # "snow leopard"): where one stands whole, the term is a part of another thing.
    inside: list[tuple[tuple[str, ...], int]] = field(default_factory=list)


@dataclass
class QueryUnits:
    """The units of a query; ``number`` is the weight a number adds to a passage when the
    question asks for one (0 otherwise)."""

    units: list[Unit]
    number: float = 0.0
    # Which numbers answer a question asking for one: years (a date), other numbers (a count).
    years: bool = True
    counts: bool = True

    @cached_property
    def wanted(self) -> frozenset[str]:
        """Every term a passage looks for."""
        return frozenset(
            term
            for unit in self.units
            for term in (
                *unit.terms,
                *unit.parts,
                *unit.related,
                *(word for name, _ in unit.inside for word in name),
            )
        )

    @property
    def total(self) -> float:
        return sum(unit.weight for unit in self.units) + self.number


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
    # How it ranks among answers: its score, and its paper's share where the search found it.
    rank: float = 0.0

    def __post_init__(self) -> None:
        self.rank = self.rank or self.score


def _idf(view: IndexView, term: str, pages: int) -> float:
    frequency = view.searcher.reader().doc_frequency(PAGE_FIELD, term)
    return math.log(1 + (pages - frequency + 0.5) / (frequency + 0.5))


def query_units(
    view: IndexView,
    parsed: ParsedQuery,
    related: Callable[[str], Iterable[str]] | None = None,
    thesaurus: Thesaurus | None = None,
) -> QueryUnits | None:
    """The units of a query of plain words (None for one word, or explicit syntax only).

    ``related`` gives, for a word as typed, other words whose terms count a little (a
    glossary); the ``thesaurus``' names of several words tell where a word typed stands in
    the name of another thing ("leopards" in "snow leopards")."""
    names = _names_by_term(thesaurus) if thesaurus is not None else {}
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
        for form in _other_forms(label):
            unit.terms.update(
                term
                for term in index_terms(form)
                if view.searcher.reader().doc_frequency(PAGE_FIELD, term)
            )
        own = set(unit.phrases)
        unit.inside = [
            (name, at)
            for term in sorted(unit.terms | unit.parts)
            for name, at in names.get(term, ())
            if name not in own
        ]
        if related is not None:
            for word in related(label):
                for term in index_terms(word) - unit.terms:
                    # A rare glossary word ("compensation") tells more than a common one,
                    # but never more than the word typed ("population" for "how many").
                    unit.related[term] = min(
                        unit.weight, GLOSSARY_WEIGHT * max(unit.weight, _idf(view, term, pages))
                    )
        units.append(unit)
    if len(units) < 2:
        return None
    if related is not None:
        units += _cues(view, parsed.text, units, related, pages)
    number = 0.0
    counts = bool(_ASKS_COUNT.search(parsed.text))
    dates = bool(_ASKS_DATE.search(parsed.text))
    if counts or dates:
        number = NUMBER_SHARE * sum(unit.weight for unit in units) / len(units)
    return QueryUnits(units, number, years=dates or not counts, counts=counts or not dates)


def _cues(
    view: IndexView,
    text: str,
    units: list[Unit],
    related: Callable[[str], Iterable[str]],
    pages: int,
) -> list[Unit]:
    """Units of the question's words the search leaves out ("why", "most", "done") that the
    glossary knows: each counts CUE_SHARE of the mean unit's weight, held by its glossary
    words only ("because", "largest", "patrol")."""
    typed = {term for unit in units for term in (*unit.terms, *unit.parts)}
    labels = {unit.label.lower() for unit in units}
    weight = CUE_SHARE * sum(unit.weight for unit in units) / len(units)
    cues: dict[str, Unit] = {}
    for word in _WORD.findall(text):
        word = word.lower()
        if word in labels or word in cues or index_terms(word) & typed:
            continue
        terms = {
            term
            for other in related(word)
            for term in index_terms(other)
            if term not in typed and view.searcher.reader().doc_frequency(PAGE_FIELD, term)
        }
        if terms:
            cues[word] = Unit(word, related=dict.fromkeys(sorted(terms), weight), weight=weight)
    return list(cues.values())


_NAMES: dict[int, tuple[Thesaurus, dict[str, list[tuple[tuple[str, ...], int]]]]] = {}


def _names_by_term(thesaurus: Thesaurus) -> dict[str, list[tuple[tuple[str, ...], int]]]:
    """For each term, the thesaurus' names of several words holding it, and where (kept for
    the few thesauri in use: a home's is the same object until its file changes)."""
    kept = _NAMES.get(id(thesaurus))
    if kept is not None and kept[0] is thesaurus:
        return kept[1]
    found: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    for concept in thesaurus.concepts:
        for name in concept.names:
            words = _WORD.findall(name)
            if len(words) < 2:
                continue
            key = tuple(min(index_terms(word), default="") for word in words)
            if "" in key:
                continue  # a stop word inside: never adjacent in the index's words
            for at, term in enumerate(key):
                if (key, at) not in found.get(term, []):
                    found.setdefault(term, []).append((key, at))
    if len(_NAMES) >= 4:
        _NAMES.clear()
    _NAMES[id(thesaurus)] = (thesaurus, found)
    return found


def _other_forms(label: str) -> list[str]:
    """The irregular plural or singular of a word typed ("wolves" for "wolf"), none for a
    name of several words."""
    word = label.lower()
    if not word.isalpha():
        return []
    if word in _IRREGULAR:
        return [_IRREGULAR[word]]
    if word in _SINGULAR:
        return [_SINGULAR[word]]
    if word.endswith("ves") and len(word) > 4:
        return [word[:-3] + "f", word[:-3] + "fe"]
    if word.endswith("fe") and len(word) > 3:
        return [word[:-2] + "ves"]
    if word.endswith("f") and not word.endswith("ff") and len(word) > 2:
        return [word[:-1] + "ves"]
    return []


def _alternatives(query: Query) -> list[Query]:
    return list(query.children()) if isinstance(query, DisjunctionMax) else [query]


# (start, end, index terms wanted) of a word of a page.
_Word = tuple[int, int, frozenset[str]]
# (start, end, unit number, weight, marked, term) of a word that counts for a unit; the term
# is the glossary word's ("" for the words of the unit itself, _MORE for a name's further
# words).
_Hit = tuple[int, int, int, float, bool, str]
_MORE = "\x00"


@lru_cache(maxsize=64)
def _starts(wanted: frozenset[str]) -> frozenset[str]:
    return frozenset(term[:3] for term in wanted)


def _is_letter(char: str) -> bool:
    return char.isalnum() or char == "_" or (char > "\u02ff" and _LETTER.match(char) is not None)


def _word_at(text: str, at: int) -> re.Match[str] | None:
    """The word of the tokenizer that the character at ``at`` begins or stands in."""
    while at > 0 and (
        _is_letter(text[at - 1]) or (text[at - 1] in ".-" and at > 1 and _is_letter(text[at - 2]))
    ):
        at -= 1
    return _WORD.match(text, at)


def _maybe_words(text: str, starts: frozenset[str]) -> set[str]:
    """The distinct words of ``text`` that may begin as one of ``starts`` (the word or a
    hyphenated part of it) or are written in another script: every word :func:`_words` keeps,
    and a few more.

    Found with ``str.find`` in the lowercased page, then read whole where they stand: cutting
    an English page into words with the tokenizer's pattern cost three times as much, and
    was the largest part of finding a search's passages. A page mostly in another script, or
    whose lowercase is longer than itself, is cut into words whole.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        return set(_WORD.findall(text))
    at_words: list[int] = []
    if not text.isascii():
        if len(text) - len(text.encode("ascii", "ignore")) > len(text) * _MOSTLY_OTHER_SCRIPT:
            return set(_WORD.findall(text))
        at_words = [found.start() for found in _NON_ASCII.finditer(text)]
    for start in starts:
        at = lowered.find(start)
        while at >= 0:
            if at == 0 or not _is_letter(text[at - 1]):
                at_words.append(at)
            at = lowered.find(start, at + 1)
    words: set[str] = set()
    end = -1
    for at in sorted(at_words):
        if at >= end and _is_letter(text[at]) and (found := _word_at(text, at)) is not None:
            words.add(found.group())
            end = found.end()
    return words


def _words(text: str, wanted: frozenset[str]) -> list[_Word]:
    """The words of ``text`` that give some ``wanted`` term, in order, with those terms.

    A page's distinct words are analyzed once each (remembered across pages), and only those
    beginning as a wanted term does (a stem keeps its word's first letters in English; words
    of other scripts are always analyzed); the few that match are then found with
    ``str.find``, so a page is never cut into words in Python.
    """
    starts = _starts(wanted)
    found: list[_Word] = []
    for word in _maybe_words(text, starts):
        if (
            word.isascii()
            and word[:3].lower() not in starts
            # (each part of a hyphenated word is a term: "predator-proof")
            and ("-" not in word or all(p[:3].lower() not in starts for p in word.split("-")))
        ):
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
    holds the name whole elsewhere (``whole``: "leopard" in the Amur leopard's report).

    A word of the page counts once, for the unit it gives most ("protection" answers "ensure"
    or "survival", not both), and the words of a name found whole count for that name only."""
    hits: list[_Hit] = []
    inside = -1
    for at, (_, _, terms) in enumerate(words):
        if at <= inside:
            continue  # a later word of a name already counted
        best: tuple[float, int, int, bool, str] | None = None
        for number, unit in enumerate(units):
            found: tuple[float, int, int, bool, str] | None = None
            if terms & unit.terms:
                if _in_other_name(text, words, at, terms, unit):
                    # "leopards" of "snow leopards" for a question on leopards: a part.
                    found = (unit.weight * PART_WEIGHT, -number, 1, False, "")
                else:
                    found = (unit.weight, -number, 1, True, "")
            else:
                for phrase in unit.phrases:
                    if phrase[0] in terms and _phrase_at(text, words, at, phrase):
                        found = (unit.weight, -number, len(phrase), True, "")
                        break
            if found is None and terms & unit.parts:
                if _in_other_name(text, words, at, terms, unit):
                    continue  # "Amur" of "Amur tigers" says nothing of the Amur leopard
                share = 1.0 if number in whole else PART_WEIGHT
                found = (unit.weight * share, -number, 1, False, "")
            if found is None:
                glossary = [(unit.related[term], term) for term in terms if term in unit.related]
                if glossary:
                    weight, term = max(glossary)
                    found = (weight, -number, 1, True, term)
            if found is not None and (best is None or found[:2] > best[:2]):
                best = found
        if best is None:
            continue
        weight, number, length, marked, term = best
        # The further words of a name are marked but are no further occurrence of it.
        hits += [
            (words[at + i][0], words[at + i][1], -number, weight, marked, term if i == 0 else _MORE)
            for i in range(length)
        ]
        inside = at + length - 1
    return hits


def _in_other_name(
    text: str, words: list[_Word], at: int, terms: frozenset[str], unit: Unit
) -> bool:
    """Whether the word ``at`` stands in the whole name of another thing than ``unit``'s."""
    return any(
        name[place] in terms and at >= place and _phrase_at(text, words, at - place, name)
        for name, place in unit.inside
    )


def _phrase_at(text: str, words: list[_Word], at: int, phrase: tuple[str, ...]) -> bool:
    if at + len(phrase) > len(words):
        return False
    for i in range(1, len(phrase)):
        if phrase[i] not in words[at + i][2]:
            return False
        if not _adjacent(text, words[at + i - 1][1], words[at + i][0]):
            return False
    return True


def _window_score(hits: list[_Hit], units: int, shares: dict[int, float] | None = None) -> float:
    """Each unit in the window: its best word's weight, a little more for each further
    occurrence (log-damped) and for each other glossary word of it (several words of one
    subject together: "rangers patrol ... protection"); a unit of ``shares`` counts that
    share of it."""
    found: list[dict[str, float]] = [{} for _ in range(units)]
    counts = [0] * units
    for _, _, unit, weight, _, term in hits:
        if term == _MORE:
            continue
        found[unit][term] = max(found[unit].get(term, 0.0), weight)
        counts[unit] += 1
    score = 0.0
    for unit, weights in enumerate(found):
        if not weights:
            continue
        best = max(weights.values())
        others = min(best, sum(weights.values()) - best)
        value = best * (1 + 0.15 * math.log(counts[unit])) + DISTINCT_SHARE * others
        score += value * (shares or {}).get(unit, 1.0)
    return score


def _best_window(
    hits: list[_Hit], units: int, shares: dict[int, float] | None = None
) -> tuple[float, int, int, float]:
    """(score, first hit, last hit, score with ``shares``) of the best window of WINDOW_CHARS
    characters: the one scoring best with ``shares`` (see :func:`_window_score`)."""
    best = (0.0, 0, 0, 0.0)
    chosen = 0.0
    end = 0
    for first in range(len(hits)):
        if first and hits[first][0] == hits[first - 1][0]:
            continue
        start = hits[first][0]
        end = max(end, first)
        while end < len(hits) and hits[end][0] < start + WINDOW_CHARS:
            end += 1
        score = _window_score(hits[first:end], units, shares)
        if score > chosen:
            chosen = score
            full = score if not shares else _window_score(hits[first:end], units)
            best = (full, first, end - 1, score)
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
    text: str,
    query: QueryUnits,
    title: str = "",
    whole: frozenset[int] = frozenset(),
    subject: frozenset[int] = frozenset(),
) -> tuple[float, str, str, float] | None:
    """The best passage of one page's ``text``: (score, passage HTML, shorter HTML, score
    with the paper's subject counting less), None when no word of the query is on it.

    The paper's ``title`` where the page begins with it scores nothing (the title counts
    once, for every passage of its paper). The units of ``subject`` (those the paper's title
    names) count SUBJECT_SHARE in choosing the passage."""
    words = _words(text, query.wanted)
    if not words:
        return None
    hits = _hits(text, words, query.units, whole)
    if query.number and hits:
        # A number answering "how many", "when": one more unit (not marked), near the words.
        starts = [hit[0] for hit in hits]
        numbers = [
            (match.start(), match.end(), len(query.units), query.number, False, "")
            for match in _NUMBER.finditer(text)
            if (query.years if _YEAR.fullmatch(match.group()) else query.counts)
        ]
        hits = sorted(
            hits + [number for number in numbers if _near(starts, number[0], WINDOW_CHARS)]
        )
    spans = _title_spans(text, title) if title else []
    if spans:
        hits = [hit for hit in hits if not any(a <= hit[0] < b for a, b in spans)]
    if not any(hit[2] < len(query.units) for hit in hits):
        return None
    if title:
        # A first page's opening (its heading, the sentence or abstract saying what the paper
        # is about) names the paper's subject: the units it holds choose no page, so a later
        # page holding what the question asks beyond its subject answers ("mining" for "is
        # mining a threat to snow leopards in the Gobi", not the opening's "Gobi").
        opening = {hit[2] for hit in hits if hit[0] < TITLE_ZONE and hit[2] < len(query.units)}
    else:
        opening = set()
    shares = dict.fromkeys(subject, SUBJECT_SHARE) | dict.fromkeys(opening, OPENING_SHARE)
    score, first, last, within = _best_window(hits, len(query.units) + 1, shares)
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
    return (
        score,
        _html(text, begin, end, hits),
        _html(text, short_begin, short_end, hits),
        within,
    )


def _near(starts: list[int], at: int, distance: int) -> bool:
    """Whether some position of ``starts`` (sorted) is within ``distance`` of ``at``."""
    i = bisect.bisect_left(starts, at - distance)
    return i < len(starts) and starts[i] <= at + distance


def _title_spans(text: str, title: str) -> list[tuple[int, int]]:
    """Where the paper's title stands near the start of its first page (a heading, a cover
    page's echo of it): words there score nothing, the title counts once for every passage."""
    words = _WORD.findall(title)
    if not words:
        return []
    pattern = re.compile(r"\W+".join(re.escape(word) for word in words), re.IGNORECASE)
    return [match.span() for match in pattern.finditer(text, 0, TITLE_ZONE)]


def title_units(title: str, query: QueryUnits) -> tuple[float, frozenset[int]]:
    """What a paper's title holds of the query: the weight of its units (a glossary word
    counts as in a passage) and the units it names as typed (the paper's subject)."""
    hits = _hits(title, _words(title, query.wanted), query.units)
    weights: dict[int, float] = {}
    for _, _, unit, weight, marked, _ in hits:
        if marked:
            weights[unit] = max(weights.get(unit, 0.0), weight)
    # The subject is every unit a word of the title gives as typed, even inside another name
    # ("tiger" of "Amur Tiger Cubs" for a question on tigers: the paper is about tigers).
    subject = frozenset(unit for _, _, unit, weight, _, term in hits if weight and not term)
    return sum(weights.values()), subject


@dataclass
class PageCover:
    """Which pages of the index hold which of a query's units (glossary words included)."""

    docs: np.ndarray
    weights: np.ndarray
    # For each unit: the pages holding it (its words or its name whole), those holding only
    # its glossary words (and the weight of the best one there), and those holding only a word
    # of it (a name's).
    per_unit: list[np.ndarray]
    glossary: list[tuple[np.ndarray, np.ndarray]]
    partly: list[np.ndarray]


def _best_per_doc(found: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, np.ndarray]:
    """The documents of ``found`` ((documents, weight) pairs), each with its highest weight."""
    found = [(docs, weight) for docs, weight in found if len(docs)]
    if not found:
        return _NO_DOCS, np.zeros(0)
    docs = np.concatenate([docs for docs, _ in found])
    weights = np.concatenate([np.full(len(docs), weight) for docs, weight in found])
    order = np.lexsort((-weights, docs))
    docs, weights = docs[order], weights[order]
    first = np.ones(len(docs), dtype=bool)
    first[1:] = docs[1:] != docs[:-1]
    return docs[first], weights[first]


def page_cover(
    view: IndexView,
    query: QueryUnits,
    expired: Callable[[], bool],
    within: np.ndarray | None = None,
) -> PageCover:
    """The pages holding some unit of ``query`` (glossary words included), and the weight
    of the units each holds (a glossary word's as it counts in a passage): among the pages
    ``within`` (sorted), every term read (only the postings' blocks that may hold them are);
    over the whole index, only the terms at most RARE_PAGES of the pages hold (the telling
    words: a common word's postings over 100,000 pages cost more than the rest of a search).

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
    glossary_of = []
    partly_of = []
    docs: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for unit in query.units:
        parts = [any_of(unit.terms)]
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
        related, related_weights = _best_per_doc(
            [(pages_of(term), weight) for term, weight in sorted(unit.related.items())]
        )
        keep = ~np.isin(related, found, assume_unique=True)
        related, related_weights = related[keep], related_weights[keep]
        glossary_of.append((related, related_weights))
        docs.append(related)
        weights.append(related_weights)
        partly = _NO_DOCS
        if unit.parts:
            # Pages holding only a word of a name ("tigers" in the tiger report) count a part.
            partly = any_of(unit.parts)
            partly = partly[~np.isin(partly, found, assume_unique=True)]
            docs.append(partly)
            weights.append(np.full(len(partly), unit.weight * PART_WEIGHT))
        partly_of.append(partly)
    if not per_unit:
        return PageCover(_NO_DOCS, np.zeros(0), [], [], [])
    every, where = np.unique(np.concatenate(docs), return_inverse=True)
    weight = np.bincount(where, weights=np.concatenate(weights))
    return PageCover(every, weight, per_unit, glossary_of, partly_of)


@dataclass
class _Paper:
    """What passages need to know of a paper read: its title, the names it holds whole, the
    units its title names (its subject)."""

    title: str = ""
    whole: frozenset[int] = frozenset()
    subject: frozenset[int] = frozenset()


class PassageReader:
    """Reads pages for their best passage, each page once per search."""

    def __init__(self, view: IndexView, query: QueryUnits, expired: Callable[[], bool]) -> None:
        self.view = view
        self.query = query
        self.expired = expired
        # Over the whole index, its telling words only (see page_cover).
        self.cover = page_cover(view, query, expired)
        self._pages: dict[int, tuple[str, int, tuple[float, str, str, float] | None]] = {}
        # Per paper read.
        self._papers: dict[str, _Paper] = {}

    def snippet(self, docnum: int) -> str | None:
        """A page's best passage, shortened (a result's further snippets), marked as answers
        are; None when no word of the query is on it."""
        found = self._page(docnum)[2]
        return found[2] if found else None

    def _page(self, docnum: int) -> tuple[str, int, tuple[float, str, str, float] | None]:
        if docnum not in self._pages:
            fields = self.view.searcher.stored_fields(docnum)
            paper_id = fields["paper_id"]
            number = int(fields.get("page", 0))
            paper = self._papers.get(paper_id, _Paper())
            self._pages[docnum] = (
                paper_id,
                number,
                page_passage(
                    fields.get("page_text", ""),
                    self.query,
                    paper.title if number == 1 else "",
                    paper.whole,
                    paper.subject,
                ),
            )
        return self._pages[docnum]

    def _read(self, pages: list[int], priors: dict[str, float]) -> dict[str, Passage]:
        total = self.query.total or 1.0
        best: dict[str, Passage] = {}
        chosen: dict[str, float] = {}
        for docnum in pages:
            if self.expired():
                break
            paper_id, number, found = self._page(docnum)
            if found is None or priors.get(paper_id, -1.0) < 0:
                continue
            score = (found[0] + priors[paper_id]) / total
            # Within a paper, the page whose passage answers most beside its subject.
            within = found[3]
            if paper_id not in best or within > chosen[paper_id]:
                best[paper_id] = Passage(paper_id, docnum, number, score, found[1], found[2])
                chosen[paper_id] = within
        return best

    def of_papers(self, owners: dict[int, str], titles: dict[str, str]) -> dict[str, Passage]:
        """The best passage of each paper whose pages are ``owners`` ({page document: paper
        id}); none for a paper none of whose pages hold a query word."""
        if not owners:
            return {}
        units = self.query.units
        mine = np.array(sorted(owners), dtype=np.int64)
        # Every term of the query, read only in these papers' pages.
        local = page_cover(self.view, self.query, self.expired, within=mine)
        # Per paper, the units it holds (a glossary word's weight where only those stand).
        held: dict[str, dict[int, float]] = {}
        for number, docs in enumerate(local.per_unit):
            for docnum in docs.tolist():
                held.setdefault(owners[docnum], {})[number] = units[number].weight
        for number, (docs, weights) in enumerate(local.glossary):
            for docnum, weight in zip(docs.tolist(), weights.tolist(), strict=True):
                paper = held.setdefault(owners[docnum], {})
                paper[number] = max(paper.get(number, 0.0), weight)
        names = {number for number, unit in enumerate(units) if unit.phrases}
        for paper_id in {*held, *owners.values()}:
            title = titles.get(paper_id, "")
            whole = frozenset(
                number
                for number in names
                if held.get(paper_id, {}).get(number, 0.0) >= units[number].weight
            )
            self._papers[paper_id] = _Paper(title, whole, title_units(title, self.query)[1])
        # Each paper's pages holding most of the query beside its subject are read.
        cover: dict[int, float] = {}

        def add(docs: np.ndarray, weights: Iterable[float], number: int) -> None:
            for docnum, weight in zip(docs.tolist(), weights, strict=True):
                paper = self._papers[owners[docnum]]
                share = SUBJECT_SHARE if number in paper.subject else 1.0
                cover[docnum] = cover.get(docnum, 0.0) + weight * share

        for number, unit in enumerate(units):
            add(local.per_unit[number], [unit.weight] * len(local.per_unit[number]), number)
            docs, weights = local.glossary[number]
            add(docs, weights.tolist(), number)
            # A word of a name its paper holds whole counts the name in full.
            partly = local.partly[number]
            add(
                partly,
                [
                    unit.weight * (1.0 if number in self._papers[owners[d]].whole else PART_WEIGHT)
                    for d in partly.tolist()
                ],
                number,
            )
        by_paper: dict[str, list[tuple[float, int]]] = {}
        for docnum, weight in cover.items():
            by_paper.setdefault(owners[docnum], []).append((-weight, docnum))
        pages = []
        for found in by_paper.values():
            found.sort()
            # Pages the cover cannot tell from the last one read are read too (up to
            # PAGES_TIED): it counts words, not where they stand.
            last = found[:PAGES_PER_PAPER][-1][0]
            pages += [
                docnum
                for rank, (weight, docnum) in enumerate(found[:PAGES_TIED])
                if rank < PAGES_PER_PAPER or weight <= last
            ]
        lengths = Counter(owners.values())
        about = self._about(list(by_paper))
        priors = {
            paper_id: _prior(
                self.query,
                titles.get(paper_id, ""),
                held.get(paper_id, {}),
                lengths[paper_id],
            )
            + ABOUT_WEIGHT * about.get(paper_id, 0.0)
            for paper_id in by_paper
        }
        return self._read(pages, priors)

    def _about(self, paper_ids: list[str]) -> dict[str, float]:
        """The weight of the query's units each paper's abstract or tags hold as typed (a
        name where all its words are there), read from the index."""
        if not paper_ids:
            return {}
        found = Evaluator(self.view, self.expired).matches(
            Or([Term("paper_id", paper_id) for paper_id in paper_ids])
        )
        owners = {
            docnum: self.view.searcher.stored_fields(docnum)["paper_id"]
            for docnum in found.docs[self.view.papers[found.docs]].tolist()
        }
        within = Evaluator(self.view, self.expired, within=np.array(sorted(owners), dtype=np.int64))
        read: dict[str, set[int]] = {}

        def holding(term: str) -> set[int]:
            if term not in read:
                read[term] = {
                    docnum
                    for name in ABOUT_FIELDS
                    for docnum in within.matches(Term(name, term)).docs.tolist()
                }
            return read[term]

        about: dict[str, float] = {}
        for unit in self.query.units:
            found = set().union(*(holding(term) for term in unit.terms))
            for words in unit.phrases:
                found |= set.intersection(*(holding(word) for word in words))
            for docnum in found:
                about[owners[docnum]] = about.get(owners[docnum], 0.0) + unit.weight
        return about

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


def _prior(query: QueryUnits, title: str, held: dict[int, float], pages: int) -> float:
    """What a paper's subject adds to each of its passages: its title's units, and the weight
    of the units the whole paper holds, less for a long paper (hundreds of pages hold most
    words somewhere)."""
    length = 1.0 / (1.0 + math.log(max(1.0, pages / LONG_PAPER_PAGES)))
    return TITLE_WEIGHT * title_units(title, query)[0] + PAPER_WEIGHT * length * sum(held.values())
