"""The Whoosh schema and its analyzers.

The index holds two kinds of documents:

* one **paper** document per paper, carrying every searchable field (title, authors, abstract,
  tags, the whole text) so that words anywhere in a paper match it, ranked with BM25F;
* one **page** document per page, carrying that page's text, so that a hit can say on which pages
  the words are and show a snippet from each.

Both kinds share the field names, so one parsed query runs against either. The index is derived
data: :mod:`indexer.index` rebuilds it from the library at any time.
"""

from __future__ import annotations

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
)
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.support.charset import accent_map

# Bump when the schema or the analyzers change: an index of another version is rebuilt.
SCHEMA_VERSION = 2

PAPER = "paper"
PAGE = "page"


def text_analyzer() -> Analyzer:
    """Words lowercased, accents folded (requetes finds requêtes), English stems (lawsuits finds
    lawsuit), common English stop words dropped."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter()
        | StemFilter(lang="en")
    )


def name_analyzer() -> Analyzer:
    """Personal names: lowercased and accent-folded, never stemmed or stopped."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(accent_map)


def make_schema() -> Schema:
    """The schema of the full-text index."""
    words = text_analyzer()
    return Schema(
        kind=ID(stored=True),
        paper_id=ID(stored=True),
        # Paper-level fields; the title weighs most, then the abstract and tags, then the body.
        title=TEXT(analyzer=words, field_boost=4.0),
        authors=TEXT(analyzer=name_analyzer(), field_boost=2.0),
        abstract=TEXT(analyzer=words, field_boost=2.0),
        tags=TEXT(analyzer=words, field_boost=2.0),
        filename=TEXT(analyzer=name_analyzer()),
        doi=ID(),
        year=NUMERIC(int, bits=16, signed=False, sortable=True),
        added=ID(sortable=True),
        title_sort=ID(sortable=True),
        # What a result shows: a paper's metadata as JSON, or a page's number and text.
        summary=STORED(),
        # Body text: the whole paper on a paper document, one page on a page document.
        content=TEXT(analyzer=words, phrase=True),
        page=NUMERIC(int, stored=True),
        page_text=STORED(),
    )
