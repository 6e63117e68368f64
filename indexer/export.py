"""Getting papers out: all matches of a query as a ZIP (streamed) or a folder.

An export holds each matching PDF under a readable, unique, safe name
(``2018 Smith - Amur leopard camera traps.pdf``), a ``manifest.csv`` saying what each file is, and
a ``references.bib`` to cite them. The web app streams it (``/search.zip``) and the command line
writes it to a file or a folder (``archive export``); both call this module.

File names are built from metadata that came out of PDFs, so they are treated as hostile: no
path separators, no ``..``, no control or bidi characters, no Windows device names, bounded
length, unique even on case-insensitive file systems. Stored files are only ever located by
their validated id (see :class:`archive.library.Library`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from zipstream import ZIP_STORED, ZipStream

from archive.citation import bibtex, one_line, surname, venue_text
from archive.library import PaperNotFound
from archive.paper import Paper
from archive.spreadsheets import spreadsheet_cell
from indexer.constants import DEFAULT_MAX_PAPERS
from indexer.engine.facets import Filters
from indexer.engine.search import matching_ids
from indexer.home import ArchiveHome

MANIFEST_NAME = "manifest.csv"
REFERENCES_NAME = "references.bib"
# venue last: scripts reading the earlier columns by position keep working.
MANIFEST_COLUMNS = ("file", "title", "authors", "year", "doi", "pages", "link", "access", "venue")
# Defaults of the cap; the web app and the command line can set their own.
DEFAULT_MAX_BYTES = 2 * 1024**3
# A file name's stem is cut to this many characters and UTF-8 bytes, leaving room for
# " (123).pdf" under the 255-byte limit of common file systems and for a folder above it.
MAX_STEM_CHARS = 120
MAX_STEM_BYTES = 180
# Characters Windows, macOS or a ZIP reader treat as separators or forbid in names.
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\u2215\u2044\uff0f\uff3c]')
_DOTS = re.compile(r"\.{2,}")
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{name}{n}" for name in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)

LinkFor = Callable[[Paper], str | None]


class ExportError(Exception):
    """The export cannot be made; ``str(error)`` says why, for a person."""


class NoMatches(ExportError):
    """The query matches no paper."""


class ExportTooLarge(ExportError):
    """The matches exceed the cap on papers or bytes."""


@dataclass(frozen=True)
class ExportItem:
    """One paper of an export: its metadata, its stored PDF and its name in the export."""

    paper: Paper
    source: Path
    size: int
    name: str


@dataclass(frozen=True)
class Export:
    """The papers a query exports, in result order."""

    query: str
    items: list[ExportItem]
    # Matching papers left out because the public may not read them (on request).
    withheld: int = 0

    @property
    def total_bytes(self) -> int:
        """The PDFs' bytes added up."""
        return sum(item.size for item in self.items)

    @property
    def papers(self) -> list[Paper]:
        """The papers' metadata, in order."""
        return [item.paper for item in self.items]


# --- choosing the papers ------------------------------------------------------------------------


def human_size(size: float) -> str:
    """1536 -> "1.5 KB" (powers of 1024, as file managers show them)."""
    if size < 1024:
        return f"{size:.0f} bytes"
    for unit in ("KB", "MB"):
        size /= 1024
        if size < 1024:
            return f"{size:.1f} {unit}"
    return f"{size / 1024:.1f} GB"


