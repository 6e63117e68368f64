"""Request a copy: readers ask for an on-request paper, staff approve or decline in one click.

The reader's form (name, e-mail, purpose) is CSRF-protected, rate limited per address
(``COPY_REQUEST_RATE_LIMIT``) and carries a honeypot field that people never see: a bot that
fills it is thanked and nothing is stored. Staff are e-mailed about each new request
(``COPY_REQUEST_NOTIFY``) and see the open ones on the dashboard. An approval e-mails the reader
a signed link (itsdangerous, with the app's secret key) that downloads that one paper until it
expires (``COPY_LINK_DAYS``), and only while the paper is still on request (or open): a paper
made staff-only or removed ends its links (a removal deletes its requests too). A decline
e-mails a polite refusal. A request nobody answers expires after
``COPY_REQUEST_RETENTION_DAYS`` (the reader is told so). Without SMTP settings the requests
still reach the dashboard, and the pages say the charity will answer.

The reader's address is one address (:func:`archive.mail.single_address`), and the staff's
e-mail carries links only when the archive knows its own address (:func:`webui.urls.mail_url`):
a forged Host header never becomes a link in a curator's inbox.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, gettext, ngettext
from itsdangerous import BadSignature, URLSafeSerializer

from archive.copy_requests import (
    APPROVED,
    DECLINED,
    CopyRequest,
    CopyRequestStore,
    RequestNotOpen,
)
from archive.library import PaperNotFound
from archive.paper import Paper, is_paper_id
from webui.auth import login_required
from webui.context import get_home, get_paper_or_404
from webui.extensions import limiter
from webui.i18n import current_language
from webui.mailer import mail_settings, send_if_configured
from webui.public.reader_forms import (
    contact_errors,
    home_store,
    in_staff_language,
    reader_contact,
    sent_by_a_bot,
)
from webui.urls import external_url, mail_url

bp = Blueprint("copies", __name__)


@bp.record_once
def _open_store(state) -> None:  # type: ignore[no-untyped-def]
    # Opened as the app starts, so a store left readable by others is tightened at once.
    app = state.app
    app.extensions["copy_requests"] = CopyRequestStore(Path(app.config["ARCHIVE_HOME"]))


LINK_SALT = "copy-link"
MAX_PURPOSE = 2000


def copy_store() -> CopyRequestStore:
    """The app's store of copy requests."""
    return home_store("copy_requests", CopyRequestStore)


# --- signed links -------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def link_token(request_id: str, paper_id: str, expires: int) -> str:
    """The signed token of a copy link: one request, one paper, until ``expires`` (Unix time).
    The expiry is inside the signature, so nobody can extend it."""
    return _serializer().dumps({"r": request_id, "p": paper_id, "e": int(expires)})


def copy_link(request_id: str, paper_id: str) -> str:
    """The absolute download link e-mailed to a reader whose request was approved. Without
    a configured address it is built from the signed-in curator's own request (a CSRF-checked
    form their browser sent), not from a stranger's."""
    expires = int(time.time()) + int(current_app.config["COPY_LINK_DAYS"]) * 86400
    return external_url(
        "copies.download_copy", paper_id=paper_id, token=link_token(request_id, paper_id, expires)
    )


