"""Snippets: the passage of a page where the query's words are, with those words marked.

Whoosh's highlighter runs the whole analyzer (tokenizer, folding, stemming) over the page for
every snippet; on long pages that was most of a search's time. The analyzer treats each word
on its own (a hyphenated word or a run of Korean included), so a word's index terms never depend
on its neighbours: they are worked out once per distinct word and remembered, and a snippet is a
regular-expression pass over the page plus a lookup per word.

Every piece of PDF text is HTML-escaped; the only markup is ``<mark>``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import escape

from indexer.analysis import LETTER, WORD_PATTERN, text_analyzer

__all__ = ["SNIPPET_CHARS", "snippet"]

# How long a snippet is, and how much of the text before its first marked word it shows.
SNIPPET_CHARS = 240
CONTEXT_CHARS = 80
# The most marked words a page is searched for its best passage (a page of one word repeated
# must not cost more than a normal one).
MAX_CANDIDATES = 200
_WORD = re.compile(WORD_PATTERN)
_LETTER = LETTER
_ANALYZER = text_analyzer()


@lru_cache(maxsize=100_000)
def index_terms(word: str) -> frozenset[str]:
    """The terms the index holds for one word of text (stemmed, folded; a hyphenated word's
    parts and joined form)."""
    return frozenset(token.text for token in _ANALYZER(word, mode="index"))


def snippet(text: str, terms: set[str]) -> str:
    """The best passage of ``text`` for the index ``terms`` as safe HTML, the words that give
    those terms marked; "" when no word of the text does.

    The best passage holds the most different query words, then the most marked words; the
    earliest wins a tie.
    """
    # Each distinct word is looked up once; a page repeats most of its words.
    matching = {}
    for word in set(_WORD.findall(text)):
        found = index_terms(word) & terms
        if found:
            matching[word] = found
    if not matching:
        return ""
    # Then only those words are looked for, as whole words of the tokenizer's pattern.
    words = "|".join(re.escape(word) for word in sorted(matching, key=len, reverse=True))
    pattern = rf"(?<!{_LETTER})(?<!{_LETTER}[.\-])(?:{words})(?!{_LETTER})(?![.\-]{_LETTER})"
    marked: list[tuple[int, int, frozenset[str]]] = []
    for match in re.finditer(pattern, text):
        marked.append((match.start(), match.end(), matching[match.group()]))
        if len(marked) == MAX_CANDIDATES:
            break
    best_start, best_key = 0, (-1, -1)
    for first, (start, _, _) in enumerate(marked):
        window_start = max(0, start - CONTEXT_CHARS)
        window_end = window_start + SNIPPET_CHARS
        inside = [words for s, e, words in marked[first:] if e <= window_end] or [marked[first][2]]
        key = (len(frozenset().union(*inside)), len(inside))
        if key > best_key:
            best_start, best_key = window_start, key
    return _passage(text, best_start, marked)


def _passage(text: str, start: int, marked: list[tuple[int, int, frozenset[str]]]) -> str:
    """``text`` from about ``start`` for SNIPPET_CHARS, cut at spaces, words marked."""
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + CONTEXT_CHARS else start
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    else:
        end = len(text)
    pieces = ["…" if start > 0 else ""]
    position = start
    for word_start, word_end, _ in marked:
        if word_start < start or word_end > end:
            continue
        pieces.append(str(escape(text[position:word_start])))
        pieces.append(f"<mark>{escape(text[word_start:word_end])}</mark>")
        position = word_end
    pieces.append(str(escape(text[position:end])))
    pieces.append("…" if end < len(text) else "")
    return "".join(pieces).strip()
