"""The per-installation secret that signs session cookies, made on first run, kept in the home.

Every installation gets its own random key, so a cookie signed by one archive means nothing to
another, and nobody has to invent or configure a key. Deleting the file signs every staff member
out (a new key is made at the next start); that is also how to rotate it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

SECRET_FILE = "secret-key"
SECRET_BYTES = 32


def load_or_create_secret(home_root: Path) -> str:
    """The home's secret key, creating it (mode 0600) when there is none yet.

    Safe when two processes start at once: the key is written to a private temporary file and
    linked into place, which fails if the other process got there first; then both use its key.
    """
    target = home_root / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        return _read(target)
    home_root.mkdir(parents=True, exist_ok=True)
    tmp = home_root / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, target)  # atomic create-if-absent, unlike a rename
    finally:
        tmp.unlink(missing_ok=True)
    return _read(target)


def _read(path: Path) -> str:
    key = path.read_text("ascii").strip()
    if len(key) < SECRET_BYTES:
        raise ValueError(f"the secret key in {path} is too short; delete it to make a new one")
    return key
