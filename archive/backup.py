"""Backups of an archive home, and restoring a home from one.

A backup is taken while the server and an import may be running, so nothing is copied as a
folder walk would: each paper's files are opened together (an inode stays readable after a
rename or a removal, so a paper is taken whole as it was at that moment, or not at all), every
SQLite store goes through SQLite's online backup API (a consistent copy even mid-write), the
staff journal is cut at its last whole line, and the index (optional: it is rebuilt from the
library) is copied by a function the caller gives, which knows how Whoosh commits.

Two forms, chosen by the destination's name:

- a tar file (``.tar``, ``.tar.gz``/``.tgz``, ``.tar.bz2``, ``.tar.xz``), written under a
  temporary name and renamed into place once complete;
- a folder of snapshots: each backup is ``DEST/<UTC time>/``, written as ``DEST/.partial-...``
  and renamed when complete. A PDF already in the newest earlier snapshot (same content hash:
  papers are named by it) is hard-linked, not copied again, so a nightly backup of an archive
  that gained ten papers copies ten PDFs.

Either way the manifest (``backup-manifest.json``: every file's size and SHA-256) is written
last, so a backup killed at any moment leaves nothing :func:`restore` accepts; restore checks
every file against it before anything is moved into the home.

No Flask and no Whoosh here: the index copy and rebuild are the caller's (``indexer``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from archive.activity import ACTIVITY_FILE
from archive.paper import is_paper_id
from archive.storage import fsync_dir

MANIFEST_NAME = "backup-manifest.json"
FORMAT = "conservation-archive-backup"
FORMAT_VERSION = 1
CHUNK = 1 << 20
SQLITE_HEADER = b"SQLite format 3\x00"
# Suffixes that make the destination a tar file, with the compression each means.
TAR_SUFFIXES = {
    ".tar": "",
    ".tar.gz": "gz",
    ".tgz": "gz",
    ".tar.bz2": "bz2",
    ".tar.xz": "xz",
}
# Folders of a home a backup leaves out: derived (index: only with_index), caches and work in
# progress. Anything else at the top of a home is taken (see _home_items).
_DERIVED_DIRS = {"index", "cache", "tmp"}
# Files never taken: locks, and SQLite's own side files (the backup API copies what they hold).
_SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal", ".lock", ".tmp")
INDEX_DIR = "index"
LIBRARY_DIR = "library"
SNAPSHOT_FORMAT = "%Y-%m-%dT%H%M%SZ"
PARTIAL_PREFIX = ".partial-"


class BackupError(Exception):
    """A backup could not be written, or a backup cannot be restored; the message says why."""


@dataclass
class BackupResult:
    """What one backup holds."""

    path: Path
    papers: int = 0
    files: int = 0
    bytes: int = 0
    linked: int = 0  # PDFs hard-linked from an earlier snapshot instead of copied
    stores: list[str] = field(default_factory=list)
    index: bool = False
    notes: list[str] = field(default_factory=list)
    pruned: list[Path] = field(default_factory=list)


@dataclass
class RestoreResult:
    """What a restore put into a home."""

    source: Path
    papers: int = 0
    files: int = 0
    index: bool = False
    created: str = ""


# --- small helpers -----------------------------------------------------------------------------


def tar_compression(dest: Path) -> str | None:
    """The tar compression ``dest``'s name asks for ("" for none), or None for a folder."""
    name = dest.name.lower()
    for suffix, compression in sorted(TAR_SUFFIXES.items(), key=lambda item: -len(item[0])):
        if name.endswith(suffix):
            return compression
    return None


def _copy_stream(source: BinaryIO, target: BinaryIO, limit: int | None = None) -> tuple[str, int]:
    """Copy ``source`` to ``target`` (at most ``limit`` bytes), returning its SHA-256 and size."""
    digest = hashlib.sha256()
    size = 0
    while limit is None or size < limit:
        chunk = source.read(CHUNK if limit is None else min(CHUNK, limit - size))
        if not chunk:
            break
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _skipped(name: str) -> bool:
    return name.startswith(".") or name.endswith(_SKIPPED_SUFFIXES)


def _journal_length(handle: BinaryIO, size: int) -> int:
    """How many bytes of an append-only journal end with its last whole line."""
    end = size
    while end > 0:
        start = max(0, end - 65536)
        handle.seek(start)
        block = handle.read(end - start)
        cut = block.rfind(b"\n")
        if cut >= 0:
            return start + cut + 1
        end = start
    return 0


