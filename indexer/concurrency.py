"""Work done away from the caller: what the worker processes and background threads share.

The import's extraction workers (:mod:`indexer.ingest.workers`) and the web's page-preview
worker (:mod:`indexer.pictures.page_render_worker`) are processes that read untrusted PDFs
under a memory limit, serving one task at a time over a pipe: :func:`limit_worker` and
:func:`tasks` are their common start and loop.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Iterator
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
