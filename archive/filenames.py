"""File names as people see them: the name a paper is known by, shown on pages and offered as
its download name, never used as a path (papers are stored under their content hash).

Names arrive from web uploads, files on disk and zip members, and any of them may hold what has
no place in a name shown to people or sent in a header: folders, newlines and other control
characters (a newline in ``Content-Disposition`` makes the server refuse to answer), invisible
formatting such as a right-to-left override (which makes "exe.pdf" look like "fdp.exe"), double
quotes (which end the quoted ``filename`` of a header early in lax parsers), bytes that are not
text. :func:`clean_filename` takes all of that out; it is idempotent, so a name cleaned once is
left as it is, and a name stored before the cleaning existed is made safe when it is served.
"""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

MAX_NAME = 200
# Control characters, invisible formatting (bidi overrides, zero-width joiners), line and
# paragraph separators: each becomes a space.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# A lone surrogate is a byte of a file name that was not UTF-8 (Python's surrogateescape): it
# cannot be written as text anywhere, so it is shown as the replacement character.
_NOT_TEXT = "Cs"


def _visible(char: str) -> str:
    category = unicodedata.category(char)
    if category in _HIDDEN_CATEGORIES:
        return " "
    if category == _NOT_TEXT:
        return "\ufffd"
    return "'" if char == '"' else char


def shown_filename(raw: str | None, fallback: str = "upload") -> str:
    """A file's own name, cleaned as :func:`clean_filename` cleans it but with no ``.pdf``
    added: for messages about a file that was refused (``notes.txt``, not ``notes.txt.pdf``)."""
    name = unicodedata.normalize("NFC", "".join(_visible(char) for char in raw or ""))
    name = PureWindowsPath(PurePosixPath(name.replace("\\", "/")).name).name
    name = " ".join(name.split()).strip(". ")
    return name[:MAX_NAME] or fallback


def clean_filename(raw: str | None, fallback: str = "paper.pdf") -> str:
    """The name to keep and show for a file called ``raw``: its last path part (either slash),
    hidden characters as spaces, runs of spaces as one, double quotes as single ones, at most
    :data:`MAX_NAME` characters, ending in ``.pdf``; ``fallback`` when nothing is left."""
    name = shown_filename(raw, "")
    if not name:
        name = fallback
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    if len(name) > MAX_NAME:
        name = name[: MAX_NAME - 4].rstrip() + ".pdf"
    return name


def printable(text: str) -> str:
    """``text`` (a path from disk, say) safe to print on a terminal: control characters,
    invisible formatting and bytes that are not text written as escapes (``\\x1b``, ``\\n``),
    so a file name cannot move the cursor, colour the screen or hide what it is."""
    shown = []
    for char in text:
        category = unicodedata.category(char)
        if category in _HIDDEN_CATEGORIES:
            shown.append(repr(char)[1:-1] if char.isascii() else f"\\u{ord(char):04x}")
        elif category == _NOT_TEXT:
            shown.append(f"\\x{ord(char) - 0xDC00:02x}")  # the byte surrogateescape kept
        else:
            shown.append(char)
    return "".join(shown)
