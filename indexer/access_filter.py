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


def hidden_docs(searcher: Searcher, on: str | None = None) -> np.ndarray:
    """The (sorted) document numbers of papers hidden from the public on the day ``on``
    (default today). Staff-only papers are few: their terms are a handful of dates."""
    if FIELD not in searcher.schema:
        return np.zeros(0, dtype=np.int64)
    query = TermRange(FIELD, on or today(), None, startexcl=True)
    return np.array(sorted(set(query.docs(searcher))), dtype=np.int64)
