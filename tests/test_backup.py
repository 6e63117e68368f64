"""Backups of a home and restoring them (archive/backup.py), as whoever hosts the archive meets
them: taken while things are written, killed half-way, tampered with, restored into a new home."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tarfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

from archive.accounts import AccountStore as Accounts
from archive.backup import MANIFEST_NAME, BackupError, backup, check, restore, snapshots
from archive.copy_requests import CopyRequestStore
from archive.instance_secret import load_or_create_secret
from archive.usage import Event, Search, UsageStore
from indexer.home import ArchiveHome
from indexer.index import SearchIndex
from indexer.ingest.importer import import_paths
from tests.conftest import CORPUS, REPO
from tests.pdf_factory import make_pdf

PASSWORD = "correct horse battery"


def _fill_stores(home: ArchiveHome) -> None:
    """What a home holds besides papers after a week of use."""
    Accounts(home.root).add("alice", PASSWORD)
    load_or_create_secret(home.root)
    (home.root / "config.toml").write_text('default_access = "open"\n')
    paper_id = next(iter(home.library.ids()))
    CopyRequestStore(home.root).add(paper_id, "Reader", "reader@example.org", "thesis")
    UsageStore(home.root).append(
        [Search("amur leopard", 3), Search("tiger", 0)], [Event("view", paper_id)]
    )


def _table_rows(path: Path, table: str) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return sorted(db.execute(f"SELECT * FROM {table}").fetchall())


def _assert_same_home(original: Path, restored: Path) -> None:
    for rel in ["accounts.json", "secret-key", "config.toml"]:
        assert (restored / rel).read_bytes() == (original / rel).read_bytes(), rel
    assert sorted(ArchiveHome.at(restored).library.ids()) == sorted(
        ArchiveHome.at(original).library.ids()
    )
    assert _table_rows(restored / "copy-requests.sqlite", "copy_requests") == _table_rows(
        original / "copy-requests.sqlite", "copy_requests"
    )
    for table in ("searches", "events"):
        assert _table_rows(restored / "usage.sqlite", table) == _table_rows(
            original / "usage.sqlite", table
        )
    assert Accounts(restored).authenticate("alice", PASSWORD) is not None
    assert (restored / "secret-key").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("name", ["backups", "home.tar", "home.tar.gz", "home.tar.xz"])
def test_backup_and_restore_round_trip(demo_home: ArchiveHome, tmp_path: Path, name: str) -> None:
    _fill_stores(demo_home)
    result = backup(demo_home.root, tmp_path / name)
    assert result.papers == 5
    assert {"usage.sqlite", "copy-requests.sqlite", "import-state.sqlite"} <= set(result.stores)
    assert not result.index
    source = tmp_path / name
    manifest = check(source)
    assert manifest["papers"] == 5 and not manifest["index"]
    assert not any(rel.startswith("index/") for rel in manifest["files"])

    new_home = tmp_path / "restored"
    restored = restore(source, new_home)
    assert restored.papers == 5 and not restored.index
    _assert_same_home(demo_home.root, new_home)
    # The index was not in the backup: the home rebuilds it at its first use.
    assert ArchiveHome.at(new_home).index.stats()["papers"] == 5


def test_backup_with_index_restores_it(demo_home: ArchiveHome, tmp_path: Path) -> None:
    result = backup(
        demo_home.root,
        tmp_path / "b.tar",
        with_index=True,
        copy_index=demo_home.index.copy_to,
    )
    assert result.index
    restored = restore(tmp_path / "b.tar", tmp_path / "new")
    assert restored.index
    index = SearchIndex(tmp_path / "new" / "index")
    assert index.is_usable() and index.stats()["papers"] == 5


def test_folder_backups_are_snapshots_that_link_unchanged_pdfs(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    dest = tmp_path / "backups"
    first = backup(demo_home.root, dest)
    assert first.linked == 0
    import_paths(demo_home, [make_pdf(tmp_path / "new.pdf", ["A new camera trap survey"])])
    second = backup(demo_home.root, dest)
    assert second.papers == 6 and second.linked == 5  # only the new PDF was copied
    a, b = snapshots(dest)
    for paper_id in ArchiveHome.at(demo_home.root).library.ids():
        rel = Path("library", paper_id[:2], paper_id, "paper.pdf")
        if (a / rel).exists():
            assert (a / rel).stat().st_ino == (b / rel).stat().st_ino
    # Restoring the folder takes its newest snapshot.
    restore(dest, tmp_path / "new")
    assert len(list(ArchiveHome.at(tmp_path / "new").library.ids())) == 6
    # --keep prunes the oldest, and the hard links keep the survivors whole.
    third = backup(demo_home.root, dest, keep=1)
    assert third.pruned == [a, b] and snapshots(dest) == [third.path]
    check(dest)


def test_restore_refuses_a_home_with_papers(demo_home: ArchiveHome, tmp_path: Path) -> None:
    backup(demo_home.root, tmp_path / "b.tar")
    with pytest.raises(BackupError, match="already holds 5 papers"):
        restore(tmp_path / "b.tar", demo_home.root)
    other = tmp_path / "other"
    other.mkdir()
    Accounts(other).add("bob", PASSWORD)
    Accounts(demo_home.root).add("alice", PASSWORD)
    backup(demo_home.root, tmp_path / "c.tar")
    with pytest.raises(BackupError, match=r"already has accounts\.json"):
        restore(tmp_path / "c.tar", other)
    assert Accounts(other).get("bob") is not None and not list(Path(other).glob("library/*/*"))


def test_tampered_folder_backup_is_refused(demo_home: ArchiveHome, tmp_path: Path) -> None:
    backup(demo_home.root, tmp_path / "backups")
    (snapshot,) = snapshots(tmp_path / "backups")
    sidecar = next(snapshot.glob("library/*/*/paper.json"))
    data = json.loads(sidecar.read_text())
    data["title"] = "Something else"
    sidecar.write_text(json.dumps(data))
    with pytest.raises(BackupError, match=r"paper\.json is not what the backup wrote"):
        restore(tmp_path / "backups", tmp_path / "new")
    assert not list((tmp_path / "new").glob("library/*/*"))
    assert not (tmp_path / "new" / "accounts.json").exists()


def test_swapped_pdf_is_refused_even_with_a_matching_manifest(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    backup(demo_home.root, tmp_path / "backups")
    (snapshot,) = snapshots(tmp_path / "backups")
    pdf = next(snapshot.glob("library/*/*/paper.pdf"))
    rel = pdf.relative_to(snapshot).as_posix()
    pdf.unlink()  # a hard link: writing in place would change the home's file too
    pdf.write_bytes(b"%PDF-1.4 not the paper")
    manifest = json.loads((snapshot / MANIFEST_NAME).read_text())
    import hashlib

    manifest["files"][rel] = {
        "sha256": hashlib.sha256(pdf.read_bytes()).hexdigest(),
        "size": pdf.stat().st_size,
    }
    (snapshot / MANIFEST_NAME).write_text(json.dumps(manifest))
    with pytest.raises(BackupError, match="does not match its paper id"):
        check(snapshot)


@pytest.mark.parametrize("name", ["home.tar", "home.tar.gz"])
def test_truncated_tar_is_refused(demo_home: ArchiveHome, tmp_path: Path, name: str) -> None:
    backup(demo_home.root, tmp_path / name)
    data = (tmp_path / name).read_bytes()
    (tmp_path / name).write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupError) as refused:
        restore(tmp_path / name, tmp_path / "new")
    assert "cut short" in str(refused.value) or "did not finish" in str(refused.value)
    assert not list((tmp_path / "new").glob("library/*/*"))


def test_tar_with_an_added_file_is_refused(demo_home: ArchiveHome, tmp_path: Path) -> None:
    backup(demo_home.root, tmp_path / "home.tar")
    with tarfile.open(tmp_path / "home.tar", "a") as tar:
        tar.add(REPO / "README.md", arcname="library/evil.txt")
    with pytest.raises(BackupError, match="after its manifest"):
        check(tmp_path / "home.tar")


def test_backup_refuses_places_it_must_not_write(demo_home: ArchiveHome, tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="inside the home"):
        backup(demo_home.root, demo_home.root / "backups")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "letter.txt").write_text("keep me")
    with pytest.raises(BackupError, match="not backups of an archive"):
        backup(demo_home.root, tmp_path / "docs")
    assert (tmp_path / "docs" / "letter.txt").read_text() == "keep me"
    with pytest.raises(BackupError, match="There is no backup at"):
        restore(tmp_path / "nothing-here", tmp_path / "new")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BackupError, match="holds no complete backup"):
        restore(tmp_path / "empty", tmp_path / "new")


# A backup process that stops (as if it were slow) after writing some papers, so the test can
# kill it mid-backup with SIGKILL at a known point.
_SLOW_BACKUP = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import archive.backup as b

    home, dest, flag = map(Path, sys.argv[1:4])
    count = 0
    original = b._open_paper

    def slow(folder):
        global count
        count += 1
        if count == 3:
            flag.write_text("half-way")
            time.sleep(600)
        return original(folder)

    b._open_paper = slow
    b.backup(home, dest)
    """
)


