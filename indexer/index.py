"""The full-text index: opening it, writing papers into it, rebuilding it from the library.

Whoosh allows one writer at a time per index; every write here takes the index's lock with a
timeout, so two processes (an import and the web app) queue instead of failing at once.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import json
import re
import shutil
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from whoosh import index as whoosh_index
from whoosh.formats import Frequency
from whoosh.index import TOC, FileIndex
from whoosh.query import Term
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import CLEAR, IndexWriter, LockError

from archive.access import closed_until, hidden_until, today
from archive.library import Library, PaperNotFound
from archive.paper import Paper
from indexer.analysis import WORD_PATTERN, distinct_words
from indexer.constants import COMPACT_PAUSE_S, COMPACT_STEP_MB
from indexer.engine.access_filter import closed_numbers, hidden_numbers
from indexer.merging import (
    MB,
    CompactStep,
    SegmentSize,
    TieredMerge,
    choose_compact,
    merge_chosen,
    segment_sizes,
)
from indexer.schema import (
    FACET_SEPARATOR,
    PAGE,
    PAGE_FIELD,
    PAPER,
    SCHEMA_VERSION,
    doi_key,
    facet_key,
    make_schema,
)

if TYPE_CHECKING:
    # Ranking's per-document data (numpy): imported where a search first asks for it, so that
    # `archive stats` starts without it (issue 28).
    from indexer.engine.ranking import IndexView, SegmentCache

VERSION_FILE = "archive-schema-version"
# Segments are written as separate files, not Whoosh's default single compound file: every
# searcher opening a compound segment copied it whole into memory (whoosh.filedb.structfile.
# BufferFile wraps the mapped file in a BytesIO), so each server thread held a copy of the index.
_LEADING_ARTICLE = re.compile(r"^(the|a|an)\s+")
WRITE_TIMEOUT_S = 120.0
# How long a generation's files outlive it: a search that began on it (a searcher opens some
# of a segment's files, a column or the stored fields, only when a search first reads them)
# still finds them. Whoosh itself deletes a merged segment's files at once.
OBSOLETE_GRACE_S = 120.0
WRITER_MEMORY_MB = 128
# Enough text to find a paper's key terms (related papers); reading more of a 600-page book
# changes little.
RELATED_TEXT_CHARS = 60_000
# The text fields whose postings an import's workers work out (TextAnalysis).
ANALYSED_FIELDS = ("content", PAGE_FIELD)


class IndexBusy(RuntimeError):
    """Another process kept the index's write lock for too long."""


def paper_summary(paper: Paper) -> dict[str, Any]:
    """What a search hit shows of a paper, stored in the index so results need no other I/O."""
    return {
        "title": paper.title,
        "authors": paper.authors,
        "year": paper.year,
        "filename": paper.filename,
        "doi": paper.doi,
        "tags": paper.tags,
        "pages": paper.pages,
        "access": paper.access,
        "embargo": paper.embargo,
    }


def title_sort_key(title: str) -> str:
    """Titles sort as library catalogues do: case-folded, a leading article skipped."""
    return _LEADING_ARTICLE.sub("", title.casefold())[:200]


def _facet_values(values: list[str]) -> tuple[str, list[bytes]]:
    """A facet's filter keys (one per line) and the names shown for it (as column bytes)."""
    shown = [" ".join(value.split()) for value in values if value and value.strip()]
    keys = FACET_SEPARATOR.join(dict.fromkeys(facet_key(value) for value in shown))
    return keys, [value.encode("utf-8") for value in dict.fromkeys(shown)]


@functools.cache
def _content_analyzer() -> Any:
    return make_schema()["content"].analyzer


