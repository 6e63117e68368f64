"""The curation queue of the staff dashboard: the papers whose description is weakest.

Nothing here is an error (``archive verify`` does not count it): a fact sheet may well have no
author. It is the list of what staff should fix first, worst first: what is missing first, then
the papers whose extracted title, authors or year are least certain (:func:`field_confidence`,
from where each value came and what it looks like), so that what the extractor got wrong is put
right by a person quickly. A value a person chose is certain: an edit takes a paper out.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from archive.curation import WEAKNESSES, weaknesses
from archive.library import TEXT_NAME, Library, PaperNotFound
from archive.names import FAMILY_PARTICLES
from archive.paper import PROTECTED_SOURCES, Paper
from indexer.describe.metadata import suspicious_info_title
from indexer.ingest.ocr import MIN_TEXT_CHARS, pages_needing_ocr

# A text cache larger than this per page certainly has text on most pages: it is not read.
_SURELY_TEXT_BYTES_PER_PAGE = 4 * MIN_TEXT_CHARS


# Below this a field is shown to staff as uncertain.
UNCERTAIN = 0.5
_CONFIDENT_FIELDS = ("title", "authors", "year")
# The queue's word for a field it doubts (the staff dashboard names each in its language).
DOUBTS = {name: f"{name} uncertain" for name in _CONFIDENT_FIELDS}
# How far each source is trusted before looking at the value itself.
_SOURCE_TRUST = {"crossref": 0.95, "first-page": 0.85, "pdf-info": 0.6, "filename": 0.0}
_EXTRACTED = frozenset({"first-page", "pdf-info", "filename"})
_NAME_WORDS = re.compile(r"^[^\W\d_][\w'\u2019.-]*$")
# A name's word as a scan's text misreads it: a letter glued to capitals ("MOOREt"), an initial
# glued to the name after it ("S.williams"), a stray quote at the end ("Gifflei'").
_MISREAD_NAME_WORD = re.compile(r"^[A-Z]{2,}[a-z]+$|\.[a-z]|['\u2019]$")
_BANNER_WORDS = re.compile(
    r"\b(proceedings|journal|transactions|conference|volume|vol\.|issn|doi|arxiv|preprint|"
    r"copyright|license|licence|abstract|article|university|department)\b",
    re.IGNORECASE,
)
# A package's name before a colon is written in lower case ("tealeaves: an R package ..."),
# unlike a title read from the middle of a line ("tion of sea state", "dentifying Habitat").
_PACKAGE_NAME = re.compile(r"^[\w.-]+:")
# A person's name where a title should be ("Christopher D. G. Harley", "Daniel Paulino
# Catumbela Chicoco"): two to four capitalised words or initials, particles between them.
_NAME_WORD = r"(?:[A-Z][^\W\d_]*\.?|(?:[A-Z]\.)+)"
_PARTICLE = "|".join(map(re.escape, sorted(FAMILY_PARTICLES)))
_NAME_AS_TITLE = re.compile(rf"^{_NAME_WORD}(?: (?:{_NAME_WORD}|{_PARTICLE})){{1,3}}$")
# A supervisor's title run into the thesis's title ("... Científicos: Luis Gustavo Neves Prof.
# Dr. Asla Sá").
_ACADEMIC_TITLE = re.compile(r"\b(?:Prof|Profa|Dr|Dra|Drs)\.")
# A year in a file name, not the digits of an arXiv identifier ("1706.09498").
_FILE_YEAR = re.compile(r"(?<![\d.])(1[6-9]\d\d|20\d\d)(?![\d]|\.\d{4})")


def _title_confidence(title: str, source: str | None) -> float:
    score = _SOURCE_TRUST.get(source or "", 0.5)
    words = title.split()
    if source != "filename":
        if title[:1].islower() and not _PACKAGE_NAME.match(title):
            score -= 0.45
        if _ACADEMIC_TITLE.search(title):
            score -= 0.4
        if _NAME_AS_TITLE.match(title):
            score -= 0.3  # as "Marine Environmental Epigenetics" is: less sure, not unsure
    if source == "pdf-info" and suspicious_info_title(title):
        score -= 0.4
    if len(words) <= 2 or len(words) > 35:
        score -= 0.3
    if _BANNER_WORDS.search(title):
        score -= 0.3
    if title.rstrip().endswith((":", ",", "-", "|")) or sum(c.isdigit() for c in title) > 12:
        score -= 0.2
    return score


def _authors_confidence(authors: list[str], source: str | None) -> float:
    if not authors:
        return 0.0
    score = _SOURCE_TRUST.get(source or "", 0.5)
    for name in authors:
        tokens = name.replace(",", " ").split()
        if len(tokens) < 2:
            score -= 0.4  # "z", "hatem", a byline's name read apart from its given names
        elif len(tokens) > 5:
            score -= 0.25  # "Patrick C. Chaumet Institut Fresnel"
        if not all(_NAME_WORDS.match(token) for token in tokens):
            score -= 0.25
        if any(_MISREAD_NAME_WORD.search(token) for token in tokens):
            score -= 0.4
        if _BANNER_WORDS.search(name) or "et al" in name:
            score -= 0.3
    return score


def _year_confidence(year: int | None, source: str | None, filename: str) -> float:
    if year is None:
        return 0.0
    # A year from the PDF's dates is when the file was made, not always when it was published.
    score = {"first-page": 0.9, "filename": 0.7, "pdf-info": 0.6}.get(source or "", 0.95)
    named = [int(found) for found in _FILE_YEAR.findall(filename)]
    # A file named for another year ("barrick1972.pdf" read as 2000, a scan's date): a year
    # apart is a paper's online and print years, more is a wrong one.
    if named and all(abs(year - other) >= 2 for other in named):
        score -= 0.5
    return score


def field_confidence(paper: Paper) -> dict[str, float]:
    """How sure the archive is of the paper's title, authors and year, from 0 to 1: 1 for a
    value a person chose (staff, a metadata file), else from the value's source (the first
    page's layout, the PDF's own fields, the file name, Crossref), what it looks like (a
    title of one word or of a venue's name, a name of one word or with digits) and what the PDF
    said of it when it was read (:mod:`indexer.describe.evidence`)."""
    found = {
        "title": _title_confidence(paper.title, paper.sources.get("title")),
        "authors": _authors_confidence(paper.authors, paper.sources.get("authors")),
        "year": _year_confidence(paper.year, paper.sources.get("year"), paper.filename),
    }
    for name in _CONFIDENT_FIELDS:
        source = paper.sources.get(name)
        if source in PROTECTED_SOURCES:
            found[name] = 1.0
        elif source in _EXTRACTED:
            # What the PDF said of the value when it was read (Crossref's values have none).
            found[name] += paper.evidence.get(name, 0.0)
    return {name: round(min(1.0, max(0.0, value)), 2) for name, value in found.items()}


def doubted(confidence: dict[str, float]) -> set[str]:
    """The fields shown to staff as uncertain (confidence below :data:`UNCERTAIN`)."""
    return {name for name, value in confidence.items() if value < UNCERTAIN}


def certainty(confidence: dict[str, float]) -> float:
    """How sure the queue is that a whole description is right: the product of its fields'
    confidences. Two doubtful fields weigh more than one (on the seen labelled sets, the
    queue's first papers held more wrong ones than with the least sure field alone)."""
    return math.prod(confidence.values())


@dataclass(frozen=True)
class WeakPaper:
    """One paper of the queue, with what is wrong with its description and how sure each
    field is."""

    paper: Paper
    problems: list[str]
    confidence: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> int:
        """How much fixing it matters (the weights of :data:`archive.curation.WEAKNESSES`)."""
        return sum(WEAKNESSES.get(problem, 0) for problem in self.problems)

    @property
    def certainty(self) -> float:
        """How sure the queue is of its whole description (:func:`certainty`)."""
        return certainty(self.confidence)


def is_searchable(library: Library, paper: Paper) -> bool:
    """False for a scan whose pages have (almost) no text: neither a text layer nor OCR."""
    try:
        cache = library.pdf_path(paper.id).with_name(TEXT_NAME)
        if cache.stat().st_size > _SURELY_TEXT_BYTES_PER_PAGE * max(1, paper.pages):
            return True
        pages = json.loads(cache.read_text("utf-8"))["pages"]
    except (OSError, ValueError, KeyError, PaperNotFound):
        return True  # a damaged cache is archive verify's business, not the queue's
    return not pages_needing_ocr(pages)


def curation_queue(library: Library, limit: int = 20) -> tuple[list[WeakPaper], int]:
    """The ``limit`` papers most in need of a curator, worst first (then oldest first), and
    how many papers have any weakness at all."""
    weak = []
    for paper in library.papers():
        problems = weaknesses(paper, searchable=is_searchable(library, paper))
        confidence = field_confidence(paper)
        missing = {"title from the file name": "title", "no authors": "authors", "no year": "year"}
        told = {missing[problem] for problem in problems if problem in missing}
        unsure = doubted(confidence) - told
        problems += [DOUBTS[name] for name in confidence if name in unsure]
        if problems:
            weak.append(WeakPaper(paper, problems, confidence))
    weak.sort(key=lambda item: (-item.score, item.certainty, item.paper.added, item.paper.id))
    return weak[:limit], len(weak)
