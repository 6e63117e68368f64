"""The query language: what a person types, turned into a Whoosh query that cannot stall.

Words are AND-ed across title, authors, abstract, tags and body text; ``OR``, ``NOT``/``-word``,
``"exact phrases"``, fields (``title:``, ``author:``, ``tag:``, ``doi:``, ``year:2010``,
``year:2010-2018``, ``year:2010s``), trailing wildcards (``leop*``) and fuzzy words
(``leopord~``, ``leapord~2``) work as on the help page. Names in the thesaurus are widened to
their synonyms (:mod:`indexer.thesaurus`).

Whatever is typed is accepted: syntax that leads nowhere falls back to the plain words. A
wildcard or fuzzy word stands for at most :data:`MAX_EXPANSIONS` words (for a wildcard the
commonest, for a fuzzy word the closest, then the commonest), found by looking at no more than
:data:`MAX_SCANNED` words of the index, so its cost is bounded before the search runs.
"""

from __future__ import annotations

import fnmatch
import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from re import Match

from whoosh.qparser import AndGroup, MultifieldParser, QueryParser
from whoosh.qparser.plugins import (
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    PlusMinusPlugin,
)
from whoosh.qparser.syntax import attach
from whoosh.query import And, AndNot, Every, Not, NullQuery, Or, Phrase, Query, Term
from whoosh.query.terms import FuzzyTerm, MultiTerm, PatternQuery, Prefix
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance
from whoosh.util.text import rcompile

from indexer.analysis import fold
from indexer.normalize import clean_field
from indexer.schema import PAGE_FIELD, doi_key
from indexer.thesaurus import Expansion, Thesaurus, expand

DEFAULT_FIELDS = ("title", "authors", "abstract", "tags", "content")
# Fields a person may name in a query; the others are internal.
PUBLIC_FIELDS = frozenset({*DEFAULT_FIELDS, "year", "doi", "filename"})
FIELD_ALIASES = {
    "authors": ["author", "by"],
    "tags": ["tag", "keyword", "keywords", "species"],
    "filename": ["file"],
}
# Stemmed fields: a wildcard is matched against whole words (the spelling field), then stemmed,
# so "conservation*" finds "conservationists" although the index holds the stem "conserv".
STEMMED_FIELDS = frozenset({"title", "abstract", "tags", "content"})
WORDS_FIELD = "spelling"
MAX_EXPANSIONS = 64
MAX_SCANNED = 20_000
# "word~5" is read as "word~2": three edits from a short word reach words unlike it.
MAX_DISTANCE = 2
# The spelling field holds no shorter words, and "of~" would stand for every short word.
MIN_FUZZY_LENGTH = 3

# "year:2010-2018" is how people write a range; Whoosh spells it "year:[2010 TO 2018]".
_YEAR_RANGE = re.compile(r"\byear:(\d{4})\s*(?:-|\u2013|\.\.)\s*(\d{4})\b", re.IGNORECASE)
_DECADE = re.compile(r"\byear:(\d{3})0s\b", re.IGNORECASE)
# A DOI may hold any character but space ("10.1002/(SICI)1097-4679"): taken out before parsing.
_DOI = re.compile(r"(?<!\S)([-+]?)doi:(\S+)", re.IGNORECASE)
_WORD_START = r"(?:^|(?<=[\s(]))"
_SYNTAX_CHARS = re.compile(r"[\"'()\[\]{}:^~*?+\-\\/<>=!]")

NOTHING_TO_SEARCH = (
    "There is nothing to search for in that query. "
    "Try a few plain words, such as: amur leopard camera traps."
)


class QueryError(ValueError):
    """The query cannot be searched; ``str(error)`` says why, for a person."""


