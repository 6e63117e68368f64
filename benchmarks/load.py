"""Benchmark: concurrent clients against `archive serve` over the shared corpus (loopback only).

Target (issue 7): zero errors with 8 concurrent clients on a 2-core machine, and at least 50
searches per second. Each client keeps one HTTP/1.1 connection and loops over a realistic mix:
plain words, phrases, fields, questions, sorting and paging, the JSON API, a paper page, and a
PDF range request (what a PDF viewer sends). Bounded in time (``--seconds``) and count
(``--max``). This prints figures; it asserts nothing.

Usage::

    python -m benchmarks.load [--clients 8] [--seconds 20] [--max 20000] [--threads 4]
        [--processes 1] [--compare-processes 1,2]

``--compare-processes 1,2`` runs the same load against a server of one process, then of two,
then one and two again (alternating, so that what else the machine does weighs on both alike)
and prints each run's figures.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.corpus_home import DEFAULT_HOME, corpus_home

WORDS = [
    "model", "language", "data", "table", "layout", "document", "learning", "neural",
    "evaluation", "species", "population", "survey", "climate", "analysis", "results",
]  # fmt: skip
PHRASES = ['"language model"', '"training data"', '"related work"', '"table 1"']
FIELDS = ["title:learning", "year:2015-2023", "author:lo", "title:document", "tag:benchmark"]
SORTS = ["newest", "oldest", "title"]
# Typed as students write them: stop and question words, a "?", words no paper holds (relaxed).
QUESTIONS = [
    "what is a language model?",
    "how do researchers evaluate document layout analysis",
    "is there a survey of neural table detection?",
    "what are the results of the evaluation on the data",
    "where can I find data about the climate and the species of a pangolin?",
    "why does the training data matter for learning",
]
# A browser's user agent (one per client): a script's or none would be left out of the usage
# statistics as a robot, and the benchmark would not measure counting.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 load-client/"


@dataclass
class Figures:
    """Latencies (seconds) by kind of request, and the errors seen."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            if error:
                self.errors.append(f"{kind}: {error}")


def _search_path(rng: random.Random) -> tuple[str, str]:
    """One search request of the mix: (kind, path)."""
    roll = rng.random()
    if roll < 0.4:
        query = " ".join(rng.sample(WORDS, rng.choice((1, 2))))
    elif roll < 0.6:
        query = rng.choice(PHRASES)
    elif roll < 0.8:
        query = f"{rng.choice(FIELDS)} {rng.choice(WORDS)}"
    elif roll < 0.9:
        query = rng.choice(QUESTIONS)
    else:
        query = rng.choice(WORDS)
    params = {"q": query}
    if rng.random() < 0.25:
        params["sort"] = rng.choice(SORTS)
    if rng.random() < 0.25:
        params["page"] = str(rng.choice((2, 3)))
    if rng.random() < 0.2:
        return "api-search", "/api/search?" + urllib.parse.urlencode(params)
    return "search", "/search?" + urllib.parse.urlencode(params)


def _request(rng: random.Random, ids: list[str]) -> tuple[str, str, dict[str, str]]:
    """The next request of the mix: (kind, path, headers). About 80% are searches."""
    roll = rng.random()
    if roll < 0.8 or not ids:
        kind, path = _search_path(rng)
        return kind, path, {}
    paper_id = rng.choice(ids)
    if roll < 0.9:
        return "paper-page", f"/papers/{paper_id}", {}
    start = rng.choice((0, 65536, 262144))
    return "pdf-range", f"/papers/{paper_id}/pdf", {"Range": f"bytes={start}-{start + 65535}"}


