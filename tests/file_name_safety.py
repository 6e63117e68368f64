"""File names made from papers' titles, shared by the export and web download tests: the
titles that try every trick a file name can play, and what a name made from them must be.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from indexer.export import MANIFEST_NAME, REFERENCES_NAME

HOSTILE_TITLES = [
    "../../etc/passwd",
    "..\\..\\Windows\\system32",
    "/absolute/path",
    "C:\\boot.ini",
    "CON",
    "con.txt",
    "NUL ",
    "LPT1",
    "x" * 1000,
    "é" * 300,
    "Тигр амурский 東北虎 🐅",
    "Same title",
    "Same title",
    "SAME TITLE",
    "",
    "   ...   ",
    ".hidden",
    "\x00\x1b[31mred\x07",
    "evil\u202eftp.exe",
    "line\nbreak\ttab",
    'a<b>c:d"e|f?g*h',
    "manifest",
]


def assert_safe_names(names: list[str]) -> None:
    """Names that cannot escape a folder, hide, clash or upset a file system."""
    assert len({name.casefold() for name in names}) == len(names), "duplicate names"
    for name in names:
        assert "/" not in name and "\\" not in name, name
        assert ".." not in name, name
        assert not name.startswith((".", " ")), name
        assert ":" not in name, name
        assert len(name.encode("utf-8")) <= 200, name
        assert all(not unicodedata.category(c).startswith("C") for c in name), repr(name)
        assert not Path(name).is_absolute()
        stem = name.rsplit(".", 1)[0].split(".")[0].strip().upper()
        assert stem not in {"CON", "PRN", "AUX", "NUL", "LPT1", "COM1"}, name
        assert name not in {MANIFEST_NAME, REFERENCES_NAME}