@dataclass
class ParsedQuery:
    """A query ready to run, and what a person should be told about how it was read."""

    query: Query
    text: str
    expansion: Expansion
    # Wildcards and fuzzy words that matched more words than are searched: ("a", 64) for
    # "a*" (the text before the star), ("cat~2", 64) for "cat~2".
    capped: list[tuple[str, int]] = field(default_factory=list)
    # The query without thesaurus names, when some were added.
    exact: Query | None = None

    @property
    def synonyms(self) -> list[tuple[str, list[str]]]:
        """(words as typed, other names also searched) for each thesaurus name recognised."""
        return self.expansion.added


class _FuzzyTermPlugin(FuzzyTermPlugin):
    """``word~`` (one edit) and ``word~2`` (two), with the word kept as typed."""

    # Whoosh reads one digit ("word~12" is word~1 and the word "2") and takes "word~x" as
    # word~ and x; here any number is read (then capped) and a "~" glued to letters is no
    # fuzziness, so "word~x" falls back to plain words.
    expr = rcompile(r"(?<=\S)~(?P<maxdist>[0-9]+)?(/(?P<prefix>[1-9][0-9]*))?(?![\w~])")

    def create(self, parser: QueryParser, match: Match[str]) -> FuzzyTermPlugin.FuzzinessNode:
        node = super().create(parser, match)
        node.maxdist = min(node.maxdist, MAX_DISTANCE)
        return node

    class FuzzyTermNode(FuzzyTermPlugin.FuzzyTermNode):
        def query(self, parser: QueryParser) -> Query:
            fieldname = self.fieldname or parser.fieldname
            schema = parser.schema
            if schema is None or fieldname not in schema or schema[fieldname].self_parsing():
                # "year:2010~" is the year itself.
                return super().query(parser)
            # Whoosh would stem the word; it is compared with whole words (_expand_fuzzy).
            fuzzy = FuzzyTerm(
                fieldname,
                self.text,
                boost=self.boost,
                maxdist=self.maxdist,
                prefixlength=self.prefixlength,
            )
            return attach(fuzzy, self)


