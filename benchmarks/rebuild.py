"""Benchmark: rebuilding the search index of the shared corpus from the library's text cache.

Two figures: ``archive reindex`` (a person asks for it) and the automatic rebuild when the
index folder is found missing at start (``ArchiveHome.at``). Neither reads a PDF. This prints
figures; it asserts nothing.

Usage::

    python -m benchmarks.rebuild [--home /tmp/archive-bench/corpus-home] [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.corpus_home import DEFAULT_HOME, corpus_home
from indexer.home import ArchiveHome


def time_reindex(home: Path) -> float:
    """Seconds for `archive reindex` as a command (start-up of Python included)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), "reindex"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def time_rebuild_at_start(home: Path) -> float:
    """Seconds for ArchiveHome.at to notice a deleted index and rebuild it, in process."""
    shutil.rmtree(home / "index")
    started = time.perf_counter()
    ArchiveHome.at(home)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    home = corpus_home(args.home)
    figures = ArchiveHome.at(home).index.stats()
    print(f"Home {home}: {figures['papers']} papers, {figures['pages']} pages with text.")
    reindex = [time_reindex(home) for _ in range(args.runs)]
    at_start = [time_rebuild_at_start(home) for _ in range(args.runs)]
    for label, times in (("archive reindex", reindex), ("rebuild at start", at_start)):
        best, median = min(times), statistics.median(times)
        print(
            f"{label:>17}: best {best:.2f} s, median {median:.2f} s over {len(times)} runs "
            f"({figures['pages'] / best:.0f} pages/s)"
        )


if __name__ == "__main__":
    main()
