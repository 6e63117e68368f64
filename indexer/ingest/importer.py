"""Bulk import: files, folders and zip files of PDFs into the library and the index.

Work is split so that the slow part runs in parallel and the shared state has one writer:

* this process lists the inputs and recognises files seen before: by path, size and
  modification time first (no reading at all), then by content hash;
* worker processes (:mod:`indexer.ingest.workers`) extract text and metadata, one PDF each, under a
  time and a memory limit;
* this process stores each new paper in the library and indexes it, committing in batches.

Every step is idempotent, so an interrupted import (Ctrl-C, a crash, ``kill -9``) finishes by
running the same command again: a paper is stored in the library before it is indexed, and a
paper found in the library but not in the index is indexed from its cached text.
"""

from __future__ import annotations

import errno
import functools
import logging
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from whoosh.query import Term
from whoosh.searching import Searcher

from archive.filenames import clean_filename, printable
from archive.library import Library, file_sha256
from archive.paper import Paper
from indexer.describe.crossref import CrossrefClient, look_up
from indexer.describe.metadata_file import MetadataTable
from indexer.home import ArchiveHome
from indexer.index import SearchIndex, TextAnalysis, index_papers
from indexer.ingest import pdf_scripts
from indexer.ingest.extract import count_pages
from indexer.ingest.import_state import FileKey, ImportState
from indexer.ingest.inputs import (
    InputFile,
    InputProblem,
    clear_work_dir,
    expand_inputs,
    materialize,
)
from indexer.ingest.ocr import DEFAULT_LANGUAGES, missing_languages_note, ocr_available
from indexer.ingest.workers import (
    OCR_OFF,
    OCR_ON,
    OCR_UNAVAILABLE,
    ExtractionPool,
    Job,
    Limits,
    Staged,
    default_processes,
    log_handler,
    stage_job,
)
from indexer.schema import PAPER

log = logging.getLogger(__name__)

ADDED = "added"
DUPLICATE = "duplicate"
UNCHANGED = "unchanged"
FAILED = "failed"
STATUSES = (ADDED, DUPLICATE, UNCHANGED, FAILED)
# One index commit per batch of papers. Each commit writes a segment, and small segments are
# merged again at later commits: 20 one-page papers a commit cost 8.8 ms of the storing
# process's CPU per paper, 50 a commit 3.5 ms, 200 a commit 2.3 ms (issue 23). A batch is
# bounded by pages too, as its papers' analysed text waits in memory (~0.1 MB a page), and
# by time, so that a long import's papers become searchable as it goes.
BATCH_PAPERS = 200
BATCH_PAGES = 1_000
BATCH_SECONDS = 30.0
# The papers the workers staged are flushed to disk together before they are added (one
# flush of the file system, not one per file: Library.sync_staged): at most this many at a
# time, or BATCH_PAGES pages, or those that came in this long after the first of them.
SYNC_PAPERS = 100
SYNC_SECONDS = 0.5
STATE_FILE = "import-state.sqlite"
# Files this large have their pages counted before the import reads them (_longest_first):
# below it, a file is quick whatever its pages, and counting would cost more than it saves.
COUNT_PAGES_FROM = 1_000_000
# Counting a file's pages takes milliseconds; a file that takes longer is left to its reading.
COUNT_PAGES_TIMEOUT_S = 5.0
METADATA_FILE = "metadata-file"


class ImportAborted(RuntimeError):
    """The import cannot go on (a full disk); ``str(error)`` says why, for a person."""


@dataclass
class FileOutcome:
    """What happened to one input file (a row of the import report)."""

    path: str
    status: str
    reason: str | None = None
    id: str | None = None
    pages: int | None = None


@dataclass
class ImportOptions:
    """How to import: worker processes, limits, staff metadata, whether to retry failures."""

    jobs: int | None = None
    limits: Limits = field(default_factory=Limits)
    ocr: bool = True  # when OCRmyPDF and Tesseract are installed
    ocr_languages: str = DEFAULT_LANGUAGES  # Tesseract's, joined by "+"
    metadata: MetadataTable | None = None
    retry_failed: bool = False
    lookup: CrossrefClient | None = None  # metadata by DOI from Crossref, when given
    # The access level (archive.access) of the papers this run adds; a metadata file's
    # "access" column wins for its rows. Papers already in the archive keep theirs.
    access: str = "open"