def make_parser(schema: object) -> MultifieldParser:
    """The query parser: words AND-ed across the default fields, with ``field:`` syntax."""
    parser = MultifieldParser(list(DEFAULT_FIELDS), schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    # "-word" and "+word" only at the start of a word: "COVID-19" is a word, not COVID NOT 19.
    parser.add_plugin(PlusMinusPlugin(plusexpr=_WORD_START + r"\+", minusexpr=_WORD_START + "-"))
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(_FuzzyTermPlugin())
    return parser


def _public_only(query: Query) -> Query:
    """The query without clauses on internal fields (``kind:``, ``paper_id:``...)."""
    if query.is_leaf():
        name = query.field()
        if getattr(query, "error", None):
            # An unusable clause ("year:abc") is dropped; the rest of the query stands.
            return NullQuery
        return query if name is None or name in PUBLIC_FIELDS else NullQuery
    return query.apply(_public_only)


def _only_exclusions(text: str) -> bool:
    """True for "-leopard" or "NOT a NOT b": nothing asked for, only things left out."""
    words = text.split()
    excluded_next = False
    for word in words:
        if word == "NOT":
            excluded_next = True
        elif excluded_next or (word.startswith("-") and len(word) > 1):
            excluded_next = False
        else:
            return False
    return bool(words)


def _analyzed(searcher: Searcher, fieldname: str, text: str) -> Query:
    """``text`` as the field's analyzer reads it: a term, a phrase of terms, or nothing."""
    words = list(searcher.schema[fieldname].process_text(text, mode="query"))
    if not words:
        return NullQuery
    if len(words) == 1:
        return Term(fieldname, words[0])
    return Phrase(fieldname, words)


def _best_words(
    reader: IndexReader, source: str, prefix: str, closeness: Callable[[str], int | None]
) -> tuple[list[str], bool]:
    """Up to MAX_EXPANSIONS words of ``source`` starting with ``prefix`` that ``closeness``
    accepts (a distance, None to reject): the closest, then the commonest. No more than
    MAX_SCANNED words are looked at. Also says whether more words were accepted than kept."""
    candidates: list[tuple[int, int, str]] = []
    for btext in islice(reader.expand_prefix(source, prefix), MAX_SCANNED):
        word = btext.decode("utf-8") if isinstance(btext, bytes) else btext
        near = closeness(word)
        if near is not None:
            candidates.append((-near, reader.doc_frequency(source, word), word))
    best = heapq.nlargest(MAX_EXPANSIONS, candidates)
    return [word for _, _, word in best], len(candidates) > MAX_EXPANSIONS


def _any_of_words(
    searcher: Searcher, fieldname: str, words: list[str], boost: float, missing: str
) -> Query:
    """An OR of ``words`` (whole words) as ``fieldname`` indexes them: stemmed if it stems."""
    reader = searcher.reader()
    terms: dict[str, None] = {}
    for word in words:
        if fieldname not in STEMMED_FIELDS:
            terms[word] = None
        else:
            for stemmed in searcher.schema[fieldname].process_text(word, mode="query"):
                terms[stemmed] = None
    existing = [t for t in terms if (fieldname, t) in reader]
    if not existing:
        # A term no paper has: matches nothing, yet keeps "camera lee*" from meaning "camera".
        return Term(fieldname, missing)
    return Or([Term(fieldname, text, boost=boost) for text in existing])


def _source(fieldname: str) -> str:
    """Where the whole words of ``fieldname`` are listed: stemmed fields keep only stems."""
    return WORDS_FIELD if fieldname in STEMMED_FIELDS else fieldname


def _expand_pattern(
    query: PatternQuery, reader: IndexReader, searcher: Searcher, capped: list[tuple[str, int]]
) -> Query:
    """A wildcard as an OR of at most MAX_EXPANSIONS index terms (the most frequent)."""
    fieldname = query.fieldname
    # A Prefix query holds the text before the "*" only.
    pattern = fold(query.text) + ("*" if isinstance(query, Prefix) else "")
    prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
    if not prefix:
        # A leading wildcard would have to read the whole vocabulary: take the word itself.
        return _analyzed(searcher, fieldname, re.sub(r"[*?]+", " ", pattern))
    matches = re.compile(fnmatch.translate(pattern)).match
    words, more = _best_words(
        reader, _source(fieldname), prefix, lambda word: 0 if matches(word) else None
    )
    if more and (query.text, MAX_EXPANSIONS) not in capped:
        capped.append((query.text, MAX_EXPANSIONS))
    return _any_of_words(searcher, fieldname, words, query.boost, pattern)


def _expand_fuzzy(
    query: FuzzyTerm, reader: IndexReader, searcher: Searcher, capped: list[tuple[str, int]]
) -> Query:
    """A fuzzy word as an OR of at most MAX_EXPANSIONS index terms: the words within its edit
    distance (Damerau: a swap of two letters is one edit), the closest then the commonest."""
    fieldname = query.fieldname
    text = fold(query.text)
    maxdist = min(int(query.maxdist), MAX_DISTANCE)
    if len(text) < MIN_FUZZY_LENGTH or maxdist < 1:
        return _analyzed(searcher, fieldname, text)

    def closeness(word: str) -> int | None:
        # The length test is cheap and rejects most words before the costly distance.
        if abs(len(word) - len(text)) > maxdist:
            return None
        edits = distance(word, text, limit=maxdist)
        return edits if edits <= maxdist else None

    # Sharing the first letter (first letters are rarely mistyped) keeps the scan short; the
    # exact word, at distance 0, is always among those kept.
    prefix = text[: max(1, query.prefixlength)]
    words, more = _best_words(reader, _source(fieldname), prefix, closeness)
    label = f"{query.text}~{maxdist}" if maxdist > 1 else f"{query.text}~"
    if more and (label, MAX_EXPANSIONS) not in capped:
        capped.append((label, MAX_EXPANSIONS))
    return _any_of_words(searcher, fieldname, words, query.boost, text)


def bound_expansions(query: Query, searcher: Searcher, capped: list[tuple[str, int]]) -> Query:
    """Replace every wildcard, fuzzy word (and any other multi-term query) by a bounded OR of
    terms."""
    if isinstance(query, PatternQuery):
        return _expand_pattern(query, searcher.reader(), searcher, capped)
    if isinstance(query, FuzzyTerm):
        return _expand_fuzzy(query, searcher.reader(), searcher, capped)
    if isinstance(query, MultiTerm):
        # Regex and other expanding terms are not in the language: keep the word.
        text = getattr(query, "text", "")
        return _analyzed(searcher, query.field(), text) if text else NullQuery
    if query.is_leaf():
        return query
    return query.apply(lambda child: bound_expansions(child, searcher, capped))


def _parse_text(parser: MultifieldParser, text: str) -> Query:
    try:
        return _public_only(parser.parse(text)).normalize()
    except Exception:
        # Whoosh's parser raises on some odd inputs; the caller falls back to plain words.
        return NullQuery


def parse(searcher: Searcher, text: str, thesaurus: Thesaurus | None = None) -> ParsedQuery:
    """Parse what a person typed. Raises :class:`QueryError` when nothing is left to search."""
    text = clean_field(text)
    if not text:
        raise QueryError(NOTHING_TO_SEARCH)
    if _only_exclusions(text):
        raise QueryError(
            "Say what to search for as well as what to leave out, for example: leopard -snow."
        )
    thesaurus = thesaurus or Thesaurus()
    dois: list[Query] = []
    excluded_dois: list[Query] = []
    for sign, value in _DOI.findall(text):
        (excluded_dois if sign == "-" else dois).append(Term("doi", doi_key(value)))
    rest = _DOI.sub(" ", text)
    rest = _DECADE.sub(r"year:[\g<1>0 TO \g<1>9]", _YEAR_RANGE.sub(r"year:[\1 TO \2]", rest))
    parser = make_parser(searcher.schema)
    expansion = expand(rest, thesaurus)
    query = _parse_text(parser, expansion.text) if rest.strip() else NullQuery
    if query is NullQuery and rest.strip():
        # Syntax that leads nowhere ("((", "year:abc"): fall back to the plain words typed.
        plain = _SYNTAX_CHARS.sub(" ", rest)
        expansion = expand(plain, thesaurus)
        query = _parse_text(parser, expansion.text) if plain.strip() else NullQuery
    capped: list[tuple[str, int]] = []
    if query is not NullQuery:
        query = bound_expansions(query, searcher, capped).normalize()
    if dois:
        query = And([query, *dois]) if query is not NullQuery else And(dois)
    if excluded_dois and query is not NullQuery:
        query = AndNot(query, Or(excluded_dois))
    if query is NullQuery:
        raise QueryError(NOTHING_TO_SEARCH)
    parsed = ParsedQuery(query=query.normalize(), text=text, expansion=expansion, capped=capped)
    if expansion.added:
        # The same query without the synonyms: papers it matches rank above the others.
        parsed.exact = parse(searcher, text, Thesaurus()).query
    return parsed


def page_clauses(query: Query) -> list[Query]:
    """The body-text clauses of a query outside any NOT, moved onto the page documents' text
    field: what locates the pages of a paper."""
    moved = []
    for leaf in positive_content_leaves(query):
        leaf = leaf.copy()
        leaf.fieldname = PAGE_FIELD
        moved.append(leaf)
    return moved


def positive_content_leaves(query: Query) -> list[Query]:
    """The body-text clauses of a query outside any NOT."""
    if isinstance(query, Not):
        return []
    if isinstance(query, AndNot):
        return positive_content_leaves(query.a)
    if query.is_leaf():
        return [query] if query.field() == "content" and not isinstance(query, Every) else []
    return [leaf for child in query.children() for leaf in positive_content_leaves(child)]


__all__ = [
    "DEFAULT_FIELDS",
    "NOTHING_TO_SEARCH",
    "ParsedQuery",
    "QueryError",
    "page_clauses",
    "parse",
    "positive_content_leaves",
]
