"""What one client may cost: rate limits on the expensive routes, small bodies everywhere but
an upload, and the "try again later" answers (429 and 503 with Retry-After).

* **Rate limits** per client address on the exports of all matches (``/search.zip``,
  ``/search.bib``, ``/search.ris``: ``EXPORT_RATE_LIMIT``) and on result pages past the first
  :data:`DEEP_RESULTS` results (``DEEP_PAGE_RATE_LIMIT``), which crawlers walk and people
  rarely do. They are counted in Flask-Limiter's storage (the one login attempts use: safe
  across the server's threads; shared storage for several processes). Behind the documented
  nginx the address is the client's, because waitress believes ``X-Forwarded-For`` from the
  trusted proxy only.
* **Bodies**: a request body may be as large as ``MAX_CONTENT_LENGTH`` only on the upload
  route (which refuses anonymous requests before reading anything); elsewhere at most
  ``MAX_FORM_BYTES``. :func:`may_send_large_body` lets the server (waitress) refuse a large
  body before reading it (:mod:`webui.server.guards`).
"""

from __future__ import annotations

import math
import time
from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse_many

from webui.auth import current_staff, load_staff, wants_json
from webui.extensions import limiter
from webui.server import shared_limits  # noqa: F401 (registers the storage several processes share)

# Result pages whose first result lies this deep or deeper are "deep" (rate limited).
DEEP_RESULTS = 100
PAGED_ENDPOINTS = frozenset({"search.results", "api.api_search", "search.browse_page"})
EXPORT_ENDPOINTS = frozenset(
    {"downloads.search_zip", "downloads.search_bib", "downloads.search_ris"}
)
UPLOAD_ENDPOINT = "uploads.receive"
UPLOAD_PATH = "/upload"


def retry_later(message: str, seconds: int, status: int) -> Any:
    """A 429 or 503 that says when to come back: a page for people, JSON for programs."""
    seconds = max(1, int(seconds))
    if wants_json():
        response = jsonify({"error": message, "status": status, "retry_after": seconds})
    else:
        page = render_template("retry_later.html", code=status, message=message, seconds=seconds)
        response = current_app.make_response(page)
    response.status_code = status
    response.headers["Retry-After"] = str(seconds)
    response.headers["Cache-Control"] = "no-store"
    return response


def _deep() -> bool:
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("limit", 10, type=int) or 10
    return (page - 1) * max(1, min(per_page, 100)) >= DEEP_RESULTS


def _limit_for_request() -> tuple[str, str] | None:
    """(scope, limit setting) that applies to this request, if any."""
    if request.endpoint in EXPORT_ENDPOINTS:
        return "exports", current_app.config["EXPORT_RATE_LIMIT"]
    if request.endpoint in PAGED_ENDPOINTS and _deep():
        return "deep-pages", current_app.config["DEEP_PAGE_RATE_LIMIT"]
    return None


def _rate_limit() -> Any:
    chosen = _limit_for_request()
    if chosen is None or not limiter.enabled:
        return None
    scope, setting = chosen
    client = get_remote_address()  # behind the trusted proxy, the client's own address
    strategy = limiter.limiter
    for item in parse_many(setting):
        if not strategy.hit(item, scope, client):
            stats = strategy.get_window_stats(item, scope, client)
            seconds = math.ceil(stats.reset_time - time.time())
            wait = max(1, seconds)
            if scope == "exports":
                message = ngettext(
                    "Too many downloads of search results from your address (%(limit)s). "
                    "Please wait %(num)s second and try again.",
                    "Too many downloads of search results from your address (%(limit)s). "
                    "Please wait %(num)s seconds and try again.",
                    wait,
                    limit=str(item),
                )
            else:
                message = ngettext(
                    "Too many pages this deep from your address (%(limit)s). "
                    "Please wait %(num)s second and try again.",
                    "Too many pages this deep from your address (%(limit)s). "
                    "Please wait %(num)s seconds and try again.",
                    wait,
                    limit=str(item),
                )
            return retry_later(message, seconds, 429)
    return None


def _body_limit() -> None:
    # Anonymous uploads never get here with a body: auth refuses them first.
    if request.endpoint != UPLOAD_ENDPOINT:
        request.max_content_length = min(
            current_app.config["MAX_CONTENT_LENGTH"], current_app.config["MAX_FORM_BYTES"]
        )


def _too_many(error: RateLimitExceeded) -> Any:
    """Flask-Limiter's own limits (login attempts), with the page and Retry-After (at most the
    limit's window)."""
    seconds = error.limit.limit.get_expiry()
    message = ngettext(
        "Too many attempts. Please wait %(num)s second and try again.",
        "Too many attempts. Please wait %(num)s seconds and try again.",
        seconds,
    )
    return retry_later(message, seconds, 429)


def may_send_large_body(app: Flask, method: str, path: str, cookie: str) -> bool:
    """Whether a request may carry a body over ``MAX_FORM_BYTES``: a POST to the upload route
    from a signed-in curator (as the ``cookie`` header proves). For the server, which asks
    before it reads the body."""
    if method != "POST" or path != UPLOAD_PATH:
        return False
    with app.test_request_context(path, method=method, headers={"Cookie": cookie}):
        load_staff()
        return current_staff() is not None


def init_throttle(app: Flask) -> None:
    """Install the rate limits, the body limits and the 429 page on ``app`` (after auth)."""
    app.before_request(_body_limit)
    app.before_request(_rate_limit)
    app.register_error_handler(RateLimitExceeded, _too_many)
