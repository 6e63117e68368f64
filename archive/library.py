"""The library folder: the archive's source of truth.

Layout, under the library root::

    ab/abcdef.../paper.pdf    the PDF, byte for byte as imported
    ab/abcdef.../paper.json   the metadata sidecar (see :class:`archive.paper.Paper`)
    ab/abcdef.../text.json    the extracted text, one string per page
    tmp/                      work in progress; anything here after a crash is garbage

Folder names come from the content hash only, never from user input. A paper appears by renaming
a fully written folder from ``tmp/`` into place, and disappears by renaming it back out, so a
crash at any moment leaves every paper either whole or absent.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import logging
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from archive.paper import Paper, is_paper_id
from archive.storage import _json_bytes as json_bytes
from archive.storage import (
    atomic_write_bytes,
    atomic_write_json,
    fsync_dir,
    new_file_json,
)

PDF_NAME = "paper.pdf"
META_NAME = "paper.json"
TEXT_NAME = "text.json"
TEXT_FORMAT = 1
# Derived files a paper folder may hold beside its own three (rebuilt from the PDF at will):
# the first page's thumbnail, or the reason it could not be drawn (a placeholder is shown).
THUMBNAIL_NAME = "thumbnail.webp"
THUMBNAIL_FAILED_NAME = "thumbnail.failed"
DERIVED_NAMES = frozenset({THUMBNAIL_NAME, THUMBNAIL_FAILED_NAME})
# Work folders written by an import's workers for its storing process (Library.stage).
STAGED = "staged"

log = logging.getLogger(__name__)


def _derived_name(name: str) -> str:
    if name not in DERIVED_NAMES:
        raise ValueError(f"{name!r} is not a derived file of a paper")
    return name


class PaperNotFound(KeyError):
    """No paper with this id is in the library."""


class AmbiguousId(KeyError):
    """A shortened id matches more than one paper."""


def file_sha256(path: Path) -> str:
    """The SHA-256 hex digest of a file, read in chunks so memory stays flat."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sync(handle: BinaryIO) -> None:
    os.fsync(handle.fileno())


def _sync_file_system(directory: Path) -> None:
    """Flush everything written on the file system holding ``directory`` to disk (Linux's
    ``syncfs``); OSError when it fails or this system has no such call."""
    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError, TypeError):  # not Linux
        raise OSError(errno.ENOSYS, "syncfs is not available") from None
    fd = os.open(directory, os.O_RDONLY)
    try:
        if syncfs(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code))
    finally:
        os.close(fd)


def _write_new_files(folder: Path, files: list[tuple[str, Path | bytes]], sync: bool) -> None:
    """Create each file in ``folder`` (none may exist) from a file to copy or bytes, then
    (with ``sync``) flush them all to disk. Written first and flushed after, the first flush
    commits the file system's journal for all of them and the others cost little; written and
    flushed one by one, a paper's files cost a journal commit each (about 11 ms against 2 ms
    for three files on this machine's disk)."""
    handles: list[BinaryIO] = []
    try:
        for name, content in files:
            handle = (folder / name).open("xb")
            handles.append(handle)
            if isinstance(content, Path):
                with content.open("rb") as source:
                    shutil.copyfileobj(source, handle, 1 << 20)
            else:
                handle.write(content)
            handle.flush()
        for handle in handles if sync else ():
            _sync(handle)
    finally:
        for handle in handles:
            handle.close()


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True


