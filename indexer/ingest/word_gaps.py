"""Words that pypdf runs together, and the gaps between them read again.

Many publishers' PDFs draw no space between words: each line is one ``TJ`` array whose numbers
move the pen on by about a fifth of an em between words ("Pandemic" -191 "programming").
pypdf counts such a move as a space when it is wider than half the font's space. A subset font
that holds no space glyph often lists a filler width (500 units, half an em) where the space's
would be, so no gap counts and a whole page comes out as "Fluctuationdomainsinadaptiveevolution":
no word on it can be found by search, and no title or name read from it.

:func:`runs_together` tells such a page by its text; :func:`trust_word_gaps` takes the filler
widths out of the page's fonts, in the reader's memory only, so that pypdf falls back to its
default space (a fifth of an em) and reads the page's gaps as spaces the next time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pypdf import PageObject
from pypdf.generic import DictionaryObject, NumberObject

# A run of this many letters is no word of any language the archive holds (German compounds
# stop short of it far more often than not). Tried only where a run starts: the check runs on
# every page, and 0.1 ms of a page's 25 ms is enough.
_RUN_TOGETHER = re.compile(r"(?<![^\W\d_])[^\W\d_]{20,}")
# A space glyph as wide as this (in thousandths of an em) is a subset font's filler width:
# a real space is a fifth to a third of an em; a monospaced font's, drawn as a character,
# never needs the gaps read.
_FILLER_SPACE = 350


def long_runs(text: str) -> int:
    """How many runs of letters in ``text`` are too long to be one word."""
    return len(_RUN_TOGETHER.findall(text))


def runs_together(text: str) -> bool:
    """True for a page where words run together: three runs of letters or more too long to be
    words (a title and a byline are enough; the abstract may be set in a font with spaces)."""
    return long_runs(text) >= 3


def respaced(stored: str, fresh: str) -> str:
    """``fresh`` (the page read again) where it is ``stored`` with its words apart: the same
    letters, near enough, and fewer runs of them too long to be words; else ``stored`` (which
    may be OCR text, which reading the PDF again does not give back)."""
    if not runs_together(stored) or long_runs(fresh) >= long_runs(stored):
        return stored
    letters = sum(char.isalpha() for char in stored)
    return (
        fresh if abs(sum(char.isalpha() for char in fresh) - letters) <= letters // 20 else stored
    )


def trust_word_gaps(page: PageObject) -> bool:
    """Take the filler space widths out of the simple fonts ``page`` draws with (its own and
    its forms', in memory, never written), so that pypdf reads the gaps between words as
    spaces; False when no font had one."""
    changed = False
    for font in _fonts(page.get("/Resources")):
        widths, first = font.get("/Widths"), font.get("/FirstChar")
        if widths is None or first is None:
            continue  # a composite font (/W arrays) or a standard one: its spaces are real
        widths = widths.get_object()
        space = 32 - int(first)
        if 0 <= space < len(widths) and float(widths[space]) >= _FILLER_SPACE:
            widths[space] = NumberObject(0)
            changed = True
    return changed


def _fonts(resources: Any, depth: int = 0) -> Iterator[DictionaryObject]:
    # A page stamped by a repository draws the original page as a form, with its fonts.
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject) or depth > 2:
        return
    fonts = resources.get("/Font")
    if fonts is not None:
        for font in fonts.get_object().values():
            if isinstance(font := font.get_object(), DictionaryObject):
                yield font
    forms = resources.get("/XObject")
    for form in forms.get_object().values() if forms is not None else ():
        form = form.get_object()
        if isinstance(form, DictionaryObject) and form.get("/Subtype") == "/Form":
            yield from _fonts(form.get("/Resources"), depth + 1)
