"""The layout of the house (issue 26): every import points the way the packages' docstrings say.

Imports are read from the modules' source with ``ast``, as a linter reads them (those inside
functions and under ``TYPE_CHECKING`` too), never by importing the modules. The direction is
``webui`` -> ``indexer`` -> ``archive``; inside ``indexer`` the core (the modules at its top)
and the engine are the floor the rooms (``ingest``, ``describe``, ``pictures``) stand on, and
only the command line (``indexer.cli``) reaches into everything, its ``serve`` alone up to
``webui``; inside ``webui`` the shared helpers at its top come first, then ``server``, then
``public``, then ``staff``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("archive", "indexer", "webui")

# The modules at the top of indexer/ (the index core) and of webui/ (the app factory and what
# every area uses). A module anywhere else at those levels has no place yet: put it in a room,
# or add it here (and to the package's docstring) when it is part of the floor.
INDEXER_CORE = {
    "analysis",
    "concurrency",
    "constants",
    "export",
    "home",
    "index",
    "index_sync",
    "merging",
    "normalize",
    "published_answers",
    "recent",
    "schema",
    "verify",
}
WEBUI_SHARED = {
    "auth",
    "background",
    "context",
    "errors",
    "extensions",
    "i18n",
    "labels",
    "mailer",
    "urls",
}
INDEXER_ROOMS = ("engine", "ingest", "describe", "pictures", "cli")
WEBUI_AREAS = ("public", "staff", "server")

LIBRARY = {"indexer", "indexer.engine", "indexer.ingest", "indexer.describe", "indexer.pictures"}
WEB_BASE = {"archive", *LIBRARY, "webui", "webui.server"}

# What each area may import (besides the standard library and third-party packages).
MAY_IMPORT: dict[str, set[str]] = {
    "archive": {"archive"},
    "indexer": {"archive", "indexer", "indexer.engine"},
    "indexer.engine": {"archive", "indexer", "indexer.engine"},
    "indexer.pictures": {"archive", "indexer", "indexer.engine", "indexer.pictures"},
    "indexer.describe": {"archive", "indexer", "indexer.engine", "indexer.describe"},
    "indexer.ingest": {"archive", *LIBRARY},
    "indexer.cli": {"archive", *LIBRARY, "indexer.cli"},
    "webui": {"archive", *LIBRARY, "webui"},
    "webui.server": WEB_BASE,
    "webui.public": {*WEB_BASE, "webui.public"},
    "webui.staff": {*WEB_BASE, "webui.public", "webui.staff"},
}

# The exceptions, module by module (an area, a module, or a package's modules), each with why.
ALSO: dict[str, set[str]] = {
    # `archive verify --repair` extracts text again and draws thumbnails with the rooms' tools.
    "indexer.verify": {"indexer.ingest", "indexer.describe", "indexer.pictures"},
    # Thumbnails for papers already in a home are drawn in the import's worker pool.
    "indexer.pictures.thumbnails": {"indexer.ingest.workers"},
    # A scanned paper is a weak description: the queue asks which pages are scans.
    "indexer.describe.curation_queue": {"indexer.ingest.ocr"},
    # `archive serve`, the one way up from the command line to the web.
    "indexer.cli.serve": {"webui.server.serving"},
    # `python -m indexer` is the `archive` command.
    "indexer.__main__": {"indexer.cli.main"},
    # The app factory registers every area's blueprints.
    "webui": {"webui.public", "webui.staff", "webui.server"},
}


def module_files() -> dict[str, Path]:
    """Every module of the three packages, by dotted name."""
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            dotted = path.relative_to(ROOT).with_suffix("").as_posix().replace("/", ".")
            found[dotted.removesuffix(".__init__")] = path
    return found


MODULES = module_files()


def area(module: str) -> str:
    """The area a module belongs to: ``indexer`` (the core), ``indexer.ingest``, ``webui``..."""
    parts = module.split(".")
    if parts[0] == "indexer" and len(parts) > 2 and parts[1] in INDEXER_ROOMS:
        return f"indexer.{parts[1]}"
    if parts[0] == "webui" and len(parts) > 2 and parts[1] in WEBUI_AREAS:
        return f"webui.{parts[1]}"
    if (
        parts[0] in ("indexer", "webui")
        and len(parts) == 2
        and parts[1]
        in (
            *INDEXER_ROOMS,
            *WEBUI_AREAS,
        )
    ):
        return module  # the package itself (its __init__)
    return parts[0]


def imported(module: str, source: str) -> set[str]:
    """The project's modules that ``source`` (the module ``module``) imports, wherever."""
    path = MODULES.get(module)
    package = module if path and path.name == "__init__.py" else module.rpartition(".")[0]
    targets = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in MODULES else base)
    return {t for t in targets if t.split(".")[0] in PACKAGES}


