"""Security headers on every kind of page, and caching that is fast but never stale."""

import datetime
import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.utils import timezone

from embedded.caching import content_version, local, version
from embedded.models import ContentVersion, Page, Redirect
from guidance.models import Guide, GuidePart
from tests.factories import make_page, make_part

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/guidance/",
    "/guidance/researchers/",
    "/guidance/researchers/what-the-role-is-like/",
    "/guidance/researchers/print/",
    "/roles/embedded-researcher/",
    "/case-studies/",
    "/case-studies/researcher-in-residence-acute-discharge/",
    "/about/",
    "/no-such-page/",
    "/admin/login/",
    "/healthz",
    "/sitemap.xml",
]
PART_URL = "/guidance/researchers/what-the-role-is-like/"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_a_strict_content_security_policy(client, url):
    policy = directives(client.get(url))
    assert policy["default-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    everything = " ".join(" ".join(values) for values in policy.values())
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything


@pytest.mark.parametrize("url", PAGES)
def test_every_page_sends_the_other_security_headers(client, url):
    response = client.get(url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_https_behind_a_proxy_gets_hsts_and_plain_http_is_redirected(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert client.get("/about/").status_code == 301
    response = client.get("/about/", headers={"x-forwarded-proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def test_the_session_cookie_is_secure_httponly_and_samesite_in_production(
    client, settings, django_user_model
):
    settings.SESSION_COOKIE_SECURE = True
    django_user_model.objects.create_user("editor", password="a-long-test-password", is_staff=True)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "a-long-test-password"},
        headers={"x-forwarded-proto": "https"},
        secure=True,
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def test_an_anonymous_content_page_is_public_with_an_etag(client):
    response = client.get(PART_URL)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["ETag"].startswith('"')
    assert not response.cookies


def test_a_conditional_request_gets_304(client):
    etag = client.get(PART_URL)["ETag"]
    response = client.get(PART_URL, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""


def test_a_cached_page_is_served_without_touching_the_database(client, django_assert_num_queries):
    client.get(PART_URL)
    with django_assert_num_queries(0):
        assert client.get(PART_URL).status_code == 200


def test_a_saved_edit_shows_at_once_to_anonymous_readers(client):
    first = client.get(PART_URL).content
    part = GuidePart.objects.get(guide__slug="researchers", slug="what-the-role-is-like")
    part.summary = "A summary changed a moment ago."
    part.save()
    second = client.get(PART_URL).content
    assert first != second
    assert b"A summary changed a moment ago." in second


def test_any_content_change_updates_listing_pages_too(client):
    assert b"Brand new page" not in client.get("/sitemap.xml").content
    make_page("brand-new-page", title="Brand new page")
    assert b"brand-new-page" in client.get("/sitemap.xml").content


def test_staff_pages_are_private_and_never_cached(staff_client):
    response = staff_client.get(PART_URL)
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # A staff view is rendered every time: staff may be previewing changes.
    response = staff_client.get(PART_URL)
    assert "ETag" not in response


def test_a_staff_view_never_fills_the_public_cache(staff_client):
    part = GuidePart.objects.get(guide__slug="researchers", slug="what-the-role-is-like")
    part.status = "draft"
    part.save()
    assert staff_client.get(PART_URL).status_code == 200
    assert Client().get(PART_URL).status_code == 404


def test_a_404_is_not_cached_as_a_page(client):
    assert client.get("/brand-new-page/").status_code == 404
    make_page("brand-new-page")
    assert client.get("/brand-new-page/").status_code == 200


def test_the_admin_sends_no_store(staff_client):
    assert "no-store" in staff_client.get("/admin/")["Cache-Control"]


def test_a_scheduled_part_appears_in_cached_pages_when_its_time_comes(
    client, clock, django_capture_on_commit_callbacks
):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    guide = Guide.objects.get(slug="researchers")
    with django_capture_on_commit_callbacks(execute=True):
        make_part(guide, slug="scheduled", order=99, published_at=soon)
    assert b"/guidance/researchers/scheduled/" not in client.get("/guidance/researchers/").content
    # Long before the next check of the version is due, the go-live time passes.
    clock.tick(datetime.timedelta(minutes=6))
    assert b"/guidance/researchers/scheduled/" in client.get("/guidance/researchers/").content


def test_a_cold_process_reads_the_content_version_once(client, django_assert_num_queries):
    client.get("/about/")
    local.clear()
    version.forget()
    with django_assert_num_queries(1 + 2):  # the version, then the page and its change notes
        client.get("/about/")
    with django_assert_num_queries(0):
        client.get("/about/")


# A content page's change notes cost it one query (the "+ 1"s).
QUERY_BUDGET = {
    "/": 1,
    "/guidance/": 1,
    "/guidance/researchers/": 2 + 1,
    "/guidance/researchers/what-the-role-is-like/": 4 + 1,
    "/guidance/researchers/print/": 2 + 1,
    "/roles/embedded-researcher/": 4 + 1,
    "/roles/embedded-researcher/build/": 4,
    "/roles/embedded-researcher/self-assessment/": 4,
    "/roles/embedded-researcher/job-description.docx": 4,
    "/case-studies/": 3,
    "/case-studies/?setting=acute-trust&theme=evaluation": 3,
    # the case study, its themes, its related guidance, every published case study's facets
    # and themes (to check the list it came from and to suggest similar ones), its change notes
    "/case-studies/researcher-in-residence-acute-discharge/": 5 + 1,
    # the results and their counts, after the synonyms, glossary forms and best bets, which
    # each process reads once per content version (this is the first search since a change)
    "/search/?q=honorary+contract": 2 + 3,
    "/about/": 1 + 1,
    # the count, the page of notes, and the changed items of each kind on it (the shipped
    # notes are on the role profile and case studies)
    "/whats-new/": 1 + 1 + 2,
}


@pytest.mark.parametrize(("url", "queries"), QUERY_BUDGET.items())
def test_each_page_costs_a_pinned_number_of_queries_then_none_from_the_cache(
    client, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_an_edit_saved_by_another_process_shows_within_the_check_interval(client, clock, settings):
    settings.CONTENT_VERSION_CHECK_SECONDS = 1
    version.remember("tests")
    first = client.get(PART_URL).content
    # Another process saves an edit: the rows and the version change, this process is not told.
    part = GuidePart.objects.get(guide__slug="researchers", slug="what-the-role-is-like")
    GuidePart.objects.filter(pk=part.pk).update(summary="Changed by another web process.")
    ContentVersion.objects.filter(pk=1).update(token="another process saved an edit")
    clock.tick(datetime.timedelta(seconds=0.9))
    assert client.get(PART_URL).content == first  # this process checked less than a second ago
    clock.tick(datetime.timedelta(seconds=0.2))
    assert b"Changed by another web process." in client.get(PART_URL).content


def test_a_cached_page_is_a_fresh_response_each_time(client):
    first, second = client.get(PART_URL), client.get(PART_URL)
    assert first is not second and first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Content-Type"] == "text/html; charset=utf-8"


def test_each_host_gets_its_own_cached_sitemap(client, settings):
    settings.ALLOWED_HOSTS = ["embedded.example.org", "www.embedded.example.org"]
    first = client.get("/sitemap.xml", headers={"host": "embedded.example.org"}).content
    second = client.get("/sitemap.xml", headers={"host": "www.embedded.example.org"}).content
    assert b"http://embedded.example.org/guidance/" in first
    assert b"http://www.embedded.example.org/guidance/" in second


def test_junk_query_parameters_share_one_cached_copy(client, django_assert_num_queries):
    client.get("/about/")
    with django_assert_num_queries(0):
        for number in range(20):
            assert client.get(f"/about/?utm_source=mail{number}").status_code == 200
    client.get("/case-studies/?setting=acute-trust")
    with django_assert_num_queries(0):
        client.get("/case-studies/?setting=acute-trust&fbclid=x")


def test_a_saved_change_is_announced_again_when_it_commits(django_capture_on_commit_callbacks):
    page = Page.objects.get(slug="about")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page.summary = "Changed."
        page.save()
    version_while_saving = content_version()
    for callback in callbacks:
        callback()
    assert content_version() != version_while_saving


# The early path: answered from the page cache before the rest of the middleware.

CACHED_PAGES = [
    "/",
    PART_URL,
    "/case-studies/?setting=acute-trust",
    "/search/?q=honorary+contract",
    "/roles/embedded-researcher/job-description.docx",
    "/sitemap.xml",
]
HTTPS = {"x-forwarded-proto": "https"}


def answered_early(response):
    """True when no middleware after the page cache saw the request (none gave it a user)."""
    return not hasattr(response.wsgi_request, "user")


@pytest.fixture
def production_headers(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_a_cached_page_comes_early_with_the_bytes_and_headers_the_full_stack_sent(
    client, production_headers, url
):
    full = client.get(url, headers=HTTPS)
    early = client.get(url, headers=HTTPS)
    assert not answered_early(full) and answered_early(early)
    assert early.status_code == full.status_code == 200
    assert early.content == full.content
    assert dict(early.items()) == dict(full.items())
    for header in ["Content-Security-Policy", "Strict-Transport-Security", "Permissions-Policy",
                   "X-Frame-Options", "Vary", "ETag", "Cache-Control"]:  # fmt: skip
        assert early[header]


def test_the_early_path_sends_hsts_only_to_secure_requests(client, production_headers):
    assert "Strict-Transport-Security" in client.get(PART_URL, headers=HTTPS)
    assert "Strict-Transport-Security" in client.get(PART_URL, headers=HTTPS)
    client.get(PART_URL)
    plain = client.get(PART_URL)
    assert answered_early(plain)
    assert "Strict-Transport-Security" not in plain


def test_a_head_request_comes_early_with_the_headers_and_no_body(client):
    full = client.get(PART_URL)
    head = client.head(PART_URL)
    assert answered_early(head)
    assert head.status_code == 200 and head.content == b""
    assert dict(head.items()) == dict(full.items())


def test_the_early_path_answers_a_matching_etag_with_304_as_the_full_stack_does(client):
    etag = client.get(PART_URL)["ETag"]
    early = client.get(PART_URL, headers={"if-none-match": etag})
    # A query parameter the page does not read takes the full stack to the same copy.
    full = client.get(PART_URL + "?utm_source=mail", headers={"if-none-match": etag})
    assert answered_early(early) and not answered_early(full)
    assert early.status_code == full.status_code == 304
    assert early.content == b""
    assert dict(early.items()) == dict(full.items())
    assert early["ETag"] == etag and "public" in early["Cache-Control"]
    assert early["X-Frame-Options"] == "DENY" and "default-src" in early["Content-Security-Policy"]
    assert client.get(PART_URL, headers={"if-none-match": '"another"'}).status_code == 200


def test_a_reader_whose_copy_an_edit_elsewhere_left_unchanged_still_gets_304(client):
    etag = client.get(PART_URL)["ETag"]
    make_page("unrelated-page")  # the version moves on: the part is rendered again
    response = client.get(PART_URL, headers={"if-none-match": etag})
    assert not answered_early(response)
    assert response.status_code == 304 and response["ETag"] == etag


def test_a_request_with_a_session_cookie_is_never_answered_from_the_page_cache(client):
    client.get(PART_URL)
    client.cookies["sessionid"] = "whatever-it-holds"
    response = client.get(PART_URL)
    assert not answered_early(response)


def test_staff_never_get_the_cached_page(staff_client):
    assert answered_early(Client().get(PART_URL)) is False
    response = staff_client.get(PART_URL)
    assert not answered_early(response)
    assert "private" in response["Cache-Control"] and "ETag" not in response


def test_a_cached_page_costs_no_queries_and_no_other_middleware(client, django_assert_num_queries):
    client.get("/about/")
    with django_assert_num_queries(0):
        response = client.get("/about/")
    assert answered_early(response)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/about/"),
        ("get", "/about"),  # the missing slash is still added
        ("get", "/no-such-page/"),
        ("get", "/admin/login/"),
    ],
)
def test_what_the_early_path_cannot_answer_goes_through_the_whole_site(client, method, url):
    client.get("/about/")
    expected = getattr(Client(), method)(url)
    response = getattr(client, method)(url)
    assert not answered_early(response)
    assert response.status_code == expected.status_code
    assert response.status_code in {200, 301, 404, 405}


def test_a_request_over_plain_http_is_still_sent_to_https_in_production(client, settings):
    client.get("/about/")  # stored for plain HTTP while the redirect was off
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/about/")  # a new process, which reads the setting afresh
    assert response.status_code == 301 and response["Location"] == "https://testserver/about/"


def test_a_disallowed_host_is_refused_even_for_a_cached_page(client):
    client.get("/about/")
    assert client.get("/about/", headers={"host": "evil.example"}).status_code == 400


def test_a_query_with_too_many_fields_gets_400_with_the_security_headers(client):
    client.get("/about/")
    response = client.get("/about/?" + "&".join(f"f{number}=x" for number in range(1001)))
    assert response.status_code == 400
    assert_site_headers(response)


def test_the_page_cache_keeps_only_as_many_pages_as_configured(client, settings):
    settings.PAGE_CACHE_LOCAL_ENTRIES = 2
    for url in ["/about/", "/privacy/", "/contact/"]:
        client.get(url)
    assert len(local.pages) == 2
    assert not answered_early(client.get("/about/"))  # the oldest went first
    assert answered_early(client.get("/contact/"))


# The content version, in the database.


def test_scheduled_finds_published_items_whose_time_has_not_come():
    guide = Guide.objects.get(slug="researchers")
    soon = timezone.now() + datetime.timedelta(days=1)
    waiting = make_part(guide, slug="waiting", order=98, published_at=soon)
    make_part(guide, slug="a-draft", order=99, status="draft", published_at=soon)
    assert list(GuidePart.objects.scheduled()) == [waiting]
    assert waiting not in GuidePart.objects.published()


def test_a_change_made_outside_any_transaction_moves_the_version_in_the_database(
    transactional_db,
):
    before = ContentVersion.objects.values_list("token", flat=True).first()
    make_page("saved-from-a-shell")  # autocommit, as in `manage.py shell`
    assert ContentVersion.objects.get().token != before
    assert content_version() == ContentVersion.objects.get().token


def test_a_process_whose_database_is_away_serves_what_it_has_cached(client, monkeypatch, settings):
    client.get("/about/")
    settings.CONTENT_VERSION_CHECK_SECONDS = 0  # read the version on every request

    def away(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", away)
    response = client.get("/about/")
    assert response.status_code == 200 and answered_early(response)


def test_the_next_go_live_is_noted_with_the_version(django_capture_on_commit_callbacks):
    soon = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        make_page("coming-soon", published_at=soon)
    assert ContentVersion.objects.get().next_change_at == soon


# A shared Redis holds pages for every process.


@pytest.fixture
def redis_pages():
    """The default cache as Redis (db 11, keys under a prefix of this test's own)."""
    location = "redis://127.0.0.1:6379/11"
    store = redis.Redis.from_url(location, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"cache-branch-unit-{time.time_ns()}"
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": redis_cache}):
        yield
    for key in store.scan_iter(match=f"{prefix}*"):
        store.delete(key)


def test_a_page_one_process_rendered_serves_another_through_redis(
    client, redis_pages, django_assert_num_queries
):
    first = client.get(PART_URL)
    local.clear()  # as another process, with nothing in its own memory
    with django_assert_num_queries(0):
        second = client.get(PART_URL)
    assert answered_early(second) and second.content == first.content


def test_a_page_stored_in_another_format_by_an_older_release_is_ignored(client, redis_pages):
    client.get(PART_URL)
    for key in list(local.pages):
        cache.set(key, ("an older release's", "value"), timeout=None)
    local.clear()
    response = client.get(PART_URL)
    assert response.status_code == 200 and not answered_early(response)


def test_staff_pages_never_reach_redis(staff_client, redis_pages):
    staff_client.get(PART_URL)
    assert not local.pages
    assert not redis.Redis.from_url("redis://127.0.0.1:6379/11").keys(
        f"{settings.CACHES['default']['KEY_PREFIX']}*"
    )


# Every kind of response carries the site's security headers and chooses its caching.


def assert_site_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    policy = directives(response)
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def assert_never_stored(response):
    assert {"no-store", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_a_404_carries_the_security_headers_and_is_never_stored(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_site_headers(response)
    assert_never_stored(response)


def test_a_bad_host_gets_400_with_the_security_headers(client):
    response = client.get("/about/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert_site_headers(response)
    assert_never_stored(response)


def test_a_missing_slash_redirect_carries_the_headers_and_a_bounded_lifetime(client):
    response = client.get("/about")
    assert response.status_code == 301 and response["Location"] == "/about/"
    assert_site_headers(response)
    assert response["Cache-Control"] == "public, max-age=300"


def test_a_moved_page_redirect_carries_the_headers_and_a_bounded_lifetime(client):
    Redirect.objects.create(old_path="/about-us/", new_path="/about/")
    response = client.get("/about-us/")
    assert response.status_code == 301 and response["Location"] == "/about/"
    assert_site_headers(response)
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_redirect_to_https_carries_the_headers(settings):
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/about/")
    assert response.status_code == 301
    assert_site_headers(response)
    assert response["Cache-Control"] == "public, max-age=300"


def test_a_500_carries_the_security_headers_and_is_never_stored(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("embedded.views.search", broken)
    response = Client(raise_request_exception=False).get("/search/?q=bug")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert_site_headers(response)
    assert_never_stored(response)


def test_a_503_carries_the_security_headers_and_is_never_stored(client, monkeypatch):
    def away(*args, **kwargs):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr("embedded.views.search", away)
    response = client.get("/search/?q=away")
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert_site_headers(response)
    assert_never_stored(response)


def test_a_refused_csrf_check_carries_the_security_headers(settings):
    response = Client(enforce_csrf_checks=True).post("/admin/login/", {"username": "x"})
    assert response.status_code == 403
    assert_site_headers(response)
    assert_never_stored(response)


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PUT", "PATCH", "DELETE", "PROPFIND"])
@pytest.mark.parametrize("url", ["/", PART_URL, "/no-such-page/", "/admin/login/"])
def test_methods_the_site_does_not_use_get_405_not_a_page(client, method, url):
    client.get(url)  # a cached copy must not answer them either
    response = client.generic(method, url)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert response.content == b""
    assert_site_headers(response)
    assert_never_stored(response)


def test_a_content_page_refuses_a_post_with_405(client):
    response = client.post("/about/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert_site_headers(response)
