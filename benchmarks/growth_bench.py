"""Growth benchmark: how index size, build time, build memory, search latency and a searching
process's memory grow from 10,000 to 100,000 pages (and 300,000 once, by hand).

    python -m benchmarks.growth_bench [--sizes 10000,30000,100000] [--rounds 2] [--workdir DIR]
        [--batch-pages 1000] [--optimize]
    python -m benchmarks.growth_bench --sizes 300000 --resume   # grows the workdir's index on

The papers are those of :mod:`benchmarks.search_bench` (its deterministic generator over the
shared corpus's sentences, the same seed): the first papers of a larger index are the papers
of a smaller one. The index is built once, growing: each size adds the papers after the last
size's in its own process, committed as an import commits them (``index_papers``, one commit
per batch of at most ``BATCH_PAPERS`` papers or ``BATCH_PAGES`` pages, Whoosh's default merge
policy at each commit; ``--batch-pages 0``: one commit per step), so the index has the
segments an import leaves. Each step's build time and peak memory are its own, and the
cumulative time is what building that size took. The build here also analyses the text (an
import's workers do that), so its CPU is the whole cost of indexing a page.

Every size is then searched in a fresh process with the query kinds of ``search_bench``
(public searches with answers, as the web asks): p50/p95 per kind, and that process's peak
memory (what one server process holds to serve this index). With ``--optimize``, the index is
then merged into one segment and searched again (what segment count costs a search).

Times are given twice, wall (``perf_counter``) and CPU of the process (``process_time``): the
machine is shared, and wall figures swing with its load (printed with each step; a search is
single-threaded, so its CPU time is what it costs on an idle core).

Index size: only the files of the current generation (its table of contents and the files of
the segments it lists). A commit keeps the files of generations retired less than
``OBSOLETE_GRACE_S`` ago (searches begun on them still read them), so the folder holds more
than the index for two minutes after a commit; that total is printed beside it ("dir MB").

Figures print as a table (the README's growth table is copied from it). Nothing is asserted.
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
from typing import Any

from benchmarks import search_bench

DEFAULT_SIZES = (10_000, 30_000, 100_000)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_files(index_dir: Path) -> tuple[list[Path], int]:
    """The files of the index's current generation (its table of contents and its segments'
    files), and how many segments it has. Files kept for retired generations are left out."""
    from whoosh import index as whoosh_index
    from whoosh.index import TOC

    ix = whoosh_index.open_dir(index_dir)
    generation = ix.latest_generation()
    segments = ix._segments()
    ids = {segment.segment_id() for segment in segments}
    pattern = TOC._segment_pattern(ix.indexname)
    toc_name = TOC._filename(ix.indexname, generation)
    files = [
        index_dir / name
        for name in ix.storage.list()
        if name == toc_name or ((match := pattern.match(name)) and match.group(1) in ids)
    ]
    return files, len(segments)


def _index_mb(index_dir: Path) -> float:
    """The size of the index's current generation (not of every file in the folder)."""
    return sum(f.stat().st_size for f in current_files(index_dir)[0]) / 1e6


def _dir_mb(index_dir: Path) -> float:
    return sum(f.stat().st_size for f in index_dir.iterdir() if f.is_file()) / 1e6


def _batches(items, batch_pages: int):
    """``items`` (paper, pages) in batches as an import commits them."""
    from indexer.ingest.importer import BATCH_PAPERS

    batch: list = []
    pages = 0
    for paper, texts in items:
        batch.append((paper, texts))
        pages += len(texts)
        if batch_pages and (len(batch) >= BATCH_PAPERS or pages >= batch_pages):
            yield batch
            batch, pages = [], 0
    if batch:
        yield batch


