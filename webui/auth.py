"""Staff login and logout, the signed-in curator for each request, and ``login_required``.

Sessions live in Flask's signed cookie (signed with the home's secret key): it holds the user
name and the account's session fingerprint, which changes with every new password, so changing
a password or removing a user ends their sessions at the next request. Nothing else about the
account is in the cookie.
"""

from __future__ import annotations

import functools
import hmac
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
from flask_wtf.csrf import CSRFError

from webui.background import staff_services
from webui.extensions import limiter

bp = Blueprint("auth", __name__)

F = TypeVar("F", bound=Callable[..., Any])

MAX_NAME_FIELD = 100
STAFF_ONLY = "staff_only"  # the mark login_required leaves on a view


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
    """Know who is signed in, checking the account still exists with the same password."""
    name = session.get("staff")
    if not name:
        return
    account = staff_services().accounts.get(str(name))
    fingerprint = str(session.get("staff_fp", ""))
    if account and hmac.compare_digest(account.fingerprint, fingerprint):
        g.staff = account.name
    else:
        session.pop("staff", None)
        session.pop("staff_fp", None)


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
    message = (
        "This form has expired or did not come from this site, so nothing was changed. "
        "Go back, reload the page and try again."
    )
    if wants_json():
        return jsonify({"error": message, "status": 400}), 400
    return render_template("error.html", code=400, message=message), 400


# Every attempt is counted before its password is checked. Counting only failures, after the
# check, let parallel requests all pass the test before any was counted (24 at once: 8 checked
# against a limit of 5). A successful login uses up one attempt too, a small price.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Any:
    """The login form; on success, back to where the curator was going."""
    next_url = request.values.get("next", "")
    if request.method == "GET":
        return render_template("login.html", next_url=next_url, username="")
    name = request.form.get("username", "")[:MAX_NAME_FIELD]
    password = request.form.get("password", "")
    account = staff_services().accounts.authenticate(name, password) if name else None
    if account is None:
        flash("Wrong user name or password.", "error")
        return render_template("login.html", next_url=next_url, username=name), 200
    # A fresh session (no fixation), valid for PERMANENT_SESSION_LIFETIME.
    session.clear()
    session.permanent = True
    session["staff"] = account.name
    session["staff_fp"] = account.fingerprint
    staff_services().activity.record("login", user=account.name)
    return redirect(safe_next(next_url), 303)


@bp.post("/logout")
def logout() -> Any:
    """End the session (a POST with the CSRF token, so no other site can log anyone out)."""
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("search.home"), 303)
