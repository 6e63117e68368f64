"""Setting access levels (staff only): one paper from its edit page, or every match of a search
after a confirmation page.

Like every curator's write, the sidecar changes first (the source of truth, read by every paper
route at request time, so the change is in force at once) and the index follows
(:mod:`webui.staff.curation`'s syncer), so public searches drop or take in the paper in the same
pass.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, format_number, gettext, ngettext

from archive.access import AccessError, access_from, embargo_from
from archive.library import PaperNotFound
from indexer.engine.search import QueryError, matching_ids
from webui.auth import login_required
from webui.background import staff_services
from webui.context import get_home, get_paper_or_404
from webui.labels import ACCESS_LABELS, ACCESS_NAMES, library_message
from webui.public.search_views import filter_args, search_args
from webui.staff.curation import access_done, after_write, writing

bp = Blueprint("access", __name__)

# The most papers one bulk change may touch (a whole archive of a charity fits).
BULK_MAX_PAPERS = 20_000


def _chosen() -> tuple[str, str | None]:
    """The access level and embargo date of the submitted form; raises AccessError."""
    level = access_from(request.form.get("access", ""))
    return level, embargo_from(request.form.get("embargo", ""))


def _set(paper_ids: list[str], level: str, embargo: str | None) -> list[str]:
    """Write the access of each paper's sidecar; returns the ids that changed."""
    library = get_home().library
    written = []
    with writing:
        for paper_id in paper_ids:
            try:
                current = library.get(paper_id)
            except PaperNotFound:
                continue
            if (current.access, current.embargo) == (level, embargo):
                continue
            library.save(dataclasses.replace(current, access=level, embargo=embargo))
            written.append(paper_id)
    return written


@bp.post("/papers/<paper_id>/access")
@login_required
def set_access(paper_id: str) -> Any:
    """Set one paper's access level and embargo date."""
    paper = get_paper_or_404(paper_id)
    back = redirect(url_for("staff.edit", paper_id=paper.id) + "#access", 303)
    try:
        level, embargo = _chosen()
    except AccessError as error:
        flash(library_message(str(error)), "error")
        return back
    if not _set([paper.id], level, embargo):
        flash(gettext("The access was already so; nothing was changed."), "info")
        return back
    staff_services().activity.record(
        "access", user=g.staff, id=paper.id, title=paper.title, access=level, embargo=embargo
    )
    after_write([paper.id])
    flash(access_done(level, embargo), "info")
    return redirect(url_for("papers.paper", paper_id=paper.id), 303)


@bp.post("/papers/<paper_id>/javascript")
@login_required
def set_javascript(paper_id: str) -> Any:
    """Let a PDF holding JavaScript open in the browser (``inline=1``), or offer it as a
    download only again (``inline=0``)."""
    paper = get_paper_or_404(paper_id)
    inline = request.form.get("inline") == "1"
    if paper.javascript_inline != inline:
        with writing:
            current = get_home().library.get(paper.id)
            get_home().library.save(dataclasses.replace(current, javascript_inline=inline))
        staff_services().activity.record(
            "javascript", user=g.staff, id=paper.id, title=paper.title, inline=inline
        )
    if inline:
        flash(gettext("The PDF now opens in the browser, scripts and all."), "info")
    else:
        flash(gettext("The PDF is offered as a download only."), "info")
    return redirect(url_for("papers.paper", paper_id=paper.id) + "#javascript", 303)


def _matches() -> tuple[str, list[str]]:
    """The query of the request and the ids of every paper it matches (staff see all)."""
    query, _page, sort = search_args()
    home = get_home()
    if not query.strip():
        raise QueryError(
            gettext("Search for the papers first; then set the access of all matches.")
        )
    _total, ids = matching_ids(
        home.index,
        query,
        limit=BULK_MAX_PAPERS,
        sort=sort,
        filters=filter_args(),
        thesaurus=home.thesaurus(),
        public=False,
    )
    return query, ids


@bp.route("/staff/access", methods=["GET", "POST"])
@login_required
def bulk() -> Any:
    """GET: the confirmation page (how many papers, the first of them, the choice); POST:
    set the access of every paper the search matches."""
    try:
        query, ids = _matches()
    except QueryError as error:
        problem = library_message(str(error))
        return render_template("bulk_access.html", problem=problem, query="", ids=[]), 400
    if len(ids) >= BULK_MAX_PAPERS:
        problem = gettext(
            "At most %(most)s papers can be changed at once; narrow the search.",
            most=format_number(BULK_MAX_PAPERS),
        )
        return render_template("bulk_access.html", problem=problem, query=query, ids=[]), 422
    library = get_home().library
    if request.method == "GET":
        first = []
        for paper_id in ids[:20]:
            try:
                first.append(library.get(paper_id))
            except PaperNotFound:
                continue
        return render_template(
            "bulk_access.html",
            query=query,
            ids=ids,
            first=first,
            levels=ACCESS_LABELS,
            args=request.args,
        )
    if request.form.get("count") != str(len(ids)):
        flash(
            gettext("The papers matching this search changed meanwhile; please check them again."),
            "error",
        )
        return redirect(url_for("access.bulk", **request.args), 303)
    try:
        level, embargo = _chosen()
    except AccessError as error:
        flash(library_message(str(error)), "error")
        return redirect(url_for("access.bulk", **request.args), 303)
    written = _set(ids, level, embargo)
    staff_services().activity.record(
        "bulk-access", user=g.staff, query=query, count=len(written), access=level, embargo=embargo
    )
    if written:
        after_write(written)
    name = str(ACCESS_NAMES.get(level, level))
    done = ngettext(
        "Access of %(num)s paper set to %(level)s",
        "Access of %(num)s papers set to %(level)s",
        len(written),
        level=name,
    )
    if embargo:
        day = format_date(date.fromisoformat(embargo), "medium")
        done += " " + gettext("until %(day)s", day=day)
    if len(ids) != len(written):
        done += " " + ngettext(
            "(%(num)s had it already)", "(%(num)s had it already)", len(ids) - len(written)
        )
    flash(done + ".", "info")
    return redirect(url_for("search.results", **request.args), 303)


@bp.app_template_global()
def access_choices() -> dict[str, Any]:
    """The access levels and what each means, for forms (in the reader's language)."""
    return ACCESS_LABELS
