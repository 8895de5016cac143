"""Real servers for tests the test client cannot stand in for: the site in gunicorn with
production settings, and a plain HTTP visitor that keeps its own cookies.

Each server binds a free port on loopback and is stopped when its `with` block ends.
"""

import contextlib
import fcntl
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import string
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=30, process=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before it listened")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


def production_env(database_url, **extra):
    """The environment of a production process (DJANGO_DEBUG off), on plain HTTP."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "MEDIA_"))
    }
    env |= {
        "DJANGO_SECRET_KEY": f"tests-{secrets.token_urlsafe(32)}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return env | {key: str(value) for key, value in extra.items()}


def manage(env, *args):
    """Runs a management command in its own process, as an operator would."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


EDITOR = ("chief", "a-long-password")


def prepare_site(env):
    """Migrates the database `env` names, loads the shipped content and adds a superuser,
    EDITOR, as an operator setting up a site would."""
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_content")
    username, password = EDITOR
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.create_superuser({username!r}, 'c@example.org', {password!r})",
    )


class PreparedSites:
    """Fresh SQLite databases, each holding a site as `prepare_site` leaves it.

    Migrating and loading takes seconds of CPU, so the first database is built once a
    session, under a lock the xdist workers share, and each one asked for is a copy of it.
    """

    def __init__(self, folder):
        self.template = folder / "prepared-site.sqlite3"
        self.lock = folder / "prepared-site.lock"

    def copy_into(self, folder):
        """A copy of the prepared site in `folder`; returns its DATABASE_URL."""
        with open(self.lock, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not self.template.exists():
                partial = self.template.with_suffix(".partial")
                partial.unlink(missing_ok=True)
                prepare_site(production_env(f"sqlite:///{partial}"))
                partial.rename(self.template)
        database = folder / "site.sqlite3"
        shutil.copyfile(self.template, database)
        return f"sqlite:///{database}"


def collect_static(env):
    """Production serves hashed static files from a manifest: build it once (as the Docker
    build does), under a lock so parallel test workers do not write it at the same time."""
    with open(ROOT / ".collectstatic.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        manifest = ROOT / "staticfiles" / "staticfiles.json"
        if not manifest.exists() or manifest.stat().st_mtime < _newest_static_source():
            manage(env, "collectstatic", "--no-input", "-v", "0")


def _newest_static_source():
    return max(path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file())


@contextlib.contextmanager
def gunicorn(env, workers=1, threads=2):
    """The site under gunicorn with the shipped config; yields its base address."""
    collect_static(env)
    port = free_port()
    env = env | {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(workers),
        "GUNICORN_THREADS": str(threads),
        "GUNICORN_ACCESS_LOG": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "embedded.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_port(port, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.stderr.close()


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name):
        return self.headers.get(name.lower())


@dataclass
class Visitor:
    """A person's HTTP client: keeps cookies (Secure ones too: the tests speak plain HTTP to a
    server that believes it is behind TLS) and never follows redirects by itself."""

    base: str
    cookies: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    # Another loopback address (127.0.0.2, ...) plays a second person on another machine.
    source: str = "127.0.0.1"

    def request(self, method, path, body=None, headers=None):
        url = urllib.parse.urlsplit(self.base + path if path.startswith("/") else path)
        sent = {"Host": url.netloc, **self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if url.scheme == "https":
            # The tests' own self-signed certificate: nothing to verify it against.
            tls = ssl._create_unverified_context()  # noqa: S323
            connection = http.client.HTTPSConnection(
                url.hostname, url.port, timeout=30, context=tls, source_address=(self.source, 0)
            )
        else:
            connection = http.client.HTTPConnection(
                url.hostname, url.port, timeout=30, source_address=(self.source, 0)
            )
        try:
            target = url.path + (f"?{url.query}" if url.query else "")
            connection.request(method, target, body=body, headers=sent)
            response = connection.getresponse()
            answer = Answer(
                response.status,
                {name.lower(): value for name, value in response.getheaders()},
                response.read(),
            )
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie, _, _ = value.partition(";")
                    key, _, val = cookie.partition("=")
                    self.cookies[key.strip()] = val.strip()
        finally:
            connection.close()
        return answer

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, files=None, headers=None):
        """A form post (multipart when there are files), with the CSRF token from the cookie."""
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if files:
            boundary = secrets.token_hex(16)
            body = multipart(boundary, fields, files)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        sent = {
            "Content-Type": content_type,
            "Referer": self.base + path,
            "X-CSRFToken": self.cookies.get("csrftoken", ""),
            **(headers or {}),
        }
        return self.request("POST", path, body=body, headers=sent)

    def sign_in(self, username, password):
        self.get("/admin/login/")
        answer = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/"},
        )
        assert answer.status == 302, f"sign-in failed: {answer.status} {answer.text[:300]}"
        return answer


def multipart(boundary, fields, files):
    lines = []
    for name, value in fields.items():
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "", value]
    body = "\r\n".join(lines).encode() + b"\r\n"
    for name, (filename, content, content_type) in files.items():
        body += (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return body + f"--{boundary}--\r\n".encode()


def uploaded_image_url(answer):
    """The address in the Markdown the editor's upload endpoint answers with."""
    code = json.loads(answer.body)["image_code"]
    return re.search(r"\]\((.+)\)$", code).group(1)


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "embedded.conf.template"
NGINX_MAIN_CONFIG = """
user root;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/embedded.conf;
    {extra}
}}
"""
# The yardstick for the edge: the same nginx, TLS and compression serving a file from disk.
NGINX_STATIC_SERVER = """
    server {{
        listen {port} ssl;
        ssl_certificate {dir}/cert.pem;
        ssl_certificate_key {dir}/key.pem;
        gzip on;
        gzip_min_length 512;
        root {root};
    }}
"""


@dataclass
class Edge:
    base: str
    static_base: str | None


@contextlib.contextmanager
def nginx_in_front_of(upstream, folder, static_root=None):
    """The repo's nginx template, filled in as the nginx image would, on free ports, in
    front of `upstream`. With `static_root`, the same nginx also serves that folder's files
    from `Edge.static_base`."""
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", folder / "key.pem", "-out", folder / "cert.pem",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    http_port, https_port, static_port = free_port(), free_port(), free_port()
    values = {
        "EMBEDDED_UPSTREAM": upstream.removeprefix("http://"),
        "EMBEDDED_CACHE_DIR": str(folder / "cache"),
        "EMBEDDED_HTTP_PORT": str(http_port),
        "EMBEDDED_HTTPS_PORT": str(https_port),
        "EMBEDDED_TLS_CERTIFICATE": str(folder / "cert.pem"),
        "EMBEDDED_TLS_CERTIFICATE_KEY": str(folder / "key.pem"),
    }
    config = string.Template(NGINX_TEMPLATE.read_text()).safe_substitute(values)
    if "${" in config:
        raise ValueError("the nginx template names a value nginx_in_front_of does not fill in")
    (folder / "embedded.conf").write_text(config)
    extra = ""
    if static_root is not None:
        extra = NGINX_STATIC_SERVER.format(port=static_port, dir=folder, root=static_root)
    (folder / "nginx.conf").write_text(NGINX_MAIN_CONFIG.format(dir=folder, extra=extra))
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        wait_for_port(https_port, process=process)
        yield Edge(
            base=f"https://127.0.0.1:{https_port}",
            static_base=f"https://127.0.0.1:{static_port}" if static_root else None,
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
        process.stderr.close()
