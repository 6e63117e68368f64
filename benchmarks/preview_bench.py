"""Benchmark: how long a page preview takes to draw, over the pages of the shared corpus.

For the first pages of every paper in a home (by default the corpus home that ``make
bench-import`` builds), one word of the page's own text is looked for and marked, as a
reader's preview does; each page is drawn through the web app's preview worker
(:class:`indexer.pictures.page_render_worker.PreviewRenderer`: PDFium, the highlights, PNG, and the
trip to and from its process), uncached. Prints p50, p95 and the slowest [target p95 < 300 ms].

Usage::

    python -m benchmarks.preview_bench [--home /tmp/import-bench/corpus-home] [--pages 3]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from archive.library import THUMBNAIL_NAME
from indexer.home import ArchiveHome
from indexer.pictures.page_images import words_to_mark
from indexer.pictures.page_render_worker import PreviewRenderer

DEFAULT_HOME = Path("/tmp/import-bench/corpus-home")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(home: ArchiveHome, pages_per_paper: int) -> dict[str, float]:
    """Draw the first ``pages_per_paper`` pages of every paper once; the figures in ms."""
    renderer = PreviewRenderer(timeout_s=60)
    times: list[float] = []
    slowest = ("", 0, 0.0)
    try:
        for paper in home.library.papers():
            if not home.library.derived_path(paper.id, THUMBNAIL_NAME).is_file():
                continue  # PDFium cannot open it: the placeholder is served, nothing drawn
            texts = home.library.page_texts(paper.id)
            pdf = home.library.pdf_path(paper.id)
            for number, text in enumerate(texts[:pages_per_paper], start=1):
                word = next(iter(re.findall(r"[^\W\d_]{5,}", text)), "the")
                started = time.perf_counter()
                renderer.render(pdf, number, words_to_mark(word))
                elapsed = (time.perf_counter() - started) * 1000
                times.append(elapsed)
                if elapsed > slowest[2]:
                    slowest = (paper.filename, number, elapsed)
    finally:
        renderer.close()
    return {
        "pages": len(times),
        "p50": statistics.median(times),
        "p95": _percentile(times, 0.95),
        "max": slowest[2],
        "slowest": f"{slowest[0]} page {slowest[1]}",
    }


def report(home_path: Path, pages_per_paper: int = 3) -> None:
    """Print the preview figures of a home."""
    home = ArchiveHome.at(home_path)
    figures = measure(home, pages_per_paper)
    print(f"Page previews ({figures['pages']} corpus pages, uncached, through the worker):")
    print(
        f"  p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms (target < 300 ms), "
        f"slowest {figures['max']:.0f} ms ({figures['slowest']})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME)
    parser.add_argument("--pages", type=int, default=3, help="Pages of each paper drawn.")
    args = parser.parse_args()
    if not (args.home / "library").is_dir():
        raise SystemExit(f"No archive home at {args.home}: run `make bench-import` first.")
    report(args.home, args.pages)


if __name__ == "__main__":
    main()
