"""Benchmark: bulk import against bare pypdf extraction of the same files.

Figures printed side by side in one run (targets in brackets; this asserts nothing), each
with the machine's load average:

* the shared corpus: ``archive import`` wall time (which draws each paper's first-page
  thumbnail too) vs bare pypdf text extraction of the same files on the same number of
  processes (the physical limit of this design) [within 1.3x], then an unchanged re-import;
* 300 generated one-page PDFs (fact sheets, one-page letters), the same comparison [within
  2x: the fixed cost per file];
* 1,000 generated papers imported, then imported again unchanged [under 1 s of import work];
* for each import, the CPU seconds per file spent by the main process (listing, storing,
  indexing) and by the extraction workers (each worker reports its own, as the forkserver's
  children are not the main process's), and the main process's share of them [at most 1/8,
  so that 8 workers could be kept busy];
* peak memory of each import: the main process, and all its processes together (PSS: pages
  the workers share with their server counted once) [< 600 MB].

``--before REV`` (default ``main``; ``none`` leaves it out) runs every import a second time
with the code of git revision REV (taken with ``git archive`` into a temporary folder), right
before this tree's, and prints the two side by side with the load average of each.

``--odd DIR`` (default ``../shared/pdfjs``, fetched from pdf.js's ``test/pdfs``: odd, broken
and hostile PDFs) imports every PDF of DIR and prints the time, the peak memory and how each
file ended (added, or failed with its reason), checking that every file is accounted for
[under 100 s, peak under 600 MB]; a missing folder is said and skipped.

``--previews`` adds how long a page preview takes to draw over the corpus pages
(:mod:`benchmarks.preview_bench`) [p95 under 300 ms]; ``--speedup`` the one-page import on
one process; ``--parts corpus,one-page,odd,reimport`` chooses the comparisons (a shorter
run). OCR is off in these runs (``--ocr never``), as bare extraction has none.

Usage::

    python -m benchmarks.import_bench [--jobs N] [--workdir DIR] [--files 1000] [--small 300]
                                      [--before REV|none] [--odd DIR] [--parts ...]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from archive.library import THUMBNAIL_FAILED_NAME, THUMBNAIL_NAME
from benchmarks import preview_bench
from benchmarks.pdf_files import pdf_from_objects
from benchmarks.revision import unpack_revision
from indexer.ingest.workers import default_processes

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
ODD_PDFS = REPO.parent / "shared" / "pdfjs"
PARTS = ("corpus", "one-page", "odd", "reimport")
WORDS = [
    "leopard",
    "tiger",
    "snow",
    "camera",
    "trap",
    "survey",
    "population",
    "density",
    "prey",
    "deer",
    "boar",
    "forest",
    "taiga",
    "poaching",
    "corridor",
    "reserve",
    "ranger",
    "census",
    "track",
    "scat",
    "collar",
    "telemetry",
    "habitat",
    "river",
    "mountain",
    "winter",
    "summer",
    "cub",
    "female",
    "male",
    "territory",
    "genetic",
    "diversity",
    "reintroduction",
    "zoo",
]


def bare_extract(path: Path) -> int:
    """The floor: open with pypdf and extract every page's text, nothing else."""
    import logging

    import pypdf

    logging.disable(logging.CRITICAL)
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted:
            reader.decrypt("")
        return sum(len(page.extract_text() or "") for page in reader.pages)
    except Exception:
        return 0


def bare_pool_seconds(files: list[Path], processes: int) -> float:
    """Wall time of bare extraction over a process pool, largest files first (as the importer)."""
    ordered = sorted(files, key=lambda p: p.stat().st_size, reverse=True)
    started = time.perf_counter()
    with get_context("forkserver").Pool(processes) as pool:
        list(pool.imap_unordered(bare_extract, ordered, chunksize=1))
    return time.perf_counter() - started


