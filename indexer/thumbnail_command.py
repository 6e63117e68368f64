"""``archive thumbnails``: draw the thumbnails that papers already in a home lack."""

from __future__ import annotations

import sys

import click

from indexer.home import ArchiveHome
from indexer.thumbnails import draw_thumbnails, papers_needing_thumbnails
from indexer.workers import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Limits


@click.command("thumbnails")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [all cores].")
@click.option("--retry-failed", is_flag=True, help="Try again papers given a placeholder before.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Seconds one paper's first page may take to draw.",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(min=256),
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    help="Megabytes of memory one worker may use.",
)
@click.pass_context
def thumbnails(
    ctx: click.Context, jobs: int | None, retry_failed: bool, timeout: float, memory_limit: int
) -> None:
    """Draw the first-page thumbnail of every paper that has none (papers imported by an older
    version). Each is saved as it is drawn: stop at any time and run it again to carry on.
    A page that cannot be drawn gets a placeholder; --retry-failed tries those again."""
    root = ctx.find_root().obj["home_path"]
    try:
        home = ArchiveHome.at(root)
    except OSError as error:
        raise click.ClickException(
            f"Cannot use the archive home {root}: {error.strerror}."
        ) from None
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
