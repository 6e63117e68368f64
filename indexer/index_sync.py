"""Keeping the index in step with the library from one background thread, whoever holds the lock.

Whoosh allows one writer per index, and a bulk ``archive import`` in another process may hold the
writer for a while. The web app therefore never makes a person wait on (or see) the lock: a
write first lands in the library, the source of truth, and then asks :class:`IndexSync` to bring
the index in line for that paper. The one thread here takes the writer with a short timeout; when
the index is busy it keeps the work and retries with a growing pause, so nothing is lost and no
lock error reaches anyone.

The work is idempotent: "make the index agree with the library about paper X" indexes X from its
sidecar and cached text when X is in the library, and drops it from the index when it is not.
At start, :meth:`IndexSync.reconcile` queues every paper on which the two disagree, which picks up
anything a crash (or a killed import) left half done.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from whoosh.writing import IndexWriter

from archive.library import Library, PaperNotFound
from indexer.concurrency import IdleThread
from indexer.index import IndexBusy, SearchIndex

log = logging.getLogger(__name__)

LOCK_TIMEOUT_S = 2.0
MAX_BACKOFF_S = 5.0
IDLE_EXIT_S = 30.0


class IndexSync:
    """A queue of paper ids whose index entries must be brought in line with the library."""

    def __init__(
        self,
        library: Library,
        index: SearchIndex,
        *,
        lock_timeout: float = LOCK_TIMEOUT_S,
        idle_exit: float = IDLE_EXIT_S,
    ) -> None:
        self.library = library
        self.index = index
        self.lock_timeout = lock_timeout
        self.idle_exit = idle_exit
        self._pending: set[str] = set()
        # The batch being written: still waiting, as far as anyone asking is concerned (while
        # another process holds the index the thread spends most of its time here).
        self._in_flight: set[str] = set()
        self._requested = 0  # ticket of the latest request
        self._done = 0  # every ticket up to this one is in the index
        self._waiting_for_lock = False
        # The thread ends after a quiet spell and the next request starts it again.
        self._thread = IdleThread("index-sync", self._run)
        self._cond = self._thread.cond

    # --- what other threads call ----------------------------------------------------------------

    def request(self, paper_ids: Iterable[str]) -> int:
        """Queue papers to (re)index or drop from the index; returns a ticket for :meth:`wait`."""
        with self._cond:
            self._pending.update(paper_ids)
            self._requested += 1
            ticket = self._requested
            self._thread.wake()
            return ticket

    def wait(self, ticket: int, timeout: float) -> bool:
        """Wait until the request with ``ticket`` is committed; False when ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._done < ticket:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def reconcile(self) -> int:
        """Queue every paper that the library and the index disagree about; returns how many."""
        try:
            differ = set(self.library.ids()) ^ self.index.paper_ids()
        except FileNotFoundError:  # no usable index yet: whoever creates it indexes everything
            return 0
        if differ:
            self.request(differ)
        return len(differ)

    @property
    def pending(self) -> int:
        """How many papers wait to be indexed."""
        with self._cond:
            return len(self._pending | self._in_flight)

    @property
    def waiting_for_lock(self) -> bool:
        """True while another process holds the index and work is waiting for it."""
        with self._cond:
            return self._waiting_for_lock

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread (it finishes the batch in hand; what is pending stays pending)."""
        self._thread.stop(timeout)

    # --- the background thread ------------------------------------------------------------------

    def _run(self) -> None:
        backoff = 0.1
        while True:
            with self._cond:
                idle_since = time.monotonic()
                while not self._pending and not self._thread.stopping:
                    left = self.idle_exit - (time.monotonic() - idle_since)
                    if left <= 0:
                        self._thread.ended()
                        return
                    self._cond.wait(left)
                if self._thread.stopping:
                    self._thread.ended()
                    return
                batch = set(self._pending)
                self._pending.clear()
                self._in_flight = batch
                ticket = self._requested
            try:
                self._apply(batch)
            except Exception as error:
                with self._cond:
                    self._in_flight = set()
                    self._pending |= batch  # keep the work; try again after a pause
                    self._waiting_for_lock = isinstance(error, IndexBusy)
                    if not isinstance(error, IndexBusy):
                        log.exception("indexing %d papers failed; will retry", len(batch))
                    self._cond.wait(backoff)  # a stop() wakes this early
                backoff = min(backoff * 2, MAX_BACKOFF_S)
                continue
            backoff = 0.1
            with self._cond:
                self._in_flight = set()
                self._waiting_for_lock = False
                self._done = max(self._done, ticket)
                self._cond.notify_all()

    def _apply(self, batch: set[str]) -> None:
        with self.index.writer(timeout=self.lock_timeout) as writer:
            for paper_id in sorted(batch):
                self._sync_one(writer, paper_id)

    def _sync_one(self, writer: IndexWriter, paper_id: str) -> None:
        try:
            paper = self.library.get(paper_id)
            pages = self.library.page_texts(paper_id)
        except PaperNotFound:  # not (or no longer) in the library: not in the index either
            writer.delete_by_term("paper_id", paper_id)
            return
        self.index.add(writer, paper, pages)
