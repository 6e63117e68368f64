"""The staff side's shared objects: accounts, the activity journal, uploads and index syncing.

Made once per app by :func:`init_staff_services`; views reach them through the getters below.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from flask import Flask, current_app

from archive.accounts import AccountStore
from archive.activity import ActivityLog
from indexer.home import ArchiveHome
from indexer.index_sync import IndexSync
from indexer.ingest.ocr import DEFAULT_LANGUAGES
from indexer.ingest.uploads import UploadService
from webui.context import crossref_client

log = logging.getLogger(__name__)


@dataclass
class StaffServices:
    """What the staff views write through."""

    accounts: AccountStore
    activity: ActivityLog
    sync: IndexSync
    uploads: UploadService


def init_staff_services(app: Flask, home: ArchiveHome) -> StaffServices:
    """Create the services and resume unfinished work: uploads received before a restart, and
    papers the library and the index disagree about (an interrupted import, say)."""
    activity = ActivityLog(home.log_dir)
    sync = IndexSync(home.library, home.index)
    uploads = UploadService(
        home,
        sync,
        activity,
        max_file_bytes=int(app.config["UPLOAD_MAX_FILE_BYTES"]),
        ocr_languages=app.config.get("OCR_LANGUAGES") or DEFAULT_LANGUAGES,
        lookup=crossref_client(app.config) if app.config.get("CROSSREF_LOOKUP") else None,
    )
    services = StaffServices(AccountStore(home.root), activity, sync, uploads)
    app.extensions["staff_services"] = services
    if app.config.get("CLEAN_AT_START", True):  # else done before the server processes began
        uploads.inbox.clean_tmp()
    if uploads.inbox.pending():
        uploads.kick()
    # Comparing the library with the index reads every id: do it off the start-up path.
    threading.Thread(target=_reconcile, args=(sync,), name="index-reconcile", daemon=True).start()
    return services


def _reconcile(sync: IndexSync) -> None:
    """Queue the papers the library and the index disagree about. A failure (an index removed
    or damaged meanwhile) is logged, not left to kill the thread: /healthz and `archive verify`
    report such trouble."""
    try:
        sync.reconcile()
    except Exception:
        log.exception("comparing the library with the index at start failed")


def staff_services() -> StaffServices:
    """The services of the current app."""
    return current_app.extensions["staff_services"]
