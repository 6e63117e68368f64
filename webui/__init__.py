"""The web front end: a Flask application factory, its blueprints in three areas.

The modules at this level are the app factory (this module) and what every area uses: the
signed-in curator (``auth``), the staff services started with the app (``background``), the
paper gates (``context``), extensions, error pages, languages (``i18n``, ``labels``) and
absolute URLs (``urls``). The areas: ``webui.public`` (what any reader meets),
``webui.staff`` (the curators' pages) and ``webui.server`` (serving under load).

It calls the same library and search code as the command line and never reimplements it:
``webui`` imports ``archive`` and ``indexer`` (never ``indexer.cli``), ``indexer`` never
imports ``webui``. Settings are read once, with one precedence, by :mod:`archive.settings`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from archive.config import resolve_home
from archive.instance_secret import load_or_create_secret
from archive.settings import Settings, load_settings
from archive.usage import UsageStore
from indexer.home import ArchiveHome

log = logging.getLogger(__name__)

PDF_CACHE_SECONDS = 7 * 24 * 3600


def _flask_config(settings: Settings) -> dict[str, Any]:
    """Flask's configuration from the archive's settings."""
    return {
        # The largest request body (uploads): the same limit as waitress's (archive serve).
        "MAX_CONTENT_LENGTH": settings.max_request_bytes,
        "SEND_FILE_MAX_AGE_DEFAULT": PDF_CACHE_SECONDS,
        "JSON_SORT_KEYS": False,
        "EXPORT_MAX_PAPERS": settings.export_max_papers,
        "EXPORT_MAX_BYTES": settings.export_max_bytes,
        "PUBLIC_BASE_URL": settings.public_base_url,
        # Requests naming another host are refused (400), so the Host can be believed.
        "TRUSTED_HOSTS": list(settings.trusted_hosts) or None,
        # Staff sessions: a signed cookie that scripts cannot read, not sent on cross-site
        # requests other than top-level links, and (behind HTTPS) never over plain HTTP.
        "PREFERRED_URL_SCHEME": settings.preferred_url_scheme,
        "SESSION_COOKIE_SECURE": settings.session_cookie_secure,
        "SECRET_KEY": settings.secret_key,  # None: the home's own key, made on first run
        "SESSION_COOKIE_NAME": "archive_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        # A CSRF token lasts as long as the session, so a form left open over lunch still posts.
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_RATE_LIMIT": settings.login_rate_limit,
        "RATELIMIT_STORAGE_URI": settings.ratelimit_storage_uri,
        "RATELIMIT_HEADERS_ENABLED": True,
        "UPLOAD_MAX_FILE_BYTES": settings.upload_max_file_bytes,
        "UPLOAD_MAX_FILES": settings.upload_max_files,
        "MAX_FORM_BYTES": settings.max_form_bytes,
        "EXPORT_SLOTS": settings.export_slots,
        "EXPORT_BUILDS": settings.export_builds,
        "EXPORT_SPOOL_BYTES": settings.export_spool_bytes,
        "EXPORT_RATE_LIMIT": settings.export_rate_limit,
        "DEEP_PAGE_RATE_LIMIT": settings.deep_page_rate_limit,
        # Metadata by DOI (the edit page's Crossref button).
        "CROSSREF_MAILTO": settings.crossref_mailto,
        "CROSSREF_URL": settings.crossref_url,
        "CROSSREF_TIMEOUT": settings.crossref_timeout,
        # Uploads are read as a bulk import is: OCR in these languages, looked up when set.
        "CROSSREF_LOOKUP": settings.crossref_lookup,
        "OCR_LANGUAGES": settings.ocr_languages,
        "USAGE_COUNTING": settings.usage_counting,
        "USAGE_RETENTION_DAYS": settings.usage_retention_days,
        "PREVIEW_CACHE_BYTES": settings.preview_cache_bytes,
        "PREVIEW_TIMEOUT": settings.preview_timeout,
        "PREVIEW_RATE_LIMIT": settings.preview_rate_limit,
        "INLINE_SCRIPTED_PDFS": settings.inline_scripted_pdfs,
        # Access levels and requests for a copy (webui/public/copy_requests.py).
        "DEFAULT_ACCESS": settings.default_access,
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": settings.smtp_port,
        "SMTP_SECURITY": settings.smtp_security,
        "SMTP_USER": settings.smtp_user,
        "SMTP_PASSWORD": settings.smtp_password,
        "SMTP_SENDER": settings.smtp_sender,
        "COPY_REQUEST_NOTIFY": settings.copy_request_notify,
        "COPY_LINK_DAYS": settings.copy_link_days,
        "COPY_REQUEST_RETENTION_DAYS": settings.copy_request_retention_days,
        "COPY_REQUEST_RATE_LIMIT": settings.copy_request_rate_limit,
        # Readers' questions to the charity (webui/public/questions.py).
        "QUESTION_RETENTION_DAYS": settings.question_retention_days,
        "QUESTION_RATE_LIMIT": settings.question_rate_limit,
        "QUESTION_DAILY_LIMIT": settings.question_daily_limit,
        "QUESTION_NOTIFY": settings.question_notify or settings.copy_request_notify,
        # The interface's language when neither the switch nor Accept-Language picks one.
        "DEFAULT_LANGUAGE": settings.default_language,
        "BABEL_DEFAULT_LOCALE": "en",
    }


def create_app(config: Mapping[str, Any] | None = None, settings: Settings | None = None) -> Flask:
    """Build the app. ``ARCHIVE_HOME`` in ``config`` chooses the archive (else the default).

    The app's settings come from ``settings`` when given (``archive serve`` has read them),
    else from the environment and ``HOME/config.toml``; keys in ``config`` win over both.
    """
    app = Flask(__name__)
    home_path = resolve_home((config or {}).get("ARCHIVE_HOME"))
    if settings is None:
        settings = load_settings(home_path)
        for warning in settings.warnings:
            log.warning("%s", warning)
    app.config.from_mapping(_flask_config(settings))
    if config:
        app.config.from_mapping(config)
    app.config["ARCHIVE_HOME"] = str(home_path)
    home = ArchiveHome.at(Path(home_path))
    app.extensions["archive_home"] = home
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = load_or_create_secret(home.root)
    if app.config["PREFERRED_URL_SCHEME"] == "https":
        app.config["SESSION_COOKIE_SECURE"] = True

    from webui import auth, errors, urls
    from webui.background import init_staff_services
    from webui.extensions import csrf, limiter
    from webui.i18n import init_i18n
    from webui.public import api, discovery, downloads, openapi, pages, search_views
    from webui.server import health, usage
    from webui.server.export_spool import ExportSpool
    from webui.server.throttle import init_throttle
    from webui.staff import curation, uploads, usage_views

    urls.init_urls(app)
    init_i18n(app)  # before anything renders: error pages too are in the reader's language
    auth.init_auth(app)  # first: anonymous staff requests are refused before any body is read
    init_throttle(app)  # then the body and rate limits, before anything reads a body
    csrf.init_app(app)
    limiter.init_app(app)
    app.extensions["export_spool"] = ExportSpool.in_home(
        home.root,
        slots=app.config["EXPORT_SLOTS"],
        builds=app.config["EXPORT_BUILDS"],
        max_bytes=app.config["EXPORT_SPOOL_BYTES"],
        clean=app.config.get("CLEAN_AT_START", True),
    )
    init_staff_services(app, home)
    app.register_blueprint(search_views.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(discovery.bp)
    from webui.public import feeds

    app.register_blueprint(feeds.bp)
    app.register_blueprint(openapi.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(uploads.bp)
    app.register_blueprint(curation.bp)
    app.extensions["usage_store"] = UsageStore(home.root)
    usage.init_usage(app, app.extensions["usage_store"])
    app.register_blueprint(usage_views.bp)
    from webui.public import copy_requests
    from webui.staff import access_views

    app.register_blueprint(copy_requests.bp)
    app.register_blueprint(access_views.bp)
    from webui.public import questions

    app.register_blueprint(questions.bp)
    app.add_url_rule("/healthz", "healthz", health.healthz)
    from webui.public import page_images

    page_images.init_page_images(app, home)
    errors.register(app)
    return app
