"""Uploading papers from the browser (staff only): the form, and the results of each upload.

The form is a plain multipart POST that works without JavaScript; ``static/upload.js`` adds
drag-and-drop and a progress bar on top. The POST keeps every file durably in the inbox (see
:mod:`indexer.ingest.uploads`) and redirects to the upload's results page, which refreshes itself
until every file has an outcome: added, duplicate of another paper, or failed with a reason.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_number, gettext
from werkzeug.exceptions import RequestEntityTooLarge

from archive.access import AccessError, access_from
from indexer.ingest.uploads import RECEIVED, batch_outcomes, is_batch_id, new_batch_id
from webui.auth import login_required, wants_json
from webui.background import staff_services
from webui.labels import library_message

bp = Blueprint("uploads", __name__)


def human_size(size: int) -> str:
    """A byte count as people say it (1.5 MB, 300 KB)."""
    if size >= 1024 * 1024:
        return gettext("%(num)s MB", num=format_number(round(size / (1024 * 1024))))
    return gettext("%(num)s KB", num=format_number(max(1, size // 1024)))


def _limits() -> dict[str, Any]:
    config = current_app.config
    return {
        "max_file": human_size(int(config["UPLOAD_MAX_FILE_BYTES"])),
        "max_request": human_size(int(config["MAX_CONTENT_LENGTH"])),
        "max_files": int(config["UPLOAD_MAX_FILES"]),
    }


@bp.get("/upload")
@login_required
def form() -> Any:
    """The upload form."""
    return render_template("upload.html", limits=_limits())


@bp.post("/upload")
@login_required
def receive() -> Any:
    """Keep each uploaded file in the inbox, then show the upload's results."""
    files = [f for f in request.files.getlist("files") if f.filename]
    limits = _limits()
    problem = None
    access = current_app.config["DEFAULT_ACCESS"]
    if not files:
        problem = gettext("Choose one or more PDF files to upload.")
    elif len(files) > limits["max_files"]:
        problem = gettext("At most %(num)s files at once, please.", num=limits["max_files"])
    else:
        try:
            access = access_from(request.form.get("access") or access)
        except AccessError as error:
            problem = library_message(str(error))
    if problem:
        if wants_json():
            return jsonify({"error": problem, "status": 400}), 400
        flash(problem, "error")
        return render_template("upload.html", limits=limits), 400
    batch = new_batch_id()
    uploads = staff_services().uploads
    rows = [
        uploads.receive(
            storage.stream, storage.filename, batch=batch, user=g.staff, seq=seq, access=access
        )
        for seq, storage in enumerate(files)
    ]
    target = url_for("uploads.batch", batch_id=batch)
    if wants_json():
        return jsonify({"batch": batch, "url": target, "files": rows}), 201
    return redirect(target, 303)


@bp.get("/upload/batches/<batch_id>")
@login_required
def batch(batch_id: str) -> Any:
    """Each file of one upload with its outcome; refreshes while some are still being read."""
    if not is_batch_id(batch_id):
        abort(404)
    rows = batch_outcomes(staff_services().activity, batch_id)
    if not rows:
        abort(404)
    pending = sum(row.get("status") == RECEIVED for row in rows)
    if wants_json():
        return jsonify({"batch": batch_id, "pending": pending, "files": rows})
    return render_template("upload_batch.html", rows=rows, pending=pending)


@bp.app_errorhandler(RequestEntityTooLarge)
def too_large(_error: RequestEntityTooLarge) -> Any:
    """A request over MAX_CONTENT_LENGTH: say what the limit is (nothing was kept)."""
    limits = _limits()
    message = gettext(
        "That upload is too large: at most %(total)s at once, and %(each)s per file. "
        "Nothing was kept; try fewer files at a time.",
        total=limits["max_request"],
        each=limits["max_file"],
    )
    if wants_json():
        return jsonify({"error": message, "status": 413}), 413
    return render_template("error.html", code=413, message=message), 413
