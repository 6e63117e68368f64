"""``archive thumbnails``: draw the thumbnails that papers already in a home lack."""

from __future__ import annotations

import sys

import click

from indexer.cli.options import open_home, worker_options


@click.command("thumbnails")
@worker_options("Processor seconds one paper's first page may take to draw.")
@click.option("--retry-failed", is_flag=True, help="Try again papers given a placeholder before.")
@click.pass_context
def thumbnails(
    ctx: click.Context, jobs: int | None, retry_failed: bool, timeout: float, memory_limit: int
) -> None:
    """Draw the first-page thumbnail of every paper that has none (papers imported by an older
    version). Each is saved as it is drawn: stop at any time and run it again to carry on.
    A page that cannot be drawn gets a placeholder; --retry-failed tries those again."""
    # Imported here: the worker pool and the PDF renderer only load for this command (issue 28).
    from indexer.ingest.workers import Limits
    from indexer.pictures.thumbnails import draw_thumbnails, papers_needing_thumbnails

    home = open_home(ctx)
    wanted = papers_needing_thumbnails(home.library, retry_failed=retry_failed)
    if not wanted:
        click.echo("Every paper has its thumbnail.")
        return
    limits = Limits(timeout_s=timeout, memory_mb=memory_limit)
    if sys.stderr.isatty():
        with click.progressbar(length=len(wanted), label="Drawing", file=sys.stderr) as bar:
            report = draw_thumbnails(
                home, wanted, jobs=jobs, limits=limits, on_paper=lambda _: bar.update(1)
            )
    else:
        report = draw_thumbnails(home, wanted, jobs=jobs, limits=limits)
    click.echo(
        f"Drew {len(report.drawn)} thumbnail{'' if len(report.drawn) == 1 else 's'}; "
        f"{len(report.placeholders)} placeholder{'' if len(report.placeholders) == 1 else 's'}."
    )
    for paper_id, note in report.placeholders.items():
        click.echo(f"  {paper_id[:12]}: {note}")