def related_terms(paper: Paper, pages: list[str]) -> bytes:
    """What related papers need of a paper, computed once when it is indexed: how often each
    analysed word occurs in its opening text (title, abstract, then pages; up to
    :data:`RELATED_TEXT_CHARS` characters), as compressed JSON.

    The words are counted exactly as Whoosh's ``key_terms_from_text`` counts them over the
    ``content`` field, so the key terms chosen from these counts at query time (against the
    archive as it is then) are the ones that analysing the text on the page's view gave.
    """
    text = "\n".join([paper.title, paper.abstract, *pages])[:RELATED_TEXT_CHARS]
    if not text.strip():
        return b""
    counts: dict[str, float] = {}
    # Frequency, not the field's Positions: the same words and weights, without encoding
    # positions nobody reads here.
    for word, _freq, weight, _value in Frequency().word_values(
        text, _content_analyzer(), mode="index"
    ):
        counts[word] = counts.get(word, 0.0) + weight
    compact = {word: int(w) if w.is_integer() else w for word, w in counts.items()}
    return zlib.compress(json.dumps(compact, ensure_ascii=False).encode("utf-8"))


def read_related_terms(data: bytes) -> dict[str, float]:
    """The word counts :func:`related_terms` stored (empty for a paper without text)."""
    if not data:
        return {}
    return {word: float(w) for word, w in json.loads(zlib.decompress(data)).items()}


class Analysed(str):
    """A field's value with its postings worked out beforehand (by :func:`analyse_text`, in
    an import's worker process): the writer takes the postings instead of analysing the
    text again. Still the text, for whatever stores or reads it."""

    postings: list[tuple[bytes, int, float, bytes]]

    def __new__(cls, text: str, postings: list[tuple[bytes, int, float, bytes]]) -> Analysed:
        value = super().__new__(cls, text)
        value.postings = postings
        return value


@dataclass
class TextAnalysis:
    """The analysis of a paper's text that its index documents need, done where the text
    was read (an extraction worker): the postings of ``content`` and of each page's
    ``page_content``, and, for the title and abstract it was done with, the spelling
    postings and the related terms. The import's single writer then only adds postings up:
    analysing was most of its work, and it kept fewer workers busy than a large server has."""

    title: str
    abstract: str
    content: list[tuple[bytes, int, float, bytes]]
    pages: list[list[tuple[bytes, int, float, bytes]]]
    spelling: list[tuple[bytes, int, float, bytes]]
    related_terms: bytes


def _postings(field_name: str, text: str) -> list[tuple[bytes, int, float, bytes]]:
    return list(_schema()[field_name].index(text))


@functools.cache
def _schema() -> Any:
    return make_schema()


@functools.cache
def _tokenizer_words() -> re.Pattern[str]:
    # What the text analyzer's tokenizer counts as one token (one position).
    return re.compile(WORD_PATTERN)


def _encoded(
    field_name: str, positions: dict[str, list[int]], weights: dict[str, float]
) -> list[tuple[bytes, int, float, bytes]]:
    """Postings as the field's format gives them (Whoosh's ``Positions.word_values``)."""
    form = _schema()[field_name].format
    boost = form.field_boost
    return [
        (word.encode("utf-8"), len(poses), weights[word] * boost, form.encode(poses))
        for word, poses in positions.items()
    ]


def _count_words(text: str, counts: dict[str, float]) -> None:
    for word, _freq, weight, _value in Frequency().word_values(
        text, _content_analyzer(), mode="index"
    ):
        counts[word] = counts.get(word, 0.0) + weight


