"""Staff accounts: names and password hashes in one small JSON file in the archive home.

Why Argon2id (through ``argon2-cffi``): it is memory-hard, so guessing passwords from a stolen
``accounts.json`` costs an attacker memory as well as time, which GPUs and ASICs cannot cheapen
the way they cheapen SHA-based schemes; it won the Password Hashing Competition and is OWASP's
first recommendation. ``argon2-cffi``'s defaults are RFC 9106's "low memory" profile (64 MiB,
3 passes), about 50-100 ms per check on a small server: slow for a guesser, unnoticed by a person
logging in. Each hash string carries its own salt and parameters, so the parameters can be
raised later and old hashes are upgraded at the next successful login (:meth:`needs_rehash`).

Each account also lists its open sessions (a SHA-256 digest of each session's random token,
never the token itself, with the time it ends), so that logging out, "log out everywhere", a new
password or removing the account ends a session on the server, whatever copies of its cookie
exist. Sessions older than this version's are not listed, so their holders log in once again.

Like the library, the file is nowhere else: back it up with the library folder. It is
written atomically (a reader sees the old or the new file, never half) with mode 0600, and every
read-modify-write holds an exclusive lock on ``accounts.lock``, so two ``archive user`` commands
(or a command and a login that upgrades a hash) never lose each other's change.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import hashlib
import json
import os
import re
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from archive.paper import utc_now
from archive.storage import atomic_write_json

ACCOUNTS_FILE = "accounts.json"
LOCK_FILE = "accounts.lock"
FORMAT = 1
# Lowercase letters, digits, dot, dash, underscore: safe in URLs, logs and shell scripts.
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
MIN_PASSWORD = 8  # NIST SP 800-63B's minimum for chosen passwords
MAX_PASSWORD = 1024  # hashing is costly; a bound keeps a huge "password" from being a DoS
# Open sessions kept per account: a person has a few devices; logins beyond this end the
# sessions closest to their end, so the file cannot grow without bound.
MAX_SESSIONS = 20

_hasher = PasswordHasher()


# Checked against when a name is unknown, so that a wrong name costs as long as a wrong password
# and response times do not tell which staff names exist. Made on first use, not on import:
# hashing takes a third of a second, which every `archive` command paid at start.
@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash("not a real password, only for timing")


class AccountError(ValueError):
    """A request about accounts that cannot be met; ``str(error)`` says why, for a person."""


@dataclass(frozen=True)
class Account:
    """One staff account; the password hash and the session digests never leave this module.
    ``sessions`` is how many of its sessions are open."""

    name: str
    created: str
    password_changed: str
    sessions: int = 0


def normalize_username(name: str) -> str:
    """The canonical form of a user name (case-insensitive), or :class:`AccountError`."""
    canonical = name.strip().lower()
    if not USERNAME.fullmatch(canonical):
        raise AccountError(
            "A user name is 1 to 40 characters: letters, digits, '.', '-' or '_', "
            "starting with a letter or digit."
        )
    return canonical


def check_password_rules(password: str) -> None:
    """Raise :class:`AccountError` when a new password is too short or too long."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"A password needs at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"A password may have at most {MAX_PASSWORD} characters.")


def _digest(token: str) -> str:
    # Only digests are stored: a copy of accounts.json (a backup) opens no session.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _open_sessions(record: dict[str, Any], now: float) -> dict[str, float]:
    """The record's sessions that have not ended by ``now``."""
    sessions = record.get("sessions")
    if not isinstance(sessions, dict):
        return {}
    return {key: end for key, end in sessions.items() if isinstance(end, int | float) and end > now}


