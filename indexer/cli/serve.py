"""``archive serve``: the web interface, served by waitress. The one command module that
imports ``webui`` (see :mod:`indexer.cli`)."""

from __future__ import annotations

import errno

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
    help="Requests served at once. [env: ARCHIVE_THREADS; default: 8]",
)
@click.pass_context
def serve_command(
    ctx: click.Context, host: str | None, port: int | None, threads: int | None
) -> None:
    """Serve the web interface with waitress (a production WSGI server) until Ctrl-C or SIGTERM.

    Every setting also comes from the environment (ARCHIVE_PORT, ...) or HOME/config.toml;
    a flag wins over both (see the README). Logs go to HOME/logs/access.log and error.log.
    """
    from archive.settings import load_settings
    from indexer.pictures.thumbnails import draw_missing_in_background

    # The one place the command line reaches into the web layer (see PRODUCT.md).
    from webui.server.serving import serve

    home = open_home(ctx)
    settings = load_settings(home.root, {"host": host, "port": port, "threads": threads})
    draw_missing_in_background(home)  # papers from before thumbnails get theirs (issue 16)

    def listening() -> None:
        click.echo(
            f"Serving {home.root} on http://{settings.host}:{settings.port}/ with "
            f"{settings.threads} threads; logs in {home.log_dir} (Ctrl-C or SIGTERM to stop)."
        )

    try:
        serve(home, settings, on_listening=listening)
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
    except KeyboardInterrupt:
        pass
    click.echo("Stopped.")
