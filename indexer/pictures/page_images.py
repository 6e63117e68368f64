"""Pictures of a paper's pages, drawn by PDFium (pypdfium2): the first page as a thumbnail,
and any page as a preview with the query's words highlighted where they stand.

PDFium is Chrome's PDF engine, fuzzed for years against hostile files and shipped inside the
pypdfium2 wheels (nothing to install with apt). It is not thread-safe and, being C, could in
principle crash on a file: it runs only in worker processes (the import's, and the web app's
preview worker in :mod:`indexer.pictures.page_render_worker`), never in a server thread.

Thumbnails are WebP (a few KB, shown by every browser in use); previews are PNG, so that text
stays sharp and the highlight's colour is exact.
"""

from __future__ import annotations

import ctypes
import io
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from archive.library import THUMBNAIL_FAILED_NAME, THUMBNAIL_NAME
from indexer.analysis import WORD_PATTERN, fold
from indexer.engine.snippets import index_terms
from indexer.engine.thesaurus import Thesaurus, expand

log = logging.getLogger(__name__)

THUMBNAIL_WIDTH = 240  # pixels: shown at 120 CSS pixels, sharp on high-density screens
THUMBNAIL_MAX_HEIGHT = 480
THUMBNAIL_QUALITY = 60
PREVIEW_WIDTH = 1000
PREVIEW_MAX_PIXELS = 2_000_000  # a very long or wide page is drawn smaller, not larger
# Highlight: a multiply blend, so the page's ink stays black and its paper turns yellow.
HIGHLIGHT = (255, 214, 0)
HIGHLIGHT_PAD = 1.5  # pixels around a word's box
MAX_QUERY_WORDS = 20
MAX_BOXES = 500
# Query syntax that is not a word to look for on the page.
_OPERATORS = {"and", "or", "not"}
_QUERY_TOKEN = re.compile(r'-?(?:[a-z]+:)?"[^"]*"|\S+', re.IGNORECASE)
# Words are cut as the analyzer cuts them (hyphenated and dotted words whole), as snippets do.
_WORD = re.compile(WORD_PATTERN)


class RenderError(Exception):
    """A page could not be drawn; ``str(error)`` says why, for a person."""


@dataclass(frozen=True)
class WordsToMark:
    """What to highlight on a page: index terms (stemmed, folded, as the search matches them)
    and prefixes (from ``leop*``), folded."""

    terms: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)

    def matches(self, word: str) -> bool:
        """True when this word of a page is one the query found."""
        word = unicodedata.normalize("NFKC", word)
        if self.terms and index_terms(word) & self.terms:
            return True
        # Folded as the analyzers fold (the search's `leop*` matches index words folded so).
        folded = fold(word)
        return any(folded.startswith(prefix) for prefix in self.prefixes)


def words_to_mark(query: str, thesaurus: Thesaurus | None = None) -> WordsToMark:
    """The words of a search to highlight: plain words and phrases, not excluded ones
    (``-word``), operators or field names, and (with ``thesaurus``) the other names the search
    added, as the snippets mark them. The query is only ever compared with page text."""
    terms: set[str] = set()
    prefixes: list[str] = []
    count = 0
    for token in _QUERY_TOKEN.findall(query[:1000]):
        if token.startswith("-") or token.lower() in _OPERATORS:
            continue
        if token.lower().startswith(("year:", "doi:", "type:")):
            continue  # not words printed on a page
        token = re.sub(r"^[a-z]+:", "", token, flags=re.IGNORECASE)
        for word in _WORD.findall(token.strip('"')):
            if count >= MAX_QUERY_WORDS:
                break
            count += 1
            if token.rstrip('"').endswith("*") and token.rstrip('"').rstrip("*").endswith(word):
                if len(word) >= 2:
                    prefixes.append(fold(word))
            else:
                terms |= index_terms(word)
    if thesaurus is not None:
        for _typed, others in expand(query[:1000], thesaurus).added:
            for name in others:
                for word in _WORD.findall(name)[:MAX_QUERY_WORDS]:
                    terms |= index_terms(word)
    return WordsToMark(frozenset(terms), tuple(prefixes))


def _open(pdf_path: Path):  # type: ignore[no-untyped-def]
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(str(pdf_path))
    except pypdfium2.PdfiumError as error:
        raise RenderError(f"the PDF could not be opened for drawing ({error})") from None


def _encode(image, fmt: str, **options) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def render_thumbnail(pdf_path: Path) -> bytes:
    """The first page as a small WebP image; :class:`RenderError` when it cannot be drawn."""
    import pypdfium2

    document = _open(pdf_path)
    try:
        if len(document) == 0:
            raise RenderError("the PDF has no pages to draw")
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise RenderError("the first page has no size")
        scale = min(THUMBNAIL_WIDTH / width, THUMBNAIL_MAX_HEIGHT / height)
        image = page.render(scale=scale, may_draw_forms=False).to_pil().convert("RGB")
        # Method 0, quality 60: 1.4-2 ms to encode against 2.3-2.9 ms for method 2 at 70 (and
        # 6 ms for the default 4), for 5-15% more bytes and no difference to see at 120 CSS
        # pixels; for a one-page PDF the encoding was a fifth of the import's work (issue 23).
        return _encode(image, "WEBP", quality=THUMBNAIL_QUALITY, method=0)
    except pypdfium2.PdfiumError as error:
        raise RenderError(f"the first page could not be drawn ({error})") from None
    finally:
        document.close()