def choose_papers(
    home: ArchiveHome,
    query: str,
    *,
    max_papers: int = DEFAULT_MAX_PAPERS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    sort: str = "relevance",
    filters: Filters | None = None,
    public: bool = False,
    pdfs: bool = True,
) -> Export:
    """The papers matching ``query`` (narrowed by the results page's ``filters``), within the
    cap. ``public`` keeps only what the public may have today, judged by each paper's sidecar
    (the truth, even before the index catches up): with ``pdfs``, the papers it may read (an
    on-request paper's PDF is not in a public ZIP); without, those it may list (citations).
    The command line is a staff tool and exports everything.

    Raises :class:`indexer.engine.search.QueryError` for an unusable query, :class:`NoMatches` and
    :class:`ExportTooLarge` (with a message saying what to do).
    """
    total, ids = matching_ids(
        home.index,
        query,
        limit=max_papers,
        sort=sort,
        filters=filters,
        thesaurus=home.thesaurus(),
        public=public,
    )
    if total == 0:
        raise NoMatches(f"No papers match {one_line(query)!r}, so there is nothing to download.")
    if total > max_papers:
        raise ExportTooLarge(
            f"This search matches {total} papers; at most {max_papers} can be downloaded at "
            "once. Narrow it down (for example with year:2010-2018 or title:words) and download "
            "the parts one by one."
        )
    papers: list[tuple[Paper, Path, int]] = []
    withheld = 0
    for paper_id in ids:
        try:
            paper = home.library.get(paper_id)
            source = home.library.pdf_path(paper_id)
        except PaperNotFound:
            continue  # removed since the index was last written: nothing to send
        if public and not paper.may_list():
            continue  # made staff-only since the index was last written
        if public and pdfs and not paper.may_read():
            withheld += 1
            continue
        papers.append((paper, source, source.stat().st_size))
    if not papers and withheld:
        raise NoMatches(
            f"The papers matching {one_line(query)!r} are available on request only; ask for "
            "a copy on each paper's page."
        )
    if not papers:
        raise NoMatches(f"No papers match {one_line(query)!r}, so there is nothing to download.")
    total_bytes = sum(size for _, _, size in papers)
    if total_bytes > max_bytes:
        raise ExportTooLarge(
            f"The {len(papers)} papers of this search add up to {human_size(total_bytes)}; at "
            f"most {human_size(max_bytes)} can be downloaded at once. Narrow the search down "
            "and download the parts one by one."
        )
    names = unique_file_names([paper for paper, _, _ in papers])
    items = [
        ExportItem(paper=paper, source=source, size=size, name=name)
        for (paper, source, size), name in zip(papers, names, strict=True)
    ]
    return Export(query=query, items=items, withheld=withheld)


# --- names --------------------------------------------------------------------------------------


def _author_label(authors: Sequence[str]) -> str:
    names = [surname(name) for name in authors if one_line(name)]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} & {names[1]}"
    return f"{names[0]} et al"


def _truncate(text: str) -> str:
    text = text[:MAX_STEM_CHARS]
    while len(text.encode("utf-8")) > MAX_STEM_BYTES:
        text = text[:-1]
    return text


def safe_stem(text: str) -> str:
    """``text`` made safe as a file name without extension (may return "")."""
    text = one_line(text)  # NFC, no control, format (bidi) or line-break characters
    text = _UNSAFE_CHARS.sub(" ", text)
    text = _DOTS.sub(".", text)
    text = " ".join(text.split())
    text = _truncate(text).strip(" .")  # Windows drops trailing dots and spaces
    if text.split(".")[0].strip().upper() in _WINDOWS_DEVICES:
        text = "_" + text
    return text


def file_stem(paper: Paper) -> str:
    """``2018 Smith - Amur leopard camera traps``: year, first author, title, made safe."""
    head = " ".join(part for part in (str(paper.year or ""), _author_label(paper.authors)) if part)
    title = one_line(paper.title)
    stem = safe_stem(f"{head} - {title}" if head and title else head or title)
    return stem or f"paper {paper.id[:12]}"


def unique_file_names(papers: Sequence[Paper], extension: str = ".pdf") -> list[str]:
    """A safe file name for each paper, unique ignoring case (as macOS and Windows compare)."""
    used: set[str] = {MANIFEST_NAME, REFERENCES_NAME}
    names = []
    for paper in papers:
        stem = file_stem(paper)
        name = stem + extension
        number = 1
        while name.casefold() in used:
            number += 1
            name = f"{stem} ({number}){extension}"
        used.add(name.casefold())
        names.append(name)
    return names


def zip_file_name(query: str) -> str:
    """The download name of a query's ZIP, ASCII only: ``archive-amur-leopard.zip``."""
    folded = unicodedata.normalize("NFKD", query).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(re.findall(r"[a-z0-9]+", folded.lower()))[:60].strip("-")
    return f"archive-{slug or 'papers'}.zip"


# --- contents -----------------------------------------------------------------------------------


def _cell(value: object) -> str:
    # One line, and never a formula to a spreadsheet (a title such as "=HYPERLINK(...)").
    return spreadsheet_cell(one_line(str(value)) if value is not None else "")


