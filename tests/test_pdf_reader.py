"""The reader that parses an object stream's objects one at a time: same answers as pypdf's,
a fraction of the objects parsed, and a PDF packing thousands of objects imported and found."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from indexer.cli.main import main
from indexer.ingest.pdf_reader import PdfFileReader
from tests.conftest import CORPUS
from tests.pdf_factory import object_stream_pdf


def _first_page(reader: PdfReader) -> str:
    return reader.pages[0].extract_text()


def test_a_page_is_read_without_parsing_every_object_of_its_stream(tmp_path: Path) -> None:
    pdf = object_stream_pdf(tmp_path / "packed.pdf", "Otter holts on the Tay", fillers=5000)
    plain, lazy = PdfReader(pdf, strict=False), PdfFileReader(pdf, strict=False)
    assert _first_page(lazy) == _first_page(plain) == "Otter holts on the Tay"
    # pypdf parses the whole stream at the first object asked for; this reader what the page needs.
    assert len(plain.resolved_objects) > 5000
    assert len(lazy.resolved_objects) < 20


def test_an_incremental_update_replacing_an_object_of_the_stream_wins(tmp_path: Path) -> None:
    pdf = object_stream_pdf(
        tmp_path / "updated.pdf", "First draft", fillers=50, update="Corrected survey text"
    )
    assert _first_page(PdfFileReader(pdf, strict=False)) == "Corrected survey text"


@pytest.mark.parametrize("count", [2, 99])
def test_a_damaged_stream_header_is_read_as_pypdf_reads_it(tmp_path: Path, count: int) -> None:
    pdf = object_stream_pdf(tmp_path / "damaged.pdf", "Badger setts", fillers=10, count=count)

    def outcome(reader_class: type[PdfReader]) -> str:
        try:
            return _first_page(reader_class(pdf, strict=False))
        except Exception as error:  # the type of failure is what is compared
            return type(error).__name__

    assert outcome(PdfFileReader) == outcome(PdfReader)


def test_corpus_papers_with_object_streams_read_the_same(caplog: pytest.LogCaptureFixture) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    caplog.set_level(logging.ERROR)
    compared = 0
    for pdf in sorted(CORPUS.rglob("*.pdf")):
        try:
            plain = PdfReader(pdf, strict=False)
            if plain.is_encrypted or not plain.xref_objStm:
                continue
            expected = [page.extract_text() for page in plain.pages[:1]]
        except Exception:  # files pypdf cannot read are for other tests
            continue
        lazy = PdfFileReader(pdf, strict=False)
        assert [page.extract_text() for page in lazy.pages[:1]] == expected, pdf.name
        assert lazy.metadata == plain.metadata, pdf.name
        compared += 1
    assert compared >= 10


def test_a_pdf_of_thousands_packed_objects_is_imported_and_found(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    object_stream_pdf(folder / "packed.pdf", "Pine marten survey", fillers=5000)
    home = ["--home", str(tmp_path / "home")]
    runner = CliRunner()
    imported = runner.invoke(main, [*home, "import", str(folder)])
    assert imported.exit_code == 0, imported.output
    found = runner.invoke(main, [*home, "search", "pine marten"])
    assert found.exit_code == 0, found.output
    assert "packed.pdf" in found.output