def thumbnail_files(pdf_path: Path) -> tuple[dict[str, bytes], str | None]:
    """The derived files of a paper's thumbnail, and a note when it could not be drawn.

    Never raises: a page PDFium cannot draw gets a placeholder (the note is kept in the
    paper's folder as :data:`THUMBNAIL_FAILED_NAME`), never a failed import.
    """
    try:
        return {THUMBNAIL_NAME: render_thumbnail(pdf_path)}, None
    except RenderError as error:
        reason = str(error)
    except MemoryError:
        reason = "the first page is too large to draw"
    except Exception as error:  # a surprise in PDFium or Pillow must not fail the import
        log.exception("thumbnail of %s", pdf_path)
        reason = f"the first page could not be drawn ({type(error).__name__})"
    note = f"no thumbnail: {reason}; a placeholder is shown"
    return {THUMBNAIL_FAILED_NAME: note.encode("utf-8")}, note


def page_count(pdf_path: Path) -> int:
    """How many pages PDFium sees in a PDF."""
    document = _open(pdf_path)
    try:
        return len(document)
    finally:
        document.close()


def render_preview(pdf_path: Path, number: int, words: WordsToMark) -> tuple[bytes, int]:
    """Page ``number`` (1-based) as a PNG with ``words`` highlighted, and how many words were
    marked; :class:`RenderError` when it cannot be drawn."""
    import pypdfium2
    from PIL import ImageChops

    document = _open(pdf_path)
    try:
        if not 1 <= number <= len(document):
            raise RenderError(f"the PDF has no page {number}")
        page = document[number - 1]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise RenderError(f"page {number} has no size")
        scale = min(PREVIEW_WIDTH / width, (PREVIEW_MAX_PIXELS / (width * height)) ** 0.5)
        bitmap = page.render(scale=scale, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        boxes = list(_word_boxes(page, words, image.size)) if words else []
        for left, top, right, bottom in boxes:
            region = (
                max(0, int(left - HIGHLIGHT_PAD)),
                max(0, int(top - HIGHLIGHT_PAD)),
                min(image.width, int(right + HIGHLIGHT_PAD) + 1),
                min(image.height, int(bottom + HIGHLIGHT_PAD) + 1),
            )
            if region[2] <= region[0] or region[3] <= region[1]:
                continue
            crop = image.crop(region)
            tint = crop.copy()
            tint.paste(HIGHLIGHT, (0, 0, *crop.size))
            image.paste(ImageChops.multiply(crop, tint), region[:2])
        return _encode(image, "PNG", compress_level=3), len(boxes)
    except pypdfium2.PdfiumError as error:
        raise RenderError(f"page {number} could not be drawn ({error})") from None
    finally:
        document.close()


def _word_boxes(  # type: ignore[no-untyped-def]
    page, words: WordsToMark, size: tuple[int, int]
) -> Iterable[tuple[float, float, float, float]]:
    """Device-pixel boxes (left, top, right, bottom) of the page's words that ``words`` marks.

    The page's text comes from PDFium's text page, so each character index has a position;
    words are cut and compared as the snippets do (stemmed, folded), then each word's text
    rectangles are mapped to the rendered bitmap with PDFium's own page-to-device transform
    (which honours rotation and crop boxes).
    """
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return
        text = textpage.get_text_range(0, count)
        if len(text) != count:
            # Characters outside the BMP take two UTF-16 units; map by single characters.
            text = "".join(_char(textpage, index) for index in range(count))
        found = 0
        for match in _WORD.finditer(text):
            if not words.matches(match.group()):
                continue
            rects = textpage.count_rects(match.start(), match.end() - match.start())
            for rect in range(rects):
                left, bottom, right, top = textpage.get_rect(rect)
                x1, y1 = _to_device(pdfium_c, page, size, left, top)
                x2, y2 = _to_device(pdfium_c, page, size, right, bottom)
                yield min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
                found += 1
                if found >= MAX_BOXES:
                    return
    finally:
        textpage.close()


def _char(textpage, index: int) -> str:  # type: ignore[no-untyped-def]
    piece = textpage.get_text_range(index, 1)
    return piece[:1] or " "


def _to_device(pdfium_c, page, size, x: float, y: float) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    device_x, device_y = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDF_PageToDevice(
        page, 0, 0, size[0], size[1], 0, x, y, ctypes.byref(device_x), ctypes.byref(device_y)
    )
    return device_x.value, device_y.value
