"""``archive refresh-metadata``: read the metadata of papers already in the library again.

When extraction improves (a better title and author reader), the papers imported before keep
what the older version found until their PDFs are read again. This does it in the import's worker
pool, under the import's limits, and keeps every value a person chose (staff edits, metadata
files) and every value Crossref gave. The cached page text is kept as it is (it may hold OCR
text that reading the PDF again would not give back), except what earlier versions kept as
pypdf misread it (Russian as Latin-1 letters, ligatures as glyph names:
:data:`indexer.normalize.MISREADINGS`; words run together: :mod:`indexer.ingest.word_gaps`),
which is put right in place; the description changes, and the changed papers are indexed again.

Sidecars written before values had sources are upgraded in place: the fields that the staff
activity journal records as edited are marked as the curators' first, so nothing they chose is
replaced.
"""

from __future__ import annotations

import functools
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from archive.activity import READ_WINDOW, ActivityLog
from archive.library import PaperNotFound
from archive.paper import DESCRIBED_FIELDS, Paper
from indexer.describe.crossref import CrossrefClient, look_up
from indexer.home import ArchiveHome
from indexer.ingest.extract import Extraction
from indexer.ingest.importer import BatchIndexer
from indexer.ingest.word_gaps import respaced
from indexer.ingest.workers import (
    OCR_OFF,
    ExtractionPool,
    Job,
    Limits,
    default_processes,
    log_handler,
    read_job,
)
from indexer.normalize import repair_misreadings

log = logging.getLogger(__name__)

UPDATED, UNCHANGED, FAILED = "updated", "unchanged", "failed"
# Extraction yields these; the document type and the rest are people's or Crossref's to give.
EXTRACTED_FIELDS = tuple(name for name in DESCRIBED_FIELDS if name != "doc_type")
# Values that a new reading of the PDF may replace: what an earlier reading found. A value
# without a source (a sidecar of an earlier version) counts as one unless the journal says a
# curator chose it.
_MACHINE_SOURCES = frozenset({"first-page", "pdf-info", "filename", None})


@dataclass
class RefreshOutcome:
    """What happened to one paper."""

    id: str
    filename: str
    status: str
    fields: list[str] = field(default_factory=list)
    reason: str | None = None


