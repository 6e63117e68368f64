"""Serving in production: settings and their precedence, /healthz, access and error logs,
waitress limits, and a clean stop on SIGTERM (through a real `archive serve`)."""

from __future__ import annotations

import io
import logging
import shutil
import signal
import subprocess
import threading
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import Client, EnvironBuilder

from archive.settings import CONFIG_FILE, GiB, MiB, load_settings, parse_size
from indexer.export import DEFAULT_MAX_BYTES, DEFAULT_MAX_PAPERS
from indexer.home import ArchiveHome
from indexer.index import SearchIndex
from webui import create_app
from webui.server.serving import AccessLog, _warm_up

from live_server import live_server
from openapi_check import check

# --- settings -----------------------------------------------------------------------------------


def test_settings_precedence_flag_env_config_default(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text(
        'port = 9000\nthreads = 4\nhost = "0.0.0.0"\nexport_max_bytes = "500M"\n'
    )
    env = {"ARCHIVE_PORT": "9100", "ARCHIVE_THREADS": "6"}
    settings = load_settings(tmp_path, {"port": 9200, "threads": None}, environ=env)
    assert settings.port == 9200 and settings.sources["port"] == "command line"
    assert settings.threads == 6 and settings.sources["threads"] == "ARCHIVE_THREADS"
    assert settings.host == "0.0.0.0" and settings.sources["host"] == CONFIG_FILE
    assert settings.export_max_bytes == 500 * MiB
    assert settings.connection_limit == 100 and settings.sources["connection_limit"] == "default"
    assert not settings.warnings


def test_settings_defaults_agree_with_the_export_library() -> None:
    settings = load_settings(None, environ={})
    assert settings.export_max_papers == DEFAULT_MAX_PAPERS
    assert settings.export_max_bytes == DEFAULT_MAX_BYTES


def test_unusable_settings_warn_and_fall_back(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text('threads = 3\nthreds = 5\npublic_base_url = "nope"\n')
    settings = load_settings(tmp_path, environ={"ARCHIVE_THREADS": "lots", "ARCHIVE_PORT": "0"})
    assert settings.threads == 3  # the environment's value was unusable: config.toml's applies
    assert settings.port == 8080
    assert settings.public_base_url is None
    text = "\n".join(settings.warnings)
    assert "'lots' is not a whole number from 1 to 64" in text
    assert "'threds' is not a setting" in text
    assert "is not an address such as https://" in text


def test_a_config_file_that_is_not_toml_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("port = = 3\n")
    settings = load_settings(tmp_path, environ={})
    assert settings.port == 8080
    assert f"{CONFIG_FILE} was not read" in settings.warnings[0]


@pytest.mark.parametrize(
    ("text", "size"), [("2G", 2 * GiB), ("500M", 500 * MiB), ("1.5k", 1536), ("42", 42)]
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_web_settings_reach_the_app(
    demo_home: ArchiveHome, monkeypatch: pytest.MonkeyPatch
) -> None:
    (demo_home.root / CONFIG_FILE).write_text(
        'public_base_url = "https://papers.example.org/"\nmax_request_bytes = "1M"\n'
    )
    monkeypatch.setenv("ARCHIVE_EXPORT_MAX_PAPERS", "3")
    app = create_app({"ARCHIVE_HOME": str(demo_home.root)})
    assert app.config["PUBLIC_BASE_URL"] == "https://papers.example.org"
    assert app.config["MAX_CONTENT_LENGTH"] == MiB
    assert app.config["EXPORT_MAX_PAPERS"] == 3
    # A key given to create_app() wins over both.
    app = create_app({"ARCHIVE_HOME": str(demo_home.root), "EXPORT_MAX_PAPERS": 7})
    assert app.config["EXPORT_MAX_PAPERS"] == 7


# --- /healthz -------------------------------------------------------------------------------


def test_healthz_ok_matches_the_document(client: FlaskClient) -> None:
    body = check(client.get("/healthz"), "/healthz")
    assert body == {"status": "ok", "papers": 5, "pages": 15}
    assert client.get("/healthz").headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_index_cannot_be_read(
    app: Flask, client: FlaskClient, demo_home: ArchiveHome
) -> None:
    # The app's start-up threads (comparing the library with the index, and indexing what
    # differs) may still be at work: let them finish, or the folder gains a file while it is
    # being removed (a CI run failed so, "Directory not empty").
    services = app.extensions["staff_services"]
    services.uploads.stop()
    services.sync.stop()
    for thread in threading.enumerate():
        if thread.name == "index-reconcile":
            thread.join(30)
    shutil.rmtree(demo_home.root / "index")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = check(response, "/healthz")
    assert body["reason"].startswith("the search index cannot be read")


def test_healthz_is_503_when_the_library_is_not_writable(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    # Tests run as root, which ignores permissions: a file where the work folder should be
    # makes writing fail for anyone.
    shutil.rmtree(demo_home.library.tmp, ignore_errors=True)
    demo_home.library.tmp.write_text("in the way")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert check(response, "/healthz")["reason"].startswith("the library folder is not writable")


# --- access log -----------------------------------------------------------------------------


def test_access_log_line_counts_streamed_bytes(app: Flask) -> None:
    stream = io.StringIO()
    logger = logging.getLogger("test.access")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.StreamHandler(stream)
    logger.addHandler(handler)
    try:
        client = Client(AccessLog(app.wsgi_app, logger))
        response = client.get(
            '/search.zip?q=leopard&x="quoted"',
            headers={"User-Agent": "tester/1"},
            environ_overrides={"REMOTE_ADDR": "192.0.2.7"},
        )
        body = response.get_data()
        response.close()
    finally:
        logger.removeHandler(handler)
    assert zipfile.ZipFile(io.BytesIO(body)).namelist()
    (line,) = stream.getvalue().splitlines()
    assert line.startswith("192.0.2.7 - - [")
    assert '"GET /search.zip?q=leopard&x=%22quoted%22 HTTP/1.1" 200 ' in line
    assert f" 200 {len(body)} " in line
    assert line.endswith('"tester/1" ' + line.rsplit(" ", 1)[1])


def test_access_log_keeps_file_responses_files_for_waitress(app: Flask) -> None:
    """A PDF or a spooled ZIP stays waitress's file wrapper through the access log, so that
    waitress sends it from its I/O loop (not a worker thread); the line is written when the
    file is closed, with the bytes sent."""
    from waitress.buffers import ReadOnlyFileBasedBuffer

    lines: list[str] = []
    logger = logging.getLogger("test.access.files")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    try:
        environ = EnvironBuilder("/search.zip", query_string="q=leopard").get_environ()
        environ["wsgi.file_wrapper"] = ReadOnlyFileBasedBuffer
        started: list[tuple[str, list[tuple[str, str]]]] = []
        body = AccessLog(app.wsgi_app, logger)(
            environ, lambda status, headers, exc_info=None: started.append((status, headers))
        )
        assert isinstance(body, ReadOnlyFileBasedBuffer)
        size = int(dict(started[0][1])["Content-Length"])
        assert body.prepare(size) == size  # what waitress does with a file
        assert zipfile.ZipFile(io.BytesIO(body.get(size, skip=True))).namelist()
        assert lines == []  # not sent yet, not logged yet
        body.close()
    finally:
        logger.removeHandler(handler)
    (line,) = lines
    assert f'"GET /search.zip?q=leopard HTTP/1.1" 200 {size} ' in line
    assert app.extensions["export_spool"].use().in_flight == 0


# --- a real server --------------------------------------------------------------------------


def test_serve_reads_config_and_env_logs_and_stops_cleanly_on_sigterm(
    demo_home: ArchiveHome,
) -> None:
    (demo_home.root / CONFIG_FILE).write_text("threads = 3\nexport_max_papers = 2\nbogus = 1\n")
    with live_server(demo_home.root, env={"ARCHIVE_THREADS": "2"}) as server:
        status, body = server.get("/search?q=leopard")
        assert status == 200 and b"Amur" in body
        status, body = server.get("/search.zip?q=leopard")
        assert status == 422  # config.toml's cap of 2 papers applies
        assert server.get("/healthz")[0] == 200
        server.process.send_signal(signal.SIGTERM)
        try:
            code = server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("archive serve did not stop on SIGTERM")
        output = server.output()
    assert code == 0, output
    assert "with 2 threads" in output  # the environment beat config.toml
    assert "'bogus' is not a setting" in output
    assert output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output
    access = (demo_home.log_dir / "access.log").read_text().splitlines()
    assert any('"GET /search?q=leopard HTTP/1.1" 200' in line for line in access)
    assert any('"GET /search.zip?q=leopard HTTP/1.1" 422' in line for line in access)
    assert "'bogus' is not a setting" in (demo_home.log_dir / "error.log").read_text()


def test_serve_refuses_a_body_over_the_limit_and_a_busy_port(demo_home: ArchiveHome) -> None:
    (demo_home.root / CONFIG_FILE).write_text('max_request_bytes = "1k"\n')
    with live_server(demo_home.root) as server:
        assert _post_status(server.url + "/search", b"x" * 5000) == 413
        port = server.url.rsplit(":", 1)[1]
        clash = subprocess.run(
            [*server.process.args[:5], "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert clash.returncode == 1
    assert f"Cannot listen on 127.0.0.1:{port}" in clash.stderr
    assert "Traceback" not in clash.stderr


def _post_status(url: str, data: bytes) -> int:
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_error_log_gets_unexpected_errors(demo_home: ArchiveHome, tmp_path: Path) -> None:
    """A server error is logged with its traceback; the person sees a friendly page."""
    from webui.server.serving import configure_logs

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logs(tmp_path / "logs", access=False)
        app = create_app({"ARCHIVE_HOME": str(demo_home.root)})

        @app.get("/boom")
        def boom():  # type: ignore[no-untyped-def]
            raise RuntimeError("kaboom")

        response = app.test_client().get("/boom")
    finally:
        for handler in set(root.handlers) - set(before):
            root.removeHandler(handler)
            handler.close()
    assert response.status_code == 500
    assert b"kaboom" not in response.data
    log = (tmp_path / "logs" / "error.log").read_text()
    assert "RuntimeError: kaboom" in log and "Traceback" in log


def test_the_sample_config_file_is_valid(tmp_path: Path) -> None:
    """deploy/config.toml.example names every setting but the secret key (which is made on
    first run, and should never be copied from an example), each with a usable value."""
    sample = Path(__file__).parents[1] / "deploy" / "config.toml.example"
    shutil.copy(sample, tmp_path / CONFIG_FILE)
    settings = load_settings(tmp_path, environ={})
    assert not settings.warnings
    assert settings.sources.pop("secret_key") == "default"
    assert set(settings.sources.values()) == {CONFIG_FILE}


def test_warm_up_loads_what_searches_read(
    demo_home: ArchiveHome, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The start-up warm-up loads the per-document data (facet tables among it) that the first
    search would otherwise wait for; on an index it cannot read it only logs a warning."""
    _warm_up(demo_home)
    with demo_home.index.searcher() as searcher:
        joined = demo_home.index.view(searcher).joined
    assert {"author_facet", "tag_facet", "doc_type"} <= set(joined._facets)
    broken = tmp_path / "broken"
    broken.write_text("not an index folder")
    home = ArchiveHome(tmp_path, demo_home.library, SearchIndex(broken))
    with caplog.at_level(logging.WARNING):
        _warm_up(home)
    assert "could not warm up the index" in caplog.text


def test_the_nginx_sample_agrees_with_the_default_limits() -> None:
    """deploy/nginx.conf refuses what the archive refuses, no more and no less."""
    conf = (Path(__file__).parents[1] / "deploy" / "nginx.conf").read_text()
    settings = load_settings(None, environ={})
    assert f"client_max_body_size {settings.max_form_bytes // MiB}m;" in conf
    upload = conf.split("location = /upload", 1)[1].split("}", 1)[0]
    assert f"client_max_body_size {settings.max_request_bytes // MiB}m;" in upload
    assert "proxy_request_buffering off;" in upload  # refused from the headers, unstored
    assert f"client_header_timeout {settings.header_timeout}s;" in conf
    assert f"large_client_header_buffers 4 {settings.max_request_header_bytes // 1024}k;" in conf
    exports = conf.split(r"location ~ ^/search\.(zip|bib|ris)$", 1)[1].split("}", 1)[0]
    assert "proxy_buffering off;" in exports
    assert "proxy_buffering off" not in conf.split("location / {", 1)[1].split("}", 1)[0]
