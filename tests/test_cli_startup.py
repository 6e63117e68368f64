"""The ``archive`` command starts at once (issue 28): what a command loads, read from
``sys.modules`` of a fresh process. Times are printed by ``make bench-cli``, never asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.constants import SORTS

from conftest import REPO

# What no command needs before it runs, and only some commands need at all.
HEAVY = (
    "webui",  # the web application (archive serve only)
    "flask",
    "waitress",
    "pypdfium2",  # page images (thumbnails, previews)
    "pypdf",  # extraction (import, refresh-metadata, verify --repair)
    "PIL",
    "indexer.ocr",
    "ocrmypdf",
    "indexer.workers",  # the worker pool
    "multiprocessing",
    "indexer.extract",
    "indexer.importer",
    "indexer.home",  # the home's index: whoosh and numpy
    "indexer.index",
    "indexer.engine.search",
    "whoosh",
    "numpy",
    "argon2",  # password hashing (archive user ...)
    "zipstream",
)


def loaded_after(code: str, cwd: Path) -> set[str]:
    """The heavy modules (and their submodules) loaded by running ``code`` in a new Python."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=False
    )
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    return {name for name in modules if any(name == h or name.startswith(h + ".") for h in HEAVY)}


def test_importing_the_cli_loads_no_heavy_module(tmp_path: Path) -> None:
    assert loaded_after("import indexer.cli", tmp_path) == set()


def test_archive_help_loads_no_heavy_module(tmp_path: Path) -> None:
    # The group's help lists every command with its first line: none may load its modules.
    code = "from indexer.cli import main\nmain(['--help'], standalone_mode=False)"
    assert loaded_after(code, tmp_path) == set()


def test_stats_and_search_load_the_index_but_not_the_pdf_side(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for args in (["stats"], ["search", "leopard", "--json"]):
        code = (
            "from indexer.cli import main\n"
            f"main(['--home', {str(home)!r}, *{args!r}], standalone_mode=False)"
        )
        loaded = loaded_after(code, tmp_path)
        assert "indexer.index" in loaded  # the command did run
        pdf_side = {"pypdf", "pypdfium2", "indexer.workers", "webui", "flask", "argon2"}
        assert not {name.split(".")[0] for name in loaded} & pdf_side, (args, loaded)
        assert not {"indexer.workers", "indexer.extract"} & loaded, (args, loaded)


def test_user_commands_still_check_passwords(tmp_path: Path) -> None:
    # The Argon2 timing hash is made at the first check now, not at import.
    code = (
        "from archive import accounts\n"
        "assert accounts._dummy_hash.cache_info().currsize == 0\n"
        "from pathlib import Path\n"
        f"store = accounts.AccountStore(Path({str(tmp_path)!r}))\n"
        "store.add('curator', 'correct horse battery')\n"
        "assert store.authenticate('nobody', 'correct horse battery') is None\n"
        "assert accounts._dummy_hash().startswith('$argon2id$')\n"
        "assert store.authenticate('curator', 'correct horse battery') is not None\n"
        "assert store.authenticate('curator', 'wrong horse battery') is None\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_still_has_its_help(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: main {name}" in result.output or f"Usage: archive {name}" in result.output


def test_choices_and_defaults_shown_from_the_constants() -> None:
    output = CliRunner().invoke(main, ["search", "--help"]).output
    assert "|".join(SORTS) in output
    output = " ".join(CliRunner().invoke(main, ["import", "--help"]).output.split())
    assert "[default: 60.0; x>=1]" in output and "[default: 2048; x>=256]" in output
    assert "embargo" in output  # the metadata file's columns
    output = " ".join(CliRunner().invoke(main, ["export", "--help"]).output.split())
    assert "[default: 500; x>=1]" in output


def test_the_console_script_runs_from_a_fresh_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "indexer", "--help"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    for name in main.commands:
        assert f"  {name} " in done.stdout or f"  {name}\n" in done.stdout
