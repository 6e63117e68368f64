"""Small search indexes built straight from paper metadata and page texts (no PDF, no
library): fast fixtures for testing analysis and search."""

from __future__ import annotations

import hashlib
from pathlib import Path

from archive.paper import Paper
from indexer.index import SearchIndex, index_papers


def paper(
    title: str,
    pages: list[str],
    *,
    year: int | None = None,
    authors: list[str] | None = None,
    tags: list[str] | None = None,
    doi: str | None = None,
    abstract: str = "",
) -> tuple[Paper, list[str]]:
    """A paper (its id derived from its title) and its page texts."""
    paper_id = hashlib.sha256(title.encode()).hexdigest()
    return (
        Paper(
            id=paper_id,
            title=title,
            filename=f"{paper_id[:8]}.pdf",
            pages=len(pages),
            size=1000,
            authors=authors or [],
            year=year,
            doi=doi,
            tags=tags or [],
            abstract=abstract,
        ),
        pages,
    )


def build_index(folder: Path, papers: list[tuple[Paper, list[str]]]) -> SearchIndex:
    """A new index in ``folder`` holding ``papers``."""
    index = SearchIndex(folder)
    index.create()
    index_papers(index, papers)
    return index
