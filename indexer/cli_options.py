"""What several ``archive`` commands share, for the modules that hold them (``cli.py`` and the
command modules beside it): the home as a person named it, and the worker pool's options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from indexer.home import ArchiveHome
from indexer.workers import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S


def open_home(ctx: click.Context) -> ArchiveHome:
    """The archive home of ``--home`` (or ``ARCHIVE_HOME``), or a sentence saying why not."""
    root = ctx.find_root().obj["home_path"]
    try:
        return ArchiveHome.at(root)
    except OSError as error:
        raise click.ClickException(
            f"Cannot use the archive home {root}: {error.strerror}."
        ) from None


def worker_options(timeout_help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--jobs``, ``--timeout`` (described by ``timeout_help``) and ``--memory-limit``: the
    limits of the extraction workers a command runs."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(
            [
                click.option(
                    "--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [all cores]."
                ),
                click.option(
                    "--timeout",
                    type=click.FloatRange(min=1),
                    default=DEFAULT_TIMEOUT_S,
                    show_default=True,
                    help=timeout_help,
                ),
                click.option(
                    "--memory-limit",
                    type=click.IntRange(min=256),
                    default=DEFAULT_MEMORY_MB,
                    show_default=True,
                    help="Megabytes of memory one worker may use.",
                ),
            ]
        ):
            command = option(command)
        return command

    return decorate
