"""The curation queue of the staff dashboard: the papers whose description is weakest.

Nothing here is an error (``archive verify`` does not count it): a fact sheet may well have no
author. It is the list of what staff should fix first, worst first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from archive.curation import WEAKNESSES, weaknesses
from archive.library import TEXT_NAME, Library, PaperNotFound
from archive.paper import Paper
from indexer.ocr import MIN_TEXT_CHARS, pages_needing_ocr

# A text cache larger than this per page certainly has text on most pages: it is not read.
_SURELY_TEXT_BYTES_PER_PAGE = 4 * MIN_TEXT_CHARS


@dataclass(frozen=True)
class WeakPaper:
    """One paper of the queue, with what is wrong with its description."""

    paper: Paper
    problems: list[str]

    @property
    def score(self) -> int:
        """How much fixing it matters (the weights of :data:`archive.curation.WEAKNESSES`)."""
        return sum(WEAKNESSES[problem] for problem in self.problems)


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
        if problems:
            weak.append(WeakPaper(paper, problems))
    weak.sort(key=lambda item: (-item.score, item.paper.added, item.paper.id))
    return weak[:limit], len(weak)
