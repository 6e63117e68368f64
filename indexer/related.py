"""Related papers: more like this one, by the words that set its text apart.

The key terms of a paper are the words frequent in it and rare in the archive (Whoosh's Bo1
model over the paper's text); papers sharing the most of them, weighted, are related.
"""

from __future__ import annotations

from whoosh.query import Or, Term

from indexer.index import SearchIndex
from indexer.schema import PAPER
from indexer.search import Hit, hit_from_result

# Enough text to find a paper's key terms; reading more of a 600-page book changes little.
MAX_TEXT_CHARS = 60_000
KEY_TERMS = 12


def related_papers(index: SearchIndex, paper_id: str, text: str, limit: int = 5) -> list[Hit]:
    """Up to ``limit`` papers most like the paper ``paper_id`` whose text is ``text``."""
    text = text[:MAX_TEXT_CHARS]
    if not text.strip():
        return []
    with index.searcher() as searcher:
        docnum = next(
            (
                number
                for number in searcher.document_numbers(paper_id=paper_id)
                if searcher.stored_fields(number).get("kind") == PAPER
            ),
            None,
        )
        if docnum is None:
            return []
        terms = searcher.key_terms_from_text("content", text, numterms=KEY_TERMS)
        if not terms:
            return []
        query = Or([Term("content", word, boost=weight) for word, weight in terms])
        found = searcher.search(query, limit=limit, filter=Term("kind", PAPER), mask={docnum})
        return [hit_from_result(result) for result in found]