def analyse_text(
    title: str, abstract: str, pages: list[str], on_page: Callable[[int], None] | None = None
) -> TextAnalysis:
    """The :class:`TextAnalysis` of a paper with this title, abstract and page texts
    (``on_page`` is called after each page, a sign of progress for a time limit).

    Each page is analysed once: its tokens give the page's postings, the whole paper's
    ``content`` postings (the pages' positions carried on as the analyzer numbers them over the
    pages joined by newlines, which no word spans) and the related terms' word counts (of the
    text :func:`related_terms` reads). Analysing the text three times was most of a worker's
    analysis time. ``tests/test_import_analysis.py`` checks the result against the fields' own
    analysis.
    """
    paper = Paper(id="", title=title, filename="", pages=len(pages), size=0, abstract=abstract)
    analyzer = _content_analyzer()
    content_positions: dict[str, list[int]] = {}
    content_weights: dict[str, float] = {}
    last: int | None = None  # the last content position given to a word
    skipped_tokens = 0  # tokenizer tokens (stop words) before the first word of the paper
    # Related terms: counts over the first RELATED_TEXT_CHARS characters of title, abstract
    # and pages joined by newlines (related_terms), segment by segment.
    counts: dict[str, float] = {}
    budget = RELATED_TEXT_CHARS
    blank = True
    for text in (title, abstract):
        if budget > 0:
            _count_words(text[:budget], counts)
            blank = blank and not text[:budget].strip()
        budget -= len(text) + 1
    analysed_pages = []
    for number, text in enumerate(pages, start=1):
        positions: dict[str, list[int]] = {}
        weights: dict[str, float] = {}
        if text:
            for token in analyzer(text, positions=True, boosts=True, mode="index"):
                if token.stopped:
                    continue
                positions.setdefault(token.text, []).append(token.pos)
                weights[token.text] = weights.get(token.text, 0.0) + token.boost
        whole = budget >= len(text)
        if positions:
            first = min(poses[0] for poses in positions.values())
            # Joined, this page's first word follows the last word of the pages before it
            # (or, on the first page with words, the stop words before it).
            shift = (last + 1 - first) if last is not None else skipped_tokens
            for word, poses in positions.items():
                content_positions.setdefault(word, []).extend(pos + shift for pos in poses)
                content_weights[word] = content_weights.get(word, 0.0) + weights[word]
                if whole:
                    counts[word] = counts.get(word, 0.0) + weights[word]
            last = max(poses[-1] for poses in positions.values()) + shift
        elif last is None and text:
            skipped_tokens += sum(1 for _ in _tokenizer_words().finditer(text))
        if not whole and budget > 0:
            _count_words(text[:budget], counts)
        if budget > 0:
            blank = blank and not text[:budget].strip()
        budget -= len(text) + 1
        analysed_pages.append(_encoded(PAGE_FIELD, positions, weights) if positions else [])
        if on_page:
            on_page(number)
    content = "\n".join(pages)
    compact = {word: int(w) if w.is_integer() else w for word, w in counts.items()}
    return TextAnalysis(
        title=title,
        abstract=abstract,
        content=_encoded("content", content_positions, content_weights),
        pages=analysed_pages,
        spelling=_postings("spelling", _spelling_text(paper, content)),
        related_terms=(
            b"" if blank else zlib.compress(json.dumps(compact, ensure_ascii=False).encode("utf-8"))
        ),
    )


def _spelling_text(paper: Paper, content: str) -> str:
    return distinct_words(" ".join([paper.title, paper.abstract, content]))


def accept_analysed(writer: IndexWriter) -> None:
    """Let ``writer`` take :class:`Analysed` values: their postings, not a new analysis."""
    for name in (*ANALYSED_FIELDS, "spelling"):
        field = writer.schema[name]
        if getattr(field, "_takes_analysed", False):
            continue
        analyse = field.index

        def index(value: Any, _analyse: Any = analyse, **options: Any) -> Any:
            if isinstance(value, Analysed):
                return iter(value.postings)
            return _analyse(value, **options)

        field.index = index
        field._takes_analysed = True


def _forget_analysed(writer: IndexWriter) -> None:
    # The commit pickles the schema into the index's table of contents: a field must not
    # carry the function accept_analysed gave it.
    for name in (*ANALYSED_FIELDS, "spelling"):
        field = writer.schema[name]
        field.__dict__.pop("index", None)
        field.__dict__.pop("_takes_analysed", None)


class _KeptLengths:
    """The field lengths of the documents a writer adds, kept in memory for its commit.

    Whoosh's commit writes each posting with its document's length in the field (for the
    block's bounds), and read every one of them back from the new segment's length file: a
    sixth of an import's indexing time. The same bytes are kept here as they are written
    (``length_to_byte``), and given back as Whoosh's reader gives them.
    """

    def __init__(self) -> None:
        self.lengths: dict[str, bytearray] = {}

    def record(self, docnum: int, fieldname: str, length: int) -> None:
        column = self.lengths.setdefault(fieldname, bytearray())
        if len(column) <= docnum:
            column.extend(bytes(docnum + 1 - len(column)))
        column[docnum] = length_to_byte(length)

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int | None:
        column = self.lengths.get(fieldname)
        if column is None:
            return default
        lbyte = column[docnum] if docnum < len(column) else 0
        return byte_to_length(lbyte) if lbyte else None


