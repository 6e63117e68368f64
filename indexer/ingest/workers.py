"""A pool of extraction worker processes, each under a time limit and a memory limit.

A PDF can hang a parser or eat all memory. Each file is therefore read in a worker process; a
worker that runs past the time limit is killed and replaced, and one that dies (the kernel's
out-of-memory killer, a crash in a C library) is replaced too, with the file reported and the
rest of the run going on. The time limit counts the worker's processor time, so that a
machine busy with other work does not give up files that would finish; a generous limit in
wall-clock time stays behind it for a worker that hangs without computing (a lock, a stuck
program it waits for). ``concurrent.futures`` cannot do this: it cannot kill one task, and
one dead worker breaks the whole pool.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from archive.library import Library, file_sha256
from archive.paper import Paper
from indexer.concurrency import limit_worker, stop_worker, tasks
from indexer.constants import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S
from indexer.index import TextAnalysis, analyse_text
from indexer.ingest.extract import TOO_LARGE, Extraction, ExtractionError, extract_pdf
from indexer.ingest.ocr import DEFAULT_LANGUAGES, OcrError, ocr_pages, pages_needing_ocr
from indexer.ingest.pdf_scripts import has_javascript
from indexer.ingest.worker_server import PRELOAD
from indexer.pictures.page_images import thumbnail_files

CRASHED = "could not be read (the PDF reader crashed)"
READY = "worker ready"
PROGRESS = "worker progress"
HEARTBEAT_S = 1.0
OCR_ON, OCR_OFF, OCR_UNAVAILABLE = "on", "off", "unavailable"
# However steady its progress, no file may take longer than this many time limits.
MAX_TIMEOUTS_PER_FILE = 10
# The wall-clock limit behind the processor-time one, in time limits: at a load of 5 on one
# core a file gets a fifth of it, and still finishes what its processor time allows.
WALL_TIMEOUTS = 5
# A worker left holding more than this after a file is replaced by a fresh one: Python keeps
# what a large file made it take (a page of 430,000 drawing operations leaves a worker at
# 210 MB, against 55 MB fresh; most files leave it under 100), and a worker still holding
# that while the other reads such a file took pdf.js's test files past the import's 600 MB
# (671 MB; 605 replaced over 150 MB, 584 over 100). A fresh worker costs a fork.
RECYCLE_MB = 100

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """One file to read: ``key`` is the caller's handle for it, ``path`` the file on disk,
    ``filename`` the name it is known by (a member of a zip file has its own)."""

    key: str
    path: Path
    filename: str


@dataclass(frozen=True)
class Limits:
    """What one file may cost: a worker's address space, and time; and how much a worker may
    keep between files (``recycle_mb``, past which it is replaced). ``timeout_s`` is the
    processor time a file may spend without progress (a page read); a long document reading
    page after page may spend ``MAX_TIMEOUTS_PER_FILE`` times that. Behind it, ``wall_s``
    (default ``WALL_TIMEOUTS`` times ``timeout_s``) is how long in wall-clock time a file may
    go without progress, and ``MAX_TIMEOUTS_PER_FILE`` times that in all. Where a worker's
    processor time cannot be read (not Linux), wall-clock time stands in for it."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    wall_s: float | None = None
    recycle_mb: float = RECYCLE_MB

    @property
    def wall_timeout_s(self) -> float:
        """Wall-clock seconds a file may go without progress."""
        return self.wall_s if self.wall_s is not None else self.timeout_s * WALL_TIMEOUTS


def log_handler(log_file: Path) -> logging.Handler:
    """The handler for the import log, where pypdf's many warnings go."""
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    return handler


