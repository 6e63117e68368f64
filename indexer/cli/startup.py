"""Whoosh without the modules it loads at import time and never uses here (issue 28).

Three of Whoosh's modules import large modules for almost nothing: ``whoosh.compat`` takes
``urlretrieve`` from ``urllib.request`` (which loads ``http.client``, ``email``, ``ssl`` and
``socket``) and no code of Whoosh calls it; ``cached_property`` (a dependency of
``whoosh.reading``) imports ``asyncio`` to ask whether the decorated function is a coroutine
function (Whoosh's one cached property is not); ``whoosh.query.terms`` takes ``variations``
from ``whoosh.lang.morph_en``, which compiles a large set of regular expressions, for its
``Variations`` query, which the archive never builds. Together they were a good part of what
``archive search`` and ``archive stats`` spent before doing anything.

:func:`defer_unused_imports` puts a finder first on ``sys.meta_path``: while one of those three
modules is executed, a small stand-in takes the place of the module it names, and is removed at
once, so every later import of ``urllib.request``, ``asyncio`` or ``whoosh.lang.morph_en`` gets
the real module. The stand-ins' functions import the real module when called and answer as it
does: nothing changes but when (and whether) the module is loaded.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import sys
import types
from collections.abc import Callable, Iterator, Sequence
from importlib.machinery import ModuleSpec, PathFinder
from typing import Any


def _forward(module: str, name: str) -> Callable[..., Any]:
    """A function that calls ``module.name``, importing the real module at the first call."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def _iscoroutinefunction(func: Any) -> bool:
    """``asyncio.iscoroutinefunction`` without loading asyncio for a plain function: asyncio
    answers True only for what ``inspect`` calls a coroutine function or for a function that
    carries its ``_is_coroutine`` mark, which only code that loaded asyncio can have set."""
    if inspect.iscoroutinefunction(func) or hasattr(func, "_is_coroutine"):
        return importlib.import_module("asyncio").iscoroutinefunction(func)
    return False


# The module executed -> (the module it need not load, what the stand-in holds).
STAND_INS: dict[str, tuple[str, dict[str, Any]]] = {
    "whoosh.compat": (
        "urllib.request",
        {"urlretrieve": _forward("urllib.request", "urlretrieve")},
    ),
    "cached_property": (
        "asyncio",
        {
            "iscoroutinefunction": _iscoroutinefunction,
            "ensure_future": _forward("asyncio", "ensure_future"),
        },
    ),
    "whoosh.query.terms": (
        "whoosh.lang.morph_en",
        {"variations": _forward("whoosh.lang.morph_en", "variations")},
    ),
}


@contextlib.contextmanager
def _standing_in(name: str, attributes: dict[str, Any]) -> Iterator[None]:
    """``sys.modules[name]`` is a module holding only ``attributes`` inside the block (unless
    the real one is loaded already)."""
    if name in sys.modules:
        yield
        return
    stand_in = types.ModuleType(name, f"Stands in for {name} while a module is imported.")
    stand_in.__dict__.update(attributes)
    sys.modules[name] = stand_in
    try:
        yield
    finally:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]


class _Loader:
    """Executes a module with the stand-in of :data:`STAND_INS` in place."""

    def __init__(self, loader: Any, stand_in: tuple[str, dict[str, Any]]) -> None:
        self.loader = loader
        self.stand_in = stand_in

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        try:
            with _standing_in(*self.stand_in):
                self.loader.exec_module(module)
        except (ImportError, AttributeError):
            # A version that takes more from the module than the stand-in holds: as usual.
            self.loader.exec_module(module)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)  # get_source (tracebacks), get_filename...


class _Finder:
    """Finds the modules of :data:`STAND_INS` as Python would, with :class:`_Loader`; leaves
    ``sys.meta_path`` once each is imported."""

    def __init__(self, waiting: set[str]) -> None:
        self.waiting = waiting

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        if name not in self.waiting:
            return None
        self.waiting.discard(name)
        if not self.waiting:
            with contextlib.suppress(ValueError):
                sys.meta_path.remove(self)
        spec = PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _Loader(spec.loader, STAND_INS[name])  # type: ignore[assignment]
        return spec


def defer_unused_imports() -> None:
    """Let the modules of :data:`STAND_INS` be imported without what they need not load (see
    the module's docstring). Does nothing for those imported already; for a command, not for
    the long-running server (its threads could import a module while a stand-in is in place).
    """
    waiting = {name for name in STAND_INS if name not in sys.modules}
    if waiting and not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder(waiting))