def keep_recent_generations(writer: IndexWriter) -> None:
    """Make ``writer``'s commit keep the files of the generations that were current less than
    :data:`OBSOLETE_GRACE_S` ago, and delete only older ones (Whoosh's ``clean_files``
    deletes every file the new generation does not use)."""
    if not hasattr(writer, "_commit_toc"):
        return

    def commit_toc(segments: list[Any]) -> None:  # SegmentWriter._commit_toc, kinder
        TOC(writer.schema, segments, writer.generation).write(writer.storage, writer.indexname)
        _clean_retired(writer, segments)

    writer._commit_toc = commit_toc


def _clean_retired(writer: IndexWriter, segments: list[Any]) -> None:
    storage, name, schema = writer.storage, writer.indexname, writer.schema
    tocs: dict[int, str] = {}
    for filename in storage.list():
        if match := TOC._pattern(name).match(filename):
            tocs[int(match.group(1))] = filename
    # A generation stopped being current when the next one present was written.
    now = time.time()
    generations = sorted(tocs)
    recent = {writer.generation} | {
        older
        for older, newer in itertools.pairwise(generations)
        if now - _modified(storage, tocs[newer]) < OBSOLETE_GRACE_S
    }
    kept = {segment.segment_id() for segment in segments}
    for generation in recent - {writer.generation}:
        try:
            kept |= {s.segment_id() for s in TOC.read(storage, name, generation, schema).segments}
        except Exception:  # unreadable: nobody can be reading it either
            recent.discard(generation)
    segment_pattern = TOC._segment_pattern(name)
    for filename in storage.list():
        toc = TOC._pattern(name).match(filename)
        segment = segment_pattern.match(filename)
        if (toc and int(toc.group(1)) not in recent) or (
            not toc and segment and segment.group(1) not in kept
        ):
            with contextlib.suppress(OSError):
                storage.delete_file(filename)


def _modified(storage: Any, filename: str) -> float:
    try:
        return storage.file_modified(filename)
    except OSError:
        return 0.0


def keep_lengths(writer: IndexWriter) -> None:
    """Make ``writer``'s commit take its documents' lengths from memory (:class:`_KeptLengths`)
    rather than reading them back from disk; nothing else of the commit changes."""
    perdoc = getattr(writer, "perdocwriter", None)
    if perdoc is None or not writer.codec.length_stats:
        return
    kept = _KeptLengths()
    add_field = perdoc.add_field

    def add_field_kept(fieldname: str, fieldobj: Any, value: Any, length: int) -> None:
        add_field(fieldname, fieldobj, value, length)
        if length:
            kept.record(perdoc._docnum, fieldname, length)

    def flush_segment() -> None:  # SegmentWriter._flush_segment, with the kept lengths
        writer.perdocwriter.close()
        writer.fieldwriter.add_postings(writer.schema, kept, writer.pool.iter_postings())
        writer.fieldwriter.close()

    perdoc.add_field = add_field_kept
    writer._flush_segment = flush_segment


def keep_field_totals(writer: IndexWriter) -> None:
    """Make the segment ``writer`` commits keep the exact total length of each field of the
    segments it merges in.

    BM25 divides by a field's average length, the sum of the segments' totals. Whoosh keeps each
    document's length in one byte (exact up to 10 words, within 9% above) and, merging a
    segment, adds up those bytes again: every merge moved the totals a
    little (0.1% on the test indexes), so the same papers scored differently depending on
    which batches had been merged, and near ties flipped from one import to the next. Here the
    merged segment's total is the old segment's exact one, less the (one-byte) lengths of its
    deleted documents, which the merge leaves out.
    """
    perdoc = getattr(writer, "perdocwriter", None)
    if perdoc is None or not isinstance(getattr(perdoc, "_fieldlengths", None), dict):
        return
    add_reader = writer.add_reader

    def add_reader_exact(reader: Any) -> None:
        totals = perdoc._fieldlengths
        before = dict(totals)
        add_reader(reader)
        deleted = [n for n in range(reader.doc_count_all()) if reader.is_deleted(n)]
        for name in writer.schema.scorable_names():
            exact = reader.field_length(name) - sum(
                reader.doc_field_length(n, name) or 0 for n in deleted
            )
            written = totals.get(name, 0) - before.get(name, 0)  # the bytes added up again
            if exact > 0 and written:
                totals[name] = before.get(name, 0) + exact

    writer.add_reader = add_reader_exact


