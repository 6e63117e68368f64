"""Curators' metadata edits: parsed from what a person typed, checked, applied to a paper.

The rules live here, in the domain, so that any front end (the web form today, perhaps a CLI or a
CSV import of corrections tomorrow) accepts and refuses the same things. Every message is worded
for the curator who typed the value.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from archive.paper import DOC_TYPES, Paper

MAX_TITLE = 500
MAX_AUTHOR = 200
MAX_AUTHORS = 100
MAX_TAG = 100
MAX_TAGS = 50
MAX_ABSTRACT = 20_000
MAX_DOI = 200
MAX_VENUE = 300
MAX_NUMBER = 40
# The venue's fields, with the most characters each may hold.
VENUE_FIELDS = {
    "container": MAX_VENUE,
    "publisher": MAX_VENUE,
    "volume": MAX_NUMBER,
    "issue": MAX_NUMBER,
    "page_range": MAX_NUMBER,
}
EARLIEST_YEAR = 1500
# A DOI is "10." + a registrant code of digits (dot-separated) + "/" + any suffix without spaces.
DOI = re.compile(r"10\.\d{4,9}(?:\.\d+)*/\S+")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
# Control characters never belong in metadata (newlines are allowed in the abstract only).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class InvalidEdit(ValueError):
    """Some fields were refused; ``errors`` maps each field name to what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))
        self.errors = errors


def _line(value: str) -> str:
    """One line of text: control characters dropped, runs of white space made one space."""
    return " ".join(_CONTROL.sub(" ", value).split())


def _split(value: str, separators: str) -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", value)
    seen: set[str] = set()
    kept = []
    for part in (_line(p) for p in parts):
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            kept.append(part)
    return kept


def normalize_doi(value: str) -> str:
    """A DOI as stored: a resolver URL or ``doi:`` prefix removed."""
    return _DOI_PREFIX.sub("", value.strip()).strip()


def latest_year() -> int:
    """The latest plausible year of publication (next year: papers in press)."""
    return datetime.now(UTC).year + 1


def apply_edit(paper: Paper, form: Mapping[str, str]) -> Paper:
    """``paper`` with the fields of ``form`` applied (title, authors, year, doi, abstract, tags,
    doc_type, and the venue: container, volume, issue, page_range, publisher; missing keys
    leave a field as it is). Every field whose value changes is marked as chosen by staff, so
    that no later lookup or refresh replaces it. Raises :class:`InvalidEdit` listing every
    refused field at once, so a person can fix them all in one go."""
    errors: dict[str, str] = {}
    changes: dict[str, object] = {}

    if "title" in form:
        title = _line(form["title"])
        if not title:
            errors["title"] = "A paper needs a title."
        elif len(title) > MAX_TITLE:
            errors["title"] = f"At most {MAX_TITLE} characters."
        changes["title"] = title

    if "authors" in form:
        # One author per line; "Petrova, Anna" keeps its comma, so only new lines and ';' split.
        authors = _split(form["authors"], "\n;")
        if len(authors) > MAX_AUTHORS:
            errors["authors"] = f"At most {MAX_AUTHORS} authors."
        elif any(len(name) > MAX_AUTHOR for name in authors):
            errors["authors"] = f"An author's name has at most {MAX_AUTHOR} characters."
        changes["authors"] = authors

    if "year" in form:
        raw = form["year"].strip()
        year: int | None = None
        if raw:
            if not raw.isdigit() or not EARLIEST_YEAR <= int(raw) <= latest_year():
                errors["year"] = f"A year from {EARLIEST_YEAR} to {latest_year()}, or empty."
            else:
                year = int(raw)
        changes["year"] = year

    if "doi" in form:
        doi = normalize_doi(_line(form["doi"]))
        if doi and (len(doi) > MAX_DOI or not DOI.fullmatch(doi)):
            errors["doi"] = "A DOI looks like 10.1234/abc-123 (or leave it empty)."
        changes["doi"] = doi or None

    if "abstract" in form:
        abstract = _CONTROL.sub(" ", form["abstract"].replace("\r\n", "\n")).strip()
        if len(abstract) > MAX_ABSTRACT:
            errors["abstract"] = f"At most {MAX_ABSTRACT:,} characters."
        changes["abstract"] = abstract

    if "tags" in form:
        tags = _split(form["tags"], ",;\n")
        if len(tags) > MAX_TAGS:
            errors["tags"] = f"At most {MAX_TAGS} tags."
        elif any(len(tag) > MAX_TAG for tag in tags):
            errors["tags"] = f"A tag has at most {MAX_TAG} characters."
        changes["tags"] = tags

    if "doc_type" in form:
        if form["doc_type"] not in DOC_TYPES:
            errors["doc_type"] = "Choose one of the listed document types."
        else:
            changes["doc_type"] = form["doc_type"]

    for name, longest in VENUE_FIELDS.items():
        if name in form:
            value = _line(form[name])
            if name == "page_range":
                value = re.sub(
                    r"\s*[-\u2010-\u2015]+\s*", "-", value
                )  # any dash, spaced or not, becomes "-"
            if len(value) > longest:
                errors[name] = f"At most {longest} characters."
            changes[name] = value

    if errors:
        raise InvalidEdit(errors)
    changed = [name for name, value in changes.items() if getattr(paper, name) != value]
    sources = {**paper.sources, **dict.fromkeys(changed, "staff")}
    return dataclasses.replace(paper, **changes, sources=sources)  # type: ignore[arg-type]


# --- the curation queue: papers whose description is weakest --------------------------------

# What is missing, with how much it weighs: a paper listed under its file name cannot be found
# by its title; a scan without text cannot be found by any word in it; then authors, then year.
WEAKNESSES = {
    "title from the file name": 4,
    "scan not searchable": 3,
    "no authors": 2,
    "no year": 1,
}


def title_is_file_name(paper: Paper) -> bool:
    """True when the paper's title is only its file name (nothing better was found)."""
    if paper.sources.get("title") == "filename":
        return True
    stem = paper.filename.rsplit(".", 1)[0] if "." in paper.filename else paper.filename
    # Sidecars written before sources were kept: compare with the name itself.
    return not paper.protected("title") and paper.title.strip() in {stem, paper.filename}


def weaknesses(paper: Paper, *, searchable: bool = True) -> list[str]:
    """What is wrong with a paper's description, worst first (keys of :data:`WEAKNESSES`).
    ``searchable`` is False for a scan whose pages have no text."""
    found = []
    if title_is_file_name(paper):
        found.append("title from the file name")
    if not searchable:
        found.append("scan not searchable")
    if not paper.authors:
        found.append("no authors")
    if paper.year is None:
        found.append("no year")
    return found
