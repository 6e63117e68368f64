"""The Whoosh schema (its analyzers are in :mod:`indexer.analysis`).

The index holds two kinds of documents:

* one **paper** document per paper, carrying every searchable field (title, authors, abstract,
  tags, the whole text in ``content``) so that words anywhere in a paper match it, ranked with
  BM25F;
* one **page** document per page, carrying that page's text in ``page_content``, so that a hit can
  say on which pages the words are and show a snippet from each.

The body text of pages has a field of its own: when pages shared ``content`` with papers, ranking
papers walked every page's postings too (about 16 pages per paper). A query's body-text clauses
are moved onto ``page_content`` to locate pages (:func:`indexer.engine.search.search`). The
index is derived data: :mod:`indexer.index` rebuilds it from the library at any time.
"""

from __future__ import annotations

import re

from whoosh.analysis import RegexTokenizer
from whoosh.columns import VarBytesColumn, VarBytesListColumn
from whoosh.fields import COLUMN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import name_analyzer, spelling_analyzer, text_analyzer

__all__ = [
    "ANSWER",
    "PAGE",
    "PAGE_FIELD",
    "PAPER",
    "SCHEMA_VERSION",
    "doi_key",
    "facet_key",
    "make_schema",
    "text_analyzer",
]

# Bump when the schema or the analyzers change: an index of another version is rebuilt.
# 3-5: hyphen parts and joined forms, CJK bigrams, Russian and Arabic stems, facet and spelling
#    fields. 6: page text in its own field; document type. 7: hidden_until and
#    closed_until (access levels). 8: related_terms (what related papers need, analysed once
#    when a paper is indexed, not on its page's first view). 9: published answers to readers'
#    questions (kind "answer", fields qa_question and qa_text; indexer/published_answers.py).
SCHEMA_VERSION = 9

PAPER = "paper"
PAGE = "page"
# A published answer to a reader's question (archive/questions.py): its own fields, so no paper
# query ever matches it and no answer query a paper.
ANSWER = "answer"
# The body text of page documents.
PAGE_FIELD = "page_content"
# Facet keys (authors, tags) are kept one per line in their filter fields.
FACET_SEPARATOR = "\n"


def facet_key(value: str) -> str:
    """How a facet value (an author, a tag) is compared: case and spacing do not matter."""
    return " ".join(value.split()).casefold()


_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


def doi_key(value: str | None) -> str:
    """A DOI as indexed and searched: lowercase, without a resolver prefix or a trailing
    full stop ("https://doi.org/10.1000/XYZ." is "10.1000/xyz")."""
    return _DOI_PREFIX.sub("", (value or "").strip()).rstrip(".,;").lower()


def _words(field_boost: float = 1.0) -> TEXT:
    # A word the analyzer cuts in several tokens ("COVID-19", a Korean run) is searched as a
    # phrase of them: "covid 19" in that order, not both words anywhere.
    field = TEXT(analyzer=text_analyzer(), field_boost=field_boost, phrase=True)
    field.multitoken_query = "phrase"
    return field


class NameListColumn(VarBytesListColumn):
    """A list of names per document. Whoosh's VarBytesListColumn has no default value, so
    reading it from a segment where no document has one raised AttributeError."""

    _default: tuple[bytes, ...] = ()


def _facet_keys() -> KEYWORD:
    field = KEYWORD(scorable=False)
    field.analyzer = RegexTokenizer(f"[^{FACET_SEPARATOR}]+")
    return field


def make_schema() -> Schema:
    """The schema of the full-text index."""
    return Schema(
        kind=ID(stored=True),
        paper_id=ID(stored=True),
        # Paper-level fields; the title weighs most, then the abstract and tags, then the body.
        title=_words(4.0),
        authors=TEXT(analyzer=name_analyzer(), field_boost=2.0),
        abstract=_words(2.0),
        tags=_words(2.0),
        filename=TEXT(analyzer=name_analyzer()),
        doi=ID(),
        year=NUMERIC(int, bits=16, signed=False, sortable=True),
        added=ID(sortable=True),
        title_sort=ID(sortable=True),
        # What a result shows: a paper's metadata as JSON, or a page's number and text.
        summary=STORED(),
        # Body text of the whole paper (paper documents only).
        content=_words(),
        # Unstemmed words of whole papers only (not pages): what "did you mean" suggests.
        spelling=TEXT(analyzer=spelling_analyzer(), phrase=False),
        # Facets: exact keys to filter on (one per line, see facet_key) and, as columns, the
        # names to show and count.
        author_key=_facet_keys(),
        tag_key=_facet_keys(),
        author_facet=COLUMN(NameListColumn()),
        tag_facet=COLUMN(NameListColumn()),
        # A key of archive.paper.DOC_TYPES, to filter on and (as a column) to count.
        doc_type=ID(sortable=True),
        # Staff-only papers: the first day (ISO) the public may list them (archive.access).
        # Public searches leave out papers whose day is after today, in the same pass.
        hidden_until=ID(),
        closed_until=ID(),
        # Page documents: the page's number, its words and its text for snippets.
        # A column too: locating pages reads the numbers of every matching page.
        page=NUMERIC(int, stored=True, sortable=True),
        page_content=_words(),
        page_text=STORED(),
        # Paper documents: the counts of the analysed words of the paper's opening text
        # (indexer.index.related_terms), from which its related papers are found. A column,
        # not a stored field: search results never unpack it.
        related_terms=COLUMN(VarBytesColumn()),
        # Answer documents (kind "answer", paper_id holds the question's id): the published
        # question and the answer's text, searched apart from the papers' fields.
        qa_question=_words(2.0),
        qa_text=_words(),
    )
