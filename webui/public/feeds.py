"""Follow a search: an Atom feed of the papers matching it, the most recently added first.

Every results page links its feed (``/feeds/search?q=...`` with the page's filters and
language; ``/api/search?format=atom`` answers the same). A feed is public whoever asks: its URL
is pasted into feed readers and shared, so a signed-in curator's feed holds no more than a
reader's, and each paper's sidecar is read at request time (a paper made staff-only leaves the
feed at once, before the index catches up).

Feed readers ask every few minutes: the search behind a feed (the expensive part) is kept per
query, filters and index generation (a commit or a new day runs it again), and each answer
carries an ETag and Last-Modified, so a reader that has it already gets a bodiless 304.
"""

from __future__ import annotations

import hashlib
import threading
import xml.etree.ElementTree as ET
from collections import OrderedDict
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, request
from flask_babel import force_locale, gettext, ngettext

from archive.access import today
from archive.citation import one_line
from archive.paper import Paper
from indexer.engine.facets import Filters
from indexer.engine.search import QueryError, added_matching_ids
from webui.context import get_home
from webui.i18n import LANGUAGES, current_language
from webui.labels import library_message
from webui.public.discovery import (
    ATOM,
    EPOCH,
    SITE_NAME,
    feed_entry,
    public_papers,
    rfc3339,
    sub,
    timestamp,
)
from webui.public.search_views import QUERY_SAFE, filter_args
from webui.urls import external_url

bp = Blueprint("feeds", __name__)

FEED_ENTRIES = 50
# Searches kept (ids only): a few hundred followed searches cost a few hundred small lists.
CACHE_SIZE = 256


class FeedCache:
    """The ids of the last few hundred searches' feeds, one cache per app (so per home)."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple[object, ...], list[str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> list[str] | None:
        with self.lock:
            ids = self.entries.get(key)
            if ids is not None:
                self.entries.move_to_end(key)
            return ids

    def put(self, key: tuple[object, ...], ids: list[str]) -> None:
        with self.lock:
            self.entries[key] = ids
            while len(self.entries) > CACHE_SIZE:
                self.entries.popitem(last=False)


def _feed_cache() -> FeedCache:
    cache = current_app.extensions.get("feed_cache")
    if cache is None:
        cache = current_app.extensions.setdefault("feed_cache", FeedCache())
    return cache


def feed_args(query: str, filters: Filters, language: str | None = None) -> list[tuple[str, str]]:
    """The query string of a search's feed: its words, filters and (when given) language."""
    pairs = [("q", query)] if query else []
    pairs += filters.params()
    if language:
        pairs.append(("lang", language))
    return pairs


def feed_path(query: str, filters: Filters, language: str | None = None) -> str:
    """The site-relative URL of a search's feed (for the results page's links)."""
    args = feed_args(query, filters, language)
    base = "/feeds/search"
    return f"{base}?{urlencode(args, safe=QUERY_SAFE)}" if args else base


def _matching(query: str, filters: Filters) -> list[str]:
    """The ids of the papers of a search, most recently added first, kept until the index
    changes (a commit: a new generation) or a new day begins (an embargo may end)."""
    index = get_home().index
    opened = index.open()
    # The opened index object too: a rebuilt index starts its generations again.
    key = (id(opened), opened.latest_generation(), today(), query, tuple(filters.params()))
    cache = _feed_cache()
    ids = cache.get(key)
    if ids is not None:
        return ids
    ids = added_matching_ids(
        index,
        query,
        limit=FEED_ENTRIES,
        filters=filters,
        thesaurus=get_home().thesaurus(),
        public=True,
    )
    cache.put(key, ids)
    return ids


def _title(query: str, filters: Filters) -> str:
    if query:
        return gettext("New papers on “%(query)s”", query=one_line(query))
    if filters:
        return gettext("New papers: %(filters)s", filters=", ".join(v for _, v in filters.params()))
    return gettext("New papers")


def _document(query: str, filters: Filters, papers: list[Paper], language: str) -> ET.Element:
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": language})
    # The id stays the same in every language: it names the search, not its wording.
    sub(root, "id", external_url("feeds.search_feed", **_url_values(feed_args(query, filters))))
    sub(root, "title", _title(query, filters), type="text")
    sub(
        root,
        "subtitle",
        gettext(
            "Papers of the %(site)s matching this search, the most recently added first.",
            site=gettext("Conservation Paper Archive"),
        ),
        type="text",
    )
    newest = max((timestamp(paper.added) for paper in papers), default=EPOCH)
    sub(root, "updated", rfc3339(newest))
    # Atom wants an author for every entry; the archive stands in for papers without one.
    sub(sub(root, "author"), "name", gettext("Conservation Paper Archive"))
    self_values = _url_values(feed_args(query, filters, language))
    sub(
        root,
        "link",
        rel="self",
        type="application/atom+xml",
        href=external_url("feeds.search_feed", **self_values),
    )
    page_values = _url_values(feed_args(query, filters))
    page = "search.results" if query else "search.browse_page"
    sub(root, "link", rel="alternate", type="text/html", href=external_url(page, **page_values))
    sub(root, "generator", SITE_NAME)
    for paper in papers:
        pages = ngettext("%(num)s page", "%(num)s pages", paper.pages)
        fallback = f"{paper.year}, {pages}." if paper.year else f"{pages}."
        feed_entry(root, paper, fallback)
    return root


def _url_values(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Query-string pairs as url_for's keyword values (a repeated name becomes a list)."""
    values: dict[str, list[str]] = {}
    for name, value in pairs:
        values.setdefault(name, []).append(value)
    return {name: items[0] if len(items) == 1 else items for name, items in values.items()}


@bp.get("/feeds/search")
def search_feed():  # type: ignore[no-untyped-def]
    """The Atom feed of a search (``q`` and the facet filters of a results page; ``lang``
    picks the feed's language, else the reader's as for any page). Public whoever asks."""
    query = request.args.get("q", "", type=str)[:1000].strip()
    filters = filter_args()
    chosen = request.args.get("lang", "", type=str)
    language = chosen if chosen in LANGUAGES else current_language()
    with force_locale(language):
        try:
            ids = _matching(query, filters)
        except QueryError as error:
            response = Response(library_message(str(error)) + "\n", 400, mimetype="text/plain")
            return response
        root = _document(query, filters, public_papers(ids), language)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = Response(body, mimetype="application/atom+xml")
    # The body is the validator: any change of a listed paper (title, access, embargo) or
    # of the list changes it.
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    moment = timestamp(root.findtext("updated") or "")
    if moment != EPOCH:
        response.last_modified = moment
    # Shared caches may keep it but must ask again each time (a 304 is cheap), so that a paper
    # made staff-only leaves every copy at once.
    response.cache_control.public = True
    response.cache_control.no_cache = True
    if chosen not in LANGUAGES:
        response.vary.update(("Cookie", "Accept-Language"))
    return response.make_conditional(request)


@bp.app_context_processor
def _feed_links() -> dict[str, object]:
    # The results page links its feed in its head and beside its heading.
    return {"search_feed_url": feed_path}
