"""Bulk import at scale: limits, interruption, every file accounted for, staff metadata, zips."""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.library import Library, file_sha256
from archive.paper import doc_type_from
from indexer.cli.main import main
from indexer.engine.search import search
from indexer.home import ArchiveHome
from indexer.ingest.importer import import_paths
from indexer.ingest.ocr import ocr_available
from indexer.ingest.workers import CRASHED, ExtractionPool, Job, Limits, Staged, stage_job
from indexer.verify import verify

from conftest import CORPUS, DEMO_PAPERS, demo_pdfs
from pdf_factory import bomb_pdf, distinct_copy, looping_pdf

# --- the worker pool: a file that hangs, eats memory or crashes costs only itself ------------


def misbehave(path: Path, filename: str, on_page: Callable[[int], None]) -> str:
    """A stand-in for extraction that misbehaves on request (runs in a worker process)."""
    if filename.startswith("hang"):
        time.sleep(600)
    elif filename.startswith("spin"):  # computes forever: a page that never ends
        while True:
            pass
    elif filename.startswith("sleepy"):  # waits without computing, as on a loaded machine
        time.sleep(2)
    elif filename.startswith("steady"):
        for page in range(1, 16):  # 3 s in all, but a page every 0.2 s: long, not hung
            time.sleep(0.2)
            on_page(page)
    elif filename.startswith("greedy"):
        hoard = bytearray(2 * 1024 * 1024 * 1024)
        return str(len(hoard))
    elif filename.startswith("crash"):
        os.kill(os.getpid(), signal.SIGSEGV)
    elif filename.startswith("oom"):
        os.kill(os.getpid(), signal.SIGKILL)
    elif filename.startswith("hoard"):  # keeps what it took, as Python keeps a big file's
        _HOARD.append(b"x" * (200 * 1024 * 1024))
    elif filename.startswith("pid"):
        return str(os.getpid())
    return f"read {filename}"


_HOARD: list[bytes] = []


def test_pool_survives_hangs_memory_hogs_and_crashes(tmp_path: Path) -> None:
    names = ["a", "hang", "b", "greedy", "c", "crash", "d", "oom", "e", "steady"]
    jobs = [Job(name, tmp_path / name, name) for name in names]
    limits = Limits(timeout_s=1.5, memory_mb=512, wall_s=3)
    pool = ExtractionPool(2, tmp_path / "log", limits, misbehave)
    results = {job.key: result for job, result in pool.run(jobs)}
    # A hang that computes nothing is given up by the wall-clock limit behind the CPU one.
    hang = results.pop("hang")
    assert hang.startswith("timed out after ") and "processor" not in hang
    assert results == {
        "a": "read a",
        "b": "read b",
        "c": "read c",
        "d": "read d",
        "e": "read e",
        "steady": "read steady",
        "greedy": "too large to process",
        "crash": CRASHED,
        "oom": "too large to process",
    }


def test_a_worker_left_holding_much_memory_is_replaced_and_loses_no_file(tmp_path: Path) -> None:
    names = ["pid-before", "hoard", "pid-after", "a"]
    jobs = [Job(name, tmp_path / name, name) for name in names]

    def run(limits: Limits) -> dict[str, str]:
        pool = ExtractionPool(1, tmp_path / "log", limits, misbehave)
        return {job.key: result for job, result in pool.run(jobs)}

    recycled = run(Limits(memory_mb=1024))
    assert recycled["hoard"] == "read hoard" and recycled["a"] == "read a"
    assert recycled["pid-before"] != recycled["pid-after"]
    # Allowed to keep it, the same worker goes on.
    kept = run(Limits(memory_mb=1024, recycle_mb=2048))
    assert kept["pid-before"] == kept["pid-after"]


def test_the_time_limit_counts_processor_time_not_the_clock(tmp_path: Path) -> None:
    # A file that computes past its limit is given up with the reason; one that waits longer
    # than the limit without computing (a worker on a loaded machine) is read in full.
    names = ["spin", "sleepy", "a"]
    jobs = [Job(name, tmp_path / name, name) for name in names]
    limits = Limits(timeout_s=0.5, memory_mb=512, wall_s=120)
    pool = ExtractionPool(2, tmp_path / "log", limits, misbehave)
    results = {job.key: result for job, result in pool.run(jobs)}
    assert results == {
        "spin": "timed out after 0.5 s of processor time without progress",
        "sleepy": "read sleepy",
        "a": "read a",
    }


