"""The conservation thesaurus: names that mean the same thing, used to widen a search.

A thesaurus file holds one concept per line, its names separated by ``=``::

    # Lines starting with "#" are comments; blank lines are ignored.
    Amur leopard = Far Eastern leopard = Panthera pardus orientalis

A search for any of the names also finds papers that use only another one, ranked a little
below papers with the words as typed (the other names weigh :data:`SYNONYM_BOOST`). Case,
accents, hyphens and English word endings do not matter when a name is recognised in a query
("amur leopards" is recognised as "Amur leopard").

The project ships :data:`SHIPPED` (big cats, places of the Russian Far East and north-east
China). A file ``thesaurus.txt`` in the archive home, when present, is used instead, so staff can
edit it without touching the installed package; it is read again whenever it changes.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from indexer.analysis import fold, stem_word

SYNONYM_BOOST = 0.7
HOME_FILE = "thesaurus.txt"
_WORD = re.compile(r"\w+")
# Query tokens that are syntax, not words to look up.
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


def shipped_path() -> Path:
    """The thesaurus shipped inside the package."""
    return Path(str(resources.files("indexer.engine").joinpath("thesaurus.txt")))


def name_key(words: Iterable[str]) -> tuple[str, ...]:
    """How a name is compared: each word folded and stemmed."""
    return tuple(stem_word(fold(word)) for word in words)


@dataclass
class Concept:
    """One line of the thesaurus: names of the same thing, in the order written."""

    names: list[str]
    line: int


@dataclass
class Thesaurus:
    """Concepts and an index from each name's key to the concepts that hold it."""

    concepts: list[Concept] = field(default_factory=list)
    source: Path | None = None
    problems: list[str] = field(default_factory=list)
    _by_key: dict[tuple[str, ...], list[int]] = field(default_factory=dict, repr=False)
    longest: int = 0

    @classmethod
    def parse(cls, text: str, source: Path | None = None) -> Thesaurus:
        """Read thesaurus text. A line with fewer than two names is reported, not fatal."""
        thesaurus = cls(source=source)
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.split("#", 1)[0].strip()  # "#" starts a comment, anywhere on a line
            if not line:
                continue
            names = []
            for part in line.split("="):
                words = _WORD.findall(part)
                if words:
                    names.append(" ".join(words))
            if len(names) < 2:
                thesaurus.problems.append(
                    f"line {number}: needs at least two names separated by '=': {raw.strip()!r}"
                )
                continue
            thesaurus._add(Concept(names=names, line=number))
        return thesaurus

    def _add(self, concept: Concept) -> None:
        index = len(self.concepts)
        self.concepts.append(concept)
        for name in concept.names:
            key = name_key(_WORD.findall(name))
            self._by_key.setdefault(key, []).append(index)
            self.longest = max(self.longest, len(key))

    def synonyms(self, words: list[str]) -> list[str]:
        """The other names of the concepts that ``words`` name (empty when none)."""
        key = name_key(words)
        found: dict[tuple[str, ...], str] = {}
        for index in self._by_key.get(key, []):
            for name in self.concepts[index].names:
                other = name_key(_WORD.findall(name))
                if other != key:
                    found.setdefault(other, name)
        return list(found.values())

    def __len__(self) -> int:
        return len(self.concepts)


@dataclass
class Expansion:
    """A query text with the thesaurus applied, and what was added."""

    text: str
    # (the words as typed, the other names searched for them)
    added: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def recognised(self) -> set[str]:
        """The folded words that were recognised as names (they need no spelling check)."""
        return {fold(word) for typed, _ in self.added for word in _WORD.findall(typed)}


def is_plain(token: str) -> bool:
    """A token that is an ordinary word: no field name, exclusion, quote, group or wildcard."""
    if token in OPERATORS or not _WORD.search(token):
        return False
    return not re.search(r"[\"():*?\[\]{}^~\\/]", token) and token[0] not in "-+'"


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in re.finditer(r'"[^"]*"?', text):
        spans.append(match.span())
    return spans


def expand(text: str, thesaurus: Thesaurus) -> Expansion:
    """Add the other names of every name found among the plain words of ``text``.

    "amur leopard camera" becomes
    ``(amur leopard OR "Far Eastern leopard"^0.7 OR ...) camera``. Words in quotes, after a
    field name (``title:``) or excluded (``-word``) are taken exactly as typed.
    """
    if not thesaurus.concepts:
        return Expansion(text)
    quoted = _quoted_spans(text)
    tokens = [
        (m.group(), m.start())
        for m in re.finditer(r"\S+", text)
        if not any(start <= m.start() < end for start, end in quoted)
    ]
    replacements: list[tuple[int, int, str]] = []
    added: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(tokens):
        if not is_plain(tokens[i][0]):
            i += 1
            continue
        # The run of plain words from i, for the longest name starting there.
        run_end = i
        while run_end < len(tokens) and is_plain(tokens[run_end][0]):
            run_end += 1
        matched = 0
        for length in range(min(run_end - i, thesaurus.longest), 0, -1):
            words = [w for token, _ in tokens[i : i + length] for w in _WORD.findall(token)]
            others = thesaurus.synonyms(words)
            if others:
                start = tokens[i][1]
                last, last_start = tokens[i + length - 1]
                end = last_start + len(last)
                typed = text[start:end]
                alternatives = " OR ".join(f'"{name}"^{SYNONYM_BOOST}' for name in others)
                original = f"({typed})" if length > 1 else typed
                replacements.append((start, end, f"({original} OR {alternatives})"))
                added.append((typed, others))
                matched = length
                break
        i += matched or 1
    for start, end, replacement in reversed(replacements):
        text = text[:start] + replacement + text[end:]
    return Expansion(text, added)


_cache: dict[Path | None, tuple[tuple[int, int], Thesaurus]] = {}
_cache_lock = threading.Lock()


def load(home_file: Path | None = None) -> Thesaurus:
    """The thesaurus in effect: ``home_file`` when it exists, else the shipped one.

    Re-read whenever the file changes (its modification time or size), so an edit takes effect
    at the next search without restarting the server. An unreadable home file falls back to the
    shipped thesaurus rather than breaking search.
    """
    for path in (home_file, shipped_path()):
        if path is None:
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        stamp = (stat.st_mtime_ns, stat.st_size)
        with _cache_lock:
            cached = _cache.get(path)
            if cached and cached[0] == stamp:
                return cached[1]
        try:
            thesaurus = Thesaurus.parse(path.read_text(encoding="utf-8"), source=path)
        except (OSError, UnicodeDecodeError):
            continue
        with _cache_lock:
            _cache[path] = (stamp, thesaurus)
        return thesaurus
    return Thesaurus()
