"""The web app's page previews, drawn in one worker process under a time and a memory limit.

A preview is drawn while a reader waits, from a PDF anyone may have sent. PDFium is C and not
thread-safe, so it never runs in a server thread: one long-lived worker process draws one page
at a time (a reader never waits for the worker: while it draws, others get "busy" at once); a
page that takes longer than ``timeout_s`` has its worker killed and replaced, and a worker that dies
(a crash, the memory limit) is replaced at the next preview. The server itself never stalls
or falls over because of a page.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
import time
import weakref
from collections import OrderedDict
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from indexer.concurrency import limit_worker, stop_worker, tasks
from indexer.pictures.page_images import RenderError, WordsToMark, render_preview

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 1024
FAILED_PAGES_KEPT = 10_000
START_TIMEOUT_S = 30.0
_READY = "ready"


class RenderBusy(RenderError):
    """Every worker stayed busy for the whole time limit: try again in a moment."""


def _serve(conn: Connection, memory_mb: int) -> None:
    limit_worker(memory_mb)
    import pypdfium2  # noqa: F401  (loaded once, before the first page is asked for)

    conn.send(_READY)
    for path, number, terms, prefixes in tasks(conn):
        try:
            data, marked = render_preview(Path(path), number, WordsToMark(terms, prefixes))
            result: tuple[Any, ...] = ("ok", data, marked)
        except RenderError as error:
            result = ("error", str(error))
        except MemoryError:
            result = ("error", "the page is too large to draw")
        except Exception as error:  # a PDFium or Pillow surprise: reported, worker kept
            result = ("error", f"the page could not be drawn ({type(error).__name__})")
        conn.send(result)


class PreviewRenderer:
    """Draws previews in a worker process started on first use (see the module's doc)."""

    def __init__(
        self, timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB
    ) -> None:
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self._lock = threading.Lock()
        # Pages that could not be drawn, most recent kept: the same PDF draws the same way next
        # time. Written while the renderer is still held, so that a thread that got it next
        # never tries the page again (a slow page held the renderer once, not twice).
        self._failed: OrderedDict[tuple[str, int], None] = OrderedDict()
        self._worker: tuple[Any, Connection] | None = None
        self._finalizer: weakref.finalize | None = None
        # forkserver: never fork the threaded server itself (as the extraction pool does).
        methods = multiprocessing.get_all_start_methods()
        self._context = multiprocessing.get_context(
            "forkserver" if "forkserver" in methods else None
        )

    def render(self, pdf_path: Path, number: int, words: WordsToMark) -> tuple[bytes, int]:
        """Page ``number`` of ``pdf_path`` as PNG with ``words`` marked, and how many were
        marked. :class:`RenderBusy` when the worker stayed busy, :class:`RenderError` when the
        page cannot be drawn in time or at all."""
        # Never wait for the worker: a server thread queued here is a thread no search gets
        # (six clients asking for a slow page held all four). Busy is answered at once.
        if not self._lock.acquire(blocking=False):
            raise RenderBusy("the previews are busy; try again in a moment")
        try:
            if self.failed_before(pdf_path, number):
                raise RenderError("the page could not be drawn before")
            try:
                return self._render(pdf_path, number, words)
            except RenderError:
                self._failed[(str(pdf_path), number)] = None
                while len(self._failed) > FAILED_PAGES_KEPT:
                    self._failed.popitem(last=False)
                raise
        finally:
            self._lock.release()

    def failed_before(self, pdf_path: Path, number: int) -> bool:
        """True when page ``number`` of ``pdf_path`` could not be drawn before: it is not tried
        again (until the server restarts)."""
        return (str(pdf_path), number) in self._failed

    def _render(self, pdf_path: Path, number: int, words: WordsToMark) -> tuple[bytes, int]:
        # With the renderer held.
        _process, conn = self._ensure_worker()
        conn.send((str(pdf_path), number, words.terms, words.prefixes))
        if not conn.poll(self.timeout_s):
            self._discard()
            raise RenderError(f"the page took longer than {self.timeout_s:.0f} s to draw")
        try:
            result = conn.recv()
        except (EOFError, OSError):
            self._discard()
            raise RenderError("the page could not be drawn (the renderer stopped)") from None
        if result[0] == "ok":
            return result[1], result[2]
        raise RenderError(result[1])

    def close(self) -> None:
        """Stop the worker (it is started again by the next preview)."""
        with self._lock:
            self._discard(kill=False)

    def _ensure_worker(self) -> tuple[Any, Connection]:
        if self._worker is not None and self._worker[0].is_alive():
            return self._worker
        self._discard()
        conn, child = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child, self.memory_mb), daemon=True, name="preview-renderer"
        )
        try:
            process.start()
        except Exception as error:  # no process can be made (limits, a broken interpreter)
            log.exception("the preview renderer could not start")
            raise RenderError("the page renderer could not start") from error
        finally:
            child.close()
        started = time.monotonic()
        try:
            ready = conn.poll(START_TIMEOUT_S) and conn.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            process.kill()
            stop_worker(process, conn, grace_s=2)
            raise RenderError("the page renderer could not start")
        log.info("preview renderer started in %.2f s", time.monotonic() - started)
        self._worker = (process, conn)
        self._finalizer = weakref.finalize(self, stop_worker, process, conn, grace_s=2)
        return self._worker

    def _discard(self, kill: bool = True) -> None:
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        if self._worker is not None:
            process, conn = self._worker
            self._worker = None
            if kill:
                process.kill()
            stop_worker(process, conn, grace_s=2)
