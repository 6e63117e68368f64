"""Exports (library code): choosing the papers, safe names, the ZIP, the manifest, a folder."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import bibtexparser
import pytest
from file_name_safety import HOSTILE_TITLES, assert_safe_names

from archive.paper import Paper
from indexer.engine.search import QueryError
from indexer.export import (
    MANIFEST_NAME,
    REFERENCES_NAME,
    ExportError,
    ExportTooLarge,
    NoMatches,
    choose_papers,
    export_to_folder,
    file_stem,
    manifest_csv,
    unique_file_names,
    write_zip,
    zip_file_name,
    zip_stream,
)
from indexer.home import ArchiveHome


def hostile_papers(authors: list[str] | None = None, year: int | None = None) -> list[Paper]:
    """Papers whose titles try every trick a file name can play."""
    return [
        Paper(
            id=f"{n:064x}",
            title=title,
            filename="x.pdf",
            pages=1,
            size=1,
            authors=authors or [],
            year=year,
        )
        for n, title in enumerate(HOSTILE_TITLES)
    ]


@pytest.mark.parametrize("authors", [[], ["../Evil/Author"], ["A B", "C D", "E F"]])
@pytest.mark.parametrize("year", [None, 2018])
def test_hostile_titles_make_safe_unique_names(authors: list[str], year: int | None) -> None:
    """Titles such as ../../etc/passwd, CON, 1000 characters, emoji or control characters all
    give safe, distinct .pdf names."""
    names = unique_file_names(hostile_papers(authors, year))
    assert len(names) == len(HOSTILE_TITLES)
    assert all(name.endswith(".pdf") for name in names)
    assert_safe_names(names)


def test_identical_titles_are_numbered() -> None:
    """Three papers with the same name get "(2)" and "(3)", case ignored."""
    papers = hostile_papers()
    names = unique_file_names(papers)
    same = [names[i] for i, t in enumerate(HOSTILE_TITLES) if t.casefold() == "same title"]
    assert same == ["Same title.pdf", "Same title (2).pdf", "SAME TITLE (3).pdf"]


def test_readable_name() -> None:
    """A name says year, first author(s) and title."""

    def paper(authors: list[str], year: int | None) -> Paper:
        return Paper(
            id="a" * 64,
            title="Amur leopard camera traps",
            filename="x.pdf",
            pages=1,
            size=1,
            authors=authors,
            year=year,
        )

    assert file_stem(paper(["John Smith"], 2018)) == "2018 Smith - Amur leopard camera traps"
    assert (
        file_stem(paper(["J Smith", "A Lee"], 2018))
        == "2018 Smith & Lee - Amur leopard camera traps"
    )
    assert file_stem(paper(["J Smith", "A Lee", "B Ko"], None)) == (
        "Smith et al - Amur leopard camera traps"
    )
    assert file_stem(paper([], None)) == "Amur leopard camera traps"


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("amur leopard", "archive-amur-leopard.zip"),
        ('title:"Ökologie" year:2010-2018', "archive-title-okologie-year-2010-2018.zip"),
        ("../../", "archive-papers.zip"),
        ("леопард", "archive-papers.zip"),
    ],
)
def test_zip_file_name_is_a_plain_ascii_slug(query: str, name: str) -> None:
    """The ZIP's download name is ASCII letters, digits and dashes only."""
    assert zip_file_name(query) == name


# --- choosing papers and the cap ----------------------------------------------------------------


def test_choose_papers_takes_every_match_in_order(demo_home: ArchiveHome) -> None:
    """All matches, not one page of them, in relevance order, each with its stored file."""
    export = choose_papers(demo_home, "leopard")
    assert len(export.items) == 4
    for item in export.items:
        assert item.source == demo_home.library.pdf_path(item.paper.id)
        assert item.size == item.source.stat().st_size
    assert export.total_bytes == sum(item.size for item in export.items)


def test_cap_on_papers(demo_home: ArchiveHome) -> None:
    """More matches than the cap allows: a message that says how many and what to do."""
    with pytest.raises(ExportTooLarge, match=r"matches 4 papers; at most 3 can be downloaded"):
        choose_papers(demo_home, "leopard", max_papers=3)
    assert len(choose_papers(demo_home, "leopard", max_papers=4).items) == 4


def test_cap_on_bytes(demo_home: ArchiveHome) -> None:
    """Matches adding up to more bytes than allowed: a message with both sizes."""
    size = choose_papers(demo_home, "leopard").total_bytes
    with pytest.raises(ExportTooLarge, match=r"add up to .* KB; at most 1.0 KB"):
        choose_papers(demo_home, "leopard", max_bytes=1024)
    assert choose_papers(demo_home, "leopard", max_bytes=size).total_bytes == size


def test_no_matches_and_bad_queries(demo_home: ArchiveHome) -> None:
    """No match and an unusable query are errors with a message, not empty exports."""
    with pytest.raises(NoMatches, match="No papers match 'zebra'"):
        choose_papers(demo_home, "zebra")
    with pytest.raises(QueryError):
        choose_papers(demo_home, "((")


