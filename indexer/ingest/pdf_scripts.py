"""Whether a PDF carries JavaScript (issue 22): an ``/OpenAction``, a document or page action, a
form field's or link's action, or the document's ``/Names /JavaScript`` tree.

A browser's PDF viewer runs such scripts when the PDF is shown inline, from the archive's own
address. Staff are told at import and upload (a note in the report, and on the paper's page), and
the site serves such a PDF as a download only unless ``inline_scripted_pdfs`` is set.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import Any

from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from indexer.ingest.pdf_reader import PdfFileReader

log = logging.getLogger(__name__)

NOTE = (
    "the PDF holds JavaScript (it would run in a reader's browser): the site offers it as a "
    "download only"
)
_SCRIPT_KEYS = {"/JS", "/JavaScript"}
MAX_NODES = 20_000  # a hostile tree of actions is not followed for ever


def _scripted(node: Any, seen: set[int], budget: list[int]) -> bool:
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return False
        seen.add(node.idnum)
        node = node.get_object()
    budget[0] -= 1
    if budget[0] < 0:
        return False
    if isinstance(node, DictionaryObject):
        if node.get("/S") == "/JavaScript" or _SCRIPT_KEYS & set(node.keys()):
            return True
        return any(
            _scripted(node[key], seen, budget)
            for key in ("/OpenAction", "/AA", "/A", "/Next", "/Names", "/Kids", "/Annots")
            if key in node
        ) or any(_scripted(value, seen, budget) for value in node.values() if _is_action(value))
    if isinstance(node, ArrayObject):
        return any(_scripted(item, seen, budget) for item in node)
    return False


def _is_action(value: Any) -> bool:
    # The additional actions of /AA are named by event (/O, /C, /K ...): their values are
    # action dictionaries; anything else (fonts, streams) is not followed.
    try:
        target = value.get_object()
    except Exception:
        return False
    return isinstance(target, DictionaryObject) and "/S" in target


def has_javascript(path: Path) -> bool:
    """True when the PDF at ``path`` carries JavaScript anywhere a viewer would run it. A PDF
    that cannot be read is judged by its bytes (a ``/JavaScript`` or ``/JS`` name)."""
    try:
        reader = PdfFileReader(path, strict=False)
        seen: set[int] = set()
        budget = [MAX_NODES]
        if _scripted(reader.trailer["/Root"], seen, budget):
            return True
        return any(_scripted(page.get_object(), seen, budget) for page in reader.pages)
    except Exception:  # a damaged PDF: its bytes decide
        data = path.read_bytes()
        return b"/JavaScript" in data or b"/JS" in data


@functools.lru_cache(maxsize=4096)
def paper_has_javascript(paper_id: str, path: str) -> bool:
    """:func:`has_javascript` for a stored paper, remembered: the bytes behind an id (their
    SHA-256) never change."""
    return has_javascript(Path(path))