def client(
    host: str, port: int, ids: list[str], stop_at: float, budget: Iterator[int], seed: int,
    figures: Figures,
) -> None:  # fmt: skip
    """One client: a keep-alive connection, requests back to back until time or count is up."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        while time.monotonic() < stop_at and next(budget, None) is not None:
            kind, path, headers = _request(rng, ids)
            started = time.perf_counter()
            error = None
            try:
                connection.request(
                    "GET", path, headers={"User-Agent": f"{BROWSER}{seed}", **headers}
                )
                response = connection.getresponse()
                response.read()
                # 416: a range past the end of a small PDF is a correct answer, not an error.
                if response.status not in (200, 206, 416):
                    error = f"HTTP {response.status} for {path}"
            except (OSError, http.client.HTTPException) as problem:
                error = f"{type(problem).__name__} for {path}: {problem}"
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
            figures.add(kind, time.perf_counter() - started, error)
    finally:
        connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(figures: Figures, seconds: float, clients: int) -> None:
    """Print throughput, p50/p95 and errors, overall and by kind."""
    every = [value for values in figures.latencies.values() for value in values]
    searches = len(figures.latencies["search"]) + len(figures.latencies["api-search"])
    print(
        f"{clients} clients, {seconds:.1f} s: {len(every)} requests ({len(every) / seconds:.1f}/s),"
        f" {searches} searches ({searches / seconds:.1f}/s), {len(figures.errors)} errors"
    )
    print(f"{'kind':>12} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in sorted(figures.latencies.items()):
        print(
            f"{kind:>12} {len(values):>6} {statistics.median(values) * 1000:>8.1f} "
            f"{_percentile(values, 0.95) * 1000:>8.1f} {max(values) * 1000:>8.1f}"
        )
    print(
        f"{'all':>12} {len(every):>6} {statistics.median(every) * 1000:>8.1f} "
        f"{_percentile(every, 0.95) * 1000:>8.1f} {max(every) * 1000:>8.1f}"
    )
    for error in figures.errors[:10]:
        print("  error:", error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--max", type=int, default=20000, help="Most requests in all.")
    parser.add_argument("--threads", type=int, default=4, help="The server's threads.")
    parser.add_argument("--processes", type=int, default=1, help="The server's processes.")
    parser.add_argument(
        "--compare-processes",
        help="Comma-separated process counts to run in turn, twice (e.g. 1,2).",
    )
    args = parser.parse_args()
    home = corpus_home(args.home)
    if not args.compare_processes:
        run(home, args, args.processes)
        return
    counts = [int(count) for count in args.compare_processes.split(",")]
    for round_ in (1, 2):
        for count in counts:
            print(f"\n== round {round_}: {count} server process(es) ==")
            run(home, args, count)


def run(home: Path, args: argparse.Namespace, processes: int) -> None:
    """One load run against a server of ``processes`` processes; prints its figures."""
    with _server(home, args.threads, processes) as (host, port, pid):
        ids = _paper_ids(host, port)
        figures = Figures()
        budget = iter(range(args.max))
        cpu_before = _cpu_seconds(pid)
        started = time.monotonic()
        workers = [
            threading.Thread(
                target=client,
                args=(host, port, ids, started + args.seconds, budget, seed, figures),
            )
            for seed in range(args.clients)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        seconds = time.monotonic() - started
        cpu = _cpu_seconds(pid) - cpu_before
        report(figures, seconds, args.clients)
        peaks = [_peak_rss_mb(member) for member in _family(pid)]
        print(
            f"server peak memory (VmHWM): {' + '.join(f'{peak:.0f}' for peak in peaks)} MB, "
            f"{processes} process(es) of {args.threads} threads"
        )
        # Processor time per request does not change with what else the machine runs, as the
        # throughput does: the figure to compare versions by on a shared machine.
        requests = sum(len(values) for values in figures.latencies.values())
        print(
            f"server CPU: {cpu:.1f} s in {seconds:.1f} s ({cpu / seconds:.2f} cores), "
            f"{cpu * 1000 / max(1, requests):.1f} ms per request; "
            f"load average {os.getloadavg()[0]:.1f}"
        )


def _cpu_seconds(pid: int) -> float:
    """The processor time (user and system) a server has used, its processes together
    (from /proc)."""
    total = 0.0
    for member in _family(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _family(pid: int) -> list[int]:
    """The server process and the processes serving under it (with several processes, the
    first only supervises)."""
    with contextlib.suppress(OSError):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [pid, *map(int, children)]
    return [pid]


def _peak_rss_mb(pid: int) -> float:
    """The most resident memory a process has used, from /proc (0 where there is none)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _paper_ids(host: str, port: int) -> list[str]:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", "/sitemap.xml")
    body = connection.getresponse().read().decode()
    connection.close()
    return [part.split("<", 1)[0] for part in body.split("/papers/")[1:]]


@contextlib.contextmanager
def _server(home: Path, threads: int, processes: int) -> Iterator[tuple[str, int, int]]:
    """`archive serve` on a free loopback port, warmed up; stopped with SIGTERM at the end."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(home), "serve", "--port", str(port)],
        # No access log: the benchmark measures serving, not writing a log line per request.
        env={
            **os.environ,
            "ARCHIVE_THREADS": str(threads),
            "ARCHIVE_PROCESSES": str(processes),
            "ARCHIVE_ACCESS_LOG": "off",
        },
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/search?q=model")
                connection.getresponse().read()
                connection.close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("archive serve did not start") from None
                time.sleep(0.2)
        yield "127.0.0.1", port, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
