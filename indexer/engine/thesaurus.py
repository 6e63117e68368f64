"""The conservation thesaurus: names that mean the same thing, used to widen a search.

A thesaurus file holds one concept per line, its names separated by ``=``::

    # Lines starting with "#" are comments; blank lines are ignored.
    Amur leopard = Far Eastern leopard = Panthera pardus orientalis

A search for any of the names also finds papers that use only another one, ranked a little
below papers with the words as typed (the other names weigh :data:`SYNONYM_BOOST`). Case,
accents, hyphens and English word endings do not matter when a name is recognised in a query
("amur leopards" is recognised as "Amur leopard").

The project ships ``thesaurus.txt`` (big cats, places of the Russian Far East and north-east
China) and ``glossary_en_ru.txt``, an English-Russian glossary of conservation terms in the same
format, which makes a Russian query find papers written in English and the reverse. A name in
another script than the words typed (Cyrillic for Latin, or the reverse) is a *translation*: it
weighs :data:`TRANSLATION_BOOST`, less than a synonym, and results list translations apart
(:func:`translations`), with a way to search without them (:func:`without_names`). A file of
the same name in the archive home, when present, is used instead of each shipped file, so staff
can edit them without touching the installed package; they are read again whenever they change.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from whoosh import versionstring

from indexer import analysis
from indexer.analysis import fold, query_stop_words, stem_word

SYNONYM_BOOST = 0.7
# A translation is a looser match than another name in the same language.
TRANSLATION_BOOST = 0.5
HOME_FILE = "thesaurus.txt"
GLOSSARY_FILE = "glossary_en_ru.txt"
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CJK = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7a3]")
_WORD = re.compile(r"\w+")
# Query tokens that are syntax, not words to look up.
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


def shipped_path(filename: str = HOME_FILE) -> Path:
    """The thesaurus (or, with ``GLOSSARY_FILE``, the glossary) shipped inside the package."""
    return Path(str(resources.files("indexer.engine").joinpath(filename)))


def name_key(words: Iterable[str]) -> tuple[str, ...]:
    """How a name is compared: each word folded and stemmed, stop words left out as a query
    leaves them out ("разведение в неволе" is typed to the parser as "разведение неволе"),
    unless the name is nothing else."""
    folded = [fold(word) for word in words]
    stops = query_stop_words()
    kept = [word for word in folded if word not in stops] or folded
    return tuple(stem_word(word) for word in kept)


def script(text: str) -> str:
    """The script a name is written in, as far as translations go: "cyrillic", "cjk" or
    "latin" (everything else, numbers included)."""
    if _CYRILLIC.search(text):
        return "cyrillic"
    if _CJK.search(text):
        return "cjk"
    return "latin"


def is_translation(typed: str, name: str) -> bool:
    """True when ``name`` is written in another script than the words ``typed``."""
    return script(typed) != script(name)


@dataclass
class Concept:
    """One line of the thesaurus: names of the same thing, in the order written."""

    names: list[str]
    line: int
    # A line of the glossary: its English names are added only as translations of Russian
    # words, so that it widens no English search with English words (that is the thesaurus').
    glossary: bool = False


@dataclass
class Thesaurus:
    """Concepts and an index from each name's key to the concepts that hold it."""

    concepts: list[Concept] = field(default_factory=list)
    source: Path | None = None
    problems: list[str] = field(default_factory=list)
    _by_key: dict[tuple[str, ...], list[int]] = field(default_factory=dict, repr=False)
    longest: int = 0

    @classmethod
    def parse(cls, text: str, source: Path | None = None, glossary: bool = False) -> Thesaurus:
        """Read thesaurus text (``glossary``: of the glossary, see :class:`Concept`). A line
        with fewer than two names is reported, not fatal."""
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
            thesaurus._add(Concept(names=names, line=number, glossary=glossary))
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
        latin = script(" ".join(words)) == "latin"
        for index in self._by_key.get(key, []):
            concept = self.concepts[index]
            for name in concept.names:
                other = name_key(_WORD.findall(name))
                if concept.glossary and latin and script(name) == "latin":
                    continue
                if other != key:
                    found.setdefault(other, name)
        return list(found.values())

    def __len__(self) -> int:
        return len(self.concepts)

    def merged(self, other: Thesaurus) -> Thesaurus:
        """This thesaurus and ``other`` as one (the glossary beside the thesaurus); problems
        name their file."""
        both = Thesaurus(source=self.source)
        for part in (self, other):
            name = part.source.name if part.source else "thesaurus"
            both.problems += [f"{name}: {problem}" for problem in part.problems]
            for concept in part.concepts:
                both._add(concept)
        return both


