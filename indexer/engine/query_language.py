"""The query language: what a person types, turned into a Whoosh query that cannot stall.

Words are AND-ed across title, authors, abstract, tags and body text; ``OR``, ``NOT``/``-word``,
``"exact phrases"``, fields (``title:``, ``author:``, ``tag:``, ``doi:``, ``year:2010``,
``year:2010-2018``, ``year:2010s``), trailing wildcards (``leop*``) and fuzzy words
(``leopord~``, ``leapord~2``) work as on the help page. Names in the thesaurus are widened to
their synonyms (:mod:`indexer.engine.thesaurus`).

Plain words (not quoted, not after a field name, not signed or joined by an operator) are read
as people type questions: stop words and question words of English, Russian, French and German
(:func:`indexer.analysis.query_stop_words`) are left out, as every text field's analysis drops
them; one-letter words the text fields cannot hold ("R package", "vitamin C") add to the score
where another field holds them and are never required; question marks are not wildcards. Each
remaining word (or thesaurus name) is a *unit*: the query requires every unit, and when no paper
has them all the search ranks papers by how many they hold (:mod:`indexer.engine.search`). Explicit
syntax (``+word``, ``AND``, ``OR``, ``-word``, fields, phrases) is always required as typed.

Whatever is typed is accepted: syntax that leads nowhere falls back to the plain words. A
wildcard or fuzzy word stands for at most :data:`MAX_EXPANSIONS` words (for a wildcard the
commonest, for a fuzzy word the closest, then the commonest). A whole query expands at most
:data:`MAX_PATTERNS` of them, looking at no more than :data:`MAX_SCANNED` words of the index in
all and stopping when its clock says so (:class:`ExpansionBudget`): however many wildcards are
typed, parsing costs a bounded fraction of the search's time limit.
"""

from __future__ import annotations

import fnmatch
import heapq
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from re import Match

from whoosh.qparser import AndGroup, MultifieldParser, QueryParser
from whoosh.qparser.plugins import (
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    PlusMinusPlugin,
)
from whoosh.qparser.syntax import attach
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    DisjunctionMax,
    Every,
    Not,
    NullQuery,
    Or,
    Phrase,
    Query,
    Term,
)
from whoosh.query.terms import FuzzyTerm, MultiTerm, PatternQuery, Prefix
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.support.levenshtein import distance
from whoosh.util.text import rcompile

from indexer.analysis import fold, query_stop_words
from indexer.engine.thesaurus import (
    OPERATORS,
    SYNONYM_BOOST,
    TRANSLATION_BOOST,
    Expansion,
    Thesaurus,
    expand,
    is_plain,
    is_translation,
)
from indexer.normalize import clean_field
from indexer.schema import PAGE_FIELD, doi_key

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
# Per query, not per word or field: the wildcards and fuzzy words expanded, the index words
# looked at to expand them in each index segment (a few segments; a scan reads ~50,000 words
# a second).
MAX_PATTERNS = 8
MAX_SCANNED = 20_000
# A scan looks at the clock every this many words.
CLOCK_EVERY = 256
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
# A question mark ending a word ("traps?") or standing alone ends a question: no wildcard.
_QUESTION_MARK = re.compile(r"(?<=\w)[?\uff1f]+(?=[\s).,;!]|$)|(?<!\S)[\u00bf?\uff1f]+(?!\S)")
# A query token: a run of characters other than spaces, a quoted phrase counting as one.
_TOKEN = re.compile(r'(?:[^\s"]|"[^"]*"?)+')
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_APOSTROPHE = re.compile("['\u2019]")
_POSSESSIVE = re.compile("['\u2019]s?$", re.IGNORECASE)
# Units beyond this many are not relaxed: a paper's units are kept as bits of one integer.
MAX_UNITS = 60

NOTHING_TO_SEARCH = (
    "There is nothing to search for in that query. "
    "Try a few plain words, such as: amur leopard camera traps."
)


