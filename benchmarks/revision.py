"""Another git revision's code, for a benchmark's "before" column."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def unpack_revision(revision: str, folder: Path) -> Path | str:
    """The packages ``indexer`` and ``archive`` of git ``revision`` unpacked into ``folder``
    (``git archive``: no worktree is added to the repository), or why they could not be.
    A process started in ``folder`` imports them instead of this tree's."""
    try:
        archived = subprocess.run(
            ["git", "-C", str(REPO), "archive", "--format=tar", revision, "indexer", "archive"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        return f"revision {revision[:12]} not available here ({error})"
    with tarfile.open(fileobj=io.BytesIO(archived)) as tar:
        tar.extractall(folder, filter="data")
    return folder