def read_job(
    path: Path,
    filename: str,
    on_page: Callable[[int], None] | None = None,
    ocr: str = OCR_OFF,
    languages: str = DEFAULT_LANGUAGES,
    thumbnail: bool = False,
) -> Extraction | str:
    """Extract one file: the result, or the reason it failed. ``ocr`` says whether scanned
    pages are OCRed (:data:`OCR_ON`, in Tesseract ``languages`` such as "eng+rus"), left as
    they are (:data:`OCR_OFF`), or noted as needing an OCR engine this machine lacks
    (:data:`OCR_UNAVAILABLE`). With ``thumbnail``, the first page is drawn too (here, under
    the worker's limits), or a placeholder noted."""
    try:
        extraction = extract_pdf(path, filename, on_page)
        scanned = pages_needing_ocr(extraction.pages)
        if scanned and ocr == OCR_ON:
            _add_ocr_text(path, extraction, scanned, on_page, languages)
        elif scanned and ocr == OCR_UNAVAILABLE:
            extraction.warnings = [
                w for w in extraction.warnings if not w.startswith("no text layer")
            ] + [
                f"no text layer (scanned): {len(scanned)} pages not searchable, OCR is not "
                "available (install tesseract-ocr and ocrmypdf)"
            ]
        if thumbnail:
            extraction.derived, note = thumbnail_files(path)
            if note:
                extraction.warnings.append(note)
        return extraction
    except ExtractionError as error:
        return str(error)
    except MemoryError:
        return TOO_LARGE
    except Exception as error:  # a bug or a pypdf surprise must not stop the run
        log.exception("unexpected error on %s", path)
        return f"could not be read ({type(error).__name__})"


@dataclass
class Staged:
    """A file a worker has read and written into a library work folder (:func:`stage_job`):
    what the storing process still needs to add it (its sidecar, then a rename)."""

    extraction: Extraction
    folder: Path | None
    scripts: bool = False  # the PDF holds JavaScript (see indexer.ingest.pdf_scripts)
    # (errno, strerror) when the folder could not be written (a full disk stops the import).
    error: tuple[int, str] | None = None
    # The text's analysis for the index (None: the storing process analyses it).
    analysis: TextAnalysis | None = None
    # The paper as its staged sidecar describes it (None: no sidecar was staged).
    paper: Paper | None = None


def stage_job(
    path: Path,
    filename: str,
    on_page: Callable[[int], None] | None = None,
    *,
    library_root: str,
    owner: int,
    ocr: str = OCR_OFF,
    languages: str = DEFAULT_LANGUAGES,
    access: str = "open",
    sync: bool = True,
) -> Staged | str:
    """:func:`read_job` with the thumbnail, then what storing the paper can do before its
    metadata is final: its PDF, text and thumbnail written into a work folder of the library
    at ``library_root`` (named for the ``owner`` process, the import's), and the check for
    JavaScript, and the analysis of its text for the index. Its sidecar is staged too, as the
    paper is before any curator's or file's metadata (with the ``access`` level of the
    import), under the id of the bytes read here. The import's one storing process is then
    left with a rename and adding postings up per paper (and a new sidecar when a metadata
    file or Crossref changed the paper), so that it keeps more workers busy. With ``sync``
    false the staged files are not flushed to disk: the storing process flushes many at
    once (:meth:`archive.library.Library.sync_staged`) before it adds them."""
    result = read_job(path, filename, on_page, ocr, languages, thumbnail=True)
    if isinstance(result, str):
        return result
    try:
        analysis = analyse_text(result.title, result.abstract, result.pages, on_page)
    except MemoryError:
        analysis = None  # the storing process, with more memory, analyses it
    try:
        scripts = has_javascript(path)
    except MemoryError:
        return TOO_LARGE
    try:
        paper = result.paper(file_sha256(path), filename, path.stat().st_size)
        paper.access = access
        paper.javascript = scripts
        library = Library(Path(library_root))
        folder = library.stage(path, result.pages, result.derived, owner, paper, sync)
    except OSError as error:
        return Staged(result, None, scripts, (error.errno or 0, error.strerror or str(error)))
    result.derived = {}  # written: not sent back
    return Staged(result, folder, scripts, analysis=analysis, paper=paper)


def _add_ocr_text(
    path: Path,
    extraction: Extraction,
    numbers: list[int],
    on_page: Callable[[int], None] | None,
    languages: str,
) -> None:
    """Fill scanned pages with OCR text; the time limit sees progress while Tesseract works."""
    done = threading.Event()

    def keep_alive() -> None:
        while not done.wait(HEARTBEAT_S):
            if on_page:
                on_page(0)

    beat = threading.Thread(target=keep_alive, daemon=True)
    beat.start()
    try:
        texts = ocr_pages(path, numbers, languages)
    except OcrError as error:
        extraction.warnings.append(f"{len(numbers)} scanned pages not searchable: {error}")
        return
    finally:
        done.set()
        beat.join()
    found = 0
    for number, text in texts.items():
        # A page with a few real characters keeps them unless OCR reads more.
        if len(text) > len(extraction.pages[number - 1]):
            extraction.pages[number - 1] = text
            found += 1
    extraction.warnings = [w for w in extraction.warnings if not w.startswith("no text layer")]
    if found:
        extraction.warnings.append(f"{found} scanned pages made searchable with OCR")
    else:
        extraction.warnings.append(f"no text layer: OCR found no text on {len(texts)} pages")
    if len(texts) < len(numbers):
        extraction.warnings.append(f"{len(numbers) - len(texts)} scanned pages left without OCR")


