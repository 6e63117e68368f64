"""Papers uploaded through the web: received durably at once, read and indexed in the background.

The path of one upload:

1. :meth:`UploadService.receive` (in the request): stream the file into the inbox, reject it when
   it is too large, not a PDF by its content (whatever its name), or the same bytes as a paper
   already in the archive or already waiting; otherwise commit it to the inbox (flushed to disk)
   and answer "received". Nothing slow or lock-bound happens in the request.
2. The upload thread reads each inbox item with pypdf (in a worker process, under the import's
   time and memory limits), stores the paper in the library (the source of truth; safe beside
   a concurrent ``archive import``, which uses the same rename-into-place), records the outcome
   in the activity journal, and drops the item.
3. :class:`indexer.index_sync.IndexSync` indexes it, waiting politely while another process
   holds the index's write lock. A paper is searchable seconds after it was received.

Every outcome (received, added, duplicate, failed with a reason) goes to the activity journal
under the upload's batch, which is what the upload results page shows.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import uuid
from collections.abc import Callable
from typing import Any, BinaryIO

from archive.access import stored_access
from archive.activity import ActivityLog
from archive.filenames import clean_filename, shown_filename
from archive.inbox import Inbox, InboxItem, Staged, TooLarge
from indexer.concurrency import IdleThread
from indexer.describe.crossref import CrossrefClient, look_up
from indexer.home import ArchiveHome
from indexer.index_sync import IndexSync
from indexer.ingest import pdf_scripts
from indexer.ingest.extract import HEADER_WINDOW, PDF_MAGIC, Extraction
from indexer.ingest.ocr import DEFAULT_LANGUAGES, ocr_available
from indexer.ingest.workers import OCR_ON, OCR_UNAVAILABLE, ExtractionPool, Job, Limits, read_job

log = logging.getLogger(__name__)

RECEIVED = "received"
ADDED = "added"
DUPLICATE = "duplicate"
FAILED = "failed"
FINAL = (ADDED, DUPLICATE, FAILED)
IDLE_EXIT_S = 30.0
UPLOAD_LOG = "upload.log"  # pypdf's warnings about uploaded files


def display_name(raw: str | None) -> str:
    """The name a paper is known by, from an uploaded file's name (see
    :func:`archive.filenames.clean_filename`)."""
    return clean_filename(raw, fallback="upload.pdf")


def new_batch_id() -> str:
    """A fresh, unguessable id for one upload (a form post of one or more files)."""
    return uuid.uuid4().hex


def is_batch_id(value: str) -> bool:
    """True for a well-formed batch id."""
    return bool(re.fullmatch(r"[0-9a-f]{32}", value))


class UploadService:
    """Receives uploads into the inbox and turns them into papers from a background thread."""

    def __init__(
        self,
        home: ArchiveHome,
        sync: IndexSync,
        activity: ActivityLog,
        *,
        max_file_bytes: int,
        limits: Limits | None = None,
        idle_exit: float = IDLE_EXIT_S,
        ocr_languages: str = DEFAULT_LANGUAGES,
        lookup: CrossrefClient | None = None,
    ) -> None:
        self.home = home
        self.sync = sync
        self.activity = activity
        self.inbox = Inbox.in_home(home.root)
        self.max_file_bytes = max_file_bytes
        self.limits = limits or Limits()
        self.idle_exit = idle_exit
        self.ocr_languages = ocr_languages
        self.lookup = lookup  # Crossref, for papers with a DOI (the crossref_lookup setting)
        # The upload thread ends after a quiet spell; the next kick() starts a new one.
        self._thread = IdleThread("uploads", self._run)
        self._cond = self._thread.cond
        self._busy = False
        self._kicked = False
        self._given_up: set[str] = set()  # items that could not be stored; kept for next start
        # Serialises the duplicate check and the commit, so two requests with the same bytes
        # cannot both be received (and one paper be reported "added" twice).
        self._receiving = threading.Lock()

    # --- in the request -------------------------------------------------------------------------

    def receive(
        self,
        stream: BinaryIO,
        raw_name: str | None,
        *,
        batch: str,
        user: str,
        seq: int = 0,
        access: str = "open",
    ) -> dict[str, Any]:
        """Check one uploaded file and keep it in the inbox; returns its journal event.
        ``access`` is the paper's access level once it is in (archive.access)."""
        filename = display_name(raw_name)
        event: dict[str, Any] = {
            "batch": batch,
            "item": uuid.uuid4().hex,
            "seq": seq,
            "filename": filename,
            "user": user,
        }
        try:
            with self.inbox.stage(stream, self.max_file_bytes) as staged:
                problem = self._problem(staged)
                if problem:
                    event.update(problem)
                else:
                    with self._receiving:
                        problem = self._duplicate(staged)
                        if problem:
                            event.update(problem)
                        else:
                            item = self.inbox.commit(
                                staged, batch=batch, filename=filename, user=user, access=access
                            )
                            event.update(status=RECEIVED, item=item.item, size=item.size)
        except TooLarge:
            limit_mb = self.max_file_bytes // (1024 * 1024)
            event.update(status=FAILED, reason=f"larger than the {limit_mb} MB limit")
        if event["status"] == FAILED:
            # Refused: it never became a paper, so it is named as the person's file was.
            event["filename"] = shown_filename(raw_name)
        self.activity.record("upload", **event)
        if event["status"] == RECEIVED:
            self.kick()
        return event

    def _problem(self, staged: Staged) -> dict[str, Any] | None:
        if staged.size == 0:
            return {"status": FAILED, "reason": "empty file (0 bytes)"}
        if PDF_MAGIC not in staged.head[:HEADER_WINDOW]:
            return {"status": FAILED, "reason": "not a PDF"}
        return None

    def _duplicate(self, staged: Staged) -> dict[str, Any] | None:
        library = self.home.library
        if staged.sha256 in library:
            paper = library.get(staged.sha256)
            return {
                "status": DUPLICATE,
                "id": paper.id,
                "title": paper.title,
                "reason": f"same file as {paper.filename}",
            }
        for waiting in self.inbox.pending():
            if waiting.sha256 == staged.sha256:
                return {
                    "status": DUPLICATE,
                    "reason": f"same file as {waiting.filename}, received {waiting.received}",
                }
        return None

    # --- the upload thread ----------------------------------------------------------------------

    def kick(self) -> None:
        """Make sure the upload thread runs (it processes every pending inbox item)."""
        with self._cond:
            self._kicked = True
            self._busy = True
            self._thread.wake()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the upload thread after the item in hand."""
        self._thread.stop(timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every inbox item has been processed; False when ``timeout`` ran out."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._busy, timeout)

    def _run(self) -> None:
        thread = self._thread
        while True:
            with self._cond:
                if not self._kicked and not thread.stopping:
                    self._busy = False
                    self._cond.notify_all()
                    self._cond.wait_for(lambda: self._kicked or thread.stopping, self.idle_exit)
                if thread.stopping or not self._kicked:
                    # Ends after a quiet spell; the next kick() starts a new thread.
                    self._busy = False
                    thread.ended()
                    self._cond.notify_all()
                    return
                # Every kick before this point is covered by the pass that follows.
                self._kicked = False
                self._busy = True
            self.process_pending(lambda: thread.stopping)

    def process_pending(self, stop: Callable[[], bool] = lambda: False) -> int:
        """Turn every pending inbox item into a paper (or a failure); returns how many.

        PDFs are read in the import's worker processes
        (:class:`indexer.ingest.workers.ExtractionPool`), under the same time and memory limits as a
        bulk import: a PDF that hangs pypdf or eats memory is reported as failed, and the web
        process itself never runs pypdf. With several server processes, one at a time does this
        (:meth:`archive.inbox.Inbox.processing`).
        """
        with self.inbox.processing():
            return self._process_pending(stop)

    def _process_pending(self, stop: Callable[[], bool]) -> int:
        items = {
            item.item: item for item in self.inbox.pending() if item.item not in self._given_up
        }
        count = 0
        to_read = []
        for item in items.values():
            if item.sha256 in self.home.library:  # stored meanwhile, by an import say
                self._settle(item, None)
                count += 1
            else:
                to_read.append(
                    Job(key=item.item, path=self.inbox.pdf_path(item), filename=item.filename)
                )
        if not to_read or stop():
            return count
        # Scanned uploads are OCRed as a bulk import would (when OCRmyPDF and Tesseract are here).
        ocr = OCR_ON if ocr_available() else OCR_UNAVAILABLE
        work = functools.partial(read_job, ocr=ocr, languages=self.ocr_languages, thumbnail=True)
        pool = ExtractionPool(1, self.home.log_dir / UPLOAD_LOG, self.limits, work)
        results = pool.run(to_read)
        try:
            for job, result in results:
                self._settle(items[job.key], result)
                count += 1
                if stop():
                    break  # the rest stay in the inbox for the next start
        finally:
            results.close()  # stops the worker processes
        return count

    def _settle(self, item: InboxItem, result: Extraction | str | None) -> None:
        """Record an item's outcome and drop it from the inbox; ``result`` is None for a paper
        that is already in the library."""
        try:
            self._store(item, result)
        except Exception:  # never let one item stop the others, nor kill the thread
            log.exception("upload %s (%s) could not be processed", item.item, item.filename)
            self._given_up.add(item.item)

    def _store(self, item: InboxItem, result: Extraction | str | None) -> None:
        library = self.home.library
        event: dict[str, Any] = {
            "batch": item.batch,
            "item": item.item,
            "filename": item.filename,
            "user": item.user,
        }
        if result is None:
            paper = library.get(item.sha256)
            event.update(
                status=DUPLICATE,
                id=paper.id,
                title=paper.title,
                reason=f"same file as {paper.filename}, added meanwhile",
            )
        elif isinstance(result, str):
            event.update(status=FAILED, reason=result)
        else:
            paper = result.paper(item.sha256, item.filename, item.size)
            # In the upload thread, not the request: a slow Crossref delays only this item.
            lookup = look_up(paper, self.lookup) if self.lookup and paper.doi else None
            paper.access = stored_access(item.access)
            paper.javascript = pdf_scripts.has_javascript(self.inbox.pdf_path(item))
            try:
                stored = library.add(self.inbox.pdf_path(item), paper, result.pages, result.derived)
            except OSError as error:
                # Keep the item: the file is safe in the inbox and is tried again at the next
                # start (a full disk, say, may have been dealt with by then).
                self._given_up.add(item.item)
                self.activity.record(
                    "upload",
                    **event,
                    status=FAILED,
                    reason=f"could not be stored yet ({error.strerror}); kept to retry",
                )
                return
            if stored:
                self.sync.request([paper.id])
                problem = lookup.problem if lookup else None
                scripts = pdf_scripts.NOTE if paper.javascript else None
                note = "; ".join([*result.warnings, *filter(None, [problem, scripts])]) or None
                event.update(
                    status=ADDED, id=paper.id, title=paper.title, pages=paper.pages, reason=note
                )
            else:
                event.update(
                    status=DUPLICATE,
                    id=paper.id,
                    title=paper.title,
                    reason="added meanwhile by another import",
                )
        # Journal first, then drop the item: a crash in between processes it again, and the
        # batch page keeps the first final outcome of each item.
        self.activity.record("upload", **event)
        self.inbox.discard(item)


def batch_outcomes(activity: ActivityLog, batch: str) -> list[dict[str, Any]]:
    """One row per file of an upload batch: its final outcome, or "received" while pending."""
    rows: dict[str, dict[str, Any]] = {}
    for event in activity.batch(batch):
        key = event.get("item") or ""
        known = rows.get(key)
        if known is None:
            rows[key] = event
        elif known.get("status") not in FINAL:
            rows[key] = {**event, "seq": known.get("seq", 0)}
    return sorted(rows.values(), key=lambda row: row.get("seq", 0))