def manifest_csv(export: Export, link_for: LinkFor | None = None) -> bytes:
    """``manifest.csv``: one row per file (file, title, authors, year, doi, pages, link,
    access: the paper's access level, as set, with its embargo date when it has one; venue:
    where it was published, as a reference gives it).

    UTF-8 with a byte-order mark, so that spreadsheet programs show accents correctly.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(MANIFEST_COLUMNS)
    for item in export.items:
        paper = item.paper
        link = link_for(paper) if link_for else None
        writer.writerow(
            [
                _cell(item.name),
                _cell(paper.title),
                _cell("; ".join(paper.authors)),
                _cell(paper.year),
                _cell(paper.doi),
                _cell(paper.pages),
                _cell(link),
                _cell(paper.access + (f" until {paper.embargo}" if paper.embargo else "")),
                _cell(venue_text(paper)),
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def references_bib(export: Export, link_for: LinkFor | None = None) -> bytes:
    """``references.bib``: a BibTeX entry for each paper, with unique keys."""
    urls = [link_for(item.paper) if link_for else None for item in export.items]
    return bibtex(export.papers, urls).encode("utf-8")


def zip_stream(export: Export, link_for: LinkFor | None = None) -> ZipStream:
    """The export as a ZIP that is built while it is read, in constant memory.

    PDFs are stored, not deflated (they are compressed inside already, and storing keeps the
    stream as fast as copying files); the stream's length is known before it starts. The two
    small files come first, so even a cut-off download says what it holds.
    """
    if link_for is not None:
        # Each link is wanted twice (manifest, references); building URLs is not free.
        links = {item.paper.id: link_for(item.paper) for item in export.items}
        link_for = lambda paper: links[paper.id]  # noqa: E731
    stream = ZipStream(compress_type=ZIP_STORED, sized=True)
    stream.add(manifest_csv(export, link_for), MANIFEST_NAME)
    stream.add(references_bib(export, link_for), REFERENCES_NAME)
    for item in export.items:
        stream.add_path(str(item.source), item.name)
    return stream


# --- writing it to disk (the command line) ------------------------------------------------------


def _partial_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.partial-{uuid.uuid4().hex[:8]}")


def write_zip(
    export: Export,
    target: Path,
    *,
    link_for: LinkFor | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> int:
    """Write the export's ZIP to ``target`` (which must not exist); returns its size.

    The file appears only when complete: it is written under a hidden name and renamed.
    """
    if target.exists():
        raise ExportError(f"{target} already exists; choose another name or remove it first.")
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist.")
    stream = zip_stream(export, link_for)
    partial = _partial_path(target)
    try:
        with partial.open("wb") as handle:
            for chunk in stream:
                handle.write(chunk)
                if on_bytes:
                    on_bytes(len(chunk))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return len(stream)


def zip_size(export: Export, link_for: LinkFor | None = None) -> int:
    """How many bytes the export's ZIP will have."""
    return len(zip_stream(export, link_for))


def export_to_folder(
    export: Export,
    target: Path,
    *,
    link_for: LinkFor | None = None,
    on_item: Callable[[ExportItem], None] | None = None,
) -> None:
    """Copy the export's PDFs, manifest and references into ``target``, a new or empty folder.

    The folder appears only when complete (filled under a hidden name, then renamed).
    """
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file, not a folder.")
    if target.is_dir() and any(target.iterdir()):
        raise ExportError(
            f"The folder {target} is not empty; choose a new or empty folder so that no file "
            "of yours is overwritten."
        )
    if not target.parent.is_dir():
        raise ExportError(f"The folder {target.parent} does not exist.")
    partial = _partial_path(target)
    partial.mkdir()
    try:
        (partial / MANIFEST_NAME).write_bytes(manifest_csv(export, link_for))
        (partial / REFERENCES_NAME).write_bytes(references_bib(export, link_for))
        for item in export.items:
            shutil.copyfile(item.source, partial / item.name)
            if on_item:
                on_item(item)
        if target.is_dir():
            target.rmdir()  # empty, checked above; rename cannot replace a folder elsewhere
        os.rename(partial, target)
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