def merge_in_order(writer: IndexWriter) -> None:
    """Make ``writer``'s commit merge the postings of the segments it merges in without sorting
    them again; the same segment as Whoosh writes.

    Whoosh merges a segment by adding each of its postings to the writer's sorting pool: every
    posting of the segments merged at a commit is sorted in memory, spilled to ``MAIN.tmp`` and
    read back (2.5 GB of spill at one commit of a 100,000-page index). A segment's postings are
    already in order (field, term, document), and documents merged in are numbered after the
    writer's own, so the segments' postings are read in order and merged with the pool's own
    sorted postings (``heapq.merge``) as the new segment is written. The merged segments'
    readers stay open until then. This made building an index per import batch cost more per
    page the larger the index grew (issue 23: 6.7, 11.1 and 15.0 ms of CPU per page at 10,000,
    30,000 and 100,000 pages).
    """
    pool = getattr(writer, "pool", None)
    if pool is None or not hasattr(writer, "_process_posts"):
        return
    streams: list[Iterator[tuple]] = []
    closes: list[Callable[[], None]] = []
    pool_postings = pool.iter_postings
    flush_segment = writer._flush_segment

    def add_postings_to_pool(reader: Any, startdoc: int, docmap: dict | None) -> None:
        # The merge policy closes the reader after add_reader(): its close waits for the flush.
        closes.append(reader.close)
        reader.close = lambda: None
        streams.append(writer._process_posts(reader.iter_postings(), startdoc, docmap))

    def iter_postings() -> Iterator[tuple]:
        # (field, term, document, ...): no two streams hold the same document.
        return heapq.merge(pool_postings(), *streams) if streams else pool_postings()

    def flush_and_close() -> None:
        try:
            flush_segment()
        finally:
            for close in closes:
                with contextlib.suppress(Exception):
                    close()

    writer.add_postings_to_pool = add_postings_to_pool
    pool.iter_postings = iter_postings
    writer._flush_segment = flush_and_close


def paper_documents(
    paper: Paper, pages: list[str], analysis: TextAnalysis | None = None
) -> Iterator[dict[str, Any]]:
    """The index documents of one paper: the paper itself, then each page that has text.
    With ``analysis`` (of these pages), the text fields carry their postings (see
    :func:`accept_analysed`); its spelling postings and related terms are used when the
    paper's title and abstract are still those it was done with."""
    author_keys, author_names = _facet_values(paper.authors)
    tag_keys, tag_names = _facet_values(paper.tags)
    content = "\n".join(pages)
    same_heading = (
        analysis is not None
        and analysis.title == paper.title
        and analysis.abstract == paper.abstract
    )
    paper_doc: dict[str, Any] = {
        "kind": PAPER,
        "paper_id": paper.id,
        "title": paper.title,
        "authors": "; ".join(paper.authors),
        "abstract": paper.abstract,
        "tags": "; ".join(paper.tags),
        "filename": paper.filename,
        "doi": doi_key(paper.doi),
        "added": paper.added,
        "title_sort": title_sort_key(paper.title),
        "summary": paper_summary(paper),
        "content": Analysed(content, analysis.content) if analysis else content,
        "spelling": (
            (Analysed(" ", analysis.spelling) if analysis.spelling else "")
            if same_heading and analysis
            else _spelling_text(paper, content)
        ),
        "author_key": author_keys,
        "tag_key": tag_keys,
        "author_facet": author_names,
        "tag_facet": tag_names,
        "doc_type": paper.doc_type,
        "hidden_until": hidden_until(paper.access, paper.embargo),
        "closed_until": closed_until(paper.access, paper.embargo),
        "related_terms": (
            analysis.related_terms if same_heading and analysis else related_terms(paper, pages)
        ),
    }
    if paper.year is not None:
        paper_doc["year"] = paper.year
    yield {key: value for key, value in paper_doc.items() if value not in ("", None, [])}
    for number, text in enumerate(pages, start=1):
        if text:
            yield {
                "kind": PAGE,
                "paper_id": paper.id,
                "page_content": Analysed(text, analysis.pages[number - 1]) if analysis else text,
                "page": number,
                "page_text": text,
            }


