"""Helpers bound to the application context, in the manner of flaskr's ``get_db``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort, current_app

from archive.library import PaperNotFound
from archive.paper import Paper, is_paper_id
from indexer.crossref import CrossrefClient
from indexer.home import ArchiveHome


def get_home() -> ArchiveHome:
    """The archive this app serves."""
    return current_app.extensions["archive_home"]


def get_paper_or_404(paper_id: str) -> Paper:
    """The paper with this id; a 404 for anything else (ids never become paths unchecked)."""
    if not is_paper_id(paper_id):
        abort(404)
    try:
        return get_home().library.get(paper_id)
    except PaperNotFound:
        abort(404)


def crossref_client(config: Mapping[str, Any] | None = None) -> CrossrefClient | None:
    """The Crossref client of the app's settings (``config``, else the current app's), or
    None without a contact address."""
    config = current_app.config if config is None else config
    if not config.get("CROSSREF_MAILTO"):
        return None
    return CrossrefClient(
        mailto=config["CROSSREF_MAILTO"],
        base_url=config.get("CROSSREF_URL") or "https://api.crossref.org",
        timeout_s=float(config.get("CROSSREF_TIMEOUT") or 10),
    )
