"""The authors a paper names in the citation it suggests for itself, a second reading of its byline.

Many publishers print, on the first page or on a cover page, how the paper is to be cited:
"Citation: Iskandar DT, Evans BJ, McGuire JA (2014) ..." (PLOS), "Citation: Faragalla, H.;
Plotkin, A.; ...; Nofech Mozes, S." (MDPI), "To cite this article: Fariha Khalid, ... & Rohit
Bakshi (2016): ..." (Taylor & Francis), "How to cite this article Bogner J, Wagner S,
Zimmermann A. 2019." (PeerJ), "Citation: Zapata-Rios, X., J. McIntosh, ..., and J. Chorover
(2015)" (AGU), "Citation for published version (APA): Salden, A. H., ... & Prins, J. E. J.
(2002)" (university repositories). The byline is set for the eye, with marks, columns and
affiliations in between; this line is set for a reference list, and says which words of each
name are the family name ("Nofech Mozes, S."), which the byline cannot.

:func:`suggested_citation` reads that line; :func:`checked_against_citation` uses it to check the
names read from the byline: names the citation does not list are dropped, names it lists and
the byline reading missed are put back, and a family name of more than one word is written
"Family, Given" so that citations made from it are right.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from archive.names import FAMILY_PARTICLES, NAME_SUFFIXES, family_name

# What introduces the suggested citation. "Cite this: Chem. Sci., 2022" (RSC) names no one and
# is not read (no names before a year); "...with credit... citation on the first page" (ACM's
# copyright notice) has no colon and is not matched.
_LEAD = re.compile(
    r"(?:\bCitation for published version \(APA\)\s*:|\bCitation\s*:|\bCite as\s*:"
    r"|\b(?:To |How to |Please )?[Cc]ite this (?:article|paper|chapter|work)(?: as)?\s*:?)\s*",
)
# Where the names end: the year in brackets "(2014)", or after a full stop "... Zimmermann A.
# 2019." (PeerJ), or bare "et al 2021" (IOP).
_YEAR = re.compile(
    r"\(\s*(?:1[89]|20)\d\d[a-z]?\s*\)|(?<=\.)\s+(?:1[89]|20)\d\d[a-z]?\.|\s(?:1[89]|20)\d\d\b"
)
# An accent pypdf could not map, left as its glyph's name ("Krko/C20sek" for Krkošek): the
# letter stays, the accent is lost (names are compared without accents).
_UNMAPPED_ACCENT = re.compile(r"/C\d{2,3}(?=[^\W\d_])")
_ET_AL = re.compile(r",?\s*\bet\s+al\b\.?\s*$")
# "A. H.", "E-J.", "DT", "J. E. J.", "F.-I.": a name's initials on their own.
_CAPITAL = "[A-Z\u00c0-\u00de]"
_INITIALS = re.compile(rf"(?:{_CAPITAL}(?:[a-z]?\.|\b)[\s-]?)+")
_TRAILING_INITIALS = re.compile(rf"\s+((?:{_CAPITAL}{{1,3}}|(?:{_CAPITAL}\.[\s-]?)+))$")
_LEADING_INITIALS = re.compile(rf"^((?:{_CAPITAL}\.?[\s-]?){{1,3}})\s+(?=\S{{2}})")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'\u2019.-]*(?:[-'\u2019][^\W\d_]+)*\.?$")
_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and|&)\s+|\s(?:and|&)\s+|,\s*)")
_MAX_NAMES = 60


@dataclass(frozen=True)
class Cited:
    """The names of a suggested citation in order, and whether the list is whole (no "et al.")."""

    families: tuple[str, ...]
    # Each name as a byline would show it: "Nofech Mozes, S.", "Iskandar, DT", "Fariha Khalid".
    names: tuple[str, ...]
    complete: bool
    # The year the citation gives: the publisher's own word on when the paper was published.
    year: int | None = None


def suggested_citation(page_text: str) -> Cited | None:
    """The authors of the citation a page suggests for its paper, or None when it prints none
    (or one that cannot be read as a list of names)."""
    for lead in _LEAD.finditer(page_text):
        # The citation wraps over a narrow column's lines: read it as one line.
        text = " ".join(page_text[lead.end() : lead.end() + 700].split())
        text = _UNMAPPED_ACCENT.sub("", text)
        year = _YEAR.search(text)
        if not year or year.start() == 0:
            continue
        # "... and A. W. Bateman. 2021.": the full stop is the list's, not an initial's.
        names = re.sub(r"(?<=[^\W\d_]{2})\.$", "", text[: year.start()].rstrip(",:; "))
        cited = _read_names(names)
        if cited is not None:
            return replace(cited, year=int(re.findall(r"\d{4}", year.group(0))[0]))
    return None


def _read_names(text: str) -> Cited | None:
    complete = not _ET_AL.search(text)
    text = _ET_AL.sub("", text).strip().rstrip(",")
    if not text:
        return None
    if ";" in text:
        # "Faragalla, H.; Plotkin, A.; ...": each part is "Family, Initials".
        parts = [part.strip() for part in text.split(";")]
        pairs = [_inverted(part) for part in parts]
    else:
        pairs = _listed(_SEPARATOR.split(text))
    if not pairs or any(pair is None for pair in pairs) or len(pairs) > _MAX_NAMES:
        return None
    families = tuple(pair[0] for pair in pairs)  # type: ignore[index]
    names = tuple(pair[1] for pair in pairs)  # type: ignore[index]
    if not all(map(_family_like, families)):
        return None
    return Cited(families, names, complete)


def _inverted(part: str) -> tuple[str, str] | None:
    family, _, given = part.partition(",")
    if not given.strip():
        return _uninverted(part)
    # The last name runs on into the title ("Nofech Mozes, S. Ki67 in Breast Cancer ..."):
    # its initials are what is kept.
    initials = _INITIALS.match(given.strip())
    return _pair(family, initials.group(0)) if initials else None


def _pair(family: str, given: str) -> tuple[str, str]:
    """A family name and the name as displayed, "Family, Given"."""
    family, given = family.strip(), given.strip()
    words = family.split()
    if len(words) > 1 and words[-1].casefold() in NAME_SUFFIXES:
        # "Reiner Jr RC": the suffix is no part of the family name.
        family = " ".join(words[:-1])
        given = f"{given}, {words[-1]}" if given else words[-1]
    return family, f"{family}, {given}" if given else family


def _listed(chunks: list[str]) -> list[tuple[str, str] | None]:
    """Comma-separated chunks as names: "Salden", "A. H." (APA: family, then its initials),
    "Iskandar DT", "J. McIntosh", "Fariha Khalid"."""
    pairs: list[tuple[str, str] | None] = []
    chunks = [chunk.strip() for chunk in chunks if chunk.strip()]
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        following = chunks[i + 1] if i + 1 < len(chunks) else ""
        if following and _INITIALS.fullmatch(following) and not _INITIALS.fullmatch(chunk):
            pairs.append(_pair(chunk, following))
            i += 2
            continue
        pairs.append(_uninverted(chunk))
        i += 1
    return pairs


def _uninverted(chunk: str) -> tuple[str, str] | None:
    """One name written in a single chunk: "Iskandar DT", "J. McIntosh", "Fariha Khalid"."""
    if _INITIALS.fullmatch(chunk):
        return None
    if trailing := _TRAILING_INITIALS.search(chunk):
        return _pair(chunk[: trailing.start()], trailing.group(1))
    if leading := _LEADING_INITIALS.match(chunk):
        return _pair(chunk[leading.end() :], leading.group(1))
    # A name written out ("Fariha Khalid") or a body's ("World Health Organization"): shown whole.
    return family_name(chunk), chunk


def _family_like(family: str) -> bool:
    words = family.split()
    return (
        1 <= len(words) <= 4
        and all(_NAME_WORD.match(word) for word in words)
        and (words[-1][:1].isupper() or words[-1].casefold() in FAMILY_PARTICLES)
        and not family.endswith(".")
    )


def fold_letters(text: str) -> str:
    """``text``'s letters and digits alone, case and accents folded away, for comparing names
    and titles however they were spaced, hyphenated or accented."""
    # Letters of every script kept (header's _ascii_fold keeps ASCII only, for e-mails): a
    # Cyrillic or Chinese family name must not fold to nothing and match any other.
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return "".join(c for c in decomposed if c.isalnum())


def _family_words(name: str, family: str) -> int:
    """How many of ``name``'s last words spell ``family`` (0: they do not), allowing the
    byline's lost or extra spaces ("Francoda Silva" for "Franco da Silva")."""
    words = name.split()
    wanted = fold_letters(family)
    for count in range(1, len(words)):
        spelled = fold_letters(" ".join(words[-count:]))
        if spelled == wanted:
            return count
        if len(spelled) > len(wanted):
            break
    return 0


