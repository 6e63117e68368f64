"""The web front end: a Flask application factory and its blueprints.

It calls the same library and search code as the command line and never reimplements it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from archive.config import resolve_home
from archive.settings import Settings, load_settings
from indexer.home import ArchiveHome

log = logging.getLogger(__name__)

PDF_CACHE_SECONDS = 7 * 24 * 3600


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
    app.config.from_mapping(
        # The largest request body (uploads): the same limit as waitress's (archive serve).
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        SEND_FILE_MAX_AGE_DEFAULT=PDF_CACHE_SECONDS,
        JSON_SORT_KEYS=False,
        EXPORT_MAX_PAPERS=settings.export_max_papers,
        EXPORT_MAX_BYTES=settings.export_max_bytes,
        PUBLIC_BASE_URL=settings.public_base_url,
    )
    if config:
        app.config.from_mapping(config)
    app.config["ARCHIVE_HOME"] = str(home_path)
    app.extensions["archive_home"] = ArchiveHome.at(Path(home_path))

    from webui import api, discovery, downloads, errors, health, openapi, pages, search_views

    app.register_blueprint(search_views.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(discovery.bp)
    app.register_blueprint(openapi.bp)
    app.add_url_rule("/healthz", "healthz", health.healthz)
    errors.register(app)
    return app
