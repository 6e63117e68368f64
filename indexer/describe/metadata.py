"""Heuristics that turn a PDF's own metadata and first page into a paper's metadata.

Pure functions over strings; :mod:`indexer.ingest.extract` feeds them what it reads from the PDF.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import PurePath

# family_name lives in archive.names (citations need it too, and archive may not import indexer);
# re-exported here for the extractor's callers.
from archive.names import family_name as family_name
from indexer.normalize import clean_field

# A DOI: "10.", a registrant code, "/", a suffix (Crossref's recommended pattern, slightly widened).
_DOI = re.compile(r"\b(10\.\d{4,9}/[-._;()/:A-Za-z0-9<>\[\]]+)")
_DOI_TRAILING = ".,;:)]>"
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_COPYRIGHT_YEAR = re.compile(r"(?:©|\(c\)|copyright)\s*(1[89]\d\d|20\d\d)(?!\d)", re.IGNORECASE)
_JUNK_TITLE_PREFIXES = (
    "microsoft word -",
    "microsoft powerpoint -",
    "powerpoint presentation",
    "untitled",
    "proceedings template",
)
_JUNK_TITLES = {
    "title", "no title", "document", "document1", "slide 1", "none", "unknown",
    # Templates' own titles, left in the field ("Overleaf Example").
    "overleaf example", "paper title", "your paper title", "title of the paper",
    "title of paper", "article title", "insert title here", "thesis title", "report title",
}  # fmt: skip
_FILE_SUFFIX = re.compile(
    r"\.(pdf|docx?|rtf|odt|tex|dvi|ps|eps|indd|qxd|pptx?|xlsx?|jpe?g|png|tiff?|gif|txt)$",
    re.IGNORECASE,
)
_NOT_ALNUM = re.compile(r"[\W_]+")
# New-style arXiv identifiers (since April 2007): YYMM.NNNN or YYMM.NNNNN, maybe a version.
_ARXIV_NAME = re.compile(r"^(\d\d)(?:0[1-9]|1[0-2])\.\d{4,5}(?:v\d+)?$")
_PLACEHOLDER_NAMES = {"anonymous", "unknown", "author", "admin", "administrator", "user", "owner"}
_MAX_TITLE = 300
_EARLIEST_YEAR = 1800


def latest_plausible_year() -> int:
    """Papers are not dated in the future (one year of slack for "in press")."""
    return datetime.now(UTC).year + 1


def is_junk_title(title: str | None, filename: str = "") -> bool:
    """True when a PDF's title field says nothing about the paper.

    Junk: empty, no letters, a file name (the PDF's own or any ``name.ext``), or a tool's
    placeholder such as "Microsoft Word - draft3.doc" or "untitled".
    """
    text = clean_field(html.unescape(title or "")).strip(" \x00")
    if len(text) < 4 or sum(c.isalpha() for c in text) < 3:
        return True
    lowered = text.lower()
    if lowered in _JUNK_TITLES or lowered.startswith(_JUNK_TITLE_PREFIXES):
        return True
    if _FILE_SUFFIX.search(text):
        return True
    # "imagemagick-lzw" for imagemagick-lzw.pdf, "fake memo" for fake_memo.pdf: a file name.
    stem = _NOT_ALNUM.sub("", PurePath(filename).stem.lower()) if filename else ""
    return bool(stem) and _NOT_ALNUM.sub("", lowered) == stem


# What the title field of a PDF holds when it is not the paper's title: a journal's or a
# conference's name ("Proceedings of the...", "... - IEEE Transactions on ..."), a DOI, a code.
_VENUE_WORDS = re.compile(
    r"\b(proceedings|journal|transactions|magazine|conference|symposium|workshop|"
    r"vol\.|volume|issue|preprint|manuscript|template|draft|abstract_|camera[- ]ready|"
    r"submission|layout \d+)\b|^(?:doi|pii|jobname|word pro)\b|^10\.\d{4}",
    re.IGNORECASE,
)
_CODE = re.compile(r"^[\w.-]*\d[\w.-]*$")  # one word with digits: "ipg1300180a", "OECS12_x"
# A citation's volume, pages and year: "Ideas in Ecology and Evolution 1: 1-10, 2008".
_VOLUME_PAGES_YEAR = re.compile(
    r"\b\d+(?:\(\d+\))?:\s*\d+\s*[-\u2013]\s*\d+,?\s*(?:1[89]|20)\d\d\b"
)


def numbers_word(word: str) -> bool:
    """A word of numbers ("1..12", "1234567") or a code with three digits ("ipg1300180a")."""
    digits = sum(c.isdigit() for c in word)
    return bool(digits) and (not any(c.isalpha() for c in word) or digits >= 3)


def suspicious_info_title(title: str) -> bool:
    """True when a PDF's (non-junk) title field looks like something else than a title: a
    venue's name, a DOI, an internal code or a file name without its suffix, a single word.
    A title printed on the first page is preferred to it."""
    text = clean_field(title)
    words = text.split()
    return bool(
        len(words) < 2
        or _VENUE_WORDS.search(text)
        or _VOLUME_PAGES_YEAR.search(text)
        or (len(words) <= 2 and any(_CODE.match(word) for word in words))
        # "CJAS 1234567 1..12", "IJSEM 62 1..6": a typesetter's job code and page range.
        or sum(map(numbers_word, words)) * 2 > len(words)
        or "_" in text
    )


def tidy_title(title: str | None) -> str:
    """A metadata title made presentable: entities decoded, spaces and controls cleaned."""
    return clean_field(html.unescape(title or ""))[:_MAX_TITLE]


def title_from_runs(runs: list[tuple[float, str]]) -> str:
    """The title of a first page, from its text runs as (font size, text) in reading order.

    The title is the text in the largest font near the top: the first consecutive runs set
    within half a point of the largest size on the page. Falls back to nothing when that text
    is not title-like (a page number, a whole page of same-size body text).
    """
    sized = [(size, clean_field(text)) for size, text in runs if any(c.isalpha() for c in text)]
    if not sized:
        return ""
    largest = max(size for size, _ in sized)
    parts: list[str] = []
    started = False
    for size, text in sized:
        if size >= largest - 0.5:
            parts.append(text)
            started = True
        elif started:
            break
    title = clean_field(" ".join(parts))
    words = title.split()
    if not 1 <= len(words) <= 30 or sum(c.isalpha() for c in title) < 4:
        return ""
    return title[:_MAX_TITLE]


def arxiv_year(filename: str) -> int | None:
    """The year of an arXiv identifier used as the file name ("1903.10676v2.pdf": 2019)."""
    match = _ARXIV_NAME.match(PurePath(filename).stem)
    if not match:
        return None
    year = 2000 + int(match.group(1))
    return year if 2007 <= year <= latest_plausible_year() else None


def is_placeholder_name(name: str) -> bool:
    """True for an author field a tool filled in ("anonymous", "Administrator", "user")."""
    text = clean_field(name)
    # "antons.jan-niklas", "gg96346": a user's login, not a person's name.
    login = " " not in text and (text.islower() or any(c.isdigit() for c in text))
    return login or text.casefold().strip(" .") in _PLACEHOLDER_NAMES


# Words in brackets ("(Stanford Univ.)"); "(1)" in a name is kept as it is.
_BRACKETED = re.compile(r"\([^)]*[^\W\d_]{3}[^)]*\)|\[[^\]]*[^\W\d_]{3}[^\]]*\]")


_FIELD_LABEL_BEFORE = re.compile(r"^\s*[^\W\d_]+\s*:\s*")
_FIELD_LABEL_AFTER = re.compile(r"\s+[^\W\d_]+\s*:.*$")


def split_authors(raw: str | None) -> list[str]:
    """A PDF's author field as a list of names.

    Accepts "A; B", "A and B", "A, B and C" and "A & B"; a lone "Surname, Given" stays one name.
    """
    # "Jan Pedersen (Yahoo, Inc.)": affiliations in brackets are not names.
    text = clean_field(_BRACKETED.sub("", html.unescape(raw or "")))
    text = re.sub(r"\s+et al\.?$", "", text)
    # "Alumno: Malena Irisarri Año: 2025": a form's labels typed into the field with the name.
    text = _FIELD_LABEL_AFTER.sub("", _FIELD_LABEL_BEFORE.sub("", text))
    if not text:
        return []
    if ";" in text:
        parts = text.split(";")
    else:
        parts = re.split(r"\s+(?:and|&)\s+", text)
        if "," in text:
            comma_parts = [p for chunk in parts for p in chunk.split(",")]
            # "Smith, John" is one person; "Anna Petrova, James Whitfield" is two.
            if all(" " in p.strip() for p in comma_parts if p.strip()):
                parts = comma_parts
    # "© Guillaume Ausset": a copyright sign before the name.
    return [name.strip(" \u00a9") for name in parts if name.strip(" \u00a9")]


def find_doi(text: str) -> str | None:
    """The first DOI in ``text``, lowercased (DOIs are case-insensitive), or None."""
    match = _DOI.search(text)
    if not match:
        return None
    return match.group(1).rstrip(_DOI_TRAILING).lower()


def prints_a_year(text: str) -> bool:
    """True when ``text`` holds a number that may be a year (1800-2099)."""
    return bool(_YEAR.search(text))


def copyright_year(page: str) -> int | None:
    """The year of the first copyright line of a page ("\u00a9 Copyright IBM Corp. 2014."), or
    None."""
    for match in re.finditer(
        r"(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:[^\W\d_][\w.&,' -]{0,60}?\s)?"
        r"(1[89]\d\d|20\d\d)(?!\d)",
        page,
        re.IGNORECASE,
    ):
        year = int(match.group(1))
        if _EARLIEST_YEAR <= year <= latest_plausible_year():
            return year
    return None


# A paper's history printed on its first page: "Accepted for publication July 19, 1977.",
# "Published online: 3 March 2015".
_HISTORY_DATE = re.compile(
    r"\b(published|accepted)(?:\s+for\s+publication)?(?:\s+online)?(?:\s+on)?\s*:?\s*"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+)?(?:\d{1,2},?\s+)?"
    r"((?:1[89]|20)\d\d)\b",
    re.IGNORECASE,
)
# A PDF made this many years after the paper was accepted is a later copy (a scan, a
# download), whose dates are not the paper's.
_LATER_COPY_YEARS = 5


def history_years(page_text: str) -> dict[str, int]:
    """The years a page's printed history gives, by event ("published", "accepted"): the
    latest of each (a second version's "published 27 Jan 2015" over the first's of 2014)."""
    years: dict[str, int] = {}
    for match in _HISTORY_DATE.finditer(page_text):
        event = match.group(1).casefold()
        years[event] = max(years.get(event, 0), int(match.group(2)))
    return years


def plausible_year(first_page: str, metadata_years: list[int]) -> int | None:
    """The likeliest publication year.

    In order: a copyright year on the first page; a year from the PDF's metadata (publication
    date, then creation date) unless the PDF was made years after the paper was accepted; the
    year it was accepted; the most frequent year on the first page. Only years between 1800
    and next year count.
    """
    latest = latest_plausible_year()

    def ok(year: int) -> bool:
        return _EARLIEST_YEAR <= year <= latest

    copyright_years = [int(y) for y in _COPYRIGHT_YEAR.findall(first_page) if ok(int(y))]
    if copyright_years:
        return copyright_years[0]
    # Accepted a year or so before it was published: the PDF's own date says the year better,
    # unless the PDF is a much later copy.
    accepted = history_years(first_page).get("accepted", 0)
    for year in metadata_years:
        if ok(year):
            return accepted if ok(accepted) and year - accepted >= _LATER_COPY_YEARS else year
    if ok(accepted):
        return accepted
    counts = Counter(int(y) for y in _YEAR.findall(first_page) if ok(int(y)))
    return counts.most_common(1)[0][0] if counts else None
