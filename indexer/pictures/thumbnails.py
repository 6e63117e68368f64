"""Thumbnails for papers already in a home: drawn in the import's worker pool, under its limits.

An import draws each new paper's thumbnail as it reads it (:func:`indexer.ingest.workers.read_job`).
Papers imported by earlier versions have none: ``archive thumbnails`` (and ``archive verify
--repair``) draw the missing ones here, in parallel. Each is written into its paper's folder
as soon as it is drawn, so an interrupted run loses nothing and the next one carries on with
those still missing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.library import THUMBNAIL_FAILED_NAME, THUMBNAIL_NAME, Library, PaperNotFound
from indexer.home import ArchiveHome
from indexer.ingest.workers import ExtractionPool, Job, Limits, default_processes
from indexer.pictures.page_images import thumbnail_files

THUMBNAIL_LOG = "thumbnails.log"

log = logging.getLogger(__name__)


@dataclass
class ThumbnailReport:
    """What a run drew: papers given a thumbnail, and those given a placeholder (with why)."""

    drawn: list[str] = field(default_factory=list)
    placeholders: dict[str, str] = field(default_factory=dict)
    skipped: int = 0


def thumbnail_job(path: Path, _filename: str, _heartbeat: Callable[[int], None]) -> object:
    """The worker's task: the derived files of one PDF's thumbnail (never a failure: a page
    that cannot be drawn gives the placeholder's note)."""
    files, _note = thumbnail_files(path)
    return files


def papers_needing_thumbnails(library: Library, retry_failed: bool = False) -> list[str]:
    """The papers without a thumbnail (and, with ``retry_failed``, those given a placeholder)."""
    wanted = []
    for paper_id in library.ids():
        if not library.derived_path(paper_id, THUMBNAIL_NAME).is_file() and (
            retry_failed or not library.derived_path(paper_id, THUMBNAIL_FAILED_NAME).is_file()
        ):
            wanted.append(paper_id)
    return wanted


def draw_thumbnails(
    home: ArchiveHome,
    paper_ids: Iterable[str],
    *,
    jobs: int | None = None,
    limits: Limits | None = None,
    on_paper: Callable[[str], None] | None = None,
) -> ThumbnailReport:
    """Draw the thumbnails of ``paper_ids`` over ``jobs`` worker processes (all cores)."""
    report = ThumbnailReport()
    library = home.library
    work = []
    for paper_id in paper_ids:
        try:
            work.append(Job(paper_id, library.pdf_path(paper_id), paper_id))
        except PaperNotFound:
            report.skipped += 1
    if not work:
        return report
    processes = min(jobs or default_processes(), len(work))
    pool = ExtractionPool(
        processes, home.log_dir / THUMBNAIL_LOG, limits or Limits(), thumbnail_job
    )
    for job, result in pool.run(work):
        if isinstance(result, str):  # the worker was stopped: out of time or memory
            files = {THUMBNAIL_FAILED_NAME: f"no thumbnail: {result}".encode()}
        else:
            files = dict(result)  # type: ignore[call-overload]
        if job.key not in library:  # removed meanwhile
            report.skipped += 1
            continue
        for name, data in files.items():
            library.write_derived(job.key, name, data)
        if THUMBNAIL_NAME in files:
            report.drawn.append(job.key)
        else:
            report.placeholders[job.key] = files[THUMBNAIL_FAILED_NAME].decode("utf-8", "replace")
        if on_paper:
            on_paper(job.key)
    return report


def draw_missing_in_background(home: ArchiveHome) -> threading.Thread:
    """At serve start: draw the thumbnails papers lack, one worker process at a time (the
    server keeps the other cores), off the start-up path. A failure is logged, never fatal."""

    def run() -> None:
        try:
            wanted = papers_needing_thumbnails(home.library)
            if wanted:
                log.info("drawing %d missing thumbnails in the background", len(wanted))
                report = draw_thumbnails(home, wanted, jobs=1)
                log.info(
                    "drew %d thumbnails (%d placeholders)",
                    len(report.drawn),
                    len(report.placeholders),
                )
        except Exception:
            log.exception("drawing the missing thumbnails failed")

    thread = threading.Thread(target=run, name="thumbnails", daemon=True)
    thread.start()
    return thread
