"""People's names as a citation needs them: which words of a displayed name are the family name.

One rule for the whole archive: the header extractor (indexer) uses it to read bylines, the
citations (BibTeX keys, APA references) and the metadata benchmark use it to cite and compare
names, so that "Madeleine van Zuylen" is "van Zuylen" everywhere. It lives in ``archive``
because ``archive`` may not import ``indexer`` (dependencies point webui -> indexer -> archive).
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

# Words that belong to a family name when they stand before its last word ("van Zuylen", "do
# Amaral", "uz Zaman", "Van Orden", "Di Gaspero"), compared case-folded: a capitalised particle
# ("Van Orden") is as much part of the family name as a lower-case one.
FAMILY_PARTICLES = frozenset(
    {
        "van", "von", "der", "den", "de", "del", "della", "dei", "di", "da", "du", "dos", "das",
        # Italian particles joined with the article ("Giulio V. Dalla Riva", "Dal Bello").
        "dalla", "dal", "delle", "degli",
        "do", "la", "le", "ter", "ten", "zu", "al", "el", "bin", "ibn", "st.", "uz", "ul",
        # Dutch particles written as one word ("Stephen B. Vander Wall", "Vanden Bossche").
        "vander", "vanden", "vande",
    }
)  # fmt: skip
# Generational suffixes: not the family name ("Frederick Gmitter Jr." is cited as Gmitter).
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})

_SPACES = re.compile(r"\s+")
_SPANISH_PATRONYMIC = re.compile(r"[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+[eé]z")
# A Russian name in the order of forms and covers, family name first: "Кузнецова Мария
# Павловна" (the last word a patronymic).
_UPPER, _LOWER = "[\u0410-\u042f\u0401]", "[\u0430-\u044f\u0451]"
_PATRONYMIC_END = "(?:ович|евич|ич|овна|евна|ична)"
_FAMILY_FIRST = re.compile(
    rf"{_UPPER}{_LOWER}+(?:-{_UPPER}{_LOWER}+)? "  # the family name, hyphenated or not
    rf"{_UPPER}{_LOWER}+ {_UPPER}{_LOWER}+{_PATRONYMIC_END}"
)


class Name(NamedTuple):
    """A displayed name in its parts: given names, family name, generational suffix."""

    given: str
    family: str
    suffix: str = ""


def _clean(name: str) -> str:
    # NFKC folds ligatures and compatibility spaces; every run of whitespace becomes one space.
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", name or "")).strip()


# Initials after a family name, as Vancouver-style lists write names ("Svenning J-C", "Smith JC",
# "Owens D.K."): hyphenated or dotted, or capitals without a vowel ("JC", not a family "LI").
_INITIALS = re.compile(r"[A-Z]\.?(?:-?[A-Z]\.?){1,2}")


def _initials_last(tokens: list[str]) -> bool:
    last = tokens[-1]
    return (
        len(tokens) >= 2
        and bool(_INITIALS.fullmatch(last))
        and ("." in last or "-" in last or not re.search("[AEIOUY]", last))
        and all(re.search(r"[a-z]", token) for token in tokens[:-1])
    )


def split_name(name: str) -> Name:
    """``name`` as given names, family name and suffix.

    "Family, Given" splits at the comma ("Fernandes dos Santos, Ana"); "Given Family" takes the
    last word with the particles before it ("Sheila Mara Silva do Amaral": "do Amaral") but never
    the first word ("Bin Peng": "Peng"), and sets a suffix aside ("Frederick Gmitter Jr.").
    A Russian name with its patronymic last is written family name first ("Кузнецова Мария
    Павловна": "Кузнецова"); two Spanish family names of the "-ez" kind are both kept ("Rosana
    López Rodríguez": "López Rodríguez"). Initials after a family name are a Vancouver list's
    ("Svenning J-C": "Svenning").
    """
    name = _clean(name)
    if "," in name:
        family, *rest = (part.strip() for part in name.split(","))
        given = " ".join(part for part in rest if part).split()  # "Gmitter, Frederick, Jr."
        suffix = given.pop() if given and given[-1].casefold() in NAME_SUFFIXES else ""
        return Name(" ".join(given), family, suffix)
    tokens = name.split()
    suffix = ""
    while len(tokens) > 1 and tokens[-1].casefold() in NAME_SUFFIXES:
        suffix = tokens.pop()
    if not tokens:
        return Name("", "", suffix)
    if written_family_first(" ".join(tokens)):
        return Name(" ".join(tokens[1:]), tokens[0], suffix)
    if _initials_last(tokens):
        return Name(tokens[-1], " ".join(tokens[:-1]), suffix)
    start = len(tokens) - 1
    # Two Spanish family names, both of the "-ez" kind ("Rosana López Rodríguez"): both cited.
    if len(tokens) >= 3 and all(_SPANISH_PATRONYMIC.fullmatch(t) for t in tokens[-2:]):
        start -= 1
    # The first word is a given name even when it reads as a particle ("Bin Peng", "Van Anh
    # Nguyen", "Dos Santos" alone is rare).
    while start > 1 and tokens[start - 1].casefold() in FAMILY_PARTICLES:
        start -= 1
    return Name(" ".join(tokens[:start]), " ".join(tokens[start:]), suffix)


def written_family_first(name: str) -> bool:
    """True for a Russian name written family name first, its patronymic last, as forms and
    covers write it ("Кузнецова Мария Павловна"): a person's name, whose first word is cited."""
    return bool(_FAMILY_FIRST.fullmatch(_clean(name)))


def family_name(name: str) -> str:
    """The family name of a displayed name ("Given Family" or "Family, Given"), particles kept.

    "Madeleine van Zuylen": "van Zuylen"; "Anne Van Orden": "Van Orden"; "Kwame Agyeman-Duah":
    "Agyeman-Duah"; "Frederick Gmitter Jr.": "Gmitter"; "Fernandes dos Santos, Ana": "Fernandes
    dos Santos".
    """
    return split_name(name).family
