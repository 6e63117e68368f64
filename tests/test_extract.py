"""Extraction: text per page, metadata, and clear reasons for PDFs that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.ingest.extract import ExtractionError, extract_pdf

from conftest import CORPUS, DEMO_PAPERS
from pdf_factory import encrypt_pdf, make_pdf


def test_demo_paper_text_and_metadata() -> None:
    result = extract_pdf(DEMO_PAPERS / "amur-leopard-fact-sheet.pdf")
    assert result.title == "The Amur Leopard: A Fact Sheet"
    assert result.authors == ["Anna Petrova", "James Whitfield"]
    assert result.year == 2024
    assert "Amur leopard" in result.tags
    assert len(result.pages) == 3
    assert "Panthera pardus orientalis" in result.pages[0]
    assert result.warnings == []


def test_junk_metadata_title_is_replaced_by_the_first_page_heading(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "draft3.pdf",
        ["Body text about tracks in the snow, set in a smaller font."],
        title="Microsoft Word - draft3.doc",
        heading="Snow tracking of tigers in winter",
    )
    assert extract_pdf(pdf).title == "Snow tracking of tigers in winter"


def test_missing_title_falls_back_to_file_name(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "field-notes.pdf", ["12"])
    assert extract_pdf(pdf).title == "field-notes"


def test_doi_and_year_from_the_first_page(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "paper.pdf",
        ["Leopards of Primorye. Copyright 2015. doi:10.1234/abcd.5678"],
        year=2021,
    )
    result = extract_pdf(pdf)
    assert result.doi == "10.1234/abcd.5678"
    assert result.year == 2015


def test_empty_password_encryption_is_read(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", ["Encrypted but open leopard report"])
    locked = encrypt_pdf(plain, tmp_path / "open.pdf", user_password="")
    assert "leopard" in extract_pdf(locked).pages[0]


def test_password_protected_pdf_fails_with_reason(tmp_path: Path) -> None:
    plain = make_pdf(tmp_path / "plain.pdf", ["Secret leopard report"])
    locked = encrypt_pdf(plain, tmp_path / "locked.pdf", user_password="s3cret")
    with pytest.raises(ExtractionError, match="encrypted with a password"):
        extract_pdf(locked)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"Just some notes, not a PDF at all.\n" * 10, "not a PDF"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, "damaged beyond repair"),
        (b"<html><body>%PDF- in html</body></html>", "damaged beyond repair"),
    ],
)
def test_unreadable_files_fail_with_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(ExtractionError, match=reason):
        extract_pdf(path)


def test_truncated_pdf_keeps_what_it_can_or_fails_cleanly(tmp_path: Path) -> None:
    whole = (DEMO_PAPERS / "amur-tiger-fact-sheet.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 2])
    try:
        result = extract_pdf(path)
    except ExtractionError as error:
        assert str(error) == "damaged beyond repair"
    else:
        assert result.pages  # pypdf recovered part of it: whatever it found is kept


def corpus_file(name: str) -> Path:
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return path


def test_header_of_a_paper_fills_every_field_with_its_source() -> None:
    result = extract_pdf(
        corpus_file(
            "papermage/index-list-out-of-range-7f4e18385a30ccb00dc637d5123f894f1f862964.pdf"
        )
    )
    # The PDF says "Proceedings Template - WORD", "End User Computing Services" and 2021.
    assert result.title == (
        "SemEAGAT: A Novel Approach by Incorporating Semantic Dependency Graph in Event Detection"
    )
    assert result.authors[0] == "Yuqi Xi" and len(result.authors) == 6
    assert result.year == 2022
    assert result.doi == "10.1088/1742-6596/2188/1/012011"
    assert (result.container, result.volume, result.page_range) == (
        "Journal of Physics: Conference Series",
        "2188",
        "012011",
    )
    assert result.abstract.startswith("Event detection (ED) is a task")
    assert result.sources == {
        "title": "first-page",
        "authors": "first-page",
        "year": "first-page",
        "doi": "first-page",
        "container": "first-page",
        "volume": "first-page",
        "page_range": "first-page",
        "publisher": "first-page",
        "abstract": "first-page",
    }
    paper = result.paper("x" * 64, "p.pdf", 1)
    assert paper.container == "Journal of Physics: Conference Series"
    assert paper.sources["title"] == "first-page"


def test_a_plausible_pdf_title_stays_unless_the_page_prints_a_longer_one() -> None:
    s2orc = extract_pdf(corpus_file("papermage/2020.acl-main.447.pdf"))
    assert s2orc.title == "S2ORC: The Semantic Scholar Open Research Corpus"
    assert s2orc.sources["title"] == "first-page"  # the page prints the same title
    geotopo = extract_pdf(corpus_file("sample-files/GeoTopo-komprimiert.pdf"))
    assert geotopo.title == "Einführung in die Geometrie und Topologie"  # PDF: the last three
    guide = extract_pdf(corpus_file("unstructured/interface-config-guide-p93.pdf"))
    assert (guide.title, guide.sources["title"]) == ("Interface Configuration Guide", "pdf-info")


def test_printed_year_beats_the_pdf_dates_and_an_arxiv_file_name_beats_them_too() -> None:
    stamped = extract_pdf(corpus_file("unstructured/layout-parser-paper-with-empty-pages.pdf"))
    assert (stamped.year, stamped.sources["year"]) == (2021, "first-page")  # PDF made in 2023
    inner = extract_pdf(corpus_file("papermage/1903.10676.pdf"))
    assert (inner.year, inner.sources["year"]) == (2019, "filename")  # PDF made in 2021
    assert (inner.title, inner.sources["title"]) == ("1903.10676", "filename")


def test_placeholder_author_is_dropped_and_real_info_authors_kept(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "memo.pdf", ["A short memo about fences."], author="anonymous")
    assert extract_pdf(pdf).authors == []
    pdf = make_pdf(tmp_path / "notes.pdf", ["Field notes from the reserve."], author="Anna Petrova")
    result = extract_pdf(pdf)
    assert (result.authors, result.sources["authors"]) == (["Anna Petrova"], "pdf-info")


def test_demo_fact_sheet_keeps_its_byline_and_year() -> None:
    result = extract_pdf(DEMO_PAPERS / "zoo-reintroduction-report.pdf")
    assert result.title == "Reintroduction from Zoo Populations: Lessons for the Amur Leopard"
    assert result.authors == ["Helen Carter", "Mart Tamm", "Anna Petrova"]
    assert result.year == 2020
    assert result.abstract.startswith("This report asks whether leopards bred in zoos")