def allowed(module: str, target: str) -> bool:
    here, there = area(module), area(target)
    if there in MAY_IMPORT.get(here, set()):
        return True
    extra = ALSO.get(module, set())
    return any(target == name or target.startswith(name + ".") or there == name for name in extra)


def violations(module: str, source: str) -> list[str]:
    return [
        f"{module} imports {target} ({area(module)} may not import {area(target)})"
        for target in sorted(imported(module, source))
        if not allowed(module, target)
    ]


def test_every_import_points_the_way_the_packages_say() -> None:
    found = []
    for module, path in MODULES.items():
        found += violations(module, path.read_text(encoding="utf-8"))
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("indexer.index", "from webui import create_app"),  # the library reaching up to the web
        ("indexer.ingest.importer", "def f():\n    from indexer.cli.main import main"),
        ("indexer.engine.search", "from indexer.ingest.extract import Extraction"),
        ("indexer.describe.header", "from indexer.pictures import page_images"),
        ("indexer.cli.searching", "from webui.public.search_views import search_page"),
        ("archive.paper", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n import indexer"),
        ("webui.public.pages", "from webui.staff.curation import bp"),
        ("webui.server.throttle", "from webui.public import downloads"),
        ("webui.auth", "from webui.server.usage import init_usage"),
    ],
)
def test_an_import_the_wrong_way_is_caught(module: str, source: str) -> None:
    assert violations(module, source)


def test_the_way_down_is_allowed() -> None:
    assert not violations("webui.staff.curation", "from webui.public import search_views")
    assert not violations(
        "indexer.cli.serve", "def f():\n    from webui.server.serving import serve"
    )
    assert not violations("indexer.ingest.workers", "from indexer.pictures.page_images import x")


def test_every_module_has_its_place() -> None:
    """The top of indexer/ and webui/ holds the floor only: a module left at an old path, or a
    shim re-exporting a moved one, has no place here."""
    indexer_top = {
        n.split(".")[1] for n in MODULES if n.startswith("indexer.") and n.count(".") == 1
    }
    webui_top = {n.split(".")[1] for n in MODULES if n.startswith("webui.") and n.count(".") == 1}
    assert "index" in indexer_top and "auth" in webui_top  # the modules were found
    assert indexer_top - {"__main__", *INDEXER_ROOMS} == INDEXER_CORE
    assert webui_top - set(WEBUI_AREAS) == WEBUI_SHARED
    for package in ("indexer", "webui"):
        folders = {p.name for p in (ROOT / package).iterdir() if (p / "__init__.py").is_file()}
        assert folders == set(INDEXER_ROOMS if package == "indexer" else WEBUI_AREAS)


def test_each_package_says_what_it_holds_and_re_exports_nothing() -> None:
    for name in [f"indexer.{room}" for room in INDEXER_ROOMS] + [f"webui.{a}" for a in WEBUI_AREAS]:
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        docstring = ast.get_docstring(tree)
        assert docstring, f"{name} has no docstring"
        assert len(tree.body) == 1, f"{name}/__init__.py holds more than its docstring"
        if name != "indexer.engine":
            assert "May import" in docstring, f"{name}'s docstring does not say what it may import"
