"""The ``archive`` command: one click group, small commands that call the library code.

Scripts call ``archive`` many times (a search per line of a list, cron jobs), so it must start at
once (issue 28): importing this module, and the command modules beside it, loads click and light
modules only. **To add a command**:

* write it here with ``@main.command("name")``, or in a module of its own (like
  ``indexer/user_commands.py``) registered below with ``main.add_command(...)``;
* at the top of the module import only click, ``indexer.cli_options``, ``indexer.constants`` and
  the light ``archive`` modules (config, access, paper); import everything else (the home and
  its index, the search engine, the importer, workers, PDF readers, the web) *inside* the
  command's function, and types for hints under ``if TYPE_CHECKING:``;
* a choice or default its options show in ``--help`` goes in ``indexer/constants.py``.

The group also lets Whoosh be imported without modules it never uses here
(``indexer/cli_imports.py``), for every command but ``serve``.

``tests/test_cli_startup.py`` fails when importing this module loads a heavy module again, and
``make bench-cli`` prints the start-up times.
"""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from archive.access import ACCESS_LEVELS
from archive.config import ENV_HOME, default_home, resolve_home
from archive.paper import DOC_TYPES
from indexer.cli_options import open_home, worker_options
from indexer.constants import CSV_COLUMNS, DEFAULT_MAX_PAPERS, SORTS
from indexer.question_commands import questions
from indexer.thumbnail_command import thumbnails
from indexer.user_commands import user

if TYPE_CHECKING:
    from datetime import date

    from archive.paper import Paper
    from archive.settings import Settings
    from indexer.crossref import CrossrefClient
    from indexer.engine.facets import Facets
    from indexer.home import ArchiveHome
    from indexer.importer import FileOutcome, ImportOptions, ImportReport
    from indexer.inputs import InputFile
    from indexer.refresh import RefreshOutcome
    from indexer.verify import VerifyReport


def _resolve_id(home: ArchiveHome, paper_id: str) -> str:
    from archive.library import AmbiguousId, PaperNotFound

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
    if ctx.invoked_subcommand != "serve":
        from indexer.cli_imports import defer_unused_imports

        defer_unused_imports()  # before the command imports whoosh
        # No command multiplies matrices: OpenBLAS starting a thread per core when numpy is
        # imported was a sixth of numpy's import (a person's own setting is kept).
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    ctx.ensure_object(dict)
    ctx.obj["home_path"] = resolve_home(home)


main.add_command(user)  # archive user add|passwd|remove|list (see indexer/user_commands.py)
main.add_command(questions)  # archive questions list|export (indexer/question_commands.py)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@worker_options("Seconds a file may go without progress (a page read) before it is given up.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write a JSON report of every file's outcome here.",
)
@click.option(
    "--metadata",
    "metadata_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help=f"CSV (columns {', '.join(CSV_COLUMNS)}) or BibTeX file overriding metadata.",
)
@click.option(
    "--ocr",
    type=click.Choice(["auto", "never"]),
    default="auto",
    show_default=True,
    help="Make scanned pages searchable with OCRmyPDF and Tesseract when they are installed.",
)
@click.option("--retry-failed", is_flag=True, help="Try again files that failed before.")
@click.option(
    "--lookup/--no-lookup",
    default=None,
    help="Take title, authors, year and venue from Crossref for papers with a DOI "
    "(needs crossref_mailto). [setting: crossref_lookup; default: no]",
)
@click.option(
    "--access",
    type=click.Choice(list(ACCESS_LEVELS)),
    help="Who may read the papers added: open, on-request or staff-only (a metadata file's "
    "access column wins for its rows). [setting: default_access; default: open]",
)
@click.pass_context
def import_command(
    ctx: click.Context,
    paths: tuple[str, ...],
    jobs: int | None,
    report: Path | None,
    metadata_file: Path | None,
    timeout: float,
    memory_limit: int,
    ocr: str,
    retry_failed: bool,
    lookup: bool | None,
    access: str | None,
) -> None:
    """Import PDF files, folders of PDFs (recursively) and zip files; "-" reads a list of
    paths from standard input.

    Files already imported are recognised at once; an interrupted import finishes by running
    the same command again. Exit status: 0 when every file was imported or was already there,
    1 when some failed, 2 on usage errors.
    """
    from indexer.importer import ImportAborted, ImportOptions
    from indexer.index import IndexBusy
    from indexer.inputs import expand_inputs
    from indexer.metadata_file import MetadataFileError, load_metadata
    from indexer.workers import Limits

    for path in paths:
        if path != "-" and not Path(path).exists():
            raise click.BadParameter(f"{path!r} does not exist.", param_hint="PATHS")
    metadata = None
    if metadata_file:
        try:
            metadata = load_metadata(metadata_file)
        except MetadataFileError as error:
            raise click.ClickException(f"Cannot use {metadata_file}: {error}.") from None
        for problem in metadata.problems:
            click.echo(f"metadata: {metadata_file.name} {problem}", err=True)
    settings = _settings(ctx)
    home = open_home(ctx)
    entries = list(expand_inputs(paths, sys.stdin))
    options = ImportOptions(
        jobs=jobs,
        limits=Limits(timeout_s=timeout, memory_mb=memory_limit),
        metadata=metadata,
        retry_failed=retry_failed,
        ocr=ocr == "auto",
        ocr_languages=settings.ocr_languages,
        lookup=_crossref_client(settings, lookup),
        access=access or settings.default_access,
    )
    try:
        result = _run_import(home, entries, options)
    except (IndexBusy, ImportAborted) as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        click.echo("\nInterrupted. Run the same command again to finish the import.", err=True)
        ctx.exit(130)
    if report:
        report.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    click.echo(_summary_text(result))
    click.echo(f"Imported into the home {home.root.absolute()}.")
    ctx.exit(1 if result.failed else 0)


