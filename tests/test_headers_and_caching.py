"""Security headers on every kind of page, and caching that is fast but never stale."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from embedded.caching import VERSION_KEY, content_version, local
from embedded.content import registry
from embedded.models import Page
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


def test_a_scheduled_part_appears_in_cached_pages_when_its_time_comes(client, clock):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    make_part(Guide.objects.get(slug="researchers"), slug="scheduled", order=99, published_at=soon)
    assert b"/guidance/researchers/scheduled/" not in client.get("/guidance/researchers/").content
    clock.tick(datetime.timedelta(minutes=6))
    assert b"/guidance/researchers/scheduled/" in client.get("/guidance/researchers/").content


def test_a_cold_cache_looks_for_scheduled_content_once(client, django_assert_num_queries):

    client.get("/about/")
    cache.clear()
    local.clear()
    with django_assert_num_queries(1 + len(registry.models)):
        client.get("/about/")
    with django_assert_num_queries(0):
        client.get("/about/")


QUERY_BUDGET = {
    "/": 1,
    "/guidance/": 1,
    "/guidance/researchers/": 2,
    "/guidance/researchers/what-the-role-is-like/": 5,
    "/guidance/researchers/print/": 2,
    "/roles/embedded-researcher/": 4,
    "/roles/embedded-researcher/build/": 4,
    "/roles/embedded-researcher/self-assessment/": 4,
    "/roles/embedded-researcher/job-description.docx": 4,
    "/case-studies/": 3,
    "/case-studies/?setting=acute-trust&theme=evaluation": 3,
    "/case-studies/researcher-in-residence-acute-discharge/": 3,
    "/search/?q=honorary+contract": 2,
    "/about/": 1,
}


@pytest.mark.parametrize(("url", "queries"), QUERY_BUDGET.items())
def test_each_page_costs_a_pinned_number_of_queries_then_none_from_the_cache(
    client, django_assert_num_queries, url, queries
):
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_an_edit_saved_by_another_process_shows_within_the_check_interval(client, clock):

    first = client.get(PART_URL).content
    part = GuidePart.objects.get(guide__slug="researchers", slug="what-the-role-is-like")
    GuidePart.objects.filter(pk=part.pk).update(summary="Changed by another web process.")
    cache.set(VERSION_KEY, "another process saved an edit", timeout=None)
    assert client.get(PART_URL).content == first  # this process checked less than a second ago
    clock.tick(datetime.timedelta(seconds=1.5))
    assert b"Changed by another web process." in client.get(PART_URL).content


def test_a_cached_page_is_a_fresh_response_each_time(client):
    first, second = client.get(PART_URL), client.get(PART_URL)
    assert first is not second and first.content == second.content
    assert first["ETag"] == second["ETag"]
    assert first["Content-Type"] == "text/html; charset=utf-8"


def test_a_page_stored_in_another_format_by_an_older_release_is_ignored(client):
    client.get(PART_URL)
    for key in list(local.pages):
        cache.set(key, ("an older release's", "value"), timeout=None)
    local.clear()
    cache.set(VERSION_KEY, "tests", timeout=None)
    assert client.get(PART_URL).status_code == 200


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
