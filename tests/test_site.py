"""The site-wide pages a reader, a search engine and a load balancer see."""

import datetime
import os
import subprocess
import sys

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from embedded.models import Feedback, Page
from tests.factories import make_guide, make_page

pytestmark = pytest.mark.django_db

EVERY_KIND_OF_PAGE = [
    "/",
    "/guidance/",
    "/guidance/nhs-organisations/",
    "/guidance/nhs-organisations/what-embedded-research-is/",
    "/guidance/researchers/print/",
    "/roles/embedded-researcher/",
    "/case-studies/",
    "/case-studies/researcher-in-residence-acute-discharge/",
    "/about/",
    "/accessibility/",
    "/privacy/",
    "/contact/",
    "/robots.txt",
    "/sitemap.xml",
    "/healthz",
]


@pytest.mark.parametrize("url", EVERY_KIND_OF_PAGE)
def test_every_page_answers(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-page/",
        "/guidance/no-such-guide/",
        "/guidance/researchers/nope/",
        "/case-studies/nope/",
        "/roles/nope/",
        "/guidance/researchers/../../etc/passwd",
    ],
)
def test_an_unknown_address_is_a_helpful_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    if response.get("Content-Type", "").startswith("text/html"):
        assert b"Page not found" in response.content
        assert b"/guidance/researchers/" in response.content


def test_the_404_page_offers_the_published_guides_only(client):
    make_guide("a-draft-guide", title="A draft guide", status="draft")
    make_guide("a-new-guide", title="A new guide")
    html = client.get("/no-such-page/").content.decode()
    assert '<a href="/guidance/a-new-guide/">A new guide</a>' in html
    assert "a-draft-guide" not in html


def test_home_page_offers_a_way_in_for_each_audience(client):
    html = client.get("/").content.decode()
    for url in [
        "/guidance/nhs-organisations/",
        "/guidance/researchers/",
        "/guidance/public-involvement/",
        "/roles/embedded-researcher/",
        "/case-studies/",
    ]:
        assert f'href="{url}"' in html


def test_page_shows_title_summary_body_and_review_dates(client):
    html = client.get("/accessibility/").content.decode()
    assert "<h1>Accessibility statement</h1>" in html
    assert "WCAG 2.2" in html
    assert "Page last reviewed: 26 November 2026" in html
    assert "Next review due: 26 November 2027" in html


def test_draft_page_is_hidden_from_the_public(client):
    make_page("secret-plans", status="draft")
    assert client.get("/secret-plans/").status_code == 404


def test_page_scheduled_for_later_is_hidden_until_then(client):
    make_page("coming-soon", published_at=timezone.now() + datetime.timedelta(days=2))
    assert client.get("/coming-soon/").status_code == 404
    assert "coming-soon" not in [page.slug for page in Page.objects.published()]


def test_staff_preview_a_draft_with_a_banner_and_nothing_caches_it(staff_client):
    make_page("secret-plans", status="draft")
    response = staff_client.get("/secret-plans/")
    assert response.status_code == 200
    assert b"Preview: not published" in response.content
    assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_published_at_is_set_when_published_without_a_date():
    page = make_page("now", published_at=None)
    assert page.published_at is not None and page.is_live


def test_next_review_due_defaults_to_a_year_after_the_last_review():
    page = make_page("reviewed", last_reviewed=datetime.date(2024, 2, 29), next_review_due=None)
    assert page.next_review_due == datetime.date(2025, 2, 28)


def test_due_for_review_finds_overdue_and_soon_due_content():
    today = timezone.localdate()
    make_page("overdue", next_review_due=today - datetime.timedelta(days=1))
    make_page("soon", next_review_due=today + datetime.timedelta(days=10))
    make_page("later", next_review_due=today + datetime.timedelta(days=90))
    due = set(Page.objects.due_for_review(within_days=30).values_list("slug", flat=True))
    assert {"overdue", "soon"} <= due and "later" not in due
    assert set(Page.objects.overdue_for_review().values_list("slug", flat=True)) == {"overdue"}


def test_sitemap_lists_published_content_and_not_drafts(client):
    make_page("secret-plans", status="draft")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/guidance/researchers/what-the-role-is-like/" in xml
    assert "/case-studies/researcher-in-residence-acute-discharge/" in xml
    assert "secret-plans" not in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("server closed the connection")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_the_500_page_renders_without_a_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html


def test_feedback_is_stored_without_personal_data_and_thanks_the_reader(client):
    response = client.post(
        "/feedback/", {"path": "/about/", "helpful": "no", "comment": "More detail"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/feedback/thanks/?next=/about/"
    answer = Feedback.objects.get()
    assert (answer.path, answer.helpful, answer.comment) == ("/about/", False, "More detail")


def test_feedback_without_an_answer_explains_and_keeps_the_comment(client):
    response = client.post("/feedback/", {"path": "/about/", "comment": "Keep me"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select yes if this page was helpful" in html
    assert "Keep me" in html
    assert not Feedback.objects.exists()


def test_feedback_refuses_a_comment_that_is_too_long(client):
    response = client.post("/feedback/", {"path": "/", "helpful": "yes", "comment": "x" * 501})
    assert response.status_code == 400
    assert b"500 characters or fewer" in response.content


def test_feedback_from_a_robot_filling_the_honeypot_is_dropped(client):
    client.post("/feedback/", {"path": "/", "helpful": "yes", "website": "http://spam.example"})
    assert not Feedback.objects.exists()


def test_feedback_only_returns_readers_to_this_site(client):
    response = client.post("/feedback/", {"path": "//evil.example/", "helpful": "yes"})
    assert response["Location"].startswith("/feedback/thanks/?next=/&answer=")


def test_feedback_is_rate_limited_per_client(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 3
    statuses = [
        client.post("/feedback/", {"path": "/", "helpful": "yes"}).status_code for _ in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Feedback.objects.count() == 3


def test_content_pages_set_no_cookie_and_carry_no_csrf_token(client):
    response = client.get("/guidance/researchers/what-the-role-is-like/")
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def production_env(**extra):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE is for them alone, not for production.
    ignored = {"DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in ignored}
    env.update(
        DJANGO_SECRET_KEY="a" * 20 + "-production-test-key-" + "b" * 30,
        DJANGO_ALLOWED_HOSTS="embedded.example.org",
        DATABASE_URL="postgres://user@127.0.0.1:5432/none",
        **extra,
    )
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = production_env()
    del env[missing]
    result = manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_admin_login_page_is_reachable(client):
    assert client.get(reverse("admin:login")).status_code == 200
