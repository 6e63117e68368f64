"""``archive serve``: the web interface, served by waitress. The one command module that
imports ``webui`` (see :mod:`indexer.cli`)."""

from __future__ import annotations

import errno
import functools

import click

from indexer.cli.options import open_home


@click.command("serve")
@click.option("--host", help="Address to listen on. [env: ARCHIVE_HOST; default: 127.0.0.1]")
@click.option(
    "--port", type=click.IntRange(1, 65535), help="Port. [env: ARCHIVE_PORT; default: 8080]"
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    help="Requests served at once in each process. [env: ARCHIVE_THREADS; default: 4]",
)
@click.option(
    "--processes",
    type=click.IntRange(1, 16),
    help="Server processes (one per core to use). [env: ARCHIVE_PROCESSES; default: 1]",
)
@click.pass_context
def serve_command(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    threads: int | None,
    processes: int | None,
) -> None:
    """Serve the web interface with waitress (a production WSGI server) until Ctrl-C or SIGTERM.

    Every setting also comes from the environment (ARCHIVE_PORT, ...) or HOME/config.toml;
    a flag wins over both (see the README). Logs go to HOME/logs/access.log and error.log.
    """
    from archive.settings import load_settings
    from indexer.pictures.thumbnails import draw_missing_in_background

    # The one place the command line reaches into the web layer (see PRODUCT.md).
    from webui.server.serving import CannotServe, serve

    home = open_home(ctx)
    flags = {"host": host, "port": port, "threads": threads, "processes": processes}
    settings = load_settings(home.root, flags)

    def listening() -> None:
        click.echo(
            f"Serving {home.root} on http://{settings.host}:{settings.port}/ with "
            f"{_workers(settings.processes, settings.threads)}; logs in {home.log_dir} "
            "(Ctrl-C or SIGTERM to stop)."
        )

    try:
        # Papers from before thumbnails get theirs (issue 16), drawn beside the server.
        background = functools.partial(draw_missing_in_background, home)
        serve(home, settings, on_listening=listening, background=background)
    except OSError as error:
        hint = ""
        if error.errno == errno.EADDRINUSE:
            hint = (
                " Another program (perhaps another archive serve) uses that port: pick another"
                " with --port 8081 (or ARCHIVE_PORT=8081; `make run PORT=8081`)."
            )
        raise click.ClickException(
            f"Cannot listen on {settings.host}:{settings.port}: {error.strerror or error}.{hint}"
        ) from None
    except CannotServe as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        pass
    click.echo("Stopped.")


def _workers(processes: int, threads: int) -> str:
    if processes == 1:
        return f"{threads} threads"
    return f"{processes} processes of {threads} threads"
