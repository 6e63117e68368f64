"""Bulk import: files and folders of PDFs into the library and the index.

Work is split so that the slow part runs in parallel and the shared state has one writer:

* the main process walks the inputs and hashes each file (the hash is the paper's identity, so
  a file already in the library is recognised without being read as a PDF);
* worker processes extract text and metadata, the CPU-heavy part, one PDF each;
* the main process stores each paper in the library and indexes it, committing in batches.

A paper is stored in the library before it is indexed; a paper found in the library but missing
from the index (an import interrupted between the two) is indexed again from its cached text.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from archive.library import PaperNotFound, file_sha256
from archive.paper import Paper
from indexer.extract import Extraction, ExtractionError, extract_pdf
from indexer.home import ArchiveHome
from indexer.index import SearchIndex

log = logging.getLogger(__name__)

ADDED = "added"
DUPLICATE = "duplicate"
UNCHANGED = "unchanged"
FAILED = "failed"
STATUSES = (ADDED, DUPLICATE, UNCHANGED, FAILED)
BATCH_PAPERS = 50
BATCH_SECONDS = 10.0


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
class ImportReport:
    """Every input file with its outcome, and a summary."""

    files: list[FileOutcome] = field(default_factory=list)
    seconds: float = 0.0

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
        }

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` file's contents (PRODUCT.md contract)."""
        return {"files": [asdict(outcome) for outcome in self.files], "summary": self.summary()}


def _is_hidden(path: Path) -> bool:
    return path.name.startswith(".")


def collect_files(inputs: Iterable[Path]) -> Iterator[Path]:
    """The files to import: each file given, and every PDF under each folder given.

    In folders, only ``*.pdf`` files count (case-insensitive), and hidden files (such as macOS
    ``._name.pdf`` resource forks) are skipped; a file named explicitly is always tried.
    """
    seen: set[Path] = set()
    for item in inputs:
        if item.is_dir():
            found = (
                path
                for path in sorted(item.rglob("*"))
                if path.suffix.lower() == ".pdf"
                and path.is_file()
                and not any(_is_hidden(part) for part in path.relative_to(item).parents)
                and not _is_hidden(path)
            )
        else:
            found = iter([item])
        for path in found:
            resolved = path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                yield path


def _log_handler(log_file: str) -> logging.Handler:
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    return handler


def _init_worker(log_file: str) -> None:
    """Send a worker's log (pypdf's many warnings among it) to the log file, not the terminal."""
    root = logging.getLogger()
    root.handlers[:] = [_log_handler(log_file)]
    root.setLevel(logging.INFO)


def _extract_job(path: str) -> Extraction | str:
    """Run in a worker: the extraction, or the reason it failed."""
    try:
        return extract_pdf(Path(path))
    except ExtractionError as error:
        return str(error)
    except MemoryError:
        return "too large to process"
    except Exception as error:  # a bug or a pypdf surprise must not stop the run
        logging.getLogger(__name__).exception("unexpected error on %s", path)
        return f"could not be read ({type(error).__name__})"


class _BatchIndexer:
    """Collects stored papers and indexes them in one commit per batch."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index
        self.pending: list[tuple[Paper, list[str]]] = []
        self.since = time.monotonic()

    def add(self, paper: Paper, pages: list[str]) -> None:
        self.pending.append((paper, pages))
        if len(self.pending) >= BATCH_PAPERS or time.monotonic() - self.since > BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with self.index.writer() as writer:
                for paper, pages in self.pending:
                    self.index.add(writer, paper, pages)
            self.pending.clear()
        self.since = time.monotonic()


def _new_paper(paper_id: str, path: Path, extraction: Extraction) -> Paper:
    return Paper(
        id=paper_id,
        title=extraction.title,
        filename=path.name,
        pages=len(extraction.pages),
        size=path.stat().st_size,
        authors=extraction.authors,
        year=extraction.year,
        doi=extraction.doi,
        tags=extraction.tags,
    )


def import_paths(
    home: ArchiveHome,
    inputs: Iterable[Path],
    *,
    jobs: int | None = None,
    on_outcome: Callable[[FileOutcome], None] | None = None,
) -> ImportReport:
    """Import files and folders into the archive; every input file gets an outcome."""
    started = time.monotonic()
    report = ImportReport()
    library = home.library
    indexed = home.index.paper_ids()
    batch = _BatchIndexer(home.index)

    def record(outcome: FileOutcome) -> None:
        report.files.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    # Pass 1, in this process: identify each file by its hash.
    to_extract: dict[str, Path] = {}
    first_seen: dict[str, Path] = {}
    for path in collect_files(inputs):
        try:
            if path.stat().st_size == 0:
                record(FileOutcome(str(path), FAILED, "empty file (0 bytes)"))
                continue
            paper_id = file_sha256(path)
        except OSError as error:
            record(FileOutcome(str(path), FAILED, f"cannot be read ({error.strerror})"))
            continue
        if paper_id in first_seen:
            record(
                FileOutcome(str(path), DUPLICATE, f"same file as {first_seen[paper_id]}", paper_id)
            )
            continue
        first_seen[paper_id] = path
        try:
            paper = library.get(paper_id)
        except PaperNotFound:
            to_extract[paper_id] = path
            continue
        if paper_id not in indexed:
            batch.add(paper, library.page_texts(paper_id))
        if paper.filename == path.name:
            record(FileOutcome(str(path), UNCHANGED, None, paper_id, paper.pages))
        else:
            record(
                FileOutcome(
                    str(path), DUPLICATE, f"same file as {paper.filename}", paper_id, paper.pages
                )
            )

    # Pass 2: extract in parallel, store and index here as results arrive.
    def finish(paper_id: str, path: Path, result: Extraction | str) -> None:
        if isinstance(result, str):
            record(FileOutcome(str(path), FAILED, result))
            return
        paper = _new_paper(paper_id, path, result)
        try:
            stored = library.add(path, paper, result.pages)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise ImportAborted(
                    f"The disk is full: {path} and the files after it were not imported."
                ) from None
            record(FileOutcome(str(path), FAILED, f"could not be stored ({error.strerror})"))
            return
        if stored:
            batch.add(paper, result.pages)
            note = "; ".join(result.warnings) or None
            record(FileOutcome(str(path), ADDED, note, paper_id, paper.pages))
        else:  # another process stored the same bytes meanwhile
            record(
                FileOutcome(
                    str(path), DUPLICATE, "added meanwhile by another import", paper_id, paper.pages
                )
            )

    log_file = str(home.log_dir / "import.log")
    workers = max(1, min(jobs or os.cpu_count() or 1, len(to_extract)))
    handler = _log_handler(log_file)
    logging.getLogger().addHandler(handler)
    try:
        if workers == 1:
            for paper_id, path in to_extract.items():
                finish(paper_id, path, _extract_job(str(path)))
        else:
            with ProcessPoolExecutor(
                workers, initializer=_init_worker, initargs=(log_file,)
            ) as pool:
                futures: dict[Future[Extraction | str], tuple[str, Path]] = {
                    pool.submit(_extract_job, str(path)): (paper_id, path)
                    for paper_id, path in to_extract.items()
                }
                for future in as_completed(futures):
                    finish(*futures[future], future.result())
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        batch.flush()
    report.seconds = time.monotonic() - started
    return report
