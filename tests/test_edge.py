"""The shipped nginx configuration in front of a real gunicorn, as compose.yaml runs it.

nginx (Debian's nginx-light) terminates TLS with a throwaway certificate, caches anonymous
pages as their Cache-Control allows, and tells the site who the reader is; the site runs
with production settings, DJANGO_PROXY_COUNT=1 and a two-second PUBLIC_CACHE_MAX_AGE.
"""

import gzip
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from tests.servers import (
    NGINX,
    Visitor,
    gunicorn,
    manage,
    nginx_in_front_of,
    production_env,
)

MAX_AGE = 2
PART = "/guidance/nhs-organisations/choosing-a-model/"

pytestmark = [
    pytest.mark.skipif(
        not Path(NGINX).exists(), reason="nginx is not installed (apt-get install nginx-light)"
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("edge"),  # one worker starts the servers, once
]


@pytest.fixture(scope="module")
def edge(prepared_sites):
    """The site and nginx in front of it, with a signed-up editor; yields (nginx, env)."""
    folder = Path(tempfile.mkdtemp(prefix="embedded-edge-"))
    env = production_env(
        prepared_sites.copy_into(folder),
        DJANGO_PROXY_COUNT=1,
        PUBLIC_CACHE_MAX_AGE=MAX_AGE,
        FEEDBACK_RATE_LIMIT=3,
    )
    try:
        with gunicorn(env, workers=2) as site, nginx_in_front_of(site, folder) as proxy:
            yield proxy.base, env
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_an_anonymous_page_comes_from_the_cache_the_second_time(edge):
    proxy, _ = edge
    reader = Visitor(proxy)
    first = reader.get("/guidance/")
    second = reader.get("/guidance/")

    assert first.status == second.status == 200
    assert first.header("x-cache-status") in {"MISS", "EXPIRED"}
    assert second.header("x-cache-status") == "HIT"
    assert second.body == first.body
    # The site saw HTTPS through the proxy, so its transport headers are there.
    assert "max-age=" in second.header("strict-transport-security")


def test_pages_are_compressed_and_static_files_kept_for_a_year(edge):
    proxy, _ = edge
    reader = Visitor(proxy, headers={"Accept-Encoding": "gzip"})
    page = reader.get("/guidance/")
    assert page.header("content-encoding") == "gzip"
    assert b"<html" in gzip.decompress(page.body)

    stylesheet = re.search(
        r'href="(/static/css/main\.[0-9a-f]+\.css)"', gzip.decompress(page.body).decode()
    )
    first = reader.get(stylesheet.group(1))
    second = reader.get(stylesheet.group(1))
    assert first.status == 200
    assert "max-age=31536000" in second.header("cache-control")
    assert second.header("x-cache-status") == "HIT"


def test_a_signed_in_editor_is_never_answered_from_or_stored_in_the_cache(edge):
    proxy, env = edge
    manage(
        env,
        "shell",
        "-c",
        "from guidance.models import GuidePart;"
        "GuidePart.objects.filter(slug='measuring-and-sustaining').update(status='draft')",
    )
    draft = "/guidance/nhs-organisations/measuring-and-sustaining/"
    editor = Visitor(proxy)
    editor.sign_in("chief", "a-long-password")

    for _ in range(2):
        preview = editor.get(draft)
        assert preview.status == 200
        assert "Preview" in preview.text
        assert preview.header("x-cache-status") == "BYPASS"
    reader = Visitor(proxy).get(draft)
    assert reader.status == 404
    assert editor.get("/guidance/").header("x-cache-status") == "BYPASS"


def test_a_publish_reaches_readers_through_the_proxy_within_the_max_age(edge):
    proxy, env = edge
    reader = Visitor(proxy)
    reader.get(PART)
    assert reader.get(PART).header("x-cache-status") == "HIT"

    manage(
        env,
        "shell",
        "-c",
        "from guidance.models import GuidePart;"
        "part = GuidePart.objects.get(slug='choosing-a-model');"
        "part.title = 'Choosing your model, revised'; part.save()",
    )
    changed = time.monotonic()
    while "Choosing your model, revised" not in reader.get(PART).text:
        assert time.monotonic() - changed <= MAX_AGE + 1.5, "readers still see the old page"
        time.sleep(0.2)


def test_lockout_and_rate_limits_see_the_reader_not_the_proxy_or_a_forged_header(edge):
    proxy, _ = edge
    attacker = Visitor(proxy)
    for number in range(6):
        attacker.get("/admin/login/")
        attacker.post(
            "/admin/login/",
            {"username": "chief", "password": f"wrong-{number}"},
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
    locked = attacker.post(
        "/admin/login/",
        {"username": "chief", "password": "a-long-password"},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert locked.status == 429 or "locked" in locked.text.lower()

    # The editor, on another machine, is not locked out by someone else's guesses.
    editor = Visitor(proxy, source="127.0.0.2")
    assert editor.sign_in("chief", "a-long-password").header("location") == "/admin/"

    answers = [
        attacker.post(
            "/feedback/",
            {"helpful": "yes", "path": "/guidance/"},
            headers={"X-Forwarded-For": f"192.0.2.{number}"},
        ).status
        for number in range(4)
    ]
    assert answers[:3] == [302, 302, 302]
    assert answers[3] == 429
    assert (
        Visitor(proxy, source="127.0.0.3")
        .post("/feedback/", {"helpful": "yes", "path": "/guidance/"})
        .status
        == 302
    )
