"""A small PDF whose one page PDFium takes seconds to draw: the preview flood's page (issue 22).

A few lines of text (so it imports and is found) over tens of thousands of filled triangles in a
compressed content stream: ~160 KB that take ~3.5 s to draw at preview size per 20,000 shapes.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from benchmarks.pdf_files import pdf_from_objects


def slow_page_pdf(path: Path, shapes: int = 20_000, words: str = "Quokka survey") -> Path:
    """Write the PDF to ``path`` (``words`` in Helvetica, Latin-1) and return ``path``."""
    text = words.encode("latin-1")
    ops = b"BT /F1 24 Tf 72 720 Td (" + text + b") Tj ET\nq 0.9 g\n"
    ops += b"".join(
        b"%d %d m %d %d l %d %d l h f\n"
        % (i % 600, i % 800, (i * 7) % 600, (i * 3) % 800, (i * 5) % 600, (i * 11) % 800)
        for i in range(shapes)
    )
    stream = zlib.compress(ops + b"Q\n")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    path.write_bytes(pdf_from_objects(objects))
    return path
