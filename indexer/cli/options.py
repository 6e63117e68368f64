"""What several ``archive`` commands share, for the command modules beside it:
the home as a person named it, the worker pool's options, a paper's id from its first
characters, and JSON output.

Like every command module, this one imports only click and light modules at the top: the home,
the index and the worker pool are imported where they are used, so that ``archive --help`` and
commands that need little start at once (issue 28; ``tests/test_cli_startup.py`` checks it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from indexer.constants import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S

if TYPE_CHECKING:
    from indexer.home import ArchiveHome


def open_home(ctx: click.Context) -> ArchiveHome:
    """The archive home of ``--home`` (or ``ARCHIVE_HOME``), or a sentence saying why not."""
    from indexer.home import ArchiveHome  # the index (whoosh): only for commands using it

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


def resolve_id(home: ArchiveHome, paper_id: str) -> str:
    from archive.library import AmbiguousId, PaperNotFound

    try:
        return home.library.resolve(paper_id)
    except AmbiguousId:
        raise click.ClickException(
            f"More than one paper has an id starting with {paper_id!r}; give more characters."
        ) from None
    except PaperNotFound:
        raise click.ClickException(f"No paper with id {paper_id!r} in the archive.") from None


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))
