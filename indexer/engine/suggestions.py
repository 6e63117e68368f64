"""Did you mean: a corrected query when a typed word is unknown to the index.

Corrections come from the whole words of the papers (the unstemmed ``spelling`` field), so the
archive offers "conservation", never the stem "conserv", and only words some paper contains.
The likeliest is the closest (fewest edits, a swap of two letters counting as one), then the
commonest.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import numpy as np
from whoosh.searching import Searcher

from indexer.analysis import fold, query_stop_words
from indexer.engine.query_language import WORDS_FIELD
from indexer.engine.thesaurus import Expansion, is_plain

# Fields whose vocabulary makes a word "known" (what plain words are searched in).
_KNOWN_IN = ("content", "title", "abstract", "tags", "authors")
# Words shorter than this are never corrected.
MIN_CORRECTED = 5
_SUGGESTIBLE = re.compile(r"^[^\W\d_]{3,40}$")
_CJK = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3]")


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): "leapord" to "leopard" is 2."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def _seen(searcher: Searcher, fieldname: str, term: str, hidden: Collection[int]) -> bool:
    """Whether ``term`` is in ``fieldname`` of some document outside ``hidden``."""
    reader = searcher.reader()
    if (fieldname, term) not in reader:
        return False
    if not hidden:
        return True
    return any(doc not in hidden for doc in searcher.postings(fieldname, term).all_ids())


def is_known(searcher: Searcher, word: str, hidden: Collection[int] = ()) -> bool:
    """Whether the index holds ``word`` (as its fields analyze it) in any searched field of a
    document outside ``hidden``."""
    for fieldname in _KNOWN_IN:
        terms = list(searcher.schema[fieldname].process_text(word, mode="query"))
        if not terms or all(_seen(searcher, fieldname, term, hidden) for term in terms):
            # A stop word (no terms) is never a misspelling.
            return True
    return False


def correction(searcher: Searcher, word: str, hidden: Collection[int] = ()) -> str | None:
    """The likeliest word of the index for a misspelled ``word``, or None; never a word that
    only documents in ``hidden`` (papers the public may not see) hold."""
    folded = fold(word)
    if not _SUGGESTIBLE.match(folded) or _CJK.search(folded):
        return None
    if len(folded) < MIN_CORRECTED:
        # A short word has real words one letter away ("save", "same"): it was likely meant.
        return None
    reader = searcher.reader()
    for maxdist in (1, 2):
        # Sharing the first letter keeps the search fast; first letters are rarely mistyped.
        candidates = {
            (c.decode("utf-8") if isinstance(c, bytes) else c)
            for c in reader.terms_within(WORDS_FIELD, folded, maxdist, prefix=1)
        }
        candidates.discard(folded)
        if hidden:
            candidates = {c for c in candidates if _seen(searcher, WORDS_FIELD, c, hidden)}
        if candidates:
            return min(
                candidates,
                key=lambda c: (
                    edit_distance(folded, c),
                    -reader.doc_frequency(WORDS_FIELD, c),
                    c,
                ),
            )
    return None


def did_you_mean(
    searcher: Searcher, text: str, expansion: Expansion, hidden: np.ndarray | None = None
) -> str | None:
    """``text`` with each unknown plain word replaced by its correction; None when no word
    needs one. Words in quotes, after a field name, or recognised by the thesaurus are left.
    Words of the documents ``hidden`` (staff-only papers, for the public) are neither known
    nor suggested: a suggestion must not reveal what a hidden paper says."""
    unseen = set() if hidden is None else set(hidden.tolist())
    recognised = expansion.recognised
    changed = False
    pieces: list[str] = []
    at = 0
    in_quotes = False
    for match in re.finditer(r'"|[^\s"]+', text):
        token = match.group()
        pieces.append(text[at : match.start()])
        at = match.end()
        if token == '"':
            in_quotes = not in_quotes
        elif not in_quotes and is_plain(token) and fold(token) not in recognised:
            core = re.fullmatch(r"(\W*)(\w+)(\W*)", token)
            # Stop and question words are left out of the search: never "corrected".
            if (
                core
                and fold(core.group(2)) not in query_stop_words()
                and not is_known(searcher, core.group(2), unseen)
            ):
                better = correction(searcher, core.group(2), unseen)
                if better:
                    token = core.group(1) + better + core.group(3)
                    changed = True
        pieces.append(token)
    pieces.append(text[at:])
    return "".join(pieces) if changed else None