def safe_member(name: str) -> bool:
    """True for a relative path with no ``..``, no absolute part and nothing odd in it."""
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and all(part not in ("", ".", "..") for part in path.parts)
        and "\\" not in name
        and not any(ord(c) < 32 for c in name)
    )


# --- where a backup goes ----------------------------------------------------------------------


class _Sink:
    """Where the files of one backup are written (a snapshot folder or a tar stream)."""

    def __init__(self) -> None:
        self.files: dict[str, dict[str, Any]] = {}

    def add(self, rel: str, handle: BinaryIO, size: int, mode: int) -> None:
        raise NotImplementedError

    def add_path(self, rel: str, path: Path, mode: int = 0o600) -> None:
        with path.open("rb") as handle:
            self.add(rel, handle, os.fstat(handle.fileno()).st_size, mode)

    def link(self, rel: str, earlier: Path, sha256: str, size: int) -> bool:
        """Take ``rel`` from an earlier backup without copying it; False when not possible."""
        return False

    def scratch(self) -> Path:
        """A folder on the destination's disk for files written before they are added."""
        raise NotImplementedError

    def finish(self, manifest: dict[str, Any]) -> Path:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


class _FolderSink(_Sink):
    def __init__(self, root: Path, name: str) -> None:
        super().__init__()
        self.root = root
        self.final = root / name
        self.work = root / f"{PARTIAL_PREFIX}{name}"
        self.work.mkdir(mode=0o700)
        self._scratch = self.work / ".scratch"

    def _target(self, rel: str) -> Path:
        target = self.work / rel
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        return target

    def add(self, rel: str, handle: BinaryIO, size: int, mode: int) -> None:
        target = self._target(rel)
        with open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode & 0o700), "wb") as out:
            sha256, copied = _copy_stream(handle, out, size)
            out.flush()
            os.fsync(out.fileno())
        if copied != size:
            raise BackupError(f"{rel} changed while it was copied; run the backup again")
        self.files[rel] = {"sha256": sha256, "size": size}

    def link(self, rel: str, earlier: Path, sha256: str, size: int) -> bool:
        try:
            if earlier.stat().st_size != size:
                return False
            os.link(earlier, self._target(rel))
        except OSError:
            return False  # another file system, or links not supported: copy instead
        self.files[rel] = {"sha256": sha256, "size": size}
        return True

    def scratch(self) -> Path:
        self._scratch.mkdir(exist_ok=True)
        return self._scratch

    def finish(self, manifest: dict[str, Any]) -> Path:
        shutil.rmtree(self._scratch, ignore_errors=True)
        for folder, _dirs, _files in os.walk(self.work):
            fsync_dir(Path(folder))
        target = self.work / MANIFEST_NAME
        with target.open("xb") as out:
            out.write(json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
            out.flush()
            os.fsync(out.fileno())
        fsync_dir(self.work)
        os.rename(self.work, self.final)
        fsync_dir(self.root)
        return self.final

    def abort(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)


class _HashingReader:
    """Reads at most ``size`` bytes of a file for tarfile, hashing them on the way."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self.handle = handle
        self.left = size
        self.digest = hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        data = self.handle.read(self.left if n < 0 else min(n, self.left))
        self.left -= len(data)
        self.digest.update(data)
        return data


def _new_file(target: Path) -> BinaryIO:
    """A new file (mode 0600: backups hold accounts and the secret key), its folders made."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return open(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


class _TarSink(_Sink):
    def __init__(self, dest: Path, compression: str) -> None:
        super().__init__()
        self.dest = dest
        self.work = dest.with_name(f".{dest.name}.partial")
        # Both stay open across add() calls; finish() or abort() closes them.
        fd = os.open(self.work, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._raw = open(fd, "wb")  # noqa: SIM115
        # Streaming mode ("w|"): members are written one after the other, nothing read back.
        self.tar = tarfile.open(fileobj=self._raw, mode=f"w|{compression}")  # noqa: SIM115
        self._scratch = Path(tempfile.mkdtemp(prefix=f".{dest.name}.scratch-", dir=dest.parent))
        self._mtime = int(datetime.now(UTC).timestamp())

    def _info(self, rel: str, size: int, mode: int) -> tarfile.TarInfo:
        info = tarfile.TarInfo(rel)
        info.size = size
        info.mode = mode & 0o700
        info.mtime = self._mtime
        return info

    def add(self, rel: str, handle: BinaryIO, size: int, mode: int) -> None:
        reader = _HashingReader(handle, size)
        try:
            self.tar.addfile(self._info(rel, size, mode), reader)
        except OSError as error:
            # tarfile says "unexpected end of data" when the file shrank while it was read.
            raise BackupError(
                f"{rel} changed while it was copied ({error}); run it again"
            ) from None
        self.files[rel] = {"sha256": reader.digest.hexdigest(), "size": size}

    def scratch(self) -> Path:
        return self._scratch

    def finish(self, manifest: dict[str, Any]) -> Path:
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        self.tar.addfile(self._info(MANIFEST_NAME, len(data), 0o600), io.BytesIO(data))
        self.tar.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        shutil.rmtree(self._scratch, ignore_errors=True)
        os.replace(self.work, self.dest)
        fsync_dir(self.dest.parent)
        return self.dest

    def abort(self) -> None:
        with contextlib.suppress(Exception):
            self.tar.close()
        with contextlib.suppress(Exception):
            self._raw.close()
        self.work.unlink(missing_ok=True)
        shutil.rmtree(self._scratch, ignore_errors=True)


# --- taking a backup --------------------------------------------------------------------------


def _read_manifest_file(path: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    if not isinstance(manifest.get("files"), dict):
        return None
    return manifest


def snapshots(folder: Path) -> list[Path]:
    """The complete snapshots in a folder of backups, oldest first."""
    if not folder.is_dir():
        return []
    found = [
        child
        for child in folder.iterdir()
        if child.is_dir() and not child.name.startswith(".") and (child / MANIFEST_NAME).is_file()
    ]
    return sorted(found, key=lambda child: child.name)


def _snapshot_name(folder: Path) -> str:
    name = datetime.now(UTC).strftime(SNAPSHOT_FORMAT)
    candidate, n = name, 1
    while (folder / candidate).exists() or (folder / f"{PARTIAL_PREFIX}{candidate}").exists():
        n += 1
        candidate = f"{name}-{n}"
    return candidate


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """One backup at a time into a folder; debris of one that was killed is removed."""
    lock_path = folder / ".backup.lock"
    with open(os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600), "r+b") as lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"Another backup is being written into {folder}; wait for it to finish."
            ) from None
        for child in folder.iterdir():
            if child.name.startswith(PARTIAL_PREFIX):
                shutil.rmtree(child, ignore_errors=True)  # a backup killed before it finished
        yield


def _home_items(home: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """The plain files, SQLite stores and folders (other than library/index) a backup takes."""
    files: list[Path] = []
    stores: list[Path] = []
    folders: list[Path] = []
    for child in sorted(home.iterdir()):
        if _skipped(child.name) or child.is_symlink():
            continue
        if child.is_file():
            (stores if _is_sqlite(child) else files).append(child)
        elif child.is_dir() and child.name not in _DERIVED_DIRS | {LIBRARY_DIR, INDEX_DIR, "logs"}:
            folders.append(child)
    return files, stores, folders


def _walk_files(folder: Path) -> Iterator[Path]:
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _skipped(d) and d != "tmp")
        for name in sorted(names):
            path = Path(root) / name
            if not _skipped(name) and path.is_file() and not path.is_symlink():
                yield path


def _backup_store(sink: _Sink, home: Path, store: Path) -> None:
    """Copy one SQLite database through SQLite's online backup API (consistent mid-write)."""
    rel = store.relative_to(home).as_posix()
    copy = sink.scratch() / f"store-{len(sink.files)}.sqlite"
    try:
        source = sqlite3.connect(store, timeout=30)
        try:
            target = sqlite3.connect(copy)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"{rel} could not be copied ({error}); is it a database?") from error
    sink.add_path(rel, copy, 0o600)
    copy.unlink()


