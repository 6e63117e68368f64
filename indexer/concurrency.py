"""Work done away from the caller: what the worker processes and background threads share.

The import's extraction workers (:mod:`indexer.ingest.workers`) and the web's page-preview
worker (:mod:`indexer.pictures.page_render_worker`) are processes that read untrusted PDFs
under a memory limit, serving one task at a time over a pipe: :func:`limit_worker`,
:func:`tasks` and :func:`stop_worker` are their common start, loop and end. The web's index syncer
(:mod:`indexer.index_sync`) and upload reader (:mod:`indexer.ingest.uploads`) each keep one
background thread that comes and goes with their work: :class:`IdleThread`.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from typing import Any


def limit_worker(memory_mb: int) -> None:
    """The first thing a worker process does: ignore Ctrl-C and cap its address space at
    ``memory_mb``. Ctrl-C reaches the whole process group; the parent decides what stops, not
    the workers. Under the cap a PDF that eats memory raises ``MemoryError`` in the worker (or
    has it killed), never in the parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def tasks(conn: Connection) -> Iterator[Any]:
    """The tasks the parent sends a worker over ``conn``, until it sends ``None`` (stop) or
    goes away (the pipe closed)."""
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        yield task


def stop_worker(process: Any, conn: Connection, kill: bool = False, grace_s: float = 5) -> None:
    """End a worker ``process`` served over ``conn``: asked to stop (the ``None`` task) and
    given ``grace_s`` to finish, or killed at once with ``kill`` (one stuck on a file); the
    pipe closed either way."""
    if kill:
        process.kill()
    else:
        with contextlib.suppress(OSError, ValueError):
            conn.send(None)
    process.join(timeout=grace_s)
    if process.is_alive():
        process.kill()
        process.join()
    conn.close()


class IdleThread:
    """The one daemon thread of a queue of work (the index syncer's, the uploads'), started
    when work comes and ending itself after a quiet spell, so that no idle threads pile up in
    a process that makes many apps (the tests); :meth:`stop` ends it for good.

    The owner keeps its queue's state under :attr:`cond`; its ``run`` loop reads
    :attr:`stopping` and, deciding to end, calls :meth:`ended` with :attr:`cond` still held
    (work queued after that starts a new thread, so none is left waiting for a thread that is
    going)."""

    def __init__(self, name: str, run: Callable[[], None]) -> None:
        self.name = name
        self.run = run
        self.cond = threading.Condition()
        self.stopping = False
        self._thread: threading.Thread | None = None

    def wake(self) -> None:
        """Start the thread unless it runs (or was stopped), and wake it. Called with
        :attr:`cond` held, after the work was queued."""
        if not self.stopping and not (self._thread and self._thread.is_alive()):
            self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
            self._thread.start()
        self.cond.notify_all()

    def ended(self) -> None:
        """The thread's loop is returning (called from it, with :attr:`cond` held)."""
        self._thread = None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread for good: wake it, and wait up to ``timeout`` for its loop to end
        (it finishes the work in hand first)."""
        with self.cond:
            self.stopping = True
            thread = self._thread
            self.cond.notify_all()
        if thread:
            thread.join(timeout)
