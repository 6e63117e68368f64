"""Small search indexes built straight from paper metadata and page texts (no PDF, no
library): fast fixtures for testing analysis and search."""

from __future__ import annotations

import hashlib
import random
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


TEXT = (
    "tiger leopard snow wolf lynx otter beaver bison camera trap survey poaching habitat "
    "corridor forest steppe taiga river wetland population census genetic sample scat "
    "collar density estimate ranger patrol village conflict livestock prey deer boar"
)
WORDS = TEXT.split()


def random_papers(count: int, seed: int) -> list[tuple[Paper, list[str]]]:
    """``count`` papers of random words about wildlife (the same for the same ``seed``), with
    one to four pages each, authors, years and tags: many small commits of them make an index
    of many segments."""
    rng = random.Random(seed)
    found = []
    for number in range(count):
        pages = [
            " ".join(rng.choices(WORDS, k=rng.randint(5, 60))) for _ in range(rng.randint(1, 4))
        ]
        paper = Paper(
            id=f"{number:064x}",
            title=" ".join(rng.choices(WORDS, k=4)).capitalize(),
            filename=f"paper-{number}.pdf",
            pages=len(pages),
            size=1000,
            authors=[rng.choice(["Ann Smith", "Ivan Petrov", "Marie Dupont"])],
            year=rng.randint(1990, 2025),
            tags=rng.sample(["tigers", "wolves", "wetlands"], rng.randint(0, 2)),
            added=f"2024-01-{number % 28 + 1:02}T10:00:00+00:00",
        )
        found.append((paper, pages))
    return found