@dataclass
class RefreshReport:
    """Every paper's outcome, and a summary."""

    papers: list[RefreshOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[RefreshOutcome]:
        """The papers whose PDF could not be read again (they keep their metadata)."""
        return [outcome for outcome in self.papers if outcome.status == FAILED]

    def summary(self) -> dict[str, Any]:
        """Counts by status and by changed field, and the elapsed time."""
        statuses = Counter(outcome.status for outcome in self.papers)
        changed = Counter(name for outcome in self.papers for name in outcome.fields)
        return {
            "papers": len(self.papers),
            **{status: statuses.get(status, 0) for status in (UPDATED, UNCHANGED, FAILED)},
            "fields_changed": dict(changed.most_common()),
            "seconds": round(self.seconds, 2),
        }

    def to_json(self) -> dict[str, Any]:
        """The ``--report`` file's contents."""
        return {"papers": [asdict(o) for o in self.papers], "summary": self.summary()}


def staff_edits(home: ArchiveHome) -> dict[str, set[str]]:
    """The fields curators edited, by paper id, as the staff activity journal records them."""
    edited: dict[str, set[str]] = {}
    for event in ActivityLog(home.log_dir).recent(READ_WINDOW):
        if event.get("action") == "edit" and isinstance(event.get("id"), str):
            edited.setdefault(event["id"], set()).update(event.get("fields") or [])
    return edited


def mark_earlier_edits(paper: Paper, edited: Iterable[str]) -> None:
    """Mark as the curators' the fields they edited before sources were recorded."""
    for name in edited:
        if name in DESCRIBED_FIELDS and name not in paper.sources:
            paper.sources[name] = "staff"


def refreshed_values(paper: Paper, extraction: Extraction) -> list[str]:
    """Take into ``paper`` what a new reading of its PDF found, for the fields an earlier
    reading gave; people's and Crossref's values stay, and an empty new value never replaces
    a value. Returns the names of the fields that changed."""
    changed = []
    taken = set()
    for name in EXTRACTED_FIELDS:
        value = getattr(extraction, name)
        if value in (None, "", []) or paper.sources.get(name) not in _MACHINE_SOURCES:
            continue
        taken.add(name)
        if getattr(paper, name) != value:
            setattr(paper, name, value)
            changed.append(name)
        if name in extraction.sources:
            paper.sources[name] = extraction.sources[name]
    # What this reading said of the values it gave; a value it did not give keeps nothing.
    paper.evidence = {name: shift for name, shift in extraction.evidence.items() if name in taken}
    return changed


def refresh_metadata(
    home: ArchiveHome,
    paper_ids: Iterable[str] | None = None,
    *,
    lookup: CrossrefClient | None = None,
    jobs: int | None = None,
    limits: Limits | None = None,
    on_outcome: Callable[[RefreshOutcome], None] | None = None,
) -> RefreshReport:
    """Read the header of every paper (or of ``paper_ids``) again, look it up at Crossref
    when ``lookup`` is given, save the sidecars (in the current format) and index the
    papers whose description changed."""
    started = time.monotonic()
    library = home.library
    report = RefreshReport()
    edited = staff_edits(home)

    def record(outcome: RefreshOutcome) -> None:
        report.papers.append(outcome)
        if on_outcome:
            on_outcome(outcome)

    queued: list[Job] = []
    for paper_id in paper_ids if paper_ids is not None else library.ids():
        try:
            paper = library.get(paper_id)
            queued.append(Job(paper.id, library.pdf_path(paper.id), paper.filename))
        except PaperNotFound:
            record(RefreshOutcome(paper_id, "", FAILED, reason="its PDF is missing"))
    batch = BatchIndexer(home.index)
    handler = log_handler(home.log_dir / "import.log")
    logging.getLogger().addHandler(handler)
    try:
        pool = ExtractionPool(
            min(jobs or default_processes(), max(1, len(queued))),
            home.log_dir / "import.log",
            limits or Limits(),
            functools.partial(read_job, ocr=OCR_OFF),
        )
        for job, result in pool.run(queued):
            try:
                # Read now, not when queued: a curator may have edited it meanwhile.
                paper = library.get(job.key)
            except PaperNotFound:
                continue  # removed meanwhile
            mark_earlier_edits(paper, edited.get(paper.id, ()))
            changed: list[str] = []
            reason = None
            if isinstance(result, str):
                reason = f"could not be read again ({result}); its metadata is kept"
            else:
                changed = refreshed_values(paper, result)
            if lookup is not None and paper.doi:
                found = look_up(paper, lookup)
                changed += [name for name in found.changed if name not in changed]
                reason = "; ".join(filter(None, [reason, found.problem])) or None
            library.save(paper)  # also upgrades a sidecar of an earlier version in place
            # Text that earlier versions kept as pypdf misread it (Russian as "Ìîñêâà", a
            # ligature as "/f_i", words run together) is put right in the cached text itself,
            # otherwise kept.
            stored = library.page_texts(paper.id)
            pages = [repair_misreadings(page) for page in stored]
            if not isinstance(result, str) and len(result.pages) == len(pages):
                pages = [
                    respaced(page, fresh) for page, fresh in zip(pages, result.pages, strict=True)
                ]
            if pages != stored:
                library.replace_page_texts(paper.id, pages)
                changed.append("text")
            if changed:
                batch.add(paper, pages)
            status = FAILED if isinstance(result, str) else UPDATED if changed else UNCHANGED
            record(RefreshOutcome(paper.id, paper.filename, status, changed, reason))
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
        batch.flush()
    report.seconds = time.monotonic() - started
    return report
