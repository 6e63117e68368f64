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
    STOP_WORDS,
    Analyzer,
    CharsetFilter,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
)
from whoosh.analysis.acore import Token
from whoosh.lang import stemmer_for_language
from whoosh.lang.stopwords import stoplists
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
# One character of a word: a letter, digit or underscore, or a combining mark.
LETTER_PATTERN = f"[\\w{_MARKS}]"
_LETTERS = f"{LETTER_PATTERN}+"
# A word, with hyphens and dots inside it kept ("COVID-19", "fifth-order", "e.g", "3.5").
WORD_PATTERN = f"{_LETTERS}(?:[.\\-]{_LETTERS})*"


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


class WordFilter(Filter):
    """Everything after the tokenizer, in one pass over the tokens:

    * runs of CJK and Hangul characters are cut into overlapping pairs ("할인점에서" gives 할인,
      인점, 점에, 에서), the usual way to search text without spaces between words: a query
      "할인점" becomes the phrase 할인 인점 and finds it inside the longer run;
    * lowercase, accents and optional vowel marks folded (:data:`FOLD_MAP`);
    * English stop words and one-letter words dropped, positions renumbered as Whoosh's
      ``StopFilter`` does;
    * a hyphenated word gives its parts at consecutive positions (so "well known" matches as
      words or as a phrase) and, when indexing, the joined form at the first part's position;
      in a query only the parts, which the parser makes a phrase, while a query "wellknown"
      matches the joined form. Left out: a text saying "wellknown" and a query saying
      "well-known" (telling "wellknown" apart into words would need a dictionary);
    * each word stemmed by the rules of its script (:func:`stem_word`).

    Why one filter rather than a chain of six: Whoosh's filters are chained generators, and
    the per-token overhead of the chain, not the work, was most of the indexing time.
    """

    def __init__(self, *, stem: bool = True, bigrams: bool = True, minsize: int = 2) -> None:
        self.stops = STOP_WORDS
        self.stem = stem
        self.bigrams = bigrams
        self.minsize = minsize

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        stops, minsize, stem, bigrams = self.stops, self.minsize, self.stem, self.bigrams
        last = None  # the last position given to a word (None before the first word)
        for token in tokens:
            raw = token.text
            pieces = list(_pieces(raw)) if bigrams and _CJK_RUN.search(raw) else [(0, raw)]
            start_base = token.startchar if token.chars else 0
            for offset, piece in pieces:
                text = piece.lower().translate(FOLD_MAP)
                cjk = bigrams and len(pieces) > 1 and _CJK_RUN.fullmatch(piece) is not None
                if (len(text) < minsize and not cjk) or text in stops:
                    if not token.removestops:
                        token.stopped = True
                        token.text = text
                        yield token
                    continue
                # As StopFilter(renumber=True): the first word keeps its position, the next
                # words follow on.
                base = (token.pos if last is None else last + 1) if token.positions else 0
                start = start_base + offset
                if "-" in text:
                    parts = [(m.start(), m.group()) for m in re.finditer(r"[^-]+", text)]
                else:
                    parts = [(0, text)]
                if len(parts) > 1 and token.mode == "index" and len(parts) <= MAX_JOINED_PARTS:
                    joined = token.copy()
                    joined.text = "".join(part for _, part in parts)
                    if stem:
                        joined.text = stem_word(joined.text)
                    joined.stopped = False
                    joined.pos = base
                    if token.chars:
                        joined.startchar = start
                        joined.endchar = start + len(piece)
                    yield joined
                for index, (part_start, part) in enumerate(parts):
                    out = token.copy() if len(parts) > 1 or len(pieces) > 1 else token
                    out.text = stem_word(part) if stem else part
                    out.stopped = False
                    out.pos = base + index
                    if token.chars:
                        out.startchar = start + part_start
                        out.endchar = start + part_start + len(part)
                    yield out
                last = base + max(len(parts), 1) - 1


def text_analyzer() -> Analyzer:
    """Words as described in the module docstring: what title, abstract, tags and body text
    are indexed and searched with."""
    return RegexTokenizer(WORD_PATTERN) | WordFilter()


def spelling_analyzer() -> Analyzer:
    """Whole words, lowercased and accent-folded but not stemmed: the vocabulary "did you
    mean" suggests from, so that it offers "conservation" rather than the stem "conserv"."""
    return RegexTokenizer(WORD_PATTERN) | WordFilter(stem=False, bigrams=False, minsize=3)


def distinct_words(text: str) -> str:
    """Each word of ``text`` once (lowercased): what the spelling field needs, for a fraction
    of the cost of analysing the whole text again."""
    return " ".join({word.lower() for word in re.findall(WORD_PATTERN, text)})


def name_analyzer() -> Analyzer:
    """Personal names and file names: lowercased and accent-folded, never stemmed or stopped."""
    return RegexTokenizer() | LowercaseFilter() | CharsetFilter(FOLD_MAP)


def fold(text: str) -> str:
    """Lowercased and accent-folded, as the analyzers do (for comparing words outside them)."""
    return text.lower().translate(FOLD_MAP)


# Words of a question that say nothing about its subject, beyond the stop lists.
_QUESTION_WORDS = {
    "en": "does done whats hows would could tell please anything something there",
    # "сколько осталось" is "how many are left": the subject is what follows.
    "ru": "почему зачем сколько каким каких какие какое чем осталось остались",
    "fr": "comment pourquoi quoi quel quelle quels quelles combien où est-ce",
    "de": "warum wer wann wieso weshalb welche wieviel",
}
# Words of the French and German lists that are English words a reader may mean ("war", "die",
# "AI"); single letters are left to the one-letter rule, so "vitamin C" keeps its "C".
_NOT_STOPPED = frozenset({"war", "die", "man", "hat", "son", "ton", "ai", "eu", "bin"})


@lru_cache(maxsize=1)
def query_stop_words() -> frozenset[str]:
    """Folded words left out of a query's plain words (outside quotes and fields): the stop
    words of English (the index drops them), Russian, French and German, and question words
    ("what", "how", "почему", "pourquoi", "warum")."""
    words = set(STOP_WORDS)
    for lang in ("en", "ru", "fr", "de"):
        words |= stoplists[lang]
        words |= set(_QUESTION_WORDS[lang].split())
    folded = {fold(word) for word in words}
    keep = (w for w in folded if len(w) > 1 or w in "ai" or not w.isascii())
    return frozenset(w for w in keep if w not in _NOT_STOPPED)
