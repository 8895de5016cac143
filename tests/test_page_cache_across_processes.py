"""Every web process honours a change within the check interval, wherever it was made.

This runs the real site in gunicorn with two worker processes, each with its
own memory, on a SQLite file database of its own: once with no shared cache,
once with Redis holding the pages (skipped when no Redis answers on
127.0.0.1:6379). Both workers cache a page; then it is withdrawn, once by an
editor in the admin (so one worker handles the change and the other is not
told) and once by `manage.py load_content` in a process of its own. Within
CONTENT_VERSION_CHECK_SECONDS every reader, whichever worker answers, gets 404.
"""

import http.cookiejar
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis

from tests.servers import EDITOR

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.xdist_group("page-cache")  # one worker copies the database, once
CHECK_SECONDS = 1
REDIS_URL = "redis://127.0.0.1:6379/11"
READS = 24  # enough that both workers answer some of them


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture(scope="module")
def database(prepared_sites, tmp_path_factory):
    """A migrated SQLite file with the shipped content and one editor, for the module."""
    url = prepared_sites.copy_into(tmp_path_factory.mktemp("site"))
    return Path(url.removeprefix("sqlite:///"))


def environment(database, **extra):
    return {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
        "CONTENT_VERSION_CHECK_SECONDS": str(CHECK_SECONDS),
        "GUNICORN_ACCESS_LOG": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture(params=["no shared cache", "Redis"])
def site(request, database, tmp_path):
    """gunicorn with two worker processes on a copy of the database, on a free port."""
    copy = tmp_path / "site.sqlite3"
    shutil.copy(database, copy)
    extra = {}
    if request.param == "Redis":
        if not redis_answers():
            pytest.skip(f"Redis does not answer at {REDIS_URL}")
        prefix = f"cache-branch-test-{uuid.uuid4().hex}"
        extra = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    env = environment(copy, **extra)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "embedded.wsgi",
         "--bind", "127.0.0.1:0", "--workers", "2", "--threads", "2"],
        cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://{listening_address(server)}"
        yield Site(base, copy, env)
    finally:
        server.terminate()
        server.wait(timeout=20)
        if extra:
            store = redis.Redis.from_url(REDIS_URL)
            for key in store.scan_iter(match=f"{extra['CACHE_KEY_PREFIX']}*"):
                store.delete(key)


def listening_address(server):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        if match := re.search(r"Listening at: http://(\S+)", line):
            return match.group(1)
        if not line and server.poll() is not None:
            break
    server.kill()
    raise AssertionError("gunicorn did not start")


class Site:
    def __init__(self, base, database, env):
        self.base, self.database, self.env = base, database, env

    def status(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def statuses(self, path):
        """What READS readers, each on a connection of their own, get."""
        return [self.status(path) for _ in range(READS)]

    def editor(self):
        """A signed-in editor's browser."""
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = self.base + "/admin/login/?next=/admin/"
        token = csrf_token(browser.open(login).read().decode())
        username, password = EDITOR
        form = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        browser.open(login, urllib.parse.urlencode(form).encode())
        return browser

    def page_id(self, slug):
        with sqlite3.connect(self.database) as db:
            return db.execute("select id from embedded_page where slug = ?", [slug]).fetchone()[0]


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def wait_out_the_check_interval(since):
    time.sleep(max(0, since + CHECK_SECONDS + 0.3 - time.monotonic()))


def test_an_unpublish_in_the_admin_reaches_every_worker_within_the_interval(site):
    assert site.statuses("/about/") == [200] * READS  # both workers have it cached
    editor = site.editor()
    # The admin's own Unpublish: a confirmation page naming the address, then a POST.
    confirm = site.base + f"/admin/embedded/page/{site.page_id('about')}/unpublish/"
    token = csrf_token(editor.open(confirm).read().decode())
    form = {"csrfmiddlewaretoken": token}
    response = editor.open(confirm, urllib.parse.urlencode(form).encode())
    assert "Readers can no longer open" in response.read().decode()
    unpublished = time.monotonic()

    wait_out_the_check_interval(unpublished)

    assert site.statuses("/about/") == [404] * READS


def test_an_unpublish_by_load_content_reaches_every_worker_within_the_interval(site, tmp_path):
    assert site.statuses("/privacy/") == [200] * READS
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    privacy = content / "pages" / "privacy.md"
    privacy.write_text(privacy.read_text().replace("status: published", "status: draft", 1))
    subprocess.run(
        [sys.executable, "manage.py", "load_content"],
        cwd=ROOT, env={**site.env, "CONTENT_DIR": str(content)}, check=True, capture_output=True,
    )  # fmt: skip
    loaded = time.monotonic()

    wait_out_the_check_interval(loaded)

    assert site.statuses("/privacy/") == [404] * READS
