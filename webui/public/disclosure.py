"""What a public result list discloses beyond the papers it lists (issue 22).

* **Scores.** The search's raw BM25 score of a hit depends on statistics of the whole index
  (how many papers hold a word, their average length), staff-only papers included: adding a
  hidden paper that holds "quokka" changed an open paper's public score (12.4397 -> 11.7772).
  The public gets the score relative to the best hit of the page, rounded to a tenth (1.0,
  0.8, ...): the whole-index factors a hidden paper moves (a word's rarity) are common to every
  hit and cancel, what is left (the average length) moves a score by far less than a tenth, and
  the rounding hides it. A sorted list keeps each hit's relevance score. Staff keep the raw
  score. The JSON contract's ``score`` key stays.
* **Snippets of papers the visitor may not read** (on request, under embargo): searching with
  words from earlier snippets rebuilt 56% of such a paper's text. They get one snippet of about
  a line (:data:`LOCKED_SNIPPET_WORDS` words) instead of several passages.
"""

from __future__ import annotations

import re

from indexer.engine.search import SearchResults, Snippet

LOCKED_SNIPPETS = 1
LOCKED_SNIPPET_WORDS = 12
_MARK = re.compile(r"(</?mark>)")


def short_line(html: str, words: int = LOCKED_SNIPPET_WORDS) -> str:
    """The first ``words`` words of a snippet's safe HTML (escaped text and ``<mark>`` tags
    only), its tags still balanced; an ellipsis when something was cut. Escaped entities
    (``&amp;``) hold no space, so a cut between words never splits one."""
    out: list[str] = []
    left = words
    open_mark = False
    cut = False
    for token in _MARK.split(html):
        if token in ("<mark>", "</mark>"):
            if left > 0 or (token == "</mark>" and open_mark):
                out.append(token)
                open_mark = token == "<mark>"
            continue
        if left <= 0:
            cut = cut or bool(token.strip())
            continue
        pieces = re.split(r"(\s+)", token)
        for piece in pieces:
            if not piece.strip():
                out.append(piece)
                continue
            if left <= 0:
                cut = True
                break
            out.append(piece)
            left -= 1
    if open_mark:
        out.append("</mark>")
    text = "".join(out).rstrip()
    return text + " …" if cut else text


def for_public(found: SearchResults, locked: set[str]) -> SearchResults:
    """``found`` as the public may see it: scores relative to the page's best, and the hits in
    ``locked`` (listed but not readable) with one short snippet."""
    best = max((hit.score for hit in found.hits), default=0.0)
    for hit in found.hits:
        hit.score = round(hit.score / best, 1) if best > 0 else 0.0
        if hit.id in locked:
            hit.snippets = [
                Snippet(snippet.page, short_line(snippet.html))
                for snippet in hit.snippets[:LOCKED_SNIPPETS]
            ]
    # Passage scores weigh words by their rarity over all pages, hidden ones too: relative.
    best_answer = max((answer.score for answer in found.answers), default=0.0)
    for answer in found.answers:
        answer.score = round(answer.score / best_answer, 1) if best_answer > 0 else 0.0
    return found
