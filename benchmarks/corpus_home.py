"""An archive home holding the shared corpus, imported once and kept under /tmp for benchmarks.

The import runs only when the home is absent or incomplete (a marker file is written at the
end), so the load and rebuild benchmarks can be re-run without paying for extraction again.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_HOME = Path("/tmp/archive-bench/corpus-home")
DONE = ".imported"


def corpus_home(home: Path = DEFAULT_HOME) -> Path:
    """The home with the shared corpus imported (importing it now if needed)."""
    if (home / DONE).is_file():
        return home
    if not CORPUS.is_dir():
        raise SystemExit(f"The shared corpus is not at {CORPUS}.")
    print(f"Importing {CORPUS} into {home} (once)...", flush=True)
    # Exit status 1 means some files failed (the corpus has broken ones on purpose): fine here.
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), "import", str(CORPUS)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):
        raise SystemExit(f"The import failed:\n{result.stdout}")
    print(result.stdout.strip().splitlines()[0], flush=True)
    (home / DONE).write_text("ok\n")
    return home
