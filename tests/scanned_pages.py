"""Scanned pages, as a scanner makes them: a PDF that is only a picture of some lines (no text
layer), drawn with Pillow (which comes with OCRmyPDF), and the Russian field report the OCR and
upload tests scan. A test module that imports this is skipped where Pillow is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

PIL = pytest.importorskip("PIL", reason="Pillow comes with OCRmyPDF")
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
REPORT_LINES = [
    "Отчёт: полевые работы, 1996 год",
    "Учёт следов амурского тигра",
    "в Приморском крае. Маршруты",
    "прошли по долине реки Бикин.",
]


def scanned_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF that is only a picture of the lines, as a scanner makes it (no text layer)."""
    image = Image.new("L", (1700, 2200), 255)  # A4-ish at 200 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 48)
    for number, line in enumerate(lines):
        draw.text((150, 200 + number * 90), line, fill=0, font=font)
    image.save(path, "PDF", resolution=200.0)
    return path
