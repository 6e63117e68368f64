"""Drawn page previews kept on disk under the home, within a size cap, oldest used dropped first.

A preview is named by a digest of everything that decides its pixels (the paper's id, which is
its PDF's SHA-256, the page, the words marked, the drawing's version), so the name is also its
ETag, a preview never goes stale, and nothing a reader typed becomes part of a path.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import time
from pathlib import Path

from archive.storage import atomic_write_bytes
from indexer.pictures.page_images import WordsToMark

# Bump when the drawing changes (size, colours, format): old previews are then never used.
RENDER_VERSION = 1
CACHE_DIR = Path("cache") / "previews"
SUFFIX = ".png"
# Evicting down to this share of the cap leaves room, so not every new preview scans the folder.
LOW_WATER = 0.9
# A preview that fits no cache is kept this long for its response to open it, then deleted.
UNCACHED_KEEP_S = 60.0


def preview_key(paper_id: str, number: int, words: WordsToMark) -> str:
    """The name (and ETag) of a preview."""
    parts = [
        str(RENDER_VERSION),
        paper_id,
        str(number),
        " ".join(sorted(words.terms)),
        " ".join(sorted(words.prefixes)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class PreviewCache:
    """Preview files in ``root`` (``HOME/cache/previews``), at most ``max_bytes`` in all."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._total: int | None = None  # bytes held, counted on first write

    @classmethod
    def in_home(cls, home_root: Path, max_bytes: int) -> PreviewCache:
        """The cache of one archive home."""
        return cls(home_root / CACHE_DIR, max_bytes)

    def _path(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("not a preview key")
        return self.root / key[:2] / (key + SUFFIX)

    def get(self, key: str) -> Path | None:
        """The cached preview's file, marked as just used; None when not cached."""
        path = self._path(key)
        try:
            os.utime(path)
        except FileNotFoundError:
            return None
        return path

    def put(self, key: str, data: bytes) -> Path:
        """Keep a preview; drops the least recently used ones beyond the cap."""
        path = self._path(key)
        if self.max_bytes <= 0:
            return self._uncached(key, data)
        atomic_write_bytes(path, data)
        with self._lock:
            if self._total is None:
                self._total = sum(size for _, size, _ in self._files())
            else:
                self._total += len(data)
            if self._total > self.max_bytes:
                self._evict(keep=path)
        return path if path.is_file() else self._uncached(key, data)

    def _uncached(self, key: str, data: bytes) -> Path:
        # A cap of 0 (or one preview larger than the cap): still served, from a file kept
        # just long enough to be opened and sent; older ones are deleted here, so the folder
        # holds a minute's previews at most, not every preview ever drawn.
        folder = self.root / "uncached"
        path = folder / (key + SUFFIX)
        atomic_write_bytes(path, data)
        cutoff = time.time() - UNCACHED_KEEP_S
        for entry in folder.glob("*" + SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                if entry != path and entry.stat().st_mtime < cutoff:
                    entry.unlink()
        return path

    def _files(self) -> list[tuple[float, int, Path]]:
        found = []
        if not self.root.is_dir():
            return found
        for entry in self.root.glob("??/*" + SUFFIX):
            with contextlib.suppress(FileNotFoundError):
                stat = entry.stat()
                found.append((stat.st_mtime, stat.st_size, entry))
        return found

    def _evict(self, keep: Path) -> None:
        files = sorted(self._files(), key=lambda item: item[0])
        total = sum(size for _, size, _ in files)
        target = int(self.max_bytes * LOW_WATER)
        for _, size, path in files:
            if total <= target:
                break
            if path == keep and total - size > 0:
                continue
            path.unlink(missing_ok=True)
            total -= size
        self._total = total

    def size(self) -> int:
        """Bytes the cached previews take."""
        return sum(size for _, size, _ in self._files())
