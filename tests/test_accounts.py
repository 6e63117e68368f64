"""Staff accounts: the store in the home, the secret key, and ``archive user`` (CliRunner)."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.accounts import AccountError, AccountStore
from archive.instance_secret import load_or_create_secret
from indexer.cli import main

PASSWORD = "correct horse battery"


def test_password_is_stored_as_argon2id_hash_in_a_private_file(tmp_path: Path) -> None:
    store = AccountStore(tmp_path)
    store.add("Alice", PASSWORD)
    raw = store.path.read_text()
    assert PASSWORD not in raw
    assert json.loads(raw)["users"]["alice"]["hash"].startswith("$argon2id$")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_authenticate_right_and_wrong(tmp_path: Path) -> None:
    store = AccountStore(tmp_path)
    store.add("alice", PASSWORD)
    account = store.authenticate("ALICE ", PASSWORD)
    assert account is not None
    assert account.name == "alice"
    assert store.authenticate("alice", PASSWORD + "x") is None
    assert store.authenticate("bob", PASSWORD) is None
    assert store.authenticate("../../etc/passwd", PASSWORD) is None
    assert store.authenticate("alice", "x" * 5000) is None


def test_new_password_changes_the_session_fingerprint(tmp_path: Path) -> None:
    store = AccountStore(tmp_path)
    before = store.add("alice", PASSWORD)
    after = store.set_password("alice", "another good one")
    assert before.fingerprint != after.fingerprint
    assert store.authenticate("alice", PASSWORD) is None
    assert store.authenticate("alice", "another good one") is not None


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("", PASSWORD, "A user name is"),
        ("a/b", PASSWORD, "A user name is"),
        ("..", PASSWORD, "A user name is"),
        ("alice", "short", "at least 8"),
    ],
)
def test_invalid_names_and_passwords_are_refused(
    tmp_path: Path, name: str, password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        AccountStore(tmp_path).add(name, password)


def test_concurrent_adds_lose_nothing(tmp_path: Path) -> None:
    """Read-modify-write under the lock: parallel adds all land."""
    store = AccountStore(tmp_path)
    threads = [threading.Thread(target=store.add, args=(f"user{n}", PASSWORD)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.name for a in store.list()] == [f"user{n}" for n in range(6)]


def test_secret_key_is_made_once_and_private(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path)
    assert len(first) >= 32
    assert load_or_create_secret(tmp_path) == first
    assert stat.S_IMODE((tmp_path / "secret-key").stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# --- archive user ... ---------------------------------------------------------------------------


def user_cli(home: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--home", str(home), "user", *args], input=stdin)
    return result.exit_code, result.output


def test_cli_user_add_prompts_twice_list_passwd_remove(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code, output = user_cli(home, "add", "alice", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0, output
    assert "Added user alice." in output
    assert PASSWORD not in output  # the prompt hides it
    assert AccountStore(home).authenticate("alice", PASSWORD)

    code, output = user_cli(home, "add", "bob", stdin=f"{PASSWORD}\nsomething else\n" * 3)
    assert code != 0
    assert "do not match" in output
    assert AccountStore(home).get("bob") is None

    code, output = user_cli(home, "list")
    assert code == 0
    assert output.startswith("alice\tcreated ")

    code, output = user_cli(home, "passwd", "alice", "--password-stdin", stdin="new password 1\n")
    assert code == 0, output
    assert AccountStore(home).authenticate("alice", "new password 1")
    assert not AccountStore(home).authenticate("alice", PASSWORD)

    code, output = user_cli(home, "remove", "alice")
    assert code == 0
    assert AccountStore(home).list() == []
    assert "No staff accounts yet" in user_cli(home, "list")[1]


def test_cli_user_errors_are_clear(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert user_cli(home, "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")[0] == 0
    code, output = user_cli(home, "add", "alice", "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1
    assert "already a user called 'alice'" in output
    code, output = user_cli(home, "add", "carol", "--password-stdin", stdin="short\n")
    assert code == 1
    assert "at least 8 characters" in output
    code, output = user_cli(home, "remove", "nobody")
    assert code == 1
    assert "no user called 'nobody'" in output
    assert "Traceback" not in output
