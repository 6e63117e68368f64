"""A paper's page and its PDF, inline or as a download."""

from __future__ import annotations

import logging

from flask import Blueprint, render_template, send_file

from archive.filenames import clean_filename
from archive.paper import DOC_TYPES, Paper
from indexer.related import related_papers
from indexer.search import Hit
from webui.context import get_home, get_paper_or_404

log = logging.getLogger(__name__)

bp = Blueprint("papers", __name__, url_prefix="/papers")

# A year: the bytes behind an id never change (the id is their SHA-256).
PDF_MAX_AGE = 365 * 24 * 3600


@bp.get("/<paper_id>")
def paper(paper_id: str):  # type: ignore[no-untyped-def]
    """Everything about one paper, with links to read and download it."""
    paper = get_paper_or_404(paper_id)
    return render_template("paper.html", paper=paper, related=_related(paper), doc_types=DOC_TYPES)


def _related(paper: Paper) -> list[Hit]:
    """Papers like this one; an extra, so a failure is logged and the page shown without it."""
    home = get_home()

    def text() -> str:
        return "\n".join([paper.title, paper.abstract, *home.library.page_texts(paper.id)])

    try:
        return related_papers(home.index, paper.id, text)
    except Exception:
        log.exception("related papers of %s", paper.id)
        return []


def _send_pdf(paper_id: str, as_attachment: bool):  # type: ignore[no-untyped-def]
    paper = get_paper_or_404(paper_id)
    # conditional=True gives Range requests (PDF viewers fetch pages piecemeal), ETag and
    # Last-Modified (the stored file's time); the content behind an id never changes, so it
    # may be cached for long, and "immutable" spares browsers even the revalidation.
    response = send_file(
        get_home().library.pdf_path(paper.id),
        mimetype="application/pdf",
        as_attachment=as_attachment,
        # Cleaned again: a name stored by an older version may hold a newline or quotes, which
        # would make the header impossible to send (a 500) or read wrongly.
        download_name=clean_filename(paper.filename),
        conditional=True,
        etag=paper.id,
        max_age=PDF_MAX_AGE,
    )
    response.cache_control.immutable = True
    return response


@bp.get("/<paper_id>/pdf")
def pdf(paper_id: str):  # type: ignore[no-untyped-def]
    """The PDF, for viewing in the browser (``#page=N`` opens it at a page)."""
    return _send_pdf(paper_id, as_attachment=False)


@bp.get("/<paper_id>/download")
def download(paper_id: str):  # type: ignore[no-untyped-def]
    """The PDF as a download, under its original file name."""
    return _send_pdf(paper_id, as_attachment=True)
