"""The web front end: a Flask application factory and its blueprints.

It calls the same library and search code as the command line and never reimplements it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from archive.config import resolve_home
from indexer.home import ArchiveHome

# The largest request body accepted (uploads will be the only big ones).
MAX_CONTENT_LENGTH = 200 * 1024 * 1024
PDF_CACHE_SECONDS = 7 * 24 * 3600


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``ARCHIVE_HOME`` in ``config`` chooses the archive (else the default)."""
    app = Flask(__name__)
    app.config.from_mapping(
        ARCHIVE_HOME=None,
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        SEND_FILE_MAX_AGE_DEFAULT=PDF_CACHE_SECONDS,
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.from_mapping(config)
    home_path = resolve_home(app.config["ARCHIVE_HOME"])
    app.config["ARCHIVE_HOME"] = str(home_path)
    app.extensions["archive_home"] = ArchiveHome.at(Path(home_path))

    from webui import api, discovery, downloads, errors, openapi, pages, search_views

    app.register_blueprint(search_views.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(discovery.bp)
    app.register_blueprint(openapi.bp)
    app.add_url_rule("/healthz", "healthz", api.healthz)
    errors.register(app)
    return app