def test_a_worker_stages_the_paper_and_says_when_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import archive.library

    library = Library(tmp_path / "lib")
    source = DEMO_PAPERS / "amur-leopard-fact-sheet.pdf"
    staged = stage_job(
        source, source.name, library_root=str(library.root), owner=os.getpid(), access="staff"
    )
    assert isinstance(staged, Staged) and staged.folder is not None
    assert staged.extraction.pages and not staged.extraction.derived  # written, not sent back
    assert not staged.scripts
    assert (staged.folder / "paper.pdf").read_bytes() == source.read_bytes()
    assert (staged.folder / "thumbnail.webp").is_file()
    # The sidecar too, under the id of the bytes read, with the import's access level.
    assert staged.paper is not None and staged.paper.id == file_sha256(source)
    sidecar = json.loads((staged.folder / "paper.json").read_text())
    assert sidecar == staged.paper.to_dict() and sidecar["access"] == "staff"

    def full(handle):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(archive.library, "_sync", full)
    failed = stage_job(source, source.name, library_root=str(library.root), owner=os.getpid())
    assert isinstance(failed, Staged) and failed.folder is None
    assert failed.error == (errno.ENOSPC, "No space left on device")
    assert len(list(library.tmp.iterdir())) == 1  # the half-written folder was removed


# --- odd and broken files: no crash, every file in the report ---------------------------------


