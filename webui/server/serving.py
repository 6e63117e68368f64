"""Running the web app in production: waitress with limits, access and error logs, SIGTERM.

``archive serve`` calls :func:`serve`; everything about the process that serves (as opposed to
the app, which a test client or another WSGI server can run) lives here.
"""

from __future__ import annotations

import logging
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from logging.handlers import WatchedFileHandler
from pathlib import Path
from types import FrameType
from typing import Any

from waitress.buffers import ReadOnlyFileBasedBuffer

from archive.settings import MiB, Settings
from archive.storage import owner_only
from indexer.engine.query_language import DEFAULT_FIELDS
from indexer.home import ArchiveHome
from indexer.schema import PAGE_FIELD

ACCESS_LOG = "access.log"
ERROR_LOG = "error.log"
# Waitress buffers a response this far ahead of a slow client before it pauses the app thread;
# its default (16 MiB per connection) would let a few slow ZIP downloads hold much memory.
OUTBUF_HIGH_WATERMARK = 1 * MiB
# Headers believed from the reverse proxy named by the trusted_proxy setting (see README).
PROXY_HEADERS = {"x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port"}

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class _LoggedBody:
    """A response body that counts what it yields and writes the access log line when closed
    (when the last byte of a streamed ZIP has gone, not when the app returned)."""

    def __init__(self, body: Iterable[bytes], done: Callable[[int], None]) -> None:
        self.body = body
        self.done = done
        self.sent = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close:
                close()
        finally:
            self.done(self.sent)


class _LoggedFile(ReadOnlyFileBasedBuffer):
    """A file response (a PDF, a spooled export) that stays a file for waitress, which then
    sends it from its I/O loop instead of holding a worker thread for as long as the client
    takes; the access log line is written when it is closed (sent, or the client gone)."""

    def __init__(self, body: ReadOnlyFileBasedBuffer, done: Callable[[int], None]) -> None:
        super().__init__(body.file, body.block_size)
        self.done: Callable[[int], None] | None = done
        self.prepared = 0
        self.iterated = 0

    def prepare(self, size: int | None = None) -> int:
        self.prepared = super().prepare(size)
        return self.prepared

    def next(self) -> bytes:
        chunk = super().next()
        self.iterated += len(chunk)
        return chunk

    __next__ = next

    def close(self) -> None:
        done, self.done = self.done, None
        sent = self.iterated or self.prepared - self.remain
        try:
            super().close()
        finally:
            if done:
                done(sent)


class AccessLog:
    """WSGI middleware writing one line per request in the Combined Log Format, plus the time
    taken in milliseconds (what nginx, GoAccess and awstats read)."""

    def __init__(self, app: WSGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.monotonic()
        status = ["-"]

        def recording_start_response(code: str, headers: list, exc_info: Any = None) -> Any:
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info)

        body = self.app(environ, recording_start_response)

        def done(sent: int) -> None:
            self.logger.info(
                '%s - - [%s] "%s %s %s" %s %s "%s" "%s" %d',
                _field(environ.get("REMOTE_ADDR", "-")),
                time.strftime("%d/%b/%Y:%H:%M:%S %z"),
                _field(environ.get("REQUEST_METHOD", "-")),
                _request_uri(environ),
                _field(environ.get("SERVER_PROTOCOL", "-")),
                status[0],
                sent or "-",
                _field(environ.get("HTTP_REFERER", "-")),
                _field(environ.get("HTTP_USER_AGENT", "-")),
                (time.monotonic() - started) * 1000,
            )

        if isinstance(body, ReadOnlyFileBasedBuffer):
            return _LoggedFile(body, done)
        return _LoggedBody(body, done)


def _request_uri(environ: dict[str, Any]) -> str:
    uri = environ.get("PATH_INFO", "") or "/"
    if environ.get("QUERY_STRING"):
        uri += "?" + environ["QUERY_STRING"]
    return _field(uri)


def _field(text: str) -> str:
    """A value the client chose, safe inside the log line: quotes and control characters would
    end its field early or start a new line, so they are written as %XX (WSGI strings are
    Latin-1, so two hex digits always suffice)."""
    return "".join(c if c.isprintable() and c != '"' else f"%{ord(c):02X}" for c in text)


def _file_handler(path: Path, pattern: str) -> logging.Handler:
    # WatchedFileHandler reopens the file when logrotate moves it away.
    handler = WatchedFileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter(pattern))
    return handler


def configure_logs(log_dir: Path, access: bool) -> logging.Logger | None:
    """Warnings and errors (with tracebacks) to ``error.log`` and standard error; requests to
    ``access.log`` when ``access``. Returns the access logger, if any."""
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    pattern = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    error_file = _file_handler(log_dir / ERROR_LOG, pattern)
    error_file.setLevel(logging.WARNING)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter(pattern))
    console.setLevel(logging.WARNING)
    root.addHandler(error_file)
    root.addHandler(console)
    # Waitress warns "Task queue depth is N" whenever every thread is busy: under a steady load
    # that is one line per request, burying real errors. Requests still queue and get answered.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if not access:
        return None
    logger = logging.getLogger("archive.access")
    logger.propagate = False  # one line per request is for access.log only
    # Client addresses are personal data: the log is the archive user's alone (0600), made so
    # before the handler opens it, and tightened when an older one was readable by others.
    owner_only(log_dir / ACCESS_LOG)
    logger.addHandler(_file_handler(log_dir / ACCESS_LOG, "%(message)s"))
    return logger