ReadFunction = Callable[[Path, str, Callable[[int], None]], "Extraction | str"]


def _worker_main(
    conn: Connection, log_file: str, memory_mb: int, recycle_mb: float, work: ReadFunction
) -> None:
    limit_worker(memory_mb)
    root = logging.getLogger()
    root.handlers[:] = [log_handler(Path(log_file))]
    root.setLevel(logging.INFO)
    conn.send(READY)
    for path, filename in tasks(conn):
        last_beat = time.monotonic()

        def heartbeat(_page: int) -> None:
            nonlocal last_beat
            if time.monotonic() - last_beat >= HEARTBEAT_S:
                last_beat = time.monotonic()
                conn.send(PROGRESS)

        cpu = _cpu_seconds()
        try:
            result = work(Path(path), filename, heartbeat)
        except MemoryError:
            result = TOO_LARGE
        retiring = (_resident_mb() or 0) > recycle_mb
        conn.send(_Done(result, _cpu_seconds() - cpu, retiring))
        if retiring:
            return


def _resident_mb() -> float | None:
    """This process's resident memory in MB, from Linux's ``/proc``; None elsewhere."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def _cpu_seconds() -> float:
    """CPU seconds of this process and of the programs it ran and waited for (OCR's)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu_seconds(pid: int | None) -> float | None:
    """The processor seconds (user and system, all threads) process ``pid`` has used, read
    from Linux's ``/proc``; None where that cannot be read (another system, a process gone).
    A program the worker runs (OCR's) is not counted: the worker's heartbeat shows progress
    while it waits, and the wall-clock limit covers it."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # The command name in parentheses may hold spaces: the fields after it are split.
    fields = stat[stat.rfind(b")") + 2 :].split()
    try:
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (IndexError, ValueError):
        return None


@dataclass(frozen=True)
class _Done:
    """A worker's answer for one file: the result, and the CPU seconds it cost the worker
    (counted where it was spent: the parent cannot see a forkserver's grandchildren's time)."""

    result: Any
    cpu_s: float
    # The worker stops after this file (it holds more than its recycle_mb): give it no other.
    retiring: bool = False


class _Worker:
    def __init__(self, context: Any, log_file: Path, limits: Limits, work: ReadFunction) -> None:
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_worker_main,
            args=(child, str(log_file), limits.memory_mb, limits.recycle_mb, work),
            daemon=True,
        )
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.ready = False
        self.started = self.progressed = 0.0
        self.started_cpu = self.progressed_cpu = 0.0

    def overdue(self, limits: Limits) -> str | None:
        """Why this worker's file is past its limits (the reason it is given up), else None."""
        if self.job is None:
            return None
        now = time.monotonic()
        wall = limits.wall_timeout_s
        if now - self.progressed >= wall or now - self.started >= wall * MAX_TIMEOUTS_PER_FILE:
            return f"timed out after {now - self.started:.0f} s"
        cpu = _process_cpu_seconds(self.process.pid)
        if cpu is None:  # no processor time to read: wall-clock time stands in for it
            cpu, since_start, since_progress = now, self.started, self.progressed
        else:
            since_start, since_progress = self.started_cpu, self.progressed_cpu
        if cpu - since_start >= limits.timeout_s * MAX_TIMEOUTS_PER_FILE:
            return f"timed out after {cpu - since_start:.0f} s of processor time"
        if cpu - since_progress >= limits.timeout_s:
            return f"timed out after {limits.timeout_s:g} s of processor time without progress"
        return None

    def deadline(self, limits: Limits) -> float:
        """The next time to look at this worker's limits, if it makes no further progress: its
        processor time grows no faster than the clock (one thread computing), so the file
        cannot be overdue before the processor time it has left has passed."""
        now = time.monotonic()
        wall = limits.wall_timeout_s
        wall_deadline = min(self.progressed + wall, self.started + wall * MAX_TIMEOUTS_PER_FILE)
        cpu = _process_cpu_seconds(self.process.pid)
        if cpu is None:
            cpu, since_start, since_progress = now, self.started, self.progressed
        else:
            since_start, since_progress = self.started_cpu, self.progressed_cpu
        left = min(
            since_progress + limits.timeout_s - cpu,
            since_start + limits.timeout_s * MAX_TIMEOUTS_PER_FILE - cpu,
        )
        return min(wall_deadline, now + max(left, 0.05))

    def made_progress(self) -> None:
        """The worker read a page: its time without progress starts again."""
        self.progressed = time.monotonic()
        self.progressed_cpu = _process_cpu_seconds(self.process.pid) or 0.0

    def receive(self) -> Any:
        """The worker's next message, or None when it has gone."""
        try:
            return self.conn.recv()
        except (EOFError, OSError):
            return None

    def give(self, job: Job) -> None:
        self.job = job
        self.started = self.progressed = time.monotonic()
        self.started_cpu = self.progressed_cpu = _process_cpu_seconds(self.process.pid) or 0.0
        self.conn.send((str(job.path), job.filename))

    def stop(self, kill: bool = False) -> None:
        stop_worker(self.process, self.conn, kill)


class ExtractionPool:
    """Runs :func:`read_job` on many files over ``processes`` workers, results as they come.

    ``work`` replaces :func:`read_job` (it must be a module-level function: it is sent to the
    workers by reference).
    """

    def __init__(
        self,
        processes: int,
        log_file: Path,
        limits: Limits | None = None,
        work: ReadFunction = read_job,
    ) -> None:
        self.work = work
        self.processes = max(1, processes)
        self.log_file = log_file
        self.limits = limits or Limits()
        # CPU seconds the workers spent on the files they finished (reported by each worker).
        self.worker_cpu_s = 0.0
        # forkserver: workers fork from a clean server process, never from a threaded parent
        # (the web app uses this pool too), and start fast.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else None
        self.context = multiprocessing.get_context(method)
        if method == "forkserver":
            self.context.set_forkserver_preload(PRELOAD)

    def _new_worker(self) -> _Worker:
        return _Worker(self.context, self.log_file, self.limits, self.work)

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Extraction | str]]:
        """Yield ``(job, extraction or failure reason)`` for every job, in completion order.

        A file's time limit starts when a ready worker receives it, so a slow worker start on a
        busy machine is not charged to the file.
        """
        pending = deque(jobs)
        if not pending:
            return
        workers = [self._new_worker() for _ in range(min(self.processes, len(pending)))]
        failed_starts = 0
        try:
            while pending or any(w.job for w in workers):
                for worker in workers:
                    if worker.ready and worker.job is None and pending:
                        worker.give(pending.popleft())
                busy = [w for w in workers if w.job is not None]
                timeout = None
                if busy:
                    deadline = min(w.deadline(self.limits) for w in busy)
                    timeout = max(0.0, deadline - time.monotonic())
                ready = set(
                    wait([w.conn for w in workers] + [w.process.sentinel for w in workers], timeout)
                )
                for index, worker in enumerate(workers):
                    job = worker.job
                    message = worker.receive() if worker.conn in ready else None
                    if message == READY:
                        worker.ready = True
                        failed_starts = 0
                    elif message == PROGRESS:
                        worker.made_progress()
                    elif isinstance(message, _Done) and job is not None:
                        worker.job = None
                        self.worker_cpu_s += message.cpu_s
                        if message.retiring:
                            worker.stop()
                            workers[index] = self._new_worker()
                        elif pending:
                            # Next file first: the worker reads while the caller stores this one.
                            worker.give(pending.popleft())
                        yield job, message.result
                    elif worker.conn in ready or worker.process.sentinel in ready:
                        # The worker died. SIGKILL means the kernel's out-of-memory killer.
                        worker.stop(kill=True)
                        workers[index] = self._new_worker()
                        if job is None:
                            failed_starts += 1
                            if failed_starts > 3:
                                raise RuntimeError("the extraction workers cannot start")
                            continue
                        exitcode = worker.process.exitcode
                        log.warning("worker died on %s (exit %s)", job.path, exitcode)
                        yield job, TOO_LARGE if exitcode == -signal.SIGKILL else CRASHED
                    elif job and (reason := worker.overdue(self.limits)) is not None:
                        worker.stop(kill=True)
                        workers[index] = self._new_worker()
                        yield job, reason
        finally:
            for worker in workers:
                worker.stop(kill=worker.job is not None)


def default_processes() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
