"""The JSON API: the same search and metadata as the command line's ``--json``."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from indexer.engine.search import QueryError, search
from webui.context import get_home, get_paper_or_404, viewer_is_staff
from webui.public import feeds
from webui.public.questions import published_answers_json
from webui.public.search_views import filter_args, for_visitor, search_args

bp = Blueprint("api", __name__, url_prefix="/api")

# The public may page through the first results only: walking every page of common words was one
# of the ways a restricted paper's text was pieced together from snippets (issue 22).
PUBLIC_API_DEPTH = 200


@bp.get("/search")
def api_search():  # type: ignore[no-untyped-def]
    """Search results as JSON (``q``, ``page``, ``limit``, ``sort``, and the facet filters
    ``year``, ``author``, ``tag``): the PRODUCT.md contract plus ``page``, ``limit``,
    ``filters``, ``facets``, ``did_you_mean``, ``synonyms``, ``incomplete`` and, on the first
    page, ``published_answers`` (the charity's published answers to readers' questions that the
    search finds, as the results page shows them)."""
    if request.args.get("format") == "atom":
        return feeds.search_feed()  # the same feed as /feeds/search
    query, page, sort = search_args()
    limit = request.args.get("limit", 10, type=int) or 10
    if not viewer_is_staff() and (page - 1) * max(1, limit) >= PUBLIC_API_DEPTH:
        message = (
            f"Only the first {PUBLIC_API_DEPTH} results of a search are served; "
            "add words or filters to narrow it."
        )
        return jsonify({"error": message, "status": 400}), 400
    home = get_home()
    try:
        found = search(
            home.index,
            query,
            limit=limit,
            page=page,
            sort=sort,
            filters=filter_args(),
            facets=True,
            thesaurus=home.thesaurus(),
            public=not viewer_is_staff(),
        )
    except QueryError as error:
        return jsonify({"error": str(error), "status": 400}), 400
    found, _locked = for_visitor(found)
    published = published_answers_json(query) if found.page == 1 else []
    return jsonify(
        {
            **found.to_json(extras=True),
            "page": found.page,
            "limit": found.limit,
            "published_answers": published,
        }
    )


@bp.get("/papers/<paper_id>")
def api_paper(paper_id: str):  # type: ignore[no-untyped-def]
    """One paper's metadata as JSON, with ``access`` (as set), ``embargo`` and
    ``public_access`` (in force today for the public: open once the embargo date is reached)."""
    paper = get_paper_or_404(paper_id)
    return jsonify({**paper.to_dict(), "public_access": paper.public_access()})