def test_broken_files_are_all_accounted_for(home: ArchiveHome, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    whole = (DEMO_PAPERS / "amur-leopard-fact-sheet.pdf").read_bytes()
    (inbox / "truncated.pdf").write_bytes(whole[:2000])
    (inbox / "zero.pdf").write_bytes(b"")
    (inbox / "random.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(50_000))
    (inbox / "word.pdf").write_bytes(b"PK\x03\x04 this is really a .docx")
    bomb_pdf(inbox / "bomb.pdf", inflated_mb=100)
    looping_pdf(inbox / "loop.pdf")
    shutil.copy(DEMO_PAPERS / "snow-leopard-fact-sheet.pdf", inbox)
    report = import_paths(home, [inbox], jobs=2)
    reasons = {Path(o.path).name: (o.status, o.reason) for o in report.files}
    assert set(reasons) == {p.name for p in inbox.iterdir()}
    assert reasons["zero.pdf"] == ("failed", "empty file (0 bytes)")
    assert reasons["random.pdf"] == ("failed", "damaged beyond repair")
    assert reasons["word.pdf"] == ("failed", "not a PDF")
    assert reasons["loop.pdf"] == ("failed", "damaged beyond repair")
    assert reasons["snow-leopard-fact-sheet.pdf"] == ("added", None)
    # pypdf caps what a stream may inflate to: the bomb is read as an empty page.
    assert reasons["bomb.pdf"][0] in {"added", "failed"}
    assert reasons["truncated.pdf"][0] in {"added", "failed"}
    assert home.index.stats()["papers"] == sum(o.status == "added" for o in report.files)


def test_pypdf_warnings_go_to_the_log_not_the_terminal(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    whole = (DEMO_PAPERS / "amur-leopard-fact-sheet.pdf").read_bytes()
    # A wrong xref offset makes pypdf warn and repair.
    (inbox / "shifted.pdf").write_bytes(whole.replace(b"startxref\n", b"startxref\n1"))
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), "import", str(inbox)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "1 added" in result.stdout
    assert "incorrect startxref pointer" in (home / "logs" / "import.log").read_text()


# --- interruption: kill -9, then the same command finishes the job ----------------------------


def _distinct_copies(source_files: list[Path], folder: Path) -> None:
    folder.mkdir()
    for number, source in enumerate(source_files):
        distinct_copy(source, folder / f"{number:02d}-{source.name}", f"copy {number}")


def _library_state(home: Path) -> tuple[set[str], dict[str, int]]:
    archive = ArchiveHome.at(home)
    ids = set(archive.library.ids())
    return ids, archive.index.stats()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs the shared corpus")
def test_killed_import_finishes_on_rerun_like_an_uninterrupted_one(tmp_path: Path) -> None:
    medium = ["2304.02623v1.pdf", "2302.07302v1.pdf", "2020.acl-main.447.pdf", "papermage.pdf"]
    sources = [CORPUS / "papermage" / name for name in medium] + demo_pdfs()
    inbox = tmp_path / "inbox"
    _distinct_copies(sources * 2, inbox)
    archive = [sys.executable, "-m", "indexer"]

    killed_home = tmp_path / "killed"
    process = subprocess.Popen(
        [*archive, "--home", str(killed_home), "import", str(inbox), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # No deadline: the import either stores three papers or ends (and the assert says so).
    while len(list((killed_home / "library").glob("??/*/paper.json"))) < 3:
        assert process.poll() is None, "the import ended before it could be interrupted"
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    interrupted = len(list((killed_home / "library").glob("??/*/paper.json")))
    assert interrupted < len(sources) * 2

    rerun = subprocess.run(
        [
            *archive,
            "--home",
            str(killed_home),
            "import",
            str(inbox),
            "--report",
            str(tmp_path / "rerun.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    clean_home = tmp_path / "clean"
    subprocess.run(
        [*archive, "--home", str(clean_home), "import", str(inbox)], check=True, capture_output=True
    )

    assert _library_state(killed_home) == _library_state(clean_home)
    ids, stats = _library_state(killed_home)
    assert len(ids) == stats["papers"] == len(sources) * 2
    # Nothing indexed twice: every paper is one hit for its own file name.
    report = json.loads((tmp_path / "rerun.json").read_text())
    assert {row["status"] for row in report["files"]} <= {"added", "unchanged"}
    assert not list((killed_home / "library" / "tmp").iterdir())
    check = subprocess.run(
        [*archive, "--home", str(killed_home), "verify"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "All is well" in check.stdout
    for paper_id in ids:
        filename = ArchiveHome.at(killed_home).library.get(paper_id).filename
        found = search(ArchiveHome.at(killed_home).index, f'filename:"{filename}"')
        assert [hit.id for hit in found.hits] == [paper_id]


def test_paper_stored_but_not_indexed_is_indexed_on_next_import(
    home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_paths(home, demo_pdfs()[:1], jobs=1)
    paper_id = next(iter(home.library.ids()))
    home.index.remove(paper_id)  # as if the import died between the library and the index
    report = import_paths(home, demo_pdfs()[:1], jobs=1)
    assert [o.status for o in report.files] == ["unchanged"]
    assert home.index.stats()["papers"] == 1


def test_papers_missing_from_the_index_are_found_with_and_without_deleted_documents(
    home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-import finds the papers missing from the index in one pass over it: by its term
    list when nothing was deleted, by its live paper documents when something was (a deleted
    paper's id lingers in the term list)."""
    import_paths(home, demo_pdfs()[:3], jobs=1)
    first, second, third = sorted(home.library.ids())
    # Deleted documents: one paper dropped from a segment that keeps the others.
    home.index.remove(second)
    assert home.index.open().reader().has_deletions()
    import_paths(home, demo_pdfs()[:3], jobs=1)
    assert home.index.paper_ids() == {first, second, third}

    # No deleted documents: an index rebuilt without one paper.
    every = home.library.papers
    monkeypatch.setattr(home.library, "papers", lambda: (p for p in every() if p.id != third))
    home.index.rebuild(home.library)
    monkeypatch.undo()
    assert not home.index.open().reader().has_deletions()
    assert home.index.paper_ids() == {first, second}
    report = import_paths(home, demo_pdfs()[:3], jobs=1)
    assert [o.status for o in report.files] == ["unchanged"] * 3
    assert home.index.paper_ids() == {first, second, third}


def test_unchanged_rerun_reads_no_file(home: ArchiveHome, monkeypatch: pytest.MonkeyPatch) -> None:
    import_paths(home, [DEMO_PAPERS], jobs=2)

    def no_hashing(_path: Path) -> str:
        raise AssertionError("an unchanged file must be recognised without hashing it")

    monkeypatch.setattr("indexer.ingest.importer.file_sha256", no_hashing)
    report = import_paths(home, [DEMO_PAPERS], jobs=2)
    assert [o.status for o in report.files] == ["unchanged"] * 5


def test_changed_file_at_same_path_is_imported_again(home: ArchiveHome, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    shutil.copy(DEMO_PAPERS / "amur-tiger-fact-sheet.pdf", target)
    import_paths(home, [target], jobs=1)
    shutil.copy(DEMO_PAPERS / "snow-leopard-fact-sheet.pdf", target)
    report = import_paths(home, [target], jobs=1)
    assert [o.status for o in report.files] == ["added"]
    assert home.index.stats()["papers"] == 2


# --- inputs: zip files and standard input -----------------------------------------------------


def test_zip_files_are_imported_and_hostile_members_refused(
    home: ArchiveHome, tmp_path: Path
) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as archive:
        archive.write(DEMO_PAPERS / "amur-tiger-fact-sheet.pdf", "reports/2018/tiger.pdf")
        archive.write(DEMO_PAPERS / "camera-trapping-guide.pdf", "../../escape.pdf")
        # ZipFile.write() strips a leading "/", a hostile tool does not.
        hostile = zipfile.ZipInfo("/etc/absolute.pdf")
        archive.writestr(hostile, (DEMO_PAPERS / "snow-leopard-fact-sheet.pdf").read_bytes())
        archive.writestr("notes.txt", "not a PDF, skipped")
        archive.writestr("__MACOSX/._tiger.pdf", "resource fork, skipped")
    report = import_paths(home, [bundle], jobs=1)
    rows = {o.path: (o.status, o.reason) for o in report.files}
    assert rows == {
        f"{bundle}/reports/2018/tiger.pdf": ("added", None),
        f"{bundle}/../../escape.pdf": ("failed", "unsafe file name in zip file (refused)"),
        f"{bundle}//etc/absolute.pdf": ("failed", "unsafe file name in zip file (refused)"),
    }
    paper = home.library.get(next(o.id for o in report.files if o.id))
    assert paper.filename == "tiger.pdf"
    assert not (tmp_path / "escape.pdf").exists()
    assert not list(home.library.tmp.iterdir())
    again = import_paths(home, [bundle], jobs=1)
    assert [o.status for o in again.files if o.id] == ["unchanged"]


def test_zip_bombs_and_damaged_zips(home: ArchiveHome, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("huge.pdf", b"%PDF-1.4\n" + b"0" * (80 * 1024 * 1024))
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bomb.read_bytes()[:-30])
    report = import_paths(home, [bomb, damaged], jobs=1)
    reasons = [(Path(o.path).name, o.reason) for o in report.files]
    assert ("huge.pdf", "too large to process") in reasons
    assert ("damaged.zip", "damaged zip file") in reasons


def test_paths_from_standard_input(tmp_path: Path) -> None:
    listing = "\n".join(str(p) for p in demo_pdfs()[:2]) + f"\n{tmp_path / 'missing.pdf'}\n"
    result = CliRunner().invoke(
        main, ["--home", str(tmp_path / "home"), "import", "-"], input=listing
    )
    assert result.exit_code == 1
    assert "2 added" in result.output
    assert "no such file or folder" in result.output


# --- metadata from staff: CSV and BibTeX -------------------------------------------------------

CSV_TEXT = """file,title,authors,year,doi,tags,abstract,type
amur-tiger-fact-sheet.pdf,Tigers of the Sikhote-Alin,Yuri Kuznetsov; Sarah Mitchell,2019,\
10.1234/tiger.2019,tiger; census,Counting tigers.,Fact sheet
snow-leopard-fact-sheet.pdf,Snow leopards,,20xx,,,,
camera-trapping-guide.pdf,Camera traps,,,not-a-doi,,,
,Orphan row,,2001,,,,
zoo-reintroduction-report.pdf,Zoo leopards,,,,,,pamphlet
"""


def test_csv_metadata_overrides_and_reports_bad_rows(tmp_path: Path) -> None:
    csv_file = tmp_path / "papers.csv"
    csv_file.write_text(CSV_TEXT)
    home = tmp_path / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home), "import", str(DEMO_PAPERS), "--metadata", str(csv_file)]
    )
    assert result.exit_code == 0, result.output
    assert "line 3: '20xx' is not a year; row skipped" in result.output
    assert "line 4: 'not-a-doi' is not a DOI; row skipped" in result.output
    assert "line 5: neither a file name nor a DOI to match; row skipped" in result.output
    assert "line 6: 'pamphlet' is not a document type" in result.output
    archive = ArchiveHome.at(home)
    hits = search(archive.index, "Sikhote-Alin census").hits
    tiger = archive.library.get(hits[0].id)
    assert tiger.title == "Tigers of the Sikhote-Alin"
    assert tiger.authors == ["Yuri Kuznetsov", "Sarah Mitchell"]
    assert (tiger.year, tiger.doi) == (2019, "10.1234/tiger.2019")
    assert tiger.tags == ["tiger", "census"]
    assert tiger.abstract == "Counting tigers."
    assert tiger.doc_type == "fact-sheet"
    assert search(archive.index, "doi:10.1234/tiger.2019").total == 1
    # Bad rows changed nothing.
    snow = next(p for p in archive.library.papers() if p.filename.startswith("snow"))
    assert snow.title == "The Snow Leopard: A Fact Sheet"
    zoo = next(p for p in archive.library.papers() if p.filename.startswith("zoo"))
    assert (zoo.title, zoo.doc_type) == (
        "Reintroduction from Zoo Populations: Lessons for the Amur Leopard",
        "other",
    )


BIB_TEXT = r"""@article{petrova2024,
  title = {Leopards of {Kedrovaya} {Pad}: a r\'esum\'e},
  author = {Petrova, Anna and Whitfield, James},
  year = {2023},
  file = {Full Text PDF:files/7/amur-leopard-fact-sheet.pdf:application/pdf},
  keywords = {leopard, Primorye}
}

@article{broken, title = {Missing brace, year = 2020

@misc{bydoi,
  title = {Matched by DOI},
  doi = {10.5555/NOPE},
  year = {2015}
}
"""


def test_bibtex_metadata_matches_by_file_name(tmp_path: Path) -> None:
    bib = tmp_path / "library.bib"
    bib.write_text(BIB_TEXT)
    home = tmp_path / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home), "import", str(DEMO_PAPERS), "--metadata", str(bib)]
    )
    assert result.exit_code == 0, result.output
    assert "not valid BibTeX" in result.output
    archive = ArchiveHome.at(home)
    leopard = next(p for p in archive.library.papers() if p.filename.startswith("amur-leopard"))
    assert leopard.title == "Leopards of Kedrovaya Pad: a résumé"
    assert leopard.authors == ["Petrova, Anna", "Whitfield, James"]
    assert leopard.year == 2023
    assert leopard.tags == ["leopard", "Primorye"]
    assert leopard.doc_type == "article"  # @article


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("report", "report"),
        ("Fact sheet", "fact-sheet"),
        ("FACT-SHEET", "fact-sheet"),
        ("journalArticle", "article"),
        ("bookSection", "book"),
        ("techreport", "report"),
        ("phdthesis", "thesis"),
        ("inproceedings", "conference"),
        ("misc", None),
        ("pamphlet", None),
        ("", None),
    ],
)
def test_document_types_from_reference_managers(value: str, expected: str | None) -> None:
    assert doc_type_from(value) == expected


def test_unreadable_metadata_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "meta.csv"
    bad.write_text("name,colour\nx,y\n")
    result = CliRunner().invoke(
        main, ["--home", str(tmp_path / "h"), "import", str(DEMO_PAPERS), "--metadata", str(bad)]
    )
    assert result.exit_code == 1
    assert "needs a header row with a 'file' or a 'doi' column" in result.output
    assert not (tmp_path / "h" / "library").exists() or not list(
        ArchiveHome.at(tmp_path / "h").library.ids()
    )


def test_report_summary_counts_failures_by_reason(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("a.pdf", "b.pdf"):
        (inbox / name).write_text("plain text")
    (inbox / "c.pdf").write_bytes(b"")
    buffer = io.StringIO()
    result = CliRunner().invoke(
        main,
        ["--home", str(tmp_path / "h"), "import", str(inbox), "--report", str(tmp_path / "r.json")],
    )
    buffer.write(result.output)
    summary = json.loads((tmp_path / "r.json").read_text())["summary"]
    # b.pdf has a.pdf's bytes: a copy of a broken file fails the same way.
    assert summary["failed_by_reason"] == {"not a PDF": 2, "empty file (0 bytes)": 1}
    assert "failed, not a PDF: 2" in buffer.getvalue()


# --- a full disk: a clear error, a consistent library, and the next run finishes -------------


class InProcessPool:
    """The extraction pool's work done in the test's own process, where a stand-in for a full
    disk reaches it (the pool's workers start from a clean server process)."""

    def __init__(self, processes: int, log_file: Path, limits: Limits, work: Callable) -> None:
        self.work = work
        self.worker_cpu_s = 0.0

    def run(self, jobs: list[Job]):  # type: ignore[no-untyped-def]
        for job in jobs:
            yield job, self.work(job.path, job.filename, lambda page: None)


def test_full_disk_during_import_is_a_clear_error_and_leaves_a_consistent_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import archive.library
    import indexer.ingest.importer

    # A new paper's files are written by a worker, then flushed to disk with the papers that
    # came in with it: at once (the file system's flush), or where that fails, one file at a
    # time (archive.library._sync each).
    real_sync = archive.library._sync
    syncs = 0

    def no_flush_at_once(directory) -> None:  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    def disk_fills_up(handle) -> None:  # type: ignore[no-untyped-def]
        nonlocal syncs
        syncs += 1
        if syncs > 4:  # the first paper fits (its PDF, text, thumbnail and metadata)
            raise OSError(errno.ENOSPC, "No space left on device")
        real_sync(handle)

    monkeypatch.setattr(archive.library, "_sync", disk_fills_up)
    monkeypatch.setattr(archive.library, "_sync_file_system", no_flush_at_once)
    monkeypatch.setattr(indexer.ingest.importer, "ExtractionPool", InProcessPool)
    home_dir = tmp_path / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home_dir), "import", str(DEMO_PAPERS), "--jobs", "1"]
    )
    assert result.exit_code == 1
    assert "The disk is full" in result.output
    assert "run the same command again" in result.output
    assert "Traceback" not in result.output

    home = ArchiveHome.at(home_dir)
    assert len(list(home.library.ids())) == 1
    assert not list(home.library.tmp.glob("*/*"))  # no half-written paper left behind
    assert verify(home).clean

    monkeypatch.undo()
    rerun = CliRunner().invoke(main, ["--home", str(home_dir), "import", str(DEMO_PAPERS)])
    assert rerun.exit_code == 0, rerun.output
    home = ArchiveHome.at(home_dir)
    assert len(list(home.library.ids())) == len(demo_pdfs())
    assert verify(home).clean


def test_a_file_changed_while_it_was_read_is_refused(
    home: ArchiveHome, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import indexer.ingest.importer

    # The importer hashed other bytes than its worker then read and staged (the file was
    # rewritten in between): nothing is stored under an id that is not its bytes'.
    source = DEMO_PAPERS / "amur-tiger-fact-sheet.pdf"
    monkeypatch.setattr(indexer.ingest.importer, "file_sha256", lambda path: "ab" * 32)
    report = import_paths(home, [source], jobs=1)
    assert [(o.status, o.reason) for o in report.files] == [
        ("failed", "changed while it was being imported")
    ]
    assert list(home.library.ids()) == []
    assert home.index.stats()["papers"] == 0
    assert not list(home.library.tmp.glob("*/*"))


# --- scanned papers: OCR when available, a clear note when not --------------------------------

SCANNED = CORPUS / "unstructured" / "loremipsum-flat.pdf"  # one page, an image of text


@pytest.mark.skipif(not SCANNED.is_file(), reason="needs the shared corpus")
@pytest.mark.skipif(not ocr_available(), reason="needs OCRmyPDF and Tesseract")
def test_scanned_paper_is_made_searchable_and_stays_byte_identical(home: ArchiveHome) -> None:
    report = import_paths(home, [SCANNED], jobs=1)
    [outcome] = report.files
    assert outcome.status == "added"
    assert outcome.reason == "1 scanned pages made searchable with OCR"
    found = search(home.index, "consectetur adipiscing")
    assert [hit.id for hit in found.hits] == [outcome.id]
    assert found.hits[0].pages == [1]
    assert home.library.pdf_path(outcome.id).read_bytes() == SCANNED.read_bytes()


@pytest.mark.skipif(not SCANNED.is_file(), reason="needs the shared corpus")
def test_scanned_paper_without_ocr_says_so(
    home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("indexer.ingest.importer.ocr_available", lambda: False)
    [outcome] = import_paths(home, [SCANNED], jobs=1).files
    assert outcome.status == "added"
    assert outcome.reason == (
        "no text layer (scanned): 1 pages not searchable, OCR is not available "
        "(install tesseract-ocr and ocrmypdf)"
    )
    assert search(home.index, "consectetur").total == 0


@pytest.mark.skipif(not SCANNED.is_file(), reason="needs the shared corpus")
def test_ocr_never(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--home",
            str(tmp_path / "h"),
            "import",
            str(SCANNED),
            "--ocr",
            "never",
            "--report",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 0
    [row] = json.loads((tmp_path / "r.json").read_text())["files"]
    assert row["reason"] == "no text layer (scanned?): only its metadata is searchable"
