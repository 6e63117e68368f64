"""The staff activity journal: what was uploaded, edited and removed, by whom, and what failed.

One JSON object per line in ``logs/activity.jsonl`` in the home. Each event is appended with a
single ``write`` to a file opened with ``O_APPEND``, so lines from several threads or processes
never interleave; a line cut short by a crash is skipped when reading. The staff dashboard and the
upload results page read it; nothing else depends on it (it is a log, not a source of truth).
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from archive.paper import utc_now

ACTIVITY_FILE = "activity.jsonl"
# Reading keeps at most this many of the latest events in memory.
READ_WINDOW = 5000


class ActivityLog:
    """The journal of one archive home."""

    def __init__(self, log_dir: Path) -> None:
        self.path = log_dir / ACTIVITY_FILE

    def record(self, action: str, **fields: Any) -> dict[str, Any]:
        """Append an event (``action`` such as "upload", "edit", "remove") and return it."""
        event = {"time": utc_now(), "action": action, **fields}
        line = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line  # after a line cut short by a crash, start afresh
            os.write(fd, line)
        finally:
            os.close(fd)
        return event

    def _lines(self) -> Iterator[dict[str, Any]]:
        try:
            handle = self.path.open("r", encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        with handle:
            for line in deque(handle, maxlen=READ_WINDOW):
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # a line cut short by a crash
                if isinstance(event, dict):
                    yield event

    def recent(self, limit: int = 50, *, failures_only: bool = False) -> list[dict[str, Any]]:
        """The latest events, newest first."""
        events = [
            event for event in self._lines() if not failures_only or event.get("status") == "failed"
        ]
        return events[::-1][:limit]

    def batch(self, batch_id: str) -> list[dict[str, Any]]:
        """The events of one upload batch, in the order they happened."""
        return [event for event in self._lines() if event.get("batch") == batch_id]
