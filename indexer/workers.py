"""A pool of extraction worker processes, each under a time limit and a memory limit.

A PDF can hang a parser or eat all memory. Each file is therefore read in a worker process; a
worker that runs past the time limit is killed and replaced, and one that dies (the kernel's
out-of-memory killer, a crash in a C library) is replaced too, with the file reported and the
rest of the run going on. ``concurrent.futures`` cannot do this: it cannot kill one task, and
one dead worker breaks the whole pool.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from indexer.extract import TOO_LARGE, Extraction, ExtractionError, extract_pdf

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 2048

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
    """What one file may cost: wall time and a worker's address space."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB


def log_handler(log_file: Path) -> logging.Handler:
    """The handler for the import log, where pypdf's many warnings go."""
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    return handler


def read_job(path: Path, filename: str) -> Extraction | str:
    """Extract one file: the result, or the reason it failed."""
    try:
        return extract_pdf(path, filename)
    except ExtractionError as error:
        return str(error)
    except MemoryError:
        return TOO_LARGE
    except Exception as error:  # a bug or a pypdf surprise must not stop the run
        log.exception("unexpected error on %s", path)
        return f"could not be read ({type(error).__name__})"


def _worker_main(conn: Connection, log_file: str, memory_mb: int) -> None:
    # Ctrl-C reaches the whole process group; the parent decides what stops, not the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    root = logging.getLogger()
    root.handlers[:] = [log_handler(Path(log_file))]
    root.setLevel(logging.INFO)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        path, filename = task
        conn.send(read_job(Path(path), filename))


class _Worker:
    def __init__(self, context: Any, log_file: Path, limits: Limits) -> None:
        self.conn, child = context.Pipe()
        self.process: BaseProcess = context.Process(
            target=_worker_main, args=(child, str(log_file), limits.memory_mb), daemon=True
        )
        self.process.start()
        child.close()
        self.job: Job | None = None
        self.started = 0.0

    def give(self, job: Job) -> None:
        self.job, self.started = job, time.monotonic()
        self.conn.send((str(job.path), job.filename))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class ExtractionPool:
    """Runs :func:`read_job` on many files over ``processes`` workers, results as they come."""

    def __init__(self, processes: int, log_file: Path, limits: Limits | None = None) -> None:
        self.processes = max(1, processes)
        self.log_file = log_file
        self.limits = limits or Limits()
        # forkserver: workers fork from a clean server process, never from a threaded parent
        # (the web app uses this pool too), and start fast.
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else None
        self.context = multiprocessing.get_context(method)
        if method == "forkserver":
            self.context.set_forkserver_preload(["indexer.extract"])

    def _new_worker(self) -> _Worker:
        return _Worker(self.context, self.log_file, self.limits)

    def run(self, jobs: Iterable[Job]) -> Iterator[tuple[Job, Extraction | str]]:
        """Yield ``(job, extraction or failure reason)`` for every job, in completion order."""
        pending = deque(jobs)
        if not pending:
            return
        workers = [self._new_worker() for _ in range(min(self.processes, len(pending)))]
        try:
            while pending or any(w.job for w in workers):
                for worker in workers:
                    if worker.job is None and pending:
                        worker.give(pending.popleft())
                busy = [w for w in workers if w.job is not None]
                deadline = min(w.started for w in busy) + self.limits.timeout_s
                ready = wait(
                    [w.conn for w in busy] + [w.process.sentinel for w in busy],
                    timeout=max(0.0, deadline - time.monotonic()),
                )
                for index, worker in enumerate(workers):
                    job = worker.job
                    if job is None:
                        continue
                    if worker.conn in ready:
                        try:
                            result = worker.conn.recv()
                        except (EOFError, OSError):
                            result = None
                        if result is not None:
                            worker.job = None
                            yield job, result
                            continue
                    elif worker.process.sentinel in ready:
                        pass  # died without answering: handled below
                    elif time.monotonic() - worker.started >= self.limits.timeout_s:
                        worker.stop(kill=True)
                        workers[index] = self._new_worker()
                        yield job, f"timed out after {self.limits.timeout_s:g} s"
                        continue
                    else:
                        continue
                    # The worker died: most often the memory limit or the kernel's OOM killer.
                    log.warning("worker died on %s (exit %s)", job.path, worker.process.exitcode)
                    worker.stop(kill=True)
                    workers[index] = self._new_worker()
                    yield job, TOO_LARGE
        finally:
            for worker in workers:
                worker.stop(kill=worker.job is not None)


def default_processes() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