def _settings(ctx: click.Context) -> Settings:
    """The home's settings, each value that was skipped said on standard error."""
    from archive.settings import load_settings

    settings = load_settings(ctx.obj["home_path"])
    for warning in settings.warnings:
        click.echo(f"warning: {warning}", err=True)
    return settings


def _crossref_client(settings: Settings, wanted: bool | None) -> CrossrefClient | None:
    """The Crossref client when lookups are asked for (by flag or setting), else None."""
    from indexer.crossref import CrossrefClient

    if not (settings.crossref_lookup if wanted is None else wanted):
        return None
    client = CrossrefClient.from_settings(settings)
    if client is None:
        raise click.ClickException(
            "Looking papers up at Crossref needs a contact e-mail address, which Crossref asks "
            "for: set crossref_mailto in config.toml or ARCHIVE_CROSSREF_MAILTO."
        )
    return client


def _run_import(
    home: ArchiveHome, entries: list[InputFile], options: ImportOptions
) -> ImportReport:
    """Run the import with a progress bar on a terminal, a line per failure otherwise."""
    from indexer.importer import ADDED, FAILED, import_files

    if not sys.stderr.isatty():

        def show(outcome: FileOutcome) -> None:
            if outcome.status == FAILED:
                _say_failed(outcome)

        return import_files(home, entries, options, show)
    pages = 0
    with click.progressbar(
        length=len(entries),
        label="Importing",
        file=sys.stderr,
        show_pos=True,
        show_eta=True,
        item_show_func=lambda _: f"{pages} pages",
    ) as bar:

        def advance(outcome: FileOutcome) -> None:
            nonlocal pages
            if outcome.status == ADDED:
                pages += outcome.pages or 0
            bar.update(1)

        result = import_files(home, entries, options, advance)
    for outcome in result.failed:
        _say_failed(outcome)
    return result


def _say_failed(outcome: FileOutcome) -> None:
    from archive.filenames import printable

    # The path is a file's name from disk or a zip: printed escaped, it cannot drive the
    # terminal (colours, cursor moves) or pass for another file.
    click.echo(f"failed: {printable(str(outcome.path))}: {outcome.reason}", err=True)


