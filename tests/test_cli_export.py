"""``archive export QUERY (--zip FILE | --to DIR)``."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import main
from indexer.home import ArchiveHome


def run(home: ArchiveHome, *args: str) -> tuple[int, str]:
    """Run ``archive --home HOME export ...``; the exit code and everything printed."""
    result = CliRunner().invoke(main, ["--home", str(home.root), "export", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def stored(home: ArchiveHome) -> dict[str, bytes]:
    """The stored PDFs' bytes by paper title."""
    return {p.title: home.library.pdf_path(p.id).read_bytes() for p in home.library.papers()}


def test_export_to_a_zip(demo_home: ArchiveHome, tmp_path: Path) -> None:
    """--zip writes the matching PDFs, byte for byte, with a manifest linking each page."""
    target = tmp_path / "leopards.zip"
    code, output = run(
        demo_home, "leopard", "--zip", str(target), "--base-url", "https://p.example/"
    )
    assert code == 0, output
    assert "Wrote 4 papers" in output
    pdfs = stored(demo_home)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig"))))
        assert len(rows) == 4
        for row in rows:
            assert archive.read(row["file"]) == pdfs[row["title"]]
            assert row["link"].startswith("https://p.example/papers/")
        assert "references.bib" in archive.namelist()


def test_export_to_a_folder(demo_home: ArchiveHome, tmp_path: Path) -> None:
    """--to copies the PDFs, manifest.csv and references.bib into a new folder."""
    target = tmp_path / "out"
    code, output = run(demo_home, "amur leopard", "--to", str(target), "--sort", "newest")
    assert code == 0, output
    assert "Copied 3 papers" in output
    names = sorted(p.name for p in target.iterdir())
    assert len(names) == 5
    rows = list(csv.DictReader(io.StringIO((target / "manifest.csv").read_text("utf-8-sig"))))
    pdfs = stored(demo_home)
    years = [int(row["year"]) for row in rows]
    assert years == sorted(years, reverse=True)
    for row in rows:
        assert (target / row["file"]).read_bytes() == pdfs[row["title"]]
        assert row["link"] == ""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["leopard"], 2, "Give exactly one of --zip FILE or --to DIR"),
        (["leopard", "--zip", "{tmp}/a.zip", "--to", "{tmp}/d"], 2, "Give exactly one"),
        (["zebra", "--zip", "{tmp}/a.zip"], 1, "No papers match 'zebra'"),
        (["((", "--zip", "{tmp}/a.zip"], 1, "nothing to search for"),
        (["leopard", "--zip", "{tmp}/a.zip", "--max-papers", "3"], 1, "at most 3 can be"),
        (["leopard", "--zip", "{tmp}/a.zip", "--max-size", "10k"], 1, "--max-size"),
        (["leopard", "--zip", "{tmp}/a.zip", "--max-size", "lots"], 2, "not a size"),
        (["leopard", "--zip", "{tmp}/no/such/dir/a.zip"], 1, "does not exist"),
    ],
)
def test_export_errors_speak_to_a_person(
    demo_home: ArchiveHome, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    """Usage mistakes exit 2, impossible exports exit 1, each with a sentence saying why, and
    nothing is written."""
    before = sorted(tmp_path.iterdir())
    got, output = run(demo_home, *(arg.format(tmp=tmp_path) for arg in args))
    assert got == code, output
    assert message in output
    assert sorted(tmp_path.iterdir()) == before


def test_export_never_overwrites(demo_home: ArchiveHome, tmp_path: Path) -> None:
    """An existing ZIP file or a folder with files in it is left alone (exit 1)."""
    existing = tmp_path / "there.zip"
    existing.write_bytes(b"mine")
    code, output = run(demo_home, "leopard", "--zip", str(existing))
    assert code == 1
    assert "already exists" in output
    assert existing.read_bytes() == b"mine"
    full = tmp_path / "full"
    full.mkdir()
    (full / "notes.txt").write_text("mine")
    code, output = run(demo_home, "leopard", "--to", str(full))
    assert code == 1
    assert "is not empty" in output
    assert [p.name for p in full.iterdir()] == ["notes.txt"]
