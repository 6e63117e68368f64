"""The index's side of access levels: which paper documents the public may not list today.

Each staff-only paper's document carries ``hidden_until``, the first day the public may list it
(its embargo date, or "9999-12-31"); see :mod:`archive.access`. Public searches, browsing,
feeds, related papers and did-you-mean leave out the documents whose day is after today, in the
same pass as the search itself, so totals, facet counts and paging stay true. Papers whose PDF
the public may not read (``closed_until``: on request, embargoed, staff-only) are only counted,
so that a results page can say how many of its matches a ZIP holds.
"""

from __future__ import annotations

import numpy as np
from whoosh.query import TermRange
from whoosh.searching import Searcher

from archive.access import today

FIELD = "hidden_until"
# On-request, embargoed and staff-only papers: the first day the public may read the PDF.
CLOSED_FIELD = "closed_until"


# Kept on each searcher (one per thread, replaced when a commit makes it stale), per field and
# day.
_CACHE = "_archive_public_filter"


def _cached(
    searcher: Searcher, on: str | None, field: str = FIELD
) -> tuple[np.ndarray, np.ndarray | None]:
    day = on or today()
    cache: dict[str, tuple[str, np.ndarray, np.ndarray | None]] | None = getattr(
        searcher, _CACHE, None
    )
    if cache is None:
        cache = {}
        setattr(searcher, _CACHE, cache)
    if field in cache and cache[field][0] == day:
        return cache[field][1], cache[field][2]
    if field in searcher.schema:
        query = TermRange(field, day, None, startexcl=True)
        docs = np.array(sorted(set(query.docs(searcher))), dtype=np.int64)
    else:
        docs = np.zeros(0, dtype=np.int64)
    mask = None
    if len(docs):
        mask = np.ones(searcher.doc_count_all(), dtype=bool)
        mask[docs] = False
        mask.setflags(write=False)  # shared by every search of this searcher
    cache[field] = (day, docs, mask)
    return docs, mask


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
