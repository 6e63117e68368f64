"""Reading a PDF: its text page by page, and its metadata, with pypdf.

:func:`extract_pdf` is the one entry point. It never lets a pypdf exception escape: a PDF that
cannot be read raises :class:`ExtractionError` whose message is a reason a curator understands.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

from archive.names import family_name
from archive.paper import Paper
from indexer.describe.cited_as import checked_against_citation, suggested_citation
from indexer.describe.evidence import evidence
from indexer.describe.header import (
    Header,
    RunCollector,
    Venue,
    fallback_title,
    is_cover_page,
    mend_broken_words,
    names_a_body,
    read_header,
    read_venue,
    trust_header_title,
)
from indexer.describe.metadata import (
    arxiv_year,
    copyright_year,
    find_doi,
    is_junk_title,
    is_placeholder_name,
    plausible_year,
    prints_a_year,
    split_authors,
    suspicious_info_title,
    tidy_title,
)
from indexer.describe.spanish_names import page_in_spanish, with_both_family_names
from indexer.ingest.pdf_reader import PdfFileReader
from indexer.ingest.word_gaps import long_runs, runs_together, trust_word_gaps
from indexer.normalize import MISREADINGS, clean_field, normalize_text

log = logging.getLogger(__name__)

TOO_LARGE = "too large to process"
DAMAGED = "damaged beyond repair"
PDF_MAGIC = b"%PDF-"
# The PDF header may follow some junk bytes; readers accept it within the first kilobyte.
HEADER_WINDOW = 1024


class ExtractionError(Exception):
    """A PDF could not be read; ``str(error)`` is the reason, worded for a curator."""


@dataclass
class Extraction:
    """What a PDF yields: normalised text per page and the metadata found in and on it."""

    pages: list[str]
    title: str
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    tags: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    abstract: str = ""
    container: str = ""
    volume: str = ""
    issue: str = ""
    page_range: str = ""
    publisher: str = ""
    # Where each value came from ("first-page", "pdf-info", "filename"), keyed by field name.
    sources: dict[str, str] = field(default_factory=dict)
    # What the PDF said for or against each value (indexer.describe.evidence), keyed by field.
    evidence: dict[str, float] = field(default_factory=dict)
    # Files drawn from the PDF for its folder (the thumbnail, see indexer/pictures/page_images.py).
    derived: dict[str, bytes] = field(default_factory=dict)

    def paper(self, paper_id: str, filename: str, size: int) -> Paper:
        """The paper this extraction describes, before any curator's or file's metadata."""
        return Paper(
            id=paper_id,
            title=self.title,
            filename=filename,
            pages=len(self.pages),
            size=size,
            authors=self.authors,
            year=self.year,
            doi=self.doi,
            tags=self.tags,
            abstract=self.abstract,
            container=self.container,
            volume=self.volume,
            issue=self.issue,
            page_range=self.page_range,
            publisher=self.publisher,
            sources=dict(self.sources),
            evidence=dict(self.evidence),
        )


def check_pdf_header(path: Path) -> None:
    """Raise :class:`ExtractionError` unless the file starts like a PDF."""
    with path.open("rb") as handle:
        head = handle.read(HEADER_WINDOW)
    if not head:
        raise ExtractionError("empty file (0 bytes)")
    if PDF_MAGIC not in head:
        raise ExtractionError("not a PDF")


def _limit_reason(error: LimitReachedError) -> str:
    # pypdf's safety limits: a loop in the page tree is damage; the rest guard against bombs.
    return DAMAGED if "cycle" in str(error).lower() else TOO_LARGE


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfFileReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractionError("encrypted with a password")
        # Touch the page tree now, so a broken one fails here with a clear reason.
        len(reader.pages)
    except ExtractionError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise ExtractionError("encrypted with a password") from None
    except LimitReachedError as error:
        raise ExtractionError(_limit_reason(error)) from None
    except NotImplementedError as error:
        raise ExtractionError(f"uses an unsupported PDF feature ({error})") from None
    except Exception as error:  # pypdf raises many types (PdfReadError...) on broken files
        log.info("cannot open %s: %r", path, error)
        raise ExtractionError(DAMAGED) from None
    return reader


def count_pages(
    path: Path, filename: str = "", on_page: Callable[[int], None] | None = None
) -> int | str:
    """How many pages a PDF has, or why it cannot be opened: a cheap look before it is read
    (its page tree is opened, no page). The signature is a worker's (see
    :class:`indexer.ingest.workers.ExtractionPool`); ``filename`` and ``on_page`` are unused."""
    try:
        check_pdf_header(path)
        return len(_open(path).pages)
    except ExtractionError as error:
        return str(error)


def _page_text(
    reader: PdfReader, number: int, runs: RunCollector | None, over_limit: list[int]
) -> str | None:
    """The raw text of one page, or None when the page cannot be read (its number is added
    to ``over_limit`` when a pypdf safety limit stopped it). ``runs``, when given, collects
    the page's text runs with their size and position (the layout of a first page)."""
    try:
        page = reader.pages[number]
        text = page.extract_text(visitor_text=runs)
        if runs_together(text):
            text = _read_with_word_gaps(page, text, runs)
        for misread, repair in MISREADINGS:
            if misread(text):
                text = repair(text)
                if runs is not None:
                    runs.runs = [replace(run, text=repair(run.text)) for run in runs.runs]
        return text
    except LimitReachedError as error:
        log.info("page %d over a safety limit: %r", number + 1, error)
        over_limit.append(number + 1)
        return None
    except MemoryError:
        raise
    except Exception as error:  # one bad page must not lose the others
        log.info("page %d unreadable: %r", number + 1, error)
        return None


