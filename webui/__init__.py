"""The web front end: a Flask application factory and its blueprints.

It calls the same library and search code as the command line and never reimplements it.

Settings come from, in increasing priority: the defaults below, environment variables named
``ARCHIVE_`` + a key of :data:`ENV_SETTINGS` (``ARCHIVE_PREFERRED_URL_SCHEME=https``,
``ARCHIVE_TRUSTED_PROXIES=1``), and the ``config`` mapping given to :func:`create_app`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from archive.config import resolve_home
from archive.instance_secret import load_or_create_secret
from indexer.home import ArchiveHome

log = logging.getLogger(__name__)

# The largest request body accepted: an upload of several PDFs (werkzeug answers 413 beyond).
MAX_CONTENT_LENGTH = 200 * 1024 * 1024
UPLOAD_MAX_FILE_BYTES = 100 * 1024 * 1024
PDF_CACHE_SECONDS = 7 * 24 * 3600

DEFAULTS: dict[str, Any] = {
    "ARCHIVE_HOME": None,
    "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
    "SEND_FILE_MAX_AGE_DEFAULT": PDF_CACHE_SECONDS,
    "JSON_SORT_KEYS": False,
    # Staff sessions: a signed cookie that scripts cannot read, not sent on cross-site
    # requests other than top-level links, and (behind HTTPS) never sent over plain HTTP:
    # set PREFERRED_URL_SCHEME=https or SESSION_COOKIE_SECURE=true when served over HTTPS.
    "SECRET_KEY": None,  # None: the home's own key, made on first run (archive.instance_secret)
    "SESSION_COOKIE_NAME": "archive_session",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    # A CSRF token lasts as long as the session, so a form left open over lunch still posts.
    "WTF_CSRF_TIME_LIMIT": None,
    "LOGIN_RATE_LIMIT": "5 per minute; 30 per hour",
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    "UPLOAD_MAX_FILE_BYTES": UPLOAD_MAX_FILE_BYTES,
    "UPLOAD_MAX_FILES": 50,
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto/-Host (0: none,
    # the headers are ignored, as anyone could send them).
    "TRUSTED_PROXIES": 0,
}


# The settings `archive serve` takes from ARCHIVE_<KEY> variables, with their types (other
# modules read their own, such as webui.downloads' export caps).
ENV_SETTINGS: dict[str, type] = {
    "PREFERRED_URL_SCHEME": str,
    "SESSION_COOKIE_SECURE": bool,
    "TRUSTED_PROXIES": int,
    "SECRET_KEY": str,
    "LOGIN_RATE_LIMIT": str,
    "RATELIMIT_STORAGE_URI": str,
    "UPLOAD_MAX_FILE_BYTES": int,
    "UPLOAD_MAX_FILES": int,
    "MAX_CONTENT_LENGTH": int,
}


def settings_from_env() -> dict[str, Any]:
    """The :data:`ENV_SETTINGS` given in the environment; a value of the wrong type is ignored
    with a warning (the default stays) rather than stopping the server at start."""
    found: dict[str, Any] = {}
    for key, kind in ENV_SETTINGS.items():
        raw = os.environ.get(f"ARCHIVE_{key}")
        if raw is None:
            continue
        if kind is bool:
            value: Any = raw.strip().lower() in {"1", "true", "yes", "on"}
        elif kind is int:
            try:
                value = int(raw)
            except ValueError:
                log.warning("ignoring ARCHIVE_%s=%r: not a whole number", key, raw)
                continue
        else:
            value = raw
        found[key] = value
    return found


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``ARCHIVE_HOME`` in ``config`` chooses the archive (else the default)."""
    app = Flask(__name__)
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(settings_from_env())
    if config:
        app.config.from_mapping(config)
    home_path = resolve_home(app.config["ARCHIVE_HOME"])
    app.config["ARCHIVE_HOME"] = str(home_path)
    home = ArchiveHome.at(Path(home_path))
    app.extensions["archive_home"] = home
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_or_create_secret(home.root)
    if app.config["PREFERRED_URL_SCHEME"] == "https":
        app.config["SESSION_COOKIE_SECURE"] = True
    proxies = int(app.config["TRUSTED_PROXIES"])
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    from webui import (
        api,
        auth,
        discovery,
        downloads,
        errors,
        openapi,
        pages,
        search_views,
        staff,
        uploads,
    )
    from webui.background import init_staff_services
    from webui.extensions import csrf, limiter

    auth.init_auth(app)  # first: anonymous staff requests are refused before any body is read
    csrf.init_app(app)
    limiter.init_app(app)
    init_staff_services(app, home)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(discovery.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(uploads.bp)
    app.register_blueprint(staff.bp)
    app.add_url_rule("/healthz", "healthz", api.healthz)
    errors.register(app)
    return app
