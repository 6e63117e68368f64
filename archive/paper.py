"""A paper's metadata, as kept in its sidecar file."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from archive import access as access_rules

PAPER_ID = re.compile(r"[0-9a-f]{64}")

# The kinds of document the archive holds, as stored in sidecars, with the name people read.
# The keys map onto citation types (article -> @article, report -> @techreport, other -> @misc).
DOC_TYPES = {
    "article": "Journal article",
    "report": "Report",
    "fact-sheet": "Fact sheet",
    "thesis": "Thesis",
    "book": "Book or chapter",
    "conference": "Conference paper",
    "other": "Other document",
}
# Sidecars written before document types existed read as this (the honest "unknown").
DEFAULT_DOC_TYPE = "other"
# What reference managers call them: Zotero's item types and BibTeX's entry types, folded.
_DOC_TYPE_NAMES = {
    "journalarticle": "article",
    "magazinearticle": "article",
    "newspaperarticle": "article",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "booksection": "book",
    "inbook": "book",
    "incollection": "book",
    "conferencepaper": "conference",
    "inproceedings": "conference",
    "proceedings": "conference",
    "factsheet": "fact-sheet",
}


# Where a value can come from, most trusted first; people's choices are never overwritten.
SOURCES = {
    "staff": "edited by staff",
    "metadata-file": "metadata file (--metadata)",
    "crossref": "Crossref (by DOI)",
    "first-page": "read from the first page",
    "pdf-info": "PDF document info",
    "filename": "file name",
}
PROTECTED_SOURCES = frozenset({"staff", "metadata-file"})
# The fields that describe a paper (those that have a source).
DESCRIBED_FIELDS = (
    "title", "authors", "year", "doi", "abstract", "tags", "doc_type",
    "container", "volume", "issue", "page_range", "publisher",
)  # fmt: skip


def doc_type_from(value: str) -> str | None:
    """The document type a curator or a reference manager means by ``value``: a key
    ("report"), a name people read ("Fact sheet"), a Zotero item type ("journalArticle") or a
    BibTeX entry type ("techreport"). None when it is none of these (BibTeX's "misc" included:
    it says nothing)."""
    folded = "".join(ch for ch in value.casefold() if ch.isalnum())
    for key, label in DOC_TYPES.items():
        if folded in {key.replace("-", ""), "".join(ch for ch in label.casefold() if ch.isalnum())}:
            return key
    return _DOC_TYPE_NAMES.get(folded)


def is_paper_id(value: str) -> bool:
    """True when ``value`` is a well-formed paper id (a lowercase SHA-256 hex digest)."""
    return bool(PAPER_ID.fullmatch(value))


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class Paper:
    """One paper of the archive. Its ``id`` is the SHA-256 of its PDF's bytes."""

    id: str
    title: str
    filename: str
    pages: int
    size: int
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    doi: str | None = None
    tags: list[str] = field(default_factory=list)
    abstract: str = ""
    added: str = field(default_factory=utc_now)
    doc_type: str = DEFAULT_DOC_TYPE
    # Where the paper was published: journal or proceedings, and its place in them.
    container: str = ""
    volume: str = ""
    issue: str = ""
    page_range: str = ""  # "123-145" as printed; ``pages`` is the PDF's page count
    publisher: str = ""
    # Where each described field's value came from: "staff", "metadata-file", "crossref",
    # "first-page", "pdf-info" or "filename", keyed by field name.
    sources: dict[str, str] = field(default_factory=dict)
    # What the PDF itself said for or against each extracted value when it was read, as a shift
    # of that value's confidence in the curation queue (indexer.describe.evidence), keyed by
    # field name. Sidecars of earlier versions have none until refresh-metadata reads them.
    evidence: dict[str, float] = field(default_factory=dict)
    # The last Crossref answer for this paper's DOI (see indexer.describe.crossref), so that a
    # refresh or a second import does not ask again: {"doi", "fetched", "found", "work": {...}}.
    crossref: dict[str, Any] = field(default_factory=dict)
    # Who may see it (archive.access): "open", "on-request" or "staff-only", and the date
    # (ISO, UTC) from which it is open by itself. Sidecars without them read as open.
    access: str = access_rules.LEGACY_ACCESS
    embargo: str | None = None
    # Whether the PDF holds JavaScript that a browser's viewer would run (found at import;
    # None in sidecars of earlier versions: not looked at yet), and whether a curator let this
    # one open in the browser all the same (otherwise it is offered as a download only).
    javascript: bool | None = None
    javascript_inline: bool = False

    @property
    def page_span(self) -> tuple[str, str]:
        """The first and last page of ``page_range`` ("123-145" -> ("123", "145"); a lone
        "e1234" -> ("e1234", ""))."""
        first, _, last = self.page_range.partition("-")
        return first.strip(), last.strip()

    def public_access(self, on: str | None = None) -> str:
        """The access level in force for the public today (or on the day ``on``)."""
        return access_rules.effective_access(self.access, self.embargo, on)

    def may_list(self, on: str | None = None) -> bool:
        """Whether the public may find this paper and see its metadata."""
        return access_rules.may_list(self.access, self.embargo, on)

    def may_read(self, on: str | None = None) -> bool:
        """Whether the public may read this paper's PDF and full text."""
        return access_rules.may_read(self.access, self.embargo, on)

    def protected(self, name: str) -> bool:
        """True when a person chose this field's value (a curator or a metadata file): no
        extraction or lookup may replace it."""
        return self.sources.get(name) in PROTECTED_SOURCES

    def merge(self, values: dict[str, Any], source: str) -> list[str]:
        """Take the non-empty ``values`` (field name -> value) from ``source``, except for
        protected fields; returns the names of the fields whose value changed."""
        changed = []
        for name, value in values.items():
            if value in (None, "", [], ()) or self.protected(name):
                continue
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed.append(name)
            self.sources[name] = source
        return changed

    def to_dict(self) -> dict[str, Any]:
        """The sidecar's JSON form."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        """Read a sidecar, ignoring keys a newer version may have added."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        values["access"] = access_rules.stored_access(data.get("access"))
        values["embargo"] = access_rules.stored_embargo(data.get("embargo"))
        return cls(**values)
