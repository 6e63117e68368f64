"""Integrity of an archive home: does the library hold what it should, and does the index agree?

:func:`verify` reads every paper folder (recomputing each PDF's SHA-256, which is its id) and
every paper the index knows, and lists what is wrong in plain words. With ``repair=True`` it
then fixes what can be fixed without a person:

* a paper missing from the index, or indexed with old metadata, is indexed again from its cached
  text (no PDF is read);
* an index entry whose paper is not in the library is dropped;
* a text cache that does not parse is extracted again from the (intact) PDF;
* a file name holding newlines, control or invisible characters or double quotes (kept by
  versions that did not clean names at import) is cleaned as an import now would;
* a paper without a thumbnail (imported by an older version, say) gets one drawn;
* a paper folder that cannot be trusted (missing or altered PDF, metadata that does not parse)
  is moved whole into ``HOME/quarantine/``, never deleted, and a person is told what to do.

The library is the source of truth: repairs change the index to match it, never the reverse.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh.query import Term

from archive.filenames import clean_filename
from archive.library import (
    META_NAME,
    PDF_NAME,
    TEXT_NAME,
    THUMBNAIL_FAILED_NAME,
    THUMBNAIL_NAME,
    file_sha256,
)
from archive.paper import Paper
from archive.usage import USAGE_FILE, UsageStore
from indexer.home import ArchiveHome
from indexer.index import IndexBusy, paper_documents, paper_summary
from indexer.ingest.extract import Extraction
from indexer.ingest.workers import ExtractionPool, Job, Limits
from indexer.pictures.thumbnails import draw_thumbnails
from indexer.schema import ANSWER, PAGE, PAPER

# Kinds of problem, from the library's side and then the index's side.
PDF_MISSING = "pdf-missing"
PDF_ALTERED = "pdf-altered"
METADATA_BROKEN = "metadata-broken"
TEXT_BROKEN = "text-broken"
FILENAME_UNSAFE = "unsafe-file-name"
NOT_INDEXED = "not-indexed"
STALE = "stale-index-entry"
ORPHAN = "orphan-index-entry"
USAGE_BROKEN = "usage-store-broken"
THUMBNAIL_MISSING = "thumbnail-missing"
# Problems that mean the paper folder cannot be trusted: repair moves it aside.
UNTRUSTED = frozenset({PDF_MISSING, PDF_ALTERED, METADATA_BROKEN})


@dataclass
class Problem:
    """One thing wrong with the archive, said for a person."""

    kind: str
    paper_id: str
    message: str

    def __str__(self) -> str:
        return f"{self.paper_id[:12]}: {self.message}"


@dataclass
class VerifyReport:
    """What :func:`verify` found and, with ``repair``, what it did and what it left to a person."""

    home: Path
    papers: int = 0
    indexed: int = 0
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    needs_person: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        """The report as plain data (``archive verify --json``)."""
        return {
            "home": str(self.home),
            "papers": self.papers,
            "indexed": self.indexed,
            "clean": self.clean,
            "problems": [vars(problem) for problem in self.problems],
            "repaired": self.repaired,
            "needs_person": self.needs_person,
        }


@dataclass
class _IndexEntry:
    summary: Any = None
    paper_docs: int = 0
    page_docs: int = 0


@dataclass
class _Folder:
    """What one paper folder holds, as far as it could be read."""

    paper_id: str
    path: Path
    paper: Paper | None = None
    pages: list[str] | None = None
    problems: list[Problem] = field(default_factory=list)


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def _check_folder(paper_id: str, path: Path) -> _Folder:
    """Read and check one paper folder: sidecar, PDF checksum, text cache."""
    found = _Folder(paper_id, path)

    def problem(kind: str, message: str) -> None:
        found.problems.append(Problem(kind, paper_id, message))

    try:
        paper = Paper.from_dict(_read_json(path / META_NAME))
        if paper.id != paper_id:
            raise ValueError("it names another paper")
        found.paper = paper
        if clean_filename(paper.filename) != paper.filename:
            problem(
                FILENAME_UNSAFE,
                f"the file name {paper.filename!r} holds characters that cannot be shown or "
                "sent safely (newlines, control or invisible characters, double quotes).",
            )
    except FileNotFoundError:
        problem(METADATA_BROKEN, "the metadata file (paper.json) is missing.")
    except (ValueError, TypeError, AttributeError) as error:
        # JSONDecodeError and UnicodeDecodeError are ValueErrors; a JSON list or missing keys
        # make Paper.from_dict raise TypeError or AttributeError.
        problem(METADATA_BROKEN, f"the metadata file (paper.json) does not parse ({error}).")

    pdf = path / PDF_NAME
    if not pdf.is_file():
        problem(PDF_MISSING, "the PDF (paper.pdf) is missing.")
    elif file_sha256(pdf) != paper_id:
        problem(
            PDF_ALTERED,
            "the PDF has changed since it was imported (its SHA-256 checksum no longer matches).",
        )

    try:
        pages = _read_json(path / TEXT_NAME)["pages"]
        if not (isinstance(pages, list) and all(isinstance(page, str) for page in pages)):
            raise ValueError("its pages are not text")
        if found.paper and len(pages) != found.paper.pages:
            raise ValueError(f"{len(pages)} pages of text for a {found.paper.pages}-page paper")
        found.pages = pages
    except FileNotFoundError:
        problem(TEXT_BROKEN, "the cached text (text.json) is missing.")
    except (ValueError, TypeError, KeyError) as error:
        problem(TEXT_BROKEN, f"the cached text (text.json) does not parse ({error}).")
    if found.paper is not None and pdf.is_file() and not has_thumbnail_state_in(path):
        problem(THUMBNAIL_MISSING, f"the first page's thumbnail ({THUMBNAIL_NAME}) is missing.")
    return found


def has_thumbnail_state_in(path: Path) -> bool:
    """True when a paper folder holds its thumbnail, or the note that none can be drawn."""
    return (path / THUMBNAIL_NAME).is_file() or (path / THUMBNAIL_FAILED_NAME).is_file()


def _index_entries(home: ArchiveHome) -> dict[str, _IndexEntry]:
    """Every paper id the index holds documents for, with its stored summary and how many paper
    and page documents it has."""
    entries: dict[str, _IndexEntry] = defaultdict(_IndexEntry)
    with home.index.open().searcher() as searcher:
        page_docs = set(Term("kind", PAGE).docs(searcher))
        # Published answers to readers' questions: documents of their own, not papers.
        answer_docs = set(Term("kind", ANSWER).docs(searcher))
        for hit in searcher.search(Term("kind", PAPER), limit=None):
            entries[hit["paper_id"]].summary = hit.get("summary")
        # The lexicon still lists ids whose documents are all deleted; .docs() skips those.
        for raw in searcher.reader().lexicon("paper_id"):
            paper_id = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            for docnum in Term("paper_id", paper_id).docs(searcher):
                if docnum in answer_docs:
                    continue
                entry = entries[paper_id]
                if docnum in page_docs:
                    entry.page_docs += 1
                else:
                    entry.paper_docs += 1
    return dict(entries)


def _index_problems(folder: _Folder, entry: _IndexEntry | None) -> list[Problem]:
    """How the index disagrees with a readable paper folder."""
    assert folder.paper is not None and folder.pages is not None
    if entry is None or not entry.paper_docs:
        return [Problem(NOT_INDEXED, folder.paper_id, "the paper is not in the search index.")]
    expected_pages = sum(1 for page in folder.pages if page)
    if entry.paper_docs != 1:
        reason = f"it is indexed {entry.paper_docs} times"
    elif entry.summary != paper_summary(folder.paper):
        reason = "the index shows older metadata than paper.json"
    elif entry.page_docs != expected_pages:
        reason = f"the index has {entry.page_docs} of its {expected_pages} pages with text"
    else:
        return []
    return [Problem(STALE, folder.paper_id, f"the search index is out of date: {reason}.")]


def verify(
    home: ArchiveHome,
    repair: bool = False,
    on_folder: Callable[[str], None] | None = None,
    limits: Limits | None = None,
) -> VerifyReport:
    """Compare the library with the index; with ``repair``, fix what can be fixed.

    ``on_folder`` is called with each paper id as its folder is checked (for a progress bar).
    ``limits`` bound the re-extraction of a broken text cache (as in an import).
    """
    report = VerifyReport(home=home.root)
    folders: dict[str, _Folder] = {}
    for paper_id, path in home.library.folders():
        folders[paper_id] = _check_folder(paper_id, path)
        if on_folder:
            on_folder(paper_id)
    report.papers = len(folders)
    entries = _index_entries(home)
    report.indexed = sum(1 for entry in entries.values() if entry.paper_docs)

    for paper_id, folder in folders.items():
        report.problems += folder.problems
        if folder.paper is not None and folder.pages is not None:
            report.problems += _index_problems(folder, entries.get(paper_id))
    orphans = sorted(set(entries) - set(folders))
    report.problems += [
        Problem(ORPHAN, paper_id, "the search index lists a paper that is not in the library.")
        for paper_id in orphans
    ]
    usage_problem = UsageStore(home.root).check()
    if usage_problem:
        report.problems.append(Problem(USAGE_BROKEN, USAGE_FILE, usage_problem))
        if repair:
            report.needs_person.append(
                f"Usage statistics: {usage_problem} Stop the server, restore {USAGE_FILE} from a"
                " backup or move it aside (counting then starts afresh)."
            )
    if repair and any(problem.kind != USAGE_BROKEN for problem in report.problems):
        _repair(home, report, folders, orphans, limits or Limits())
    return report


def _repair(
    home: ArchiveHome,
    report: VerifyReport,
    folders: dict[str, _Folder],
    orphans: list[str],
    limits: Limits,
) -> None:
    # A missing thumbnail is drawn again; the paper's index entry is fine.
    broken = {p.paper_id for p in report.problems if p.kind != THUMBNAIL_MISSING}
    untrusted = {p.paper_id for p in report.problems if p.kind in UNTRUSTED}
    for paper_id in sorted(untrusted):
        _quarantine(home, report, folders.pop(paper_id))
    _clean_filenames(home, report, folders)
    retext = [f for f in folders.values() if f.paper and f.pages is None and f.paper_id in broken]
    _extract_again(home, report, retext, limits)
    _draw_missing_thumbnails(home, report, folders, limits)
    drop = set(orphans) | untrusted
    reindex = [
        folders[paper_id]
        for paper_id in sorted(broken - drop)
        if paper_id in folders and folders[paper_id].pages is not None
    ]
    try:
        with home.index.writer() as writer:
            for paper_id in sorted(drop):
                writer.delete_by_term("paper_id", paper_id)
            for folder in reindex:
                assert folder.paper is not None and folder.pages is not None
                writer.delete_by_term("paper_id", folder.paper_id)
                for document in paper_documents(folder.paper, folder.pages):
                    writer.add_document(**document)
    except IndexBusy:
        report.needs_person.append(
            "The search index is busy with an import or an upload: run `archive verify --repair`"
            " again when it has finished."
        )
        return
    if reindex:
        report.repaired.append(
            f"Indexed {_count(len(reindex), 'paper')} again from their cached text."
        )
    if orphans:
        report.repaired.append(
            f"Dropped {_count(len(orphans), 'index entry', 'index entries')} without a paper."
        )


def _clean_filenames(home: ArchiveHome, report: VerifyReport, folders: dict[str, _Folder]) -> None:
    """Give papers with an unsafe file name the cleaned one (they are indexed again after)."""
    for problem in report.problems:
        folder = folders.get(problem.paper_id)
        if problem.kind != FILENAME_UNSAFE or folder is None:
            continue
        # Read again just before writing, so that an edit made meanwhile is kept.
        paper = home.library.get(problem.paper_id)
        paper.filename = clean_filename(paper.filename)
        home.library.save(paper)
        folder.paper = paper
        report.repaired.append(f"Gave {problem.paper_id[:12]} the file name {paper.filename!r}.")


def _draw_missing_thumbnails(
    home: ArchiveHome, report: VerifyReport, folders: dict[str, _Folder], limits: Limits
) -> None:
    wanted = [
        p.paper_id for p in report.problems if p.kind == THUMBNAIL_MISSING and p.paper_id in folders
    ]
    if not wanted:
        return
    drawn = draw_thumbnails(home, wanted, limits=limits)
    if drawn.drawn:
        report.repaired.append(f"Drew the thumbnail of {_count(len(drawn.drawn), 'paper')}.")
    if drawn.placeholders:
        report.repaired.append(
            f"Gave {_count(len(drawn.placeholders), 'paper')} a placeholder thumbnail: "
            "their first page could not be drawn."
        )


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def _quarantine(home: ArchiveHome, report: VerifyReport, folder: _Folder) -> None:
    """Move an untrustworthy paper folder out of the library, keeping every byte of it."""
    try:
        moved = home.library.move_aside(folder.paper_id, home.quarantine_dir)
    except OSError as error:
        report.needs_person.append(
            f"{folder.paper_id[:12]} could not be moved aside ({error.strerror}); "
            f"look at {folder.path} yourself."
        )
        return
    title = f' ("{folder.paper.title}")' if folder.paper else ""
    report.repaired.append(f"Moved {folder.paper_id[:12]}{title} out of the library to {moved}.")
    kinds = {problem.kind for problem in folder.problems}
    if PDF_ALTERED in kinds or PDF_MISSING in kinds:
        advice = "restore its folder from a backup, or import the original PDF again"
    else:
        advice = f"import {moved / PDF_NAME} again to give it fresh metadata"
    report.needs_person.append(
        f"{folder.paper_id[:12]}{title} is no longer in the archive: {advice}."
    )


def _extract_again(
    home: ArchiveHome, report: VerifyReport, folders: list[_Folder], limits: Limits
) -> None:
    """Rebuild broken text caches from their PDFs (checked intact), as an import would."""
    if not folders:
        return
    by_id = {folder.paper_id: folder for folder in folders}
    jobs = [
        Job(folder.paper_id, folder.path / PDF_NAME, folder.paper.filename)
        for folder in folders
        if folder.paper is not None
    ]
    pool = ExtractionPool(1, home.log_dir / "import.log", limits)
    for job, result in pool.run(jobs):
        folder = by_id[job.key]
        if isinstance(result, Extraction):
            home.library.replace_page_texts(folder.paper_id, result.pages)
            folder.pages = result.pages
            report.repaired.append(
                f"Extracted the text of {folder.paper_id[:12]} again from its PDF."
            )
        else:
            report.needs_person.append(
                f"The text of {folder.paper_id[:12]} could not be extracted again ({result})."
            )