# Field names a person may type before a colon (the aliases included).
_FIELD_WORDS = (
    "title|authors|author|by|abstract|tags|tag|keywords|keyword|species|content|year|doi"
    "|filename|file"
)
# "author:" with nothing after it: at the end, before another field, or closing a group.
_EMPTY_FIELD = re.compile(
    rf"(?<![^\s(])[-+]?(?P<name>{_FIELD_WORDS}):"
    rf"(?:(?:\"\"|'')(?=\s|$|\))|(?=\s*$|\s*\)|\s+[-+]?(?:{_FIELD_WORDS}):))",
    re.IGNORECASE,
)
_YEAR_VALUE = re.compile(r"(?<![^\s(])(?P<sign>[-+]?)year:(?P<value>[^\s()]+)", re.IGNORECASE)
# What year: understands: 2018, 2010s, 2010-2018 (or 2010..2018, 2010 en-dash 2018), [2010 TO 2018],
# >2010, <=2018, "2018".
_YEAR_OK = re.compile(
    r'"?\d{4}"?|\d{3}0s|\d{4}(?:-|\u2013|\.\.)\d{4}|[<>]=?\d{4}|\[.*|\{.*',
    re.IGNORECASE,
)
_FIELD_EXAMPLES = {
    "title": "title:leopard",
    "author": "author:Petrova",
    "authors": "author:Petrova",
    "by": "author:Petrova",
    "year": "year:2018",
    "doi": "doi:10.1234/abc",
    "filename": "file:report.pdf",
    "file": "file:report.pdf",
}


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
    # What ``query`` is made of: the explicit syntax (always required), the plain words or
    # thesaurus names as (label, query) units (relaxed when no paper holds them all), the
    # one-letter words that only add to the score, and the exclusions.
    required: Query | None = None
    units: list[tuple[str, Query]] = field(default_factory=list)
    optional: Query | None = None
    # What no paper found may match ("-word", "-doi:...").
    excluded: Query | None = None
    # Plain words left out: stop words and question words.
    ignored: list[str] = field(default_factory=list)
    # Fields that could not be used ("author:" with nothing after it, "year:abc"), each said
    # with what was searched instead.
    warnings: list[str] = field(default_factory=list)

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
    scanned: list[tuple[str, int]],
    closeness: Callable[[str], int | None],
    expired: Callable[[], bool],
) -> tuple[list[str], bool]:
    """Up to MAX_EXPANSIONS of the ``scanned`` (word, document frequency) pairs that
    ``closeness`` accepts (a distance, None to reject): the closest, then the commonest. Also
    says whether more words were accepted than kept. Stops early when ``expired``."""
    candidates: list[tuple[int, int, str]] = []
    for number, (word, frequency) in enumerate(scanned):
        if number % CLOCK_EVERY == 0 and expired():
            break
        near = closeness(word)
        if near is not None:
            candidates.append((-near, frequency, word))
    best = heapq.nlargest(MAX_EXPANSIONS, candidates)
    return [word for _, _, word in best], len(candidates) > MAX_EXPANSIONS


def _never() -> bool:
    return False


def _pattern_of(query: Query) -> tuple[str, str, str] | None:
    """(label as typed, index field listing its words, prefix to scan) of a wildcard or fuzzy
    word, the label "" when it needs no scan (a leading wildcard, a short fuzzy word); None
    for any other query."""
    if isinstance(query, PatternQuery):
        # A Prefix query holds the text before the "*" only.
        pattern = fold(query.text) + ("*" if isinstance(query, Prefix) else "")
        prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
        return (query.text if prefix else "", _source(query.fieldname), prefix)
    if isinstance(query, FuzzyTerm):
        text = fold(query.text)
        maxdist = min(int(query.maxdist), MAX_DISTANCE)
        if len(text) < MIN_FUZZY_LENGTH or maxdist < 1:
            return ("", _source(query.fieldname), "")
        label = f"{query.text}~{maxdist}" if maxdist > 1 else f"{query.text}~"
        # Sharing the first letter (first letters are rarely mistyped) keeps the scan short;
        # the exact word, at distance 0, is always among those kept.
        return (label, _source(query.fieldname), text[: max(1, query.prefixlength)])
    return None


def _leaves(query: Query) -> list[Query]:
    if query.is_leaf():
        return [query]
    return [leaf for child in query.children() for leaf in _leaves(child)]


