"""Homes as an earlier version left them: a paper whose stored text that version kept as pypdf
misread it, with a curator's tag given since, for the tests of `archive refresh-metadata`.

Shared by the tests of each misreading (Russian as Latin-1, ligatures as glyph names, words run
together), so that no test module imports another."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from archive.paper import Paper
from indexer.cli.main import main
from indexer.home import ArchiveHome


def home_that_kept(
    tmp_path: Path,
    folder: Path,
    kept: Callable[[list[str]], list[str]],
    tag: str,
    title: Callable[[list[str]], str] | None = None,
) -> tuple[ArchiveHome, Paper]:
    """A home with the one paper of ``folder`` imported through the CLI, whose stored pages
    are then ``kept(pages)`` (and its title ``title(kept pages)`` when given), tagged ``tag``
    by a curator, its index rebuilt from that."""
    home = ArchiveHome.at(tmp_path / "home")
    imported = CliRunner().invoke(main, ["--home", str(home.root), "import", str(folder)])
    assert imported.exit_code == 0, imported.output
    paper = next(home.library.papers())
    pages = kept(home.library.page_texts(paper.id))
    home.library.replace_page_texts(paper.id, pages)
    if title is not None:
        paper.title = title(pages)
    paper.tags, paper.sources["tags"] = [tag], "staff"
    home.library.save(paper)
    home.index.rebuild(home.library)
    return home, paper


def search(home: ArchiveHome, words: str) -> str:
    """What `archive search` prints for ``words``."""
    return CliRunner().invoke(main, ["--home", str(home.root), "search", words]).output


def refresh(home: ArchiveHome) -> Result:
    """`archive refresh-metadata` run to its end, with one worker."""
    refreshed = CliRunner().invoke(
        main, ["--home", str(home.root), "refresh-metadata", "--jobs", "1"]
    )
    assert refreshed.exit_code == 0, refreshed.output
    return refreshed