def _link_problem(paper_id: str, token: str) -> str | None:
    """Why the link cannot be used, in words for the reader; None when it can."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return gettext(
            "This download link is not valid. Please use the link exactly as it was e-mailed."
        )
    if not isinstance(data, dict) or data.get("p") != paper_id:
        return gettext("This download link is for another paper.")
    if int(data.get("e", 0)) < time.time():
        return gettext(
            "This download link has expired. You may ask for a copy again on the paper's page."
        )
    found = copy_store().get(str(data.get("r", "")))
    if found is None or found.status != APPROVED or found.paper_id != paper_id:
        return gettext("This download link is no longer valid.")
    return None


def _paper_for_link(paper_id: str) -> Paper | None:
    """The paper a link downloads, while it is still on request or open (a paper made
    staff-only, or removed, ends every link to it)."""
    try:
        paper = get_home().library.get(paper_id)
    except PaperNotFound:
        return None
    return paper if paper.may_list() else None


@bp.get("/papers/<paper_id>/copy/<token>")
def download_copy(paper_id: str, token: str) -> Any:
    """The PDF for the reader holding a signed, unexpired link; never kept by any cache."""
    from webui.public.pages import send_pdf

    if not is_paper_id(paper_id):
        abort(404)
    problem = _link_problem(paper_id, token)
    if problem:
        return render_template("error.html", code=403, message=problem), 403
    paper = _paper_for_link(paper_id)
    if paper is None:
        message = "This paper is no longer available through this link."
        return render_template("error.html", code=403, message=message), 403
    return send_pdf(paper, as_attachment=True, shared=False)


# --- the reader's form --------------------------------------------------------------------------


def requestable(paper: Paper) -> bool:
    """Whether the public may ask for a copy of ``paper`` (listed, but not readable)."""
    return paper.may_list() and not paper.may_read()


@bp.app_template_global()
def mail_configured() -> bool:
    """Whether the archive sends e-mail (templates say what readers can expect)."""
    return mail_settings().configured


def _form_errors(name: str, email: str, purpose: str) -> dict[str, str]:
    errors = contact_errors(
        name, email, gettext("Please give an e-mail address such as name@example.org.")
    )
    if not name:
        errors["name"] = gettext("Please give your name.")
    if not purpose:
        errors["purpose"] = gettext("Please say what you need the paper for.")
    elif len(purpose) > MAX_PURPOSE:
        errors["purpose"] = gettext(
            "Please say it in at most %(most)s characters.", most=MAX_PURPOSE
        )
    return errors


@bp.post("/papers/<paper_id>/request-copy")
@limiter.limit(lambda: current_app.config["COPY_REQUEST_RATE_LIMIT"])
def request_copy(paper_id: str) -> Any:
    """Record a reader's request and tell the staff."""
    paper = get_paper_or_404(paper_id)
    back = redirect(url_for("papers.paper", paper_id=paper.id) + "#request-copy", 303)
    if not requestable(paper):
        flash(gettext("This paper is open to everyone: download it here."), "info")
        return back
    if sent_by_a_bot():  # thank it, keep nothing
        flash(gettext("Thank you: your request has been sent to the charity."), "info")
        return back
    name, email = reader_contact()
    purpose = request.form.get("purpose", "").strip()
    errors = _form_errors(name, email, purpose)
    if errors:
        values = {"name": name, "email": email, "purpose": purpose}
        from webui.public.pages import paper_page

        return paper_page(paper, copy_values=values, copy_errors=errors, status=400)
    store = copy_store()
    days = int(current_app.config["COPY_REQUEST_RETENTION_DAYS"])
    store.purge(days)
    # The reader is answered in the language they asked in; the staff in the archive's own.
    store.add(paper.id, name, email, purpose, language=current_language())
    with in_staff_language():
        send_if_configured(
            current_app.config.get("COPY_REQUEST_NOTIFY"),
            *_staff_notice(paper, name, email, purpose),
        )
    expiry = " " + gettext(
        "A request not answered within %(days)s days is deleted; you may then ask again.",
        days=days,
    )
    if mail_configured():
        flash(
            gettext(
                "Thank you: your request has been sent to the charity. You will get an e-mail "
                "when they have looked at it."
            )
            + expiry,
            "info",
        )
    else:
        flash(
            gettext("Thank you: your request has been sent to the charity, who will answer you.")
            + expiry,
            "info",
        )
    return back


def _staff_notice(paper: Paper, name: str, email: str, purpose: str) -> tuple[str, str]:
    """The subject and body of the curators' e-mail about a new request. Its links come only
    from the archive's configured address; without one it says where to look instead."""
    paper_link = mail_url("papers.paper", paper_id=paper.id)
    dashboard = mail_url("staff.dashboard")
    where = paper_link or gettext("(paper id %(id)s)", id=paper.id[:12])
    if dashboard:
        answer = gettext(
            "Approve or decline it on the staff dashboard: %(dashboard)s", dashboard=dashboard
        )
    else:
        answer = gettext(
            "Approve or decline it on the staff dashboard of the archive (sign in, then "
            "Dashboard, Requests for a copy). This e-mail carries no links: the archive's "
            "public_base_url is not set."
        )
    body = gettext(
        "%(reader)s asks for a copy of\n\n  %(title)s\n  %(where)s\n\n"
        "Purpose:\n%(purpose)s\n\n%(answer)s\n",
        reader=f"{name} <{email}>",
        title=paper.title,
        where=where,
        purpose=purpose,
        answer=answer,
    )
    return gettext("Request for a copy: %(title)s", title=paper.title), body


