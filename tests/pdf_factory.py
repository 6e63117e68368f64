"""Small PDFs made on the fly for tests: with chosen text and metadata, encrypted, or broken."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter


def make_pdf(
    path: Path,
    pages: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    keywords: str | None = None,
    year: int | None = None,
    heading: str | None = None,
) -> Path:
    """Write a PDF with one page per string (Helvetica, so text must be Latin-1).

    ``heading`` is set in a large font at the top of the first page, as a title would be.
    """
    pdf = FPDF()
    pdf.set_compression(False)
    if title is not None:
        pdf.set_title(title)
    if author is not None:
        pdf.set_author(author)
    if keywords is not None:
        pdf.set_keywords(keywords)
    pdf.set_creation_date(datetime(year or 2020, 6, 1, tzinfo=UTC))
    for number, text in enumerate(pages):
        pdf.add_page()
        if heading and number == 0:
            pdf.set_font("Helvetica", style="B", size=18)
            pdf.multi_cell(0, 9, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def distinct_copy(source: Path, target: Path, mark: str) -> Path:
    """Copy ``source`` to ``target`` with a comment after its ``%%EOF``: still a valid PDF with the
    same text and metadata, but other bytes, so another paper (its id is the SHA-256)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source.read_bytes() + f"\n% {mark}\n".encode())
    return target


def encrypt_pdf(source: Path, target: Path, user_password: str) -> Path:
    """A copy of ``source`` encrypted with AES-256 (empty ``user_password`` = opens freely)."""
    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-256")
    with target.open("wb") as handle:
        writer.write(handle)
    return target


def raw_pdf(path: Path, objects: list[bytes]) -> Path:
    """Write a PDF from raw object bodies (object 1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def bomb_pdf(path: Path, inflated_mb: int = 200) -> Path:
    """A one-page PDF whose content stream inflates from a few hundred KB to ``inflated_mb``."""
    import zlib

    data = zlib.compress(b"0" * (inflated_mb * 1024 * 1024), 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            stream,
        ],
    )


def looping_pdf(path: Path) -> Path:
    """A PDF whose page tree contains itself."""
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>",
        ],
    )