class SearchIndex:
    """The Whoosh index in one folder of the archive home."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._index: FileIndex | None = None
        self._opening = threading.Lock()
        # One open searcher per thread, reused while the index is unchanged (see searcher()).
        self._local = threading.local()
        self._segments: SegmentCache | None = None  # made by the first view()
        self._stats: tuple[tuple[int, str], dict[str, int]] | None = None
        # What an ordinary commit merges (tests give smaller caps and tiers).
        self.merge_policy: Callable[[IndexWriter, list[Any]], list[Any]] = TieredMerge()

    def _version_ok(self) -> bool:
        marker = self.path / VERSION_FILE
        return marker.is_file() and marker.read_text().strip() == str(SCHEMA_VERSION)

    def is_usable(self) -> bool:
        """True when an index of the current schema exists, opens and answers a query.

        Cheap enough for every start: it opens each segment (a truncated or overwritten segment
        file fails here) and reads one posting list and one stored document. Whoosh keeps no
        checksums, so damage inside a segment that leaves it readable is found only by
        ``archive verify`` (papers missing or stale in the index).
        """
        if not self._version_ok():
            return False
        try:
            # exists_in() reads the table of contents, which raises when that file is damaged.
            if not whoosh_index.exists_in(self.path):
                return False
            with whoosh_index.open_dir(self.path).searcher() as searcher:
                for hit in searcher.search(Term("kind", PAPER), limit=1):
                    hit.fields()
        except Exception:
            # Whatever a damaged file makes Whoosh raise (EOFError, struct.error, OSError...),
            # or a pickled schema naming analyzer classes that no longer exist.
            return False
        return True

    def create(self) -> FileIndex:
        """Start an empty index, discarding whatever the folder held."""
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self._index = whoosh_index.create_in(self.path, make_schema())
        (self.path / VERSION_FILE).write_text(f"{SCHEMA_VERSION}\n")
        return self._index

    def open(self) -> FileIndex:
        """The index, opened once and shared (Whoosh readers see each new commit)."""
        if self._index is None:
            # One opener at a time: a request and the start-up reconcile thread opening at once
            # made two index objects, and what is cached per index object was made twice.
            with self._opening:
                if self._index is None:
                    if not self.is_usable():
                        raise FileNotFoundError(f"no usable index in {self.path}")
                    try:
                        self._index = whoosh_index.open_dir(self.path)
                    except (whoosh_index.EmptyIndexError, OSError) as error:
                        # Removed or replaced since is_usable() looked (a rebuild, a repair).
                        raise FileNotFoundError(f"no usable index in {self.path}") from error
        return self._index

    @contextlib.contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """A searcher of the current index, reused by later searches of the same thread.

        Opening a Whoosh searcher reads each segment's term dictionary and opens its files;
        on a large index that cost more than the search itself. A thread's searcher is kept
        and replaced when a commit makes it stale. Searchers are not shared between threads.
        """
        index = self.open()
        cached: tuple[FileIndex, Searcher] | None = getattr(self._local, "searcher", None)
        if cached is not None and cached[0] is index and cached[1].up_to_date():
            searcher = cached[1]
        else:
            if cached is not None:
                # Not Searcher.refresh(): it reuses a segment's reader even when the commit only
                # deleted documents from it, and the deleted papers would still be found.
                cached[1].close()
            searcher = index.searcher()
        self._local.searcher = (index, searcher)
        yield searcher

    def view(self, searcher: Searcher) -> IndexView:
        """What ranking reads per document (:mod:`indexer.engine.ranking`) of ``searcher``'s index
        generation, kept with the thread's searcher."""
        cached: IndexView | None = getattr(self._local, "view", None)
        if cached is None or cached.searcher is not searcher:
            if self._segments is None:  # two threads racing here each get a correct cache
                from indexer.engine.ranking import SegmentCache

                self._segments = SegmentCache()
            cached = self._segments.view(searcher)
            self._local.view = cached
        return cached

    def _open_writer(self, timeout: float) -> IndexWriter:
        """The index's writer (its lock taken), writing and merging segments our way."""
        try:
            writer = self.open().writer(timeout=timeout, limitmb=WRITER_MEMORY_MB, compound=False)
        except LockError:
            raise IndexBusy(
                "the search index is busy with another import or upload; try again shortly"
            ) from None
        keep_lengths(writer)
        keep_field_totals(writer)
        merge_in_order(writer)
        keep_recent_generations(writer)
        return writer

    @contextlib.contextmanager
    def writer(
        self, timeout: float = WRITE_TIMEOUT_S, replace_all: bool = False
    ) -> Iterator[IndexWriter]:
        """A writer that commits when the block ends and cancels on an exception.

        The commit merges what :attr:`merge_policy` chooses (a capped, tiered policy: see
        :mod:`indexer.merging`). With ``replace_all``, the commit discards every document
        written before this writer.
        """
        writer = self._open_writer(timeout)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        finally:
            _forget_analysed(writer)
        writer.commit(mergetype=CLEAR if replace_all else self.merge_policy)

    def compact_step(
        self, step_mb: float = COMPACT_STEP_MB, timeout: float = WRITE_TIMEOUT_S
    ) -> CompactStep | None:
        """Merge the segments :func:`indexer.merging.choose_compact` picks (at most
        ``step_mb`` of them) in one commit, then release the lock; None when there was
        nothing to merge. Raises :class:`IndexBusy` when the lock was not had in ``timeout``.

        Searches go on meanwhile, on the generation before the step's (its files are kept
        :data:`OBSOLETE_GRACE_S` after it is retired).
        """
        writer = self._open_writer(timeout)
        started, cpu = time.perf_counter(), time.process_time()
        try:
            chosen = choose_compact(
                segment_sizes(writer.storage, writer.indexname, writer.segments), step_mb * MB
            )
            if not chosen:
                writer.cancel()
                return None
            segments = len(writer.segments) - len(chosen) + 1
            writer.commit(mergetype=functools.partial(merge_chosen, chosen=chosen))
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        return CompactStep(
            merged=len(chosen),
            read_mb=sum(size.bytes for size in chosen) / MB,
            segments_left=segments,
            seconds=time.perf_counter() - started,
            cpu_seconds=time.process_time() - cpu,
        )

    def add(
        self,
        writer: IndexWriter,
        paper: Paper,
        pages: list[str],
        analysis: TextAnalysis | None = None,
    ) -> None:
        """Index one paper, replacing any earlier version of it (``analysis``: of its pages,
        done beforehand; see :func:`paper_documents`)."""
        writer.delete_by_term("paper_id", paper.id)
        if analysis is not None:
            accept_analysed(writer)
        for document in paper_documents(paper, pages, analysis):
            writer.add_document(**document)

    def remove(self, paper_id: str) -> None:
        """Drop a paper and its pages from the index."""
        with self.writer() as writer:
            writer.delete_by_term("paper_id", paper_id)

    def paper_ids(self) -> set[str]:
        """The ids of every paper in the index."""
        with self.searcher() as searcher:
            return {hit["paper_id"] for hit in searcher.search(Term("kind", PAPER), limit=None)}

    def stats(self) -> dict[str, int]:
        """How many papers and pages the index holds, and of its papers how many the public
        may list (``listed``: not staff-only today, with ``listed_pages`` pages) and read
        (``readable``: open today).

        Counting walks every page document, and the home page and /healthz ask on every
        request: the count is kept until a commit makes a new index generation (or an
        embargo ends: a new day).
        """
        key = (self.open().latest_generation(), today())
        cached = self._stats
        if cached is not None and cached[0] == key:
            return dict(cached[1])
        with self.searcher() as searcher:
            # Not doc_frequency(): it still counts deleted documents until segments merge.
            papers = sum(1 for _ in Term("kind", PAPER).docs(searcher))
            deleted = searcher.reader().is_deleted
            hidden = [d for d in hidden_numbers(searcher) if not deleted(d)]
            pages = sum(1 for _ in Term("kind", PAGE).docs(searcher))
            # A hidden paper's pages (its documents but the paper's own), for public figures.
            hidden_pages = sum(
                sum(
                    1
                    for _ in Term("paper_id", searcher.stored_fields(d)["paper_id"]).docs(searcher)
                )
                - 1
                for d in hidden
            )
            counts = {
                "papers": papers,
                "pages": pages,
                "listed_pages": pages - hidden_pages,
                "listed": papers - len(hidden),
                "readable": papers - sum(not deleted(d) for d in closed_numbers(searcher)),
            }
        self._stats = (key, counts)
        return dict(counts)

    def compact(
        self,
        step_mb: float = COMPACT_STEP_MB,
        pause_s: float = COMPACT_PAUSE_S,
        timeout: float = WRITE_TIMEOUT_S,
    ) -> Iterator[CompactStep]:
        """Merge the index's segments in bounded steps (:meth:`compact_step`) until none is
        left to merge, yielding each step once its lock is released.

        Before each step after the first it waits ``pause_s`` without the lock: Whoosh's lock
        is taken by polling, so a step begun at once would take it again before an upload or
        an import's commit waiting for it. Raises :class:`IndexBusy` when a step cannot have
        the lock in ``timeout``.
        """
        first = True
        while True:
            if not first and pause_s > 0:
                time.sleep(pause_s)
            first = False
            step = self.compact_step(step_mb, timeout)
            if step is None:
                return
            yield step

    def segments(self) -> list[SegmentSize]:
        """The segments of the current index generation, with their sizes."""
        index = self.open()
        return segment_sizes(index.storage, index.indexname, index._segments())

    def copy_to(self, target: Path, attempts: int = 3) -> bool:
        """Copy the index into ``target`` (a new folder) as it stands after one commit.

        Whoosh never changes a committed file: a commit writes new segment files and a new
        table of contents, then deletes the files no longer listed. So a copy is whole when
        no commit happened while it was taken (the generation is the same before and after)
        and the copy opens. No lock is taken, so the server and an import keep writing; an
        index that kept changing over ``attempts`` tries is left out (False).
        """
        if not self.is_usable():
            return False
        for _ in range(attempts):
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            try:
                before = whoosh_index.open_dir(self.path).latest_generation()
                for source in sorted(self.path.iterdir()):
                    if source.is_file() and not source.name.endswith("WRITELOCK"):
                        shutil.copyfile(source, target / source.name)
                after = whoosh_index.open_dir(self.path).latest_generation()
            except (OSError, whoosh_index.EmptyIndexError):
                continue  # a file deleted by a commit under our feet: try again
            if before == after and SearchIndex(target).is_usable():
                return True
        shutil.rmtree(target, ignore_errors=True)
        return False

    def rebuild(self, library: Library, progress: Callable[[Paper], None] | None = None) -> int:
        """Replace the whole index with the library's papers, from the cached text.

        Readers see the old index until the new one is committed in one step. The answers
        published to readers' questions (kept beside the library, in the home) are indexed
        again too. Returns the number of papers indexed.
        """
        if not self.is_usable():
            self._index = None
            self.create()
        count = 0
        with self.writer(replace_all=True) as writer:
            for paper in library.papers():
                try:
                    pages = library.page_texts(paper.id)
                except PaperNotFound:
                    continue  # removed by another process meanwhile
                for document in paper_documents(paper, pages):
                    writer.add_document(**document)
                count += 1
                if progress:
                    progress(paper)
            # Published answers to readers' questions (issue 27); imported here, not at the top,
            # so that commands which never rebuild start without the thesaurus (issue 28).
            from indexer.published_answers import answer_documents

            for document in answer_documents(self.path.parent):
                writer.add_document(**document)
        return count


def index_papers(
    index: SearchIndex,
    items: Iterable[tuple[Paper, list[str]] | tuple[Paper, list[str], TextAnalysis | None]],
) -> int:
    """Index several papers in one commit (each with its text's analysis, when it was done
    beforehand); returns how many."""
    count = 0
    with index.writer() as writer:
        for paper, pages, *analysis in items:
            index.add(writer, paper, pages, analysis[0] if analysis else None)
            count += 1
    return count
