"""``archive show`` and ``archive remove``: one paper, by its id or the id's first
characters."""

from __future__ import annotations

import click

from indexer.cli.options import echo_json, open_home, resolve_id


@click.command("show")
@click.argument("paper_id")
@click.option("--json", "as_json", is_flag=True, help="Print the metadata as JSON.")
@click.pass_context
def show_command(ctx: click.Context, paper_id: str, as_json: bool) -> None:
    """Show one paper's metadata (the id may be shortened to its first characters)."""
    home = open_home(ctx)
    paper = home.library.get(resolve_id(home, paper_id))
    if as_json:
        echo_json(paper.to_dict())
        return
    for key, value in paper.to_dict().items():
        if key in ("sources", "crossref", "evidence"):
            continue  # shown beside each value; the Crossref cache and the evidence in --json
        if isinstance(value, list):
            value = "; ".join(value)
        source = f"  [{paper.sources[key]}]" if key in paper.sources else ""
        click.echo(f"{key:>10}: {value if value not in (None, '') else '-'}{source}")


@click.command("remove")
@click.argument("paper_id")
@click.pass_context
def remove_command(ctx: click.Context, paper_id: str) -> None:
    """Remove a paper from the archive (its PDF, metadata and index entries)."""
    from indexer.index import IndexBusy

    home = open_home(ctx)
    full_id = resolve_id(home, paper_id)
    title = home.library.get(full_id).title
    try:
        home.remove(full_id)
    except IndexBusy as error:
        raise click.ClickException(str(error).capitalize() + ".") from None
    click.echo(f"Removed {full_id[:12]} ({title}) from the home {home.root.absolute()}.")
