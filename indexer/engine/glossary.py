"""The glossary of general field terms: everyday words of questions and the words reports use.

Questions use other words than papers ("created" for "established", "money" for
"compensation", "diseases" for a virus's name). The glossary (``glossary.txt``, in the
thesaurus' format, shipped with the package) lists such words; a passage holding a glossary
word of a query's word scores part of that word's weight (:mod:`indexer.engine.passages`).
It never changes which papers a search finds or the words it marks as typed.

Chosen over a semantic model after measuring (README, ``make bench-answers``): on the answer
set it closes most of the gap at no measurable cost per query, no cost per imported page and
no memory beyond a few hundred words, and staff can read and edit it.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from indexer.analysis import fold, stem_word
from indexer.engine.thesaurus import Thesaurus

__all__ = ["Glossary", "load"]


def shipped_path() -> Path:
    """The glossary shipped inside the package."""
    return Path(str(resources.files("indexer.engine").joinpath("glossary.txt")))


def _key(word: str) -> str:
    return stem_word(fold(word))


class Glossary:
    """Words related to a word of a query (its stem), from the glossary's concepts."""

    def __init__(self, thesaurus: Thesaurus) -> None:
        self._related: dict[str, set[str]] = {}
        for concept in thesaurus.concepts:
            words = [word for name in concept.names for word in name.split()]
            for name in concept.names:
                if len(name.split()) != 1:
                    continue
                self._related.setdefault(_key(name), set()).update(
                    word for word in words if _key(word) != _key(name)
                )

    def related(self, word: str) -> list[str]:
        """The glossary's words for ``word`` (any inflection), sorted; [] when it has none."""
        return sorted(self._related.get(_key(word), ()))

    def __len__(self) -> int:
        return len(self._related)


@lru_cache(maxsize=1)
def load() -> Glossary:
    """The shipped glossary (read once)."""
    return Glossary(Thesaurus.parse(shipped_path().read_text(encoding="utf-8"), shipped_path()))
