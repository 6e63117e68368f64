"""Searching the index: one result per paper, with the pages where the words are.

A search runs twice over the index. First over paper documents, which rank whole papers (BM25F,
title weighing most) and give the total; then, for the papers on the requested result page only,
over their page documents, which say which pages match (best first) and give the snippets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape
from whoosh import highlight
from whoosh.qparser import AndGroup, MultifieldParser
from whoosh.qparser.plugins import FieldAliasPlugin, GtLtPlugin, PlusMinusPlugin
from whoosh.query import And, AndNot, Every, Not, NullQuery, Or, Query, Term
from whoosh.searching import Searcher

from indexer.index import SearchIndex
from indexer.normalize import clean_field
from indexer.schema import PAGE, PAPER, text_analyzer

DEFAULT_FIELDS = ("title", "authors", "abstract", "tags", "content")
# Fields a person may name in a query; the others are internal.
PUBLIC_FIELDS = frozenset({*DEFAULT_FIELDS, "year", "doi", "filename"})
FIELD_ALIASES = {
    "authors": ["author", "by"],
    "tags": ["tag", "keyword", "keywords", "species"],
    "filename": ["file"],
}
SORTS = {
    "relevance": None,
    "newest": ("year", True),
    "oldest": ("year", False),
    "title": ("title_sort", False),
}
MAX_LIMIT = 100
SNIPPETS_PER_HIT = 3
SNIPPET_CHARS = 240
# "year:2010-2018" is how people write a range; Whoosh spells it "year:[2010 TO 2018]".
_YEAR_RANGE = re.compile(r"\byear:(\d{4})\s*(?:-|\u2013|\.\.)\s*(\d{4})\b", re.IGNORECASE)
_SYNTAX_CHARS = re.compile(r"[\"'()\[\]{}:^~*?+\-\\/<>=!]")


NOTHING_TO_SEARCH = (
    "There is nothing to search for in that query. "
    "Try a few plain words, such as: amur leopard camera traps."
)


class QueryError(ValueError):
    """The query cannot be searched; ``str(error)`` says why, for a person."""


@dataclass
class Snippet:
    """A passage of one page with the query's words highlighted (safe HTML)."""

    page: int
    html: str


@dataclass
class Hit:
    """One paper in a result list."""

    id: str
    title: str
    authors: list[str]
    year: int | None
    filename: str
    score: float
    pages: list[int] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    doi: str | None = None
    page_count: int = 0


