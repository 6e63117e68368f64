"""Whoosh without the parts of the standard library it loads and never uses here (issue 28).

Two of Whoosh's modules import large standard-library packages at import time for almost
nothing: ``whoosh.compat`` takes ``urlretrieve`` from ``urllib.request`` (which loads
``http.client``, ``email``, ``ssl`` and ``socket``) and no code of Whoosh calls it;
``cached_property`` (a dependency of ``whoosh.reading``) imports ``asyncio`` to ask whether
the decorated function is a coroutine function (Whoosh's one cached property is not). On this
machine that was a tenth of ``archive search``'s start-up.

:func:`defer_unused_stdlib` imports those two modules while a small stand-in takes the place of
each standard-library module they name, and removes the stand-in at once: every later import
of ``urllib.request`` or ``asyncio`` gets the real module. The stand-ins' functions import the
real module when called and answer as it does, so nothing changes but when it is loaded.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import sys
import types
from collections.abc import Callable, Iterator
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


@contextlib.contextmanager
def _standing_in(name: str, **attributes: Any) -> Iterator[None]:
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


def defer_unused_stdlib() -> None:
    """Import ``whoosh.compat`` and ``cached_property`` without ``urllib.request`` and
    ``asyncio`` (see the module's docstring); do nothing for what is imported already."""
    deferred = [
        (
            "whoosh.compat",
            "urllib.request",
            {"urlretrieve": _forward("urllib.request", "urlretrieve")},
        ),
        (
            "cached_property",
            "asyncio",
            {
                "iscoroutinefunction": _iscoroutinefunction,
                "ensure_future": _forward("asyncio", "ensure_future"),
            },
        ),
    ]
    for module, stdlib, attributes in deferred:
        if module in sys.modules:
            continue
        try:
            with _standing_in(stdlib, **attributes):
                importlib.import_module(module)
        except (ImportError, AttributeError):
            # A version that takes more from the module: it is imported as usual when needed.
            sys.modules.pop(module, None)