def grow(workdir: Path, pages_from: int, pages_to: int, batch_pages: int) -> dict:
    """Add to the growth index the generated papers that take it from ``pages_from`` to
    ``pages_to`` pages (committed per batch, as an import does); the step's figures."""
    from indexer.index import SearchIndex, index_papers
    from indexer.merging import MB, TieredMerge

    sources = search_bench.sentences_by_paper(search_bench.corpus_home(workdir))
    index = SearchIndex(workdir / "growth-index")
    if pages_from == 0:
        index.create()
    merges: list[float] = []  # MB read by each merge an ordinary commit did
    index.merge_policy = TieredMerge(
        merged=lambda chosen: merges.append(sum(s.bytes for s in chosen) / MB) if chosen else None
    )
    rng = random.Random(search_bench.SEED)

    def wanted():
        made = 0
        # The generator is asked for the largest size, so that a paper is never cut short
        # at a step's border: the first papers are the same whatever the target.
        for paper, pages in search_bench.synthetic_papers(sources, 10**9, rng):
            if made >= pages_to:
                return
            if made >= pages_from:
                yield paper, pages
            made += len(pages)

    started = time.perf_counter()
    cpu = time.process_time()
    papers = commits = added = 0
    slowest = 0.0  # the longest commit: the writer's lock is held, uploads wait for it
    slowest_cpu = 0.0  # its CPU time (the wall time swings with the machine's load)
    for batch in _batches(wanted(), batch_pages):
        began, began_cpu = time.perf_counter(), time.process_time()
        merged_before = len(merges)
        index_papers(index, batch)
        wall, cpu_commit = time.perf_counter() - began, time.process_time() - began_cpu
        if wall > slowest:
            slowest, slowest_cpu = wall, cpu_commit
        merged_now = merges[-1] if len(merges) > merged_before else 0.0
        if merged_now or commits % 20 == 0:
            # On standard error, as it goes: a long run stopped early still says something.
            pages = pages_from + added + sum(len(texts) for _, texts in batch)
            print(
                f"    commit {commits + 1}: {pages} pages, {wall:.1f} s ({cpu_commit:.1f} s CPU),"
                f" merged {merged_now:.0f} MB, load {_load()}",
                file=sys.stderr,
                flush=True,
            )
        commits += 1
        papers += len(batch)
        added += sum(len(pages) for _, pages in batch)
    seconds, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    files, segments = current_files(workdir / "growth-index")
    return {
        "pages": pages_from + added,
        "added": added,
        "papers": papers,
        "commits": commits,
        "slowest_batch_s": slowest,
        "slowest_batch_cpu_s": slowest_cpu,
        "seconds": seconds,
        "cpu_s": cpu_s,
        "peak_mb": _peak_rss_mb(),
        "index_mb": sum(f.stat().st_size for f in files) / 1e6,
        "dir_mb": _dir_mb(workdir / "growth-index"),
        "segments": segments,
        "merges": len(merges),
        "largest_merge_mb": max(merges, default=0.0),
    }


def compact(workdir: Path, step_mb: float) -> dict:
    """``archive compact`` on the growth index (no pause between steps: nothing else writes);
    its steps, the slowest, the CPU in all, the size after."""
    from indexer.index import SearchIndex

    index = SearchIndex(workdir / "growth-index")
    started, cpu = time.perf_counter(), time.process_time()
    steps = [
        {
            "merged": step.merged,
            "read_mb": step.read_mb,
            "s": step.seconds,
            "cpu_s": step.cpu_seconds,
        }
        for step in index.compact(step_mb=step_mb, pause_s=0)
    ]
    files, segments = current_files(workdir / "growth-index")
    return {
        "steps": steps,
        "slowest_step_s": max((step["s"] for step in steps), default=0.0),
        "seconds": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu,
        "peak_mb": _peak_rss_mb(),
        "index_mb": sum(f.stat().st_size for f in files) / 1e6,
        "segments": segments,
    }


def optimize(workdir: Path) -> dict:
    """Merge the growth index into one segment; wall and CPU seconds, size after."""
    from indexer.index import (
        WRITER_MEMORY_MB,
        SearchIndex,
        keep_field_totals,
        keep_lengths,
        keep_recent_generations,
        merge_in_order,
    )

    index = SearchIndex(workdir / "growth-index")
    started, cpu = time.perf_counter(), time.process_time()
    writer = index.open().writer(limitmb=WRITER_MEMORY_MB, compound=False)
    keep_lengths(writer)
    keep_field_totals(writer)
    merge_in_order(writer)
    keep_recent_generations(writer)
    writer.commit(optimize=True)
    files, segments = current_files(workdir / "growth-index")
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu,
        "peak_mb": _peak_rss_mb(),
        "index_mb": sum(f.stat().st_size for f in files) / 1e6,
        "segments": segments,
    }