# --- the staff's side ---------------------------------------------------------------------------


@bp.app_template_global()
def open_copy_requests() -> list[dict[str, Any]]:
    """The open requests with their papers' titles, for the staff dashboard."""
    store = copy_store()
    store.purge(int(current_app.config["COPY_REQUEST_RETENTION_DAYS"]))
    rows = []
    library = get_home().library
    for item in store.open_requests():
        try:
            title = library.get(item.paper_id).title
        except PaperNotFound:
            title = None
        rows.append({"request": item, "title": title})
    return rows


def _answer(decided: CopyRequest, paper: Paper, status: str) -> tuple[str, str]:
    """The subject and text of the e-mail answering a request, in the reader's language."""
    days = int(current_app.config["COPY_LINK_DAYS"])
    with force_locale(decided.language or "en"):
        if status == APPROVED:
            expiry = ngettext(
                "You may download it here until the link expires in %(num)s day:",
                "You may download it here until the link expires in %(num)s days:",
                days,
            )
            body = gettext(
                "Dear %(name)s,\n\nYou asked for a copy of\n\n  %(title)s\n\n%(expiry)s\n\n"
                "  %(link)s\n\nThe copy is for your own use only; please do not pass it on.\n",
                name=decided.name,
                title=paper.title,
                expiry=expiry,
                link=copy_link(decided.id, paper.id),
            )
            return gettext("Your copy of %(title)s", title=paper.title), body
        body = gettext(
            "Dear %(name)s,\n\nThank you for asking for a copy of\n\n  %(title)s\n\n"
            "We are sorry that we cannot send it to you: we are not allowed to share it. "
            "The journal or the authors may be able to help.\n",
            name=decided.name,
            title=paper.title,
        )
        return gettext("Your request for %(title)s", title=paper.title), body


def _decide(request_id: str, status: str) -> Any:
    store = copy_store()
    back = redirect(url_for("staff.dashboard") + "#copy-requests", 303)
    try:
        decided = store.decide(request_id, status, g.staff)
    except RequestNotOpen:
        flash(gettext("That request was already answered (or is gone)."), "info")
        return back
    try:
        paper = get_home().library.get(decided.paper_id)
    except PaperNotFound:
        flash(gettext("The paper of that request is no longer in the archive."), "error")
        return back
    subject, body = _answer(decided, paper, status)
    reader = f"{decided.name} <{decided.email}>"
    sent = send_if_configured(decided.email, subject, body)
    if sent:
        if status == APPROVED:
            flash(gettext("Approved: %(name)s has been e-mailed.", name=decided.name), "info")
        else:
            flash(gettext("Declined: %(name)s has been e-mailed.", name=decided.name), "info")
    elif status == APPROVED:
        flash(
            gettext(
                "Approved, but no e-mail could be sent. Send %(reader)s this link yourself: "
                "%(link)s",
                reader=reader,
                link=copy_link(decided.id, paper.id),
            ),
            "error",
        )
    else:
        flash(
            gettext("Declined, but no e-mail could be sent to %(email)s.", email=decided.email),
            "error",
        )
    return back


@bp.post("/staff/copy-requests/<request_id>/approve")
@login_required
def approve(request_id: str) -> Any:
    """Approve a request: the reader gets a link to download that one paper."""
    return _decide(request_id, APPROVED)


@bp.post("/staff/copy-requests/<request_id>/decline")
@login_required
def decline(request_id: str) -> Any:
    """Decline a request: the reader gets a polite refusal."""
    return _decide(request_id, DECLINED)
