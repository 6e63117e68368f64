"""Long downloads that never hold a server thread: an export is written to a file, then handed
to the server as a file.

The ZIP of all matches used to be a generator that waitress ran in one of its few worker
threads for as long as the client took to read it: four phones on a poor line stopped every
search. Now the view writes the whole export (ZIP, or the citations of all matches) to a
temporary file and returns it through ``wsgi.file_wrapper``; waitress sends it from its I/O
loop, as it sends a PDF, and the thread is free as soon as the file is written (a fraction of a
second for a 50 MB ZIP from the page cache). Writing costs disk, not memory, and ZIPs of stored
PDFs are written about as fast as the files are copied.

Bounds, each a setting: at most ``slots`` exports in flight (being written or being read),
``builds`` being written at once (writing is what holds a thread), and ``max_bytes`` of disk for
all of them, never leaving less than :data:`FREE_MARGIN` free; beyond any of these the request
gets :class:`ExportsBusy` (503 with Retry-After), never a wait.

The files live under ``HOME/tmp/exports`` (the home's disk, not a ``/tmp`` that may be memory)
and are unnamed from the start (``O_TMPFILE``, or unlinked at once where that is missing), so
their disk is freed when the download ends, when the client goes away (waitress closes the
file), and when the process dies: nothing is left to clean up after a crash or a restart.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask_babel import gettext, ngettext

from archive.settings import MiB

SPOOL_FOLDER = Path("tmp") / "exports"
# Disk an export may never take from the machine (the library and the index live there too).
FREE_MARGIN = 256 * MiB
# How long to tell a client to wait: another export is being written (seconds), or the slots
# or the disk are taken by downloads in progress (which last as long as their readers).
RETRY_BUILD_S = 5
RETRY_SLOTS_S = 30


class ExportsBusy(Exception):
    """No export can be started now; ``str(error)`` says why, for a person."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass
class SpoolUse:
    """What the spool holds at a moment (for tests, monitoring and the benchmark)."""

    in_flight: int
    building: int
    bytes: int


class ExportSpool:
    """Counts the exports in flight and the disk they take; thread-safe."""

    def __init__(self, folder: Path, *, slots: int, builds: int, max_bytes: int) -> None:
        self.folder = folder
        self.slots = slots
        self.builds = builds
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._in_flight = 0
        self._building = 0
        self._bytes = 0

    @classmethod
    def in_home(
        cls, home: Path, *, slots: int, builds: int, max_bytes: int, clean: bool = True
    ) -> ExportSpool:
        """The spool of the archive at ``home``, its folder made and, when ``clean``, emptied of
        leftovers (not while another server process of the home may be writing there)."""
        folder = home / SPOOL_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        if clean:
            cls.clear_leftovers(home)
        return cls(folder, slots=slots, builds=builds, max_bytes=max_bytes)

    @staticmethod
    def clear_leftovers(home: Path) -> None:
        """Delete what a crash left in the spool (a file named for an instant, where the system
        cannot make unnamed files)."""
        folder = home / SPOOL_FOLDER
        if not folder.is_dir():
            return
        for leftover in folder.iterdir():
            with contextlib.suppress(OSError):
                leftover.unlink()

    def use(self) -> SpoolUse:
        """How many exports are in flight and being written, and their bytes."""
        with self._lock:
            return SpoolUse(self._in_flight, self._building, self._bytes)

    def write(self, size: int, produce: Callable[[IO[bytes]], None]) -> SpooledFile:
        """A file holding the ``size`` bytes ``produce`` writes, ready to read from its start.

        Raises :class:`ExportsBusy` when a bound would be passed. The file's ``close`` gives
        its slot and bytes back; closing it is the caller's (the server's) duty."""
        self._reserve(size)
        try:
            handle = tempfile.TemporaryFile(dir=self.folder)  # noqa: SIM115 (the server closes it)
        except BaseException:
            self._release(size, built=False)
            raise
        try:
            produce(handle)
            handle.flush()
            handle.seek(0)
        except BaseException:
            handle.close()
            self._release(size, built=False)
            raise
        with self._lock:
            self._building -= 1
        return SpooledFile(handle, lambda: self._release(size, built=True))

    def _reserve(self, size: int) -> None:
        with self._lock:
            if self._in_flight >= self.slots:
                raise ExportsBusy(
                    ngettext(
                        "%(num)s download of search results is in progress, the most this "
                        "archive serves at once. Please try again in a minute.",
                        "%(num)s downloads of search results are in progress, the most this "
                        "archive serves at once. Please try again in a minute.",
                        self._in_flight,
                    ),
                    RETRY_SLOTS_S,
                )
            if self._building >= self.builds:
                raise ExportsBusy(
                    gettext(
                        "Another download is being prepared. Please try again in a few seconds."
                    ),
                    RETRY_BUILD_S,
                )
            if self._bytes + size > self.max_bytes or not self._disk_has_room(size):
                raise ExportsBusy(
                    gettext(
                        "The archive has no room to prepare this download just now. Please try "
                        "again later, or narrow the search to download fewer papers."
                    ),
                    RETRY_SLOTS_S,
                )
            self._in_flight += 1
            self._building += 1
            self._bytes += size

    def _disk_has_room(self, size: int) -> bool:
        try:
            return shutil.disk_usage(self.folder).free - size >= FREE_MARGIN
        except OSError:
            return False

    def _release(self, size: int, built: bool) -> None:
        with self._lock:
            self._in_flight -= 1
            self._bytes -= size
            if not built:
                self._building -= 1


class SpooledFile:
    """A spooled export, read by the server: closing it (once the last byte is sent, or the
    client is gone) frees its disk and its slot."""

    def __init__(self, handle: IO[bytes], release: Callable[[], None]) -> None:
        self._handle = handle
        self._release: Callable[[], None] | None = release

    def read(self, size: int = -1) -> bytes:
        return self._handle.read(size)

    # seek and tell let waitress send the file from its I/O loop instead of a worker thread.
    def seek(self, offset: int, whence: int = 0) -> int:
        return self._handle.seek(offset, whence)

    def tell(self) -> int:
        return self._handle.tell()

    def seekable(self) -> bool:
        return True

    @property
    def closed(self) -> bool:
        return self._release is None

    def __del__(self) -> None:
        # A response dropped without being closed (an error after the view) still gives back
        # its slot, or the spool would shrink for good.
        self.close()

    def close(self) -> None:
        release, self._release = self._release, None
        if release is None:
            return
        try:
            self._handle.close()
        finally:
            release()