def _summary_text(result: ImportReport) -> str:
    """The paragraph printed at the end of an import."""
    summary = result.summary()
    rate = summary["pages_added"] / result.seconds if result.seconds else 0.0
    lines = [
        f"{summary['files']} files: {summary['added']} added, {summary['duplicate']} "
        f"duplicates, {summary['unchanged']} unchanged, {summary['failed']} failed; "
        f"{summary['pages_added']} pages added in {summary['seconds']:.1f} s "
        f"({rate:.0f} pages/s)."
    ]
    lines += [
        f"  failed, {reason}: {count}" for reason, count in summary["failed_by_reason"].items()
    ]
    lines += [f"  note: {note}" for note in summary["notes"]]
    crossref = summary["crossref"]
    if crossref["updated"] or crossref["problems"]:
        lines.append(
            f"  Crossref: {crossref['updated']} papers updated, {crossref['problems']} lookups "
            "gave nothing (the --report file says why, paper by paper)"
        )
    if summary["metadata_problems"]:
        lines.append(f"  metadata rows skipped: {len(summary['metadata_problems'])}")
    return "\n".join(lines)


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
        _echo_json({**data, "published_answers": published} if published else data)
        return
    for warning in results.warnings:
        click.echo(f"Note: {warning}", err=True)
    click.echo(f"{results.total} papers match {query!r}.")
    if results.relaxed and results.total:
        missing = f" (missing: {', '.join(results.missing)})" if results.missing else ""
        if results.complete:
            click.echo(
                f"Only {results.complete} of them have all of your words; the others have most"
                f" of them{missing}."
            )
        else:
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


@main.command("thesaurus")
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


@main.command("show")
@click.argument("paper_id")
@click.option("--json", "as_json", is_flag=True, help="Print the metadata as JSON.")
@click.pass_context
def show_command(ctx: click.Context, paper_id: str, as_json: bool) -> None:
    """Show one paper's metadata (the id may be shortened to its first characters)."""
    home = open_home(ctx)
    paper = home.library.get(_resolve_id(home, paper_id))
    if as_json:
        _echo_json(paper.to_dict())
        return
    for key, value in paper.to_dict().items():
        if key in ("sources", "crossref"):
            continue  # shown beside each value; the Crossref cache is in --json
        if isinstance(value, list):
            value = "; ".join(value)
        source = f"  [{paper.sources[key]}]" if key in paper.sources else ""
        click.echo(f"{key:>10}: {value if value not in (None, '') else '-'}{source}")


@main.command("remove")
@click.argument("paper_id")
@click.pass_context
def remove_command(ctx: click.Context, paper_id: str) -> None:
    """Remove a paper from the archive (its PDF, metadata and index entries)."""
    from indexer.index import IndexBusy

    home = open_home(ctx)
    full_id = _resolve_id(home, paper_id)
    title = home.library.get(full_id).title
    try:
        home.remove(full_id)
    except IndexBusy as error:
        raise click.ClickException(str(error).capitalize() + ".") from None
    click.echo(f"Removed {full_id[:12]} ({title}) from the home {home.root.absolute()}.")


@main.command("reindex")
@click.pass_context
def reindex_command(ctx: click.Context) -> None:
    """Rebuild the search index from the library, without reading the PDFs again."""
    from indexer.index import IndexBusy

    home = open_home(ctx)
    try:
        count = home.index.rebuild(home.library)
    except IndexBusy as error:
        raise click.ClickException(str(error).capitalize() + ".") from None
    click.echo(f"Re-indexed {count} papers in the home {home.root.absolute()}.")


@main.command("refresh-metadata")
@click.argument("paper_ids", nargs=-1)
@click.option(
    "--lookup/--no-lookup",
    default=None,
    help="Also ask Crossref about papers with a DOI (needs crossref_mailto). "
    "[setting: crossref_lookup; default: no]",
)
@worker_options("Seconds a file may go without progress before it is given up.")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write a JSON report of every paper's outcome here.",
)
@click.pass_context
def refresh_metadata_command(
    ctx: click.Context,
    paper_ids: tuple[str, ...],
    lookup: bool | None,
    jobs: int | None,
    timeout: float,
    memory_limit: int,
    report: Path | None,
) -> None:
    """Read the title, authors, year and venue of papers already in the archive again (all of
    them, or the PAPER_IDS given), keeping every value staff or a metadata file chose, and
    update the search index. The pages' text is kept as it is.
    """
    from indexer.index import IndexBusy
    from indexer.refresh import refresh_metadata
    from indexer.workers import Limits

    client = _crossref_client(_settings(ctx), lookup)
    home = open_home(ctx)
    ids = [_resolve_id(home, paper_id) for paper_id in paper_ids] or None

    def show(outcome: RefreshOutcome) -> None:
        if outcome.reason:
            click.echo(f"{outcome.status}: {outcome.filename}: {outcome.reason}", err=True)

    try:
        result = refresh_metadata(
            home,
            ids,
            lookup=client,
            jobs=jobs,
            limits=Limits(timeout_s=timeout, memory_mb=memory_limit),
            on_outcome=show,
        )
    except IndexBusy as error:
        raise click.ClickException(str(error).capitalize() + ".") from None
    except KeyboardInterrupt:
        click.echo("\nInterrupted. Papers done so far are saved; run it again for the rest.")
        ctx.exit(130)
    if report:
        report.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    summary = result.summary()
    fields = ", ".join(f"{name} {count}" for name, count in summary["fields_changed"].items())
    click.echo(
        f"{summary['papers']} papers: {summary['updated']} updated, {summary['unchanged']} "
        f"unchanged, {summary['failed']} could not be read again (they keep their metadata) "
        f"in {summary['seconds']:.1f} s." + (f"\n  changed: {fields}" if fields else "")
    )
    ctx.exit(1 if result.failed else 0)


