"""The ``archive`` command starts at once (issue 28): what a command loads, read from
``sys.modules`` of a fresh process. Times are printed by ``make bench-cli``, never asserted."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import main
from indexer.constants import SORTS
from indexer.engine import thesaurus as thesaurus_module
from indexer.engine.thesaurus import Thesaurus
from indexer.home import ArchiveHome

from conftest import REPO

# What no command needs before it runs, and only some commands need at all.
HEAVY = (
    "webui",  # the web application (archive serve only)
    "flask",
    "waitress",
    "pypdfium2",  # page images (thumbnails, previews)
    "pypdf",  # extraction (import, refresh-metadata, verify --repair)
    "PIL",
    "indexer.ingest.ocr",
    "ocrmypdf",
    "indexer.ingest.workers",  # the worker pool
    "multiprocessing",
    "indexer.ingest.extract",
    "indexer.ingest.importer",
    "indexer.home",  # the home's index: whoosh and numpy
    "indexer.index",
    "indexer.engine.search",
    "whoosh",
    "numpy",
    "argon2",  # password hashing (archive user ...)
    "zipstream",
    "asyncio",  # loaded by Whoosh's imports, never used (indexer/cli/startup.py)
    "urllib.request",
    "email",
    "ssl",
)


# What Whoosh imports and never uses on the archive's paths (see indexer/cli/startup.py).
UNUSED_BY_WHOOSH = ("asyncio", "urllib.request", "email", "http", "ssl", "whoosh.lang.morph_en")


def run_fresh(code: str, cwd: Path) -> tuple[set[str], str]:
    """Every module loaded by running ``code`` in a new Python, and what it printed."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stderr.strip().splitlines()[-1])), done.stdout


def among(modules: set[str], names: tuple[str, ...]) -> set[str]:
    """The modules that are one of ``names`` or a submodule of one."""
    return {name for name in modules if any(name == h or name.startswith(h + ".") for h in names)}


def loaded_after(code: str, cwd: Path) -> set[str]:
    """The heavy modules (and their submodules) loaded by running ``code`` in a new Python."""
    return among(run_fresh(code, cwd)[0], HEAVY)


def test_importing_the_cli_loads_no_heavy_module(tmp_path: Path) -> None:
    assert loaded_after("import indexer.cli.main", tmp_path) == set()


def test_archive_help_loads_no_heavy_module(tmp_path: Path) -> None:
    # The group's help lists every command with its first line: none may load its modules.
    code = "from indexer.cli.main import main\nmain(['--help'], standalone_mode=False)"
    assert loaded_after(code, tmp_path) == set()


def test_stats_and_search_load_the_index_but_not_the_pdf_side(tmp_path: Path) -> None:
    home = tmp_path / "home"
    for args in (["stats"], ["search", "leopard", "--json"]):
        code = (
            "from indexer.cli.main import main\n"
            f"main(['--home', {str(home)!r}, *{args!r}], standalone_mode=False)"
        )
        loaded = loaded_after(code, tmp_path)
        assert "indexer.index" in loaded  # the command did run
        pdf_side = {"pypdf", "pypdfium2", "indexer.ingest.workers", "webui", "flask", "argon2"}
        assert not {name.split(".")[0] for name in loaded} & pdf_side, (args, loaded)
        assert not {"indexer.ingest.workers", "indexer.ingest.extract"} & loaded, (args, loaded)


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


