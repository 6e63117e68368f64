"""Staff login and logout, the signed-in curator for each request, and ``login_required``.

Flask's signed cookie (signed with the home's secret key) holds the user name and a random
session token; the account lists its open sessions (:mod:`archive.accounts`), and each request
checks the token is still among them. So a session ends on the server: at logout (a copy of the
cookie is worthless from then on), at "log out everywhere", at a new password, when the account
is removed, and 12 hours after the login at most. Nothing else about the account is in the
cookie.
"""

from __future__ import annotations

import contextlib
import functools
import shlex
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_wtf.csrf import CSRFError

from archive.accounts import AccountError
from webui.background import staff_services
from webui.extensions import limiter
from webui.i18n import N_

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable[..., Any])

MAX_NAME_FIELD = 100
STAFF_ONLY = "staff_only"  # the mark login_required leaves on a view
SESSION_TOKEN = "staff_session"  # the cookie's key for the session's token


def current_staff() -> str | None:
    """The name of the curator signed in for this request, or None."""
    return g.get("staff")


def wants_json() -> bool:
    """True for API calls and scripts (XHR uploads) that asked for JSON rather than a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _refusal() -> Any:
    if wants_json():
        return jsonify({"error": "Log in as staff first.", "status": 401}), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def login_required(view: F) -> F:
    """Refuse anonymous requests (so they change nothing): a redirect to the login page for
    people, a 401 for API clients. :func:`init_auth` refuses them even before the request body
    is read; the check here is the second line of defence."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_staff() is None:
            return _refusal()
        return view(*args, **kwargs)

    setattr(wrapped, STAFF_ONLY, True)
    return wrapped  # type: ignore[return-value]


def init_auth(app: Flask) -> None:
    """Install the per-request staff check. Call before ``csrf.init_app``: hooks run in order,
    and an anonymous upload is then refused before anything (the CSRF check included) parses
    its body, so strangers cannot make the server spool large bodies to disk."""
    app.before_request(load_staff)
    app.before_request(_refuse_anonymous)


def _refuse_anonymous() -> Any:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, STAFF_ONLY, False) and current_staff() is None:
        return _refusal()
    return None


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path on this site only (never another host)."""
    if target and "\\" not in target and not any(ord(c) < 32 for c in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            return target
    return url_for("staff.dashboard")


def load_staff() -> None:
    """Know who is signed in: the cookie's session must still be open on the server."""
    name = session.get("staff")
    if not name:
        return
    token = str(session.get(SESSION_TOKEN, ""))
    account = staff_services().accounts.session_account(str(name), token)
    if account:
        g.staff = account.name
    else:
        session.pop("staff", None)
        session.pop(SESSION_TOKEN, None)


@bp.app_context_processor
def staff_in_templates() -> dict[str, Any]:
    """``staff`` (the curator's name or None) in every template."""
    return {"staff": current_staff()}


@bp.after_app_request
def private_when_signed_in(response: Response) -> Response:
    """Pages seen by a curator carry their controls: no shared cache may keep them."""
    if current_staff() is not None or request.endpoint == "auth.login":
        response.headers.setdefault("Cache-Control", "private, no-store")
    return response


@bp.app_errorhandler(CSRFError)
def csrf_failed(_error: CSRFError) -> Any:
    """A form without a valid token: expired, or posted from another site. Nothing changed."""
    message = N_(
        "This form has expired or did not come from this site, so nothing was changed. "
        "Go back, reload the page and try again."
    )
    if wants_json():
        return jsonify({"error": message, "status": 400}), 400
    return render_template("error.html", code=400, message=gettext(message)), 400


def _add_command() -> str | None:
    """While this archive has no staff account at all, the exact command that makes one here
    (with the home this server serves: an account made in another home is the usual first-run
    mistake). Once one exists the path is not shown to the public."""
    if staff_services().accounts.list():
        return None
    return f"archive --home {shlex.quote(current_app.config['ARCHIVE_HOME'])} user add NAME"


# Every attempt is counted before its password is checked. Counting only failures, after the
# check, let parallel requests all pass the test before any was counted (24 at once: 8 checked
# against a limit of 5). A successful login uses up one attempt too, a small price.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Any:
    """The login form; on success, back to where the curator was going."""
    next_url = request.values.get("next", "")
    if request.method == "GET":
        return render_template(
            "login.html", next_url=next_url, username="", add_command=_add_command()
        )
    name = request.form.get("username", "")[:MAX_NAME_FIELD]
    password = request.form.get("password", "")
    accounts = staff_services().accounts
    account = accounts.authenticate(name, password) if name else None
    token = None
    if account is not None:
        # A fresh session (no fixation), valid for PERMANENT_SESSION_LIFETIME.
        lifetime = current_app.permanent_session_lifetime.total_seconds()
        with contextlib.suppress(AccountError):  # the account was removed a moment ago
            token = accounts.open_session(account.name, lifetime)
    if account is None or token is None:
        flash(gettext("Wrong user name or password."), "error")
        return render_template(
            "login.html", next_url=next_url, username=name, add_command=_add_command()
        ), 200
    session.clear()
    session.permanent = True
    session["staff"] = account.name
    session[SESSION_TOKEN] = token
    staff_services().activity.record("login", user=account.name)
    return redirect(safe_next(next_url), 303)


@bp.post("/logout")
def logout() -> Any:
    """End the session, on the server too (a POST with the CSRF token, so no other site can
    log anyone out)."""
    name = current_staff()
    if name:
        staff_services().accounts.close_session(name, str(session.get(SESSION_TOKEN, "")))
    session.clear()
    flash(gettext("You are logged out."), "info")
    return redirect(url_for("search.home"), 303)


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere() -> Any:
    """End every session of the signed-in curator, on every device, this one included (a
    forgotten browser at a conference, a lost laptop)."""
    name = current_staff()
    assert name is not None  # login_required
    try:
        ended = staff_services().accounts.close_all_sessions(name)
    except AccountError:  # removed meanwhile: its sessions are gone already
        ended = 1
    staff_services().activity.record("logout-everywhere", user=name, sessions=ended)
    session.clear()
    flash(
        ngettext(
            "You are logged out everywhere (%(num)s session ended).",
            "You are logged out everywhere (%(num)s sessions ended).",
            ended,
        ),
        "info",
    )
    return redirect(url_for("search.home"), 303)
