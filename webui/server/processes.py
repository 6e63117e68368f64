"""Several server processes on one listening socket, so that searches use every core.

Python runs one thread's code at a time, so one server process uses about one core however many
threads it has (``make bench-load``: 1.1 cores on 2). With ``processes`` above 1, ``archive
serve`` binds the socket once, then forks that many children that each run waitress on it (the
kernel hands each new connection to one of them); the parent only supervises: a child that dies
is started again, SIGTERM or Ctrl-C stops them all.

What the children share goes through the home, never through memory: the index and the library
(as with an import running beside the server), rate-limit counters
(:mod:`webui.server.shared_limits`), the upload inbox (one process at a time processes it, by a
lock). What must happen once is done once: the start's clean-up of half-received files by the
parent before any child exists, and the background work (thumbnails still to draw) by child 0.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger(__name__)

# How long the children get to finish the requests they hold after SIGTERM before they are killed.
STOP_GRACE_S = 30.0
# A child that dies sooner than this after its start is started again only after a pause that
# doubles each time (up to RESTART_PAUSE_MAX_S), so a child failing at start does not spin.
QUICK_DEATH_S = 10.0
RESTART_PAUSE_MAX_S = 30.0
POLL_S = 0.2


def bind_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (the first address the name resolves to).
    Raises OSError when it cannot listen (the port is taken, the address is not this machine's)."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError:
        sock.close()
        raise
    return sock


def run_children(count: int, child: Callable[[int], None]) -> None:
    """Run ``child(index)`` in ``count`` forked processes until SIGTERM or SIGINT, starting again
    any that dies; returns when all have stopped.

    Called in a process with no other thread (a fork copies only the calling thread, and locks
    another thread held would stay locked in the child). ``child`` runs until its server stops.
    """
    if threading.active_count() > 1:
        raise RuntimeError("run_children must fork before any thread is started")
    stopping = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    children: dict[int, int] = {}  # pid -> index
    started: dict[int, float] = {}  # index -> when
    pauses: dict[int, float] = {}  # index -> pause before the next start
    due: dict[int, float] = {}  # index -> when to start it again
    try:
        for index in range(count):
            _start(index, child, children, started, previous)
        while not stopping.is_set():
            pid, status = _reap()
            now = time.monotonic()
            if pid and pid in children:
                index = children.pop(pid)
                quick = now - started[index] < QUICK_DEATH_S
                pauses[index] = min(RESTART_PAUSE_MAX_S, pauses.get(index, 0.5) * 2) if quick else 1
                due[index] = now + pauses[index]
                log.warning(
                    "server process %d (%s) ended; starting another in %.0f s",
                    pid,
                    _describe(status),
                    pauses[index],
                )
                continue
            for index, when in list(due.items()):
                if when <= now:
                    del due[index]
                    _start(index, child, children, started, previous)
            time.sleep(POLL_S)
    finally:
        _stop(children)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start(
    index: int,
    child: Callable[[int], None],
    children: dict[int, int],
    started: dict[int, float],
    handlers: dict[int, signal.Handlers | Callable | int | None],
) -> None:
    pid = os.fork()
    if pid == 0:  # the child: never returns into the parent's code
        code = 1
        try:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            child(index)
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 0
        except KeyboardInterrupt:  # Ctrl-C reaches the whole process group
            code = 0
        except BaseException:
            log.exception("server process %d failed", os.getpid())
        finally:
            logging.shutdown()
            os._exit(code)
    children[pid] = index
    started[index] = time.monotonic()


def _stop(children: dict[int, int]) -> None:
    """SIGTERM to every child, then wait for them; SIGKILL for any still there after the grace."""
    for pid in children:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while children:
        pid, _status = _reap()
        if pid:
            children.pop(pid, None)
            continue
        if time.monotonic() > deadline:
            for late in children:
                log.warning("server process %d did not stop in time: killed", late)
                _signal(late, signal.SIGKILL)
            deadline = float("inf")
        time.sleep(POLL_S / 4)


def _reap() -> tuple[int, int]:
    """A child that has ended and its status, or (0, 0) when none has (or none is left)."""
    try:
        return os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return 0, 0


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has ended meanwhile
        os.kill(pid, sig)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