def _backup_journal(sink: _Sink, home: Path, journal: Path) -> None:
    rel = journal.relative_to(home).as_posix()
    try:
        handle = journal.open("rb")
    except FileNotFoundError:
        return
    with handle:
        length = _journal_length(handle, os.fstat(handle.fileno()).st_size)
        handle.seek(0)
        sink.add(rel, handle, length, 0o600)


def _open_paper(folder: Path) -> dict[str, BinaryIO] | None:
    """Every file of one paper folder, opened together; None when it is gone or incomplete."""
    handles: dict[str, BinaryIO] = {}
    try:
        names = sorted(os.listdir(folder))
        for name in names:
            if _skipped(name):
                continue
            path = folder / name
            if path.is_file() and not path.is_symlink():
                handles[name] = path.open("rb")
    except (FileNotFoundError, NotADirectoryError):
        pass
    if "paper.json" not in handles or "paper.pdf" not in handles:
        for handle in handles.values():
            handle.close()
        return None  # removed meanwhile, or never whole
    return handles


def _earlier_pdfs(previous: Path | None) -> dict[str, tuple[Path, str, int]]:
    """PDFs of the newest earlier snapshot (path, hash, size), to hard-link rather than copy."""
    if previous is None:
        return {}
    manifest = _read_manifest_file(previous / MANIFEST_NAME)
    if manifest is None:
        return {}
    found = {}
    for rel, entry in manifest["files"].items():
        if rel.endswith("/paper.pdf") and isinstance(entry, dict) and safe_member(rel):
            found[rel] = (previous / rel, str(entry.get("sha256")), int(entry.get("size", -1)))
    return found


