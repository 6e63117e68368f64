"""``archive import`` and ``archive refresh-metadata``: reading PDFs into the archive,
and reading those already in it again (the worker pool of :mod:`indexer.ingest`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from archive.access import ACCESS_LEVELS
from indexer.cli.options import open_home, resolve_id, worker_options
from indexer.constants import CSV_COLUMNS

if TYPE_CHECKING:
    from archive.settings import Settings
    from indexer.describe.crossref import CrossrefClient
    from indexer.home import ArchiveHome
    from indexer.ingest.importer import FileOutcome, ImportOptions, ImportReport
    from indexer.ingest.inputs import InputFile
    from indexer.ingest.refresh import RefreshOutcome


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@worker_options(
    "Processor seconds a file may spend without progress (a page read) before it is given up."
)
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
    for path in paths:
        if path != "-" and not Path(path).exists():
            raise click.BadParameter(f"{path!r} does not exist.", param_hint="PATHS")
    from indexer.ingest.worker_server import start_worker_server

    # The workers' server loads its modules while this process loads its own (issue 23).
    start_worker_server()
    from indexer.describe.metadata_file import MetadataFileError, load_metadata
    from indexer.index import IndexBusy
    from indexer.ingest.importer import ImportAborted, ImportOptions
    from indexer.ingest.inputs import expand_inputs
    from indexer.ingest.workers import Limits

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
    from indexer.describe.crossref import CrossrefClient

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
    from indexer.ingest.importer import ADDED, FAILED, import_files

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


@click.command("refresh-metadata")
@click.argument("paper_ids", nargs=-1)
@click.option(
    "--lookup/--no-lookup",
    default=None,
    help="Also ask Crossref about papers with a DOI (needs crossref_mailto). "
    "[setting: crossref_lookup; default: no]",
)
@worker_options("Processor seconds a file may spend without progress before it is given up.")
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
    from indexer.ingest.refresh import refresh_metadata
    from indexer.ingest.workers import Limits

    client = _crossref_client(_settings(ctx), lookup)
    home = open_home(ctx)
    ids = [resolve_id(home, paper_id) for paper_id in paper_ids] or None

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
