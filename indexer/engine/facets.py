"""Facets: narrowing results by year, author, tag and document type, with how many papers each
choice keeps.

A :class:`Filters` is what a person clicked (``year=2018``, ``author=Anna Petrova``,
``tag=camera traps``, ``type=report``); it becomes a Whoosh filter on paper documents, so it
narrows results without changing their scores. :func:`facets_from` turns the counts gathered
over every matching paper (not only the listed page, see
:meth:`indexer.engine.ranking.IndexView.facet_counts`) into :class:`Facets`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from whoosh.query import And, NumericRange, Query, Term

from archive.paper import DOC_TYPES
from indexer.schema import facet_key

# How many authors, tags and types a results page offers (the commonest); years are all listed.
TOP_VALUES = 15
_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_DECADE = re.compile(r"^\s*(\d{3})0s\s*$")
_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-|\u2013|\.\.)\s*(\d{4})\s*$")
YEAR_FORMS = "a year (2018), a decade (2010s) or a range (2010-2018)"


def year_range(value: str) -> tuple[int, int]:
    """The years a year filter covers: "2018", "2010s" or "2010-2018". Raises ValueError."""
    if match := _YEAR.match(value):
        year = int(match.group(1))
        return year, year
    if match := _DECADE.match(value):
        start = int(match.group(1)) * 10
        return start, start + 9
    if match := _RANGE.match(value):
        low, high = sorted((int(match.group(1)), int(match.group(2))))
        return low, high
    raise ValueError(f"A year filter is {YEAR_FORMS}, not {value!r}.")


@dataclass(frozen=True)
class Filters:
    """The facet choices in effect. Several authors or tags must all hold (AND); a paper has
    one year and one document type, so choosing another replaces it."""

    year: str | None = None
    authors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    doc_type: str | None = None

    @classmethod
    def build(
        cls,
        year: str | None = None,
        authors: tuple[str, ...] | list[str] = (),
        tags: tuple[str, ...] | list[str] = (),
        doc_type: str | None = None,
        strict: bool = True,
    ) -> Filters:
        """Filters from raw values; a bad year or an unknown document type raises ValueError,
        or is dropped unless ``strict`` (the web forgives odd URLs; the command line says what
        is wrong)."""
        if year is not None and year.strip():
            try:
                year_range(year)
            except ValueError:
                if strict:
                    raise
                year = None
        else:
            year = None
        doc_type = (doc_type or "").strip() or None
        if doc_type is not None and doc_type not in DOC_TYPES:
            if strict:
                raise ValueError(
                    f"A document type is one of {', '.join(DOC_TYPES)}, not {doc_type!r}."
                )
            doc_type = None

        def clean(values: tuple[str, ...] | list[str]) -> tuple[str, ...]:
            kept = (" ".join(v.split())[:200] for v in values if v and v.strip())
            return tuple(dict.fromkeys(kept))[:10]

        return cls(
            year=year.strip() if year else None,
            authors=clean(authors),
            tags=clean(tags),
            doc_type=doc_type,
        )

    def __bool__(self) -> bool:
        return bool(self.year or self.authors or self.tags or self.doc_type)

    def query(self) -> Query | None:
        """The filter as a Whoosh query over paper documents (None when there is none)."""
        clauses: list[Query] = []
        if self.year:
            low, high = year_range(self.year)
            clauses.append(NumericRange("year", low, high))
        clauses += [Term("author_key", facet_key(name)) for name in self.authors]
        clauses += [Term("tag_key", facet_key(tag)) for tag in self.tags]
        if self.doc_type:
            clauses.append(Term("doc_type", self.doc_type))
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else And(clauses)

    def params(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (``year``, ``author``, ``tag``, ``type``)."""
        pairs = [("year", self.year)] if self.year else []
        pairs += [("author", name) for name in self.authors]
        pairs += [("tag", tag) for tag in self.tags]
        pairs += [("type", self.doc_type)] if self.doc_type else []
        return pairs

    def has(self, kind: str, value: str) -> bool:
        """Whether the facet value ``value`` of ``kind`` (year, author, tag, type) is chosen."""
        if kind == "year":
            return self.year == value
        if kind == "type":
            return self.doc_type == value
        chosen = self.authors if kind == "author" else self.tags
        return facet_key(value) in {facet_key(v) for v in chosen}

    def toggled(self, kind: str, value: str) -> Filters:
        """These filters with ``value`` added, or removed when it was already chosen.

        Choosing another year replaces the year (a paper has one).
        """
        if kind == "year":
            return replace(self, year=None if self.year == value else value)
        if kind == "type":
            return replace(self, doc_type=None if self.doc_type == value else value)
        name = "authors" if kind == "author" else "tags"
        current: tuple[str, ...] = getattr(self, name)
        key = facet_key(value)
        if key in {facet_key(v) for v in current}:
            return replace(self, **{name: tuple(v for v in current if facet_key(v) != key)})
        return replace(self, **{name: (*current, value)})

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "author": list(self.authors),
            "tag": list(self.tags),
            "type": self.doc_type,
        }


@dataclass
class FacetValue:
    """One choice of a facet: the value to filter on, what to show, how many papers."""

    value: str
    label: str
    count: int
    selected: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "count": self.count, "selected": self.selected}


@dataclass
class Facets:
    """The facets of a result set: decades and years, authors, tags, document types."""

    decades: list[FacetValue] = field(default_factory=list)
    years: list[FacetValue] = field(default_factory=list)
    authors: list[FacetValue] = field(default_factory=list)
    tags: list[FacetValue] = field(default_factory=list)
    types: list[FacetValue] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The ``facets`` object of ``/api/search`` and ``archive search --json``."""
        return {
            "decade": [value.to_json() for value in self.decades],
            "year": [value.to_json() for value in self.years],
            "author": [value.to_json() for value in self.authors],
            "tag": [value.to_json() for value in self.tags],
            "type": [value.to_json() for value in self.types],
        }


def _names(counts: dict[str, int], kind: str, filters: Filters) -> list[FacetValue]:
    """Names with their counts, in the order given (commonest first)."""
    return [FacetValue(name, name, n, filters.has(kind, name)) for name, n in counts.items()]


def facets_from(groups: dict[str, dict[Any, int]], filters: Filters) -> Facets:
    """Facets from counts per value (:meth:`indexer.engine.ranking.IndexView.facet_counts`):
    ``groups`` maps "year" to {year: papers}, and "authors", "tags" and "types" to their
    commonest values, {name: papers}, commonest first (names differing only in case and
    spacing already counted as one)."""
    by_year = groups.get("year", {})
    by_decade: Counter[int] = Counter()
    for year, count in by_year.items():
        by_decade[year // 10 * 10] += count
    decades = [
        FacetValue(f"{decade}s", f"{decade}s", count, filters.has("year", f"{decade}s"))
        for decade, count in sorted(by_decade.items(), reverse=True)
    ]
    years = [
        FacetValue(str(year), str(year), count, filters.has("year", str(year)))
        for year, count in sorted(by_year.items(), reverse=True)
    ]
    return Facets(
        decades=decades,
        years=years,
        authors=_names(groups.get("authors", {}), "author", filters),
        tags=_names(groups.get("tags", {}), "tag", filters),
        types=[
            FacetValue(key, DOC_TYPES[key], count, filters.has("type", key))
            for key, count in groups.get("types", {}).items()
            if key in DOC_TYPES
        ],
    )
