"""When PostgreSQL goes away, readers still get cached pages and a friendly 503; then it recovers.

This runs the real site in gunicorn against a real PostgreSQL, reached through
a small TCP relay that the test can cut and restore, as a network failure or
a database restart would.
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Named for this process, so parallel test workers (and parallel runs) never share it.
DATABASE = f"embedded_resilience_test_{os.getpid()}"
ROOT = Path(__file__).resolve().parent.parent


def postgres_available():
    try:
        psycopg.connect(ADMIN_URL, connect_timeout=2).close()
    except psycopg.OperationalError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not postgres_available(), reason="PostgreSQL is not running on 127.0.0.1:5432"
)


class Relay:
    """Forwards a local port to PostgreSQL until cut; cutting also drops live connections."""

    def __init__(self, target=("127.0.0.1", 5432)):
        self.target = target
        self.port = free_port()
        self.sockets = []
        self.listener = None

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self):
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(url, status, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get(url)[0] == status:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@pytest.fixture
def site():
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "embedded.settings",  # the real site, not the tests' extras
        "DJANGO_DEBUG": "1",
        "DATABASE_POOL_TIMEOUT": "2",
    }
    direct = {**env, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}"}
    for command in (["migrate", "-v", "0"], ["load_content"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=direct, check=True,
                       capture_output=True)  # fmt: skip
    relay = Relay()
    relay.start()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "gunicorn.conf.py",
            "embedded.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "4",
        ],  # fmt: skip
        cwd=ROOT,
        env={
            **env,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{relay.port}/{DATABASE}",
            "GUNICORN_ACCESS_LOG": "",
        },  # fmt: skip
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/healthz", 200), "the site did not start"
        yield base, relay
    finally:
        server.terminate()
        server.wait(timeout=20)
        relay.cut()
        with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def test_the_site_stays_useful_while_the_database_is_away_and_recovers(site):
    base, relay = site
    cached = f"{base}/guidance/researchers/what-the-role-is-like/"
    uncached = f"{base}/guidance/researchers/references/"
    status, cached_html = get(cached)
    assert status == 200

    relay.cut()

    assert get(f"{base}/healthz")[0] == 503
    status, html = get(cached)
    assert status == 200 and html == cached_html
    status, html = get(uncached)
    assert status == 503
    assert "Sorry, the service is unavailable" in html
    assert "Traceback" not in html

    relay.start()

    assert wait_for(f"{base}/healthz", 200), "the site did not recover without a restart"
    assert wait_for(uncached, 200)
