"""``archive user ...``: staff accounts from the command line (the web has no account pages).

Passwords are asked for twice at the terminal, never taken as an argument (arguments show up in
``ps`` and in shell history); scripts pipe them in with ``--password-stdin``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from archive.accounts import AccountStore


def _store(ctx: click.Context) -> AccountStore:
    # Imported here, not at the top: only these commands need argon2 (issue 28).
    from archive.accounts import AccountStore

    home: Path = ctx.find_root().obj["home_path"]
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.ClickException(
            f"Cannot use the archive home {home}: {error.strerror}."
        ) from None
    return AccountStore(home)


def _home(ctx: click.Context) -> Path:
    """The home a command wrote to, said in its message (an account made in another home
    than the server's is the first-run mistake: the login then fails)."""
    return Path(ctx.find_root().obj["home_path"]).absolute()


def _password(from_stdin: bool) -> str:
    if from_stdin:
        # One line: the password, without its line ending (and nothing else is read).
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


_password_stdin = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input (for scripts).",
)


@click.group("user")
def user() -> None:
    """Manage staff accounts (who may log in to upload, edit and remove papers)."""


@user.command("add")
@click.argument("name")
@_password_stdin
@click.pass_context
def add_command(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Create a staff account called NAME (asks for its password twice)."""
    from archive.accounts import AccountError

    store = _store(ctx)
    try:
        account = store.add(name, _password(password_stdin))
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Added staff user {account.name} to the home {_home(ctx)}.")


@user.command("passwd")
@click.argument("name")
@_password_stdin
@click.pass_context
def passwd_command(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Give NAME a new password (signing out their open sessions)."""
    from archive.accounts import AccountError

    store = _store(ctx)
    try:
        account = store.set_password(name, _password(password_stdin))
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Changed the password of {account.name} in the home {_home(ctx)}.")


@user.command("remove")
@click.argument("name")
@click.pass_context
def remove_command(ctx: click.Context, name: str) -> None:
    """Delete the account NAME (their open sessions end with it)."""
    from archive.accounts import AccountError

    try:
        _store(ctx).remove(name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Removed user {name.strip().lower()} from the home {_home(ctx)}.")


@user.command("logout")
@click.argument("name")
@click.pass_context
def logout_command(ctx: click.Context, name: str) -> None:
    """End every open session of NAME on the web (a lost laptop, a shared computer)."""
    from archive.accounts import AccountError

    try:
        ended = _store(ctx).close_all_sessions(name)
    except AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Ended {ended} session{'' if ended == 1 else 's'} of {name.strip().lower()}"
        f" in the home {_home(ctx)}."
    )


@user.command("list")
@click.pass_context
def list_command(ctx: click.Context) -> None:
    """List the staff accounts."""
    accounts = _store(ctx).list()
    if not accounts:
        click.echo("No staff accounts yet. Add one with: archive user add NAME")
    for account in accounts:
        click.echo(
            f"{account.name}\tcreated {account.created[:10]}\t"
            f"password changed {account.password_changed[:10]}\t"
            f"{account.sessions} open session{'' if account.sessions == 1 else 's'}"
        )
