"""Being found: sitemap, robots.txt, OpenSearch description, Atom feed, Google Scholar tags.

Every XML document is built with :mod:`xml.etree.ElementTree`, never by pasting strings, so a
title holding ``<``, ``&`` or ``]]>`` stays text; characters XML 1.0 forbids (control characters
from PDF metadata) are dropped first, because ElementTree would write them and break the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, send_from_directory
from flask_babel import gettext

from archive.citation import one_line
from archive.library import PaperNotFound
from archive.paper import Paper
from indexer.engine.search import newest_ids
from webui.context import get_home
from webui.i18n import current_language
from webui.public.questions import published_urls
from webui.urls import external_url, paper_url, pdf_url

bp = Blueprint("discovery", __name__)

SITE_NAME = "Conservation Paper Archive"
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
# The sitemap protocol's limit for one file; a larger archive needs a sitemap index (not yet).
SITEMAP_MAX_URLS = 50_000
FEED_ENTRIES = 50
# Crawlers and feed readers ask often; an hour's staleness costs nothing.
DISCOVERY_MAX_AGE = 3600
# Characters outside XML 1.0's Char production.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def xml_text(text: object) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", str(text)) if text is not None else ""


def timestamp(value: str) -> datetime:
    """A sidecar's ISO time (UTC when it says no zone); the epoch for anything unreadable."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def sub(parent: ET.Element, tag: str, text: object = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: xml_text(v) for k, v in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def _xml_response(root: ET.Element, mimetype: str, lists_papers: bool = False) -> Response:
    # Each document has one namespace, declared as the root's xmlns with local names inside:
    # ElementTree's default_namespace cannot serialise unqualified attributes (href, rel).
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return _cacheable(Response(body, mimetype=mimetype), lists_papers)


def _cacheable(response: Response, lists_papers: bool = False) -> Response:
    """Discovery documents may be cached by anyone for an hour; those that list papers
    (sitemap, feed) must be asked for again each time ("no-cache"), so that a paper made
    staff-only or removed leaves them at once, shared caches included."""
    response.cache_control.public = True
    if lists_papers:
        response.cache_control.no_cache = True
    else:
        response.cache_control.max_age = DISCOVERY_MAX_AGE
    return response


@bp.get("/sitemap.xml")
def sitemap():  # type: ignore[no-untyped-def]
    """Every paper's page, for search engines (Google Scholar reads this too)."""
    urlset = ET.Element("urlset", xmlns=SITEMAP)
    sub(sub(urlset, "url"), "loc", external_url("search.home"))
    listed = (paper for paper in get_home().library.papers() if paper.may_list())
    for count, paper in enumerate(listed, start=1):
        if count >= SITEMAP_MAX_URLS:
            break
        url = sub(urlset, "url")
        sub(url, "loc", paper_url(paper))
        added = timestamp(paper.added)
        if added != EPOCH:
            sub(url, "lastmod", rfc3339(added))
    for loc, _published in published_urls():
        sub(sub(urlset, "url"), "loc", loc)
    return _xml_response(urlset, "application/xml", lists_papers=True)


@bp.get("/favicon.ico")
def favicon():  # type: ignore[no-untyped-def]
    """The icon browsers ask for at this fixed path whatever the page says (the PDF viewer
    does): without it, a 404 and a console error. The same leaf as static/favicon.svg."""
    response = send_from_directory(
        current_app.static_folder or "static", "favicon.ico", mimetype="image/x-icon"
    )
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/robots.txt")
def robots():  # type: ignore[no-untyped-def]
    """Welcome crawlers to the papers, point them at the sitemap, keep them off the bulk
    downloads (a crawler following "Download all" would fetch the whole archive again and
    again)."""
    lines = [
        "User-agent: *",
        "Disallow: /search.zip",
        "Disallow: /search.bib",
        "Disallow: /search.ris",
        # Deep result pages and the API: each costs a search, and the sitemap lists every paper.
        "Disallow: /*page=",
        "Disallow: /api/",
        # A search's feed runs a search too; feed readers, not crawlers, follow it.
        "Disallow: /feeds/",
        "",
        f"Sitemap: {external_url('discovery.sitemap')}",
        "",
    ]
    return _cacheable(Response("\n".join(lines), mimetype="text/plain"))