def _stop_on_sigterm(_signum: int, _frame: FrameType | None) -> None:
    # Waitress's main loop ends on SystemExit: it stops accepting, lets the worker threads finish
    # the requests they hold (for a few seconds) and returns; the process then exits with 0.
    # A second SIGTERM (systemd signals every process of the service, and so does the process
    # supervising several) must not interrupt that clean-up.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(0)


def _warm_up(home: ArchiveHome) -> None:
    """Load the index's per-document data while the server starts, so that the first search
    does not wait for it; a failure here only means the first search loads it."""
    try:
        with home.index.searcher() as searcher:
            home.index.view(searcher).load([*DEFAULT_FIELDS, PAGE_FIELD])
    except Exception:
        logging.getLogger(__name__).warning("could not warm up the index", exc_info=True)


class CannotServe(Exception):
    """The server cannot start, for a reason its message gives in a sentence."""


def serve(
    home: ArchiveHome,
    settings: Settings,
    on_listening: Callable[[], None] | None = None,
    background: Callable[[], None] | None = None,
) -> None:
    """Serve the archive until SIGTERM or Ctrl-C. Raises OSError when it cannot listen and
    :class:`CannotServe` when what several processes share cannot be made.

    ``background`` (work to run beside the server, such as drawing missing thumbnails) is started
    in one process only. With ``settings.processes`` above 1 the socket is bound here and that
    many processes serve it (:mod:`webui.server.processes`).
    """
    access = configure_logs(home.log_dir, settings.access_log)
    for warning in settings.warnings:
        logging.getLogger(__name__).warning("%s", warning)
    if settings.processes == 1:
        listen = {"host": settings.host, "port": settings.port}
        _run_server(home, settings, access, listen, {}, background, on_listening)
        return

    from archive.inbox import Inbox
    from webui.server.export_spool import ExportSpool
    from webui.server.processes import bind_socket, run_children
    from webui.server.shared_limits import storage_uri

    sock = bind_socket(settings.host, settings.port)
    # What a crash left behind is cleared here, before any process may be receiving a file.
    Inbox.in_home(home.root).clean_tmp()
    ExportSpool.clear_leftovers(home.root)
    config: dict[str, Any] = {"CLEAN_AT_START": False}
    if settings.ratelimit_storage_uri == "memory://":  # per process: counts shared in the home
        try:
            config["RATELIMIT_STORAGE_URI"] = storage_uri(home.root)
        except sqlite3.Error as error:
            raise CannotServe(
                f"Cannot make the rate-limit counters the server processes share in "
                f"{home.root / 'tmp'}: {error}. Check that the folder is writable, or set "
                "ratelimit_storage_uri to other shared storage."
            ) from None
    if on_listening:
        on_listening()

    def child(index: int) -> None:
        work = background if index == 0 else None
        _run_server(home, settings, access, {"sockets": [sock]}, config, work, None)

    with sock:
        run_children(settings.processes, child)


def _run_server(
    home: ArchiveHome,
    settings: Settings,
    access: logging.Logger | None,
    listen: dict[str, Any],
    config: dict[str, Any],
    background: Callable[[], None] | None,
    on_listening: Callable[[], None] | None,
) -> None:
    """Run one waitress server (its app, threads and guards) on ``listen`` (host and port, or
    sockets) until SIGTERM or Ctrl-C."""
    import waitress

    from webui import create_app
    from webui.server.guards import guard
    from webui.server.queueing import QuickFirst
    from webui.server.throttle import may_send_large_body

    flask_app = create_app({"ARCHIVE_HOME": str(home.root), **config}, settings=settings)
    app: WSGIApp = flask_app
    if access:
        app = AccessLog(app, access)
    proxy: dict[str, Any] = {}
    if settings.trusted_proxy:
        proxy = {
            "trusted_proxy": settings.trusted_proxy,
            "trusted_proxy_headers": PROXY_HEADERS,
            "trusted_proxy_count": 1,
        }
    server_map: dict[int, Any] = {}
    dispatcher = QuickFirst()
    dispatcher.set_thread_count(settings.threads)
    server = waitress.create_server(
        app,
        map=server_map,
        # (waitress's hook for its own dispatcher; QuickFirst is its thread pool, reordered)
        _dispatcher=dispatcher,
        threads=settings.threads,
        connection_limit=settings.connection_limit,
        channel_timeout=settings.channel_timeout,
        max_request_body_size=settings.max_request_bytes,
        max_request_header_size=settings.max_request_header_bytes,
        # How often slow and idle connections are looked for (waitress's default: 30 s).
        cleanup_interval=min(5, settings.header_timeout),
        outbuf_high_watermark=OUTBUF_HIGH_WATERMARK,
        clear_untrusted_proxy_headers=True,
        ident="archive",
        **listen,
        **proxy,
    )
    guard(
        server_map,
        small=settings.max_form_bytes,
        may_send_large_body=lambda method, path, cookie: may_send_large_body(
            flask_app, method, path, cookie
        ),
        header_timeout=settings.header_timeout,
    )
    threading.Thread(target=_warm_up, args=(home,), name="warm-up", daemon=True).start()
    if background:
        background()
    previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        if on_listening:
            on_listening()
        server.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
