"""Curation (staff only): the dashboard, editing a paper's metadata, removing a paper.

Every write lands in the library first (the sidecar, the source of truth: pages and downloads
show it at once) and is then handed to the index syncer. The view waits a few seconds for the
index so that, normally, search shows the change as soon as the page does; when a bulk import
holds the index, the curator is told the change will appear when it lets go, and nothing fails.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import threading
import time
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, gettext

from archive.access import AccessError, access_from, embargo_from
from archive.curation import InvalidEdit, apply_edit
from archive.library import PaperNotFound
from archive.paper import Paper
from indexer.describe.crossref import look_up
from indexer.describe.curation_queue import (
    WeakPaper,
    curation_queue,
    doubted,
    field_confidence,
)
from indexer.home import ArchiveHome
from indexer.recent import recently_added
from webui.auth import login_required
from webui.background import staff_services
from webui.context import crossref_client, get_home, get_paper_or_404
from webui.labels import (
    ACCESS_NAMES,
    DOC_TYPE_LABELS,
    SOURCE_LABELS,
    field_names,
    library_message,
)

bp = Blueprint("staff", __name__)

EDIT_FIELDS = (
    "title", "authors", "year", "doi", "abstract", "tags", "doc_type",
    "container", "volume", "issue", "page_range", "publisher",
)  # fmt: skip
INDEX_WAIT_S = 5.0
QUEUE_LENGTH = 25
# Building the curation queue reads every sidecar (about 0.5 s for 5,000 papers): the dashboard
# reuses it this long, and an edit, lookup or removal here starts it afresh.
QUEUE_CACHE_S = 30.0
# One edit or removal at a time in this process: the "did someone else change it?" check and the
# write must not interleave with another curator's (webui.staff.access_views writes under it too).
writing = threading.Lock()
_queue_cache: dict[str, tuple[float, tuple[list[WeakPaper], int]]] = {}


def version_of(paper: Paper) -> str:
    """A short fingerprint of a paper's metadata, to notice edits made meanwhile by others."""
    data = json.dumps(paper.to_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


def _form_values(paper: Paper) -> dict[str, str]:
    return {
        "title": paper.title,
        "authors": "\n".join(paper.authors),
        "year": "" if paper.year is None else str(paper.year),
        "doi": paper.doi or "",
        "abstract": paper.abstract,
        "tags": ", ".join(paper.tags),
        "doc_type": paper.doc_type,
        "container": paper.container,
        "volume": paper.volume,
        "issue": paper.issue,
        "page_range": paper.page_range,
        "publisher": paper.publisher,
        "access": paper.access,
        "embargo": paper.embargo or "",
    }


@bp.get("/staff")
@login_required
def dashboard() -> Any:
    """What happened lately: papers added, uploads and their failures, pending work."""
    services = staff_services()
    home = get_home()
    queue, weak_total = _curation_queue(home)
    return render_template(
        "staff.html",
        queue=queue,
        weak_total=weak_total,
        stats=home.index.stats(),
        recent_papers=recently_added(home.index, home.library, 15),
        activity=services.activity.recent(40),
        failures=services.activity.recent(20, failures_only=True),
        inbox_pending=len(services.uploads.inbox.pending()),
        index_pending=services.sync.pending,
        index_waiting=services.sync.waiting_for_lock,
        field_names_of=field_names,
    )


def _curation_queue(home: ArchiveHome) -> tuple[list[WeakPaper], int]:
    key = str(home.root)
    cached = _queue_cache.get(key)
    if cached is None or time.monotonic() - cached[0] > QUEUE_CACHE_S:
        cached = _queue_cache[key] = (time.monotonic(), curation_queue(home.library, QUEUE_LENGTH))
    return cached[1]


def after_write(paper_ids: list[str]) -> bool:
    """After a write to these papers' sidecars: the curation queue is built afresh and the
    index asked to follow; True when it did within a few seconds."""
    _queue_cache.clear()
    sync = staff_services().sync
    return sync.wait(sync.request(paper_ids), INDEX_WAIT_S)


@bp.route("/papers/<paper_id>/edit", methods=["GET", "POST"])
@login_required
def edit(paper_id: str) -> Any:
    """Edit a paper's metadata; the change reaches the sidecar and the index together."""
    paper = get_paper_or_404(paper_id)
    if request.method == "GET":
        return _edit_page(paper, _form_values(paper), {}, 200)
    # A field the form did not send (a page from before the field existed) stays as it is.
    submitted = {name: request.form[name] for name in EDIT_FIELDS if name in request.form}
    library = get_home().library
    with writing:
        try:
            current = library.get(paper.id)
        except PaperNotFound:
            abort(404)
        if request.form.get("version") != version_of(current):
            flash(
                gettext(
                    "Someone changed this paper while you were editing it. Its current details "
                    "are below; please make your changes again."
                ),
                "error",
            )
            return _edit_page(current, _form_values(current), {}, 409)
        # One form, one Save: the details and the access are checked together, and nothing is
        # written unless all of it can be (a bad embargo date never half-saves the page).
        errors: dict[str, str] = {}
        updated = current
        try:
            updated = apply_edit(current, submitted)
        except InvalidEdit as error:
            errors = {name: library_message(text) for name, text in error.errors.items()}
        level, embargo = current.access, current.embargo
        try:
            if "access" in request.form:
                level = access_from(request.form["access"])
        except AccessError as error:
            errors["access"] = library_message(str(error))
        try:
            if "embargo" in request.form:
                embargo = embargo_from(request.form["embargo"])
        except AccessError as error:
            errors["embargo"] = library_message(str(error))
        if errors:
            shown = {**_form_values(current), **submitted}
            shown.update({k: request.form[k] for k in ("access", "embargo") if k in request.form})
            return _edit_page(current, shown, errors, 400)
        changed = [name for name in EDIT_FIELDS if getattr(updated, name) != getattr(current, name)]
        access_changed = (level, embargo) != (current.access, current.embargo)
        if access_changed:
            updated = dataclasses.replace(updated, access=level, embargo=embargo)
        if changed or access_changed:
            library.save(updated)
    then_lookup = request.form.get("then") == "lookup"
    if not changed and not access_changed:
        if then_lookup:
            return lookup(paper.id)
        flash(gettext("Nothing was changed."), "info")
        return redirect(url_for("papers.paper", paper_id=paper.id), 303)
    activity = staff_services().activity
    if changed:
        activity.record("edit", user=g.staff, id=paper.id, title=updated.title, fields=changed)
    if access_changed:
        activity.record(
            "access", user=g.staff, id=paper.id, title=updated.title, access=level, embargo=embargo
        )
    in_search = after_write([paper.id])
    said = []
    if changed:
        said.append(gettext("Saved the details."))
    if access_changed:
        said.append(access_done(level, embargo))
    if in_search:
        said.append(gettext("Search shows the change now."))
    else:
        said.append(
            gettext("Search will show the change in a moment (a bulk import is using the index).")
        )
    flash(" ".join(said), "info")
    if then_lookup:
        return lookup(paper.id)
    return redirect(url_for("papers.paper", paper_id=paper.id), 303)


def access_done(level: str, embargo: str | None) -> str:
    """What a change of access did, for a person ("Access set to Staff only.")."""
    name = str(ACCESS_NAMES.get(level, level))
    if embargo:
        day = format_date(date.fromisoformat(embargo), "medium")
        return gettext("Access set to %(level)s until %(day)s.", level=name, day=day)
    return gettext("Access set to %(level)s.", level=name)


def _edit_page(paper: Paper, values: dict[str, str], errors: dict[str, str], status: int) -> Any:
    return (
        render_template(
            "paper_edit.html",
            paper=paper,
            values=values,
            errors=errors,
            version=version_of(paper),
            doc_types=DOC_TYPE_LABELS,
            sources=SOURCE_LABELS,
            # The fields the curation queue doubts, so that the curator checks them first.
            doubts=doubted(field_confidence(paper)),
            can_look_up=crossref_client() is not None,
        ),
        status,
    )


@bp.post("/papers/<paper_id>/lookup")
@login_required
def lookup(paper_id: str) -> Any:
    """Ask Crossref afresh about the paper's DOI; values staff chose are kept."""
    paper = get_paper_or_404(paper_id)
    client = crossref_client()
    back = redirect(url_for("staff.edit", paper_id=paper.id), 303)
    if client is None:
        flash(
            gettext("Crossref lookups need a contact e-mail address: set crossref_mailto."),
            "error",
        )
        return back
    if not paper.doi:
        flash(gettext("This paper has no DOI to look up; add one first."), "error")
        return back
    library = get_home().library
    # The network wait happens outside the lock; the answer is applied to the current sidecar.
    answer = dataclasses.replace(paper, sources=dict(paper.sources), crossref={})
    result = look_up(answer, client, use_cache=False)
    if result.problem and not answer.crossref:
        flash(gettext("%(problem)s. Nothing was changed.", problem=result.problem), "error")
        return back
    with writing:
        try:
            current = library.get(paper.id)
        except PaperNotFound:
            abort(404)
        current.crossref = answer.crossref
        result = look_up(current, client)  # from the answer just cached: no second request
        library.save(current)
    if result.problem:
        flash(gettext("%(problem)s. Nothing was changed.", problem=result.problem), "info")
        return back
    staff_services().activity.record(
        "lookup", user=g.staff, id=paper.id, title=current.title, fields=result.changed
    )
    if result.changed:
        after_write([paper.id])
        flash(gettext("Crossref: updated %(fields)s.", fields=field_names(result.changed)), "info")
    else:
        flash(
            gettext("Crossref agrees with the details already here; nothing was changed."), "info"
        )
    return back


@bp.route("/papers/<paper_id>/remove", methods=["GET", "POST"])
@login_required
def remove(paper_id: str) -> Any:
    """Ask for confirmation (GET); remove the paper (POST from the confirmation page)."""
    paper = get_paper_or_404(paper_id)
    if request.method == "GET":
        return render_template("paper_remove.html", paper=paper)
    with writing:
        try:
            get_home().library.remove(paper.id)
        except PaperNotFound:
            abort(404)
        get_home().forget_requests(paper.id)
    staff_services().activity.record(
        "remove", user=g.staff, id=paper.id, title=paper.title, filename=paper.filename
    )
    if after_write([paper.id]):
        flash(gettext("Removed “%(title)s”.", title=paper.title), "info")
    else:
        flash(
            gettext(
                "Removed “%(title)s”. It leaves the search results in a moment "
                "(a bulk import is using the index).",
                title=paper.title,
            ),
            "info",
        )
    return redirect(url_for("staff.dashboard"), 303)