class AccountStore:
    """The staff accounts of one archive home."""

    def __init__(self, home_root: Path) -> None:
        self.path = home_root / ACCOUNTS_FILE
        self._lock_path = home_root / LOCK_FILE

    def _read(self) -> dict[str, dict[str, Any]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except FileNotFoundError:
            return {}
        return dict(data.get("users", {}))

    def _write(self, users: dict[str, dict[str, Any]]) -> None:
        # mkstemp in atomic_write_json creates the file with mode 0600: hashes stay private.
        atomic_write_json(self.path, {"format": FORMAT, "users": users})

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, dict[str, Any]]]:
        """The accounts, read under an exclusive lock held until the block ends."""
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield self._read()
        finally:
            os.close(fd)  # closing releases the lock

    def _account(self, name: str, record: dict[str, Any]) -> Account:
        return Account(
            name=name,
            created=record["created"],
            password_changed=record.get("password_changed", record["created"]),
            sessions=len(_open_sessions(record, time.time())),
        )

    def list(self) -> list[Account]:
        """Every account, by name."""
        return [self._account(name, rec) for name, rec in sorted(self._read().items())]

    def get(self, name: str) -> Account | None:
        """The account with this name, or None."""
        try:
            canonical = normalize_username(name)
        except AccountError:
            return None
        record = self._read().get(canonical)
        return self._account(canonical, record) if record else None

    def add(self, name: str, password: str) -> Account:
        """Create an account; :class:`AccountError` when the name is taken or invalid."""
        canonical = normalize_username(name)
        check_password_rules(password)
        password_hash = _hasher.hash(password)
        with self._locked() as users:
            if canonical in users:
                raise AccountError(f"There is already a user called {canonical!r}.")
            now = utc_now()
            users[canonical] = {
                "hash": password_hash,
                "created": now,
                "password_changed": now,
                "sessions": {},
            }
            self._write(users)
            return self._account(canonical, users[canonical])

    def set_password(self, name: str, password: str) -> Account:
        """Replace a user's password (ending their sessions)."""
        canonical = normalize_username(name)
        check_password_rules(password)
        password_hash = _hasher.hash(password)
        with self._locked() as users:
            if canonical not in users:
                raise AccountError(f"There is no user called {canonical!r}.")
            users[canonical].update(hash=password_hash, password_changed=utc_now(), sessions={})
            self._write(users)
            return self._account(canonical, users[canonical])

    def remove(self, name: str) -> None:
        """Delete an account (its sessions end with it)."""
        canonical = normalize_username(name)
        with self._locked() as users:
            if canonical not in users:
                raise AccountError(f"There is no user called {canonical!r}.")
            del users[canonical]
            self._write(users)

    def open_session(self, name: str, lifetime_s: float) -> str:
        """Start a session of ``name`` lasting ``lifetime_s`` seconds; its token (for the
        session cookie). :class:`AccountError` when there is no such user."""
        canonical = normalize_username(name)
        token = secrets.token_urlsafe(32)
        with self._locked() as users:
            if canonical not in users:
                raise AccountError(f"There is no user called {canonical!r}.")
            now = time.time()
            sessions = _open_sessions(users[canonical], now)
            sessions[_digest(token)] = now + lifetime_s
            newest = sorted(sessions.items(), key=lambda item: item[1])[-MAX_SESSIONS:]
            users[canonical]["sessions"] = dict(newest)
            self._write(users)
        return token

    def session_account(self, name: str, token: str) -> Account | None:
        """The account whose open session ``token`` is, or None (ended, expired, unknown)."""
        try:
            canonical = normalize_username(name)
        except AccountError:
            return None
        record = self._read().get(canonical)
        if not record or not token:
            return None
        if _digest(token) not in _open_sessions(record, time.time()):
            return None
        return self._account(canonical, record)

    def close_session(self, name: str, token: str) -> None:
        """End one session (logging out); nothing happens when it has ended already."""
        with contextlib.suppress(AccountError), self._locked() as users:
            record = users.get(normalize_username(name))
            if record and _digest(token) in record.get("sessions", {}):
                del record["sessions"][_digest(token)]
                self._write(users)

    def close_all_sessions(self, name: str) -> int:
        """End every session of ``name`` ("log out everywhere"); how many were open."""
        canonical = normalize_username(name)
        with self._locked() as users:
            if canonical not in users:
                raise AccountError(f"There is no user called {canonical!r}.")
            ended = len(_open_sessions(users[canonical], time.time()))
            users[canonical]["sessions"] = {}
            self._write(users)
        return ended

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is right for ``name``, else None.

        Takes about as long for an unknown name as for a wrong password. A hash made with older
        parameters is upgraded on success.
        """
        try:
            canonical = normalize_username(name)
        except AccountError:
            canonical = ""
        record = self._read().get(canonical) if canonical else None
        if len(password) > MAX_PASSWORD:
            return None
        try:
            _hasher.verify(record["hash"] if record else _dummy_hash(), password)
        except (VerificationError, InvalidHashError):
            return None
        if record is None:
            return None
        if _hasher.check_needs_rehash(record["hash"]):
            self._rehash(canonical, record["hash"], password)
            record = self._read().get(canonical, record)
        return self._account(canonical, record)

    def _rehash(self, name: str, old_hash: str, password: str) -> None:
        with self._locked() as users:
            # Only if nobody changed the password meanwhile (that would be signed out otherwise).
            if name in users and users[name]["hash"] == old_hash:
                users[name]["hash"] = _hasher.hash(password)
                self._write(users)