@main.command("verify")
@click.option("--repair", is_flag=True, help="Fix what can be fixed without a person.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
def verify_command(ctx: click.Context, repair: bool, as_json: bool) -> None:
    """Check that every paper is whole (PDF checksum, metadata, cached text) and that the search
    index agrees with the library.

    With --repair: index again what is missing or out of date (from the cached text), drop index
    entries without a paper, extract again a text cache that does not parse, and move a paper
    folder that cannot be trusted into HOME/quarantine (never deleting it). Exit status: 0 when
    all is well (or, with --repair, all was fixed), 1 when something is wrong or needs a person.
    """
    from indexer.verify import verify

    home = open_home(ctx)
    if sys.stderr.isatty():
        with click.progressbar(
            length=sum(1 for _ in home.library.folders()),
            label="Checking papers",
            file=sys.stderr,
        ) as bar:
            report = verify(home, repair=repair, on_folder=lambda _: bar.update(1))
    else:
        report = verify(home, repair=repair)
    if as_json:
        _echo_json(report.to_json())
    else:
        click.echo(_verify_text(report, repair))
    ctx.exit(1 if report.needs_person or (report.problems and not repair) else 0)


@main.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option(
    "--with-index", is_flag=True, help="Take the search index too (else restore rebuilds it)."
)
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    help="Folder backups: keep only the newest N snapshots (older ones deleted).",
)
@click.pass_context
def backup_command(ctx: click.Context, dest: Path, with_index: bool, keep: int | None) -> None:
    """Back up the home to DEST while the server and imports may run.

    DEST ending in .tar, .tar.gz, .tgz, .tar.bz2 or .tar.xz is one file; anything else is a
    folder of snapshots (DEST/<UTC time>/), each PDF already in the newest snapshot linked,
    not copied again. The manifest is written last: an interrupted backup is never restored.
    """
    # Imported here: only this command needs it (the CLI starts fast for the others).
    from archive.backup import BackupError, backup
    from indexer.export import human_size

    home = open_home(ctx)
    try:
        result = backup(
            home.root, dest, with_index=with_index, copy_index=home.index.copy_to, keep=keep
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(f"Cannot write the backup to {dest}: {error}.") from None
    click.echo(
        f"Backed up the home {home.root.absolute()} to {result.path}: {result.papers} papers"
        f" ({result.linked} PDFs linked from the previous snapshot), {result.files} files,"
        f" {human_size(result.bytes)}; stores: {', '.join(result.stores) or 'none'};"
        f" index: {'included' if result.index else 'not included'}."
    )
    for note in result.notes:
        click.echo(f"  note: {note}")
    for old in result.pruned:
        click.echo(f"  deleted the older snapshot {old}")


@main.command("restore")
@click.argument("source", type=click.Path(path_type=Path))
@click.pass_context
def restore_command(ctx: click.Context, source: Path) -> None:
    """Make the home (--home, which must hold no papers) from the backup SOURCE.

    SOURCE is a backup file, a snapshot folder, or a folder of snapshots (the newest is
    used). Every file is checked against the backup's manifest before anything is moved in;
    the index is rebuilt from the library when the backup has none.
    """
    from archive.backup import BackupError, restore
    from indexer.home import ArchiveHome

    root: Path = ctx.obj["home_path"]
    try:
        result = restore(source, root)
    except BackupError as error:
        raise click.ClickException(f"Nothing was restored: {error}") from None
    except OSError as error:
        raise click.ClickException(f"Nothing was restored: {error}.") from None
    home = ArchiveHome.at(root)  # rebuilds an index that is missing or unusable
    rebuilt = not result.index
    if home.index.paper_ids() != set(home.library.ids()):
        home.index.rebuild(home.library)
        rebuilt = True
    click.echo(
        f"Restored {result.papers} papers ({result.files} files, backup of {result.created})"
        f" into the home {root.absolute()}"
        + ("; the search index was rebuilt." if rebuilt else "; the index came with it.")
    )


# More papers than this without a thumbnail are counted, not listed.
MISSING_THUMBNAILS_LISTED = 10


def _verify_text(report: VerifyReport, repair: bool) -> str:
    """The plain-words report of ``archive verify``."""
    from indexer.verify import THUMBNAIL_MISSING

    lines = [f"Checked {report.papers} papers in {report.home}; {report.indexed} in the index."]
    if report.clean:
        lines.append("All is well: every PDF matches its checksum and the index agrees.")
        return "\n".join(lines)
    lines.append(f"{len(report.problems)} problem{'s' if len(report.problems) > 1 else ''}:")
    # A home from before thumbnails lacks one per paper: said once, not thousands of times.
    unthumbed = [p for p in report.problems if p.kind == THUMBNAIL_MISSING]
    listed = (
        report.problems
        if len(unthumbed) <= MISSING_THUMBNAILS_LISTED
        else [p for p in report.problems if p.kind != THUMBNAIL_MISSING]
    )
    lines += [f"  - {problem}" for problem in listed]
    if listed is not report.problems:
        lines.append(
            f"  - {len(unthumbed)} papers have no thumbnail yet (papers from before thumbnails: "
            "`archive thumbnails` or `archive verify --repair` draws them)."
        )
    if report.repaired:
        lines.append("Repaired:")
        lines += [f"  - {line}" for line in report.repaired]
    if report.needs_person:
        lines.append("Needs a person:")
        lines += [f"  - {line}" for line in report.needs_person]
    if not repair:
        lines.append("Run `archive verify --repair` to fix what can be fixed.")
    return "\n".join(lines)


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option(
    "--usage", is_flag=True, help="Readers' searches, views and downloads, and what they missed."
)
@click.option(
    "--since", type=click.DateTime(["%Y-%m-%d"]), help="With --usage: from this day on [all kept]."
)
@click.option("--csv", "as_csv", is_flag=True, help="With --usage: the weekly figures as CSV.")
@click.pass_context
def stats_command(ctx: click.Context, as_json: bool, usage: bool, since: Any, as_csv: bool) -> None:
    """How many papers and pages the archive holds; with --usage, how readers used it."""
    if (since or as_csv) and not usage:
        raise click.UsageError("--since and --csv go with --usage.")
    if as_json and as_csv:
        raise click.UsageError("Choose --json or --csv, not both.")
    home = open_home(ctx)
    if usage:
        _usage_stats(home, since.date() if since else None, as_json, as_csv)
        return
    figures = {**home.index.stats(), "home": str(home.root)}
    if as_json:
        _echo_json(figures)
    else:
        click.echo(f"{figures['papers']} papers, {figures['pages']} pages in {home.root}")
        if figures["listed"] < figures["papers"] or figures["readable"] < figures["papers"]:
            click.echo(
                f"The public may find {figures['listed']} of them and read {figures['readable']}."
            )


def _usage_stats(home: ArchiveHome, since: date | None, as_json: bool, as_csv: bool) -> None:
    import sqlite3
    from datetime import UTC, datetime

    from archive.usage import Period, UsageStore, UsageStoreError, report_text, weeks_csv

    store = UsageStore(home.root)
    try:
        until = datetime.now(UTC).date()  # the store's days are UTC days
        report = store.report(Period(min(since or store.first_day() or until, until), until))
    except (sqlite3.Error, UsageStoreError) as error:
        raise click.ClickException(f"The usage statistics cannot be read: {error}.") from error
    if as_json:
        _echo_json(report.to_json())
    elif as_csv:
        click.echo(weeks_csv(report), nl=False)
    else:
        click.echo(report_text(report))


@main.command("serve")
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
    from indexer.thumbnails import draw_missing_in_background

    # The one place the command line reaches into the web layer (see PRODUCT.md).
    from webui.serving import serve

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


def _parse_size(value: str) -> int:
    """ "500M", "2G", "750k" or a number of bytes."""
    from archive.settings import SettingError, parse_size

    try:
        return parse_size(value)
    except SettingError as error:
        raise click.BadParameter(f"{error}.") from None


@main.command("export")
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


main.add_command(thumbnails)  # archive thumbnails (see indexer/thumbnail_command.py)
