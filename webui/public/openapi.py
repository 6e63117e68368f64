"""The JSON API's description (OpenAPI 3.1), served at ``/api/openapi.json``.

OpenAPI 3.1 schemas are plain JSON Schema (2020-12), so the test suite checks real responses
against this very document with ``jsonschema``. Change the API and this together: the schemas
forbid fields they do not name, so an undocumented field fails the tests.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from archive.access import ACCESS_LEVELS
from archive.paper import DOC_TYPES, SOURCES

bp = Blueprint("openapi", __name__)

PAPER_ID = {"type": "string", "pattern": "^[0-9a-f]{64}$", "description": "SHA-256 of the PDF."}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_ERRORS = {
    "description": "An error, said for a person.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

# One thesaurus name typed and the names searched for it (in ``synonyms`` and ``translations``).
_NAMES_ADDED: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["typed", "also"],
    "properties": {
        "typed": {"type": "string"},
        "also": {"type": "array", "items": {"type": "string"}},
    },
}

# The facet filters, shared by the search and its feed.
_YEAR_FILTER: dict[str, Any] = {
    "name": "year",
    "in": "query",
    "description": "Only papers of a year (2018), decade (2010s) or range "
    "(2010-2018); an unreadable value is ignored.",
    "schema": {"type": "string"},
}
_AUTHOR_FILTER: dict[str, Any] = {
    "name": "author",
    "in": "query",
    "description": "Only papers by this author (repeat for several: all).",
    "schema": {"type": "array", "items": {"type": "string"}},
    "style": "form",
    "explode": True,
}
_TAG_FILTER: dict[str, Any] = {
    "name": "tag",
    "in": "query",
    "description": "Only papers with this tag (repeat for several: all).",
    "schema": {"type": "array", "items": {"type": "string"}},
    "style": "form",
    "explode": True,
}
_TYPE_FILTER: dict[str, Any] = {
    "name": "type",
    "in": "query",
    "description": "Only papers of this document type; an unknown value is ignored.",
    "schema": {"type": "string", "enum": list(DOC_TYPES)},
}
# An Atom document (RFC 4287): XML, so described as a string.
_ATOM: dict[str, Any] = {
    "schema": {"type": "string", "description": "An Atom 1.0 feed (RFC 4287)."}
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Conservation Paper Archive API",
        "version": "1",
        "description": (
            "Search the archive's papers and read their metadata. The search fields are those "
            "of `archive search --json`; the PDF of a paper is at `/papers/{paper_id}/pdf`."
        ),
    },
    "servers": [{"url": "/"}],
    "paths": {
        "/api/search": {
            "get": {
                "operationId": "search",
                "summary": "Search papers (one result per paper, best first).",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "description": 'Words, OR, -word, "phrases", title:, author:, '
                        "year:2018, year:2010s, year:2010-2018, tag:, doi:, leop*. Species and "
                        "place names are widened through the thesaurus (see `synonyms`).",
                        "schema": {"type": "string", "maxLength": 1000},
                    },
                    {
                        "name": "page",
                        "in": "query",
                        "description": "Anonymous clients get the first 200 results of a search; "
                        "a page beyond them is answered 400.",
                        "schema": {"type": "integer", "minimum": 1, "default": 1},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10},
                    },
                    {
                        "name": "sort",
                        "in": "query",
                        "schema": {
                            "type": "string",
                            "enum": ["relevance", "newest", "oldest", "title"],
                            "default": "relevance",
                        },
                    },
                    _YEAR_FILTER,
                    _AUTHOR_FILTER,
                    _TAG_FILTER,
                    _TYPE_FILTER,
                    {
                        "name": "format",
                        "in": "query",
                        "description": "`atom`: the search's Atom feed instead (as "
                        "`/feeds/search`; `page`, `limit` and `sort` do not apply).",
                        "schema": {"type": "string", "enum": ["json", "atom"], "default": "json"},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "A page of results (the Atom feed with `format=atom`).",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/SearchResults"}
                            },
                            "application/atom+xml": _ATOM,
                        },
                    },
                    "400": _ERRORS,
                    "503": _ERRORS,
                },
            }
        },
        "/api/papers/{paper_id}": {
            "get": {
                "operationId": "getPaper",
                "summary": "One paper's metadata.",
                "parameters": [
                    {"name": "paper_id", "in": "path", "required": True, "schema": PAPER_ID}
                ],
                "responses": {
                    "200": {
                        "description": "The paper.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Paper"}}
                        },
                    },
                    "404": _ERRORS,
                },
            }
        },
        "/feeds/search": {
            "get": {
                "operationId": "searchFeed",
                "summary": "Follow a search: an Atom feed of the papers matching it, the most "
                "recently added first (at most 50).",
                "description": "Public whoever asks (a signed-in curator's feed lists no "
                "staff-only paper either); an on-request paper has no PDF enclosure. Answered "
                "with an ETag and Last-Modified: ask with If-None-Match or If-Modified-Since "
                "to get a bodiless 304 while nothing changed. Without `q`, every paper "
                "narrowed by the filters.",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "description": "The search, as on the results page.",
                        "schema": {"type": "string", "maxLength": 1000},
                    },
                    _YEAR_FILTER,
                    _AUTHOR_FILTER,
                    _TAG_FILTER,
                    _TYPE_FILTER,
                    {
                        "name": "lang",
                        "in": "query",
                        "description": "The language of the feed's own text (its title, "
                        "summaries); by default the reader's (cookie, Accept-Language).",
                        "schema": {"type": "string", "enum": ["en", "ru"]},
                    },
                ],
                "responses": {
                    "200": {
                        "description": "The feed.",
                        "content": {"application/atom+xml": _ATOM},
                    },
                    "304": {"description": "Not modified since the copy the client holds."},
                    "400": {
                        "description": "A search with nothing to search, said for a person.",
                        "content": {"text/plain": {"schema": {"type": "string"}}},
                    },
                },
            }
        },
        "/healthz": {
            "get": {
                "operationId": "health",
                "summary": "Health for monitors: the index is readable, the library writable.",
                "responses": {
                    "200": {
                        "description": "The archive answers.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Health"}}
                        },
                    },
                    "503": {
                        "description": "The archive cannot serve or store papers; the reason why.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Unhealthy"}
                            }
                        },
                    },
                },
            }
        },
    },
    "components": {
        "schemas": {
            "SearchResults": {
                "type": "object",
                "additionalProperties": False,
                "required": ["query", "total", "results", "page", "limit", "published_answers"],
                "properties": {
                    "query": {"type": "string"},
                    "total": {"type": "integer", "minimum": 0},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
                    "answers": {
                        "type": "array",
                        "description": "The passages that answer the query best, best first "
                        "(at most three, one a paper, only from papers the visitor may read); "
                        "empty for a single word or explicit syntax only.",
                        "items": {"$ref": "#/components/schemas/Answer"},
                    },
                    "published_answers": {
                        "type": "array",
                        "description": "The charity's published answers to readers' questions "
                        "that the search finds, best first (at most three; on the first page "
                        "only, empty on the others), as the results page shows them above the "
                        "papers.",
                        "items": {"$ref": "#/components/schemas/PublishedAnswer"},
                    },
                    "shortened": {
                        "type": ["string", "null"],
                        "description": "For pasted text (an e-mail, a paragraph): the telling "
                        "words searched instead of the whole text.",
                    },
                    "left_out": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Words of pasted text left out of the search "
                        "(greetings, signatures, names, addresses, common words).",
                    },
                    "warnings": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Fields of the query that could not be used (`author:` "
                        "with nothing after it, `year:abc`), each a sentence saying what was "
                        "wrong and what was searched instead.",
                    },
                    "page": {"type": "integer", "minimum": 1},
                    "limit": {"type": "integer", "minimum": 1, "maximum": 100},
                    "filters": {
                        "type": "object",
                        "description": "The facet filters in effect.",
                        "additionalProperties": False,
                        "required": ["year", "author", "tag", "type"],
                        "properties": {
                            "year": {"type": ["string", "null"]},
                            "author": {"type": "array", "items": {"type": "string"}},
                            "tag": {"type": "array", "items": {"type": "string"}},
                            "type": {"type": ["string", "null"], "enum": [*DOC_TYPES, None]},
                        },
                    },
                    "facets": {
                        "type": "object",
                        "description": "Counts over all matching papers (not only this page).",
                        "additionalProperties": False,
                        "required": ["decade", "year", "author", "tag", "type"],
                        "properties": {
                            name: {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/FacetValue"},
                            }
                            for name in ("decade", "year", "author", "tag", "type")
                        },
                    },
                    "did_you_mean": {
                        "type": ["string", "null"],
                        "description": "A corrected query when a word is unknown to the index.",
                    },
                    "synonyms": {
                        "type": "array",
                        "description": "Thesaurus names searched besides the words typed.",
                        "items": _NAMES_ADDED,
                    },
                    "translations": {
                        "type": "array",
                        "description": (
                            "Of `synonyms`, the names in another language than the words "
                            "typed (English for Russian words, Russian for English ones)."
                        ),
                        "items": _NAMES_ADDED,
                    },
                    "incomplete": {
                        "type": "boolean",
                        "description": "True when the time limit stopped the search: total and "
                        "results are what was found by then.",
                    },
                    "relaxed": {
                        "type": "boolean",
                        "description": "True when too few papers have all of the words: papers "
                        "with most of them are listed too, those with all of them first.",
                    },
                    "missing": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Words of the query the best match lacks (relaxed only).",
                    },
                    "ignored": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Plain words left out of the search: stop words and "
                        "question words (what, the, of).",
                    },
                    "expanded": {
                        "type": "array",
                        "description": "Wildcards and fuzzy words that stand for more words "
                        "than were searched: the commonest ``searched`` of them, or none (0) for "
                        "those past the first few of a query.",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["pattern", "searched"],
                            "properties": {
                                "pattern": {"type": "string"},
                                "searched": {"type": "integer", "minimum": 0},
                            },
                        },
                    },
                },
            },
            "FacetValue": {
                "type": "object",
                "additionalProperties": False,
                "required": ["value", "count", "selected"],
                "properties": {
                    "value": {"type": "string", "description": "The value to filter on."},
                    "count": {"type": "integer", "minimum": 0},
                    "selected": {"type": "boolean"},
                },
            },
            "Hit": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "title",
                    "authors",
                    "year",
                    "filename",
                    "score",
                    "pages",
                    "snippets",
                ],
                "properties": {
                    "id": PAPER_ID,
                    "title": {"type": "string"},
                    "authors": _STRINGS,
                    "year": {"type": ["integer", "null"]},
                    "filename": {"type": "string", "description": "The original file name."},
                    "score": {
                        "type": "number",
                        "description": "Relevance. Anonymous clients get it relative to the best "
                        "hit of the page, rounded to a tenth; signed-in staff the raw score.",
                    },
                    "pages": {
                        "type": "array",
                        "description": "1-based pages holding the words, best first.",
                        "items": {"type": "integer", "minimum": 1},
                    },
                    "snippets": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/Snippet"},
                    },
                    "missing": {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "Words of the query this paper lacks (relaxed only).",
                    },
                },
            },
            "Answer": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "title", "filename", "page", "html", "score"],
                "properties": {
                    "id": PAPER_ID,
                    "title": {"type": "string"},
                    "filename": {"type": "string", "description": "The original file name."},
                    "page": {"type": "integer", "minimum": 1},
                    "html": {
                        "type": "string",
                        "description": "The passage (50-120 words) as escaped text; the only "
                        "markup is <mark> around the query's words.",
                    },
                    "score": {"type": "number"},
                },
            },
            "PublishedAnswer": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "question", "excerpt", "published", "url", "cited"],
                "properties": {
                    "id": {"type": "string", "description": "The published question's id."},
                    "question": {
                        "type": "string",
                        "description": "The question as the charity published it (never the "
                        "reader's name or address).",
                    },
                    "excerpt": {
                        "type": "string",
                        "description": "The start of the answer (at most 300 characters), "
                        "plain text.",
                    },
                    "published": {"type": "string", "description": "When (ISO 8601, UTC)."},
                    "url": {
                        "type": "string",
                        "description": "The page with the whole answer (`/questions/{id}`).",
                    },
                    "cited": {
                        "type": "array",
                        "description": "The papers the answer links that the client may see.",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["id", "title", "page", "url"],
                            "properties": {
                                "id": PAPER_ID,
                                "title": {"type": "string"},
                                "page": {
                                    "type": ["integer", "null"],
                                    "minimum": 1,
                                    "description": "The page the answer points to, if any.",
                                },
                                "url": {"type": "string", "description": "The paper's page."},
                            },
                        },
                    },
                },
            },
            "Snippet": {
                "type": "object",
                "additionalProperties": False,
                "required": ["page", "html"],
                "properties": {
                    "page": {"type": "integer", "minimum": 1},
                    "html": {
                        "type": "string",
                        "description": "Escaped text; the only markup is <mark> around words.",
                    },
                },
            },
            "Paper": {
                "type": "object",
                "additionalProperties": False,
                "required": [
                    "id",
                    "title",
                    "filename",
                    "pages",
                    "size",
                    "authors",
                    "year",
                    "doi",
                    "tags",
                    "abstract",
                    "added",
                ],
                "properties": {
                    "id": PAPER_ID,
                    "title": {"type": "string"},
                    "filename": {"type": "string"},
                    "pages": {"type": "integer", "minimum": 0},
                    "size": {"type": "integer", "minimum": 0, "description": "Bytes."},
                    "authors": _STRINGS,
                    "year": {"type": ["integer", "null"]},
                    "doi": {"type": ["string", "null"]},
                    "tags": _STRINGS,
                    "abstract": {"type": "string"},
                    "added": {"type": "string", "format": "date-time"},
                    "doc_type": {
                        "enum": list(DOC_TYPES),
                        "description": "The kind of document, set by curators.",
                    },
                    "container": {
                        "type": "string",
                        "description": "The journal, proceedings or book it was published in.",
                    },
                    "volume": {"type": "string"},
                    "issue": {"type": "string"},
                    "page_range": {
                        "type": "string",
                        "description": 'Its pages in the container, e.g. "123-145".',
                    },
                    "publisher": {"type": "string"},
                    "sources": {
                        "type": "object",
                        "additionalProperties": {"enum": list(SOURCES)},
                        "description": "Where each field's value came from.",
                    },
                    "evidence": {
                        "type": "object",
                        "additionalProperties": {"type": "number"},
                        "description": "What the PDF said for (above 0) or against (below 0) "
                        "each value read from it, as a shift of that value's confidence in the "
                        "curation queue.",
                    },
                    "crossref": {
                        "type": "object",
                        "description": "The last Crossref answer for its DOI (a cache).",
                    },
                    "access": {
                        "enum": list(ACCESS_LEVELS),
                        "description": "Who may read it, as set: open, on-request (the PDF is "
                        "sent on request) or staff-only (never shown to the public).",
                    },
                    "embargo": {
                        "type": ["string", "null"],
                        "format": "date",
                        "description": "The day (UTC) from which it is open by itself.",
                    },
                    "public_access": {
                        "enum": list(ACCESS_LEVELS),
                        "description": "The access in force today (open once the embargo ends).",
                    },
                    "javascript": {
                        "type": ["boolean", "null"],
                        "description": "Whether the PDF carries JavaScript (null: not yet "
                        "checked); such a PDF is served as a download unless staff allow it "
                        "inline.",
                    },
                    "javascript_inline": {
                        "type": "boolean",
                        "description": "Staff allowed this PDF with JavaScript to open in the "
                        "browser's viewer.",
                    },
                },
            },
            "Health": {
                "type": "object",
                "required": ["status", "papers", "pages"],
                "properties": {
                    "status": {"const": "ok"},
                    "papers": {"type": "integer", "minimum": 0},
                    "pages": {"type": "integer", "minimum": 0},
                },
            },
            "Unhealthy": {
                "type": "object",
                "additionalProperties": False,
                "required": ["status", "reason"],
                "properties": {"status": {"const": "unavailable"}, "reason": {"type": "string"}},
            },
            "Error": {
                "type": "object",
                "additionalProperties": False,
                "required": ["error", "status"],
                "properties": {"error": {"type": "string"}, "status": {"type": "integer"}},
            },
        }
    },
}


@bp.get("/api/openapi.json")
def openapi_json():  # type: ignore[no-untyped-def]
    """The OpenAPI document of the JSON API."""
    return jsonify(OPENAPI)