@bp.get("/opensearch.xml")
def opensearch():  # type: ignore[no-untyped-def]
    """The OpenSearch description that lets browsers offer the archive as a search engine, in
    the reader's language (a browser fetches it with the page's cookie and Accept-Language;
    the search URL it gives then answers in that language too)."""
    root = ET.Element("OpenSearchDescription", xmlns=OPENSEARCH)
    # OpenSearch allows at most 16 characters for the name a browser shows, in every language.
    sub(root, "ShortName", gettext("Paper Archive"))
    sub(root, "LongName", gettext("Conservation Paper Archive"))
    sub(
        root,
        "Description",
        gettext("Search the full text of the papers in the Conservation Paper Archive."),
    )
    sub(root, "Language", current_language())
    sub(root, "InputEncoding", "UTF-8")
    sub(root, "OutputEncoding", "UTF-8")
    # url_for would percent-encode the braces of the template parameter; add it by hand.
    search_url = external_url("search.results") + "?q={searchTerms}"
    api_url = external_url("api.api_search") + "?q={searchTerms}"
    sub(root, "Url", type="text/html", method="get", template=search_url)
    sub(root, "Url", type="application/json", method="get", template=api_url)
    self_url = external_url("discovery.opensearch")
    sub(
        root,
        "Url",
        type="application/opensearchdescription+xml",
        rel="self",
        template=self_url,
    )
    response = _xml_response(root, "application/opensearchdescription+xml")
    # Cached for an hour by anyone: a shared cache must keep the languages apart.
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def feed_entry(feed: ET.Element, paper: Paper, fallback: str | None = None) -> None:
    """One paper's ``<entry>`` (``fallback``: the summary of a paper without an abstract,
    "2024, 4 pages." by default in English)."""
    entry = sub(feed, "entry")
    sub(entry, "id", paper_url(paper))
    sub(entry, "title", one_line(paper.title), type="text")
    added = rfc3339(timestamp(paper.added))
    sub(entry, "updated", added)
    sub(entry, "published", added)
    for name in paper.authors:
        sub(sub(entry, "author"), "name", one_line(name))
    sub(entry, "link", rel="alternate", type="text/html", href=paper_url(paper))
    if paper.may_read():
        sub(
            entry,
            "link",
            rel="enclosure",
            type="application/pdf",
            length=str(paper.size),
            href=pdf_url(paper),
        )
    for tag in paper.tags:
        sub(entry, "category", term=tag)
    year = f"{paper.year}, " if paper.year else ""
    summary = paper.abstract or fallback or f"{year}{paper.pages} page{'s' * (paper.pages != 1)}."
    sub(entry, "summary", summary, type="text")


def public_papers(ids: list[str]) -> list[Paper]:
    """The papers of ``ids`` the public may list today, as their sidecars say now (the sidecar
    decides, even before the index catches up with a change)."""
    library = get_home().library
    papers = []
    for paper_id in ids:
        try:
            paper = library.get(paper_id)
        except PaperNotFound:
            continue
        if paper.may_list():
            papers.append(paper)
    return papers


@bp.get("/feed.atom")
def feed():  # type: ignore[no-untyped-def]
    """An Atom feed of the papers added most recently."""
    papers = public_papers(newest_ids(get_home().index, FEED_ENTRIES, public=True))
    root = ET.Element("feed", xmlns=ATOM)
    sub(root, "id", external_url("discovery.feed"))
    sub(root, "title", f"{SITE_NAME}: newly added papers")
    newest = max((timestamp(p.added) for p in papers), default=EPOCH)
    sub(root, "updated", rfc3339(newest))
    # Atom wants an author for every entry; the archive stands in for papers without one.
    sub(sub(root, "author"), "name", SITE_NAME)
    sub(root, "link", rel="self", href=external_url("discovery.feed"))
    sub(root, "link", rel="alternate", type="text/html", href=external_url("search.home"))
    sub(root, "generator", SITE_NAME)
    for paper in papers:
        feed_entry(root, paper)
    return _xml_response(root, "application/atom+xml", lists_papers=True)


@bp.app_context_processor
def _discovery_links() -> dict[str, object]:
    # Templates build absolute URLs for meta tags through the same rule as the XML above.
    return {"paper_url": paper_url, "pdf_url": pdf_url, "site_name": SITE_NAME}
