"""Crash-safe file writes: write a temporary file beside the target, flush it to disk, rename.

A rename within one directory is atomic on POSIX file systems, so a reader (or a crash) sees
either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, BinaryIO


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new entry in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(target: Path, write: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically."""
    _atomic_write(target, lambda handle: handle.write(data))


def atomic_write_json(target: Path, value: Any) -> None:
    """Replace ``target`` with ``value`` serialised as UTF-8 JSON, atomically."""
    data = json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")
    atomic_write_bytes(target, data)


def atomic_copy(source: Path | BinaryIO, target: Path) -> None:
    """Copy a file (a path or an open binary stream) to ``target`` atomically."""

    def write(handle: BinaryIO) -> None:
        if isinstance(source, Path):
            with source.open("rb") as src:
                shutil.copyfileobj(src, handle, 1 << 20)
        else:
            shutil.copyfileobj(source, handle, 1 << 20)

    _atomic_write(target, write)
