"""The ``archive`` command: one click group, small commands that call the library code.

The group is :func:`main`; its commands live in the modules beside this one, a module per
group of commands, and are registered at the end of this module. Scripts call
``archive`` many times (a search per line of a list, cron jobs), so it must start at
once (issue 28): importing this module, and the command modules, loads click and light
modules only. **To add a command**:

* write it with ``@click.command("name")`` in the module of its group (or a new one) and
  register it below with ``main.add_command(...)``;
* at the top of the module import only click, ``indexer.cli.options``,
  ``indexer.constants`` and the light ``archive`` modules (config, access, paper);
  import everything else (the home and its index, the search engine, the importer,
  workers, PDF readers, the web) *inside* the command's function, and types for hints
  under ``if TYPE_CHECKING:``;
* a choice or default its options show in ``--help`` goes in ``indexer/constants.py``.

The group also lets Whoosh be imported without modules it never uses here
(``indexer/cli/startup.py``), for every command but ``serve``.

``tests/test_cli_startup.py`` fails when importing this module loads a heavy module
again, and ``make bench-cli`` prints the start-up times.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from archive.config import ENV_HOME, default_home, resolve_home
from indexer.cli.curation import curation_command
from indexer.cli.importing import import_command, refresh_metadata_command
from indexer.cli.papers import remove_command, show_command
from indexer.cli.questions import questions
from indexer.cli.searching import export_command, search_command, thesaurus_command
from indexer.cli.serve import serve_command
from indexer.cli.thumbnails import thumbnails
from indexer.cli.upkeep import (
    backup_command,
    compact_command,
    reindex_command,
    restore_command,
    stats_command,
    verify_command,
)
from indexer.cli.users import user


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=ENV_HOME,
    help=f"The archive's folder (library and index). [env: {ENV_HOME}; default: {default_home()}]",
)
@click.pass_context
def main(ctx: click.Context, home: Path | None) -> None:
    """A conservation paper archive: import PDFs, search them, download them."""
    if ctx.invoked_subcommand != "serve":
        from indexer.cli.startup import defer_unused_imports

        defer_unused_imports()  # before the command imports whoosh
        # No command multiplies matrices: OpenBLAS starting a thread per core when numpy is
        # imported was a sixth of numpy's import (a person's own setting is kept).
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    ctx.ensure_object(dict)
    ctx.obj["home_path"] = resolve_home(home)


main.add_command(backup_command)  # archive backup
main.add_command(compact_command)  # archive compact
main.add_command(curation_command)  # archive curation
main.add_command(export_command)  # archive export
main.add_command(import_command)  # archive import
main.add_command(questions)  # archive questions (its own module)
main.add_command(refresh_metadata_command)  # archive refresh-metadata
main.add_command(reindex_command)  # archive reindex
main.add_command(remove_command)  # archive remove
main.add_command(restore_command)  # archive restore
main.add_command(search_command)  # archive search
main.add_command(serve_command)  # archive serve
main.add_command(show_command)  # archive show
main.add_command(stats_command)  # archive stats
main.add_command(thesaurus_command)  # archive thesaurus
main.add_command(thumbnails)  # archive thumbnails (its own module)
main.add_command(user)  # archive user (its own module)
main.add_command(verify_command)  # archive verify