def _read_with_word_gaps(page: PageObject, text: str, runs: RunCollector | None) -> str:
    """``page`` read again with the gaps between its words taken for spaces (word_gaps says
    why), when that reads its words apart; else ``text``, as read first. A font too odd to
    look at costs nothing: the first reading stands."""
    spaced_runs = RunCollector() if runs is not None else None
    try:
        if not trust_word_gaps(page):
            return text
        spaced = page.extract_text(visitor_text=spaced_runs)
    except (MemoryError, LimitReachedError):
        raise  # the page's limits, as for its first reading
    except Exception as error:
        log.info("words run together, not read again: %r", error)
        return text
    if long_runs(spaced) >= long_runs(text):
        return text
    if runs is not None and spaced_runs is not None:
        runs.runs = spaced_runs.runs
    return spaced


def _info(reader: PdfReader) -> dict[str, Any]:
    """The document information dictionary and XMP fields we use, tolerating broken ones."""
    found: dict[str, Any] = {"years": []}
    try:
        meta = reader.metadata
        if meta:
            found["title"] = _without_markup(meta.title)
            found["author"] = meta.author
            found["keywords"] = meta.get("/Keywords")
            created = meta.creation_date
            if isinstance(created, datetime):
                found["years"].append(created.year)
    except Exception as error:
        log.info("unreadable document info: %r", error)
    try:
        xmp = reader.xmp_metadata
        if xmp:
            titles = xmp.dc_title or {}
            found.setdefault("xmp_title", _without_markup(next(iter(titles.values()), None)))
            found["xmp_creators"] = list(xmp.dc_creator or [])
            dates = [d for d in (xmp.dc_date or []) if isinstance(d, datetime)]
            found["years"] = [d.year for d in dates] + found["years"]
    except Exception as error:
        log.info("unreadable XMP metadata: %r", error)
    return found


# A publisher's markup wrapped round a title field (JSTOR's: '<xref ref-type="transliteration"
# ...>Potassium-Argon Ages from the Galápagos Islands</xref>'). Markup inside a title is
# kept, to be escaped where it is shown like any other text.
_WRAPPED = re.compile(r"\s*<([a-zA-Z][\w:-]*)(?:\s[^<>]*)?>([^<>]*)</\1>\s*")


def _without_markup(title: Any) -> Any:
    if isinstance(title, str) and (match := _WRAPPED.fullmatch(title)):
        return match.group(2)
    return title


def _keywords(raw: Any) -> list[str]:
    text = clean_field(str(raw)) if raw else ""
    separator = ";" if ";" in text else ","
    return [word.strip() for word in text.split(separator) if word.strip()][:30]


