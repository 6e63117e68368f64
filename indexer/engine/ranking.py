"""Evaluating a query over whole posting lists: every matching paper scored, counted and faceted
at once.

Whoosh's searcher walks a query one document at a time, in Python, through a tree of matchers.
On an index of 100,000 pages a common word matches thousands of papers, each scored in five
fields, and that walk was most of a search's 0.2-0.7 s. Here each term's postings are read a
block at a time into numpy arrays, and AND, OR, NOT and BM25F scores (Whoosh's formula, its
parameters and its byte-rounded field lengths, so scores equal Whoosh's) become array operations.
An exact phrase is the intersection of its words, then a check of their positions in the
documents found; year ranges read a column. Other clauses (sloppy phrases, wildcards over names)
run through Whoosh's own matchers, under the search's time limit.

What every search reads per document (which documents are papers, field lengths, years, facet
values, sort keys) is loaded once per index segment and kept: a Whoosh segment never changes
once written, only its deletions do, and those are applied per search generation.
"""

from __future__ import annotations

import contextlib
import pickle
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.formats import Format, Positions
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import (
    And,
    AndMaybe,
    AndNot,
    DisjunctionMax,
    Every,
    Not,
    NullQuery,
    NumericRange,
    Or,
    Phrase,
    Query,
    Require,
    Term,
)
from whoosh.reading import IndexReader, TermNotFound
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE
from whoosh.util.numeric import byte_to_length

from indexer.engine.facets import TOP_VALUES
from indexer.schema import PAPER, facet_key

__all__ = [
    "Coordinated",
    "Evaluator",
    "IndexView",
    "Matches",
    "SegmentCache",
    "page_docs",
    "reading_once",
    "union",
]

# Whoosh stores field lengths as one byte each; this decodes all 256 at once.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
# Matcher loops look at the clock every this many documents.
_CLOCK_EVERY = 64
_NO_DOCS = np.zeros(0, dtype=np.int64)
_NO_SCORES = np.zeros(0, dtype=np.float64)


@dataclass(frozen=True)
class Matches:
    """Documents (sorted global document numbers, no repeats) and their scores."""

    docs: np.ndarray
    scores: np.ndarray

    @classmethod
    def none(cls) -> Matches:
        return cls(_NO_DOCS, _NO_SCORES)

    def __len__(self) -> int:
        return len(self.docs)

    def where(self, keep: np.ndarray) -> Matches:
        """The matches where the boolean array ``keep`` (aligned with ``docs``) holds."""
        return Matches(self.docs[keep], self.scores[keep])

    def among(self, docs: np.ndarray) -> Matches:
        """The matches that are also in ``docs`` (sorted), scores unchanged."""
        return self.where(np.isin(self.docs, docs, assume_unique=True))

    def without(self, docs: np.ndarray) -> Matches:
        """The matches that are not in ``docs``."""
        return self.where(~np.isin(self.docs, docs, assume_unique=True))

    def scaled(self, factor: float) -> Matches:
        return self if factor == 1.0 else Matches(self.docs, self.scores * factor)