def test_paper_removed_from_library_but_not_index_is_skipped(demo_home: ArchiveHome) -> None:
    """A paper gone from the library (the source of truth) is left out, not a crash."""
    export = choose_papers(demo_home, "leopard")
    demo_home.library.remove(export.items[0].paper.id)
    assert len(choose_papers(demo_home, "leopard").items) == 3


# --- the ZIP ------------------------------------------------------------------------------------


def _give_hostile_titles(home: ArchiveHome) -> None:
    for paper, title in zip(home.library.papers(), HOSTILE_TITLES, strict=False):
        paper.title = title
        paper.authors = ["../Evil"]
        home.library.save(paper)


def test_zip_holds_the_stored_pdfs_byte_for_byte(demo_home: ArchiveHome) -> None:
    """Every PDF in the ZIP is identical to the stored file, stored uncompressed, and the ZIP's
    length is known before it is built."""
    _give_hostile_titles(demo_home)
    export = choose_papers(demo_home, "leopard")
    stream = zip_stream(export, link_for=lambda p: f"https://archive.example/papers/{p.id}")
    expected_length = len(stream)
    data = b"".join(stream)
    assert len(data) == expected_length
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[:2] == [MANIFEST_NAME, REFERENCES_NAME]
        assert names[2:] == [item.name for item in export.items]
        assert_safe_names(names[2:])
        for item in export.items:
            assert archive.read(item.name) == item.source.read_bytes()
            assert archive.getinfo(item.name).compress_type == zipfile.ZIP_STORED
        rows = list(csv.DictReader(io.StringIO(archive.read(MANIFEST_NAME).decode("utf-8-sig"))))
        bib = archive.read(REFERENCES_NAME).decode("utf-8")
    assert [row["file"] for row in rows] == names[2:]
    assert list(rows[0]) == [
        *("file", "title", "authors", "year", "doi", "pages", "link", "access", "venue")
    ]
    for row, item in zip(rows, export.items, strict=True):
        assert row["title"] == item.paper.title
        assert row["pages"] == str(item.paper.pages)
        assert row["link"] == f"https://archive.example/papers/{item.paper.id}"
    library = bibtexparser.parse_string(bib)
    assert not library.failed_blocks
    assert len(library.entries) == len(export.items)
    assert len({entry.key for entry in library.entries}) == len(export.items)


def test_manifest_defuses_spreadsheet_formulas(demo_home: ArchiveHome) -> None:
    """A title that a spreadsheet would run as a formula is written as text."""
    paper = next(demo_home.library.papers())
    paper.title = '=HYPERLINK("http://evil.example","click")'
    demo_home.library.save(paper)
    export = choose_papers(demo_home, "leopard OR tiger OR camera OR zoo")
    rows = list(csv.reader(io.StringIO(manifest_csv(export).decode("utf-8-sig"))))
    titles = [row[1] for row in rows[1:]]
    assert "'" + paper.title in titles
    assert not any(cell.startswith("=") for row in rows for cell in row)


# --- to disk ------------------------------------------------------------------------------------


def test_export_to_folder(demo_home: ArchiveHome, tmp_path: Path) -> None:
    """A folder gets the PDFs, the manifest and the references, and nothing else."""
    export = choose_papers(demo_home, "leopard")
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "out"
    seen = []
    export_to_folder(export, target, on_item=seen.append)
    assert seen == export.items
    files = sorted(path.name for path in target.iterdir())
    assert files == sorted([MANIFEST_NAME, REFERENCES_NAME, *(i.name for i in export.items)])
    for item in export.items:
        assert (target / item.name).read_bytes() == item.source.read_bytes()
    assert [p.name for p in target.parent.iterdir()] == ["out"]  # no partial folder left behind


def test_export_to_empty_folder_but_never_a_full_one(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    """An existing empty folder is filled; a folder with files in it is refused, untouched."""
    export = choose_papers(demo_home, "leopard")
    empty = tmp_path / "empty"
    empty.mkdir()
    export_to_folder(export, empty)
    assert (empty / MANIFEST_NAME).is_file()
    full = tmp_path / "full"
    full.mkdir()
    (full / "mine.txt").write_text("keep")
    with pytest.raises(ExportError, match="not empty"):
        export_to_folder(export, full)
    assert [p.name for p in full.iterdir()] == ["mine.txt"]


def test_write_zip_refuses_to_overwrite(demo_home: ArchiveHome, tmp_path: Path) -> None:
    """A ZIP is written once, complete, and never over an existing file."""
    export = choose_papers(demo_home, "leopard")
    (tmp_path / "exports").mkdir()
    target = tmp_path / "exports" / "papers.zip"
    size = write_zip(export, target)
    assert target.stat().st_size == size
    with zipfile.ZipFile(target) as archive:
        assert len(archive.namelist()) == 6
    with pytest.raises(ExportError, match="already exists"):
        write_zip(export, target)
    assert [p.name for p in target.parent.iterdir()] == ["papers.zip"]
