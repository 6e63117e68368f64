"""``/healthz``: whether this archive can serve searches and accept writes, for monitors.

200 with the paper and page counts when it can; 503 with a reason a person understands when it
cannot (a load balancer or systemd watchdog takes it out of service, someone reads the reason).
"""

from __future__ import annotations

import os
import tempfile

from flask import jsonify

from webui.context import get_home


def _library_writable() -> str | None:
    """None when a file can be written in the library's work area, else why not."""
    library = get_home().library
    try:
        library.tmp.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"{os.getpid()}-healthz-", dir=library.tmp)
        try:
            os.write(fd, b"ok")  # a byte, not just an inode: a full disk fails here
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as error:
        return f"the library folder is not writable ({error.strerror or error})"
    return None


def healthz():  # type: ignore[no-untyped-def]
    """``{"status": "ok", "papers": N, "pages": N}``, or 503 ``{"status": "unavailable",
    "reason": ...}``."""
    try:
        figures = get_home().index.stats()
    except Exception as error:  # whatever a damaged or vanished index makes Whoosh raise
        reason = f"the search index cannot be read ({type(error).__name__})"
        figures = None
    else:
        reason = _library_writable()
    if reason:
        response = jsonify({"status": "unavailable", "reason": reason})
        response.status_code = 503
    else:
        # The documented two figures, as the public sees the archive: a staff-only paper is
        # no paper to an anonymous monitor (nor are its pages).
        figures = figures or {}
        counted = {
            "papers": figures.get("listed", 0),
            "pages": figures.get("listed_pages", 0),
        }
        response = jsonify({"status": "ok", **counted})
    response.headers["Cache-Control"] = "no-store"
    return response
