"""Absolute URLs, for what leaves the site: citations, manifests, meta tags, sitemap, feed.

An absolute URL never comes from a Host header nobody vouched for, because a shared cache (a
reverse proxy's, a CDN's) would hand a forged one (``Host: evil.example``) to everyone:

* ``PUBLIC_BASE_URL`` (``https://papers.example.org``, the ``public_base_url`` setting) wins
  when it is set: the Host plays no part;
* else with ``TRUSTED_HOSTS`` (the ``trusted_hosts`` setting) Flask refuses any request naming
  another host (400), so the request's own host can be believed;
* else (nothing configured, the default) the request's host is used, as the client typed it, but
  a response that carries it goes back to that client alone: it is marked ``private`` (never
  kept by a shared cache) and ``Vary: Host``.

E-mail is another matter: a message cannot be marked private, and a link in it is believed by
whoever reads it. :func:`mail_url` gives a link only from ``PUBLIC_BASE_URL`` or a trusted host,
never from a Host header nobody vouched for (``Host: evil.example`` on a reader's request for a
copy would otherwise send curators a phishing link from their own archive).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, url_for
from werkzeug.exceptions import SecurityError
from werkzeug.wsgi import get_host

from archive.paper import Paper

_FROM_HOST = "absolute_url_from_host"  # the mark left on ``g`` by external_url


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint``."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    if not current_app.config.get("TRUSTED_HOSTS"):
        setattr(g, _FROM_HOST, True)
    return url_for(endpoint, _external=True, **values)


def mail_url(endpoint: str, **values: Any) -> str | None:
    """The absolute URL of ``endpoint`` for an e-mail, or None when the archive does not know
    its own address (neither ``PUBLIC_BASE_URL`` nor ``TRUSTED_HOSTS`` is set)."""
    if current_app.config.get("PUBLIC_BASE_URL") or current_app.config.get("TRUSTED_HOSTS"):
        return external_url(endpoint, **values)
    return None


def paper_url(paper: Paper) -> str:
    """The absolute URL of a paper's page (its canonical address)."""
    return external_url("papers.paper", paper_id=paper.id)


def pdf_url(paper: Paper) -> str:
    """The absolute URL of a paper's PDF."""
    return external_url("papers.pdf", paper_id=paper.id)


def _private_when_built_from_the_host(response: Response) -> Response:
    if g.get(_FROM_HOST):
        response.vary.add("Host")
        # Only what was meant for shared caches changes: "private, no-store" stays as it is.
        if response.cache_control.public or response.cache_control.s_maxage is not None:
            response.cache_control.public = False
            response.cache_control.s_maxage = None
            response.cache_control.private = True
    return response


class _TrustedHostsOnly:
    """WSGI middleware answering a request for another host with a plain 400, before Flask
    routes it: Flask would refuse it too, but without the URL adapter an untrusted host denies
    it, no page template could be rendered, and the answer would be a 500."""

    BODY = b"This archive does not answer to that host name.\n"

    def __init__(self, app: Any, hosts: list[str]) -> None:
        self.app = app
        self.hosts = hosts

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        try:
            get_host(environ, self.hosts)
        except SecurityError:
            start_response(
                "400 Bad Request",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(self.BODY))),
                    ("Cache-Control", "no-store"),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
            return [self.BODY]
        return self.app(environ, start_response)


def init_urls(app: Flask) -> None:
    """Refuse hosts outside ``TRUSTED_HOSTS`` (when set), and keep responses holding an
    absolute URL built from an untrusted Host out of shared caches."""
    if app.config.get("TRUSTED_HOSTS"):
        app.wsgi_app = _TrustedHostsOnly(app.wsgi_app, list(app.config["TRUSTED_HOSTS"]))  # type: ignore[method-assign]
    app.after_request(_private_when_built_from_the_host)
