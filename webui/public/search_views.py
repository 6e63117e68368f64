"""The search page, the results page and the browse page (every paper, by facets)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from archive.library import PaperNotFound
from archive.paper import Paper
from indexer.engine.facets import Filters
from indexer.engine.search import SORTS, QueryError, SearchResults, browse, search
from indexer.engine.thesaurus import is_translation, without_names
from webui.context import get_home, viewer_is_staff, visitor_access
from webui.labels import library_message
from webui.public.disclosure import for_public

bp = Blueprint("search", __name__)

RESULTS_PER_PAGE = 10
# Characters a query string may hold unescaped (Werkzeug's choice, after the URL standard).
QUERY_SAFE = "!$'()*,/:;?@"
BROWSE_SORTS = [name for name in SORTS if name != "relevance"]


def search_args() -> tuple[str, int, str]:
    """The query, result page and sort order from the query string, forgiving odd values."""
    query = request.args.get("q", "", type=str)[:1000]
    page = request.args.get("page", 1, type=int) or 1
    sort = request.args.get("sort", "relevance", type=str)
    return query, max(1, min(page, 10_000)), sort if sort in SORTS else "relevance"


def filter_args() -> Filters:
    """The facet filters of the query string (``year``, ``author``, ``tag``, ``type``); odd
    values are dropped rather than refused, since they come from edited or stale links."""
    return Filters.build(
        year=request.args.get("year", type=str),
        authors=request.args.getlist("author"),
        tags=request.args.getlist("tag"),
        doc_type=request.args.get("type", type=str),
        strict=False,
    )


def for_visitor(found: SearchResults) -> tuple[SearchResults, set[str]]:
    """The results without hits whose sidecar says the visitor may not see them any more (the
    index may lag a change of access or a removal by a few seconds, the sidecar never does),
    and the ids of the hits left that the visitor may find but not read (on request, under
    embargo): those link to their page, where a copy is asked for. One sidecar read a hit."""
    access = {hit.id: visitor_access(hit.id) for hit in found.hits}
    found.hits = [hit for hit in found.hits if access[hit.id][0]]
    # Answers come only from papers the visitor may read, judged as the hits are.
    for answer in found.answers:
        if answer.id not in access:
            access[answer.id] = visitor_access(answer.id)
    found.answers = [answer for answer in found.answers if all(access[answer.id])]
    locked = {hit.id for hit in found.hits if not access[hit.id][1]}
    if (
        not viewer_is_staff()
    ):  # scores and snippets that reveal no more (webui/public/disclosure.py)
        found = for_public(found, locked)
    return found, locked


@dataclass
class Links:
    """The links of a results page, each keeping the query, sort order and filters."""

    endpoint: str
    query: str
    sort: str
    filters: Filters

    def _url(self, filters: Filters, page: int | None = None, **changes: str) -> str:
        args: dict[str, object] = {}
        if self.endpoint == "search.results":
            args["q"] = changes.get("q", self.query)
        args["sort"] = changes.get("sort", self.sort)
        if page is not None:
            args["page"] = page
        pairs = [(key, str(value)) for key, value in args.items()] + filters.params()
        # As url_for builds a query string, without resolving the route again for each of the
        # page's dozens of facet links (that was a sixth of a results page's time).
        return f"{self.base}?{urlencode(pairs, safe=QUERY_SAFE)}"

    @cached_property
    def base(self) -> str:
        return url_for(self.endpoint)

    def page(self, number: int) -> str:
        """Another page of the same results."""
        return self._url(self.filters, page=number)

    def toggle(self, kind: str, value: str) -> str:
        """The results with a facet value added, or removed when chosen (from page 1)."""
        return self._url(self.filters.toggled(kind, value))

    def query_url(self, text: str) -> str:
        """The same filters and order for another query (did you mean, exact words)."""
        return self._url(self.filters, q=text)

    def clear(self) -> str:
        """The results without any filter."""
        return self._url(Filters())


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    """The search box, with what the archive holds."""
    return render_template("home.html", stats=get_home().index.stats())


def _render(
    listed: tuple[SearchResults, set[str]], query: str, endpoint: str, sorts: list[str]
) -> str:
    found, locked = listed
    links = Links(endpoint, query, found.sort, found.filters)
    exact = without_names(query, [typed for typed, _ in found.synonyms])
    # Synonyms in the language typed, apart from translations (listed with their own link).
    others = [
        (typed, [name for name in names if not is_translation(typed, name)])
        for typed, names in found.synonyms
    ]
    return render_template(
        "results.html",
        query=query,
        results=found,
        answer_papers=_answer_papers(found),
        sorts=sorts,
        links=links,
        exact_query=exact,
        same_language=[(typed, names) for typed, names in others if names],
        untranslated_query=without_names(query, [typed for typed, _ in found.translations]),
        locked=locked,
        library_text=library_message,
    )


def _answer_papers(found: SearchResults) -> dict[str, Paper]:
    """The papers of the answers (for citing a page), by id; one left out if it is gone."""
    papers = {}
    for answer in found.answers:
        try:
            papers[answer.id] = get_home().library.get(answer.id)
        except PaperNotFound:
            continue
    return papers


@bp.get("/search")
def results():  # type: ignore[no-untyped-def]
    """A page of results; an empty or unusable query gets advice instead."""
    query, page, sort = search_args()
    filters = filter_args()
    home = get_home()
    if not query.strip():
        if filters:
            return browse_page()
        return render_template("home.html", stats=home.index.stats(), empty_query=True)
    try:
        found = search(
            home.index,
            query,
            limit=RESULTS_PER_PAGE,
            page=page,
            sort=sort,
            filters=filters,
            facets=True,
            thesaurus=home.thesaurus(),
            public=not viewer_is_staff(),
        )
    except QueryError as error:
        problem = library_message(str(error))
        return render_template("results.html", query=query, results=None, problem=problem)
    return _render(for_visitor(found), query, "search.results", list(SORTS))


@bp.get("/browse")
def browse_page():  # type: ignore[no-untyped-def]
    """Every paper, newest first (or by title, oldest), narrowed by facets."""
    _, page, sort = search_args()
    if sort not in BROWSE_SORTS:
        sort = "newest"
    found = browse(
        get_home().index,
        limit=RESULTS_PER_PAGE,
        page=page,
        sort=sort,
        filters=filter_args(),
        public=not viewer_is_staff(),
    )
    return _render(for_visitor(found), "", "search.browse_page", BROWSE_SORTS)


@bp.get("/help")
def help_page():  # type: ignore[no-untyped-def]
    """How to write queries, and the synonyms searched for."""
    return render_template("help.html", thesaurus=get_home().thesaurus())