def measure(workdir: Path, rounds: int) -> dict:
    """Search the growth index as it stands: p50/p95 per query kind (ms, wall and CPU of this
    process), its peak memory."""
    from indexer.engine.facets import Filters
    from indexer.engine.search import search
    from indexer.index import SearchIndex

    sources = search_bench.sentences_by_paper(search_bench.corpus_home(workdir))
    index = SearchIndex(workdir / "growth-index")
    kinds = {
        kind: [(text, Filters.build(**filters) if filters else None) for text, filters in items]
        for kind, items in search_bench.queries(
            sources, random.Random(search_bench.SEED + 1)
        ).items()
    }
    every = [item for items in kinds.values() for item in items]
    before_mb = _peak_rss_mb()
    started = time.perf_counter()
    for text, filters in every:  # warm-up: open files, fill Whoosh's and the OS's caches
        search(index, text, filters=filters, facets=True)
    warm_s = time.perf_counter() - started
    wall: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    started_all, cpu_all = time.perf_counter(), time.process_time()
    for _ in range(rounds):
        for kind, items in kinds.items():
            for text, filters in items:
                started, cpu_started = time.perf_counter(), time.process_time()
                search(index, text, filters=filters, facets=True)
                cpu[kind].append((time.process_time() - cpu_started) * 1000)
                wall[kind].append((time.perf_counter() - started) * 1000)
    searches = rounds * len(every)
    wall["all"] = [ms for values in wall.values() for ms in values]
    cpu["all"] = [ms for values in cpu.values() for ms in values]

    def p50_p95(values: list[float]) -> list[float]:
        return [statistics.median(values), search_bench.percentile(values, 0.95)]

    return {
        "kinds": {kind: p50_p95(values) for kind, values in wall.items()},
        "cpu": {kind: p50_p95(values) for kind, values in cpu.items()},
        "searches": searches,
        "per_s_wall": searches / (time.perf_counter() - started_all),
        "per_s_cpu": searches / (time.process_time() - cpu_all),
        "warm_s": warm_s,
        "start_mb": before_mb,
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


def _print_rows(rows: list[tuple]) -> None:
    print(
        "\n  pages   papers  index MB  dir MB  segments  commits  merges (largest MB)  "
        "slowest batch s  build wall s "
        "total (step, ms/page)  build CPU s (step, ms/page)  build peak MB  search peak MB  load"
    )
    for label, step, total, total_cpu, found, load in rows:

        def per_page(seconds: float, added: int = step["added"]) -> str:
            return f"{seconds / added * 1000:.1f}" if added else "-"

        print(
            f"{label:>7} {found['stats']['papers']:>8} {step['index_mb']:>9.0f} "
            f"{step['dir_mb']:>7.0f} {step['segments']:>9} {step['commits']:>8} "
            f"{step.get('merges', '-'):>8} ({step.get('largest_merge_mb', 0):>7.0f})  "
            f"{step.get('slowest_batch_s', 0):>16.1f} {total:>12.0f} "
            f"({step['seconds']:.0f}, {per_page(step['seconds'])})"
            f"{total_cpu:>16.0f} ({step['cpu_s']:.0f}, {per_page(step['cpu_s'])})"
            f"{step['peak_mb']:>14.0f}{found['peak_mb']:>16.0f}  {load}"
        )
    kinds = list(rows[0][4]["kinds"])
    for title, key in (("wall", "kinds"), ("CPU of the searching process", "cpu")):
        print(
            f"\nsearch p50 / p95 (ms, {title}), public, a first page of 10 results with "
            "snippets and facets"
        )
        print(f"{'kind':<16}" + "".join(f"{row[0]:>16}" for row in rows))
        for kind in kinds:
            print(
                f"{kind:<16}"
                + "".join(
                    f"{row[4][key][kind][0]:>8.0f} / {row[4][key][kind][1]:<5.0f}" for row in rows
                )
            )
    print(f"\n{'searches/s':<16}" + "".join(f"{'wall / CPU':>16}" for _ in rows))
    print(
        f"{'one thread':<16}"
        + "".join(f"{row[4]['per_s_wall']:>8.1f} / {row[4]['per_s_cpu']:<5.1f}" for row in rows)
    )


def main(argv: list[str] | None = None) -> int:
    from indexer.ingest.importer import BATCH_PAGES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="Pages, comma-separated."
    )
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/growth-bench"))
    parser.add_argument(
        "--batch-pages",
        type=int,
        default=BATCH_PAGES,
        help="Pages per commit, as an import's batches (0: one commit per size).",
    )
    parser.add_argument(
        "--optimize",
        action="store_true",
        help="After the largest size, merge the index into one segment and search it again.",
    )
    parser.add_argument(
        "--compact",
        type=float,
        metavar="STEP_MB",
        help="After the largest size, run `archive compact` with this step and search again.",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="Grow the index already in the workdir (its pages: the first size's start).",
    )
    parser.add_argument("--step", nargs=3, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--merge", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--compact-step", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        print(json.dumps(grow(args.workdir, *args.step)))
        return 0
    if args.measure:
        print(json.dumps(measure(args.workdir, args.rounds)))
        return 0
    if args.merge:
        print(json.dumps(optimize(args.workdir)))
        return 0
    if args.compact_step:
        print(json.dumps(compact(args.workdir, args.compact_step)))
        return 0
    if not search_bench.CORPUS.is_dir():
        print(f"the shared corpus is not at {search_bench.CORPUS}", file=sys.stderr)
        return 2
    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    search_bench.corpus_home(args.workdir)  # imported once, before any timing
    workdir = ["--workdir", str(args.workdir)]
    rows = []
    previous = 0
    if args.resume:
        from indexer.index import SearchIndex

        previous = SearchIndex(args.workdir / "growth-index").stats()["pages"]
        print(f"resuming the index of {previous} pages", flush=True)
    total_s = total_cpu = 0.0
    for size in sizes:
        print(f"growing the index to {size} pages (load {_load()}) ...", flush=True)
        step = _child([*workdir, "--step", str(previous), str(size), str(args.batch_pages)])
        total_s += step["seconds"]
        total_cpu += step["cpu_s"]
        print(f"  {json.dumps(step)}", flush=True)
        print(f"searching {size} pages (load {_load()}) ...", flush=True)
        found = _child([*workdir, "--measure", "--rounds", str(args.rounds)])
        print(f"  {json.dumps({k: found[k] for k in ('kinds', 'cpu', 'peak_mb')})}", flush=True)
        rows.append((str(step["pages"]), step, total_s, total_cpu, found, _load()))
        previous = step["pages"]
    if args.compact:
        print(f"archive compact, steps of {args.compact:.0f} MB (load {_load()}) ...", flush=True)
        done = _child([*workdir, "--compact-step", str(args.compact)])
        _whole_index_row(
            args,
            rows,
            "compact",
            done,
            commits=len(done["steps"]),
            merges=len(done["steps"]),
            largest_merge_mb=max((s["read_mb"] for s in done["steps"]), default=0.0),
            slowest_batch_s=done["slowest_step_s"],
        )
    if args.optimize:
        print(f"merging the index into one segment (load {_load()}) ...", flush=True)
        merged = _child([*workdir, "--merge"])
        _whole_index_row(args, rows, "merged", merged, commits=1, slowest_batch_s=merged["seconds"])
    _print_rows(rows)
    return 0


def _whole_index_row(
    args: argparse.Namespace, rows: list[tuple], label: str, done: dict, **step: Any
) -> None:
    """Search the index again after ``done`` (a compaction, a merge into one segment) and add
    its row: the last size's figures with the whole-index work's own (``step``: the rest)."""
    print(f"  {json.dumps(done)}", flush=True)
    print(f"searching it (load {_load()}) ...", flush=True)
    workdir = ["--workdir", str(args.workdir)]
    found = _child([*workdir, "--measure", "--rounds", str(args.rounds)])
    fields = {key: done[key] for key in ("seconds", "cpu_s", "peak_mb", "index_mb", "segments")}
    after = {
        **rows[-1][1],
        "added": 0,
        **fields,
        "dir_mb": _dir_mb(args.workdir / "growth-index"),
        **step,
    }
    rows.append((label, after, done["seconds"], done["cpu_s"], found, _load()))


if __name__ == "__main__":
    sys.exit(main())
