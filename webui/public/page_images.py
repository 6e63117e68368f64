"""Pictures of papers: each paper's first-page thumbnail, and a preview of one page with the
search's words highlighted (an image, and a small page around it that links on to the PDF).

Every route goes through the gates of :mod:`webui.context`: the id is checked before
anything is read (a staff-only paper is no paper to the public), a page preview shows a page's
text and so needs what the PDF needs (:func:`~webui.context.get_readable_paper_or_404`), and a
paper the public may only ask a copy of shows the placeholder as its thumbnail. The page
number is an integer checked against the paper's page count, and the query is only ever
compared with the page's text. Files are reached by names the code builds (the paper's folder,
a digest in the preview cache).

Previews cost the server: one page is drawn at a time and nobody waits for the renderer
(busy: 503 with Retry-After at once), each client may have ``PREVIEW_RATE_LIMIT`` pages drawn
(cached ones are free), and a page that could not be drawn (an error, the time limit) is
remembered: it gets the placeholder without being drawn again, so one slow page cannot cost a
renderer restart per request.

Who may see a picture can change (a curator restricts a paper), so pictures are cached as the
PDFs are (:func:`webui.context.content_caching`): an open paper's ``public, no-cache`` with an
ETag (asking again costs a bodiless 304), what staff see ``private, no-store``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Blueprint, Flask, abort, current_app, g, render_template, request, send_file
from flask_babel import gettext

from archive.library import THUMBNAIL_NAME
from archive.paper import Paper
from indexer.home import ArchiveHome
from indexer.pictures.page_images import RenderError, words_to_mark
from indexer.pictures.page_render_worker import PreviewRenderer, RenderBusy
from indexer.pictures.preview_cache import PreviewCache, preview_key
from webui.context import (
    content_caching,
    get_home,
    get_paper_or_404,
    get_readable_paper_or_404,
    may_read,
    shared_cacheable,
)
from webui.extensions import limiter

log = logging.getLogger(__name__)

bp = Blueprint("page_images", __name__, url_prefix="/papers")

# A placeholder stands in until a thumbnail is drawn (archive thumbnails), so it is kept briefly.
PLACEHOLDER_MAX_AGE = 3600
PLACEHOLDER = "thumbnail-placeholder.svg"
MAX_QUERY_CHARS = 500
BUSY_RETRY_S = 5


def init_page_images(app: Flask, home: ArchiveHome) -> None:
    """Give ``app`` its preview renderer and cache, and the routes."""
    app.extensions["preview_renderer"] = PreviewRenderer(
        timeout_s=float(app.config.get("PREVIEW_TIMEOUT", 10))
    )
    app.extensions["preview_cache"] = PreviewCache.in_home(
        home.root, int(app.config.get("PREVIEW_CACHE_BYTES", 256 * 1024 * 1024))
    )
    app.register_blueprint(bp)


def _placeholder():  # type: ignore[no-untyped-def]
    assert current_app.static_folder is not None
    response = send_file(
        Path(current_app.static_folder) / PLACEHOLDER,
        mimetype="image/svg+xml",
        conditional=True,
        max_age=PLACEHOLDER_MAX_AGE,
    )
    return response


def _page_or_404(paper: Paper, number: int) -> int:
    # The <int:> converter already refuses anything but digits; the range is the paper's.
    if not 1 <= number <= paper.pages:
        abort(404)
    return number


def _query() -> str:
    return request.args.get("q", "")[:MAX_QUERY_CHARS]


@bp.get("/<paper_id>/thumbnail.webp")
def thumbnail(paper_id: str):  # type: ignore[no-untyped-def]
    """The first page, small; the placeholder when none could be drawn (or none is yet)."""
    paper = get_paper_or_404(paper_id)
    path = get_home().library.derived_path(paper.id, THUMBNAIL_NAME)
    if not path.is_file() or not may_read(paper):
        return _placeholder()
    # ETag and Last-Modified from the file.
    return _revalidated(send_file(path, mimetype="image/webp", conditional=True), paper)


@bp.get("/<paper_id>/pages/<int:number>")
def page_preview(paper_id: str, number: int):  # type: ignore[no-untyped-def]
    """A page of its own for one page's preview, linking on to the PDF at that page."""
    paper = get_readable_paper_or_404(paper_id)
    _page_or_404(paper, number)
    return render_template("page_preview.html", paper=paper, number=number, query=_query())


def _drew(_response) -> bool:  # type: ignore[no-untyped-def]
    # Only a page actually handed to the renderer counts against the client's budget.
    return bool(g.get("preview_drawn"))


@bp.get("/<paper_id>/pages/<int:number>/preview.png")
@limiter.limit(
    lambda: current_app.config.get("PREVIEW_RATE_LIMIT") or "30 per minute; 300 per hour",
    deduct_when=_drew,
)
def preview(paper_id: str, number: int):  # type: ignore[no-untyped-def]
    """Page ``number`` as an image, the words of ``q`` highlighted where they stand."""
    paper = get_readable_paper_or_404(paper_id)  # before the cache: a cached page is no leak
    _page_or_404(paper, number)
    words = words_to_mark(_query(), get_home().thesaurus())
    key = preview_key(paper.id, number, words)
    if key in request.if_none_match:
        return _revalidated(current_app.response_class(status=304), paper, key)
    cache: PreviewCache = current_app.extensions["preview_cache"]
    renderer: PreviewRenderer = current_app.extensions["preview_renderer"]
    path = cache.get(key)
    if path is None:
        pdf = get_home().library.pdf_path(paper.id)
        if renderer.failed_before(pdf, number):
            return _placeholder()
        try:
            g.preview_drawn = True
            data, _marked = renderer.render(pdf, number, words)
        except RenderBusy:
            g.preview_drawn = False  # nothing was drawn: asking again later costs nothing
            response = current_app.response_class(
                gettext("The previews are busy; try again in a moment."),
                status=503,
                mimetype="text/plain",
            )
            response.headers["Retry-After"] = str(BUSY_RETRY_S)
            response.headers["Cache-Control"] = "no-store"
            return response
        except RenderError as error:
            log.warning("preview of page %s of %s: %s", number, paper.id, error)
            return _placeholder()
        path = cache.put(key, data)
    response = send_file(path, mimetype="image/png", conditional=True, etag=key)
    return _revalidated(response, paper, key)


def _revalidated(response, paper: Paper, etag: str | None = None):  # type: ignore[no-untyped-def]
    # The ETag (for previews a digest of all that decides the pixels) makes asking again cheap.
    if etag:
        response.set_etag(etag)
    return content_caching(response, shared_cacheable(paper))