def union(parts: Iterable[Matches]) -> Matches:
    """Documents matching any part, scores summed (Whoosh's OR)."""
    found = [part for part in parts if len(part)]
    if not found:
        return Matches.none()
    if len(found) == 1:
        return found[0]
    docs, where = np.unique(np.concatenate([p.docs for p in found]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([p.scores for p in found]))
    return Matches(docs, scores)


def best_of(parts: list[Matches], tiebreak: float = 0.0) -> Matches:
    """Documents matching any part, each scored by its best part (plus ``tiebreak`` times the
    others, as Whoosh's DisjunctionMax)."""
    found = [part for part in parts if len(part)]
    if len(found) < 2:
        return found[0] if found else Matches.none()
    docs, where = np.unique(np.concatenate([p.docs for p in found]), return_inverse=True)
    scores = np.concatenate([p.scores for p in found])
    best = np.full(len(docs), -np.inf)
    np.maximum.at(best, where, scores)
    if tiebreak:
        best += tiebreak * (np.bincount(where, weights=scores, minlength=len(docs)) - best)
    return Matches(docs, best)


def _intersection(parts: list[Matches]) -> Matches:
    """Documents matching every part, scores summed (Whoosh's AND)."""
    result = parts[0]
    for part in parts[1:]:
        docs, left, right = np.intersect1d(
            result.docs, part.docs, assume_unique=True, return_indices=True
        )
        result = Matches(docs, result.scores[left] + part.scores[right])
    return result


@dataclass(frozen=True)
class Coordinated:
    """Papers found by coordination: their matches and, aligned with them, which of the
    query's units each holds (bit ``i`` for unit ``i``). ``relaxed`` is False when every
    paper holds every unit (the plain AND)."""

    found: Matches
    held: np.ndarray
    relaxed: bool
    # What each unit counts for (the words it was typed as); None: one each.
    weights: tuple[int, ...] | None = None

    def among(self, docs: np.ndarray) -> Coordinated:
        """Only the papers also in ``docs`` (sorted)."""
        keep = np.isin(self.found.docs, docs, assume_unique=True)
        return Coordinated(self.found.where(keep), self.held[keep], self.relaxed, self.weights)

    def counts(self) -> np.ndarray:
        """How many of the query's words each paper holds (a unit counts its weight)."""
        return held_count(self.held, self.weights)


def held_count(held: np.ndarray, weights: tuple[int, ...] | None) -> np.ndarray:
    """Per paper, the units of ``held`` (bit masks) counted by ``weights`` (one each if None)."""
    if weights is None:
        return np.bitwise_count(held).astype(np.int64)
    counted = np.zeros(len(held), dtype=np.int64)
    for bit, weight in enumerate(weights):
        counted += ((held >> bit) & 1) * weight
    return counted


# --- what is kept per segment ---------------------------------------------------------------


class _Segment:
    """Per-document data of one segment, each piece loaded on first use.

    Shared by every thread's searcher; loading the same piece twice at once is harmless (both
    compute the same value), so there is no lock around it.
    """

    def __init__(self, reader: IndexReader) -> None:
        self.size = reader.doc_count_all()
        ids = _postings(reader, "kind", PAPER).docs
        self.papers = np.zeros(self.size, dtype=bool)
        self.papers[ids] = True
        self.paper_docs = ids
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, list[Any]] = {}

    def lengths(self, reader: IndexReader, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            self._lengths[fieldname] = _field_lengths(reader, fieldname, self.size)
        return self._lengths[fieldname]

    def column(self, reader: IndexReader, fieldname: str) -> list[Any]:
        """A column's value for each paper document of the segment (None elsewhere)."""
        if fieldname not in self._columns:
            values: list[Any] = [None] * self.size
            if reader.has_column(fieldname):
                column = reader.column_reader(fieldname)
                for docnum in self.paper_docs.tolist():
                    values[docnum] = column[docnum]
            self._columns[fieldname] = values
        return self._columns[fieldname]


@dataclass(frozen=True)
class _Postings:
    """A term's postings in one segment: document numbers, weights (term frequencies), and
    the encoded values (positions) when asked for."""

    docs: np.ndarray
    tfs: np.ndarray
    values: list[bytes] | None = None

    def where(self, keep: np.ndarray) -> _Postings:
        values = None
        if self.values is not None:
            values = [self.values[i] for i in np.flatnonzero(keep).tolist()]
        return _Postings(self.docs[keep], self.tfs[keep], values)


_NO_POSTINGS = _Postings(_NO_DOCS, _NO_SCORES, [])


def _postings(
    reader: IndexReader,
    fieldname: str,
    text: Any,
    within: np.ndarray | None = None,
    values: bool = False,
) -> _Postings:
    """A term's postings in one segment, deleted documents included; only those in
    ``within`` (sorted segment document numbers) when it is given, reading only the blocks that
    may hold them. With ``values``, the encoded positions too (they come with the same read)."""
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return _NO_POSTINGS
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child  # deletions are applied by IndexView.live
    ids: list[Any] = []
    weights: list[Any] = []
    encoded: list[bytes] | None = [] if values else None
    if isinstance(matcher, W3LeafMatcher):
        # A block at a time: Whoosh decodes a block's ids and weights into sequences already.
        wanted = 0  # in ``within``, the next document still to look for
        while matcher.is_active():
            if within is not None:
                if wanted == len(within):
                    break
                if within[wanted] > matcher.block_max_id():
                    matcher._next_block()  # skipped: its ids are not even decoded
                    continue
                wanted = int(np.searchsorted(within, matcher.block_max_id(), side="right"))
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int64))
            weights.append(np.asarray(matcher._weights, dtype=np.float64))
            if encoded is not None:
                matcher._read_values()
                encoded.extend(matcher._values)
            matcher._next_block()
        found = _Postings(
            np.concatenate(ids) if ids else _NO_DOCS,
            np.concatenate(weights) if weights else _NO_SCORES,
            encoded,
        )
    else:
        while matcher.is_active():  # postings short enough to be kept inline
            ids.append(matcher.id())
            weights.append(matcher.weight())
            if encoded is not None:
                encoded.append(matcher.value())
            matcher.next()
        found = _Postings(
            np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64), encoded
        )
    if within is not None:
        found = found.where(np.isin(found.docs, within, assume_unique=True))
    return found


