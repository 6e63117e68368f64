"""The papers added most recently (by import or upload), for the staff dashboard."""

from __future__ import annotations

from whoosh.query import Term

from archive.library import Library, PaperNotFound
from archive.paper import Paper
from indexer.index import SearchIndex
from indexer.schema import PAPER


def recently_added(index: SearchIndex, library: Library, limit: int = 20) -> list[Paper]:
    """The ``limit`` newest papers, newest first; the index sorts, the library gives the details
    (so a paper removed a moment ago, and not yet out of the index, is left out)."""
    with index.open().searcher() as searcher:
        hits = searcher.search(Term("kind", PAPER), limit=limit, sortedby="added", reverse=True)
        ids = [hit["paper_id"] for hit in hits]
    papers = []
    for paper_id in ids:
        try:
            papers.append(library.get(paper_id))
        except PaperNotFound:
            continue
    return papers
