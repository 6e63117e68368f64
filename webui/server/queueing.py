"""The order in which waiting requests are served: quick ones first.

Waitress hands requests to its threads from one queue, first come, first served. Under a
steady load of searches (each 10-30 ms of processor time, several at once on threads that share
one interpreter), a paper's page or a PDF range request, a few milliseconds of work, waited
behind every search queued before it: ``make bench-load`` measured the paper page at p95
324-348 ms when its own work is 18 ms at most. Here the requests known to be quick (a paper's
page, its PDF and thumbnail, the static files, ``/healthz``) go ahead of the others waiting,
in the order they came; the others keep their order. A reader opening a paper is then not
queued behind a crowd's searches, and searches lose little: each quick request is quick.

Going first in the queue is not enough when every thread is busy with a search: the page then
waits for one to finish, and once it runs it shares the interpreter with the three others (the
threads take turns every few milliseconds). So one thread is kept for quick requests: at most
``threads - 1`` slow requests run at once. Searches lose nothing that matters: they are
processor-bound in one interpreter, which three threads keep as busy as four.
"""

from __future__ import annotations

import re
from typing import Any

from waitress.task import ThreadedTaskDispatcher

# Paths (without the query) of GET requests that cost the server a few milliseconds.
QUICK_PATHS = re.compile(
    r"/papers/[0-9a-f]{64}(/pdf|/download|/thumbnail\.webp)?|/static/.+|/healthz"
)


def is_quick(task: Any) -> bool:
    """Whether a waitress task answers a GET or HEAD of one of :data:`QUICK_PATHS`."""
    request = getattr(task, "request", None)
    return (
        request is not None
        and getattr(request, "command", None) in {"GET", "HEAD"}
        and QUICK_PATHS.fullmatch(getattr(request, "path", "") or "") is not None
    )


class QuickFirst(ThreadedTaskDispatcher):
    """Waitress's thread pool, with quick requests queued ahead of the others and one thread
    kept for them."""

    slow_running = 0  # slow requests being served
    slow_limit = 1  # how many may be served at once: all threads but one

    def set_thread_count(self, count: int) -> None:
        """Start or stop threads as waitress's does, and keep one of them for quick requests."""
        super().set_thread_count(count)
        with self.lock:
            self.slow_limit = max(1, count - 1)

    def _may_start(self) -> bool:
        # Quick requests wait at the front, so a slow one first means none is waiting.
        return bool(self.queue) and (is_quick(self.queue[0]) or self.slow_running < self.slow_limit)

    def handler_thread(self, thread_no: int) -> None:
        """Waitress's thread loop (waitress 3.0's ``handler_thread``), taking a slow request
        only while fewer than :attr:`slow_limit` are being served."""
        while True:
            with self.lock:
                while self.stop_count == 0 and not self._may_start():
                    self.active_count -= 1
                    self.queue_cv.wait()
                    self.active_count += 1
                if self.stop_count > 0:
                    self.active_count -= 1
                    self.stop_count -= 1
                    self.threads.discard(thread_no)
                    self.thread_exit_cv.notify()
                    break
                task = self.queue.popleft()
                slow = not is_quick(task)
                self.slow_running += slow
            try:
                task.service()
            except BaseException:
                self.logger.exception("Exception when servicing %r", task)
            finally:
                if slow:
                    with self.lock:
                        self.slow_running -= 1
                        # A thread waiting with slow requests queued may take one now.
                        self.queue_cv.notify()

    def add_task(self, task: Any) -> None:
        if not is_quick(task):
            super().add_task(task)
            return
        with self.lock:
            # Behind the quick requests already waiting, ahead of everything else.
            ahead = 0
            for waiting in self.queue:
                if not is_quick(waiting):
                    break
                ahead += 1
            self.queue.insert(ahead, task)
            self.queue_cv.notify()
