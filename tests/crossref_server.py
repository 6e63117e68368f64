"""A stand-in for the Crossref REST API: a real HTTP server on a free loopback port serving the
recorded answers in tests/data/crossref, plus the failures the client must survive."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import CORPUS

RECORDED = Path(__file__).parent / "data" / "crossref"
# DOIs that make the server misbehave.
SLOW_DOI = "10.5555/slow"  # answers after SLOW_S seconds
MALFORMED_DOI = "10.5555/malformed"  # a body cut short
BUSY_DOI = "10.5555/busy"  # 503, as Crossref under load
SLOW_S = 3.0
# A real paper of the shared corpus that prints its DOI, whose answer is recorded here, and the
# contact address the lookups send.
IOP_DOI = "10.1088/1742-6596/2188/1/012011"
IOP_PDF = (
    CORPUS / "papermage" / "index-list-out-of-range-7f4e18385a30ccb00dc637d5123f894f1f862964.pdf"
)
MAILTO = "curator@example.org"


@dataclass
class Seen:
    """What the server was asked: one (doi, query, headers) per request."""

    requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = field(default_factory=list)

    def dois(self) -> list[str]:
        """The DOIs asked for, in order."""
        return [doi for doi, _, _ in self.requests]


def recorded_file(doi: str) -> Path:
    """The recorded answer of a DOI ("/" written "_")."""
    return RECORDED / (doi.replace("/", "_") + ".json")


@contextmanager
def crossref_server() -> Iterator[tuple[str, Seen]]:
    """Serve ``/works/{doi}``; yields the base URL and the record of requests."""
    seen = Seen()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            prefix = "/works/"
            doi = urllib.parse.unquote(url.path[len(prefix) :]).lower()
            seen.requests.append((doi, urllib.parse.parse_qs(url.query), dict(self.headers)))
            if not url.path.startswith(prefix):
                self._send(404, b"Resource not found.", "text/plain")
            elif doi == SLOW_DOI:
                time.sleep(SLOW_S)
                self._send(200, recorded_file("10.1145/3544548.3580847").read_bytes())
            elif doi == MALFORMED_DOI:
                self._send(200, (RECORDED / "malformed.json").read_bytes())
            elif doi == BUSY_DOI:
                self._send(503, b"<html><body>Service Unavailable</body></html>", "text/html")
            elif recorded_file(doi).is_file():
                self._send(200, recorded_file(doi).read_bytes())
            else:
                self._send(404, b"Resource not found.", "text/plain")

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (the timeout test)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
