"""Crash-safe file writes: write a temporary file beside the target, flush it to disk, rename.

A rename within one directory is atomic on POSIX file systems, so a reader (or a crash) sees
either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
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


def _write_synced(handle: BinaryIO, write: Any) -> None:
    write(handle)
    handle.flush()
    os.fsync(handle.fileno())


def _atomic_write(target: Path, write: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            _write_synced(handle, write)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def _copier(source: Path | BinaryIO) -> Any:
    def write(handle: BinaryIO) -> None:
        if isinstance(source, Path):
            with source.open("rb") as src:
                shutil.copyfileobj(src, handle, 1 << 20)
        else:
            shutil.copyfileobj(source, handle, 1 << 20)

    return write


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` atomically."""
    _atomic_write(target, lambda handle: handle.write(data))


def atomic_write_json(target: Path, value: Any) -> None:
    """Replace ``target`` with ``value`` serialised as UTF-8 JSON, atomically."""
    atomic_write_bytes(target, _json_bytes(value))


# Files in a private work folder need no rename of their own: the folder is renamed into place
# once complete. They are only flushed to disk, so the folder is whole when it appears.


def new_file_json(target: Path, value: Any) -> None:
    """Create ``target`` (which must not exist) holding ``value`` as JSON, flushed to disk."""
    with target.open("xb") as handle:
        _write_synced(handle, lambda h: h.write(_json_bytes(value)))


def new_file_copy(source: Path | BinaryIO, target: Path) -> None:
    """Create ``target`` (which must not exist) as a copy of ``source``, flushed to disk."""
    with target.open("xb") as handle:
        _write_synced(handle, _copier(source))


def new_file_bytes(target: Path, data: bytes) -> None:
    """Create ``target`` (which must not exist) holding ``data``, flushed to disk."""
    with target.open("xb") as handle:
        _write_synced(handle, lambda h: h.write(data))


def owner_only(path: Path) -> None:
    """Create ``path`` (empty) if it is missing, readable and writable by the owner alone, and
    tighten it if it was made readable by others before: for files holding personal data
    (readers' names and addresses, client addresses in logs). A file that cannot be changed
    (another owner) is left as it is."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    with contextlib.suppress(OSError):
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
