"""The library folder: content-addressed, atomic, and never built from user input."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from archive.library import AmbiguousId, Library, PaperNotFound, file_sha256
from archive.paper import Paper

from conftest import DEMO_PAPERS


def _paper(source: Path) -> Paper:
    return Paper(
        id=file_sha256(source),
        title="The Amur Leopard",
        filename=source.name,
        pages=3,
        size=source.stat().st_size,
    )


def test_add_stores_pdf_sidecar_and_text(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    source = DEMO_PAPERS / "amur-leopard-fact-sheet.pdf"
    paper = _paper(source)
    assert library.add(source, paper, ["one", "two", "three"])
    assert paper.id in library
    assert library.pdf_path(paper.id).read_bytes() == source.read_bytes()
    assert library.get(paper.id) == paper
    assert library.page_texts(paper.id) == ["one", "two", "three"]
    assert list(library.ids()) == [paper.id]
    # Nothing is left over in the work area.
    assert not any((tmp_path / "lib" / "tmp").iterdir())


def test_same_bytes_are_stored_once(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    source = DEMO_PAPERS / "amur-leopard-fact-sheet.pdf"
    assert library.add(source, _paper(source), ["x"])
    assert not library.add(source, _paper(source), ["x"])
    assert len(list(library.ids())) == 1


def test_remove_and_save(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    source = DEMO_PAPERS / "amur-tiger-fact-sheet.pdf"
    paper = _paper(source)
    library.add(source, paper, ["x"])
    paper.title = "Edited"
    library.save(paper)
    assert library.get(paper.id).title == "Edited"
    library.remove(paper.id)
    assert paper.id not in library
    with pytest.raises(PaperNotFound):
        library.get(paper.id)
    with pytest.raises(PaperNotFound):
        library.remove(paper.id)


def test_debris_of_an_interrupted_add_is_ignored_and_replaced(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    source = DEMO_PAPERS / "snow-leopard-fact-sheet.pdf"
    paper = _paper(source)
    # A folder with a PDF but no sidecar: what a crash before the final rename cannot leave,
    # but an older version or a hand copy might.
    debris = tmp_path / "lib" / paper.id[:2] / paper.id
    debris.mkdir(parents=True)
    (debris / "paper.pdf").write_bytes(b"half")
    assert paper.id not in library
    assert list(library.ids()) == []
    assert library.add(source, paper, ["x"])
    assert library.pdf_path(paper.id).read_bytes() == source.read_bytes()


@pytest.mark.parametrize(
    "bad_id", ["../../etc/passwd", "..", "", "ABCDEF" * 10 + "ABCD", "z" * 64, "a" * 63]
)
def test_ids_never_become_paths(tmp_path: Path, bad_id: str) -> None:
    library = Library(tmp_path / "lib")
    with pytest.raises(PaperNotFound):
        library.get(bad_id)
    with pytest.raises(PaperNotFound):
        library.pdf_path(bad_id)
    assert bad_id not in library


def test_resolve_short_ids(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    ids = []
    for source in sorted(DEMO_PAPERS.glob("*.pdf")):
        paper = _paper(source)
        library.add(source, paper, ["x"])
        ids.append(paper.id)
    assert library.resolve(ids[0][:8]) == ids[0]
    assert library.resolve(ids[0].upper()) == ids[0]
    with pytest.raises(PaperNotFound):
        library.resolve(ids[0][:5])  # too short to be safe
    with pytest.raises(PaperNotFound):
        library.resolve("0" * 64)


def test_ambiguous_short_id(tmp_path: Path) -> None:
    library = Library(tmp_path / "lib")
    for suffix in ("1", "2"):
        folder = tmp_path / "lib" / "ab" / ("abcdef" + suffix * 58)
        folder.mkdir(parents=True)
        (folder / "paper.json").write_text("{}")
    with pytest.raises(AmbiguousId):
        library.resolve("abcdef")


def test_a_staged_paper_is_added_whole_and_unadded_stages_are_discarded(tmp_path: Path) -> None:
    # An import's workers stage papers (PDF, text, thumbnail) for its storing process, which
    # writes the sidecar and names the folder; what it never adds is discarded at its end.
    library = Library(tmp_path / "lib")
    source = DEMO_PAPERS / "amur-leopard-fact-sheet.pdf"
    paper = _paper(source)
    work = library.stage(source, ["one"], {"thumbnail.webp": b"RIFF"}, owner=4242)
    assert paper.id not in library  # no sidecar yet: not a paper
    assert library.add_staged(work, paper)
    assert library.get(paper.id) == paper
    assert library.page_texts(paper.id) == ["one"]
    assert library.derived_path(paper.id, "thumbnail.webp").read_bytes() == b"RIFF"
    assert not work.exists()

    again = library.stage(source, ["one"], owner=4242)
    assert not library.add_staged(again, paper)  # the same bytes, stored already
    assert not again.exists()

    left = library.stage(DEMO_PAPERS / "amur-tiger-fact-sheet.pdf", ["x"], owner=4242)
    other = library.stage(DEMO_PAPERS / "amur-tiger-fact-sheet.pdf", ["x"], owner=4343)
    library.discard_staged(4242)
    assert not left.exists()
    assert other.exists()  # another import's, still running


def test_papers_staged_unflushed_are_flushed_together_or_one_file_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An import's workers stage papers without flushing them; its storing process flushes a
    # batch of them at once before adding them, or each file on its own where it cannot.
    import archive.library

    library = Library(tmp_path / "lib")
    leopard, tiger = (DEMO_PAPERS / f"amur-{name}-fact-sheet.pdf" for name in ("leopard", "tiger"))
    flushed: list[str] = []
    real_sync = archive.library._sync

    def count(handle):  # type: ignore[no-untyped-def]
        flushed.append(Path(handle.name).name)
        real_sync(handle)

    monkeypatch.setattr(archive.library, "_sync", count)
    one = library.stage(leopard, ["one"], owner=4242, paper=_paper(leopard), sync=False)
    two = library.stage(tiger, ["two"], {"thumbnail.webp": b"RIFF"}, owner=4242, sync=False)
    assert flushed == []
    assert library.sync_staged([one, two]) == {}
    assert flushed == []  # one flush of the file system, no file's own

    def unavailable(directory):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSYS, "syncfs is not available")

    monkeypatch.setattr(archive.library, "_sync_file_system", unavailable)
    assert library.sync_staged([one, two]) == {}
    assert sorted(flushed) == sorted(
        ["paper.pdf", "text.json", "paper.json", "paper.pdf", "text.json", "thumbnail.webp"]
    )

    def full(handle):  # type: ignore[no-untyped-def]
        if handle.name.endswith("thumbnail.webp"):  # only the second paper has one
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(archive.library, "_sync", full)
    failed = library.sync_staged([one, two])
    assert list(failed) == [two] and failed[two].errno == errno.ENOSPC
    assert library.add_staged(one, _paper(leopard), sidecar_staged=True)


def test_a_staged_sidecar_is_kept_or_replaced_and_the_renames_synced_later(
    tmp_path: Path,
) -> None:
    # A worker stages the sidecar as it read the paper; the storing process keeps it when
    # nothing changed the paper since, and writes the paper as it stands otherwise.
    library = Library(tmp_path / "lib")
    leopard, tiger = (DEMO_PAPERS / f"amur-{name}-fact-sheet.pdf" for name in ("leopard", "tiger"))
    as_read = _paper(leopard)
    work = library.stage(leopard, ["one"], owner=4242, paper=as_read)
    assert as_read.id not in library  # staged, not yet a paper
    assert library.add_staged(work, as_read, sidecar_staged=True, sync=False)
    assert library.get(as_read.id) == as_read

    as_read = _paper(tiger)
    work = library.stage(tiger, ["two"], owner=4242, paper=as_read)
    curated = _paper(tiger)
    curated.title = "A curator's title"
    assert library.add_staged(work, curated, sidecar_staged=False, sync=False)
    assert library.get(curated.id).title == "A curator's title"
    library.sync_added([as_read.id, curated.id])
    assert sorted(library.ids()) == sorted([_paper(leopard).id, curated.id])
