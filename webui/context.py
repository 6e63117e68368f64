"""Helpers bound to the application context, in the manner of flaskr's ``get_db``."""

from __future__ import annotations

from flask import abort, current_app

from archive.library import PaperNotFound
from archive.paper import Paper, is_paper_id
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