@dataclass
class SearchResults:
    """A page of results for a query."""

    query: str
    total: int
    hits: list[Hit]
    page: int = 1
    limit: int = 10
    sort: str = "relevance"

    @property
    def page_count(self) -> int:
        """How many result pages the total makes."""
        return max(1, -(-self.total // self.limit))

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` and ``/api/search`` contract (PRODUCT.md)."""
        return {
            "query": self.query,
            "total": self.total,
            "results": [
                {
                    "id": hit.id,
                    "title": hit.title,
                    "authors": hit.authors,
                    "year": hit.year,
                    "filename": hit.filename,
                    "score": round(hit.score, 4),
                    "pages": hit.pages,
                    "snippets": [{"page": s.page, "html": s.html} for s in hit.snippets],
                }
                for hit in self.hits
            ],
        }


class _MarkFormatter(highlight.Formatter):
    """Highlights as ``<mark>``; every piece of PDF text is HTML-escaped, quotes included."""

    between = " … "

    def _text(self, text: str) -> str:
        return str(escape(text))

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


def make_parser(index: SearchIndex) -> MultifieldParser:
    """The query parser: words AND-ed across the default fields, with ``field:`` syntax."""
    parser = MultifieldParser(list(DEFAULT_FIELDS), index.open().schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    # "-word" excludes, but only at the start of a word: "COVID-19" is one term, not
    # "COVID NOT 19".
    parser.add_plugin(
        PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+(?=\S)", minusexpr=r"(?<![^\s(])-(?=\S)")
    )
    parser.add_plugin(GtLtPlugin())
    return parser


def _public_only(query: Query) -> Query:
    """The query without clauses on internal fields (``kind:``, ``paper_id:``...)."""
    if query.is_leaf():
        name = query.field()
        return query if name is None or name in PUBLIC_FIELDS else NullQuery
    return query.apply(_public_only)


def _only_exclusions(text: str) -> bool:
    """True for "-leopard" or "NOT a NOT b": nothing asked for, only things left out."""
    words = text.split()
    excluded_next = False
    for word in words:
        if word == "NOT":
            excluded_next = True
        elif excluded_next or (word.startswith("-") and len(word) > 1):
            excluded_next = False
        else:
            return False
    return bool(words)


def parse_query(index: SearchIndex, text: str) -> Query:
    """Parse what a person typed. Raises :class:`QueryError` when nothing is left to search."""
    text = _YEAR_RANGE.sub(r"year:[\1 TO \2]", clean_field(text))
    if not text:
        raise QueryError(NOTHING_TO_SEARCH)
    if _only_exclusions(text):
        raise QueryError(
            "Say what to search for as well as what to leave out, for example: leopard -snow."
        )
    parser = make_parser(index)
    try:
        query = _public_only(parser.parse(text)).normalize()
    except Exception:
        query = NullQuery
    if query is NullQuery:
        # Syntax that leads nowhere ("((", "year:abc"): fall back to the plain words typed.
        plain = _SYNTAX_CHARS.sub(" ", text)
        query = _public_only(parser.parse(plain)).normalize() if plain.strip() else NullQuery
    if query is NullQuery:
        raise QueryError(NOTHING_TO_SEARCH)
    return query


def _positive_content_leaves(query: Query) -> list[Query]:
    """The body-text clauses of a query outside any NOT: what locates pages."""
    if isinstance(query, Not):
        return []
    if isinstance(query, AndNot):
        return _positive_content_leaves(query.a)
    if query.is_leaf():
        return [query] if query.field() == "content" and not isinstance(query, Every) else []
    return [leaf for child in query.children() for leaf in _positive_content_leaves(child)]


def _paper_filter(paper_ids: list[str]) -> Query:
    return Or([Term("paper_id", paper_id) for paper_id in paper_ids])


def _locate_pages(searcher: Searcher, query: Query, hits: list[Hit], snippets: bool) -> None:
    """Fill in each hit's matching pages (best first) and up to three snippets."""
    leaves = _positive_content_leaves(query)
    if not hits or not leaves:
        return
    page_query = And([Or(leaves), Term("kind", PAGE), _paper_filter([h.id for h in hits])])
    by_paper: dict[str, list[tuple[int, str]]] = {hit.id: [] for hit in hits}
    for result in searcher.search(page_query, limit=None):
        by_paper[result["paper_id"]].append((result["page"], result.get("page_text", "")))
    if not snippets:
        for hit in hits:
            hit.pages = [number for number, _ in by_paper[hit.id]]
        return
    terms = {
        text.decode("utf-8") if isinstance(text, bytes) else text
        for fieldname, text in Or(leaves).existing_terms(searcher.reader(), expand=True)
        if fieldname == "content"
    }
    analyzer = text_analyzer()
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
    formatter = _MarkFormatter()
    for hit in hits:
        found = by_paper[hit.id]
        hit.pages = [number for number, _ in found]
        for number, text in found[:SNIPPETS_PER_HIT]:
            html = highlight.highlight(text, terms, analyzer, fragmenter, formatter, top=1)
            if html:
                hit.snippets.append(Snippet(page=number, html=html))


def search(
    index: SearchIndex,
    text: str,
    *,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    snippets: bool = True,
) -> SearchResults:
    """Search the archive. Raises :class:`QueryError` for a query with nothing to search."""
    limit = max(1, min(limit, MAX_LIMIT))
    page = max(1, page)
    if sort not in SORTS:
        raise QueryError(f"Unknown sort order {sort!r}; use one of: {', '.join(SORTS)}.")
    query = parse_query(index, text)
    paper_query = And([query, Term("kind", PAPER)])
    sort_key = SORTS[sort]
    with index.open().searcher() as searcher:
        kwargs: dict[str, Any] = {}
        if sort_key:
            kwargs = {"sortedby": sort_key[0], "reverse": sort_key[1]}
        results = searcher.search_page(paper_query, page, pagelen=limit, **kwargs)
        # Whoosh shows the last page for a page number past the end; a person asked for more.
        listed = list(results) if results.pagenum == page else []
        hits = [_hit(result) for result in listed]
        if sort_key and hits:
            # Under sortedby, Whoosh's score is the sort key; score the listed papers alone.
            scored = searcher.search(
                paper_query, limit=None, filter=_paper_filter([hit.id for hit in hits])
            )
            scores = {result["paper_id"]: result.score for result in scored}
            for hit in hits:
                hit.score = float(scores.get(hit.id, 0.0))
        _locate_pages(searcher, query, hits, snippets)
        return SearchResults(
            query=text, total=results.total, hits=hits, page=page, limit=limit, sort=sort
        )


def _hit(result: Any) -> Hit:
    summary = result["summary"]
    return Hit(
        id=result["paper_id"],
        title=summary["title"],
        authors=list(summary["authors"]),
        year=summary["year"],
        filename=summary["filename"],
        score=float(result.score or 0.0) if isinstance(result.score, int | float) else 0.0,
        doi=summary.get("doi"),
        page_count=summary.get("pages", 0),
    )


# --- every match at once (for exports and feeds) ------------------------------------------------


def matching_ids(
    index: SearchIndex, text: str, *, limit: int, sort: str = "relevance"
) -> tuple[int, list[str]]:
    """The total number of papers matching ``text`` and the ids of the first ``limit`` of them,
    in the order :func:`search` lists them. No snippets, no pages: just enough to fetch them.

    Raises :class:`QueryError` as :func:`search` does.
    """
    if sort not in SORTS:
        raise QueryError(f"Unknown sort order {sort!r}; use one of: {', '.join(SORTS)}.")
    paper_query = And([parse_query(index, text), Term("kind", PAPER)])
    sort_key = SORTS[sort]
    kwargs: dict[str, Any] = {"sortedby": sort_key[0], "reverse": sort_key[1]} if sort_key else {}
    with index.open().searcher() as searcher:
        results = searcher.search(paper_query, limit=max(1, limit), **kwargs)
        return len(results), [result["paper_id"] for result in results]


def newest_ids(index: SearchIndex, limit: int) -> list[str]:
    """The ids of the papers added most recently, newest first."""
    with index.open().searcher() as searcher:
        results = searcher.search(
            Term("kind", PAPER), limit=max(1, limit), sortedby="added", reverse=True
        )
        return [result["paper_id"] for result in results]
