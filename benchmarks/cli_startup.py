"""Benchmark: how long the ``archive`` command takes from start to exit (issue 28).

Starts the real ``archive`` script as a process, several times per command, and prints the
median wall-clock time of ``archive --help``, ``archive search ... --json`` and ``archive stats``
on the demo home (the PDFs of ``papers/``, imported once into a temporary folder). The same
commands are timed on the code of another revision (``main`` unless ``--before`` says which),
checked out in a temporary git worktree and run with this virtualenv's Python, so before and
after are printed side by side from one run; the runs alternate between the two, so that the
load of a shared machine falls on both alike; the start of a bare Python is timed too, as the
floor under every figure. The median processor time (user + system) of the same runs is
printed beside the wall-clock: on a shared machine it moves much less with the load. Targets
(wall-clock): --help < 150 ms, search < 300 ms, stats < 200 ms. Figures only, nothing asserted.

Usage::

    python -m benchmarks.cli_startup [--runs 9] [--before main] [--query leopard]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARCHIVE = Path(sys.executable).parent / "archive"  # the console script pip made


def _run(
    tree: Path, args: list[str], cwd: Path
) -> tuple[float, float, subprocess.CompletedProcess]:
    """One run of ``archive ARGS`` with the packages of ``tree`` (or of ``python ARGS`` when
    they start with ``-c``); its seconds of wall-clock and of processor time, and result."""
    # PYTHONPATH comes before the editable install on sys.path: ``tree``'s code is the one run.
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("ARCHIVE_HOME", None)
    # An installed package has its .pyc files (pip compiles them); a shell that sets
    # PYTHONDONTWRITEBYTECODE would make every run compile our modules from source again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *(args if args[0] == "-c" else [str(ARCHIVE), *args])],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime, done


def _demo_home(folder: Path) -> Path:
    home = folder / "demo-home"
    papers = REPO / "papers"
    *_, done = _run(
        REPO,
        ["--home", str(home), "import", str(papers), "--metadata", str(papers / "metadata.csv")],
        folder,
    )
    if done.returncode != 0:
        sys.exit(f"Could not import the demo papers:\n{done.stderr}")
    return home


def _checkout(revision: str, folder: Path) -> Path | None:
    """A worktree of ``revision`` under ``folder``, or None (said why) when git cannot."""
    tree = folder / "before"
    done = subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(tree), revision],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        print(f"(no 'before' column: git could not check out {revision}: {done.stderr.strip()})")
        return None
    return tree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="Runs of each command per revision.")
    parser.add_argument("--before", default="main", help="The revision to compare with.")
    parser.add_argument("--query", default="leopard", help="The words archive search looks for.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as temp:
        folder = Path(temp)
        home = _demo_home(folder)
        before = _checkout(options.before, folder)
        commands = [
            # The floor: Python starting and stopping, without the archive (none of our code).
            ("python -c pass (the floor)", ["-c", "pass"], 0),
            ("archive --help", ["--help"], 150),
            (
                f"archive search {options.query} --json",
                ["--home", str(home), "search", options.query, "--json"],
                300,
            ),
            ("archive stats", ["--home", str(home), "stats"], 200),
        ]
        trees = {"after": REPO} | ({"before": before} if before else {})
        try:
            print(
                f"Median of {options.runs} runs, ms (before: {options.before}; after: this "
                f"tree; Python {sys.version.split()[0]}, {os.cpu_count()} cores, load "
                f"{os.getloadavg()[0]:.1f})"
            )
            # Processor time (user + system) moves less with the load of a shared machine.
            print(
                f"{'':<34} {'wall-clock':^17} {'':>7}  {'processor':^17}\n"
                f"{'command':<34} {'before':>8} {'after':>8} {'target':>7}  {'before':>8} "
                f"{'after':>8}  output"
            )
            for label, args, target in commands:
                times: dict[str, list[float]] = {name: [] for name in trees}
                cpu: dict[str, list[float]] = {name: [] for name in trees}
                outputs: dict[str, str] = {}
                for name, tree in trees.items():  # a first run each: .pyc files written
                    *_, done = _run(tree, args, folder)
                    outputs[name] = done.stdout if done.returncode == 0 else "failed"
                for _ in range(options.runs):
                    for name, tree in trees.items():
                        wall, processor, _ = _run(tree, args, folder)
                        times[name].append(wall)
                        cpu[name].append(processor)
                median = {name: f"{statistics.median(t) * 1000:.0f}" for name, t in times.items()}
                median_cpu = {name: f"{statistics.median(t) * 1000:.0f}" for name, t in cpu.items()}
                if outputs.get("after") == "failed":
                    same = "FAILED"
                elif before is None:
                    same = ""
                else:
                    same = "same" if len(set(outputs.values())) == 1 else "differs"
                print(
                    f"{label:<34} {median.get('before', '-'):>8} {median['after']:>8} "
                    f"{'<' + str(target) if target else '':>7}  "
                    f"{median_cpu.get('before', '-'):>8} {median_cpu['after']:>8}  {same}"
                )
            print(f"(load at the end: {os.getloadavg()[0]:.1f})")
        finally:
            if before is not None:
                subprocess.run(
                    ["git", "-C", str(REPO), "worktree", "remove", "--force", str(before)],
                    check=False,
                )


if __name__ == "__main__":
    main()
