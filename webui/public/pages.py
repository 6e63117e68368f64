"""A paper's page and its PDF, inline or as a download."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, render_template, request, send_file

from archive.citation import venue_text
from archive.filenames import clean_filename
from archive.paper import Paper
from indexer.engine.related import related_papers
from indexer.engine.search import Hit, Snippet, paper_passages
from indexer.ingest.pdf_scripts import paper_has_javascript
from webui.context import (
    content_caching,
    get_home,
    get_paper_or_404,
    get_readable_paper_or_404,
    may_read,
    shared_cacheable,
    viewer_is_staff,
    visitor_access,
)
from webui.labels import ACCESS_LABELS, DOC_TYPE_LABELS

log = logging.getLogger(__name__)

bp = Blueprint("papers", __name__, url_prefix="/papers")


@bp.get("/<paper_id>")
def paper(paper_id: str):  # type: ignore[no-untyped-def]
    """Everything about one paper, with links to read and download it."""
    return paper_page(get_paper_or_404(paper_id))


def paper_page(
    paper: Paper,
    copy_values: dict[str, str] | None = None,
    copy_errors: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """A paper's page (with the request-a-copy form's values and problems, if any). Opened
    from a search (``?q=``), it links back to the results and shows the paper's pages that
    match, with their passages, when the visitor may read it."""
    back_query = request.args.get("q", "", type=str)[:1000].strip()
    readable = may_read(paper)
    matching: list[Snippet] = []
    if back_query and readable:
        _pages, matching = paper_passages(
            get_home().index, paper.id, back_query, thesaurus=get_home().thesaurus()
        )
    page = render_template(
        "paper.html",
        paper=paper,
        back_query=back_query,
        matching=matching,
        related=_related(paper),
        doc_types=DOC_TYPE_LABELS,
        access_levels=ACCESS_LABELS,
        readable=readable,
        javascript=readable and holds_javascript(paper),
        download_only=readable and download_only(paper),
        venue=venue_text(paper),
        copy_values=copy_values or {},
        copy_errors=copy_errors or {},
    )
    return page, status


def _related(paper: Paper) -> list[Hit]:
    """Papers like this one; an extra, so a failure is logged and the page shown without it."""
    try:
        found = related_papers(get_home().index, paper.id, public=not viewer_is_staff())
        return [hit for hit in found if visitor_access(hit.id)[0]]
    except Exception:
        log.exception("related papers of %s", paper.id)
        return []


def send_pdf(paper: Paper, as_attachment: bool, shared: bool):  # type: ignore[no-untyped-def]
    """A paper's PDF with Range and conditional requests. ``shared``: it goes to anyone (an
    open paper to a visitor); otherwise only to the one reader asking (staff, a copy link),
    and no cache may keep it (:func:`webui.context.content_caching`)."""
    # conditional=True gives Range requests (PDF viewers fetch pages piecemeal), ETag and
    # Last-Modified (the stored file's time). The bytes behind an id never change, but who
    # may read them can, so they are never cached as immutable.
    response = send_file(
        get_home().library.pdf_path(paper.id),
        mimetype="application/pdf",
        as_attachment=as_attachment,
        # Cleaned again: a name stored by an older version may hold a newline or quotes, which
        # would make the header impossible to send (a 500) or read wrongly.
        download_name=clean_filename(paper.filename),
        conditional=True,
        etag=paper.id,
    )
    return content_caching(response, shared)


def holds_javascript(paper: Paper) -> bool:
    """Whether the paper's PDF holds JavaScript, which a browser's viewer would run from this
    site's address (issue 22)."""
    if paper.javascript is not None:
        return paper.javascript
    # A paper imported by an earlier version: looked at once per process.
    return paper_has_javascript(paper.id, str(get_home().library.pdf_path(paper.id)))


def download_only(paper: Paper) -> bool:
    """Whether the paper's PDF is offered as a download only: it holds JavaScript and neither
    the ``inline_scripted_pdfs`` setting nor a curator lets it open in the browser."""
    if current_app.config.get("INLINE_SCRIPTED_PDFS") or paper.javascript_inline:
        return False
    return holds_javascript(paper)


def _send_pdf(paper_id: str, as_attachment: bool):  # type: ignore[no-untyped-def]
    paper = get_readable_paper_or_404(paper_id)
    as_attachment = as_attachment or download_only(paper)
    return send_pdf(paper, as_attachment, shared=shared_cacheable(paper))


@bp.get("/<paper_id>/pdf")
def pdf(paper_id: str):  # type: ignore[no-untyped-def]
    """The PDF, for viewing in the browser (``#page=N`` opens it at a page)."""
    return _send_pdf(paper_id, as_attachment=False)


@bp.get("/<paper_id>/download")
def download(paper_id: str):  # type: ignore[no-untyped-def]
    """The PDF as a download, under its original file name."""
    return _send_pdf(paper_id, as_attachment=True)
