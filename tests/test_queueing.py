"""Quick requests (a paper's page, its PDF, static files) are served before waiting searches
(webui/server/queueing.py), with requests parsed by waitress's own parser."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import SimpleNamespace

from waitress.adjustments import Adjustments
from waitress.parser import HTTPRequestParser

from webui.server.queueing import QuickFirst, is_quick

PAPER = "/papers/" + "ab12" * 16


def task(request_line: str) -> SimpleNamespace:
    """A waitress task of a request as a browser sends it."""
    parser = HTTPRequestParser(Adjustments())
    parser.received(f"{request_line} HTTP/1.1\r\nHost: archive.example\r\n\r\n".encode())
    assert parser.completed
    return SimpleNamespace(request=parser, line=request_line)


def test_paper_pages_pdfs_and_static_files_are_quick_searches_and_writes_are_not() -> None:
    assert is_quick(task(f"GET {PAPER}?q=snow+leopard"))
    assert is_quick(task(f"GET {PAPER}/pdf"))
    assert is_quick(task(f"HEAD {PAPER}/thumbnail.webp"))
    assert is_quick(task("GET /static/style.css"))
    assert is_quick(task("GET /healthz"))
    assert not is_quick(task("GET /search?q=papers"))
    assert not is_quick(task("GET /api/search?q=%2Fpapers%2F"))
    assert not is_quick(task(f"GET {PAPER}/pages/3/preview.png"))  # drawn: not quick
    assert not is_quick(task(f"POST {PAPER}/request-copy"))
    assert not is_quick(task("GET /papers/not-an-id"))
    assert not is_quick(SimpleNamespace())  # a task without a request (waitress's errors)


def test_quick_requests_wait_behind_quick_ones_only() -> None:
    dispatcher = QuickFirst()  # no threads: the queue stays as ordered
    for line in [
        "GET /search?q=tiger",
        "GET /api/search?q=leopard",
        f"GET {PAPER}",
        "GET /search?q=saiga",
        f"GET {PAPER}/pdf",
        "GET /static/style.css",
    ]:
        dispatcher.add_task(task(line))
    assert [queued.line for queued in dispatcher.queue] == [
        f"GET {PAPER}",
        f"GET {PAPER}/pdf",
        "GET /static/style.css",
        "GET /search?q=tiger",
        "GET /api/search?q=leopard",
        "GET /search?q=saiga",
    ]


def test_one_thread_is_kept_for_quick_requests_while_searches_wait() -> None:
    """Two threads, two searches that take long: one search runs, the other waits, and a paper
    page that comes after them is served at once on the thread kept for it."""
    dispatcher = QuickFirst()
    served: list[str] = []
    release = threading.Event()
    page_served = threading.Event()

    def service(line: str, done: threading.Event | None = None) -> Callable[[], None]:
        def run() -> None:
            served.append(line)
            if line.startswith("GET /search"):
                release.wait(10)
            if done:
                done.set()

        return run

    searches = [task("GET /search?q=tiger"), task("GET /search?q=saiga")]
    page = task(f"GET {PAPER}")
    for queued in searches:
        queued.service = service(queued.line)
    page.service = service(page.line, page_served)
    dispatcher.set_thread_count(2)
    try:
        dispatcher.add_task(searches[0])
        deadline = time.monotonic() + 10
        while not served and time.monotonic() < deadline:
            time.sleep(0.01)
        dispatcher.add_task(searches[1])
        dispatcher.add_task(page)
        assert page_served.wait(10)
        # The second search has not started: all threads but one were busy with searches.
        assert served == ["GET /search?q=tiger", f"GET {PAPER}"]
        release.set()
        deadline = time.monotonic() + 10
        while len(served) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert served == ["GET /search?q=tiger", f"GET {PAPER}", "GET /search?q=saiga"]
    finally:
        release.set()
        dispatcher.shutdown(cancel_pending=True, timeout=5)


def test_a_single_thread_still_serves_searches() -> None:
    dispatcher = QuickFirst()
    done = threading.Event()
    search = task("GET /search?q=tiger")
    search.service = done.set
    dispatcher.set_thread_count(1)
    try:
        dispatcher.add_task(search)
        assert done.wait(10)
    finally:
        dispatcher.shutdown(cancel_pending=True, timeout=5)
