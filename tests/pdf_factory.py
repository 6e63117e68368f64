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
    return one_page_pdf(path, data, b"/Filter /FlateDecode")


def one_page_pdf(path: Path, contents: bytes, filters: bytes = b"", fonts: bytes = b"") -> Path:
    """A PDF of one page drawn by ``contents`` (encoded by ``filters``, a stream's entries)
    with ``fonts``, the entries of its /Font resources ("/F1 << /Type /Font ... >>")."""
    stream = b"<< /Length %d %s >>\nstream\n" % (len(contents), filters) + contents
    resources = b" /Resources << /Font << %s >> >>" % fonts if fonts else b""
    return raw_pdf(
        path,
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R%s >>"
            % resources,
            stream + b"\nendstream",
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


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n" % (dictionary, len(data)) + data + b"\nendstream"


def _xref_stream(entries: dict[int, tuple[int, int, int]], extra: bytes) -> bytes:
    """An uncompressed cross-reference stream (PDF 1.5) for ``entries`` (number -> type, field
    two, field three), listed in runs of consecutive numbers."""
    numbers = sorted(entries)
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    index = b" ".join(b"%d %d" % (run[0], len(run)) for run in runs)
    data = b"".join(
        bytes([entries[n][0]]) + entries[n][1].to_bytes(4, "big") + entries[n][2].to_bytes(2, "big")
        for n in numbers
    )
    return _stream(b"/Type /XRef /W [1 4 2] /Index [%s] %s" % (index, extra), data)


def object_stream_pdf(
    path: Path, text: str, *, fillers: int = 0, count: int | None = None, update: str | None = None
) -> Path:
    """A one-page PDF 1.5 whose catalog, page tree, page, font and ``fillers`` other small
    dictionaries sit in one object stream, found through a cross-reference stream.

    ``count`` writes another /N than the stream holds (a damaged header); ``update`` appends an
    incremental update that replaces the page, out of the stream, by one printing ``update``.
    """
    packed = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + [b"<< /Filler %d /Name (object %d) >>" % (n, n) for n in range(fillers)]
    numbers = [1, 2, 3, 4, *range(7, 7 + fillers)]
    header, body = bytearray(), bytearray()
    for number, value in zip(numbers, packed, strict=True):
        header += b"%d %d " % (number, len(body))
        body += value + b"\n"
    entries = {0: (0, 0, 65535)} | {n: (2, 6, i) for i, n in enumerate(numbers)}
    out = bytearray(b"%PDF-1.5\n")

    def add(number: int, value: bytes) -> None:
        entries[number] = (1, len(out), 0)
        out.extend(b"%d 0 obj\n" % number + value + b"\nendobj\n")

    add(5, _stream(b"", b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text.encode("latin-1")))
    stream = _stream(
        b"/Type /ObjStm /N %d /First %d" % (count or len(packed), len(header)), header + body
    )
    add(6, stream)
    size = 7 + fillers
    first_xref = len(out)
    entries[size] = (1, first_xref, 0)
    out += b"%d 0 obj\n" % size + _xref_stream(entries, b"/Size %d /Root 1 0 R" % (size + 1))
    out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % first_xref
    if update is not None:
        entries = {}
        add(size + 1, _stream(b"", b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % update.encode("latin-1")))
        add(
            3,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 4 0 R >> >> /Contents %d 0 R >>" % (size + 1),
        )
        second_xref = len(out)
        entries[size + 2] = (1, second_xref, 0)
        extra = b"/Size %d /Root 1 0 R /Prev %d" % (size + 3, first_xref)
        out += b"%d 0 obj\n" % (size + 2) + _xref_stream(entries, extra)
        out += b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % second_xref
    path.write_bytes(bytes(out))
    return path


def cp1251_font_pdf(path: Path, lines: list[tuple[float, str]]) -> Path:
    """A one-page PDF whose lines of (size, Russian text) are drawn in cp1251 bytes with a
    font that declares WinAnsi and no Unicode map, as LaTeX's T2A fonts come out: pypdf reads
    "Êóçíåöîâà" for "Кузнецова"."""
    shown = b"".join(
        b"BT /F1 %d Tf 72 %d Td (%s) Tj ET\n" % (size, 720 - 30 * i, text.encode("cp1251"))
        for i, (size, text) in enumerate(lines)
    )
    return one_page_pdf(
        path,
        shown,
        fonts=b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Times-Roman "
        b"/Encoding /WinAnsiEncoding >>",
    )
