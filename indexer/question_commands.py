"""``archive questions list|export``: readers' questions to the charity (issue 27), for staff
who work from the command line and for the charity's planning spreadsheet.

Like every command module, this one imports only click at the top (``tests/test_cli_startup.py``).
Neither command needs the search index; both apply the retention period first
(``question_retention_days``), as the web inbox does.
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