def extract_pdf(
    path: Path, filename: str | None = None, on_page: Callable[[int], None] | None = None
) -> Extraction:
    """Read a PDF's text and metadata.

    ``filename`` is the name the paper is known by (defaults to the path's name); a title equal
    to it is junk. ``on_page`` is called with each page number once the page is read (a sign
    of progress for whoever watches the time). Raises :class:`ExtractionError` when the file
    cannot be read at all.
    """
    filename = filename or path.name
    check_pdf_header(path)
    reader = _open(path)
    # The layout is read for the first page only: it is where the header is, and reading
    # runs costs time on every page it is asked for.
    first_runs = RunCollector()
    # Behind a cover page (JSTOR, eScholarship, IOP) the paper's own first page is the second.
    second_runs: RunCollector | None = None
    over_limit: list[int] = []
    raw_pages = []
    for number in range(len(reader.pages)):
        if number == 1 and is_cover_page(raw_pages[0] or ""):
            second_runs = RunCollector()
        runs = first_runs if number == 0 else second_runs if number == 1 else None
        raw_pages.append(_page_text(reader, number, runs, over_limit))
        if on_page:
            on_page(number + 1)
    if raw_pages and all(page is None for page in raw_pages):
        raise ExtractionError(TOO_LARGE if over_limit else DAMAGED)
    pages = [normalize_text(page or "") for page in raw_pages]
    warnings = []
    unreadable = sum(page is None for page in raw_pages)
    if unreadable:
        warnings.append(f"{unreadable} of {len(pages)} pages could not be read")
    if not any(pages):
        warnings.append("no text layer (scanned?): only its metadata is searchable")

    first_raw = (raw_pages[0] or "") if raw_pages else ""
    try:
        header = read_header(first_runs.runs, first_raw)
        largest_text = fallback_title(first_runs.runs)
        venue = read_venue(first_raw)
        if second_runs is not None:
            behind = read_header(second_runs.runs, raw_pages[1] or "")
            # Behind the cover, a title drawn with no spaces is no title of the header's
            # ("Fluctuationdomainsinadaptiveevolution"); its names still are the paper's.
            if (
                (behind.title or not header.title)
                and behind.authors
                and not _own_first_page(header, behind)
            ):
                header, largest_text = behind, fallback_title(second_runs.runs)
                venue = venue if venue.year else read_venue(raw_pages[1] or "")
        # A cover page prints the citation as often as the paper's own first page does.
        cited = suggested_citation(first_raw) or (
            suggested_citation(raw_pages[1] or "") if second_runs is not None else None
        )
        header.authors = checked_against_citation(header.authors, cited)
        if cited is not None and cited.year is not None:
            venue.year = cited.year
    except Exception as error:  # a heuristic's slip must not cost the paper its import
        log.warning("cannot read the header of %s: %r", filename, error)
        header, largest_text, venue = Header(), "", Venue()
    if "-" in header.title + largest_text:
        # A word a title breaks at a line's end is written whole somewhere in the paper.
        whole = "\n".join(page or "" for page in raw_pages)
        header.title = mend_broken_words(header.title, whole)
        largest_text = mend_broken_words(largest_text, whole)
    info = _info(reader)
    if second_runs is not None and (downloaded := _DOWNLOADED.search(first_raw)):
        # A cover made when the copy was downloaded (ResearchGate's "Retrieved on: 08 January
        # 2016" over a paper of 2000, JSTOR's "This content downloaded ... 2017"): the PDF's
        # dates of that year are the download's, not the paper's.
        info["years"] = [year for year in info["years"] if year != int(downloaded.group(1))]
    return _described(
        Extraction(pages=pages, title="", warnings=warnings),
        header,
        largest_text,
        venue,
        info,
        filename,
    )


# The day a cover says the copy was made: "Retrieved on: 08 January 2016", "This content
# downloaded from 128.112.200.107 on Mon, 12 Jun 2017".
_DOWNLOADED = re.compile(
    r"\b(?:retrieved|downloaded)\b[^\n]{0,80}?(?<!\d)((?:19|20)\d\d)(?!\d)", re.I
)


def _completes(info_authors: list[str], page_authors: list[str]) -> bool:
    """Whether the PDF's own author list holds the names read on the page, in their order,
    and more: the page's byline was read short ("Xiangyi Meng" of five names whose marks and
    affiliations interleave), the publisher's list is whole."""
    if len(info_authors) <= len(page_authors):
        return False
    info = iter(_folded(family_name(name)) for name in info_authors)
    return all(_folded(family_name(name)) in info for name in page_authors)


# The pages whose words tell a phrase of the paper from a person's name (evidence.py).
_EVIDENCE_PAGES = 3


