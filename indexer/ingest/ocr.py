"""Making scanned pages searchable with OCRmyPDF and Tesseract (both optional).

Only the text is kept: OCRmyPDF writes a searchable copy of the PDF to a temporary file, the
text of the scanned pages is read from it, and the copy is deleted. The paper's PDF stays
byte for byte what the curator imported (its id is the hash of those bytes).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from pypdf import PdfReader

from indexer.normalize import normalize_text

log = logging.getLogger(__name__)

# A page with less text than this is taken for a scan (a lone page number is not a text layer).
MIN_TEXT_CHARS = 20
# OCR costs seconds a page; a huge scanned book gets its first pages now and says so.
MAX_OCR_PAGES = 60
# Tesseract may spend this long on one page before OCRmyPDF gives up on it.
TESSERACT_TIMEOUT_S = 120


# The charity's scans are in English and Russian; each language needs its Tesseract data
# (apt-get install tesseract-ocr-rus). The ocr_languages setting chooses others.
DEFAULT_LANGUAGES = "eng+rus"


class OcrError(Exception):
    """OCR could not run on a file; ``str(error)`` says why, for a curator."""


def ocr_available() -> bool:
    """True when both OCRmyPDF (Python) and Tesseract (the program) are installed."""
    has_python_package = importlib.util.find_spec("ocrmypdf") is not None
    return has_python_package and shutil.which("tesseract") is not None


@functools.cache
def installed_languages() -> frozenset[str]:
    """The languages whose Tesseract data is installed (asked once per process)."""
    try:
        done = subprocess.run(
            ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("tesseract --list-langs failed: %r", error)
        return frozenset()
    # The first line says where the data is ("List of available languages in ..."); then one
    # language per line.
    lines = (done.stdout or "").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def usable_languages(wanted: str) -> tuple[list[str], list[str]]:
    """The languages of ``wanted`` ("eng+rus") that are installed, and those that are not."""
    languages = [code for code in dict.fromkeys(wanted.split("+")) if code]
    installed = installed_languages()
    return [c for c in languages if c in installed], [c for c in languages if c not in installed]


def missing_languages_note(wanted: str) -> str | None:
    """A sentence for the import report when some OCR languages are not installed, or None."""
    usable, missing = usable_languages(wanted)
    if not missing:
        return None
    packages = " ".join(f"tesseract-ocr-{code.replace('_', '-').lower()}" for code in missing)
    used = "+".join(usable) or "none"
    return (
        f"OCR languages not installed: {', '.join(missing)} (scans are read with {used}; "
        f"apt-get install {packages})"
    )


def pages_needing_ocr(pages: list[str]) -> list[int]:
    """The 1-based numbers of the pages to OCR: those with (almost) no text layer, when they
    are most of the paper. A born-digital paper with a few figure-only pages needs none."""
    bare = [number for number, text in enumerate(pages, 1) if len(text) < MIN_TEXT_CHARS]
    return bare if len(bare) * 2 > len(pages) else []


def ocr_pages(
    path: Path, numbers: Iterable[int], languages: str = DEFAULT_LANGUAGES
) -> dict[int, str]:
    """OCR the given pages of a PDF in ``languages`` ("eng+rus": those installed of them);
    returns their normalised text by page number."""
    import ocrmypdf  # optional dependency: only imported when OCR runs

    wanted = sorted(set(numbers))[:MAX_OCR_PAGES]
    if not wanted:
        return {}
    usable, _ = usable_languages(languages)
    if not usable:
        raise OcrError(f"no Tesseract language data for {languages} is installed")
    ocrmypdf.configure_logging(ocrmypdf.Verbosity.quiet, manage_root_logger=False)
    with tempfile.TemporaryDirectory(prefix="archive-ocr-") as work:
        output = Path(work) / "ocr.pdf"
        try:
            ocrmypdf.ocr(
                path,
                output,
                language=usable,
                pages=",".join(map(str, wanted)),
                force_ocr=True,
                output_type="pdf",
                optimize=0,
                jobs=1,
                progress_bar=False,
                tesseract_timeout=TESSERACT_TIMEOUT_S,
            )
            reader = PdfReader(output)
            return {n: normalize_text(reader.pages[n - 1].extract_text() or "") for n in wanted}
        except Exception as error:  # OCRmyPDF raises many types; none may stop an import
            log.warning("OCR failed on %s: %r", path, error)
            raise OcrError(f"OCR failed ({type(error).__name__})") from None
