"""Absolute URLs, for what leaves the site: citations, manifests, meta tags, sitemap, feed.

Behind a reverse proxy the request's Host may not be the public name (and a forged Host must not
end up in a sitemap or a cached feed), so ``PUBLIC_BASE_URL`` (``https://papers.example.org``,
scheme and host only) wins when it is set.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from archive.paper import Paper


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ``endpoint``."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def paper_url(paper: Paper) -> str:
    """The absolute URL of a paper's page (its canonical address)."""
    return external_url("papers.paper", paper_id=paper.id)


def pdf_url(paper: Paper) -> str:
    """The absolute URL of a paper's PDF."""
    return external_url("papers.pdf", paper_id=paper.id)
