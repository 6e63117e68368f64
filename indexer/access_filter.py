"""The index's side of access levels: which paper documents the public may not list today.

Each staff-only paper's document carries ``hidden_until``, the first day the public may list it
(its embargo date, or "9999-12-31"); see :mod:`archive.access`. Public searches, browsing,
feeds, related papers and did-you-mean leave out the documents whose day is after today, in the
same pass as the search itself, so totals, facet counts and paging stay true.
"""

from __future__ import annotations

import numpy as np
from whoosh.query import TermRange
from whoosh.searching import Searcher

from archive.access import today

FIELD = "hidden_until"


# Kept on each searcher (one per thread, replaced when a commit makes it stale), per day.
_CACHE = "_archive_public_filter"


def _cached(searcher: Searcher, on: str | None) -> tuple[np.ndarray, np.ndarray | None]:
    day = on or today()
    cached = getattr(searcher, _CACHE, None)
    if cached is not None and cached[0] == day:
        return cached[1], cached[2]
    if FIELD in searcher.schema:
        query = TermRange(FIELD, day, None, startexcl=True)
        hidden = np.array(sorted(set(query.docs(searcher))), dtype=np.int64)
    else:
        hidden = np.zeros(0, dtype=np.int64)
    mask = None
    if len(hidden):
        mask = np.ones(searcher.doc_count_all(), dtype=bool)
        mask[hidden] = False
        mask.setflags(write=False)  # shared by every search of this searcher
    setattr(searcher, _CACHE, (day, hidden, mask))
    return hidden, mask


def hidden_docs(searcher: Searcher, on: str | None = None) -> np.ndarray:
    """The (sorted) document numbers of papers hidden from the public on the day ``on``
    (default today). Staff-only papers are few: their terms are a handful of dates. Kept with
    the searcher, which is replaced when the index changes."""
    return _cached(searcher, on)[0]


def public_mask(searcher: Searcher, on: str | None = None) -> np.ndarray | None:
    """A read-only boolean array over every document number, False for the papers hidden from
    the public; None when no paper is hidden (nothing to filter)."""
    return _cached(searcher, on)[1]
