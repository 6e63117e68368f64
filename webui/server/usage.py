"""Counting what readers do, privately, without slowing or breaking a request.

After each public request for a search, a paper page, a PDF or a ZIP, one small record goes
into a list in memory; a background thread appends the list to the usage store
(:mod:`archive.usage`) every few seconds in one transaction. If the store cannot be written (a
full disk, a lock held too long, a damaged file) the batch is dropped with a warning in the
error log: the reader never sees it.

Not counted, as COUNTER's Code of Practice asks: robots and scripts (user agents matching the
COUNTER robots and machines list, shipped by the ``counter-robots`` package, and any client that
asked for ``/robots.txt``), repeats of the same request by the same client within 30 seconds
(the double-click rule), and curators who are signed in. A "client" is known only by a hash of
its address with a random secret that lives in memory and is replaced every day; neither the
hash nor the secret is ever written anywhere. The user agent plays no part in the key: a script
changing it on every request would otherwise count each repeat.

What one client can add is capped (issue 22): ``MAX_PER_CLIENT_DAY`` counts a day per client,
``MAX_PER_DAY`` in all; beyond, requests are served and not counted (a flood of unique queries
would otherwise grow the store without bound and bury the staff's view). Once a day the store
forgets what is past the retention period and folds the text of rare queries older than
``KEEP_TEXT_DAYS`` into counts (:meth:`~archive.usage.UsageStore.fold_rare_queries`).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import logging
import os
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from flask import Flask, Response, current_app, g, request, template_rendered

from archive.usage import (
    DOWNLOAD,
    KEEP_TEXT_DAYS,
    PDF,
    VIEW,
    ZIP,
    Event,
    Search,
    UsageStore,
    UsageStoreError,
)
from indexer.engine.search import SearchResults

log = logging.getLogger(__name__)

DOUBLE_CLICK_S = 30.0
SECRET_LIFETIME_S = 24 * 3600
FLUSH_INTERVAL_S = 2.0
# At most this many counts wait in memory; beyond (the store unwritable for long), drop.
MAX_PENDING = 20_000
# Clients remembered for the double-click rule and the robots.txt rule, at most.
MAX_CLIENTS = 100_000
# Counts one client may add in a day (a busy reader makes a few hundred), and all clients.
MAX_PER_CLIENT_DAY = 300
MAX_PER_DAY = 50_000
# Idle flush rounds before the background thread ends (it starts again with the next count).
IDLE_ROUNDS = 15

PAPER_ENDPOINTS = {"papers.paper": VIEW, "papers.pdf": PDF, "papers.download": DOWNLOAD}
SEARCH_ENDPOINTS = {"search.results": "web", "api.api_search": "api"}
ZIP_VIEW = "downloads.search_zip"


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


@functools.cache
def _robot_pattern() -> re.Pattern[str]:
    """The COUNTER list of robot and machine user agents (counter-robots' data files), matched
    regardless of case: the package itself matches case-sensitively, which misses "YandexBot"
    and "SemrushBot" (the list writes "bot")."""
    data = resources.files("counter_robots") / "data"
    lines = [
        line
        for name in ("robot.txt", "machine.txt")
        for line in (data / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return re.compile("|".join(lines), re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def is_robot(user_agent: str) -> bool:
    """True for the user agent of a robot, crawler or script (COUNTER's list); an empty one
    counts as a robot too (the list says so)."""
    return bool(_robot_pattern().search(user_agent))


class ClientFilter:
    """The double-click and robots.txt rules, in memory only."""

    def __init__(self, window_s: float = DOUBLE_CLICK_S) -> None:
        self.window_s = window_s
        self._lock = threading.Lock()
        self._secret = os.urandom(32)
        self._secret_born = time.monotonic()
        self._clicks: OrderedDict[tuple[bytes, tuple[Any, ...]], float] = OrderedDict()
        self._robots: OrderedDict[bytes, None] = OrderedDict()
        self._spent: OrderedDict[bytes, int] = OrderedDict()
        self._spent_today = 0
        self._day = _today()

    def client(self, address: str | None) -> bytes:
        """A transient key for a client (its address): never stored, unrecognisable after the
        daily change of secret."""
        now = time.monotonic()
        with self._lock:
            if now - self._secret_born > SECRET_LIFETIME_S:
                self._secret, self._secret_born = os.urandom(32), now
                self._clicks.clear()
                self._robots.clear()
            secret = self._secret
        text = (address or "").encode("utf-8", "replace")
        return hashlib.blake2b(text, key=secret, digest_size=16).digest()

    def within_budget(self, client: bytes) -> bool:
        """Take one count from the client's budget for today (and the day's); False when
        either is spent: the request is then not counted."""
        with self._lock:
            if (today := _today()) != self._day:
                self._day, self._spent_today = today, 0
                self._spent.clear()
            spent = self._spent.get(client, 0)
            if spent >= MAX_PER_CLIENT_DAY or self._spent_today >= MAX_PER_DAY:
                return False
            self._spent[client] = spent + 1
            self._spent.move_to_end(client)
            while len(self._spent) > MAX_CLIENTS:
                self._spent.popitem(last=False)
            self._spent_today += 1
            return True

    def fetched_robots_txt(self, client: bytes) -> None:
        """Remember a client that read robots.txt: a crawler, not a reader."""
        with self._lock:
            self._robots[client] = None
            self._robots.move_to_end(client)
            while len(self._robots) > MAX_CLIENTS:
                self._robots.popitem(last=False)

    def is_crawler(self, client: bytes) -> bool:
        """True for a client that read robots.txt today."""
        with self._lock:
            return client in self._robots

    def first_click(self, client: bytes, target: tuple[Any, ...]) -> bool:
        """True unless the same client asked for the same thing within the window (COUNTER:
        of a double click, one is counted)."""
        now = time.monotonic()
        key = (client, target)
        with self._lock:
            while self._clicks:
                seen = next(iter(self._clicks.values()))
                if now - seen <= self.window_s and len(self._clicks) <= MAX_CLIENTS:
                    break
                self._clicks.popitem(last=False)
            if key in self._clicks:
                return False
            self._clicks[key] = now
            return True


class UsageCounter:
    """Counts kept in memory and appended to the store by a background thread."""

    def __init__(
        self, store: UsageStore, retention_days: int, interval_s: float = FLUSH_INTERVAL_S
    ) -> None:
        self.store = store
        self.retention_days = retention_days
        self.interval_s = interval_s
        self.filter = ClientFilter()
        self._lock = threading.Lock()
        self._pending: list[Search | Event] = []
        self._dropped = 0
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()
        self._purged_on: str | None = None
        self._exit_hook = False

    def add(self, item: Search | Event) -> None:
        """Queue one count (never blocks on the store)."""
        with self._lock:
            if len(self._pending) >= MAX_PENDING:
                self._dropped += 1
                return
            self._pending.append(item)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="usage-flush", daemon=True)
                self._thread.start()
                if not self._exit_hook:
                    atexit.register(self.flush)
                    self._exit_hook = True

    def _run(self) -> None:
        idle = 0
        while True:
            self._wake.wait(self.interval_s)
            self._wake.clear()
            idle = 0 if self.flush() else idle + 1
            with self._lock:
                if idle >= IDLE_ROUNDS and not self._pending:
                    self._thread = None
                    return

    def flush(self) -> int:
        """Append what is waiting; how many counts were stored (0 when they were dropped)."""
        with self._lock:
            batch, self._pending = self._pending, []
            dropped, self._dropped = self._dropped, 0
        if dropped:
            log.warning("usage statistics: %d counts dropped (too many waiting)", dropped)
        if not batch:
            return 0
        try:
            self.store.append(
                [item for item in batch if isinstance(item, Search)],
                [item for item in batch if isinstance(item, Event)],
            )
            self._forget_old()
        except (sqlite3.Error, OSError, UsageStoreError) as error:
            log.warning("usage statistics: %d counts dropped (%s)", len(batch), error)
            return 0
        return len(batch)

    def _forget_old(self) -> None:
        today = datetime.now(UTC).date()
        if self._purged_on != today.isoformat():
            self.store.forget_before((today - timedelta(days=self.retention_days)).isoformat())
            self.store.fold_rare_queries((today - timedelta(days=KEEP_TEXT_DAYS)).isoformat())
            self._purged_on = today.isoformat()


def init_usage(app: Flask, store: UsageStore) -> None:
    """Count the app's public requests into ``store`` (unless ``USAGE_COUNTING`` is off)."""
    if not app.config.get("USAGE_COUNTING", True):
        return
    counter = UsageCounter(store, int(app.config.get("USAGE_RETENTION_DAYS", 730)))
    app.extensions["usage_counter"] = counter
    template_rendered.connect(_remember_results, app)
    app.after_request(_count)


def usage_counter() -> UsageCounter | None:
    """The current app's counter (None when counting is off)."""
    return current_app.extensions.get("usage_counter")


def _remember_results(sender: Flask, template: Any, context: dict[str, Any], **_: Any) -> None:
    # The results page's own view computes them: reading them here spares counting a search
    # twice, and leaves the view alone.
    if template.name == "results.html" and request.endpoint == "search.results":
        g.usage_results = (context.get("query") or "", context.get("results"))


def _count(response: Response) -> Response:
    """After a request: count it if a reader made it. Never raises."""
    try:
        _count_request(response)
    except Exception:  # counting must never turn into an error page
        log.warning("usage statistics: a request was not counted", exc_info=True)
    return response


def _count_request(response: Response) -> None:
    endpoint = request.endpoint or ""
    counted = endpoint in PAPER_ENDPOINTS or endpoint in SEARCH_ENDPOINTS or endpoint == ZIP_VIEW
    if request.method != "GET" or not (counted or endpoint == "discovery.robots"):
        return
    counter = usage_counter()
    if counter is None or g.get("staff"):
        return
    user_agent = request.headers.get("User-Agent", "")
    client = counter.filter.client(request.remote_addr)
    if endpoint == "discovery.robots":
        counter.filter.fetched_robots_txt(client)
        return
    if is_robot(user_agent) or counter.filter.is_crawler(client):
        return
    item = _item(endpoint, response)
    if item is None:
        return
    target = (
        (item.kind, item.paper_id, item.query)
        if isinstance(item, Event)
        else ("search", item.source, request.query_string)
    )
    if counter.filter.first_click(client, target) and counter.filter.within_budget(client):
        counter.add(item)


def _item(endpoint: str, response: Response) -> Search | Event | None:
    """What to count for this response, or None (an error, a later piece of a PDF)."""
    status = response.status_code
    if endpoint in PAPER_ENDPOINTS:
        kind = PAPER_ENDPOINTS[endpoint]
        if kind == VIEW and status != 200:
            return None
        # A PDF viewer fetches a large file in pieces: only the first counts.
        first_piece = (
            request.headers.get("Range", "bytes=0-").replace(" ", "").startswith("bytes=0-")
        )
        if kind != VIEW and (status not in (200, 206) or not first_piece):
            return None
        return Event(kind, paper_id=(request.view_args or {}).get("paper_id"))
    if endpoint == ZIP_VIEW:
        return Event(ZIP, query=request.args.get("q", "")) if status == 200 else None
    page = request.args.get("page", 1, type=int) or 1
    if endpoint == "search.results":
        query, found = g.get("usage_results", (None, None))
        if query is None or not query.strip():
            return None  # the empty search box, or browsing
        return _search(query, found, page, "web")
    if status not in (200, 400):
        return None
    data = response.get_json(silent=True) or {}
    query = request.args.get("q", "")
    if not query.strip():
        return None
    return Search(
        query,
        int(data.get("total") or 0),
        relaxed=bool(data.get("relaxed")),
        corrected=bool(data.get("did_you_mean")),
        page=page,
        source="api",
    )


def _search(query: str, found: SearchResults | None, page: int, source: str) -> Search:
    """A counted search from its results (None: the query could not be used, so it found
    nothing)."""
    if found is None:
        return Search(query, 0, page=page, source=source)
    return Search(
        query,
        found.total,
        relaxed=found.relaxed,
        corrected=bool(found.suggestion),
        page=page,
        source=source,
    )
