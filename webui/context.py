"""Helpers bound to the application context, in the manner of flaskr's ``get_db``.

:func:`get_paper_or_404` and :func:`get_readable_paper_or_404` are the one place that decides
what a visitor may see of a paper (:mod:`archive.access`): every paper route calls one of them,
and they read the paper's sidecar (the source of truth) at request time, so a change of access
or a removal takes effect at once, in every thread and process, before the index catches up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, abort, current_app, g, url_for

from archive.access import today
from archive.library import PaperNotFound
from archive.paper import Paper, is_paper_id
from indexer.describe.crossref import CrossrefClient
from indexer.engine.access_filter import hidden_docs
from indexer.home import ArchiveHome


def get_home() -> ArchiveHome:
    """The archive this app serves."""
    return current_app.extensions["archive_home"]


def viewer_is_staff() -> bool:
    """True when a curator is signed in for this request: staff see every paper."""
    return g.get("staff") is not None


def _hidden_ids() -> frozenset[str]:
    """The ids of the papers the index holds as hidden from the public (staff-only), kept
    until a commit makes a new index generation or the day changes."""
    index = get_home().index
    try:
        key = (index.open().latest_generation(), today())
        cached = current_app.extensions.get("hidden_paper_ids")
        if cached is not None and cached[0] == key:
            return cached[1]
        with index.searcher() as searcher:
            deleted = searcher.reader().is_deleted
            ids = frozenset(
                searcher.stored_fields(number)["paper_id"]
                for number in hidden_docs(searcher).tolist()
                if not deleted(number)
            )
    except Exception:  # no usable index: the sidecar decides, as before
        return frozenset()
    current_app.extensions["hidden_paper_ids"] = (key, ids)
    return ids


def get_paper_or_404(paper_id: str) -> Paper:
    """The paper with this id, when the visitor may see it; a 404 for anything else (ids
    never become paths unchecked; a staff-only paper is, to the public, no paper at all).

    A paper the index holds as staff-only is refused before its sidecar is read, so its 404
    costs what an absent id's does (a timing difference would tell that it exists). A paper
    made staff-only a moment ago, before the index follows, is still refused by its sidecar."""
    if not is_paper_id(paper_id):
        abort(404)
    if not viewer_is_staff() and paper_id in _hidden_ids():
        abort(404)
    try:
        paper = get_home().library.get(paper_id)
    except PaperNotFound:
        abort(404)
    if not viewer_is_staff() and not paper.may_list():
        abort(404)
    return paper


def get_readable_paper_or_404(paper_id: str) -> Paper:
    """The paper, when the visitor may also read its content: the PDF, its full text and
    anything drawn from its pages (downloads, page images). 404 as :func:`get_paper_or_404`;
    403 for a paper the public may only ask a copy of (on request, or under embargo)."""
    paper = get_paper_or_404(paper_id)
    if not viewer_is_staff() and not paper.may_read():
        # The 403 page links to the paper's request form (webui/errors.py).
        g.request_copy_url = url_for("papers.paper", paper_id=paper.id, _anchor="request-copy")
        abort(403)
    return paper


def may_read(paper: Paper) -> bool:
    """Whether the visitor may read ``paper``'s PDF (for links and tags in templates)."""
    return viewer_is_staff() or paper.may_read()


def shared_cacheable(paper: Paper) -> bool:
    """Whether a shared cache may keep what this visitor gets of ``paper``'s content (its PDF,
    its pictures): when the public may read it. Who may read a paper can change, so such a
    cache must ask again each time (:func:`content_caching`); staff reading a restricted paper
    get theirs uncached."""
    return paper.may_read() and not viewer_is_staff()


def content_caching(response: Response, shared: bool) -> Response:
    """``response`` (a paper's content) marked ``public, no-cache`` when ``shared`` (a cache
    keeps it but revalidates, a bodiless 304, so the access check runs on every request and a
    paper made restricted is never served from a cache), else ``private, no-store``."""
    response.headers["Cache-Control"] = "public, no-cache" if shared else "private, no-store"
    # send_file's Expires (a week ahead, from the max age) would contradict no-cache.
    response.headers.pop("Expires", None)
    return response


def visitor_access(paper_id: str) -> tuple[bool, bool]:
    """(may the visitor see the paper now, may they read its PDF), judged by its sidecar: for
    result lists built from the index, which may lag a change or a removal by a few seconds."""
    if viewer_is_staff():
        return True, True
    try:
        paper = get_home().library.get(paper_id)
    except PaperNotFound:
        return False, False
    return paper.may_list(), paper.may_read()


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
