"""Related papers: more like this one, by the words that set its text apart.

The key terms of a paper are the words frequent in it and rare in the archive (Whoosh's Bo1
model over the paper's opening text); papers sharing the most of them, weighted, are related.

Analysing that text (tens of thousands of characters) is done once, when the paper is indexed:
its word counts are a column of its index document (:func:`indexer.index.related_terms`).
A page view only weighs those counts against the archive as it is now (one term lookup per
distinct word) and runs one search. The answer only changes when the index does, so it is kept
per paper and index generation too.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict

from whoosh.classify import Bo1Model
from whoosh.query import Or, Term
from whoosh.searching import Searcher

from archive.access import today
from indexer.engine.access_filter import hidden_docs
from indexer.engine.search import Hit, hit_from_result
from indexer.index import SearchIndex, read_related_terms
from indexer.schema import PAPER

KEY_TERMS = 12
# How many papers' related lists are kept.
CACHED_PAPERS = 1024

_cache: OrderedDict[tuple[str, int, str, int, str], list[Hit]] = OrderedDict()
_cache_lock = threading.Lock()


def related_papers(
    index: SearchIndex,
    paper_id: str,
    limit: int = 5,
    public: bool = True,
) -> list[Hit]:
    """Up to ``limit`` papers most like the paper ``paper_id``. ``public`` leaves out the papers
    the public may not see today."""
    # The day is in the key: an embargo ending at midnight changes who is listed.
    audience = f"public {today()}" if public else "staff"
    key = (str(index.path), index.open().latest_generation(), paper_id, limit, audience)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return list(_cache[key])
    found = _related(index, paper_id, limit, public)
    with _cache_lock:
        _cache[key] = found
        while len(_cache) > CACHED_PAPERS:
            _cache.popitem(last=False)
    return list(found)


def key_terms(searcher: Searcher, docnum: int) -> list[tuple[str, float]]:
    """The paper document ``docnum``'s key terms and their weights, from its stored word counts:
    what ``searcher.key_terms_from_text("content", its text, KEY_TERMS)`` gives (Whoosh's Bo1
    model over the same counts), without analysing the text again.

    Whoosh looks up every distinct word of the text (thousands); here the words are weighed
    most frequent first, and the rest skipped once even the best score a word that rare could
    reach is below the twelfth best found: the same terms, a fraction of the lookups.
    """
    reader = searcher.reader()
    if not reader.has_column("related_terms"):
        return []
    counts = read_related_terms(reader.column_reader("related_terms")[docnum])
    if not counts:
        return []
    field = reader.schema["content"]
    model = Bo1Model(reader.doc_count_all(), reader.field_length("content"))
    top_total = sum(counts.values())
    # A word's score falls then rises with its frequency in the archive (cf), so over the
    # possible cf (1 up to every word of the field) it is greatest at one end or the other.
    most = max(model.collection_total, 1)

    def best_possible(weight: float) -> float:
        return max(model.score(weight, 1, top_total), model.score(weight, most, top_total))

    scored: list[tuple[float, str]] = []
    best: list[float] = []  # a min-heap of the KEY_TERMS best scores so far
    for word, weight in sorted(counts.items(), key=lambda item: -item[1]):
        if len(best) == KEY_TERMS and best_possible(weight) < best[0]:
            break  # every word left is as rare in this paper or rarer
        cf = reader.frequency("content", field.to_bytes(word))
        if cf <= 0:
            continue  # not in any paper's body text (a title word, say): Whoosh skips it too
        score = model.score(weight, cf, top_total)
        scored.append((score, word))
        heapq.heappush(best, score)
        if len(best) > KEY_TERMS:
            heapq.heappop(best)
    if not scored:
        return []
    # As Whoosh's Expander.expanded_terms: normalised by the best score, ties by the word.
    norm = model.normalizer(max(score for score, _ in scored), top_total)
    ranked = sorted(((score / norm, word) for score, word in scored), key=lambda x: (-x[0], x[1]))
    return [(word, weight) for weight, word in ranked[:KEY_TERMS]]


def _related(index: SearchIndex, paper_id: str, limit: int, public: bool) -> list[Hit]:
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
        terms = key_terms(searcher, docnum)
        if not terms:
            return []
        query = Or([Term("content", word, boost=weight) for word, weight in terms])
        mask = {docnum, *(hidden_docs(searcher).tolist() if public else ())}
        found = searcher.search(query, limit=limit, filter=Term("kind", PAPER), mask=mask)
        return [hit_from_result(result) for result in found]
