"""A real `archive serve` process on a free loopback port, for tests that go through HTTP, and
the `archive` commands an administrator runs beside it, each in a process of its own."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START_TIMEOUT_S = 60


def add_staff_account(home: Path, name: str, password: str) -> None:
    """Make a staff account in ``home`` the way an administrator would: with the CLI."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "indexer",
            "--home",
            str(home),
            "user",
            "add",
            name,
            "--password-stdin",
        ],
        input=password + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``archive --home HOME ARGS...`` in a process of its own, as an administrator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "indexer", "--home", str(home), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    """A running server: its address and its process."""

    url: str
    process: subprocess.Popen
    output_file: Any

    def output(self) -> str:
        """What the server printed so far (standard output and error)."""
        self.output_file.flush()
        self.output_file.seek(0)
        return self.output_file.read().decode(errors="replace")

    def get(self, path: str) -> tuple[int, bytes]:
        """GET ``path``; the status and the body, whatever the status."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=30) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


@contextlib.contextmanager
def live_server(
    home: Path, *args: str, env: dict[str, str] | None = None, port: int | None = None
) -> Iterator[LiveServer]:
    """Start `archive --home HOME serve` and wait until /healthz answers; stop it at the end."""
    port = port or free_port()
    # A file, not a pipe: a pipe nobody reads would stall a server that logs a lot.
    with tempfile.TemporaryFile() as output_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "indexer",
                "--home",
                str(home),
                "serve",
                "--port",
                str(port),
                *args,
            ],
            stdout=output_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
        server = LiveServer(f"http://127.0.0.1:{port}", process, output_file)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    status, body = server.get("/healthz")
                    if status == 200 and json.loads(body)["status"] == "ok":
                        break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"archive serve did not start:\n{server.output()}")
                time.sleep(0.1)
            yield server
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
