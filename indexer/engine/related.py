"""Related papers: more like this one, by the words that set its text apart.

The key terms of a paper are the words frequent in it and rare in the archive (Whoosh's Bo1
model over the paper's text); papers sharing the most of them, weighted, are related.

Finding the key terms analyses tens of thousands of characters: most of a paper page's time.
The answer only changes when the index does, so it is kept per paper and index generation.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

from whoosh.query import Or, Term

from archive.access import today
from indexer.engine.access_filter import hidden_docs
from indexer.engine.search import Hit, hit_from_result
from indexer.index import SearchIndex
from indexer.schema import PAPER

# Enough text to find a paper's key terms; reading more of a 600-page book changes little.
MAX_TEXT_CHARS = 60_000
KEY_TERMS = 12
# How many papers' related lists are kept.
CACHED_PAPERS = 1024

_cache: OrderedDict[tuple[str, int, str, int, str], list[Hit]] = OrderedDict()
_cache_lock = threading.Lock()


def related_papers(
    index: SearchIndex,
    paper_id: str,
    text: Callable[[], str],
    limit: int = 5,
    public: bool = True,
) -> list[Hit]:
    """Up to ``limit`` papers most like the paper ``paper_id``; ``text`` gives its text (read
    only when the answer is not already known for the current index). ``public`` leaves out
    the papers the public may not see today."""
    # The day is in the key: an embargo ending at midnight changes who is listed.
    audience = f"public {today()}" if public else "staff"
    key = (str(index.path), index.open().latest_generation(), paper_id, limit, audience)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return list(_cache[key])
    found = _related(index, paper_id, text()[:MAX_TEXT_CHARS], limit, public)
    with _cache_lock:
        _cache[key] = found
        while len(_cache) > CACHED_PAPERS:
            _cache.popitem(last=False)
    return list(found)


def _related(index: SearchIndex, paper_id: str, text: str, limit: int, public: bool) -> list[Hit]:
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
        mask = {docnum, *(hidden_docs(searcher).tolist() if public else ())}
        found = searcher.search(query, limit=limit, filter=Term("kind", PAPER), mask=mask)
        return [hit_from_result(result) for result in found]
