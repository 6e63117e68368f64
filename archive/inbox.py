"""The upload inbox: where an uploaded file is kept, durably, until it has joined the library.

An upload is first *staged*: streamed into ``inbox/tmp/`` while its SHA-256 and size are worked
out (so it never sits whole in memory, and an oversized one is cut off early). When it passes
the checks it is *committed*: the file, flushed to disk, is renamed to ``inbox/<item>.pdf`` and
then ``inbox/<item>.json`` (who, when, the original name) is written atomically; the JSON is the
commit mark, so a file without one is debris. Only after the commit does the web page say
"received": from then on a crash or a restart loses nothing, because pending items are picked up
again at the next start. File names in the inbox are random ids, never the uploaded name.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

from archive.paper import utc_now
from archive.storage import atomic_write_json, fsync_dir

INBOX_FOLDER = "inbox"
# Held (flock) by the process turning inbox items into papers: one server process at a time.
PROCESSING_LOCK = ".processing.lock"
HEAD_BYTES = 1024
CHUNK = 1 << 20


class TooLarge(ValueError):
    """The upload is bigger than allowed (it was cut off and discarded)."""


@dataclass
class Staged:
    """An upload streamed to a temporary file, with what was learned on the way."""

    path: Path
    sha256: str
    size: int
    head: bytes


@dataclass
class InboxItem:
    """A committed upload waiting to join the library."""

    item: str
    batch: str
    filename: str
    user: str
    sha256: str
    size: int
    received: str
    # Who may read the paper once it is in (archive.access); items from before read as open.
    access: str = "open"

    def to_dict(self) -> dict[str, Any]:
        """The item's JSON form."""
        return asdict(self)


class Inbox:
    """The inbox folder of one archive home."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    @classmethod
    def in_home(cls, home: Path) -> Inbox:
        """The inbox of the archive at ``home``."""
        return cls(home / INBOX_FOLDER)

    def pdf_path(self, item: InboxItem) -> Path:
        """Where a committed item's file is (built from its random id alone)."""
        return self.root / f"{uuid.UUID(hex=item.item).hex}.pdf"

    @contextlib.contextmanager
    def stage(self, stream: BinaryIO, max_bytes: int) -> Iterator[Staged]:
        """Stream an upload to a temporary file; it is deleted when the block ends uncommitted.

        Raises :class:`TooLarge` as soon as more than ``max_bytes`` have arrived.
        """
        self.tmp.mkdir(parents=True, exist_ok=True)
        path = self.tmp / uuid.uuid4().hex
        digest = hashlib.sha256()
        size = 0
        head = b""
        try:
            with path.open("xb") as handle:
                for chunk in iter(lambda: stream.read(CHUNK), b""):
                    size += len(chunk)
                    if size > max_bytes:
                        raise TooLarge(size)
                    if len(head) < HEAD_BYTES:
                        head += chunk[: HEAD_BYTES - len(head)]
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            yield Staged(path=path, sha256=digest.hexdigest(), size=size, head=head)
        finally:
            path.unlink(missing_ok=True)

    def commit(
        self, staged: Staged, *, batch: str, filename: str, user: str, access: str = "open"
    ) -> InboxItem:
        """Keep a staged upload durably; when this returns, the file survives a crash."""
        item = InboxItem(
            item=uuid.uuid4().hex,
            batch=batch,
            filename=filename,
            user=user,
            sha256=staged.sha256,
            size=staged.size,
            received=utc_now(),
            access=access,
        )
        os.rename(staged.path, self.pdf_path(item))
        fsync_dir(self.root)
        atomic_write_json(self.root / f"{item.item}.json", item.to_dict())
        return item

    def pending(self) -> list[InboxItem]:
        """The committed items not yet processed, oldest first."""
        items = []
        if not self.root.is_dir():
            return items
        for meta in self.root.glob("*.json"):
            try:
                item = InboxItem(**json.loads(meta.read_text("utf-8")))
                if self.pdf_path(item).is_file():
                    items.append(item)
            except (OSError, ValueError, TypeError):
                continue  # removed meanwhile by the worker, or not ours
        return sorted(items, key=lambda item: (item.received, item.item))

    @contextlib.contextmanager
    def processing(self) -> Iterator[None]:
        """Held while items are turned into papers. Another server process of the home waits
        here until this one is done, then finds the items it processed gone from
        :meth:`pending`: no item is read twice, none is left behind."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / PROCESSING_LOCK, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
            yield

    def discard(self, item: InboxItem) -> None:
        """Forget a processed item (the commit mark first, so it is never processed twice)."""
        (self.root / f"{uuid.UUID(hex=item.item).hex}.json").unlink(missing_ok=True)
        self.pdf_path(item).unlink(missing_ok=True)

    def clean_tmp(self) -> None:
        """Delete what a crash left behind (only at start, when no upload is being received):
        half-received uploads; a file renamed into the inbox whose commit mark was never written
        (it was never acknowledged) or whose mark was already dropped (it was processed); the
        temporary file of a mark being written."""
        shutil.rmtree(self.tmp, ignore_errors=True)
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            unfinished_mark = path.name.startswith(".") and path.name.endswith(".tmp")
            unmarked_pdf = path.suffix == ".pdf" and not path.with_suffix(".json").exists()
            if path.is_file() and (unfinished_mark or unmarked_pdf):
                path.unlink(missing_ok=True)
