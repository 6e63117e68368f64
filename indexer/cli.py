"""The ``archive`` command: one click group, small commands that call the library code."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from archive.config import ENV_HOME, default_home, resolve_home
from archive.library import AmbiguousId, PaperNotFound
from indexer.facets import Facets, Filters
from indexer.home import ArchiveHome
from indexer.importer import FAILED, FileOutcome, ImportAborted, import_paths
from indexer.index import IndexBusy
from indexer.search import SORTS, QueryError, search
from indexer.thesaurus import shipped_path as shipped_thesaurus_path


def _home(ctx: click.Context) -> ArchiveHome:
    try:
        return ArchiveHome.at(ctx.obj["home_path"])
    except OSError as error:
        raise click.ClickException(
            f"Cannot use the archive home {ctx.obj['home_path']}: {error.strerror}."
        ) from None


def _resolve_id(home: ArchiveHome, paper_id: str) -> str:
    try:
        return home.library.resolve(paper_id)
    except AmbiguousId:
        raise click.ClickException(
            f"More than one paper has an id starting with {paper_id!r}; give more characters."
        ) from None
    except PaperNotFound:
        raise click.ClickException(f"No paper with id {paper_id!r} in the archive.") from None


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


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
    ctx.ensure_object(dict)
    ctx.obj["home_path"] = resolve_home(home)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [all cores].")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write a JSON report of every file's outcome here.",
)
@click.pass_context
def import_command(
    ctx: click.Context, paths: tuple[Path, ...], jobs: int | None, report: Path | None
) -> None:
    """Import PDF files and folders of PDFs (searched recursively).

    Exit status: 0 when every file was imported or was already there, 1 when some failed.
    """
    home = _home(ctx)
    interactive = sys.stderr.isatty()

    def show(outcome: FileOutcome) -> None:
        if outcome.status == FAILED:
            click.echo(f"failed: {outcome.path}: {outcome.reason}", err=True)
        elif interactive:
            click.echo(f"{outcome.status}: {outcome.path}", err=True)

    try:
        result = import_paths(home, paths, jobs=jobs, on_outcome=show)
    except IndexBusy as error:
        raise click.ClickException(str(error).capitalize() + ".") from None
    except ImportAborted as error:
        raise click.ClickException(str(error)) from None
    summary = result.summary()
    if report:
        report.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    click.echo(
        f"{summary['files']} files: {summary['added']} added, {summary['duplicate']} duplicates, "
        f"{summary['unchanged']} unchanged, {summary['failed']} failed; "
        f"{summary['pages_added']} pages added in {summary['seconds']:.1f} s."
    )
    for reason, count in summary["failed_by_reason"].items():
        click.echo(f"  failed, {reason}: {count}")
    ctx.exit(1 if result.failed else 0)


@main.command("search")
@click.argument("query")
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--page", default=1, show_default=True, type=click.IntRange(min=1))
@click.option("--sort", type=click.Choice(list(SORTS)), default="relevance", show_default=True)
@click.option(
    "--year", help="Only papers of a year (2018), a decade (2010s) or a range (2010-2018)."
)
@click.option("--tag", "tags", multiple=True, help="Only papers with this tag (repeatable).")
@click.option("--author", "authors", multiple=True, help="Only papers by this author (repeatable).")
@click.option("--facets", is_flag=True, help="Also count results by year, author and tag.")
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
    facets: bool,
    as_json: bool,
) -> None:
    """Search the archive: words, OR, NOT, "phrases", title:, author:, tag:, doi:,
    year:2010-2018, leop* (the query language of the web's help page)."""
    home = _home(ctx)
    try:
        filters = Filters.build(year=year, authors=authors, tags=tags)
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
        )
    except QueryError as error:
        raise click.ClickException(str(error)) from None
    if as_json:
        # Exactly the PRODUCT.md contract unless --facets asks for more.
        _echo_json(results.to_json(extras=facets))
        return
    click.echo(f"{results.total} papers match {query!r}.")
    if results.incomplete:
        click.echo("The search took too long and was stopped: these are the papers found so far.")
    for number, hit in enumerate(results.hits, start=(page - 1) * limit + 1):
        byline = ", ".join(hit.authors) or "unknown authors"
        click.echo(f"\n{number}. {hit.title} ({hit.year or 'n.d.'}) - {byline}")
        click.echo(f"   id {hit.id[:12]}  file {hit.filename}")
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
    ]
    for title, values in groups:
        if values:
            listed = ", ".join(f"{value.label} ({value.count})" for value in values)
            click.echo(f"\n{title}: {listed}")


@main.command("thesaurus")
@click.option(
    "--init",
    is_flag=True,
    help="Copy the shipped thesaurus into the archive home, to edit it there.",
)
@click.pass_context
def thesaurus_command(ctx: click.Context, init: bool) -> None:
    """Show which thesaurus searches use (synonyms of species and place names)."""
    home = _home(ctx)
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


@main.command("show")
@click.argument("paper_id")
@click.option("--json", "as_json", is_flag=True, help="Print the metadata as JSON.")
@click.pass_context
def show_command(ctx: click.Context, paper_id: str, as_json: bool) -> None:
    """Show one paper's metadata (the id may be shortened to its first characters)."""
    home = _home(ctx)
    paper = home.library.get(_resolve_id(home, paper_id))
    if as_json:
        _echo_json(paper.to_dict())
        return
    for key, value in paper.to_dict().items():
        if isinstance(value, list):
            value = "; ".join(value)
        click.echo(f"{key:>9}: {value if value not in (None, '') else '-'}")


@main.command("remove")
@click.argument("paper_id")
@click.pass_context
def remove_command(ctx: click.Context, paper_id: str) -> None:
    """Remove a paper from the archive (its PDF, metadata and index entries)."""
    home = _home(ctx)
    full_id = _resolve_id(home, paper_id)
    title = home.library.get(full_id).title
    try:
        home.remove(full_id)
    except IndexBusy as error:
        raise click.ClickException(str(error).capitalize() + ".") from None
    click.echo(f"Removed {full_id[:12]} ({title}).")


@main.command("reindex")
@click.pass_context
def reindex_command(ctx: click.Context) -> None:
    """Rebuild the search index from the library, without reading the PDFs again."""
    home = _home(ctx)
    try:
        count = home.index.rebuild(home.library)
    except IndexBusy as error:
        raise click.ClickException(str(error).capitalize() + ".") from None
    click.echo(f"Re-indexed {count} papers.")


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool) -> None:
    """How many papers and pages the archive holds."""
    home = _home(ctx)
    figures = {**home.index.stats(), "home": str(home.root)}
    if as_json:
        _echo_json(figures)
    else:
        click.echo(f"{figures['papers']} papers, {figures['pages']} pages in {home.root}")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.pass_context
def serve_command(ctx: click.Context, host: str, port: int, threads: int) -> None:
    """Serve the web interface with waitress (a production WSGI server)."""
    # The one place the command line reaches into the web layer (see PRODUCT.md).
    import waitress

    from webui import create_app

    home = _home(ctx)
    app = create_app({"ARCHIVE_HOME": str(home.root)})
    click.echo(f"Serving {home.root} on http://{host}:{port}/ (Ctrl-C to stop)")
    waitress.serve(app, host=host, port=port, threads=threads, ident="archive")
