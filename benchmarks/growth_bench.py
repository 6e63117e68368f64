"""Growth benchmark: how index size, build time, build memory, search latency and a searching
process's memory grow from 10,000 to 100,000 pages (and 300,000 once, by hand).

    python -m benchmarks.growth_bench [--sizes 10000,30000,100000] [--rounds 2] [--workdir DIR]

The papers are those of :mod:`benchmarks.search_bench` (its deterministic generator over the
shared corpus's sentences, the same seed): the first papers of a larger index are the papers
of a smaller one. The index is built once, growing: each size adds the papers after the last
size's in its own process (one writer, one commit, as a large import's batches do), so each
step's build time and peak memory are its own, and the cumulative time is what building that
size took. Every size is then searched in a fresh process with the query kinds of
``search_bench`` (public searches with answers, as the web asks): p50/p95 per kind, and that
process's peak memory (what one server process holds to serve this index). Figures print as a
table (the README's growth table is copied from it). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import search_bench

DEFAULT_SIZES = (10_000, 30_000, 100_000)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _index_mb(index_dir: Path) -> float:
    return sum(f.stat().st_size for f in index_dir.iterdir() if f.is_file()) / 1e6


def grow(workdir: Path, pages_from: int, pages_to: int) -> dict:
    """Add to the growth index the generated papers that take it from ``pages_from`` to
    ``pages_to`` pages (one commit); the step's figures as a dict."""
    from indexer.index import SearchIndex, paper_documents

    sources = search_bench.sentences_by_paper(search_bench.corpus_home(workdir))
    index = SearchIndex(workdir / "growth-index")
    if pages_from == 0:
        index.create()
    rng = random.Random(search_bench.SEED)
    started = time.perf_counter()
    cpu = time.process_time()
    papers = made = 0
    with index.writer() as writer:
        # The generator is asked for the largest size, so that a paper is never cut short
        # at a step's border: the first papers are the same whatever the target.
        for paper, pages in search_bench.synthetic_papers(sources, 10**9, rng):
            if made >= pages_to:
                break
            if made >= pages_from:
                for document in paper_documents(paper, pages):
                    writer.add_document(**document)
            made += len(pages)
            papers += 1
    return {
        "pages": made,
        "papers": papers,
        "seconds": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu,
        "peak_mb": _peak_rss_mb(),
        "index_mb": _index_mb(workdir / "growth-index"),
    }


def measure(workdir: Path, rounds: int) -> dict:
    """Search the growth index as it stands: p50/p95 (ms) per query kind, peak memory."""
    from indexer.engine.search import search
    from indexer.index import SearchIndex

    sources = search_bench.sentences_by_paper(search_bench.corpus_home(workdir))
    index = SearchIndex(workdir / "growth-index")
    kinds = search_bench.queries(sources, random.Random(search_bench.SEED + 1))
    every = [item for items in kinds.values() for item in items]
    started = time.perf_counter()
    for text, filters in every:  # warm-up: open files, fill Whoosh's and the OS's caches
        search(index, text, filters=filters, facets=True)
    warm_s = time.perf_counter() - started
    timings: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(rounds):
        for kind, items in kinds.items():
            for text, filters in items:
                started = time.perf_counter()
                search(index, text, filters=filters, facets=True)
                timings[kind].append((time.perf_counter() - started) * 1000)
    every_ms = [ms for values in timings.values() for ms in values]
    timings["all"] = every_ms
    return {
        "kinds": {
            kind: [statistics.median(v), search_bench.percentile(v, 0.95)]
            for kind, v in timings.items()
        },
        "warm_s": warm_s,
        "peak_mb": _peak_rss_mb(),
        "stats": index.stats(),
    }


def _child(args: list[str]) -> dict:
    """Run one step of this benchmark in a fresh process; its JSON answer."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.growth_bench", *args],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _load() -> str:
    return "/".join(f"{value:.1f}" for value in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="Pages, comma-separated."
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/growth-bench"))
    parser.add_argument("--step", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        print(json.dumps(grow(args.workdir, *args.step)))
        return 0
    if args.measure:
        print(json.dumps(measure(args.workdir, args.rounds)))
        return 0
    if not search_bench.CORPUS.is_dir():
        print(f"the shared corpus is not at {search_bench.CORPUS}", file=sys.stderr)
        return 2
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    search_bench.corpus_home(args.workdir)  # imported once, before any timing
    rows = []
    previous = 0
    total_s = 0.0
    for size in sizes:
        print(f"growing the index to {size} pages (load {_load()}) ...", flush=True)
        step = _child(["--workdir", str(args.workdir), "--step", str(previous), str(size)])
        total_s += step["seconds"]
        print(f"searching {size} pages ...", flush=True)
        found = _child(["--workdir", str(args.workdir), "--measure", "--rounds", str(args.rounds)])
        rows.append((size, step, total_s, found, _load()))
        previous = step["pages"]
    kinds = list(rows[0][3]["kinds"])
    print(
        "\n  pages   papers  index MB  build s (step, s per 1k pages)  build peak MB  "
        "search peak MB  load"
    )
    before = 0
    for _size, step, total, found, load in rows:
        added, before = step["pages"] - before, step["pages"]
        print(
            f"{step['pages']:>7} {found['stats']['papers']:>8} {step['index_mb']:>9.0f} "
            f"{total:>8.0f} ({step['seconds']:.0f}, {step['seconds'] / added * 1000:.1f})"
            f"{step['peak_mb']:>20.0f}{found['peak_mb']:>16.0f}  {load}"
        )
    print("\nsearch p50 / p95 (ms), public, a first page of 10 results with snippets and facets")
    print(f"{'kind':<16}" + "".join(f"{row[1]['pages']:>16}" for row in rows))
    for kind in kinds:
        print(
            f"{kind:<16}"
            + "".join(
                f"{row[3]['kinds'][kind][0]:>8.0f} / {row[3]['kinds'][kind][1]:<5.0f}"
                for row in rows
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
