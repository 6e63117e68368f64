"""Keeping a home whole: ``archive reindex``, ``compact``, ``verify``, ``backup``,
``restore`` and ``stats``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from indexer.cli.options import echo_json, open_home
from indexer.constants import COMPACT_PAUSE_S, COMPACT_STEP_MB

if TYPE_CHECKING:
    from datetime import date

    from indexer.home import ArchiveHome
    from indexer.verify import VerifyReport


@click.command("reindex")
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


@click.command("compact")
@click.option(
    "--step-mb",
    type=click.FloatRange(min=1),
    default=COMPACT_STEP_MB,
    show_default=True,
    help="The most one step merges (MB of index read; about 1 s of CPU per 4 MB).",
)
@click.option(
    "--pause",
    type=click.FloatRange(min=0),
    default=COMPACT_PAUSE_S,
    show_default=True,
    help="Seconds between steps without the index's lock, for uploads and imports waiting.",
)
@click.pass_context
def compact_command(ctx: click.Context, step_mb: float, pause: float) -> None:
    """Merge the search index's segments in steps of at most --step-mb, when the site is quiet.

    Ordinary commits (imports, uploads) never merge more than 150 MB at once, so that no one
    holds the index for long; on a large index that leaves more segments, and each segment
    costs every search a little. This command merges them: each step takes the index's lock,
    merges the smallest segments that fit in --step-mb into one (or rewrites one with many
    deleted documents), and gives the lock back for --pause seconds, so an upload or an
    import waits at most one step. Searches go on throughout. Stop it at any time; run it
    again to carry on. Run it nightly (cron or a systemd timer): it does nothing when there
    is nothing to merge.
    """
    from indexer.index import IndexBusy

    home = open_home(ctx)
    before = home.index.segments()
    steps = 0
    try:
        for step in home.index.compact(step_mb=step_mb, pause_s=pause):
            steps += 1
            click.echo(
                f"Step {steps}: merged {step.merged} segment{'s' if step.merged > 1 else ''}"
                f" ({step.read_mb:,.0f} MB) in {step.seconds:.0f} s ({step.cpu_seconds:.0f} s"
                f" of CPU); {step.segments_left} left."
            )
    except IndexBusy as error:
        raise click.ClickException(
            f"{str(error).capitalize()}. {steps} steps were done; run the command again."
        ) from None
    after = home.index.segments()
    size = sum(segment.bytes for segment in after) / 1e6
    click.echo(
        (
            f"Compacted the index of the home {home.root.absolute()}"
            if steps
            else f"Nothing to merge in the index of the home {home.root.absolute()}"
        )
        + f": {len(before)} -> {len(after)} segments, {size:,.0f} MB."
    )


@click.command("verify")
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
        echo_json(report.to_json())
    else:
        click.echo(_verify_text(report, repair))
    ctx.exit(1 if report.needs_person or (report.problems and not repair) else 0)


@click.command("backup")
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


@click.command("restore")
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


@click.command("stats")
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
        echo_json(figures)
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
        echo_json(report.to_json())
    elif as_csv:
        click.echo(weeks_csv(report), nl=False)
    else:
        click.echo(report_text(report))
