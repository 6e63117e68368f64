"""Quick requests (a paper's page, its PDF, static files) are served before waiting searches
(webui/server/queueing.py), with requests parsed by waitress's own parser."""

from __future__ import annotations

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
