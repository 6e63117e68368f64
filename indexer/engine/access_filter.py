"""The index's side of access levels: which paper documents the public may not list today.

Each staff-only paper's document carries ``hidden_until``, the first day the public may list it
(its embargo date, or "9999-12-31"); see :mod:`archive.access`. Public searches, browsing,
feeds, related papers and did-you-mean leave out the documents whose day is after today, in the
same pass as the search itself, so totals, facet counts and paging stay true. Papers whose PDF
the public may not read (``closed_until``: on request, embargoed, staff-only) are only counted,
so that a results page can say how many of its matches a ZIP holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from whoosh.query import TermRange

from archive.access import today

if TYPE_CHECKING:
    import numpy as np
    from whoosh.searching import Searcher

FIELD = "hidden_until"
# On-request, embargoed and staff-only papers: the first day the public may read the PDF.
CLOSED_FIELD = "closed_until"


# Kept on each searcher (one per thread, replaced when a commit makes it stale), per field and
# day: the document numbers, and their arrays once a search asked for them.
_CACHE = "_archive_public_filter"


@dataclass
class _Entry:
    day: str
    numbers: list[int]  # sorted document numbers
    arrays: tuple[np.ndarray, np.ndarray | None] | None = None  # made at the first search


def _entry(searcher: Searcher, on: str | None, field: str) -> _Entry:
    """The document numbers of ``field`` on the day ``on``. They need no numpy: ``archive
    stats`` counts them without loading it (the command starts at once, issue 28)."""
    day = on or today()
    cache: dict[str, _Entry] | None = getattr(searcher, _CACHE, None)
    if cache is None:
        cache = {}
        setattr(searcher, _CACHE, cache)
    entry = cache.get(field)
    if entry is None or entry.day != day:
        numbers: list[int] = []
        if field in searcher.schema:
            numbers = sorted(set(TermRange(field, day, None, startexcl=True).docs(searcher)))
        entry = cache[field] = _Entry(day, numbers)
    return entry


def _cached(
    searcher: Searcher, on: str | None, field: str = FIELD
) -> tuple[np.ndarray, np.ndarray | None]:
    entry = _entry(searcher, on, field)
    if entry.arrays is None:
        import numpy as np  # searches load it anyway; counting (stats) does not need it

        docs = np.array(entry.numbers, dtype=np.int64)
        mask = None
        if len(docs):
            mask = np.ones(searcher.doc_count_all(), dtype=bool)
            mask[docs] = False
            mask.setflags(write=False)  # shared by every search of this searcher
        entry.arrays = (docs, mask)
    return entry.arrays


def hidden_docs(searcher: Searcher, on: str | None = None) -> np.ndarray:
    """The (sorted) document numbers of papers hidden from the public on the day ``on``
    (default today). Staff-only papers are few: their terms are a handful of dates. Kept with
    the searcher, which is replaced when the index changes."""
    return _cached(searcher, on)[0]


def public_mask(searcher: Searcher, on: str | None = None) -> np.ndarray | None:
    """A read-only boolean array over every document number, False for the papers hidden from
    the public; None when no paper is hidden (nothing to filter)."""
    return _cached(searcher, on)[1]


def closed_docs(searcher: Searcher, on: str | None = None) -> np.ndarray:
    """The (sorted) document numbers of papers whose PDF the public may not read on the day
    ``on`` (on request, under embargo, staff-only): what a public ZIP leaves out."""
    return _cached(searcher, on, CLOSED_FIELD)[0]


def hidden_numbers(searcher: Searcher, on: str | None = None) -> list[int]:
    """:func:`hidden_docs` as a list of ints, for counting without numpy."""
    return list(_entry(searcher, on, FIELD).numbers)


def closed_numbers(searcher: Searcher, on: str | None = None) -> list[int]:
    """:func:`closed_docs` as a list of ints, for counting without numpy."""
    return list(_entry(searcher, on, CLOSED_FIELD).numbers)