def test_stats_loads_no_numpy_and_neither_command_what_whoosh_does_not_use(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    def run(*args: str) -> tuple[set[str], str]:
        code = (
            "from indexer.cli.main import main\n"
            f"main(['--home', {str(demo_home.root)!r}, *{list(args)!r}], standalone_mode=False)"
        )
        return run_fresh(code, tmp_path)

    modules, output = run("stats")
    assert output.startswith("5 papers, ")
    assert not among(modules, ("numpy", "indexer.engine.ranking", "indexer.engine.thesaurus"))
    assert not among(modules, UNUSED_BY_WHOOSH)
    modules, output = run("search", "Amur leopard")  # a thesaurus name: its other names too
    assert "Also searched for 'Amur leopard' as: Far Eastern leopard" in output
    assert "numpy" in modules  # ranking needs it
    assert not among(modules, UNUSED_BY_WHOOSH)


def test_the_stand_ins_answer_as_the_real_modules(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("a page\n")
    code = f"""
import sys
from indexer.cli.startup import STAND_INS, defer_unused_imports
defer_unused_imports()
import cached_property, whoosh.compat, whoosh.query.terms
assert not {{'asyncio', 'urllib.request', 'whoosh.lang.morph_en'}} & set(sys.modules)
assert not [f for f in sys.meta_path if type(f).__name__ == '_Finder']  # done, it left

# whoosh.compat.urlretrieve is urllib's, loaded at the first call
copy, _ = whoosh.compat.urlretrieve({source.as_uri()!r}, {str(tmp_path / "copy.txt")!r})
assert open(copy).read() == 'a page\\n'
import urllib.request
assert sys.modules['urllib.request'] is urllib.request and urllib.request.Request

# whoosh's Variations query finds the forms of a word as morph_en does
forms = whoosh.query.terms.variations('forest')
from whoosh.lang.morph_en import variations
assert 'forests' in forms and sorted(forms) == sorted(variations('forest'))

# cached_property: plain functions and coroutine functions, as with asyncio imported
class Paper:
    calls = 0

    @cached_property.cached_property
    def pages(self):
        Paper.calls += 1
        return 3

    @cached_property.cached_property
    async def summary(self):
        return 'summary'

paper = Paper()
assert (paper.pages, paper.pages, Paper.calls) == (3, 3, 1)
assert 'asyncio' not in sys.modules
import asyncio

async def read():
    return await paper.summary

assert asyncio.run(read()) == 'summary'
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_a_module_taking_more_than_the_stand_in_holds_is_imported_as_usual(
    tmp_path: Path,
) -> None:
    (tmp_path / "takes_more.py").write_text("from asyncio import sleep, iscoroutinefunction\n")
    code = """
import sys
from indexer.cli import startup
startup.STAND_INS['takes_more'] = startup.STAND_INS['cached_property']
startup.defer_unused_imports()
import takes_more, asyncio
assert takes_more.sleep is asyncio.sleep
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def _search(home: Path, words: str) -> str:
    """What ``archive search WORDS`` prints, run as a person runs it (a new process)."""
    done = subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), "search", words],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_thesaurus_keys_are_kept_in_the_home_and_edits_still_apply(
    demo_home: ArchiveHome,
) -> None:
    root = demo_home.root
    cache = root / "cache" / "thesaurus.json"
    assert "Also searched for 'Amur leopard' as: Far Eastern leopard" in _search(
        root, "Amur leopard"
    )
    assert cache.is_file()
    # A new process reads the names' keys from the cache instead of parsing the files.
    code = f"""
from pathlib import Path
from indexer.engine import thesaurus
from indexer.home import ArchiveHome
def parse(*args, **kwargs):
    raise AssertionError('parsed again')
thesaurus.Thesaurus.parse = parse
found = ArchiveHome.at(Path({str(root)!r})).thesaurus()
assert 'Far Eastern leopard' in found.synonyms(['amur', 'leopards'])
assert 'амурский леопард' in found.synonyms(['Amur', 'leopard'])
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr

    # Staff copy the thesaurus into the home and edit it: each edit applies at the next search.
    init = subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(root), "thesaurus", "--init"],
        capture_output=True,
        text=True,
    )
    assert init.returncode == 0, init.stderr
    assert "Also searched for 'quokka'" not in _search(root, "quokka")
    home_file = root / "thesaurus.txt"
    with home_file.open("a", encoding="utf-8") as file:
        file.write("quokka = Setonix brachyurus\n")
    assert "Also searched for 'quokka' as: Setonix brachyurus" in _search(root, "quokka")
    # An edit that keeps the size and puts the modification time back is seen too.
    before = home_file.stat()
    home_file.write_text(
        home_file.read_text(encoding="utf-8").replace("Setonix brachyurus", "Setonix brachyurox"),
        encoding="utf-8",
    )
    os.utime(home_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert home_file.stat().st_size == before.st_size
    assert "Also searched for 'quokka' as: Setonix brachyurox" in _search(root, "quokka")
    home_file.unlink()  # back to the shipped thesaurus
    assert "Also searched for 'quokka'" not in _search(root, "quokka")
    assert "as: Far Eastern leopard" in _search(root, "Amur leopard")


def _fresh_load(home: ArchiveHome) -> Thesaurus:
    """The home's thesaurus as a new process loads it (nothing kept in memory)."""
    thesaurus_module._cache.clear()
    thesaurus_module._merged.clear()
    return home.thesaurus()


def test_a_damaged_or_unwritable_cache_changes_nothing(home: ArchiveHome) -> None:
    expected = _fresh_load(home)
    cache = home.root / "cache" / "thesaurus.json"
    assert json.loads(cache.read_text(encoding="utf-8"))["concepts"]
    for damaged in (
        cache.read_text(encoding="utf-8")[:500],  # cut short
        "[]",
        json.dumps({**json.loads(cache.read_text(encoding="utf-8")), "keys": [[["amur"], [9999]]]}),
    ):
        cache.write_text(damaged, encoding="utf-8")
        loaded = _fresh_load(home)
        assert (loaded.concepts, loaded._by_key) == (expected.concepts, expected._by_key)
        assert json.loads(cache.read_text(encoding="utf-8"))["key"]  # written again, whole
    shutil.rmtree(home.root / "cache")
    (home.root / "cache").write_text("not a folder")  # nowhere to write the cache
    loaded = _fresh_load(home)
    assert loaded.synonyms(["Amur", "leopard"]) == expected.synonyms(["Amur", "leopard"])
    assert (home.root / "cache").read_text() == "not a folder"