def checked_against_citation(authors: list[str], cited: Cited | None) -> list[str]:
    """The byline's ``authors`` checked against the page's suggested citation.

    Kept as they are when there is no citation, when it ends in "et al." (it lists only the
    first), or when none of the names it lists is among the byline's (they then cannot be told
    to be the same paper's, or the byline reading went wrong where the citation cannot show
    how). Otherwise
    the citation's list, in its order: each name as the byline prints it (written "Family,
    Given" when its family name is of more words than its last), a name the byline reading
    missed as the citation prints it ("Jost, C."), and nothing the citation does not list.
    """
    if cited is None or not cited.complete:
        return authors
    matched: list[tuple[str, int] | None] = []
    used: set[int] = set()
    for family in cited.families:
        found = next(
            (
                (i, words)
                for i, name in enumerate(authors)
                if i not in used and (words := _family_words(name, family))
            ),
            None,
        )
        if found:
            used.add(found[0])
        matched.append(found)
    if authors and not any(matched):
        return authors
    result = []
    for family, cited_name, found in zip(cited.families, cited.names, matched, strict=True):
        if found is None:
            result.append(cited_name)
            continue
        name = authors[found[0]]
        if found[1] > 1 or fold_letters(family_name(name)) != fold_letters(family):
            given = " ".join(name.split()[: -found[1]])
            result.append(f"{family}, {given}" if given else family)
        else:
            result.append(name)
    return result