class Library:
    """The papers stored under one root folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tmp = root / "tmp"

    def _folder(self, paper_id: str) -> Path:
        if not is_paper_id(paper_id):
            raise PaperNotFound(paper_id)
        return self.root / paper_id[:2] / paper_id

    def __contains__(self, paper_id: object) -> bool:
        return (
            isinstance(paper_id, str)
            and is_paper_id(paper_id)
            and (self._folder(paper_id) / META_NAME).is_file()
        )

    def ids(self) -> Iterator[str]:
        """Every paper id in the library, in id order."""
        for paper_id, folder in self.folders():
            if (folder / META_NAME).is_file():
                yield paper_id

    def resolve(self, prefix: str) -> str:
        """The full id of the one paper whose id starts with ``prefix`` (at least 6 characters)."""
        prefix = prefix.strip().lower()
        if is_paper_id(prefix):
            if prefix in self:
                return prefix
            raise PaperNotFound(prefix)
        if len(prefix) < 6 or not all(c in "0123456789abcdef" for c in prefix):
            raise PaperNotFound(prefix)
        shard = self.root / prefix[:2]
        matches = (
            [f.name for f in shard.glob(prefix + "*") if f.name in self] if shard.is_dir() else []
        )
        if not matches:
            raise PaperNotFound(prefix)
        if len(matches) > 1:
            raise AmbiguousId(prefix)
        return matches[0]

    def get(self, paper_id: str) -> Paper:
        """The metadata of one paper."""
        try:
            data = json.loads((self._folder(paper_id) / META_NAME).read_text("utf-8"))
        except FileNotFoundError:
            raise PaperNotFound(paper_id) from None
        return Paper.from_dict(data)

    def papers(self) -> Iterator[Paper]:
        """Every paper's metadata."""
        for paper_id in self.ids():
            with contextlib.suppress(PaperNotFound):
                yield self.get(paper_id)

    def pdf_path(self, paper_id: str) -> Path:
        """The stored PDF of a paper (the path is built from the validated id alone)."""
        path = self._folder(paper_id) / PDF_NAME
        if not path.is_file():
            raise PaperNotFound(paper_id)
        return path

    def page_texts(self, paper_id: str) -> list[str]:
        """The cached extracted text of a paper, one string per page."""
        try:
            data = json.loads((self._folder(paper_id) / TEXT_NAME).read_text("utf-8"))
        except FileNotFoundError:
            raise PaperNotFound(paper_id) from None
        return list(data["pages"])

    def add(
        self,
        source: Path,
        paper: Paper,
        page_texts: list[str],
        derived: dict[str, bytes] | None = None,
    ) -> bool:
        """Store a new paper: copy its PDF and write its sidecar and text cache (and the
        ``derived`` files, such as its thumbnail, named from :data:`DERIVED_NAMES`).

        Returns False, storing nothing, when a paper with the same id is already there (another
        process may have added the same bytes a moment ago).
        """
        if paper.id in self:
            return False
        return self.add_staged(self.stage(source, page_texts, derived), paper)

    def stage(
        self,
        source: Path,
        page_texts: list[str],
        derived: dict[str, bytes] | None = None,
        owner: int | None = None,
        paper: Paper | None = None,
        sync: bool = True,
    ) -> Path:
        """Write a new paper's files (its PDF, text cache and ``derived`` files, and with
        ``paper`` its sidecar too), all flushed to disk, into a work folder for
        :meth:`add_staged`. With ``sync`` false they are not flushed: the caller must flush
        them with :meth:`sync_staged` before adding the folder.

        An import's extraction workers stage the papers they read, so that its one storing
        process only names them. ``owner`` is the process that will add the folder (it is
        named after it, so that :meth:`clean_tmp` leaves it alone while that process lives).
        """
        work = self._new_tmp_dir(purpose=STAGED, owner=owner)
        files: list[tuple[str, Path | bytes]] = [
            (PDF_NAME, source),
            (TEXT_NAME, json_bytes({"format": TEXT_FORMAT, "pages": page_texts})),
            *((_derived_name(name), data) for name, data in (derived or {}).items()),
        ]
        if paper is not None:
            files.append((META_NAME, json_bytes(paper.to_dict())))
        try:
            _write_new_files(work, files, sync)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        return work

    def sync_staged(self, folders: Iterable[Path]) -> dict[Path, OSError]:
        """Flush to disk the files of ``folders`` staged without syncing, before they are
        added (a paper's folder must never be named into place before its files are durable:
        after a power cut it would stand there with empty files). One flush of the library's
        file system covers them all, where a flush per file costs a journal commit each
        (about 4 ms on this machine's disk: 15 ms for a one-page paper's four files, more
        than reading it). Where that is not available or fails, each file is flushed on its
        own; the folders whose files could not be are returned with the error."""
        folders = list(folders)
        if not folders:
            return {}
        try:
            _sync_file_system(self.tmp)
            return {}
        except OSError as error:
            if error.errno != errno.ENOSYS:
                log.warning("flushing the staged papers at once failed (%s): one by one", error)
        failed: dict[Path, OSError] = {}
        for folder in folders:
            try:
                for path in sorted(folder.iterdir()):
                    with path.open("rb") as handle:
                        _sync(handle)
            except OSError as error:
                failed[folder] = error
        return failed

    def discard_staged(self, owner: int) -> None:
        """Delete the folders staged for ``owner`` that it never added (the files in flight
        when an import stopped: a full disk, Ctrl-C, a worker killed while writing)."""
        if self.tmp.is_dir():
            for folder in self.tmp.glob(f"{owner}-{STAGED}-*"):
                shutil.rmtree(folder, ignore_errors=True)

    def add_staged(
        self, work: Path, paper: Paper, *, sidecar_staged: bool = False, sync: bool = True
    ) -> bool:
        """Add a paper from a folder :meth:`stage` wrote: its sidecar is written (unless
        ``sidecar_staged`` says the folder holds it as ``paper`` is), then the folder is
        renamed into place. The folder is gone afterwards, whatever happens. Returns False,
        storing nothing, when a paper with the same id is already there.

        With ``sync`` false, the rename is made durable later by :meth:`sync_added` (an
        import syncs a batch's renames at once, before indexing them)."""
        target = self._folder(paper.id)
        try:
            if paper.id in self:
                return False
            if not sidecar_staged:
                (work / META_NAME).unlink(missing_ok=True)
                new_file_json(work / META_NAME, paper.to_dict())
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                # A folder without a sidecar is debris of an older, interrupted version.
                self._discard(target)
            try:
                os.rename(work, target)
            except OSError:
                if paper.id in self:
                    return False
                raise
            if sync:
                fsync_dir(target.parent)
            return True
        finally:
            if work.exists():
                shutil.rmtree(work, ignore_errors=True)

    def sync_added(self, paper_ids: Iterable[str]) -> None:
        """Make the papers added by :meth:`add_staged` without ``sync`` durable: each
        folder holding them is flushed to disk once (in a row, the flushes after the first
        cost little: one journal commit covers them)."""
        for shard in sorted({self._folder(paper_id).parent for paper_id in paper_ids}):
            if shard.is_dir():
                fsync_dir(shard)

    def save(self, paper: Paper) -> None:
        """Replace the sidecar of an existing paper."""
        if paper.id not in self:
            raise PaperNotFound(paper.id)
        atomic_write_json(self._folder(paper.id) / META_NAME, paper.to_dict())

    def remove(self, paper_id: str) -> None:
        """Delete a paper; it vanishes at once, its files are then cleaned up."""
        if paper_id not in self:
            raise PaperNotFound(paper_id)
        self._discard(self._folder(paper_id))

    def folders(self) -> Iterator[tuple[str, Path]]:
        """Every folder named like a paper, whole or not, with its id (for integrity checks)."""
        if not self.root.is_dir():
            return
        for shard in sorted(self.root.iterdir()):
            if len(shard.name) != 2 or not shard.is_dir():
                continue
            for folder in sorted(shard.iterdir()):
                if is_paper_id(folder.name) and folder.is_dir():
                    yield folder.name, folder

    def replace_page_texts(self, paper_id: str, page_texts: list[str]) -> None:
        """Rewrite the text cache of an existing paper (after extracting its PDF again)."""
        if paper_id not in self:
            raise PaperNotFound(paper_id)
        target = self._folder(paper_id) / TEXT_NAME
        atomic_write_json(target, {"format": TEXT_FORMAT, "pages": page_texts})

    def derived_path(self, paper_id: str, name: str) -> Path:
        """Where a derived file of a paper lives (it may not exist); only known names."""
        return self._folder(paper_id) / _derived_name(name)

    def write_derived(self, paper_id: str, name: str, data: bytes) -> None:
        """Write a derived file of an existing paper atomically, dropping the other derived
        files it replaces (a thumbnail replaces the note that none could be drawn)."""
        if paper_id not in self:
            raise PaperNotFound(paper_id)
        atomic_write_bytes(self.derived_path(paper_id, name), data)
        other = THUMBNAIL_FAILED_NAME if name == THUMBNAIL_NAME else THUMBNAIL_NAME
        self.derived_path(paper_id, other).unlink(missing_ok=True)

    def move_aside(self, paper_id: str, destination: Path) -> Path:
        """Move a paper's folder, whole or damaged, out of the library into ``destination``
        (a folder on the same file system); returns where it went. Nothing is deleted."""
        folder = self._folder(paper_id)
        destination.mkdir(parents=True, exist_ok=True)
        target = destination / paper_id
        number = 1
        while target.exists():
            number += 1
            target = destination / f"{paper_id}-{number}"
        os.rename(folder, target)
        fsync_dir(folder.parent)
        return target

    def clean_tmp(self) -> None:
        """Delete leftovers of writes whose process has died (a crash, ``kill -9``).

        Work folders are named after the process that owns them, so those of a live process
        (another import running now) are left alone.
        """
        if not self.tmp.is_dir():
            return
        for entry in self.tmp.iterdir():
            owner = entry.name.split("-", 1)[0]
            if owner.isdigit() and not _process_alive(int(owner)):
                shutil.rmtree(entry, ignore_errors=True)

    def new_work_dir(self, purpose: str) -> Path:
        """A fresh folder in the work area, owned by this process."""
        return self._new_tmp_dir(purpose=purpose)

    def _discard(self, folder: Path) -> None:
        trash = self._new_tmp_dir(create=False)
        os.rename(folder, trash)
        fsync_dir(folder.parent)
        shutil.rmtree(trash, ignore_errors=True)

    def _new_tmp_dir(
        self, create: bool = True, purpose: str = "paper", owner: int | None = None
    ) -> Path:
        self.tmp.mkdir(parents=True, exist_ok=True)
        path = self.tmp / f"{owner or os.getpid()}-{purpose}-{uuid.uuid4().hex}"
        if create:
            path.mkdir()
        return path
