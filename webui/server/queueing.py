"""The order in which waiting requests are served: quick ones first.

Waitress hands requests to its threads from one queue, first come, first served. Under a
steady load of searches (each 10-30 ms of processor time, several at once on threads that share
one interpreter), a paper's page or a PDF range request, a few milliseconds of work, waited
behind every search queued before it: ``make bench-load`` measured the paper page at p95
324-348 ms when its own work is 18 ms at most. Here the requests known to be quick (a paper's
page, its PDF and thumbnail, the static files, ``/healthz``) go ahead of the others waiting,
in the order they came; the others keep their order. A reader opening a paper is then not
queued behind a crowd's searches, and searches lose little: each quick request is quick.
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
    """Waitress's thread pool, with quick requests queued ahead of the others."""

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
