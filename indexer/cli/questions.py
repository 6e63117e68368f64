"""``archive questions list|export|delete``: readers' questions to the charity (issue 27), for
staff who work from the command line, for the charity's planning spreadsheet, and for a reader
who asks for their data to be erased.

Like every command module, this one imports only click at the top (``tests/test_cli_startup.py``).
Only ``delete`` of a published question needs the search index; every command applies the
retention period first (``question_retention_days``), as the web inbox does.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from archive.questions import QuestionStore

STATE_CHOICES = ("new", "answered", "spam", "published")


def _store(ctx: click.Context) -> QuestionStore:
    from archive.questions import QuestionStore
    from archive.settings import load_settings

    root = ctx.find_root().obj["home_path"]
    store = QuestionStore(root)
    if store.path.exists():
        try:
            store.purge(load_settings(root).question_retention_days)
        except OSError as error:
            raise click.ClickException(f"Cannot read {store.path}: {error.strerror}.") from None
    return store


@click.group()
def questions() -> None:
    """Readers' questions to the charity (asked on the web)."""


@questions.command("list")
@click.option("--state", type=click.Choice(STATE_CHOICES), help="Only questions in this state.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object, for scripts.")
@click.pass_context
def list_questions(ctx: click.Context, state: str | None, as_json: bool) -> None:
    """The questions, newest first."""
    store = _store(ctx)
    if not store.path.exists():
        items = []
    elif state == "published":
        items = store.published()
    else:
        items = store.list(state)
    if as_json:
        data = {"questions": [item.to_dict() for item in items]}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo("No questions." if not state else f"No questions in state {state}.")
        return
    for item in items:
        published = ", published" if item.is_published else ""
        click.echo(f"{item.created}  {item.state}{published}  {item.id}")
        click.echo(f"  {' '.join(item.question.split())[:200]}")
        if item.search.query:
            click.echo(f"  searched: {item.search.query} ({item.search.total} papers)")


@questions.command("export")
@click.option("--csv", "as_csv", is_flag=True, required=True, help="CSV on standard output.")
@click.pass_context
def export_questions(ctx: click.Context, as_csv: bool) -> None:
    """Every question as CSV (never a reader's name or address)."""
    from archive.questions import questions_csv

    store = _store(ctx)
    click.echo(questions_csv(store.list() if store.path.exists() else []), nl=False)


@questions.command("delete")
@click.argument("question_id")
@click.option("--yes", is_flag=True, help="Delete without asking for confirmation.")
@click.pass_context
def delete_question(ctx: click.Context, question_id: str, yes: bool) -> None:
    """Delete a question whole: the reader's words, name and address, the answer, and its
    published page and search entry (a reader asked for their data to be erased)."""
    from archive.questions import QuestionNotFound

    store = _store(ctx)
    try:
        if not store.path.exists():
            raise QuestionNotFound(question_id)
        item = store.get(question_id)
    except QuestionNotFound:
        raise click.ClickException(
            f"There is no question {question_id!r}; `archive questions list` shows their ids."
        ) from None
    if not yes:
        click.echo(f"{item.created}  {item.state}  {' '.join(item.question.split())[:200]}")
        click.confirm("Delete this question and the reader's data for good?", abort=True)
    deleted = store.delete(item.id)
    click.echo(f"Deleted the question {deleted.id} and the reader's data.")
    if deleted.is_published:
        _unindex(ctx)


def _unindex(ctx: click.Context) -> None:
    """Take a deleted question's published answer out of the search index."""
    from indexer.cli.options import open_home
    from indexer.index import IndexBusy
    from indexer.published_answers import sync_answers

    home = open_home(ctx)
    try:
        sync_answers(home.index, home.root)
    except IndexBusy:
        click.echo(
            "Its published answer is gone from the web pages; a bulk import is using the index,"
            " so search drops it when the archive next starts."
        )
        return
    click.echo("Its published answer is gone from the web pages and from search.")
