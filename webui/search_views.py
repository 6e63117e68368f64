"""The search page and the results page."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from indexer.search import SORTS, QueryError, search
from webui.context import get_home

bp = Blueprint("search", __name__)

RESULTS_PER_PAGE = 10


def search_args() -> tuple[str, int, str]:
    """The query, result page and sort order from the query string, forgiving odd values."""
    query = request.args.get("q", "", type=str)[:1000]
    page = request.args.get("page", 1, type=int) or 1
    sort = request.args.get("sort", "relevance", type=str)
    return query, max(1, min(page, 10_000)), sort if sort in SORTS else "relevance"


@bp.get("/")
def home():  # type: ignore[no-untyped-def]
    """The search box, with what the archive holds."""
    return render_template("home.html", stats=get_home().index.stats())


@bp.get("/search")
def results():  # type: ignore[no-untyped-def]
    """A page of results; an empty or unusable query gets advice instead."""
    query, page, sort = search_args()
    if not query.strip():
        return render_template("home.html", stats=get_home().index.stats(), empty_query=True)
    try:
        found = search(get_home().index, query, limit=RESULTS_PER_PAGE, page=page, sort=sort)
    except QueryError as error:
        return render_template("results.html", query=query, results=None, problem=str(error))
    return render_template("results.html", query=query, results=found, sorts=list(SORTS))


@bp.get("/help")
def help_page():  # type: ignore[no-untyped-def]
    """How to write queries."""
    return render_template("help.html")
