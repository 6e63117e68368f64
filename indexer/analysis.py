"""Text analysis: how text becomes index terms, so that no way of writing a word hides it.

The chain (:func:`text_analyzer`) is: words (a hyphen or a dot inside a word keeps it whole),
CJK and Hangul runs cut into overlapping character pairs, lowercase, accents folded, English
stop words dropped, hyphenated words split into their parts (plus, when indexing, the joined
form), and each word stemmed by the rules of its script (English, Russian, Arabic).

The filters follow Whoosh's token protocol: they receive a stream of (reused) token objects and
yield tokens, keeping ``pos`` (for phrases) and ``startchar``/``endchar`` (for highlights) right.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from whoosh.analysis import (
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.lang import stemmer_for_language
from whoosh.support.charset import accent_map

# Scripts written without spaces between words: Han, Hiragana, Katakana, Hangul.
_CJK_CHARS = (
    "\u1100-\u11ff\u3040-\u309f\u30a0-\u30ff\u3130-\u318f\u3400-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
)
_CJK_RUN = re.compile(f"[{_CJK_CHARS}]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN_LETTER = re.compile("[a-z]")
# A run of more hyphenated parts than this is a list ("1-2-3-4-..."), not a word.
MAX_JOINED_PARTS = 6
# Whoosh's accent map folds Latin, Greek and Cyrillic accents; vowel marks of Arabic (harakat,
# the tatweel stretch) and Hebrew (niqqud) are optional in writing, so they are dropped too:
# "حبيبي" finds "حَبيبي".
_OPTIONAL_MARKS = [
    *range(0x0300, 0x0370),  # combining accents of decomposed Latin text
    *range(0x0591, 0x05C8),
    *range(0x0610, 0x061B),
    *range(0x064B, 0x0660),
    0x0640,
    0x0670,
    *range(0x06D6, 0x06EE),
]
FOLD_MAP: dict[int, str | None] = {**accent_map, **dict.fromkeys(_OPTIONAL_MARKS)}
# Marks are not "\w" to Python's re: without them in the class, "حَبيبي" would split at the mark.
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_LETTERS = f"[\\w{_MARKS}]+"
# A word, with hyphens and dots inside it kept ("COVID-19", "fifth-order", "e.g", "3.5").
WORD_PATTERN = f"{_LETTERS}(?:[.\\-]{_LETTERS})*"


class CJKBigramFilter(Filter):
    """Cuts runs of CJK and Hangul characters into overlapping pairs ("할인점에서" gives 할인,
    인점, 점에, 에서), the usual way to search text without spaces between words; a query for
    "할인점" becomes the phrase 할인 인점 and finds it inside the longer run. A lone character
    stays a token of its own. Text in other scripts passes through untouched."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        shift = 0
        for token in tokens:
            text = token.text
            if not _CJK_RUN.search(text):
                if token.positions:
                    token.pos += shift
                yield token
                continue
            pieces = list(_pieces(text))
            origin_pos = token.pos if token.positions else 0
            origin_start = token.startchar if token.chars else 0
            for index, (start, piece) in enumerate(pieces):
                out = token.copy()
                out.text = piece
                if token.positions:
                    out.pos = origin_pos + shift + index
                if token.chars:
                    out.startchar = origin_start + start
                    out.endchar = origin_start + start + len(piece)
                yield out
            shift += len(pieces) - 1


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece) for a token: CJK runs as bigrams, other runs whole."""
    at = 0
    for match in _CJK_RUN.finditer(text):
        if match.start() > at:
            yield at, text[at : match.start()]
        run = match.group()
        if len(run) == 1:
            yield match.start(), run
        for offset in range(len(run) - 1):
            yield match.start() + offset, run[offset : offset + 2]
        at = match.end()
    if at < len(text):
        yield at, text[at:]


class HyphenFilter(Filter):
    """Makes hyphenated words findable however they are typed.

    When indexing, "well-known" gives the parts ``well`` and ``known`` (consecutive positions, so
    "well known" matches as words or as a phrase) and the joined ``wellknown`` at the position of
    the first part. In a query, "well-known" gives only the parts, which the parser makes a
    phrase; a query "wellknown" matches the joined form. The one combination left out is a text
    saying "wellknown" and a query saying "well-known": telling "wellknown" apart into words
    would need a dictionary.
    """

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        shift = 0
        for token in tokens:
            text = token.text
            if "-" not in text:
                if token.positions:
                    token.pos += shift
                yield token
                continue
            parts = [(m.start(), m.group()) for m in re.finditer(r"[^-]+", text)]
            origin_pos = token.pos if token.positions else 0
            origin_start = token.startchar if token.chars else 0
            if token.mode == "index" and 1 < len(parts) <= MAX_JOINED_PARTS:
                joined = token.copy()
                joined.text = "".join(part for _, part in parts)
                if token.positions:
                    joined.pos = origin_pos + shift
                yield joined
            for index, (start, part) in enumerate(parts):
                out = token.copy()
                out.text = part
                if token.positions:
                    out.pos = origin_pos + shift + index
                if token.chars:
                    out.startchar = origin_start + start
                    out.endchar = origin_start + start + len(part)
                yield out
            shift += max(len(parts), 1) - 1


@lru_cache(maxsize=1)
def _stemmers() -> dict[str, Callable[[str], str]]:
    return {lang: stemmer_for_language(lang) for lang in ("en", "ru", "ar")}


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    """The stem of a lowercased, accent-folded word, by the rules of its script: English for
    Latin letters ("lawsuits" to "lawsuit"), Russian for Cyrillic ("леопарда" to "леопард"),
    Arabic for Arabic; other scripts (and numbers) unchanged."""
    stemmers = _stemmers()
    if _LATIN_LETTER.search(word):
        return stemmers["en"](word)
    if _CYRILLIC.search(word):
        return stemmers["ru"](word)
    if _ARABIC.search(word):
        return stemmers["ar"](word)
    return word


class ScriptStemFilter(Filter):
    """Stems each token with :func:`stem_word` (cached: a corpus repeats its words)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.stopped:
                token.text = stem_word(token.text)
            yield token


def text_analyzer() -> Analyzer:
    """Words as described in the module docstring: what title, abstract, tags and body text
    are indexed and searched with."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | CJKBigramFilter()
        | LowercaseFilter()
        | CharsetFilter(FOLD_MAP)
        # Stop words go before the hyphen split: StopFilter renumbers positions, which would
        # undo the shared position of a joined form and its first part.
        | StopFilter()
        | HyphenFilter()
        | ScriptStemFilter()
    )


def spelling_analyzer() -> Analyzer:
    """Whole words, lowercased and accent-folded but not stemmed: the vocabulary "did you
    mean" suggests from, so that it offers "conservation" rather than the stem "conserv"."""
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | CharsetFilter(FOLD_MAP)
        | StopFilter(minsize=3)
        | HyphenFilter()
    )


def name_analyzer() -> Analyzer:
    """Personal names and file names: lowercased and accent-folded, never stemmed or stopped."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(FOLD_MAP)


def fold(text: str) -> str:
    """Lowercased and accent-folded, as the analyzers do (for comparing words outside them)."""
    return text.lower().translate(FOLD_MAP)