@dataclass
class ExpansionBudget:
    """What one query may spend on its wildcards and fuzzy words, shared by all of them (and
    by the query without its thesaurus names): the first MAX_PATTERNS typed are expanded, the
    rest match nothing (and are reported in ``capped``); MAX_SCANNED index words are looked
    at in all, shared evenly; each (field, prefix) is read once, with its document frequencies,
    for every field that lists its words there; scanning stops when ``expired``."""

    expired: Callable[[], bool] = _never
    capped: list[tuple[str, int]] = field(default_factory=list)
    # True when the clock stopped a scan: the query's expansions are partial.
    cut: bool = False
    _kept: set[str] | None = None
    _per_scan: int = 0
    _scans: dict[tuple[str, str], list[tuple[str, int]]] = field(default_factory=dict)

    def plan(self, query: Query) -> None:
        """Choose the patterns to expand and the words each scan may read (once a query)."""
        if self._kept is not None:
            return
        self._kept = set()
        scans: set[tuple[str, str]] = set()
        for leaf in _leaves(query):
            found = _pattern_of(leaf)
            if not found or not found[0]:
                continue
            label, source, prefix = found
            if label not in self._kept and len(self._kept) >= MAX_PATTERNS:
                continue
            self._kept.add(label)
            scans.add((source, prefix))
        self._per_scan = max(1, MAX_SCANNED // max(1, len(scans)))

    def kept(self, label: str) -> bool:
        """Whether the pattern typed as ``label`` is expanded; records it in ``capped`` if not."""
        if self._kept is None or label in self._kept:
            return True
        if (label, 0) not in self.capped:
            self.capped.append((label, 0))
        return False

    def scan(self, reader: IndexReader, source: str, prefix: str) -> list[tuple[str, int]]:
        """The words of ``source`` starting with ``prefix`` and their document frequencies,
        in index order, as many as this query's share allows (read once per query)."""
        key = (source, prefix)
        if key not in self._scans:
            frequencies: dict[str, int] = {}
            # Segment by segment: a reader over several segments looks each word up in every
            # one of them (twenty times slower than reading each segment's word list).
            for segment, _offset in reader.leaf_readers():
                if source not in segment.indexed_field_names():
                    continue
                terms = segment.iter_prefix(source, prefix)
                for number, (btext, info) in enumerate(terms):
                    if number >= self._per_scan:
                        break
                    if number % CLOCK_EVERY == 0 and self.expired():
                        self.cut = True
                        break
                    word = btext.decode("utf-8") if isinstance(btext, bytes) else btext
                    frequencies[word] = frequencies.get(word, 0) + info.doc_frequency()
            self._scans[key] = sorted(frequencies.items())
        return self._scans[key]

    def note_capped(self, label: str) -> None:
        """Say that ``label`` matched more words than are searched."""
        if (label, MAX_EXPANSIONS) not in self.capped:
            self.capped.append((label, MAX_EXPANSIONS))


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


def _expand_pattern(query: PatternQuery, searcher: Searcher, budget: ExpansionBudget) -> Query:
    """A wildcard as an OR of at most MAX_EXPANSIONS index terms (the most frequent)."""
    fieldname = query.fieldname
    # A Prefix query holds the text before the "*" only.
    pattern = fold(query.text) + ("*" if isinstance(query, Prefix) else "")
    label, source, prefix = _pattern_of(query) or ("", "", "")
    if not label:
        # A leading wildcard would have to read the whole vocabulary: take the word itself.
        return _analyzed(searcher, fieldname, re.sub(r"[*?]+", " ", pattern))
    if not budget.kept(label):
        return Term(fieldname, pattern)  # matches nothing
    matches = re.compile(fnmatch.translate(pattern)).match
    words, more = _best_words(
        budget.scan(searcher.reader(), source, prefix),
        lambda word: 0 if matches(word) else None,
        budget.expired,
    )
    if more:
        budget.note_capped(label)
    return _any_of_words(searcher, fieldname, words, query.boost, pattern)


def _expand_fuzzy(query: FuzzyTerm, searcher: Searcher, budget: ExpansionBudget) -> Query:
    """A fuzzy word as an OR of at most MAX_EXPANSIONS index terms: the words within its edit
    distance (Damerau: a swap of two letters is one edit), the closest then the commonest."""
    fieldname = query.fieldname
    text = fold(query.text)
    maxdist = min(int(query.maxdist), MAX_DISTANCE)
    label, source, prefix = _pattern_of(query) or ("", "", "")
    if not label:
        return _analyzed(searcher, fieldname, text)
    if not budget.kept(label):
        return Term(fieldname, text)  # matches nothing

    def closeness(word: str) -> int | None:
        # The length test is cheap and rejects most words before the costly distance.
        if abs(len(word) - len(text)) > maxdist:
            return None
        edits = distance(word, text, limit=maxdist)
        return edits if edits <= maxdist else None

    words, more = _best_words(
        budget.scan(searcher.reader(), source, prefix), closeness, budget.expired
    )
    if more:
        budget.note_capped(label)
    return _any_of_words(searcher, fieldname, words, query.boost, text)


def bound_expansions(query: Query, searcher: Searcher, budget: ExpansionBudget) -> Query:
    """Replace every wildcard, fuzzy word (and any other multi-term query) by a bounded OR of
    terms, within the query's ``budget``."""
    budget.plan(query)
    if isinstance(query, PatternQuery):
        return _expand_pattern(query, searcher, budget)
    if isinstance(query, FuzzyTerm):
        return _expand_fuzzy(query, searcher, budget)
    if isinstance(query, MultiTerm):
        # Regex and other expanding terms are not in the language: keep the word.
        text = getattr(query, "text", "")
        return _analyzed(searcher, query.field(), text) if text else NullQuery
    if query.is_leaf():
        return query
    return query.apply(lambda child: bound_expansions(child, searcher, budget))


def _parse_text(parser: MultifieldParser, text: str) -> Query:
    try:
        return _public_only(parser.parse(text)).normalize()
    except Exception:
        # Whoosh's parser raises on some odd inputs; the caller falls back to plain words.
        return NullQuery


def _is_stop(word: str) -> bool:
    """A stop or question word ("the", "what's", "don't", "почему")."""
    folded = fold(word)
    stops = query_stop_words()
    return folded in stops or _APOSTROPHE.split(folded, maxsplit=1)[0] in stops


@dataclass
class _Plain:
    """A query text split into its explicit syntax and its plain words, sorted by role."""

    syntax: str
    words: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    # "-word", "-title:x", '-"a phrase"' at the top level, without their "-": parsed alone,
    # an exclusion would read as nothing.
    excluded: list[str] = field(default_factory=list)


def _split_plain(text: str, searcher: Searcher) -> _Plain:
    """The plain words of ``text`` (outside quotes, groups and fields, not next to an
    operator), taken out of it and sorted into meaningful, optional and ignored words."""
    tokens = []
    depth = 0
    at = 0
    for match in _TOKEN.finditer(text):
        outside = re.sub(r'"[^"]*"?', "", text[at : match.start()])
        opened = len(re.findall(r"[(\[{]", outside)) - len(re.findall(r"[)\]}]", outside))
        depth = max(0, depth + opened)
        tokens.append((match.group(), match.start(), match.end(), depth))
        at = match.start()
    syntax = list(text)
    plain = _Plain(syntax="")
    content = searcher.schema["content"]
    for number, (token, start, end, level) in enumerate(tokens):
        before = tokens[number - 1][0] if number else ""
        after = tokens[number + 1][0] if number + 1 < len(tokens) else ""
        if not level and token.startswith("-") and len(token) > 1 and before not in OPERATORS:
            plain.excluded.append(token[1:])
            syntax[start:end] = " " * (end - start)
            continue
        if (
            level
            or not is_plain(token)
            or before in OPERATORS
            or after in OPERATORS
            or before.endswith(":")
        ):
            continue
        word = _EDGE_PUNCTUATION.sub("", token)
        if not word:
            continue
        syntax[start:end] = " " * (end - start)
        if _is_stop(word):
            plain.ignored.append(word)
            continue
        # A possessive is the word itself ("leopard's", "leopards'"), for stemming and the
        # thesaurus alike.
        word = _POSSESSIVE.sub("", word) or word
        if _is_stop(word):
            plain.ignored.append(word)
        elif not list(content.process_text(word, mode="query")):
            plain.optional.append(word)  # a word the text fields cannot hold: "R", "C"
        else:
            plain.words.append(word)
    plain.syntax = "".join(syntax).strip()
    if not plain.words and not plain.syntax:
        # Nothing else typed: the words are searched as they are ("R", "what is").
        if plain.optional:
            plain.words, plain.optional = plain.optional, []
        else:
            plain.words, plain.ignored = plain.ignored, []
    return plain


# The text fields a thesaurus name is looked for in (they analyze words alike).
_NAME_FIELDS = ("title", "abstract", "tags", "content")


def _held_by_some_paper(searcher: Searcher) -> Callable[[str], bool]:
    """Whether some paper holds each word of a name in one of its text fields: a look-up in
    the index's term list per word, no postings read."""
    reader = searcher.reader()
    analyzer = searcher.schema["content"]
    fields = [name for name in _NAME_FIELDS if name in searcher.schema]

    def held(name: str) -> bool:
        words = list(analyzer.process_text(name, mode="query"))
        return bool(words) and all(
            any((fieldname, word) in reader for fieldname in fields) for word in words
        )

    return held


def _name_unit(parser: MultifieldParser, typed: str, others: list[str], text: str) -> Query:
    """The unit of a thesaurus name: its ``text`` as :func:`expand` wrote it, except that its
    translations count as one: a paper scores for the best of them, not for each.

    The glossary lists a word's translations and the forms of them its stemmer does not bring
    together ("camera trap" and "trail camera"; "фотоловушка" and "фотоловушек"); a paper
    that uses several of them is no more about the word typed than one that uses one, and
    summed they would rank it above papers with the words as typed in another form."""
    translated = [name for name in others if is_translation(typed, name)]
    if len(translated) < 2:
        return _parse_text(parser, text)
    original = f"({typed})" if len(typed.split()) > 1 else typed
    own = [f'"{name}"^{SYNONYM_BOOST}' for name in others if name not in translated]
    same = _parse_text(parser, "(" + " OR ".join([original, *own]) + ")")
    best = [_parse_text(parser, f'"{name}"^{TRANSLATION_BOOST}') for name in translated]
    best = [query for query in best if query is not NullQuery]
    if same is NullQuery or not best:
        return _parse_text(parser, text)
    return Or([same, DisjunctionMax(best)]).normalize()


def _units(text: str, expansion: Expansion) -> list[tuple[str, str]]:
    """(label, text to parse) for each word and thesaurus name of an expanded text of plain
    words: a name's group "(amur leopard OR ...)" is one unit, labelled as typed."""
    names = iter(typed for typed, _ in expansion.added)
    units = []
    depth = 0
    start = 0
    in_quotes = False
    for at, char in enumerate(expansion.text + " "):
        if char == '"':
            in_quotes = not in_quotes
        elif not in_quotes and char == "(":
            depth += 1
        elif not in_quotes and char == ")":
            depth -= 1
        elif not in_quotes and depth == 0 and char.isspace():
            chunk = expansion.text[start:at].strip()
            if chunk:
                units.append((next(names, chunk) if chunk.startswith("(") else chunk, chunk))
            start = at + 1
    return units


def field_problems(text: str) -> tuple[str, list[str]]:
    """``text`` without the fields it cannot use, and a sentence for each saying what was
    wrong and what was searched instead: ``author:`` with nothing after it is left out,
    ``year:abc`` searches ``abc`` as a word. Whoosh would otherwise search the field's name
    as a word, or drop the clause, without a word to the reader."""
    warnings: list[str] = []

    def empty(found: re.Match[str]) -> str:
        name = found.group("name").lower()
        example = _FIELD_EXAMPLES.get(name, f"{name}:leopard")
        warnings.append(
            f"{name}: has nothing after it, so it was left out; write what to look for "
            f"right after the colon, as in {example}."
        )
        return " "

    def year(found: re.Match[str]) -> str:
        value = found.group("value")
        if _YEAR_OK.fullmatch(value):
            return found.group(0)
        if _YEAR_OK.fullmatch(value.rstrip(",;.")):  # "year:2018, leopard"
            return f"{found.group('sign')}year:{value.rstrip(',;.')} "
        words = _SYNTAX_CHARS.sub(" ", value).split()
        instead = " ".join(words)
        if instead:
            searched = "was searched as a word" if len(words) == 1 else "were searched as words"
            warnings.append(
                f"year:{value} is not a year (write year:2018, year:2010s or "
                f"year:2010-2018), so {instead} {searched} instead."
            )
        else:
            warnings.append(
                f"year:{value} is not a year (write year:2018, year:2010s or "
                "year:2010-2018), so it was left out."
            )
        return f" {found.group('sign')}{instead} " if instead else " "

    cleaned = _EMPTY_FIELD.sub(empty, text)
    cleaned = _YEAR_VALUE.sub(year, cleaned)
    return " ".join(cleaned.split()), warnings


def parse(
    searcher: Searcher,
    text: str,
    thesaurus: Thesaurus | None = None,
    *,
    budget: ExpansionBudget | None = None,
) -> ParsedQuery:
    """Parse what a person typed. Raises :class:`QueryError` when nothing is left to search.

    ``budget`` bounds the cost of its wildcards and fuzzy words (and carries the clock)."""
    text = clean_field(text)
    text, warnings = field_problems(text)
    if not text:
        raise QueryError(" ".join([*warnings, NOTHING_TO_SEARCH]))
    if _only_exclusions(text):
        raise QueryError(
            "Say what to search for as well as what to leave out, for example: leopard -snow."
        )
    thesaurus = thesaurus or Thesaurus()
    dois: list[Query] = []
    excluded_dois: list[Query] = []
    for sign, value in _DOI.findall(text):
        (excluded_dois if sign == "-" else dois).append(Term("doi", doi_key(value)))
    rest = _QUESTION_MARK.sub(" ", _DOI.sub(" ", text))
    rest = _DECADE.sub(r"year:[\g<1>0 TO \g<1>9]", _YEAR_RANGE.sub(r"year:[\1 TO \2]", rest))
    parser = make_parser(searcher.schema)
    plain = _split_plain(rest, searcher)
    held = _held_by_some_paper(searcher)
    expansion = expand(plain.syntax, thesaurus, held)
    required = _parse_text(parser, expansion.text) if plain.syntax else NullQuery
    words = expand(" ".join(plain.words), thesaurus, held)
    units = []
    names = iter(words.added)
    for label, unit_text in _units(" ".join(plain.words), words):
        if unit_text.startswith("("):
            unit = _name_unit(parser, *next(names), unit_text)
        else:
            unit = _parse_text(parser, unit_text)
        if unit is not NullQuery:
            units.append((label, unit))
    if required is NullQuery and plain.syntax and not units and not plain.excluded:
        # Syntax that leads nowhere ("((", "year:abc"): fall back to the plain words typed.
        fallback = _SYNTAX_CHARS.sub(" ", rest)
        if fallback.strip() and fallback != rest:
            again = parse(searcher, fallback, thesaurus, budget=budget)
            again.warnings = warnings + again.warnings
            return again
    expansion.added += words.added
    unwanted = [_parse_text(parser, words) for words in plain.excluded] + excluded_dois
    unwanted = [query for query in unwanted if query is not NullQuery]
    budget = budget or ExpansionBudget()
    # One plan over every wildcard and fuzzy word typed, then each part expanded within it.
    budget.plan(Or([required, *unwanted]))
    parts = [] if required is NullQuery else [bound_expansions(required, searcher, budget)]
    parts += dois
    required = And(parts).normalize() if parts else None
    query = And([*([required] if required else []), *(unit for _, unit in units)]).normalize()
    optional = None
    if plain.optional:
        optional = Or([_parse_text(parser, word) for word in plain.optional]).normalize()
        if optional is NullQuery:
            optional = None
        elif query is not NullQuery:
            query = AndMaybe(query, optional)
    excluded = None
    if unwanted:
        excluded = bound_expansions(Or(unwanted).normalize(), searcher, budget)
        if query is not NullQuery:
            query = AndNot(query, excluded)
    if query is NullQuery:
        raise QueryError(NOTHING_TO_SEARCH)
    parsed = ParsedQuery(
        query=query.normalize(),
        text=text,
        expansion=expansion,
        capped=budget.capped,
        required=required,
        units=units,
        optional=optional,
        excluded=excluded,
        ignored=plain.ignored,
        warnings=warnings,
    )
    if expansion.added:
        # The same query without the synonyms: papers it matches rank above the others.
        parsed.exact = parse(searcher, text, Thesaurus(), budget=budget).query
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
    "ExpansionBudget",
    "ParsedQuery",
    "QueryError",
    "page_clauses",
    "parse",
    "positive_content_leaves",
]
