"""Text normalisation: make the words a reader sees the words that get indexed.

PDF text arrives with presentation artefacts: ligature glyphs (the single character "ﬁ"),
words split by a hyphen at a line end ("conser-\\nvation"), soft hyphens, odd spaces and control
characters. These functions are pure: text in, text out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# A soft hyphen is only visible where a word was broken at a line end; anywhere else in
# extracted text it comes from a font that (wrongly) uses it as a space.
_SOFT_HYPHEN_LINE_END = re.compile(r"\u00ad[ \t]*\r?\n\s*")
_NON_BREAKING_HYPHEN = re.compile("[\u2010\u2011]")
# "conser-\nvation": a letter, a hyphen, a line break (with optional spaces), a word character.
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n\s*(?=\w)")
# "COVID-\t19", "solid- organ": a hyphen glued to a letter, then stray spaces within the line.
_SPACED_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]+(?=\w)")
# Control characters (except tab and newline), lone surrogates (broken font maps; they cannot
# even be written as UTF-8), the private use area (a font's icons: Physics Today's title ends
# with one, U+E904) and the replacement character carry no words.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffd]")
_SPACES = re.compile(r"\s+")


def _join_line_end_hyphen(match: re.Match[str]) -> str:
    # A lowercase letter after the break means a word was split ("conser-vation"); a capital or
    # a digit means the hyphen belongs to the word ("Sikhote-Alin", "COVID-19").
    return "" if match.string[match.end()].islower() else "-"


def normalize_text(raw: str) -> str:
    """Normalise extracted PDF text into one line of clean, searchable text."""
    text = unicodedata.normalize("NFKC", raw)
    text = _SOFT_HYPHEN_LINE_END.sub("", text).replace("\u00ad", " ")
    text = _NON_BREAKING_HYPHEN.sub("-", text)
    text = _LINE_END_HYPHEN.sub(_join_line_end_hyphen, text)
    text = _SPACED_HYPHEN.sub("-", text)
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def clean_field(raw: str | None) -> str:
    """Normalise a short metadata value (a title, a name): NFKC, no controls, single spaces."""
    if not raw:
        return ""
    text = _NON_BREAKING_HYPHEN.sub("-", unicodedata.normalize("NFKC", str(raw)))
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


# Cyrillic that a PDF font's own encoding (LaTeX's T2A and other cp1251-like fonts without a
# Unicode map) hands to pypdf as Latin-1: "Êóçíåöîâà" for "Кузнецова". A word of two or more
# such letters and nothing else is never Latin-1 text (a real accented word has plain letters).
_LATIN1_OF_CP1251 = "[\u00a8\u00b8\u00c0-\u00ff]"
_CP1251_WORD = re.compile(rf"(?<![^\W\d_]){_LATIN1_OF_CP1251}{{2,}}(?![^\W\d_])")


def cyrillic_read_as_latin1(text: str) -> bool:
    """True when a page's text is Cyrillic read through the wrong encoding: three words or
    more made only of the Latin-1 letters that cp1251's Cyrillic letters share codes with,
    holding a quarter of the page's letters at least."""
    words = _CP1251_WORD.findall(text)
    if len(words) < 3:
        return False  # every page is asked: most stop here, before their letters are counted
    return sum(map(len, words)) * 4 >= sum(c.isalpha() for c in text)


def cyrillic_from_latin1(text: str) -> str:
    """``text`` with each of those Latin-1 letters read as the cp1251 letter it stands for
    ("Ìîñêâà, 2023" is "Москва, 2023"); for a page :func:`cyrillic_read_as_latin1` found."""
    return re.sub(_LATIN1_OF_CP1251, lambda m: m.group().encode("latin-1").decode("cp1251"), text)


# Ligatures that a font names by their letters and pypdf writes as the glyph's name:
# "/f_itting" is "fitting", "/f_f_i" is "ffi".
_LIGATURE_NAME = re.compile(r"/(f_f_[il]|f_[fiklt]|s_t|c_t|T_h)")


def ligature_names(text: str) -> str:
    """``text`` with ligatures written as glyph names put back as their letters; an address's
    path ("https://example.org/f_index") is left alone."""
    if "_" not in text:
        return text

    def letters(match: re.Match[str]) -> str:
        start = max(text.rfind(space, 0, match.start()) for space in " \n\t") + 1
        word = text[start : match.start()]
        if "://" in word or word.startswith("www."):
            return match.group(0)
        return match.group(1).replace("_", "")

    return _LIGATURE_NAME.sub(letters, text)


# A glyph named by its character code in the printable ASCII range ("/C79" is "O").
_PRINTABLE_CODE = r"3[2-9]|[4-9]\d|1[01]\d|12[0-6]"
_GLYPH_CODE = re.compile(rf"/C({_PRINTABLE_CODE})(?!\d)")
_GLYPH_CODE_RUN = re.compile(rf"(?:/C(?:{_PRINTABLE_CODE})(?!\d)){{3}}")


def glyph_codes_read_as_names(text: str) -> bool:
    """True when pypdf read a font it cannot map as its glyphs' names, which some typesetters
    (Blackwell's, around 2000) make from the character codes ("/C79/C110 /C116/C104/C101" for
    "On the"): three such names in a row. A lone "/C3" or "/C19" is a mark or an accent."""
    return "/C" in text and bool(_GLYPH_CODE_RUN.search(text))


def glyph_codes_as_text(text: str) -> str:
    """``text`` with each glyph name made of a printable character's code read as it."""
    return _GLYPH_CODE.sub(lambda match: chr(int(match.group(1))), text)


# What pypdf misreads in some fonts, page by page: (how to tell, how to put it right).
MISREADINGS: list[tuple[Callable[[str], bool], Callable[[str], str]]] = [
    (cyrillic_read_as_latin1, cyrillic_from_latin1),
    (lambda text: "/" in text and "_" in text, ligature_names),
    (glyph_codes_read_as_names, glyph_codes_as_text),
]


def repair_misreadings(page: str) -> str:
    """A page's text with what :data:`MISREADINGS` finds in it put right."""
    for misread, repair in MISREADINGS:
        if misread(page):
            page = repair(page)
    return page