@dataclass
class ImportReport:
    """Every input file with its outcome, and a summary."""

    files: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0
    metadata_problems: list[str] = field(default_factory=list)
    # Said once for the whole import, not per file (OCR languages not installed, say).
    notes: list[str] = field(default_factory=list)
    # Crossref lookups: papers that took values from it, and lookups that gave nothing.
    looked_up: int = 0
    lookup_problems: int = 0
    # CPU seconds spent by this process on the import, and by the extraction workers on the
    # files they read (how far more workers could be kept busy: issue 23).
    cpu_main_s: float = 0.0
    cpu_workers_s: float = 0.0

    @property
    def failed(self) -> list[FileOutcome]:
        """The files that could not be imported."""
        return [outcome for outcome in self.files if outcome.status == FAILED]

    def summary(self) -> dict[str, Any]:
        """Counts by status, failures by reason, pages added and elapsed time."""
        counts = Counter(outcome.status for outcome in self.files)
        return {
            "files": len(self.files),
            **{status: counts.get(status, 0) for status in STATUSES},
            "failed_by_reason": dict(Counter(o.reason for o in self.failed).most_common()),
            "pages_added": sum(o.pages or 0 for o in self.files if o.status == ADDED),
            "seconds": round(self.seconds, 2),
            "metadata_problems": self.metadata_problems,
            "notes": self.notes,
            "crossref": {"updated": self.looked_up, "problems": self.lookup_problems},
            "cpu_seconds": {
                "main": round(self.cpu_main_s, 3),
                "workers": round(self.cpu_workers_s, 3),
            },
        }

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` file's contents (PRODUCT.md contract)."""
        return {"files": [asdict(outcome) for outcome in self.files], "summary": self.summary()}


def indexed_paper_ids(searcher: Searcher) -> set[str]:
    """The ids of the papers the index holds, in one pass (not one query per paper: an
    unchanged re-import of 1,000 files spent most of its time asking 1,000 times)."""
    reader = searcher.reader()
    if not reader.has_deletions():
        # Every id in the term list belongs to a live paper (its pages are written with it).
        return {term.decode("utf-8") for term in reader.lexicon("paper_id")}
    # A deleted paper's id stays in the term list until its segment is merged: read the ids
    # of the live paper documents instead.
    return {searcher.stored_fields(n)["paper_id"] for n in Term("kind", PAPER).docs(searcher)}


class BatchIndexer:
    """Collects stored papers and indexes them in one commit per batch, after making their
    folders in the library durable (papers added without syncing: Library.sync_added)."""

    def __init__(self, index: SearchIndex, library: Library | None = None) -> None:
        self.index = index
        self.library = library
        self.pending: list[tuple[Paper, list[str], TextAnalysis | None]] = []
        self.pages = 0
        self.since = time.monotonic()

    def add(self, paper: Paper, pages: list[str], analysis: TextAnalysis | None = None) -> None:
        self.pending.append((paper, pages, analysis))
        self.pages += len(pages)
        if (
            len(self.pending) >= BATCH_PAPERS
            or self.pages >= BATCH_PAGES
            or time.monotonic() - self.since > BATCH_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        if self.pending:
            if self.library is not None:
                self.library.sync_added(paper.id for paper, *_ in self.pending)
            index_papers(self.index, self.pending)
            self.pending.clear()
            self.pages = 0
        self.since = time.monotonic()


class _Waiting:
    """Results of the workers waiting to be stored by ``store``: their staged files are
    flushed to disk together first (:meth:`Library.sync_staged`). A folder whose files could
    not be flushed is given up with the error, as if the worker could not write it."""

    def __init__(self, library: Library, store: Callable[[Job, Staged | str], None]) -> None:
        self.library = library
        self.store = store
        self.results: list[tuple[Job, Staged | str]] = []
        self.pages = 0
        self.since = 0.0

    def add(self, job: Job, result: Staged | str) -> None:
        if not self.results:
            self.since = time.monotonic()
        self.results.append((job, result))
        if isinstance(result, Staged):
            self.pages += len(result.extraction.pages)
        if (
            len(self.results) >= SYNC_PAPERS
            or self.pages >= BATCH_PAGES
            or time.monotonic() - self.since >= SYNC_SECONDS
        ):
            self.flush()

    def flush(self) -> None:
        folders = [r.folder for _, r in self.results if isinstance(r, Staged) and r.folder]
        failed = self.library.sync_staged(folders)
        results, self.results, self.pages = self.results, [], 0
        for job, result in results:
            if isinstance(result, Staged) and result.folder in failed:
                error = failed[result.folder]
                shutil.rmtree(result.folder, ignore_errors=True)
                result.folder = None
                result.error = (error.errno or 0, error.strerror or str(error))
            self.store(job, result)


def _longest_first(jobs: list[Job], processes: int, log_file: Path, limits: Limits) -> None:
    """Order ``jobs`` so that the longest files start first, and one long file does not start
    late and leave the other cores idle at the end. Files of ``COUNT_PAGES_FROM`` bytes or
    more are ordered by their pages, counted first by the workers (a PDF is opened in a worker
    only, under its limits); the rest, and any whose pages cannot be counted, by size. A file
    of 619 pages used to start third, behind two larger files of 400 and 39 pages."""
    sizes = {job.key: job.path.stat().st_size for job in jobs}
    large = [job for job in jobs if sizes[job.key] >= COUNT_PAGES_FROM]
    pages: dict[str, int] = {}
    if len(jobs) > processes and len(large) > 1:
        quick = replace(limits, timeout_s=min(limits.timeout_s, COUNT_PAGES_TIMEOUT_S), wall_s=None)
        pool = ExtractionPool(min(processes, len(large)), log_file, quick, count_pages)
        pages = {job.key: n for job, n in pool.run(large) if isinstance(n, int)}
    jobs.sort(key=lambda job: (pages.get(job.key, 0), sizes[job.key]), reverse=True)


def _apply(paper: Paper, overrides: dict[str, Any]) -> bool:
    """Apply staff metadata to a paper, marking each value as the metadata file's (no lookup
    or refresh replaces it); True when anything changed."""
    changed = False
    for name, value in overrides.items():
        if getattr(paper, name) != value or paper.sources.get(name) != METADATA_FILE:
            setattr(paper, name, value)
            paper.sources[name] = METADATA_FILE
            changed = True
    return changed


class _Run:
    """One import: the bookkeeping shared by its passes."""

    def __init__(
        self, home: ArchiveHome, options: ImportOptions, on_outcome: Callable | None
    ) -> None:
        self.home = home
        self.library = home.library
        self.options = options
        self.metadata = options.metadata or MetadataTable()
        self.on_outcome = on_outcome
        self.report = ImportReport(metadata_problems=list(self.metadata.problems))
        self.batch = BatchIndexer(home.index, home.library)
        self.state = ImportState(home.root / STATE_FILE)
        self.first_seen: dict[str, str] = {}
        self.maybe_unindexed: list[Paper] = []
        # Said once, with the first scan OCRed, when some OCR languages are not installed.
        self.languages_note: str | None = None

    def record(
        self,
        entry: InputFile,
        status: str,
        reason: str | None = None,
        paper_id: str | None = None,
        pages: int | None = None,
    ) -> None:
        outcome = FileOutcome(entry.display, status, reason, paper_id, pages)
        self.report.files.append(outcome)
        if self.on_outcome:
            self.on_outcome(outcome)

    def fail(self, entry: InputFile, reason: str, key: FileKey | None = None) -> None:
        if key is not None:
            self.state.remember(key, None, reason)
        self.record(entry, FAILED, reason)

    def settle_existing(self, entry: InputFile, paper_id: str) -> None:
        """A file whose paper is already in the library."""
        paper = self.library.get(paper_id)
        overrides = self.metadata.for_paper(entry.filename, paper.doi)
        changed = bool(overrides) and _apply(paper, overrides)
        note, looked_up = self.look_up(paper) if paper_id not in self.first_seen else (None, False)
        if changed or looked_up:
            self.library.save(paper)
            self.batch.add(paper, self.library.page_texts(paper_id))
        else:
            self.maybe_unindexed.append(paper)
        if paper_id in self.first_seen:
            self.record(
                entry, DUPLICATE, f"same file as {self.first_seen[paper_id]}", paper_id, paper.pages
            )
        elif clean_filename(paper.filename) == entry.filename:  # stored raw by older versions
            self.record(entry, UNCHANGED, note, paper_id, paper.pages)
        else:
            self.record(entry, DUPLICATE, f"same file as {paper.filename}", paper_id, paper.pages)
        self.first_seen.setdefault(paper_id, entry.display)

    def look_up(self, paper: Paper) -> tuple[str | None, bool]:
        """Fill ``paper`` from Crossref when asked to: why it took nothing (or None), and
        whether its sidecar needs saving."""
        if self.options.lookup is None or not paper.doi:
            return None, False
        lookup = look_up(paper, self.options.lookup)
        if lookup.changed:
            self.report.looked_up += 1
        if lookup.problem:
            self.report.lookup_problems += 1
        return lookup.problem, lookup.touched

    def index_missing(self) -> None:
        """Index papers that are in the library but not in the index (an earlier crash)."""
        if not self.maybe_unindexed:
            return
        with self.home.index.open().searcher() as searcher:
            indexed = indexed_paper_ids(searcher)
        for paper in self.maybe_unindexed:
            if paper.id not in indexed:
                self.batch.add(paper, self.library.page_texts(paper.id))

    def finish(self, job: Job, entry: InputFile, key: FileKey, staged: Staged | str) -> None:
        """Store and index a freshly extracted paper (staged in the library by its worker)."""
        if isinstance(staged, str):
            self.fail(entry, staged, key)
            return
        result = staged.extraction
        if self.languages_note and any("OCR" in warning for warning in result.warnings):
            self.report.notes.append(self.languages_note)
            self.languages_note = None
        paper = staged.paper or result.paper(job.key, entry.filename, job.path.stat().st_size)
        if paper.id != job.key:  # the worker read other bytes than were hashed here
            self.fail(entry, "changed while it was being imported")
            return
        changed = (paper.access, paper.javascript) != (self.options.access, staged.scripts)
        paper.access, paper.javascript = self.options.access, staged.scripts
        changed = _apply(paper, self.metadata.for_paper(entry.filename, paper.doi)) or changed
        lookup_note, looked_up = self.look_up(paper)
        try:
            if staged.folder is None:
                raise OSError(*(staged.error or (0, "unknown error")))
            stored = self.library.add_staged(
                staged.folder,
                paper,
                sidecar_staged=staged.paper is not None and not (changed or looked_up),
                sync=False,  # synced with the batch, before it is indexed
            )
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise ImportAborted(
                    f"The disk is full: {entry.display} and the files after it were not "
                    "imported. Free some space and run the same command again."
                ) from None
            self.fail(entry, f"could not be stored ({error.strerror})")
            return
        self.state.remember(key, paper.id, None)
        if stored:
            self.batch.add(paper, result.pages, staged.analysis)
            scripts = pdf_scripts.NOTE if staged.scripts else None
            if scripts:  # said in the summary too, not only in the --report file
                self.report.notes.append(f"{printable(entry.display)}: {scripts}")
            note = "; ".join([*result.warnings, *filter(None, [lookup_note, scripts])]) or None
            self.record(entry, ADDED, note, paper.id, paper.pages)
        else:  # another process stored the same bytes meanwhile
            self.record(
                entry, DUPLICATE, "added meanwhile by another import", paper.id, paper.pages
            )


def import_files(
    home: ArchiveHome,
    entries: Iterable[InputFile],
    options: ImportOptions | None = None,
    on_outcome: Callable[[FileOutcome], None] | None = None,
) -> ImportReport:
    """Import the given input files; every one gets an outcome in the report."""
    started = time.monotonic()
    cpu_started = time.process_time()
    options = options or ImportOptions()
    run = _Run(home, options, on_outcome)
    pool: ExtractionPool | None = None
    home.library.clean_tmp()
    work_dir = home.library.new_work_dir("import")
    handler = log_handler(home.log_dir / "import.log")
    logging.getLogger().addHandler(handler)
    try:
        # Pass 1, here: recognise what is known; queue the rest for extraction.
        queued: dict[str, tuple[InputFile, FileKey]] = {}
        copies: dict[str, list[tuple[InputFile, FileKey]]] = {}
        jobs: list[Job] = []
        for number, entry in enumerate(entries):
            if entry.problem:
                run.fail(entry, entry.problem)
                continue
            try:
                key = entry.key()
            except OSError as error:
                run.fail(entry, f"cannot be read ({error.strerror})")
                continue
            known = run.state.lookup(key)
            if known and known.paper_id and known.paper_id in home.library:
                run.settle_existing(entry, known.paper_id)
                continue
            if known and known.failure and not options.retry_failed:
                run.fail(entry, known.failure)
                continue
            try:
                path = materialize(entry, work_dir, number)
                if path.stat().st_size == 0:
                    run.fail(entry, "empty file (0 bytes)", key)
                    continue
                paper_id = file_sha256(path)
            except InputProblem as problem:
                run.fail(entry, str(problem), key)
                continue
            except OSError as error:
                run.fail(entry, f"cannot be read ({error.strerror})")
                continue
            if paper_id in queued:
                # Settled with the original once it is read: a copy of a broken file fails too.
                copies.setdefault(paper_id, []).append((entry, key))
            elif paper_id in home.library:
                run.state.remember(key, paper_id, None)
                run.settle_existing(entry, paper_id)
            else:
                queued[paper_id] = (entry, key)
                jobs.append(Job(paper_id, path, entry.filename))
        run.index_missing()

        # Pass 2: extract in parallel; store and index here as results arrive.
        processes = min(options.jobs or default_processes(), max(1, len(jobs)))
        _longest_first(jobs, processes, home.log_dir / "import.log", options.limits)
        ocr_mode = OCR_OFF
        if options.ocr:
            ocr_mode = OCR_ON if ocr_available() else OCR_UNAVAILABLE
        if ocr_mode == OCR_ON:
            run.languages_note = missing_languages_note(options.ocr_languages)
        pool = ExtractionPool(
            processes,
            home.log_dir / "import.log",
            options.limits,
            functools.partial(
                stage_job,
                ocr=ocr_mode,
                languages=options.ocr_languages,
                library_root=str(home.library.root),
                owner=os.getpid(),
                access=options.access,
                sync=False,  # flushed by _Waiting, many papers at once
            ),
        )

        def store(job: Job, result: Staged | str) -> None:
            entry, key = queued[job.key]
            run.finish(job, entry, key, result)
            for copy, copy_key in copies.get(job.key, []):
                if isinstance(result, str):
                    run.fail(copy, result, copy_key)
                else:
                    run.state.remember(copy_key, job.key, None)
                    pages = len(result.extraction.pages)
                    run.record(copy, DUPLICATE, f"same file as {entry.display}", job.key, pages)

        waiting = _Waiting(home.library, store)
        for job, result in pool.run(jobs):
            waiting.add(job, result)  # type: ignore[arg-type]
        waiting.flush()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        clear_work_dir(work_dir)
        home.library.discard_staged(os.getpid())
        # And what the workers of a killed import (kill -9) staged after it died.
        home.library.clean_tmp()
        try:
            run.batch.flush()
        finally:
            run.state.close()
    run.report.seconds = time.monotonic() - started
    run.report.cpu_main_s = time.process_time() - cpu_started
    run.report.cpu_workers_s = pool.worker_cpu_s if pool else 0.0
    return run.report


def import_paths(
    home: ArchiveHome,
    inputs: Iterable[Path | str],
    *,
    jobs: int | None = None,
    on_outcome: Callable[[FileOutcome], None] | None = None,
    options: ImportOptions | None = None,
) -> ImportReport:
    """Import files, folders and zip files (the library-level form of ``archive import``)."""
    options = options or ImportOptions()
    if jobs is not None:
        options.jobs = jobs
    return import_files(home, expand_inputs(str(p) for p in inputs), options, on_outcome)
