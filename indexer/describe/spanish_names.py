"""Names on Spanish pages: a person's two family names, as Spanish citations keep them.

A Spanish thesis cover or report prints its author's full name, given names then the father's
and the mother's family names ("Cristina Muntañola Valero", "John Jairo Leal Gómez"), and both
are cited ("Muntañola Valero, C."). Read as an English name, only the last word would be the
family name. On a page written in Spanish, a name of three words or more is therefore written
family names first ("Muntañola Valero, Cristina"), which :func:`archive.names.split_name` reads
as it is, unless the word before the last is a given name ("Matías Nicolás Incem": Argentines
often use one family name). On pages in other languages (a Spanish author's thesis written in
Portuguese or English), the same holds only when the word before the last is a common Spanish
family name ("Daniel Pérez García", "Alfredo Jaramillo Palma"); otherwise the name stays as
printed, as most authors there write their names as they want them cited.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from archive.names import FAMILY_PARTICLES, NAME_SUFFIXES

GIVEN_NAMES = Path(__file__).with_name("spanish_given_names.txt")
FAMILY_NAMES = Path(__file__).with_name("spanish_family_names.txt")

# Short words that each of the four languages of the archive's covers writes often and the
# others seldom: the page is Spanish when its Spanish words outnumber each other language's.
_FUNCTION_WORDS = {
    "es": frozenset({"el", "los", "las", "del", "y", "una", "con", "por", "para", "como"}),
    "fr": frozenset({"le", "les", "des", "du", "et", "une", "avec", "pour", "sur", "au", "aux"}),
    "pt": frozenset({"o", "os", "do", "da", "dos", "das", "e", "um", "uma", "com", "em", "não"}),
    "en": frozenset({"the", "of", "and", "with", "for", "on", "is", "to", "by", "from"}),
}
# Fewer Spanish words than this say too little (a cover of a title and a name).
_ENOUGH = 4
_WORD = re.compile(r"[^\W\d_]+")


def page_in_spanish(page_text: str) -> bool:
    """True when the page's short words are Spanish more than English, French or Portuguese."""
    counts = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _WORD.findall(page_text.casefold()):
        for language, words in _FUNCTION_WORDS.items():
            counts[language] += word in words
    spanish = counts.pop("es")
    return spanish >= _ENOUGH and all(spanish > count for count in counts.values())


def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _listed(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def with_both_family_names(name: str, known_only: bool = False) -> str:
    """``name`` written "Family Family, Given" when its last two words are family names.

    "Cristina Muntañola Valero": "Muntañola Valero, Cristina"; "Bruno Damián Aguirre del
    Villar": "Aguirre del Villar, Bruno Damián". Unchanged: names of two words, names already
    written with a comma, initials ("M. A."), and names whose word before the family name is a
    given name ("Matías Nicolás Incem"). With ``known_only`` (a page in another language),
    only when that word is a common Spanish family name ("Daniel Pérez García").
    """
    tokens = name.split()
    if "," in name or len(tokens) < 3 or tokens[-1].casefold() in NAME_SUFFIXES:
        return name
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].casefold() in FAMILY_PARTICLES:
        start -= 1
    if start >= 3 and tokens[start - 1] in ("i", "y"):
        # Two family names joined by "i" or "y" ("Ivan Briz i Godino", "José Ortega y Gasset").
        return f"{' '.join(tokens[start - 2 :])}, {' '.join(tokens[: start - 2])}"
    first_family = tokens[start - 1]
    if (
        start < 2  # the first word is always a given name
        or _folded(first_family) in _listed(GIVEN_NAMES)
        or not first_family[:1].isupper()
        or len(first_family.rstrip(".")) < 2  # an initial
        or first_family.endswith(".")
        or (known_only and _folded(first_family) not in _listed(FAMILY_NAMES))
    ):
        return name
    return f"{' '.join(tokens[start - 1 :])}, {' '.join(tokens[: start - 1])}"
