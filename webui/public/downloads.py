"""Getting papers out on the web: all matches as one ZIP, and citations (BibTeX, RIS).

The ZIP (zipstream-ng, in constant memory) and the citations of all matches are written to a
spooled file and handed to the server as a file (:mod:`webui.server.export_spool`), so a slow reader
never holds a thread that searches need; over the spool's bounds the answer is 503 with
Retry-After. A cap on papers and bytes (``EXPORT_MAX_PAPERS``, ``EXPORT_MAX_BYTES``) gives a
page saying what to do instead of a surprise.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import IO, Any

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.wsgi import wrap_file

from archive.citation import apa_reference, bibtex, citation_key, ris
from archive.paper import Paper
from indexer.engine.search import QueryError
from indexer.export import (
    Export,
    ExportTooLarge,
    NoMatches,
    choose_papers,
    zip_file_name,
    zip_stream,
)
from webui.context import get_home, get_paper_or_404, viewer_is_staff
from webui.labels import library_message
from webui.public.search_views import filter_args, search_args
from webui.server.export_spool import ExportsBusy, ExportSpool, SpooledFile
from webui.server.throttle import retry_later
from webui.urls import paper_url, pdf_url

bp = Blueprint("downloads", __name__)
log = logging.getLogger(__name__)

BIBTEX_TYPE = "application/x-bibtex; charset=utf-8"
RIS_TYPE = "application/x-research-info-systems; charset=utf-8"
# Result-set citations are small, so they may list more papers than a ZIP.
CITATIONS_MAX_PAPERS = 5000
# Blocks waitress reads from a spooled file when it iterates one (a test client, a middleware).
FILE_BLOCK = 256 * 1024


def _attachment(body: Any, mimetype: str, filename: str) -> Response:
    # Every name given here is ASCII letters, digits, dashes and one dot: no quoting needed.
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _problem(query: str, message: str, status: int) -> tuple[str, int]:
    return render_template("export_problem.html", query=query, message=message), status


def _choose(max_papers: int, max_bytes: int, pdfs: bool = True) -> Export | tuple[str, int]:
    """The export of the request's query, or the problem page to answer instead. For the
    public, only the papers it may have: with ``pdfs``, those it may read (a ZIP)."""
    query, _page, sort = search_args()
    try:
        return choose_papers(
            get_home(),
            query,
            max_papers=max_papers,
            max_bytes=max_bytes,
            sort=sort,
            filters=filter_args(),
            public=not viewer_is_staff(),
            pdfs=pdfs,
        )
    except QueryError as error:
        return _problem(query, library_message(str(error)), 400)
    except NoMatches as error:
        return _problem(query, library_message(str(error)), 404)
    except ExportTooLarge as error:
        # 422: the request is understood, but not one that will be carried out as it is.
        return _problem(query, library_message(str(error)), 422)


def export_spool() -> ExportSpool:
    """The app's spool of exports in flight."""
    return current_app.extensions["export_spool"]


def _spooled(size: int, chunks: Iterable[bytes], mimetype: str, filename: str) -> Any:
    """The ``size`` bytes of ``chunks`` written to the spool and answered as a file download
    (or 503 + Retry-After when the spool is full)."""

    def produce(out: IO[bytes]) -> None:
        for chunk in chunks:
            out.write(chunk)

    if request.method == "HEAD":
        response = _attachment(b"", mimetype, filename)  # the headers, without writing it
    else:
        try:
            spooled: SpooledFile = export_spool().write(size, produce)
        except ExportsBusy as busy:
            return retry_later(str(busy), busy.retry_after, 503)
        body = wrap_file(request.environ, spooled, FILE_BLOCK)
        response = _attachment(body, mimetype, filename)
        response.direct_passthrough = True
    # The size is known before the first byte: browsers can show real progress.
    response.headers["Content-Length"] = str(size)
    # A result set changes as papers are added: never serve a stale export from a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/search.zip")
def search_zip():  # type: ignore[no-untyped-def]
    """Every paper matching ``q`` as one ZIP, with manifest.csv and references.bib."""
    chosen = _choose(
        current_app.config["EXPORT_MAX_PAPERS"], current_app.config["EXPORT_MAX_BYTES"]
    )
    if not isinstance(chosen, Export):
        return chosen
    stream = zip_stream(chosen, link_for=paper_url)
    return _spooled(len(stream), stream, "application/zip", zip_file_name(chosen.query))


def _result_set_citations(kind: str) -> Any:
    chosen = _choose(CITATIONS_MAX_PAPERS, max_bytes=2**63, pdfs=False)
    if not isinstance(chosen, Export):
        return chosen
    papers = chosen.papers
    name = zip_file_name(chosen.query).removesuffix(".zip")
    if kind == "bib":
        body = bibtex(papers, [paper_url(p) for p in papers]).encode("utf-8")
        return _spooled(len(body), [body], BIBTEX_TYPE, name + ".bib")
    pdfs = [pdf_url(p) if p.may_read() else None for p in papers]
    body = ris(papers, [paper_url(p) for p in papers], pdfs).encode()
    return _spooled(len(body), [body], RIS_TYPE, name + ".ris")


@bp.get("/search.bib")
def search_bib():  # type: ignore[no-untyped-def]
    """BibTeX of every paper matching ``q``."""
    return _result_set_citations("bib")


@bp.get("/search.ris")
def search_ris():  # type: ignore[no-untyped-def]
    """RIS of every paper matching ``q``."""
    return _result_set_citations("ris")


@bp.get("/papers/<paper_id>/cite.bib")
def paper_bib(paper_id: str):  # type: ignore[no-untyped-def]
    """One paper's BibTeX entry."""
    paper = get_paper_or_404(paper_id)
    body = bibtex([paper], [paper_url(paper)])
    cited = _cited_page(paper)
    if cited:
        # The page an answer was cited from (?page=N), as a note of the entry.
        body = body.rstrip().removesuffix("}").rstrip() + f",\n  note = {{p. {cited}}}\n}}\n"
    return _attachment(body, BIBTEX_TYPE, f"{citation_key(paper) or 'paper'}.bib")


def _cited_page(paper: Paper) -> int | None:
    """The page of ``?page=N`` when the paper has it (a citation of one page)."""
    page = request.args.get("page", type=int)
    return page if page and 1 <= page <= max(paper.pages, 1) else None


@bp.get("/papers/<paper_id>/cite.ris")
def paper_ris(paper_id: str):  # type: ignore[no-untyped-def]
    """One paper's RIS record."""
    paper = get_paper_or_404(paper_id)
    body = ris([paper], [paper_url(paper)], [pdf_url(paper) if paper.may_read() else None])
    cited = _cited_page(paper)
    if cited:
        body = body.replace("ER  -", f"N1  - p. {cited}\r\nER  -", 1)
    return _attachment(body, RIS_TYPE, f"{citation_key(paper) or 'paper'}.ris")


@bp.app_template_global()
def formatted_reference(paper: Paper, page: int | None = None) -> str:
    """The APA-like reference of a paper (plain text; Jinja escapes it); with ``page``, the
    page cited ("p. 3") before the link."""
    if page:
        reference = apa_reference(paper)
        return f"{reference.removesuffix('.')}, p. {page}. {paper_url(paper)}"
    return apa_reference(paper, url=paper_url(paper))


@bp.app_template_global()
def export_args() -> dict[str, list[str]]:
    """The results page's query arguments minus paging, for the download links: whatever
    filters the results page takes travel to the ZIP with it."""
    return {key: values for key, values in request.args.lists() if key not in {"page", "limit"}}
