"""Snippets: the passage of a page where the query's words are, with those words marked.

Whoosh's highlighter runs the whole analyzer (tokenizer, folding, stemming) over the page for
every snippet; on long pages that was most of a search's time. The analyzer treats each word
on its own (a hyphenated word or a run of Korean included), so a word's index terms never depend
on its neighbours: they are worked out once per distinct word and remembered, and a snippet is
one regular-expression pass over the page, a lookup per distinct word, and a search for the few
words that match.

Every piece of PDF text is HTML-escaped; the only markup is ``<mark>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

from markupsafe import escape

from indexer.analysis import FOLD_MAP, WORD_PATTERN, text_analyzer
from indexer.engine.thesaurus import is_translation

__all__ = ["SNIPPET_CHARS", "index_terms", "occurrences", "snippet"]

# How long a snippet is, and how much of the text before its first marked word it shows.
SNIPPET_CHARS = 240
CONTEXT_CHARS = 80
# The most marked words a page is searched for its best passage (a page of one word repeated
# must not cost more than a normal one).
MAX_CANDIDATES = 200
_WORD = re.compile(WORD_PATTERN)
_ANALYZER = text_analyzer()


@lru_cache(maxsize=100_000)
def index_terms(word: str) -> frozenset[str]:
    """The terms the index holds for one word of text (stemmed, folded; a hyphenated word's
    parts and joined form)."""
    return frozenset(token.text for token in _ANALYZER(word, mode="index"))


def translation_terms(added: list[tuple[str, list[str]]]) -> frozenset[str]:
    """The index terms that only the translations among thesaurus names ``added`` give (not
    the words typed, nor their names in the same language): the words a snippet marks as
    translated."""
    own: set[str] = set()
    translated: set[str] = set()
    for typed, others in added:
        for name in [typed, *others]:
            terms = {term for word in _WORD.findall(name) for term in index_terms(word)}
            (translated if is_translation(typed, name) else own).update(terms)
    return frozenset(translated - own)


_MARKED = re.compile(r"<mark>([^<]*)</mark>")


def mark_translations(html: str, translated: frozenset[str]) -> str:
    """``html`` (a snippet or passage, safe HTML) with its marked words whose index terms are
    all among ``translated`` marked as translations, as :func:`snippet` marks them."""
    if not translated:
        return html

    def retag(match: re.Match[str]) -> str:
        found = index_terms(match.group(1))
        if found and found <= translated:
            return f'<mark class="translation">{match.group(1)}</mark>'
        return match.group(0)

    return _MARKED.sub(retag, html)


def snippet(text: str, terms: set[str], translated: frozenset[str] = frozenset()) -> str:
    """The best passage of ``text`` for the index ``terms`` as safe HTML, the words that give
    those terms marked (``<mark class="translation">`` when all they give is in
    ``translated``); "" when no word of the text does.

    The best passage holds the most different query words, then the most marked words; the
    earliest wins a tie.
    """
    matching = _matching_words(terms, _probable_words(text, terms))
    if not matching:
        # Every distinct word of the page, each looked up once (a page repeats most words).
        matching = _matching_words(terms, set(_WORD.findall(text)))
    if not matching:
        return ""
    marked = sorted(
        (start, start + len(word), found)
        for word, found in matching.items()
        for start in occurrences(text, word)
    )[:MAX_CANDIDATES]
    best_start, best_key = 0, (-1, -1)
    for first, (start, _, _) in enumerate(marked):
        window_start = max(0, start - CONTEXT_CHARS)
        window_end = window_start + SNIPPET_CHARS
        inside = [marked[first][2]]
        for _, end, words in marked[first + 1 :]:
            if end > window_end:
                break
            inside.append(words)
        key = (len(frozenset().union(*inside)), len(inside))
        if key > best_key:
            best_start, best_key = window_start, key
    return _passage(text, best_start, marked, translated)


def _matching_words(terms: set[str], words: Iterable[str]) -> dict[str, frozenset[str]]:
    """Those of ``words`` that give some of ``terms``, with the terms each gives."""
    matching = {}
    for word in words:
        found = index_terms(word) & terms
        if found:
            matching[word] = found
    return matching


def _probable_words(text: str, terms: set[str]) -> set[str]:
    """The words of ``text`` that begin as a term does: where a term's words are, without
    cutting a long page into words.

    A stem keeps its word's first letters ("populations" gives "popul"), so the words starting
    with a term's first four letters (in any case, with or without accents) hold its words. Not
    so for Arabic, whose stems may lose a prefix: when nothing is found the caller reads every
    word.
    """
    words: set[str] = set()
    lowered = text.lower()
    # Most pages have no accented letter: a plain search of the lowercased text then finds the
    # same places as the accent-blind pattern, many times faster.
    plain = len(lowered) == len(text) and not _FOLDABLE.search(text)
    for term in terms:
        for looked, start in enumerate(
            _find_all(lowered, term[:4])
            if plain
            else (found.start() for found in _probe(term).finditer(text))
        ):
            if looked == MAX_CANDIDATES:
                break
            while start > 0 and (
                _is_letter(text[start - 1])
                or (text[start - 1] in ".-" and start > 1 and _is_letter(text[start - 2]))
            ):
                start -= 1
            if match := _WORD.match(text, start):
                words.add(match.group())
    return words


def _find_all(text: str, probe: str) -> Iterator[int]:
    position = text.find(probe)
    while position >= 0:
        yield position
        position = text.find(probe, position + len(probe))


@lru_cache(maxsize=4096)
def _probe(term: str) -> re.Pattern[str]:
    """A pattern for a term's first four letters as they may be written: any case, any of the
    accented letters that fold to each."""
    return re.compile("".join(_SPELLINGS.get(char, re.escape(char)) for char in term[:4]), re.I)


def _spellings() -> dict[str, str]:
    """For each folded letter, a character class of the letters that fold to it."""
    sources: dict[str, set[str]] = {}
    for code, folded in FOLD_MAP.items():
        if folded and len(folded) == 1:
            sources.setdefault(folded.lower(), {folded.lower()}).add(chr(code))
    return {
        letter: "[" + "".join(re.escape(char) for char in sorted(chars)) + "]"
        for letter, chars in sources.items()
    }


_SPELLINGS = _spellings()
# Any letter that accent folding changes beyond lowercasing it.
_FOLDABLE = re.compile(
    "[" + "".join(re.escape(chr(code)) for code in sorted(FOLD_MAP) if code > 127) + "]"
)


def _is_letter(char: str) -> bool:
    return char.isalnum() or char == "_"


def occurrences(text: str, word: str) -> Iterator[int]:
    """Where ``word`` stands in ``text`` as a whole word of the tokenizer (not inside a longer
    word, nor as a part of a hyphenated or dotted one), at most MAX_CANDIDATES times.

    ``str.find`` for the few words that match, rather than a Python loop over every word of
    the page or a regular expression compiled for each page.
    """
    found = 0
    start = text.find(word)
    while start >= 0 and found < MAX_CANDIDATES:
        end = start + len(word)
        before = text[max(0, start - 2) : start]
        after = text[end : end + 2]
        joined_before = len(before) == 2 and before[1] in ".-" and _is_letter(before[0])
        joined_after = len(after) == 2 and after[0] in ".-" and _is_letter(after[1])
        if not (
            (before and _is_letter(before[-1]))
            or joined_before
            or (after and _is_letter(after[0]))
            or joined_after
        ):
            found += 1
            yield start
        start = text.find(word, start + 1)


def _passage(
    text: str,
    start: int,
    marked: list[tuple[int, int, frozenset[str]]],
    translated: frozenset[str] = frozenset(),
) -> str:
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
    for word_start, word_end, found in marked:
        if word_start < start or word_end > end:
            continue
        pieces.append(str(escape(text[position:word_start])))
        tag = '<mark class="translation">' if found <= translated else "<mark>"
        pieces.append(f"{tag}{escape(text[word_start:word_end])}</mark>")
        position = word_end
    pieces.append(str(escape(text[position:end])))
    pieces.append("…" if end < len(text) else "")
    return "".join(pieces).strip()