def backup(
    home: Path,
    dest: Path,
    *,
    with_index: bool = False,
    copy_index: Callable[[Path], bool] | None = None,
    keep: int | None = None,
) -> BackupResult:
    """Write a backup of the home at ``home`` to ``dest`` (a tar file or a folder of snapshots).

    ``copy_index(target_folder) -> bool`` copies the index consistently (the caller knows how
    Whoosh commits) and says whether it could; it is called only ``with_index``. ``keep``
    (folder backups) deletes all but the newest ``keep`` snapshots once the new one is whole.
    """
    home = home.resolve()
    if not (home / LIBRARY_DIR).is_dir():
        raise BackupError(f"{home} is not an archive home (it has no library folder).")
    dest = dest.absolute()
    if dest == home or home in dest.parents:
        raise BackupError("The backup cannot go inside the home it copies; choose another place.")
    compression = tar_compression(dest)
    if compression is not None:
        if dest.is_dir():
            raise BackupError(f"{dest} is a folder; a tar backup needs a file name.")
        if not dest.parent.is_dir():
            raise BackupError(f"The folder {dest.parent} does not exist.")
        return _write(home, _TarSink(dest, compression), None, with_index, copy_index, dest)
    if dest.exists() and not dest.is_dir():
        raise BackupError(
            f"{dest} is a file; give a folder, or a name ending in .tar, .tar.gz, .tar.xz..."
        )
    if dest.is_dir() and any(
        not child.name.startswith(".") and not (child / MANIFEST_NAME).is_file()
        for child in dest.iterdir()
    ):
        raise BackupError(
            f"{dest} holds files that are not backups of an archive; "
            "choose a new or empty folder (backups go into a folder of their own)."
        )
    dest.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _folder_lock(dest):
        earlier = snapshots(dest)
        sink = _FolderSink(dest, _snapshot_name(dest))
        result = _write(
            home, sink, earlier[-1] if earlier else None, with_index, copy_index, sink.final
        )
        if keep is not None and keep > 0:
            for old in snapshots(dest)[:-keep]:
                shutil.rmtree(old)
                result.pruned.append(old)
        return result


def _write(
    home: Path,
    sink: _Sink,
    previous: Path | None,
    with_index: bool,
    copy_index: Callable[[Path], bool] | None,
    final: Path,
) -> BackupResult:
    result = BackupResult(path=final)
    try:
        files, stores, folders = _home_items(home)
        for path in files:
            sink.add_path(path.relative_to(home).as_posix(), path, path.stat().st_mode)
        for store in stores:
            _backup_store(sink, home, store)
            result.stores.append(store.name)
        _backup_journal(sink, home, home / "logs" / ACTIVITY_FILE)
        # The inbox before the library: an upload that joins the library meanwhile is then in
        # one of the two (or both: read again at restore, it is found to be a duplicate).
        for folder in folders:
            for path in _walk_files(folder):
                with contextlib.suppress(FileNotFoundError):
                    sink.add_path(path.relative_to(home).as_posix(), path, path.stat().st_mode)
        result.papers, result.linked = _backup_library(home, sink, _earlier_pdfs(previous))
        if with_index and copy_index is not None:
            index_copy = sink.scratch() / INDEX_DIR
            if copy_index(index_copy):
                for path in _walk_files(index_copy):
                    rel = f"{INDEX_DIR}/{path.relative_to(index_copy).as_posix()}"
                    sink.add_path(rel, path, 0o600)
                result.index = True
            else:
                result.notes.append(
                    "The index was left out (it kept changing while it was copied); "
                    "a restore rebuilds it from the library."
                )
            shutil.rmtree(index_copy, ignore_errors=True)
        manifest = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "home": str(home),
            "papers": result.papers,
            "index": result.index,
            "files": sink.files,
        }
        result.files = len(sink.files)
        result.bytes = sum(entry["size"] for entry in sink.files.values())
        sink.finish(manifest)
    except BaseException:
        sink.abort()
        raise
    return result


