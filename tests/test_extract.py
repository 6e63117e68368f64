"""Extraction: text per page, metadata, and clear reasons for PDFs that cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.extract import ExtractionError, extract_pdf

from conftest import DEMO_PAPERS
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