def _described(
    result: Extraction,
    header: Header,
    largest_text: str,
    venue: Venue,
    info: dict[str, Any],
    filename: str,
) -> Extraction:
    """``result`` with its metadata filled in from the first page, the PDF's own metadata and
    the file name, in that order of trust, and each value's source noted."""
    sources = result.sources
    info_title = next(
        (
            tidy_title(candidate)
            for candidate in (info.get("title"), info.get("xmp_title"))
            if not is_junk_title(candidate, filename)
        ),
        "",
    )
    # A plausible PDF title is kept unless the page prints a longer one containing it
    # ("Einführung in die Geometrie und Topologie" for "Geometrie und Topologie").
    # A thesis printing its title in two languages, the second set smaller, reads as a title
    # and its subtitle; a PDF title naming the second alone says which one the paper goes by.
    translated = bool(info_title) and _folded(header.title).endswith(":" + _folded(info_title))
    first_page = result.pages[0] if result.pages else ""
    page_letters = _letters(first_page)
    # A PDF title the first page never prints is a draft's or a template's ("Art in Machine
    # Learning" over a page titled "Creativity in Machine Learning", "Szakdolgozati minta").
    unprinted = _letters(info_title) not in page_letters
    if (
        header.title
        and not translated
        and (
            not info_title
            or _folded(info_title) in _folded(header.title)
            or suspicious_info_title(info_title)
            or trust_header_title(header)
            or unprinted
        )
    ):
        result.title, sources["title"] = header.title, "first-page"
    elif info_title and not (
        _plain_title(largest_text)
        and (
            suspicious_info_title(info_title)
            # ... against a largest text set apart from the page's other text (not a
            # short one-font page read whole).
            or (unprinted and len(_letters(largest_text)) < 0.8 * len(page_letters))
        )
    ):
        result.title, sources["title"] = info_title, "pdf-info"
    elif largest_text:
        # The largest text at the top of a one-font page beats a PDF title that reads as a
        # code, a venue or a template's ("pone.0049149 1..8", "Layout 1").
        result.title, sources["title"] = largest_text, "first-page"
    else:
        result.title, sources["title"] = Path(filename).stem, "filename"

    known_only = not page_in_spanish(first_page)
    info_authors = [
        with_both_family_names(name, known_only)
        for name in split_authors(info.get("author"))
        or [clean_field(name) for name in info.get("xmp_creators", [])]
        if name and not is_placeholder_name(name) and not names_a_body(name)
    ]
    if header.authors and not _completes(info_authors, header.authors):
        result.authors, sources["authors"] = header.authors, "first-page"
    elif info_authors:
        result.authors, sources["authors"] = info_authors, "pdf-info"

    if venue.year is not None:
        result.year, sources["year"] = venue.year, "first-page"
    elif (year := arxiv_year(filename)) is not None:
        result.year, sources["year"] = year, "filename"
    elif (
        not prints_a_year(first_page)
        and len(result.pages) > 1
        and (year := copyright_year(result.pages[1])) is not None
    ):
        # A cover that prints no year at all (a report's, a book's): the copyright line on
        # the page behind it dates the work, which the PDF's own date (a later copy) may not.
        result.year, sources["year"] = year, "first-page"
    elif (year := plausible_year(first_page, info["years"])) is not None:
        result.year = year
        sources["year"] = "pdf-info" if year in info["years"] else "first-page"

    result.doi = find_doi(first_page) or find_doi(" ".join(result.pages[1:2]))
    if result.doi:
        sources["doi"] = "first-page"
    result.tags = _keywords(info.get("keywords"))
    if result.tags:
        sources["tags"] = "pdf-info"
    for name in ("container", "volume", "issue", "page_range", "publisher"):
        if value := getattr(venue, name):
            setattr(result, name, value)
            sources[name] = "first-page"
    if header.abstract:
        result.abstract, sources["abstract"] = header.abstract, "first-page"
    result.evidence = evidence(
        title=result.title,
        authors=result.authors,
        year=result.year,
        sources=sources,
        pages=result.pages[:_EVIDENCE_PAGES],
        info_title=info_title,
        info_title_printed=not unprinted,
        info_authors=info_authors,
    )
    return result


def _plain_title(text: str) -> bool:
    """True for text that reads as a title: a few words, not a code of its own, not letters
    spaced out ("N o t e B u s i n e s s")."""
    words = text.split()
    return (
        3 <= len(words) <= 40
        and sum(len(word) == 1 for word in words) * 2 < len(words)
        and not suspicious_info_title(text)
    )


def _folded(text: str) -> str:
    return "".join(text.casefold().split())


def _own_first_page(first: Header, behind: Header) -> bool:
    """True when a page read as a cover (it names a permalink, say) is the paper's own first
    page: it sets a title clearly, with its authors, and the page behind it goes on with another
    heading (a Manubot manuscript's "Evidence synthesis"), where a cover's title is the paper's."""
    return (
        bool(first.authors)
        and trust_header_title(first)
        and _letters(behind.title) not in _letters(first.title)
        and _letters(first.title) not in _letters(behind.title)
    )


def _letters(text: str) -> str:
    # Letters and digits alone: a title broken over lines loses or keeps its hyphens and
    # spaces as the page's text was joined.
    return "".join(c for c in text.casefold() if c.isalnum())
