"""Text normalisation: make the words a reader sees the words that get indexed.

PDF text arrives with presentation artefacts: ligature glyphs (the single character "ﬁ"),
words split by a hyphen at a line end ("conser-\\nvation"), soft hyphens, odd spaces and control
characters. These functions are pure: text in, text out.
"""

from __future__ import annotations

import re
import unicodedata

# A soft hyphen is only visible where a word was broken at a line end; anywhere else in
# extracted text it comes from a font that (wrongly) uses it as a space.
_SOFT_HYPHEN_LINE_END = re.compile(r"\u00ad[ \t]*\r?\n\s*")
_NON_BREAKING_HYPHEN = re.compile("[\u2010\u2011]")
# "conser-\nvation": a letter, a hyphen, a line break (with optional spaces), a word character.
_LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n\s*(?=\w)")
# "COVID-\t19", "solid- organ": a hyphen glued to a letter, then stray spaces within the line.
_SPACED_HYPHEN = re.compile(r"(?<=[^\W\d_])-[ \t]+(?=\w)")
# Control characters (except tab and newline), lone surrogates (broken font maps; they cannot
# even be written as UTF-8) and the replacement character carry no words.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")
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
