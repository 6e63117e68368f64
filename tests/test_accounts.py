"""Staff accounts: the store in the home, the secret key, and ``archive user`` (CliRunner)."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.accounts import MAX_SESSIONS, AccountError, AccountStore
from archive.instance_secret import load_or_create_secret
from indexer.cli.main import main

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


def test_sessions_end_at_logout_everywhere_new_password_and_removal(tmp_path: Path) -> None:
    store = AccountStore(tmp_path)
    store.add("alice", PASSWORD)
    laptop, phone = store.open_session("alice", 3600), store.open_session("Alice", 3600)
    assert store.session_account("alice", laptop) == store.session_account("alice", phone)
    assert store.get("alice").sessions == 2
    assert laptop not in store.path.read_text()  # only digests are stored
    store.close_session("alice", laptop)
    assert store.session_account("alice", laptop) is None
    assert store.session_account("alice", phone) is not None
    assert store.close_all_sessions("alice") == 1
    assert store.session_account("alice", phone) is None
    token = store.open_session("alice", 3600)
    store.set_password("alice", "another good one")
    assert store.session_account("alice", token) is None
    assert store.authenticate("alice", PASSWORD) is None
    assert store.authenticate("alice", "another good one") is not None
    token = store.open_session("alice", 3600)
    store.remove("alice")
    store.add("alice", PASSWORD)  # a new account of the same name is not the old one
    assert store.session_account("alice", token) is None
    assert store.session_account("alice", "") is None
    assert store.session_account("../x", token) is None
    with pytest.raises(AccountError, match="no user"):
        store.open_session("bob", 3600)


def test_sessions_expire_and_are_bounded(tmp_path: Path) -> None:
    store = AccountStore(tmp_path)
    store.add("alice", PASSWORD)
    expired = store.open_session("alice", -1)
    assert store.session_account("alice", expired) is None
    tokens = [store.open_session("alice", 3600 + n) for n in range(MAX_SESSIONS + 5)]
    assert store.get("alice").sessions == MAX_SESSIONS
    assert store.session_account("alice", tokens[0]) is None  # the first to end went first
    assert store.session_account("alice", tokens[-1]) is not None


def test_accounts_of_an_older_version_keep_working(tmp_path: Path) -> None:
    """A file written before sessions were listed: logins work, old cookies are not honoured."""
    store = AccountStore(tmp_path)
    store.add("alice", PASSWORD)
    data = json.loads(store.path.read_text())
    record = data["users"]["alice"]
    del record["sessions"]
    record["epoch"] = "0123456789abcdef"
    store.path.write_text(json.dumps(data))
    assert store.session_account("alice", "0123456789abcdef") is None
    assert store.authenticate("alice", PASSWORD) is not None
    token = store.open_session("alice", 3600)
    assert store.session_account("alice", token) is not None


def test_sessions_opened_and_closed_at_once_lose_nothing(tmp_path: Path) -> None:
    """Logins in parallel threads and in other processes (two `archive user` commands beside the
    server) all land under the lock."""
    store = AccountStore(tmp_path)
    store.add("alice", PASSWORD)
    keep = store.open_session("alice", 3600)
    tokens: list[str] = []

    def open_one() -> None:
        tokens.append(store.open_session("alice", 3600))

    threads = [threading.Thread(target=open_one) for _ in range(8)]
    others = [
        subprocess.Popen([sys.executable, "-c", OPEN_IN_A_PROCESS, str(tmp_path)]) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(process.wait(timeout=60) == 0 for process in others)
    assert store.get("alice").sessions == 1 + 8 + 3
    assert all(store.session_account("alice", token) for token in [keep, *tokens])


OPEN_IN_A_PROCESS = """
import sys
from pathlib import Path
from archive.accounts import AccountStore
AccountStore(Path(sys.argv[1])).open_session("alice", 3600)
"""


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
    assert "Added staff user alice to the home" in output
    assert PASSWORD not in output  # the prompt hides it
    assert AccountStore(home).authenticate("alice", PASSWORD)

    code, output = user_cli(home, "add", "bob", stdin=f"{PASSWORD}\nsomething else\n" * 3)
    assert code != 0
    assert "do not match" in output
    assert AccountStore(home).get("bob") is None

    code, output = user_cli(home, "list")
    assert code == 0
    assert output.startswith("alice\tcreated ")
    assert output.rstrip().endswith("0 open sessions")

    AccountStore(home).open_session("alice", 3600)
    code, output = user_cli(home, "logout", "alice")
    assert (code, output) == (0, f"Ended 1 session of alice in the home {home.absolute()}.\n")
    assert AccountStore(home).get("alice").sessions == 0

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
