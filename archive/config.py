"""Where a running archive keeps its files (its *home*)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "ARCHIVE_HOME"
APP_DIR_NAME = "conservation-archive"


def default_home() -> Path:
    """The home used when neither ``--home`` nor ``ARCHIVE_HOME`` is given.

    Follows the XDG base directory convention (``$XDG_DATA_HOME``, else ``~/.local/share``),
    so the archive's data never lands inside the installed package or the current directory.
    """
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / APP_DIR_NAME


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The archive home: the explicit choice, else ``$ARCHIVE_HOME``, else :func:`default_home`."""
    chosen = explicit or os.environ.get(ENV_HOME)
    return Path(chosen).expanduser().resolve() if chosen else default_home()
