"""An archive home: the library folder and the index derived from it, side by side."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archive.library import Library
from indexer.index import SearchIndex

if TYPE_CHECKING:
    # Imported where used: `archive stats` and other commands start without them (issue 28).
    from indexer.engine.thesaurus import Thesaurus


@dataclass
class ArchiveHome:
    """The folders of one running archive (see PRODUCT.md: backup = copy the library folder)."""

    root: Path
    library: Library
    index: SearchIndex

    @classmethod
    def at(cls, root: Path) -> ArchiveHome:
        """The home at ``root``; creates its folders and an empty index on first use.

        An index that is missing, unreadable or of an older schema is rebuilt from the library
        (from the cached text, without reading any PDF again).
        """
        root.mkdir(parents=True, exist_ok=True)
        home = cls(root=root, library=Library(root / "library"), index=SearchIndex(root / "index"))
        (root / "logs").mkdir(exist_ok=True)
        if not home.index.is_usable():
            home.index.rebuild(home.library)
        return home

    @property
    def log_dir(self) -> Path:
        """Where logs go (import warnings from pypdf, for instance)."""
        return self.root / "logs"

    @property
    def quarantine_dir(self) -> Path:
        """Where ``archive verify --repair`` moves paper folders it cannot trust (never deleted)."""
        return self.root / "quarantine"

    @property
    def thesaurus_path(self) -> Path:
        """Where staff keep their own thesaurus (it replaces the shipped one when present)."""
        from indexer.engine.thesaurus import HOME_FILE

        return self.root / HOME_FILE

    def thesaurus(self) -> Thesaurus:
        """The thesaurus searches use: the home's own file if any, else the shipped one."""
        from indexer.engine.thesaurus import load as load_thesaurus

        # The names' keys (stemmed) are kept under cache/ (derived, left out of backups).
        return load_thesaurus(self.thesaurus_path, self.root / "cache" / "thesaurus.json")

    def remove(self, paper_id: str) -> None:
        """Remove a paper from the library (the source of truth), its readers' requests for a
        copy (:meth:`forget_requests`) and then its index entries."""
        self.library.remove(paper_id)
        self.forget_requests(paper_id)
        self.index.remove(paper_id)

    def forget_requests(self, paper_id: str) -> int:
        """Delete the requests for a copy of a removed paper: the readers' names and addresses
        go, and so do the links e-mailed for it (the same file imported again is a new paper
        to them). Every way of removing a paper calls this; returns how many were deleted."""
        from archive.copy_requests import CopyRequestStore

        return CopyRequestStore(self.root).forget_paper(paper_id)
