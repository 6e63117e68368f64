"""``archive search``, ``archive thesaurus`` and ``archive export``: finding papers, the
names searches widen to, and every match out as a ZIP or a folder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from archive.paper import DOC_TYPES
from indexer.cli.options import echo_json, open_home
from indexer.constants import DEFAULT_MAX_PAPERS, SORTS

if TYPE_CHECKING:
    from archive.paper import Paper
    from indexer.engine.facets import Facets


@click.command("search")
@click.argument("query")
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--sort", type=click.Choice(list(SORTS)), default="relevance", show_default=True)
@click.option(
    "--year", help="Only papers of a year (2018), a decade (2010s) or a range (2010-2018)."
)
@click.option("--tag", "tags", multiple=True, help="Only papers with this tag (repeatable).")
@click.option("--author", "authors", multiple=True, help="Only papers by this author (repeatable).")
@click.option(
    "--type", "doc_type", type=click.Choice(list(DOC_TYPES)), help="Only papers of a type."
)
@click.option(
    "--facets", is_flag=True, help="Also count results by year, author, tag and document type."
)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    limit: int,
    page: int,
    sort: str,
    year: str | None,
    tags: tuple[str, ...],
    authors: tuple[str, ...],
    doc_type: str | None,
    facets: bool,
    as_json: bool,
) -> None:
    """Search the archive: words, OR, NOT, "phrases", title:, author:, tag:, doi:,
    year:2010-2018, leop* (the query language of the web's help page)."""
    from indexer.engine.facets import Filters
    from indexer.engine.search import QueryError, search

    home = open_home(ctx)
    try:
        filters = Filters.build(year=year, authors=authors, tags=tags, doc_type=doc_type)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--year") from None
    try:
        results = search(
            home.index,
            query,
            limit=limit,
            page=page,
            sort=sort,
            filters=filters,
            facets=facets,
            thesaurus=home.thesaurus(),
            public=False,  # the command line is a staff tool: every paper, whatever its access
        )
    except QueryError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        # Exactly the PRODUCT.md contract unless --facets asks for more, or the search finds
        # answers the charity published (issue 27), as the web's first page shows them.
        from indexer.published_answers import answers_json_for_staff

        data = results.to_json(extras=facets)
        published = answers_json_for_staff(home, query) if results.page == 1 else []
        echo_json({**data, "published_answers": published} if published else data)
        return
    for warning in results.warnings:
        click.echo(f"Note: {warning}", err=True)
    click.echo(
        f"1 paper matches {query!r}."
        if results.total == 1
        else f"{results.total} papers match {query!r}."
    )
    if results.relaxed and results.total:
        missing = f" (missing: {', '.join(results.missing)})" if results.missing else ""
        if results.complete and results.complete < results.total:
            click.echo(
                f"Only {results.complete} of them have all of your words; the others have most"
                f" of them{missing}."
            )
        elif not results.complete:
            click.echo(
                f"No paper has all of your words. Showing papers with most of them{missing}."
            )
    if results.incomplete:
        click.echo("The search took too long and was stopped: these are the papers found so far.")
    for answer in results.answers:
        click.echo(f"\nAnswer: {answer.title} ({answer.year or 'n.d.'}), page {answer.page}")
        click.echo(f"   {answer.text()}")
    for number, hit in enumerate(results.hits, start=(page - 1) * limit + 1):
        byline = ", ".join(hit.authors) or "unknown authors"
        click.echo(f"\n{number}. {hit.title} ({hit.year or 'n.d.'}) - {byline}")
        click.echo(f"   id {hit.id[:12]}  file {hit.filename}")
        if hit.missing:
            click.echo(f"   missing: {', '.join(hit.missing)}")
        if hit.pages:
            click.echo(f"   pages {', '.join(map(str, hit.pages[:10]))}")
    if results.facets:
        _echo_facets(results.facets)
    # Notes come last, so the first lines keep their shape for people and scripts.
    for typed, others in results.synonyms:
        click.echo(f"\nAlso searched for {typed!r} as: {'; '.join(others)}")
    if results.suggestion:
        click.echo(f"\nDid you mean: {results.suggestion}")


def _echo_facets(facets: Facets) -> None:
    groups = [
        ("Decades", facets.decades),
        ("Years", facets.years),
        ("Authors", facets.authors),
        ("Tags", facets.tags),
        ("Types of document", facets.types),
    ]
    for title, values in groups:
        if values:
            listed = ", ".join(f"{value.label} ({value.count})" for value in values)
            click.echo(f"\n{title}: {listed}")


@click.command("thesaurus")
@click.option(
    "--init",
    is_flag=True,
    help="Copy the shipped thesaurus into the archive home, to edit it there.",
)
@click.pass_context
def thesaurus_command(ctx: click.Context, init: bool) -> None:
    """Show which thesaurus searches use (synonyms of species and place names)."""
    import shutil

    from indexer.engine.thesaurus import shipped_path as shipped_thesaurus_path

    home = open_home(ctx)
    target = home.thesaurus_path
    if init:
        if target.exists():
            raise click.ClickException(f"{target} exists already; edit it there.")
        shutil.copyfile(shipped_thesaurus_path(), target)
        click.echo(f"Copied the shipped thesaurus to {target}; edit it there.")
        return
    thesaurus = home.thesaurus()
    click.echo(f"{len(thesaurus)} concepts from {thesaurus.source}")
    for problem in thesaurus.problems:
        click.echo(f"  ignored {problem}", err=True)


def _parse_size(value: str) -> int:
    """ "500M", "2G", "750k" or a number of bytes."""
    from archive.settings import SettingError, parse_size

    try:
        return parse_size(value)
    except SettingError as error:
        raise click.BadParameter(f"{error}.") from None


@click.command("export")
@click.argument("query")
@click.option(
    "--zip",
    "zip_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one ZIP file (which must not exist yet).",
)
@click.option(
    "--to",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Copy the files into this folder (new or empty).",
)
@click.option("--sort", type=click.Choice(list(SORTS)), default="relevance", show_default=True)
@click.option(
    "--max-papers",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_PAPERS,
    show_default=True,
    help="Refuse exports of more papers than this.",
)
@click.option(
    "--max-size",
    default="2G",
    show_default=True,
    help="Refuse exports whose PDFs add up to more than this (e.g. 500M, 10G).",
)
@click.option(
    "--base-url",
    help="The archive's public address (https://papers.example.org), to put links to each "
    "paper's page in manifest.csv and references.bib.",
)
@click.pass_context
def export_command(
    ctx: click.Context,
    query: str,
    zip_path: Path | None,
    folder: Path | None,
    sort: str,
    max_papers: int,
    max_size: str,
    base_url: str | None,
) -> None:
    """Export every paper matching QUERY, with manifest.csv and references.bib, as one ZIP file
    (--zip FILE) or into a folder (--to DIR)."""
    from indexer.engine.search import QueryError
    from indexer.export import (
        ExportError,
        ExportTooLarge,
        choose_papers,
        export_to_folder,
        human_size,
        write_zip,
        zip_size,
    )

    if (zip_path is None) == (folder is None):
        raise click.UsageError("Give exactly one of --zip FILE or --to DIR.")
    max_bytes = _parse_size(max_size)
    home = open_home(ctx)
    base = base_url.rstrip("/") if base_url else None

    def link_for(paper: Paper) -> str | None:
        return f"{base}/papers/{paper.id}" if base else None

    try:
        chosen = choose_papers(home, query, max_papers=max_papers, max_bytes=max_bytes, sort=sort)
    except ExportTooLarge as error:
        raise click.ClickException(
            f"{error} (Or raise the limit with --max-papers / --max-size.)"
        ) from None
    except (QueryError, ExportError) as error:
        raise click.ClickException(str(error)) from None
    count, size = len(chosen.items), human_size(chosen.total_bytes)
    try:
        if zip_path is not None:
            with click.progressbar(
                length=zip_size(chosen, link_for),
                label=f"{count} papers ({size})",
                file=sys.stderr,
            ) as bar:
                write_zip(chosen, zip_path, link_for=link_for, on_bytes=bar.update)
            click.echo(f"Wrote {count} papers ({size}) to {zip_path}.")
        else:
            assert folder is not None
            with click.progressbar(
                length=count, label=f"{count} papers ({size})", file=sys.stderr
            ) as bar:
                export_to_folder(chosen, folder, link_for=link_for, on_item=lambda _: bar.update(1))
            click.echo(f"Copied {count} papers ({size}) to {folder}.")
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(
            f"Could not write the export: {error.strerror or error} ({error.filename or ''})."
        ) from None