def _backup_library(
    home: Path, sink: _Sink, earlier: dict[str, tuple[Path, str, int]]
) -> tuple[int, int]:
    library = home / LIBRARY_DIR
    papers = linked = 0
    for shard in sorted(library.iterdir()):
        if len(shard.name) != 2 or not shard.is_dir():
            continue
        for folder in sorted(shard.iterdir()):
            if not is_paper_id(folder.name):
                continue
            handles = _open_paper(folder)
            if handles is None:
                continue
            try:
                prefix = f"{LIBRARY_DIR}/{shard.name}/{folder.name}"
                for name, handle in handles.items():
                    rel = f"{prefix}/{name}"
                    size = os.fstat(handle.fileno()).st_size
                    previous = earlier.get(rel)
                    # Papers are named by their PDF's SHA-256: the same name is the same bytes.
                    if (
                        name == "paper.pdf"
                        and previous is not None
                        and previous[1] == folder.name
                        and previous[2] == size
                        and sink.link(rel, previous[0], folder.name, size)
                    ):
                        linked += 1
                        continue
                    sink.add(rel, handle, size, 0o600)
            finally:
                for handle in handles.values():
                    handle.close()
            papers += 1
    return papers, linked


# --- checking and restoring -------------------------------------------------------------------


def _check_entries(manifest: dict[str, Any], found: dict[str, tuple[str, int]]) -> None:
    """Compare what a backup holds with its manifest; raise BackupError naming the first fault."""
    files = manifest["files"]
    for rel, entry in files.items():
        if not safe_member(rel) or not isinstance(entry, dict):
            raise BackupError(f"The manifest lists an unsafe or malformed entry: {rel!r}.")
        if rel not in found:
            raise BackupError(f"{rel} is missing from the backup (it is in the manifest).")
        sha256, size = found[rel]
        if size != entry.get("size") or sha256 != entry.get("sha256"):
            raise BackupError(
                f"{rel} is not what the backup wrote (its size or SHA-256 differs from the "
                "manifest): the backup was altered or damaged."
            )
        parts = rel.split("/")
        is_pdf = len(parts) == 4 and parts[0] == LIBRARY_DIR and parts[3] == "paper.pdf"
        if is_pdf and sha256 != parts[2]:
            raise BackupError(f"{rel} does not match its paper id: the backup was altered.")
    extra = sorted(set(found) - set(files))
    if extra:
        raise BackupError(f"The backup holds {extra[0]}, which its manifest does not list.")


def _parse_manifest(data: bytes, where: str) -> dict[str, Any]:
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupError(f"{where}: the manifest cannot be read (it is damaged).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{where} is not a backup of a conservation paper archive.")
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            f"{where} was written by another version of the archive (backup format "
            f"{manifest.get('version')!r}); restore it with that version."
        )
    if not isinstance(manifest.get("files"), dict):
        raise BackupError(f"{where}: the manifest lists no files (it is damaged).")
    return manifest


def resolve_source(source: Path) -> Path:
    """The backup ``source`` names: a tar file, a snapshot, or the newest snapshot of a folder."""
    if not source.exists():
        raise BackupError(f"There is no backup at {source}.")
    if source.is_dir() and not (source / MANIFEST_NAME).exists():
        found = snapshots(source)
        if not found:
            raise BackupError(
                f"{source} holds no complete backup ({MANIFEST_NAME} is written last, so a "
                "backup that was interrupted is never used)."
            )
        return found[-1]
    return source


def _stage_folder(source: Path, staging: Path) -> dict[str, Any]:
    manifest_path = source / MANIFEST_NAME
    try:
        manifest = _parse_manifest(manifest_path.read_bytes(), str(source))
    except FileNotFoundError:
        raise BackupError(
            f"{source} has no {MANIFEST_NAME}: the backup did not finish, or it is not one."
        ) from None
    found: dict[str, tuple[str, int]] = {}
    for path in _walk_files(source):
        rel = path.relative_to(source).as_posix()
        if rel == MANIFEST_NAME:
            continue
        with path.open("rb") as handle, _new_file(staging / rel) as out:
            found[rel] = _copy_stream(handle, out)
    _check_entries(manifest, found)
    return manifest


