"""What a PDF itself says for or against the title, authors and year read from it.

The curation queue judges a value by its source and its look (:mod:`.curation_queue`); some
doubts only the PDF can raise, and it is not at hand when the queue is drawn up. So they are
weighed when the PDF is read (at import and by ``archive refresh-metadata``) and kept with the
paper as a shift of each value's confidence (``Paper.evidence``):

- a title the PDF's own title field gives as well is surer; one taken from that field that the
  first page never prints is a draft's or a template's;
- a "name" made only of words the first pages write in lower case ("Climate Change", "Subtidal
  Study Number") is a phrase of the paper, not a person;
- an author list the PDF's author field gives as well is surer;
- a year taken from the PDF's dates where the first page prints other years, but not that one,
  is more likely the file's date than the paper's.

The shifts were set on the seen labelled sets; ``make bench-metadata`` prints what the queue
finds on the unseen ones.
"""

from __future__ import annotations

import re

from archive.names import family_name
from indexer.describe.cited_as import fold_letters

AGREES = 0.1
TITLE_UNPRINTED = -0.3
NAME_OF_PAGE_WORDS = -0.3
YEAR_NOT_PRINTED = -0.15

# E-mail addresses, web addresses and dotted logins ("michael.benedikt@", "{dan.olteanu}")
# write people's names in lower case; they are no prose.
_NOT_PROSE = re.compile(r"\{[^}]*\}|\S+@\S+|https?://\S+|\w[\w-]*(?:\.\w[\w-]*)+")
_LOWER_WORD = re.compile(r"\b[^\W\d_A-Z]{3,}\b")
_NAME_PART = re.compile(r"[^\W\d_]{2,}")
_YEAR = re.compile(r"(?<!\d)(1[6-9]\d\d|20\d\d)(?!\d)")


def _families(names: list[str]) -> list[str]:
    return [fold_letters(family_name(name)) for name in names]


def _prose_words(text: str) -> set[str]:
    words = _LOWER_WORD.findall(_NOT_PROSE.sub(" ", text))
    return {word for word in words if word.islower()}


def _written_in_lower_case(name: str, words: set[str]) -> bool:
    parts = _NAME_PART.findall(name)
    return len(parts) >= 2 and all(part.lower() in words for part in parts)


def evidence(
    *,
    title: str,
    authors: list[str],
    year: int | None,
    sources: dict[str, str],
    pages: list[str],
    info_title: str,
    info_title_printed: bool,
    info_authors: list[str],
) -> dict[str, float]:
    """The shift of each extracted value's confidence that the PDF's text (``pages``, its
    first pages) and its own fields give (``info_title_printed``: whether the first page
    prints the PDF's title, as the extractor found when it chose the title); fields without
    any are left out."""
    found: dict[str, float] = {}
    title_source = sources.get("title")
    if (
        title_source == "first-page"
        and info_title
        and fold_letters(info_title) == fold_letters(title)
    ):
        found["title"] = AGREES
    elif title_source == "pdf-info" and not info_title_printed:
        found["title"] = TITLE_UNPRINTED
    if authors and sources.get("authors") == "first-page":
        words = _prose_words("\n".join(pages))
        phrases = sum(_written_in_lower_case(name, words) for name in authors)
        if phrases:
            found["authors"] = NAME_OF_PAGE_WORDS * min(2, phrases)
        elif info_authors and _families(info_authors) == _families(authors):
            found["authors"] = AGREES
    if year is not None and sources.get("year") == "pdf-info":
        printed = {int(number) for number in _YEAR.findall(pages[0] if pages else "")}
        if printed and year not in printed:
            found["year"] = YEAR_NOT_PRINTED
    return found
