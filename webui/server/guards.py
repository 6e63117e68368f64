"""Waitress, guarded against clients that cost without asking: bodies refused before they are
read, and connections that send slowly or nothing at all closed.

Waitress reads a whole request, body included (to a temporary file past 512 KB), before the
app sees it, so the app alone cannot refuse a body it does not want: an anonymous 150 MB
``POST /upload`` was written to disk before the app answered with the login page. Here the
request parser asks, as soon as the headers are in, whether this request may carry a body over
``small`` bytes (a POST to the upload route from a signed-in curator,
:func:`webui.server.throttle.may_send_large_body`); any other such request is answered 413 at once,
its body unread.

Waitress closes a connection after ``channel_timeout`` seconds without activity, but a client
sending a byte now and then (slowloris) is never idle. Here a request's headers must be
complete within ``header_timeout`` seconds of its first byte, and a connection with nothing in
progress (idle, or kept alive between requests) is closed after ``header_timeout`` too.
Connections being answered (a slow reader of a ZIP) keep ``channel_timeout``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.task import ErrorTask
from waitress.utilities import RequestEntityTooLarge

log = logging.getLogger(__name__)

# (method, path, Cookie header) -> whether the request may carry a large body.
BodyCheck = Callable[[str, str, str], bool]
# Waitress's own error answers (413, 431, 400) never reach the app, so they get the headers
# the app's answers carry (webui/errors.py) here; their body is plain text.
ERROR_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
]


class SecureErrorTask(ErrorTask):
    """Waitress's error answer with the security headers."""

    def execute(self) -> None:
        # Before waitress's execute: its first write sends the headers.
        self.response_headers.extend(ERROR_HEADERS)
        super().execute()


def guarded_channel(small: int, may_send_large_body: BodyCheck) -> type[HTTPChannel]:
    """A waitress channel whose requests may carry more than ``small`` bytes of body only where
    ``may_send_large_body`` says so (and never more than waitress's max_request_body_size)."""

    class GuardedParser(HTTPRequestParser):
        def __init__(self, adj: Any) -> None:
            super().__init__(adj)
            self.started = time.time()
            self.body_limit: int | None = None

        def _choose_limit(self) -> int:
            if not self.chunked and self.content_length <= small:
                return small
            try:
                allowed = may_send_large_body(
                    self.command or "", self.path or "", self.headers.get("COOKIE", "")
                )
            except Exception:
                log.warning("could not check who sends a large body", exc_info=True)
                allowed = False
            return self.adj.max_request_body_size if allowed else small

        def received(self, data: bytes) -> int:
            consumed = super().received(data)
            if self.headers_finished and self.error is None:
                if self.body_limit is None:
                    self.body_limit = self._choose_limit()
                size = self.body_bytes_received if self.chunked else self.content_length
                if size > self.body_limit:
                    self.error = RequestEntityTooLarge(
                        f"Request bodies over {self.body_limit} bytes are accepted only for "
                        "uploads by a signed-in curator; nothing was kept."
                    )
                    self.completed = True
                    self.expect_continue = False  # never invite the body in
            return consumed

    class GuardedChannel(HTTPChannel):
        parser_class = GuardedParser
        error_task_class = SecureErrorTask

    return GuardedChannel


def _close_slow_and_idle(server: BaseWSGIServer, header_timeout: int) -> None:
    maintenance = server.maintenance

    def guarded(now: float) -> None:
        maintenance(now)  # waitress's own: channel_timeout
        cutoff = now - header_timeout
        for channel in list(server.active_channels.values()):
            if channel.requests or channel.total_outbufs_len:
                continue  # being answered: channel_timeout applies
            request = channel.request
            if request is None:
                stale = channel.last_activity < cutoff
            else:
                started = getattr(request, "started", now)
                stale = not request.headers_finished and started < cutoff
            if stale:
                channel.will_close = True

    server.maintenance = guarded  # type: ignore[method-assign]


def guard(
    server_map: dict[int, Any], small: int, may_send_large_body: BodyCheck, header_timeout: int
) -> None:
    """Install the guards on every waitress server listening in ``server_map`` (the ``map``
    given to ``waitress.create_server``), before it serves."""
    channel = guarded_channel(small, may_send_large_body)
    for dispatcher in list(server_map.values()):
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = channel
            _close_slow_and_idle(dispatcher, header_timeout)
