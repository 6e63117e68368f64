"""Benchmark: ``/search.zip`` over at least 500 MB of PDFs, against ``cat`` of the same files.

Targets (issue 5): the server's memory grows by under 50 MB while the ZIP streams, and the
throughput is within 1.5x of ``cat``. This prints figures; it asserts nothing.

The home is built under /tmp (never in the repository) from the shared corpus: each PDF is
copied many times, each copy made distinct by a PDF comment after ``%%EOF`` (still a valid PDF,
with a different hash, so a different paper). Papers are stored with the library's own
``add`` and tagged ``benchmark``, skipping text extraction, which this benchmark is not about.

Usage::

    python -m benchmarks.zip_bench [--mb 500] [--workdir /tmp/zip-bench] [--serve]

``--serve`` measures through ``archive serve`` (waitress, a real socket) in a subprocess, with
the server's RSS read from /proc; without it the WSGI app runs in this process.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

from flask import Flask
from werkzeug.test import EnvironBuilder

from archive.paper import Paper
from indexer.home import ArchiveHome
from webui import create_app

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
QUERY = "tag:benchmark"
MB = 1024 * 1024


def _status_kb(field: str, pid: int | str = "self") -> int:
    """A memory figure (kB) from /proc/PID/status: VmRSS now, VmHWM the peak."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _reset_peak(pid: int | str = "self") -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+), so the peak measured is this run's."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def build_home(root: Path, target_mb: int) -> list[Path]:
    """A home of distinct corpus copies adding up to ``target_mb``; returns the stored PDFs."""
    marker = root / "bench-built"
    home = ArchiveHome.at(root / "home")
    if marker.is_file() and marker.read_text() == str(target_mb):
        return [home.library.pdf_path(paper_id) for paper_id in home.library.ids()]
    sources = sorted(p for p in CORPUS.rglob("*.pdf") if p.stat().st_size > 0)
    if not sources:
        sys.exit(f"No PDFs in {CORPUS}.")
    total, copy = 0, 0
    scratch = Path(tempfile.mkdtemp(prefix="zip-bench-", dir=root))
    started = time.perf_counter()
    with home.index.writer() as writer:
        while total < target_mb * MB:
            copy += 1
            for source in sources:
                data = source.read_bytes() + f"\n%bench-copy {copy}\n".encode()
                paper_id = hashlib.sha256(data).hexdigest()
                pdf = scratch / "copy.pdf"
                pdf.write_bytes(data)
                paper = Paper(
                    id=paper_id,
                    title=f"{source.stem} (copy {copy})",
                    filename=source.name,
                    pages=1,
                    size=len(data),
                    authors=["Bench Mark"],
                    year=2000 + copy % 25,
                    tags=["benchmark"],
                )
                if home.library.add(pdf, paper, ["benchmark copy"]):
                    home.index.add(writer, paper, ["benchmark copy"])
                    total += len(data)
                if total >= target_mb * MB:
                    break
    shutil.rmtree(scratch, ignore_errors=True)
    marker.write_text(str(target_mb))
    print(f"built {total / MB:.0f} MB in {time.perf_counter() - started:.1f} s under {root}")
    return [home.library.pdf_path(paper_id) for paper_id in home.library.ids()]