def _position_decoder(field_format: Format) -> Callable[[bytes], set[int]]:
    """A function giving the positions in a posting's value, as a set.

    Whoosh's Positions format keeps them as a pickled list of gaps; its own decoder adds them
    up in a Python loop, which was most of a phrase search's time. Other formats use theirs.
    """
    if type(field_format) is not Positions:
        return lambda value: set(field_format.decode_positions(value))

    def decode(value: bytes) -> set[int]:
        if not value.endswith(b"."):  # Whoosh may leave off the pickle's final stop
            value += b"."
        return set(accumulate(pickle.loads(value[_INT_SIZE:])))

    return decode


def _field_lengths(reader: IndexReader, fieldname: str, size: int) -> np.ndarray:
    """Every document's length in ``fieldname``, as Whoosh's scorer sees it (byte-rounded)."""
    try:
        # The length column is one byte per document; read it whole instead of 100,000 calls.
        column = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        raw = b"" if column is None else column._dbfile.get(column._basepos, column._count)
        encoded = np.zeros(size, dtype=np.uint8)
        encoded[: len(raw)] = np.frombuffer(raw, dtype=np.uint8)[:size]
        return _LENGTH_OF_BYTE[encoded]
    except AttributeError:  # another codec: ask document by document
        lengths = [reader.doc_field_length(docnum, fieldname, 0) or 0 for docnum in range(size)]
        return np.array(lengths, dtype=np.float64)


class _FacetTable:
    """Every (paper, value) pair of a facet column, values numbered: counting the values of a
    result set is then one array operation, not a loop over its papers.

    Values differing only in case and spacing count as one (:func:`indexer.schema.facet_key`),
    shown in their commonest spelling.
    """

    def __init__(self, column: list[Any], papers: np.ndarray) -> None:
        docs: list[int] = []
        codes: list[int] = []
        numbers: dict[str, int] = {}
        spellings: list[Counter[str]] = []
        for docnum in np.flatnonzero(papers).tolist():
            value = column[docnum]
            for raw in value if isinstance(value, list | tuple) else [value] if value else []:
                name = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
                key = facet_key(name)
                if not key:
                    continue
                if key not in numbers:
                    numbers[key] = len(numbers)
                    spellings.append(Counter())
                spellings[numbers[key]][name] += 1
                docs.append(docnum)
                codes.append(numbers[key])
        self.docs = np.array(docs, dtype=np.int64)
        self.codes = np.array(codes, dtype=np.int64)
        self.labels = [counter.most_common(1)[0][0] for counter in spellings]
        # Ties in count are listed by key, as people read them.
        by_key = sorted(numbers, key=numbers.__getitem__)
        self.key_order = np.empty(len(numbers), dtype=np.int64)
        self.key_order[np.argsort(np.array(by_key, dtype=object), kind="stable")] = np.arange(
            len(numbers)
        )

    def top(self, chosen: np.ndarray, limit: int) -> dict[str, int]:
        """The ``limit`` values most papers in ``chosen`` (a mask over documents) have."""
        if not len(self.codes):
            return {}
        counts = np.bincount(self.codes[chosen[self.docs]], minlength=len(self.labels))
        present = np.flatnonzero(counts)
        ranked = present[np.lexsort((self.key_order[present], -counts[present]))][:limit]
        return {self.labels[code]: int(counts[code]) for code in ranked.tolist()}


