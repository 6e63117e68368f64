"""Error pages: friendly HTML for people, JSON for the API; never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext
from werkzeug.exceptions import HTTPException

from indexer.index import IndexBusy
from webui.i18n import N_

log = logging.getLogger(__name__)

# English in the API's JSON (a stable text for programs), the reader's language on the pages.
MESSAGES = {
    400: N_("The request was not understood."),
    403: N_("This paper's PDF is not public; you may ask the charity for a copy on its page."),
    404: N_("There is no such page or paper in the archive."),
    405: N_("That action is not allowed here."),
    413: N_("That upload is too large."),
    429: N_("Too many attempts. Please wait a minute and try again."),
    503: N_("The archive is busy. Please try again in a moment."),
}
UNEXPECTED = N_("Something went wrong on our side. It has been logged.")


def _respond(code: int, message: str):  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        return jsonify({"error": message, "status": code}), code
    # A message of our own is translated; a description given to abort() stays as written.
    return render_template(
        "error.html",
        code=code,
        message=gettext(message),
        request_copy_url=g.get("request_copy_url"),
    ), code


def register(app: Flask) -> None:
    """Install the error handlers and the security headers on ``app``."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        body, status = _respond(
            code, MESSAGES.get(code) or error.description or N_("Something went wrong.")
        )
        response = app.make_response((body, status))
        # Keep what the protocol requires of the original response (Allow on a 405, for one).
        for name, value in error.get_headers():
            if name.lower() not in {"content-type", "content-length"}:
                response.headers[name] = value
        return response

    @app.errorhandler(IndexBusy)
    def busy(_error: IndexBusy):  # type: ignore[no-untyped-def]
        return _respond(503, MESSAGES[503])

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error on %s", request.path)
        return _respond(500, UNEXPECTED)

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; object-src 'self'; frame-ancestors 'self'; base-uri 'none'; "
            "form-action 'self'",
        )
        # frame-ancestors' forerunner, for browsers that predate CSP level 2.
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