def _stage_tar(source: Path, staging: Path) -> dict[str, Any]:
    found: dict[str, tuple[str, int]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(source, mode="r|*") as tar:
            for member in tar:
                if manifest is not None:
                    raise BackupError(f"{source} holds files after its manifest: it was altered.")
                if member.isdir():
                    continue
                if not member.isfile() or not safe_member(member.name):
                    raise BackupError(
                        f"{source} holds {member.name!r}, which no backup writes (a link or an "
                        "unsafe name): it was altered."
                    )
                reader = tar.extractfile(member)
                assert reader is not None  # a regular file always has one
                if member.name == MANIFEST_NAME:
                    manifest = _parse_manifest(reader.read(), str(source))
                    continue
                with _new_file(staging / member.name) as out:
                    found[member.name] = _copy_stream(reader, out)
    except BackupError:
        raise
    except FileExistsError as error:
        raise BackupError(f"{source} holds {error.filename} twice: it was altered.") from None
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        # zlib, lzma and bz2 errors are OSError or ValueError subclasses (EOFError: cut short).
        raise BackupError(f"{source} is damaged or cut short ({error}).") from None
    if manifest is None:
        raise BackupError(
            f"{source} has no {MANIFEST_NAME}: the backup did not finish, or it is not one."
        )
    _check_entries(manifest, found)
    return manifest


def check(source: Path) -> dict[str, Any]:
    """Check a backup against its manifest without restoring it; returns the manifest."""
    source = resolve_source(source)
    with tempfile.TemporaryDirectory(prefix="archive-check-") as scratch:
        if source.is_dir():
            return _stage_folder(source, Path(scratch))
        return _stage_tar(source, Path(scratch))


def home_papers(home: Path) -> int:
    """How many paper folders the home's library holds (restore refuses a home with any)."""
    library = home / LIBRARY_DIR
    if not library.is_dir():
        return 0
    return sum(
        1
        for shard in library.iterdir()
        if len(shard.name) == 2 and shard.is_dir()
        for folder in shard.iterdir()
        if is_paper_id(folder.name)
    )


def restore(source: Path, home: Path) -> RestoreResult:
    """Rebuild a home from a backup, after checking every file of it against its manifest.

    Refuses a home that holds papers, or any file the backup would put there. The index is
    restored when the backup has one; otherwise the caller rebuilds it from the library.
    """
    source = resolve_source(source.absolute())
    home = home.absolute()
    count = home_papers(home)
    if count:
        raise BackupError(
            f"{home} already holds {count} paper{'s' if count != 1 else ''}; restore into a "
            "new, empty folder (--home NEW), so that nothing there is overwritten."
        )
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=home))
    try:
        manifest = (
            _stage_folder(source, staging) if source.is_dir() else _stage_tar(source, staging)
        )
        rels = sorted(manifest["files"])
        conflicts = [
            rel
            for rel in rels
            if not rel.startswith((f"{LIBRARY_DIR}/", f"{INDEX_DIR}/")) and (home / rel).exists()
        ]
        if conflicts:
            raise BackupError(
                f"{home} already has {conflicts[0]}; restore into a new, empty folder "
                "(--home NEW), so that nothing there is overwritten."
            )
        result = RestoreResult(source=source, files=len(rels), created=manifest.get("created", ""))
        if (staging / INDEX_DIR).is_dir():
            old_index = home / INDEX_DIR
            if old_index.exists():
                shutil.rmtree(old_index)  # the index of a home without papers: nothing in it
            os.rename(staging / INDEX_DIR, old_index)
            result.index = True
        for rel in rels:
            if rel.startswith((f"{LIBRARY_DIR}/", f"{INDEX_DIR}/")):
                continue
            target = home / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.rename(staging / rel, target)
        # Papers last, each folder renamed into place whole, as the library itself does.
        staged_library = staging / LIBRARY_DIR
        if staged_library.is_dir():
            for shard in sorted(staged_library.iterdir()):
                for folder in sorted(shard.iterdir()):
                    target = home / LIBRARY_DIR / shard.name / folder.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(folder, target)
                    result.papers += 1
        (home / LIBRARY_DIR).mkdir(exist_ok=True)
        secret = home / "secret-key"
        if secret.exists():
            secret.chmod(0o600)
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)