@dataclass
class Expansion:
    """A query text with the thesaurus applied, and what was added."""

    text: str
    # (the words as typed, the other names searched for them)
    added: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def translations(self) -> list[tuple[str, list[str]]]:
        """(words as typed, translations searched for them): see :func:`translations`."""
        return translations(self.added)

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


def _boost(typed: str, name: str) -> float:
    return TRANSLATION_BOOST if is_translation(typed, name) else SYNONYM_BOOST


def expand(text: str, thesaurus: Thesaurus, held: Callable[[str], bool] | None = None) -> Expansion:
    """Add the other names of every name found among the plain words of ``text``.

    "amur leopard camera" becomes
    ``(amur leopard OR "Far Eastern leopard"^0.7 OR ...) camera``. Words in quotes, after a
    field name (``title:``) or excluded (``-word``) are taken exactly as typed.

    ``held(name)`` says whether some paper holds a name (every word of it); with it, a
    translation no paper holds is not added: it could find nothing, and an English query over
    an archive without Russian papers is searched, and costs, as it did before the glossary.
    A name left with no other names is not recognised at all: its words stay words of their
    own ("population density" stays two words when no paper holds "плотность популяции").
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
            if length > 1 and {fold(words[0]), fold(words[-1])} & query_stop_words():
                continue  # a name neither starts nor ends with a stop word ("как защищают")
            others = thesaurus.synonyms(words)
            start = tokens[i][1]
            last, last_start = tokens[i + length - 1]
            end = last_start + len(last)
            typed = text[start:end]
            if held is not None:
                others = [n for n in others if not is_translation(typed, n) or held(n)]
            if others:
                alternatives = " OR ".join(f'"{name}"^{_boost(typed, name)}' for name in others)
                original = f"({typed})" if length > 1 else typed
                replacements.append((start, end, f"({original} OR {alternatives})"))
                added.append((typed, others))
                matched = length
                break
        i += matched or 1
    for start, end, replacement in reversed(replacements):
        text = text[:start] + replacement + text[end:]
    return Expansion(text, added)


def translations(added: list[tuple[str, list[str]]]) -> list[tuple[str, list[str]]]:
    """Of the names a search added, (words as typed, translations) for those that have names
    in another script than the words typed."""
    found = []
    for typed, others in added:
        translated = [name for name in others if is_translation(typed, name)]
        if translated:
            found.append((typed, translated))
    return found


def without_names(text: str, typed: Iterable[str]) -> str:
    """``text`` with each of the ``typed`` names in quotes, which the thesaurus leaves as
    typed: the same search without their synonyms and translations."""
    for name in typed:
        # The words of the name, with up to three left-out words (stop words) between them.
        pattern = r"\W+(?:\w+\W+){0,3}?".join(re.escape(word) for word in _WORD.findall(name))
        match = re.search(rf"(?<![\w\"]){pattern}(?![\w\"])", text) if pattern else None
        if match:
            text = f'{text[: match.start()]}"{match.group()}"{text[match.end() :]}'
    return text


# A file as read: its path, modification and change times, size and inode. The change time
# and inode catch an edit that keeps the size and puts the modification time back.
_Stamp = tuple[Path, int, int, int, int]
_cache: dict[Path, tuple[_Stamp, Thesaurus]] = {}
# Merged thesauri by the stamps of their two files.
_merged: dict[tuple[_Stamp, _Stamp], Thesaurus] = {}
_cache_lock = threading.Lock()


def _stamp(path: Path) -> _Stamp:
    stat = path.stat()
    return (path, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


# The cache file's format; with the Python and Whoosh versions and the stamps of the code that
# makes the names' keys (folding, stop words, stemmers), a change to any makes it stale.
CACHE_FORMAT = 1
_CODE = [
    CACHE_FORMAT,
    list(sys.version_info[:2]),
    versionstring(),
    *[list(_stamp(Path(module_file))[1:]) for module_file in (__file__, analysis.__file__)],
]


def _in_effect(home_file: Path | None, filename: str) -> _Stamp | None:
    """The stamp of the file :func:`_load_one` reads first: ``home_file`` if it exists."""
    for path in (home_file, shipped_path(filename)):
        if path is not None:
            try:
                return _stamp(path)
            except OSError:
                continue
    return None


def _load_one(home_file: Path | None, filename: str) -> tuple[_Stamp, Thesaurus] | None:
    """``home_file`` when it exists and reads, else the shipped file ``filename``, with the
    stamp (:data:`_Stamp`) it was read at.

    Re-read whenever the file changes. An unreadable home file falls back to the shipped one
    rather than breaking search.
    """
    for path in (home_file, shipped_path(filename)):
        if path is None:
            continue
        try:
            stamp = _stamp(path)
        except OSError:
            continue
        with _cache_lock:
            cached = _cache.get(path)
            if cached and cached[0] == stamp:
                return cached
        try:
            text = path.read_text(encoding="utf-8")
            thesaurus = Thesaurus.parse(text, source=path, glossary=filename == GLOSSARY_FILE)
        except (OSError, UnicodeDecodeError):
            continue
        with _cache_lock:
            _cache[path] = (stamp, thesaurus)
        return stamp, thesaurus
    return None


def _cache_key(stamps: tuple[_Stamp, _Stamp]) -> list[Any]:
    return [*_CODE, *[[str(path), *numbers] for path, *numbers in stamps]]


def _read_cache(cache_file: Path, stamps: tuple[_Stamp, _Stamp]) -> Thesaurus | None:
    """The merged thesaurus stored in ``cache_file`` for these files as they are now, or None
    (no file, another key, or a file that does not read as one)."""
    try:
        data = json.loads(cache_file.read_bytes())
        if data["key"] != _cache_key(stamps):
            return None
        source = data["source"]
        thesaurus = Thesaurus(source=Path(source) if source else None, longest=int(data["longest"]))
        thesaurus.problems = [str(problem) for problem in data["problems"]]
        thesaurus.concepts = [
            Concept(names=[str(name) for name in names], line=int(line), glossary=bool(glossary))
            for names, line, glossary in data["concepts"]
        ]
        count = len(thesaurus.concepts)
        for words, indexes in data["keys"]:
            if not all(isinstance(index, int) and 0 <= index < count for index in indexes):
                return None
            thesaurus._by_key[tuple(str(word) for word in words)] = list(indexes)
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return thesaurus


def _write_cache(cache_file: Path, stamps: tuple[_Stamp, _Stamp], thesaurus: Thesaurus) -> None:
    """Store ``thesaurus`` (parsed from the files of ``stamps``) in ``cache_file``; a home
    that cannot be written to just keeps no cache."""
    data = {
        "key": _cache_key(stamps),
        "source": str(thesaurus.source) if thesaurus.source else None,
        "longest": thesaurus.longest,
        "problems": thesaurus.problems,
        "concepts": [[c.names, c.line, c.glossary] for c in thesaurus.concepts],
        "keys": [[list(words), indexes] for words, indexes in thesaurus._by_key.items()],
    }
    # Written aside and renamed: another process reads the old file or the new one, whole.
    temporary = cache_file.with_name(f".{cache_file.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, cache_file)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def load(home_file: Path | None = None, cache_file: Path | None = None) -> Thesaurus:
    """The thesaurus in effect: ``home_file`` when it exists, else the shipped one, with the
    English-Russian glossary (``glossary_en_ru.txt`` beside ``home_file`` when it exists,
    else the shipped one) merged in.

    An edit takes effect at the next search without restarting the server. With
    ``cache_file`` (in the archive home), the names' keys are read from there when the files
    are as they were when it was written: stemming every name took most of a command's
    start-up (issue 28).
    """
    glossary_home = home_file.with_name(GLOSSARY_FILE) if home_file is not None else None
    if cache_file is not None:
        expected = (_in_effect(home_file, HOME_FILE), _in_effect(glossary_home, GLOSSARY_FILE))
        if expected[0] is not None and expected[1] is not None:
            stamps = (expected[0], expected[1])
            with _cache_lock:
                merged = _merged.get(stamps)
            if merged is None and (merged := _read_cache(cache_file, stamps)) is not None:
                with _cache_lock:
                    merged = _merged.setdefault(stamps, merged)
            if merged is not None:
                return merged
    thesaurus = _load_one(home_file, HOME_FILE)
    glossary = _load_one(glossary_home, GLOSSARY_FILE)
    if thesaurus is None or glossary is None:
        return (thesaurus or glossary or (None, Thesaurus()))[1]
    key = (thesaurus[0], glossary[0])
    made = False
    with _cache_lock:
        merged = _merged.get(key)
        if merged is None:
            if len(_merged) >= 64:  # edited files leave stale entries; tests make many homes
                _merged.clear()
            merged = _merged[key] = thesaurus[1].merged(glossary[1])
            made = True
    if made and cache_file is not None:
        _write_cache(cache_file, key, merged)
    return merged
