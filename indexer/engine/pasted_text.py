"""Pasted text: an e-mail or a paragraph put in the search box, reduced to its telling words.

A student's e-mail holds a question among a greeting, an introduction, thanks and a signature.
Searched word for word, the papers must hold every one of seventy words, and none does. Here:

- text is *pasted* when it is long (:data:`PASTED_WORDS` words or more) or reads as an e-mail
  (a greeting, a sign-off), and holds no explicit syntax (quotes, ``field:``, ``OR``);
- the greeting ("Dear Sir or Madam,", "Hi there,") and everything from the sign-off on ("Kind
  regards", "Many thanks", "Sent from my phone") are left out, with web and e-mail addresses,
  telephone numbers, the writer's introduction ("my name is ...") and filler words of letters
  ("project", "grateful", "essay");
- of the words left, those the archive holds are ranked by rarity (inverse document frequency
  over the papers), and the rarest :data:`BUDGET` are kept, in the order written: words no paper
  holds (names, misspellings) and words most papers hold say nothing about the subject.

The browser's one-line search box joins the e-mail's lines, so nothing here depends on them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from whoosh.searching import Searcher

from indexer.analysis import fold, query_stop_words

__all__ = ["BUDGET", "PASTED_WORDS", "Reduced", "is_pasted", "reduce"]

# Words from which a query is read as pasted text, and the words kept of it.
PASTED_WORDS = 30
BUDGET = 10
# Words more than this share of the papers hold are too common to tell the subject.
COMMON_SHARE = 0.5

_WORDS = re.compile(r"[^\W_]+(?:['\u2019.\-][^\W_]+)*")
_SYNTAX = re.compile(r'"|\b(?:AND|OR|NOT)\b|\b\w+:\S|[*~]\S*')
_URL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+", re.IGNORECASE)
_PHONE = re.compile(r"\+?\d[\d ()\-]{6,}\d")
_GREETING = re.compile(
    r"^\s*(?:dear|hi|hello|hey|good (?:morning|afternoon|evening)|greetings|to whom it may "
    r"concern|здравствуйте|добрый день)\b[^,.!:\n]{0,40}[,.!:\n]",
    re.IGNORECASE,
)
_SIGN_OFF = re.compile(
    r"(?:\b(?:kind|best|warm|many)\s+(?:regards|wishes|thanks)|\bregards\b|\bsincerely\b|"
    r"\byours (?:truly|faithfully|sincerely)\b|\bthank you (?:very much |so much )?(?:for|in)"
    r"\b|\bthanks (?:a lot |so much )?(?:for|in)\b|\bcheers\b|\bsent from my\b|"
    r"\bс уважением\b|\bспасибо\b)",  # noqa: RUF001
    re.IGNORECASE,
)
# The writer's introduction, up to the end of its sentence.
_INTRODUCTION = re.compile(
    r"\b(?:my name is|i am|i'm|i\u2019m|this is)\b[^.!?\n]*[.!?\n]?", re.IGNORECASE
)
# Words of letters, not of subjects.
_FILLER = frozenset(
    " ".join(
        (
            "help please would could like know wondering wonder thank thanks grateful",
            "appreciate project essay homework assignment coursework dissertation thesis",
            "school college university student students undergraduate class teacher year",
            "grade geography biology send sending email e-mail mail reply information info",
            "great best wishes regards kind question questions curious interested interest",
            "currently really very much lot lots also maybe possible anyone somebody someone",
            "tell explain read heard saw reading",
        )
    ).split()
)


@dataclass
class Reduced:
    """Pasted text reduced to its telling words."""

    query: str
    left_out: list[str] = field(default_factory=list)


def is_pasted(text: str) -> bool:
    """Whether ``text`` reads as pasted text rather than a typed query."""
    if _SYNTAX.search(_URL.sub(" ", text)):
        return False
    words = _WORDS.findall(text)
    if len(words) >= PASTED_WORDS:
        return True
    return len(words) >= 8 and bool(_GREETING.search(text) or _SIGN_OFF.search(text))


def _body(text: str) -> str:
    """The text without its greeting, sign-off and what follows, addresses and numbers."""
    text = _URL.sub(" ", text)
    text = _PHONE.sub(" ", text)
    greeting = _GREETING.match(text)
    if greeting:
        text = text[greeting.end() :]
    sign_off = _SIGN_OFF.search(text)
    if sign_off and sign_off.start() > len(text) // 3:
        text = text[: sign_off.start()]
    return _INTRODUCTION.sub(" ", text)


def _number(word: str) -> bool:
    """A number other than a year ("10", "113"): a class, a street, a telephone."""
    return word.isdigit() and not re.fullmatch(r"(?:19|20)\d\d", word)


def _paper_frequency(searcher: Searcher, word: str) -> int:
    """How many papers hold ``word`` in their text (as the content field analyzes it)."""
    terms = list(searcher.schema["content"].process_text(word, mode="query"))
    if not terms:
        return 0
    reader = searcher.reader()
    return min(reader.doc_frequency("content", term) for term in terms)


def reduce(searcher: Searcher, text: str, budget: int = BUDGET) -> Reduced:
    """The telling words of pasted ``text`` (at most ``budget``, in the order written) and the
    words left out (each once, as written)."""
    body_words = _WORDS.findall(_body(text))
    stops = query_stop_words()
    papers = max(1, searcher.doc_frequency("kind", "paper"))
    rarity: dict[str, float] = {}
    for word in body_words:
        key = fold(word)
        base = re.split("['\u2019]", key, maxsplit=1)[0]
        if key in rarity or key in stops or base in stops or base in _FILLER or _number(key):
            continue
        frequency = _paper_frequency(searcher, base)
        if frequency == 0 or frequency > COMMON_SHARE * papers:
            continue
        rarity[key] = math.log(papers / frequency)
    kept_keys = set(sorted(rarity, key=lambda key: -rarity[key])[:budget])
    kept: list[str] = []
    seen: set[str] = set()
    for word in body_words:
        key = fold(word)
        if key in kept_keys and key not in seen:
            kept.append(word)
            seen.add(key)
    left_out: list[str] = []
    seen_out: set[str] = set()
    for word in _WORDS.findall(text):
        key = fold(word)
        if key not in seen and key not in seen_out:
            left_out.append(word)
            seen_out.add(key)
    return Reduced(" ".join(kept), left_out)
