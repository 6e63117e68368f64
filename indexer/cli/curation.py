"""``archive curation``: the papers whose description most needs a curator, worst first (the
staff dashboard's curation queue, for a terminal or a script)."""

from __future__ import annotations

import click

from indexer.cli.options import echo_json, open_home


@click.command("curation")
@click.option(
    "--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Papers to list."
)
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def curation_command(ctx: click.Context, limit: int, as_json: bool) -> None:
    """List the papers whose description most needs a curator, worst first: a title that is
    the file name, a scan without text, no authors or year, then the titles, authors and years
    the archive is least sure of."""
    from indexer.describe.curation_queue import curation_queue

    queue, total = curation_queue(open_home(ctx).library, limit)
    if as_json:
        echo_json(
            {
                "papers": [
                    {
                        "id": item.paper.id,
                        "title": item.paper.title,
                        "filename": item.paper.filename,
                        "problems": item.problems,
                        "confidence": item.confidence,
                    }
                    for item in queue
                ],
                "total": total,
            }
        )
        return
    if not queue:
        click.echo("No paper needs a curator: every description is whole and sure.")
        return
    for item in queue:
        click.echo(f"{item.paper.id[:12]}  {item.paper.title}")
        click.echo(f"              {'; '.join(item.problems)}  ({item.paper.filename})")
    click.echo(f"{len(queue)} of {total} papers that need a curator, worst first.")