def drop_page_cache() -> bool:
    """Empty the kernel's page cache (needs root), so that files are read from the disk."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3")
    except OSError:
        return False
    return True


def time_cat(paths: list[Path]) -> float:
    """Seconds for ``cat`` to read every file to /dev/null (in batches under ARG_MAX)."""
    started = time.perf_counter()
    for start in range(0, len(paths), 500):
        subprocess.run(
            ["cat", *map(str, paths[start : start + 500])],
            stdout=subprocess.DEVNULL,
            check=True,
        )
    return time.perf_counter() - started


def make_app(home_root: Path) -> Flask:
    """The web app over the benchmark home, without caps, warmed up as a running server is
    (index open, templates compiled)."""
    app = create_app(
        {
            "ARCHIVE_HOME": str(home_root),
            "EXPORT_MAX_PAPERS": 1_000_000,
            "EXPORT_MAX_BYTES": 1 << 50,
        }
    )
    app.test_client().get("/search?q=benchmark")
    return app


def stream_in_process(app: Flask, traced: bool = False) -> dict[str, float]:
    """Read /search.zip through the WSGI app in this process."""
    environ = EnvironBuilder(path="/search.zip", query_string={"q": QUERY}).get_environ()
    status: list[str] = []

    def start_response(code: str, headers: list[tuple[str, str]], exc_info: object = None) -> None:
        status.append(code)

    if traced:
        tracemalloc.start()
    _reset_peak()
    rss_before = _status_kb("VmRSS")
    started = time.perf_counter()
    body = app(environ, start_response)
    first_byte = None
    size = 0
    try:
        for chunk in body:
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
    finally:
        getattr(body, "close", lambda: None)()
    seconds = time.perf_counter() - started
    figures = {
        "seconds": seconds,
        "bytes": size,
        "first_byte": first_byte or seconds,
        "rss_growth_mb": (_status_kb("VmHWM") - rss_before) / 1024,
    }
    if traced:
        figures["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
    assert status and status[0].startswith("200"), status
    return figures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(home_root: Path) -> Iterator[tuple[str, int]]:
    """``archive serve`` on a free port, warmed up; yields its URL and process id."""
    port = _free_port()
    env = {
        **os.environ,
        "ARCHIVE_EXPORT_MAX_PAPERS": "1000000",
        "ARCHIVE_EXPORT_MAX_BYTES": str(1 << 50),
    }
    command = [sys.executable, "-m", "indexer", "--home", str(home_root), "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        # Warm up as a running server is: index open, templates compiled.
        urllib.request.urlopen(f"{url}/search?q=benchmark", timeout=30).read()
        yield url, server.pid
    finally:
        server.terminate()
        server.wait(timeout=10)


def stream_from_server(url: str, pid: int) -> dict[str, float]:
    """Read /search.zip from a running server, watching its RSS."""
    rss_before = _status_kb("VmRSS", pid)
    peak = rss_before
    can_reset = _reset_peak(pid)
    started = time.perf_counter()
    first_byte = None
    size = 0
    with urllib.request.urlopen(f"{url}/search.zip?q={QUERY}", timeout=60) as response:
        while chunk := response.read(1 << 20):
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            peak = max(peak, _status_kb("VmRSS", pid))
    seconds = time.perf_counter() - started
    if can_reset:
        peak = max(peak, _status_kb("VmHWM", pid))
    return {
        "seconds": seconds,
        "bytes": size,
        "first_byte": first_byte or seconds,
        "rss_growth_mb": (peak - rss_before) / 1024,
    }


def measure(paths: list[Path], run_zip: Callable[[], dict[str, float]]) -> None:
    """Time cat and the ZIP with the page cache warm, then cold (when allowed), and print."""
    pdf_bytes = sum(path.stat().st_size for path in paths)
    for cache in ("warm", "cold"):
        if cache == "warm":
            time_cat(paths)  # both sides read from memory
            cat_seconds = min(time_cat(paths) for _ in range(2))
            runs = [run_zip() for _ in range(3)]
        else:
            if not drop_page_cache():
                print("cold cache: skipped (cannot drop the page cache without root)")
                continue
            cat_seconds = time_cat(paths)
            drop_page_cache()
            runs = [run_zip()]
        best = min(runs, key=lambda run: run["seconds"])
        growth = max(run["rss_growth_mb"] for run in runs)
        zip_rate = best["bytes"] / MB / best["seconds"]
        print(f"-- page cache {cache}:")
        print(f"   cat        {cat_seconds:6.2f} s {pdf_bytes / MB / cat_seconds:7.0f} MB/s")
        print(
            f"   search.zip {best['seconds']:6.2f} s {zip_rate:7.0f} MB/s"
            f"  (ZIP {best['bytes'] / MB:.0f} MB, first byte after"
            f" {best['first_byte'] * 1000:.0f} ms)"
        )
        print(f"   time zip/cat: {best['seconds'] / cat_seconds:.2f}x (target <= 1.5x)")
        print(f"   server memory growth while streaming: {growth:.1f} MB (target < 50 MB)")


def main() -> None:
    """Build the home if needed, then measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=500, help="PDF megabytes to export [500]")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "zip-bench")
    parser.add_argument("--serve", action="store_true", help="go through `archive serve`")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"The shared corpus is not at {CORPUS}.")
    args.workdir.mkdir(parents=True, exist_ok=True)
    paths = build_home(args.workdir, args.mb)
    pdf_bytes = sum(path.stat().st_size for path in paths)
    print(f"{len(paths)} PDFs, {pdf_bytes / MB:.0f} MB; query {QUERY!r}")
    home_root = args.workdir / "home"
    if args.serve:
        print("/search.zip from `archive serve` (waitress, HTTP); memory = the server's RSS")
        with running_server(home_root) as (url, pid):
            measure(paths, lambda: stream_from_server(url, pid))
        return
    print("/search.zip through the WSGI app in this process; memory = peak RSS growth")
    app = make_app(home_root)
    measure(paths, lambda: stream_in_process(app))
    traced = stream_in_process(app, traced=True)
    print(f"Python heap peak while streaming (tracemalloc): {traced['python_peak_mb']:.1f} MB")


if __name__ == "__main__":
    main()