@pytest.mark.parametrize("name", ["backups", "home.tar.gz"])
def test_kill_9_mid_backup_leaves_nothing_restore_accepts(
    demo_home: ArchiveHome, tmp_path: Path, name: str
) -> None:
    _fill_stores(demo_home)
    dest, flag = tmp_path / name, tmp_path / "flag"
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BACKUP, str(demo_home.root), str(dest), str(flag)],
        cwd=REPO,
    )
    try:
        while not flag.exists():
            assert process.poll() is None, "the backup process ended early"
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    leftovers = [p.name for p in tmp_path.rglob("*") if "partial" in p.name]
    assert leftovers, "the killed backup left no work file: was it killed mid-way?"
    with pytest.raises(BackupError):
        restore(dest, tmp_path / "new")
    assert not list((tmp_path / "new").glob("library/*/*"))
    # The next backup clears the debris and is whole.
    result = backup(demo_home.root, dest)
    check(dest)
    assert result.papers == 5
    if dest.is_dir():
        assert not [p for p in dest.iterdir() if p.name.startswith(".partial")]


def test_backup_while_an_import_and_the_server_write(tmp_path: Path) -> None:
    """An import (another process) and usage/copy-request writes run through a backup; the
    backup is whole, and what it holds restores to a home where every paper is found."""
    pdfs = sorted(CORPUS.glob("*.pdf"))[:12] if CORPUS.is_dir() else []
    if len(pdfs) < 12:
        pdfs = [
            make_pdf(tmp_path / "in" / f"p{n}.pdf", [f"Field report {n} on Amur tigers"] * 3)
            for n in range(12)
        ]
    home = ArchiveHome.at(tmp_path / "home")
    import_paths(home, pdfs[:2], jobs=1)
    _fill_stores(home)
    importer = subprocess.Popen(
        [sys.executable, "-m", "indexer", "--home", str(home.root), "import", "--jobs", "1"]
        + [str(p) for p in pdfs[2:]],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stop = threading.Event()
    written = {"searches": 0}

    def server_writes() -> None:
        usage, requests = UsageStore(home.root), CopyRequestStore(home.root)
        paper_id = next(iter(home.library.ids()))
        while not stop.is_set():
            usage.append([Search("snow leopard", 2)], [Event("view", paper_id)])
            requests.add(paper_id, "Reader", "r@example.org", "course")
            written["searches"] += 1

    writer = threading.Thread(target=server_writes)
    writer.start()
    try:
        # Wait until the import has added at least one paper, so the backup runs amid it.
        while len(list(home.library.ids())) < 3 and importer.poll() is None:
            time.sleep(0.05)
        results = [
            backup(home.root, tmp_path / "b.tar.gz", with_index=True, copy_index=home.index.copy_to)
        ]
        results.append(backup(home.root, tmp_path / "backups"))
    finally:
        stop.set()
        writer.join()
        importer.wait()
    assert written["searches"] > 0
    for source, result in zip([tmp_path / "b.tar.gz", tmp_path / "backups"], results, strict=True):
        target = tmp_path / f"restored-{source.name}"
        restored = restore(source, target)
        assert restored.papers == result.papers >= 2
        new = ArchiveHome.at(target)
        ids = set(new.library.ids())
        assert len(ids) == result.papers
        if new.index.paper_ids() != ids:
            new.index.rebuild(new.library)  # as `archive restore` does when they differ
        assert new.index.paper_ids() == ids
        with sqlite3.connect(target / "usage.sqlite") as db:
            assert db.execute("SELECT count(*) FROM searches").fetchone()[0] >= 2
        assert Accounts(target).authenticate("alice", PASSWORD) is not None


def test_cli_backup_and_restore_as_cron_would(demo_home: ArchiveHome, tmp_path: Path) -> None:
    """The README's commands, through a real subprocess: back up, restore into a new home,
    and the new home verifies clean, finds every paper and lets the curator log in."""
    _fill_stores(demo_home)

    def archive(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "indexer", *args], cwd=REPO, capture_output=True, text=True
        )

    done = archive(
        "--home", str(demo_home.root), "backup", str(tmp_path / "backups"), "--keep", "7"
    )
    assert done.returncode == 0, done.stderr
    assert f"Backed up the home {demo_home.root}" in done.stdout and "5 papers" in done.stdout
    new = tmp_path / "new-home"
    done = archive("--home", str(new), "restore", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr
    assert "Restored 5 papers" in done.stdout and "rebuilt" in done.stdout
    verify = archive("--home", str(new), "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    for paper_id in ArchiveHome.at(demo_home.root).library.ids():
        title = ArchiveHome.at(new).library.get(paper_id).title
        found = archive("--home", str(new), "search", f'title:"{title}"', "--json")
        assert paper_id in [r["id"] for r in json.loads(found.stdout)["results"]], title
    assert Accounts(new).authenticate("alice", PASSWORD) is not None
    again = archive("--home", str(new), "restore", str(tmp_path / "backups"))
    assert again.returncode == 1
    assert "Nothing was restored" in again.stderr and "already holds 5 papers" in again.stderr
    assert "Traceback" not in again.stderr
