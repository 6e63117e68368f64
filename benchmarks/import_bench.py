"""Benchmark: bulk import against bare pypdf extraction of the same files.

Figures printed (issue 3 targets in brackets; this asserts nothing):

* shared corpus: ``archive import`` wall time (which draws each paper's first-page thumbnail
  too) vs bare pypdf text extraction of the same files on the same number of processes (the
  physical limit of this design) [within 1.3x], and how long a page preview takes to draw
  over the corpus pages (:mod:`benchmarks.preview_bench`) [p95 under 300 ms];
* 1,000 generated small distinct PDFs: import time with 1 process and with all cores (the
  speed-up), then an unchanged re-import [under 5 s];
* peak memory of the import: the main process, and all its processes together [under 600 MB].

OCR is off in these runs (``--ocr never``), as bare extraction has none.

Usage::

    python -m benchmarks.import_bench [--jobs N] [--workdir /tmp/import-bench] [--files 1000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from multiprocessing import get_context
from pathlib import Path

from archive.library import THUMBNAIL_FAILED_NAME, THUMBNAIL_NAME
from benchmarks import preview_bench
from indexer.workers import default_processes

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
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


def _tree_rss_kb(root: int) -> tuple[int, int]:
    """RSS of a process, and of it plus all its descendants (kB), read from /proc."""
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
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return rss.get(root, 0), total


def run_import(home: Path, inputs: list[Path], jobs: int) -> tuple[float, int, int]:
    """``archive import`` in a subprocess: wall seconds, peak RSS of main and of all (kB)."""
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
        *map(str, inputs),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peaks = [0, 0]

    def sample() -> None:
        while process.poll() is None:
            main_kb, all_kb = _tree_rss_kb(process.pid)
            peaks[0], peaks[1] = max(peaks[0], main_kb), max(peaks[1], all_kb)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    process.wait()
    seconds = time.perf_counter() - started
    sampler.join()
    return seconds, peaks[0], peaks[1]


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
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=default_processes())
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/import-bench"))
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    print(f"Import benchmark: {args.jobs} processes, {os.cpu_count()} cores, work in {work}\n")

    if CORPUS.is_dir():
        corpus = sorted(CORPUS.rglob("*.pdf"))
        bare = bare_pool_seconds(corpus, args.jobs)
        shutil.rmtree(work / "corpus-home", ignore_errors=True)
        seconds, main_kb, all_kb = run_import(work / "corpus-home", [CORPUS], args.jobs)
        again, _, _ = run_import(work / "corpus-home", [CORPUS], args.jobs)
        print(f"Shared corpus ({len(corpus)} PDFs):")
        print(f"  bare pypdf extraction   {bare:7.1f} s")
        print(
            f"  archive import          {seconds:7.1f} s   ratio {seconds / bare:.2f}x "
            "(target <= 1.3x), thumbnails included"
        )
        library = work / "corpus-home" / "library"
        thumbs = len(list(library.glob(f"??/*/{THUMBNAIL_NAME}")))
        placeholders = len(list(library.glob(f"??/*/{THUMBNAIL_FAILED_NAME}")))
        print(f"  thumbnails              {thumbs} drawn, {placeholders} placeholders")
        print(f"  unchanged re-import     {again:7.2f} s")
        print(
            f"  peak memory             main {main_kb / 1024:.0f} MB, "
            f"all processes {all_kb / 1024:.0f} MB (target < 600 MB)\n"
        )
        preview_bench.report(work / "corpus-home")
        print()
    else:
        print(f"(no shared corpus at {CORPUS}: corpus figures skipped)\n")

    generated = work / "generated"
    generate_papers(generated, args.files)
    files = sorted(generated.glob("*.pdf"))
    bare_one = bare_pool_seconds(files, 1)
    bare_all = bare_pool_seconds(files, args.jobs)
    timings = {}
    for jobs in sorted({1, args.jobs}):
        shutil.rmtree(work / f"gen-home-{jobs}", ignore_errors=True)
        timings[jobs] = run_import(work / f"gen-home-{jobs}", [generated], jobs)
    again, _, _ = run_import(work / f"gen-home-{args.jobs}", [generated], args.jobs)
    seconds, main_kb, all_kb = timings[args.jobs]
    print(f"{len(files)} generated one-page PDFs:")
    print(
        f"  bare pypdf extraction   {bare_one:7.1f} s on 1 process, {bare_all:.1f} s on {args.jobs}"
    )
    print(
        f"  archive import          {timings[1][0]:7.1f} s on 1 process, {seconds:.1f} s on "
        f"{args.jobs}: speed-up {timings[1][0] / seconds:.2f}x; ratio to bare "
        f"{seconds / bare_all:.2f}x (target <= 1.3x)"
    )
    print(f"  unchanged re-import     {again:7.2f} s (target < 5 s)")
    print(
        f"  peak memory             main {main_kb / 1024:.0f} MB, "
        f"all processes {all_kb / 1024:.0f} MB (target < 600 MB)"
    )


if __name__ == "__main__":
    main()