@dataclass(frozen=True)
class _Leaf:
    """One segment as a searcher sees it: its searcher, reader, first document number, data."""

    searcher: Searcher
    reader: IndexReader
    offset: int
    segment: _Segment


class _Joined:
    """The per-document data of some segments side by side, deleted documents included.

    Shared by every searcher whose index generation is made of these segments: a commit that
    only deletes keeps them, so reuses this; one that adds a segment makes a new one. Each piece
    is loaded on first use from the segments (through the asking view's readers: a reader
    closes with its searcher, the data outlives it).
    """

    def __init__(self, segments: list[_Segment]) -> None:
        self.segments = segments
        self.papers = _joined([segment.papers for segment in segments], bool)
        self._lengths: dict[str, np.ndarray] = {}
        self._columns: dict[str, list[Any]] = {}
        self._years: np.ndarray | None = None
        self._facets: dict[str, _FacetTable] = {}

    def lengths(self, leaves: list[_Leaf], fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            self._lengths[fieldname] = _joined(
                [leaf.segment.lengths(leaf.reader, fieldname) for leaf in leaves], np.float64
            )
        return self._lengths[fieldname]

    def column(self, leaves: list[_Leaf], fieldname: str) -> list[Any]:
        if fieldname not in self._columns:
            joined: list[Any] = []
            for leaf in leaves:
                joined += leaf.segment.column(leaf.reader, fieldname)
            self._columns[fieldname] = joined
        return self._columns[fieldname]

    def years(self, leaves: list[_Leaf]) -> np.ndarray:
        if self._years is None:
            raw = np.array([value or 0 for value in self.column(leaves, "year")], dtype=np.int64)
            # A paper without a year holds the column's default (0 or 65535).
            raw[(raw <= 0) | (raw >= 10_000)] = 0
            self._years = raw
        return self._years

    def facet(self, leaves: list[_Leaf], fieldname: str) -> _FacetTable:
        if fieldname not in self._facets:
            self._facets[fieldname] = _FacetTable(self.column(leaves, fieldname), self.papers)
        return self._facets[fieldname]


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    if len(parts) == 1:
        return parts[0]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


class SegmentCache:
    """Per-segment data for every generation of one index, kept while its segments are in use."""

    def __init__(self) -> None:
        self._segments: dict[str, _Segment] = {}
        self._joined: tuple[tuple[str, ...], _Joined] | None = None
        self._lock = threading.Lock()

    def view(self, searcher: Searcher) -> IndexView:
        """The per-document data of what ``searcher`` sees."""
        leaves = []
        with self._lock:
            in_use = {}
            for leaf, offset in searcher.leaf_searchers():
                reader = leaf.reader()
                if reader.segment() is None:  # an empty index
                    continue
                key = reader.segment().segment_id()
                segment = self._segments.get(key) or _Segment(reader)
                in_use[key] = segment
                leaves.append(_Leaf(leaf, reader, offset, segment))
            # Segments merged away since are dropped; a searcher still reading an older
            # generation rebuilds its own (rarely, and correctly).
            self._segments = in_use
            keys = tuple(in_use)
            if self._joined is None or self._joined[0] != keys:
                self._joined = (keys, _Joined([leaf.segment for leaf in leaves]))
            joined = self._joined[1]
        return IndexView(searcher, leaves, joined)


class IndexView:
    """The per-document data of one searcher's generation: its segments' data side by side,
    and which documents are deleted."""

    def __init__(self, searcher: Searcher, leaves: list[_Leaf], joined: _Joined) -> None:
        self.searcher = searcher
        self.leaves = leaves
        self.joined = joined
        self.size = searcher.doc_count_all()
        self.live = np.ones(self.size, dtype=bool)
        for leaf in leaves:
            deleted = getattr(leaf.reader, "deleted_docs_set", None) or ()
            if deleted:
                self.live[np.fromiter(deleted, dtype=np.int64) + leaf.offset] = False
        self.papers = joined.papers & self.live
        self._page_columns: dict[int, Any] = {}

    def lengths(self, fieldname: str) -> np.ndarray:
        """Every document's length in ``fieldname``."""
        return self.joined.lengths(self.leaves, fieldname)

    def column(self, fieldname: str) -> list[Any]:
        """A column's value for every paper document (None for other documents)."""
        return self.joined.column(self.leaves, fieldname)

    def years(self) -> np.ndarray:
        """Each paper's year; 0 where there is none."""
        return self.joined.years(self.leaves)

    def page_number(self, docnum: int) -> int:
        """The page number of a page document."""
        for number, leaf in reversed(list(enumerate(self.leaves))):
            if docnum >= leaf.offset:
                if number not in self._page_columns:
                    has_column = leaf.reader.has_column("page")
                    self._page_columns[number] = (
                        leaf.reader.column_reader("page") if has_column else None
                    )
                column = self._page_columns[number]
                if column is None:
                    return int(self.searcher.stored_fields(docnum)["page"])
                return int(column[docnum - leaf.offset])
        raise IndexError(docnum)

    def load(self, fieldnames: Iterable[str]) -> None:
        """Load now what searches otherwise load on first use (on a large index, a second or
        more): the lengths of ``fieldnames``, years, sort keys and facet tables."""
        for fieldname in fieldnames:
            self.lengths(fieldname)
        self.column("title_sort")
        self.facet_counts(self.all_papers().docs)

    def all_papers(self) -> Matches:
        docs = np.flatnonzero(self.papers).astype(np.int64)
        return Matches(docs, np.zeros(len(docs)))

    def facet_counts(self, docs: np.ndarray) -> dict[str, dict[Any, int]]:
        """How many of ``docs`` have each year, and the commonest authors, tags and document
        types (:data:`indexer.engine.facets.TOP_VALUES` of each) with how many have them."""
        years, counts = np.unique(self.years()[docs], return_counts=True)
        groups: dict[str, dict[Any, int]] = {
            "year": {int(y): int(n) for y, n in zip(years, counts, strict=True) if y}
        }
        chosen = np.zeros(self.size, dtype=bool)
        chosen[docs] = True
        for name, fieldname in (
            ("authors", "author_facet"),
            ("tags", "tag_facet"),
            ("types", "doc_type"),
        ):
            table = self.joined.facet(self.leaves, fieldname)
            groups[name] = table.top(chosen, TOP_VALUES)
        return groups


# --- evaluation ----------------------------------------------------------------------------


# (global document numbers, weights, encoded values) of a term's postings.
_Read = tuple[np.ndarray, np.ndarray, list[bytes]]


class _Reads:
    """The postings one search has read, by (field, term): each with the documents it was
    read ``within`` (None: the whole index) and whether its values (positions) were read.

    A search reads the same terms several times: the paper fields for the papers, again for
    the query without its thesaurus names (which papers rank first), the paper ids for the
    pages of the candidate papers and for which may give answers, the page text within the
    candidate papers' pages for passages and again within the listed papers' pages for their
    pages and snippets. Decoding posting blocks is most of a search's cost, so a later read
    within documents an earlier one covered takes its postings from it (filtered), which gives
    the same postings as reading them again.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], tuple[np.ndarray | None, bool, _Read]] = {}

    def get(
        self, fieldname: str, text: str, values: bool, within: np.ndarray | None
    ) -> _Read | None:
        entry = self._found.get((fieldname, text))
        if entry is None:
            return None
        covered, has_values, (docs, tfs, encoded) = entry
        if values and not has_values:
            return None
        if within is None:
            return (docs, tfs, encoded) if covered is None else None
        if covered is within:
            return docs, tfs, encoded
        if covered is not None and not np.isin(within, covered, assume_unique=True).all():
            return None
        keep = np.isin(docs, within, assume_unique=True)
        kept = [encoded[i] for i in np.flatnonzero(keep).tolist()] if values else []
        return docs[keep], tfs[keep], kept

    def put(
        self, fieldname: str, text: str, values: bool, within: np.ndarray | None, read: _Read
    ) -> None:
        self._found[(fieldname, text)] = (within, values, read)


# The postings read by the search running in this context (thread), if it keeps them.
_READS: ContextVar[_Reads | None] = ContextVar("postings_read", default=None)


@contextlib.contextmanager
def reading_once() -> Iterator[None]:
    """Within the block, every :class:`Evaluator` reads each term's postings once (see
    :class:`_Reads`): for the length of one search, which holds one searcher open."""
    token = _READS.set(_Reads())
    try:
        yield
    finally:
        _READS.reset(token)


class Evaluator:
    """Evaluates Whoosh queries over an :class:`IndexView`.

    ``within`` (sorted document numbers) limits evaluation to those documents, reading only the
    posting blocks that may hold them: how a few papers' pages are searched. ``expired`` is the
    search's clock; when it runs out, phrase checks and Whoosh's matchers stop where they are and
    :attr:`incomplete` is set, so the caller gets what was found by then.
    """

    def __init__(
        self,
        view: IndexView,
        expired: Callable[[], bool] = lambda: False,
        within: np.ndarray | None = None,
    ) -> None:
        self.view = view
        self.searcher = view.searcher
        self.expired = expired
        self.within = within
        self.incomplete = False
        weighting = self.searcher.weighting
        self._k1 = getattr(weighting, "K1", 1.2)
        self._b = getattr(weighting, "B", 0.75)
        self._field_b: dict[str, float] = getattr(weighting, "_field_B", {})

    def papers(self, query: Query | None) -> Matches:
        """The papers matching ``query`` (every paper when None), with their scores."""
        if query is None:
            return self.view.all_papers()
        found = self.matches(query)
        return found.where(self.view.papers[found.docs])

    def coordinated(
        self,
        required: Query | None,
        units: list[Query],
        optional: Query | None,
        relax: Callable[[int], bool],
        at_least: int,
        allowed: np.ndarray | None = None,
        excluded: Query | None = None,
        weights: tuple[int, ...] | None = None,
    ) -> Coordinated:
        """The papers matching ``required`` and every one of ``units`` (their scores summed,
        as an AND), with ``optional`` adding to the scores; when ``relax`` says their number is
        too few, the papers matching ``required`` and at least ``at_least`` of the units
        instead (coordination: :attr:`Coordinated.held` says which; a unit counts ``weights``
        of it, its number of words typed, default 1). ``allowed`` (a mask
        over documents) narrows the papers before they are counted: the filters; no paper
        matching ``excluded`` is counted.

        Each unit's postings are read once, whichever answer is given: the plain AND costs
        what it did.
        """
        alive = self.view.live & self.view.papers
        if allowed is not None:
            alive &= allowed
        if excluded is not None:
            alive[self._evaluate(excluded).docs] = False
        parts = [self._evaluate(unit) for unit in units]
        parts = [part.where(alive[part.docs]) for part in parts]
        base = None
        if required is not None:
            base = self._evaluate(required)
            base = base.where(alive[base.docs])
        everything = (1 << len(units)) - 1
        strict = _intersection([*([base] if base is not None else []), *parts])
        if not relax(len(strict)):
            found = self._maybe(strict, optional)
            return Coordinated(found, np.full(len(found), everything, dtype=np.int64), False)
        present = [part for part in parts if len(part)]
        if not present:
            return Coordinated(Matches.none(), np.zeros(0, dtype=np.int64), True)
        docs, where = np.unique(np.concatenate([p.docs for p in present]), return_inverse=True)
        scores = np.bincount(
            where, weights=np.concatenate([p.scores for p in present]), minlength=len(docs)
        )
        held = np.zeros(len(docs), dtype=np.int64)
        for bit, part in enumerate(parts):
            if len(part):
                held[np.searchsorted(docs, part.docs)] |= 1 << bit
        keep = held_count(held, weights) >= at_least
        found, held = Matches(docs[keep], scores[keep]), held[keep]
        if base is not None:
            both, left, right = np.intersect1d(
                found.docs, base.docs, assume_unique=True, return_indices=True
            )
            found = Matches(both, found.scores[left] + base.scores[right])
            held = held[left]
        return Coordinated(self._maybe(found, optional), held, True, weights)

    def _maybe(self, found: Matches, optional: Query | None) -> Matches:
        """``found`` with the scores of ``optional`` added where it matches too."""
        if optional is None or not len(found):
            return found
        extra = self._evaluate(optional).among(found.docs)
        if not len(extra):
            return found
        scores = found.scores.copy()
        scores[np.searchsorted(found.docs, extra.docs)] += extra.scores
        return Matches(found.docs, scores)

    def matches(self, query: Query) -> Matches:
        """The live documents matching ``query``, with their scores."""
        found = self._evaluate(query)
        return found.where(self.view.live[found.docs]) if len(found) else found

    def _evaluate(self, query: Query) -> Matches:
        kind = type(query)
        if kind is Or:
            found = union(self._evaluate(child) for child in query.subqueries)
        elif kind is DisjunctionMax:
            found = best_of([self._evaluate(child) for child in query.subqueries], query.tiebreak)
        elif kind is And:
            found = self._and(query.subqueries)
        elif kind is AndNot:
            found = self._evaluate(query.a).without(self._evaluate(query.b).docs)
        elif kind is Not:
            found = self._everything().without(self._evaluate(query.query).docs)
        elif kind is Require:
            found = self._evaluate(query.a).among(self._evaluate(query.b).docs)
        elif kind is AndMaybe:
            required = self._evaluate(query.a)
            found = union([required, self._evaluate(query.b).among(required.docs)])
        elif query is NullQuery:
            return Matches.none()
        elif kind is Every and not query.fieldname:
            found = self._everything()
        elif kind is Term:
            found = self._term(query)
        elif kind is Phrase and query.slop == 1 and query.words:
            found = self._phrase(query)
        elif kind is NumericRange and query.fieldname == "year" and self.within is None:
            found = self._years(query)
        else:
            return self._by_whoosh(query)
        return found.scaled(getattr(query, "boost", 1.0))

    def _and(self, children: list[Query]) -> Matches:
        wanted = [child for child in children if not isinstance(child, Not)]
        unwanted = [child.query for child in children if isinstance(child, Not)]
        found = _intersection([self._evaluate(child) for child in wanted]) if wanted else None
        if found is None:
            found = self._everything()
        for child in unwanted:
            found = found.without(self._evaluate(child).docs)
        return found

    def _everything(self) -> Matches:
        docs = self.within if self.within is not None else np.flatnonzero(self.view.live)
        return Matches(docs.astype(np.int64), np.zeros(len(docs)))

    def _term(self, query: Term) -> Matches:
        docs, tfs, _ = self._read(query.fieldname, query.text)
        return self._scored(query.fieldname, query.text, docs, tfs)

    def _read(self, fieldname: str, text: str, values: bool = False) -> _Read:
        """A term's postings in every segment: (global document numbers, weights, values);
        read once per search (:func:`reading_once`)."""
        reads = _READS.get()
        if reads is None:
            return self._read_postings(fieldname, text, values)
        found = reads.get(fieldname, text, values, self.within)
        if found is None:
            found = self._read_postings(fieldname, text, values)
            reads.put(fieldname, text, values, self.within, found)
        return found

    def _read_postings(self, fieldname: str, text: str, values: bool) -> _Read:
        docs_parts, weight_parts, encoded = [], [], []
        if fieldname in self.searcher.schema:
            for leaf in self.view.leaves:
                within = self._local_within(leaf)
                if within is not None and not len(within):
                    continue
                found = _postings(leaf.reader, fieldname, text, within, values)
                docs_parts.append(found.docs + leaf.offset)
                weight_parts.append(found.tfs)
                encoded += found.values or []
        if not docs_parts:
            return _NO_DOCS, _NO_SCORES, encoded
        return np.concatenate(docs_parts), np.concatenate(weight_parts), encoded

    def _scored(self, fieldname: str, text: str, docs: np.ndarray, tf: np.ndarray) -> Matches:
        """BM25F scores (as whoosh.scoring.bm25, with the searcher's statistics) of a term's
        postings."""
        if not len(docs):
            return Matches.none()
        if not self.searcher.schema[fieldname].scorable:
            return Matches(docs, tf)
        idf = self.searcher.idf(fieldname, text)
        average = self.searcher.avg_field_length(fieldname) or 1
        b = self._field_b.get(fieldname, self._b)
        length = self.view.lengths(fieldname)[docs]
        k1 = self._k1
        scores = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * length / average)))
        return Matches(docs, scores)

    def _phrase(self, query: Phrase) -> Matches:
        """An exact phrase: the documents with every word (scored as their sum, as Whoosh's
        phrase matcher does), kept where the words stand next to each other in order."""
        fieldname = query.fieldname
        postings = [self._read(fieldname, word, values=True) for word in query.words]
        found = _intersection(
            [
                self._scored(fieldname, word, docs, tfs)
                for word, (docs, tfs, _) in zip(query.words, postings, strict=True)
            ]
        )
        if not len(found) or len(query.words) == 1:
            return found
        decode = _position_decoder(self.searcher.schema[fieldname].format)
        # Each word's encoded positions in each document found, in the order of found.docs.
        encoded = [
            [values[i] for i in np.searchsorted(docs, found.docs).tolist()]
            for docs, _, values in postings
        ]
        keep = np.zeros(len(found), dtype=bool)
        for number in range(len(found)):
            if number % _CLOCK_EVERY == 0 and self.expired():
                self.incomplete = True
                break
            # Decoded only when needed: once a word is out of place, the next are not read.
            starts = decode(encoded[0][number])
            for offset, values in enumerate(encoded[1:], start=1):
                starts &= set(map((-offset).__add__, decode(values[number])))
                if not starts:
                    break
            keep[number] = bool(starts)
        return found.where(keep)

    def _years(self, query: NumericRange) -> Matches:
        years = self.view.years()
        keep = self.view.papers & (years > 0)
        if query.start is not None:
            keep &= years > query.start if query.startexcl else years >= query.start
        if query.end is not None:
            keep &= years < query.end if query.endexcl else years <= query.end
        docs = np.flatnonzero(keep).astype(np.int64)
        return Matches(docs, np.zeros(len(docs)))

    def _local_within(self, leaf: _Leaf) -> np.ndarray | None:
        """``within`` as document numbers of one segment (None when there is no ``within``)."""
        if self.within is None:
            return None
        end = leaf.offset + leaf.segment.size
        return self.within[(self.within >= leaf.offset) & (self.within < end)] - leaf.offset

    def _by_whoosh(self, query: Query) -> Matches:
        """Any clause, through Whoosh's own matcher for it, segment by segment."""
        if self.incomplete or self.expired():
            self.incomplete = True
            return Matches.none()
        docs: list[int] = []
        scores: list[float] = []
        for leaf in self.view.leaves:
            matcher = query.matcher(leaf.searcher)
            within = self._local_within(leaf)
            if within is None:
                self._walk(matcher, leaf.offset, docs, scores)
            else:
                self._visit(matcher, within.tolist(), leaf.offset, docs, scores)
            if self.incomplete:
                break
        if not docs:
            return Matches.none()
        order = np.argsort(docs, kind="stable")
        return Matches(np.asarray(docs, dtype=np.int64)[order], np.asarray(scores)[order])

    def _walk(self, matcher: Any, offset: int, docs: list[int], scores: list[float]) -> None:
        seen = 0
        while matcher.is_active():
            docs.append(matcher.id() + offset)
            scores.append(matcher.score())
            matcher.next()
            seen += 1
            if seen % _CLOCK_EVERY == 0 and self.expired():
                self.incomplete = True
                return

    def _visit(
        self, matcher: Any, local: list[int], offset: int, docs: list[int], scores: list[float]
    ) -> None:
        for seen, docnum in enumerate(local, start=1):
            if not matcher.is_active():
                return
            matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                docs.append(docnum + offset)
                scores.append(matcher.score())
            if seen % _CLOCK_EVERY == 0 and self.expired():
                self.incomplete = True
                return


def page_docs(view: IndexView, paper_ids: list[str]) -> dict[int, str]:
    """The page documents of some papers: {document number: paper id}."""
    pages: dict[int, str] = {}
    evaluator = Evaluator(view)
    for paper_id in paper_ids:
        found = evaluator.matches(Term("paper_id", paper_id))
        for docnum in found.docs[~view.papers[found.docs]].tolist():
            pages[docnum] = paper_id
    return pages