def _pss_kb(pid: int) -> int:
    """A process's proportional set size (kB): each page it shares counted in part."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _tree_memory_kb(root: int) -> tuple[int, int, int]:
    """RSS of a process, then RSS and PSS of it plus all its descendants (kB), from /proc.

    The workers fork from one server process that loaded pypdf and PDFium, so their RSS each
    count the pages they share with it and each other; the sum of RSS counts those pages once
    per process, the sum of PSS once in all (what the machine actually gives them)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid = int(entry.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0])
    total = pss = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        pss += _pss_kb(pid)
        stack.extend(children.get(pid, []))
    return rss.get(root, 0), total, pss


def run_import(
    home: Path,
    inputs: list[Path],
    jobs: int,
    report: Path | None = None,
    code: Path | None = None,
) -> tuple[float, int, int, int]:
    """``archive import`` in a subprocess: wall seconds, peak RSS of main, peak RSS and PSS of
    all (kB);
    with ``report``, its ``--report`` file is written there; with ``code``, the packages of
    that folder are imported instead of this tree's (run from it: it comes first on the
    path)."""
    command = [
        sys.executable,
        "-m",
        "indexer",
        "--home",
        str(home),
        "import",
        "--ocr",
        "never",
        "--jobs",
        str(jobs),
        *(["--report", str(report)] if report else []),
        *map(str, inputs),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=code or None
    )
    peaks = [0, 0, 0]

    def sample() -> None:
        while process.poll() is None:
            peaks[:] = map(max, peaks, _tree_memory_kb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    seconds = time.perf_counter() - started
    sampler.join()
    return seconds, peaks[0], peaks[1], peaks[2]


def _pdf_bytes(text_lines: list[str]) -> bytes:
    """A small valid one-page PDF with the given lines of (ASCII) text."""
    content = (
        "BT /F1 11 Tf 72 740 Td 14 TL " + " ".join(f"({line}) '" for line in text_lines) + " ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content.encode()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_from_objects(objects)


def generate_papers(folder: Path, count: int) -> None:
    """``count`` distinct one-page PDFs with varied conservation words."""
    if folder.is_dir() and len(list(folder.glob("*.pdf"))) == count:
        return
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(42)
    for number in range(count):
        lines = [f"Field report {number}"] + [
            " ".join(rng.choice(WORDS) for _ in range(12)) for _ in range(40)
        ]
        (folder / f"report-{number:04d}.pdf").write_bytes(_pdf_bytes(lines))


@dataclass
class Run:
    """One ``archive import`` run: wall time, the import's own time and CPU (from its report),
    peak memory."""

    files: int
    seconds: float
    summary: dict
    main_kb: int
    all_kb: int
    all_pss_kb: int
    load: str = ""
    outcomes: list = field(default_factory=list)

    @property
    def cpu_main_ms(self) -> float:
        """The main process's CPU per file (ms)."""
        return self.summary["cpu_seconds"]["main"] / self.files * 1000

    @property
    def cpu_workers_ms(self) -> float:
        """The workers' CPU per file (ms)."""
        return self.summary["cpu_seconds"]["workers"] / self.files * 1000

    def share(self) -> str:
        """The main process's share of the CPU per file, and how many workers it could feed."""
        main, workers = self.cpu_main_ms, self.cpu_workers_ms
        fed = f"{workers / main:.1f}" if main else "any number of"
        return (
            f"main {main:.1f} ms/file, workers {workers:.1f} ms/file: main share "
            f"1/{(main + workers) / main if main else float('inf'):.1f} (target <= 1/8; it keeps "
            f"{fed} workers busy)"
        )

    def all_memory(self) -> str:
        """The peak memory of all the import's processes, shared pages counted once (PSS)
        and once per process (RSS)."""
        return (
            f"all processes {self.all_pss_kb / 1024:.0f} MB (PSS; target < 600 MB; RSS summed "
            f"{self.all_kb / 1024:.0f} MB, shared pages counted in each)"
        )

    def cpu(self) -> str:
        """CPU seconds of the main process and of the workers, for the whole import."""
        seconds = self.summary["cpu_seconds"]
        return f"CPU main {seconds['main']:.1f} s, workers {seconds['workers']:.1f} s"


def timed_import(
    home: Path, inputs: list[Path], jobs: int, files: int, code: Path | None = None
) -> Run:
    """``archive import`` with its report read back."""
    report = home.parent / f"{home.name}-report.json"
    seconds, *memory = run_import(home, inputs, jobs, report, code)
    run = Run(files, seconds, json.loads(report.read_text())["summary"], *memory)
    run.load = _load()
    run.outcomes = json.loads(report.read_text())["files"]
    return run


def _load() -> str:
    return "load " + "/".join(f"{value:.1f}" for value in os.getloadavg())


Codes = list[tuple[str, Path | None]]


def versus_bare(
    name: str, files: list[Path], inputs: list[Path], home: Path, jobs: int, codes: Codes
) -> dict[str, Run]:
    """Bare pypdf over ``files`` and ``archive import`` of ``inputs`` (a new home each) with
    each of ``codes`` (this tree's, and the revision's before it), printed side by side."""
    bare = bare_pool_seconds(files, jobs)
    print(f"{name} ({len(files)} PDFs, {jobs} processes):")
    print(f"  bare pypdf extraction   {bare:7.2f} s ({_load()})")
    runs = {}
    for label, code in codes:
        shutil.rmtree(home, ignore_errors=True)
        run = timed_import(home, inputs, jobs, len(files), code)
        runs[label] = run
        print(
            f"  import, {label:<15} {run.seconds:7.2f} s   ratio {run.seconds / bare:.2f}x "
            f"(import work {run.summary['seconds']:.2f} s; {run.load}), thumbnails included"
        )
        print(f"    CPU per file          {run.share()}")
        print(f"    peak memory           main {run.main_kb / 1024:.0f} MB, {run.all_memory()}")
    return runs


def odd_files(folder: Path, home: Path, jobs: int, codes: Codes) -> None:
    """Import every PDF of ``folder`` (pdf.js's odd and broken test files) with each of
    ``codes``: time, peak memory, and how each file ended, every one accounted for."""
    if not folder.is_dir():
        print(
            f"Odd and broken PDFs: no folder {folder} (fetch pdf.js's test/pdfs there, or "
            "give --odd DIR): skipped\n"
        )
        return
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
    print(f"Odd and broken PDFs ({len(files)} files in {folder}, {jobs} processes):")
    for label, code in codes:
        shutil.rmtree(home, ignore_errors=True)
        run = timed_import(home, [folder], jobs, len(files), code)
        statuses = Counter(outcome["status"] for outcome in run.outcomes)
        listed = {outcome["path"] for outcome in run.outcomes}
        missing = [p for p in files if str(p) not in listed and p.name not in listed]
        print(
            f"  import, {label:<15} {run.seconds:7.2f} s (import work "
            f"{run.summary['seconds']:.2f} s; {run.load}; target < 100 s), peak main "
            f"{run.main_kb / 1024:.0f} MB, {run.all_memory()}"
        )
        print(f"    {run.cpu()}")
        print(
            f"    {len(run.outcomes)} files reported: "
            + ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
            + (f"; NOT ACCOUNTED FOR: {len(missing)}" if missing else "; every file accounted for")
        )
        reasons = Counter(
            outcome["reason"] for outcome in run.outcomes if outcome["status"] == "failed"
        )
        for reason, count in reasons.most_common(8):
            print(f"      {count:4d} {reason}")
        timed_out = [o["path"] for o in run.outcomes if "timed out" in (o["reason"] or "")]
        if timed_out:
            print(f"    timed out: {', '.join(Path(p).name for p in timed_out[:10])}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=default_processes())
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/import-bench"))
    parser.add_argument("--files", type=int, default=1000, help="Papers re-imported unchanged.")
    parser.add_argument("--small", type=int, default=300, help="One-page PDFs against bare.")
    parser.add_argument(
        "--speedup", action="store_true", help="Also import the small files on 1 process."
    )
    parser.add_argument("--previews", action="store_true", help="Also time page previews.")
    parser.add_argument("--before", default="main", help="git revision to compare ('none': no).")
    parser.add_argument("--odd", type=Path, default=ODD_PDFS, help="Folder of odd PDFs.")
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"Which comparisons to run, of {','.join(PARTS)} (a shorter run).",
    )
    args = parser.parse_args()
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    print(f"Import benchmark: {args.jobs} processes, {os.cpu_count()} cores, work in {work}\n")
    with tempfile.TemporaryDirectory(prefix="import-bench-before-") as folder:
        codes: Codes = [("this tree", None)]
        if args.before != "none":
            code = unpack_revision(args.before, Path(folder))
            if isinstance(code, str):
                print(f"(before: {code}; this tree only)\n")
            else:
                codes.insert(0, (f"before {args.before}"[:15], code))
        run_all(args, work, codes)


def run_all(args: argparse.Namespace, work: Path, codes: Codes) -> None:
    """Every comparison, each import with each of ``codes``."""
    ratios: list[tuple[str, dict[str, Run]]] = []
    parts = set(args.parts.split(","))
    if CORPUS.is_dir() and "corpus" in parts:
        corpus = sorted(CORPUS.rglob("*.pdf"))
        home = work / "corpus-home"
        runs = versus_bare("Shared corpus", corpus, [CORPUS], home, args.jobs, codes)
        ratios.append(("corpus", runs))
        library = home / "library"
        thumbs = len(list(library.glob(f"??/*/{THUMBNAIL_NAME}")))
        placeholders = len(list(library.glob(f"??/*/{THUMBNAIL_FAILED_NAME}")))
        print(f"  thumbnails              {thumbs} drawn, {placeholders} placeholders")
        again = timed_import(home, [CORPUS], args.jobs, len(corpus))
        print(f"  unchanged re-import     {again.seconds:7.2f} s\n")
        if args.previews:
            preview_bench.report(home)
            print()
    elif "corpus" in parts:
        print(f"(no shared corpus at {CORPUS}: corpus figures skipped)\n")

    if "one-page" in parts:
        ratios.append(("one-page", one_page(args, work, codes)))
    if "odd" in parts:
        odd_files(args.odd, work / "odd-home", args.jobs, codes)
    if "reimport" in parts:
        reimport(args, work, codes)

    print("\nSide by side:")
    for name, by_code in ratios:
        for label, run in by_code.items():
            print(f"  {name:<9} {label:<15} {run.seconds:7.2f} s  {run.share()}  ({run.load})")


def one_page(args: argparse.Namespace, work: Path, codes: Codes) -> dict[str, Run]:
    """Generated one-page PDFs against bare pypdf."""
    small_dir = work / f"one-page-{args.small}"
    generate_papers(small_dir, args.small)
    small = sorted(small_dir.glob("*.pdf"))
    runs = versus_bare("One-page PDFs", small, [small_dir], work / "small-home", args.jobs, codes)
    if args.speedup:
        shutil.rmtree(work / "small-home-1", ignore_errors=True)
        one = timed_import(work / "small-home-1", [small_dir], 1, len(small))
        speedup = one.seconds / runs["this tree"].seconds
        print(f"  on 1 process            {one.seconds:7.2f} s: speed-up {speedup:.2f}x")
    print()
    return runs


def reimport(args: argparse.Namespace, work: Path, codes: Codes) -> None:
    """Generated papers imported, then imported again unchanged."""
    generated = work / "generated"
    generate_papers(generated, args.files)
    print(f"Unchanged re-import of {args.files} papers:")
    for label, code in codes:
        shutil.rmtree(work / "gen-home", ignore_errors=True)
        first = timed_import(work / "gen-home", [generated], args.jobs, args.files, code)
        again = timed_import(work / "gen-home", [generated], args.jobs, args.files, code)
        print(f"  {label:<15} first import {first.seconds:7.2f} s ({first.load}; {first.share()})")
        print(
            f"  {'':<15} unchanged re-import {again.seconds:7.2f} s for the command, "
            f"{again.summary['seconds']:.2f} s of import work (target < 1 s), "
            f"{again.summary['unchanged']} unchanged"
        )


if __name__ == "__main__":
    main()
