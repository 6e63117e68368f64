"""Turning what a curator names (files, folders, zip files, ``-`` for a list on standard input)
into the list of files to import.

Zip members are never extracted under their own names: each is copied, with a byte cap, to a
file named by the importer, so a hostile name ("../../etc/passwd") cannot point anywhere.
Members with such names are refused all the same, so the curator hears about them.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TextIO

from archive.filenames import clean_filename
from indexer.ingest.import_state import FileKey

MAX_MEMBER_BYTES = 1024 * 1024 * 1024
# A member that inflates more than this ratio and is big is treated as a zip bomb.
MAX_COMPRESSION_RATIO = 200
BOMB_MIN_BYTES = 50 * 1024 * 1024


class InputProblem(Exception):
    """An input cannot be imported; ``str(error)`` is the reason, for a curator."""


@dataclass(frozen=True)
class InputFile:
    """One file to import. ``display`` is how the report names it; ``filename`` is the name
    the paper keeps (cleaned: :func:`archive.filenames.clean_filename`); a zip member has
    ``member`` set and ``path`` pointing at its zip file."""

    display: str
    filename: str
    path: Path
    member: str | None = None
    problem: str | None = None

    def key(self) -> FileKey:
        """The file's identity for the import cache."""
        key = FileKey.of(self.path)
        if self.member is None:
            return key
        return FileKey(f"{key.path}::{self.member}", key.size, key.mtime_ns)


def _walk(folder: Path) -> Iterator[Path]:
    # Hidden files include macOS "._name.pdf" resource forks; hidden folders include .git.
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() in {".pdf", ".zip"} and path.is_file():
            yield path


def _zip_members(zip_path: Path, display: str) -> Iterator[InputFile]:
    try:
        with zipfile.ZipFile(zip_path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        yield InputFile(
            display, clean_filename(zip_path.name), zip_path, problem="damaged zip file"
        )
        return
    for info in infos:
        name = PurePosixPath(info.filename.replace("\\", "/"))
        if info.is_dir() or name.name.startswith(".") or "__MACOSX" in name.parts:
            continue
        member_display = f"{display}/{info.filename}"
        problem = None
        if name.is_absolute() or ".." in name.parts or ":" in info.filename:
            problem = "unsafe file name in zip file (refused)"
        elif name.suffix.lower() != ".pdf":
            continue
        elif info.flag_bits & 0x1:
            problem = "encrypted zip member"
        elif info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > BOMB_MIN_BYTES
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            problem = "too large to process"
        yield InputFile(member_display, clean_filename(name.name), zip_path, info.filename, problem)


def expand_inputs(paths: Iterable[str], stdin: TextIO | None = None) -> Iterator[InputFile]:
    """Every file to import, once each, in a stable order. ``-`` reads paths from ``stdin``."""
    seen: set[tuple[Path, str | None]] = set()

    def named(text: str) -> Iterator[Path]:
        if text == "-":
            for line in stdin or sys.stdin:
                if line.strip():
                    yield Path(line.strip())
        else:
            yield Path(text)

    for text in paths:
        for item in named(text):
            if not item.exists():
                yield InputFile(
                    str(item), clean_filename(item.name), item, problem="no such file or folder"
                )
                continue
            found = _walk(item) if item.is_dir() else iter([item])
            for path in found:
                if path.suffix.lower() == ".zip":
                    files: Iterable[InputFile] = _zip_members(path, str(path))
                else:
                    files = [InputFile(str(path), clean_filename(path.name), path)]
                for entry in files:
                    identity = (entry.path.resolve(), entry.member)
                    if identity not in seen:
                        seen.add(identity)
                        yield entry


def materialize(entry: InputFile, work_dir: Path, number: int) -> Path:
    """The entry as a file on disk: itself, or a zip member copied out under a safe name."""
    if entry.member is None:
        return entry.path
    target = work_dir / f"member-{number}.pdf"
    try:
        with (
            zipfile.ZipFile(entry.path) as archive,
            archive.open(entry.member) as source,
            target.open("wb") as sink,
        ):
            # Declared sizes can lie: count what actually comes out.
            copied = 0
            while chunk := source.read(1 << 20):
                copied += len(chunk)
                if copied > MAX_MEMBER_BYTES:
                    raise InputProblem("too large to process")
                sink.write(chunk)
    except InputProblem:
        target.unlink(missing_ok=True)
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as error:
        target.unlink(missing_ok=True)
        raise InputProblem(f"damaged zip member ({type(error).__name__})") from None
    return target


def clear_work_dir(work_dir: Path) -> None:
    """Delete the copies of zip members once the import is done."""
    shutil.rmtree(work_dir, ignore_errors=True)
