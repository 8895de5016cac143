"""Redirects send readers only to addresses on this site, and never reveal a draft.

A permanent redirect is cached by browsers for good, so a bad one cannot be
taken back: the admin refuses any target that could leave the site, and any
old address that would hide a real page, file or the admin.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from embedded.models import Redirect
from tests.factories import make_guide, make_page, make_part

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "evil.example/path",
    "about/",
    "",
]


def checked(old_path, new_path):
    Redirect(old_path=old_path, new_path=new_path).full_clean()


@pytest.mark.parametrize("target", OFF_SITE)
def test_a_redirect_target_must_be_a_path_on_this_site(target):
    with pytest.raises(ValidationError) as error:
        checked("/an-old-address/", target)
    assert "new_path" in error.value.message_dict


@pytest.mark.parametrize(
    "target", ["/about/", "/guidance/researchers/", "/search/?q=role", "/about/#contact"]
)
def test_a_redirect_to_a_path_on_this_site_is_accepted(target):
    checked("/an-old-address/", target)


@pytest.mark.parametrize(
    "old_path",
    [
        "/about/",  # a live page
        "/guidance/researchers/what-the-role-is-like/",  # a live guide part
        "/roles/embedded-researcher/job-description.docx",
        "/",
        "/search/",
        "/healthz",
        "/robots.txt",
        "/sitemap.xml",
        "/static/css/site.css",
        "/media/uploads/chart.png",
        "/admin/",
        "/admin/login/",
        "/favicon.ico",
        "/.well-known/security.txt",
        "//evil.example/",
        "about/",
        "/old?query=1",
    ],
)
def test_a_redirect_cannot_take_over_an_address_the_site_answers(old_path):
    with pytest.raises(ValidationError) as error:
        checked(old_path, "/contact/")
    assert "old_path" in error.value.message_dict


def test_a_redirect_cannot_take_over_a_drafts_address():
    make_page("secret-plans", status="draft")
    with pytest.raises(ValidationError) as error:
        checked("/secret-plans/", "/contact/")
    assert "old_path" in error.value.message_dict


def test_a_redirect_cannot_point_at_itself():
    with pytest.raises(ValidationError):
        checked("/an-old-address/", "/an-old-address/")


def test_the_admin_explains_why_an_off_site_redirect_is_refused(staff_client):
    add = reverse("admin:embedded_redirect_add")
    response = staff_client.post(add, {"old_path": "/old/", "new_path": "//evil.example"})
    assert response.status_code == 200
    assert "must be an address on this site" in response.content.decode()
    assert not Redirect.objects.filter(old_path="/old/").exists()
    response = staff_client.post(add, {"old_path": "/favicon.ico", "new_path": "/about/"})
    assert "is not free for a redirect" in response.content.decode()
    assert not Redirect.objects.filter(old_path="/favicon.ico").exists()


def test_the_admin_saves_a_redirect_within_the_site(staff_client):
    add = reverse("admin:embedded_redirect_add")
    response = staff_client.post(add, {"old_path": "/old-about/", "new_path": "/about/"})
    assert response.status_code == 302
    followed = Client().get("/old-about/")
    assert (followed.status_code, followed["Location"]) == (301, "/about/")


def test_a_stored_off_site_redirect_is_never_followed():
    """Rows saved before targets were checked, or by hand, are ignored, not served."""
    Redirect.objects.create(old_path="/old-one/", new_path="//evil.example/")
    Redirect.objects.create(old_path="/old-two/", new_path="https://evil.example/")
    assert Client().get("/old-one/").status_code == 404
    assert Client().get("/old-two/").status_code == 404


def test_renaming_a_draft_leaves_no_redirect_to_its_new_address():
    page = make_page("draft-name", status="draft")
    page.slug = "secret-new-name"
    page.save()
    assert not Redirect.objects.filter(new_path__contains="secret-new-name").exists()
    response = Client().get("/draft-name/")
    assert response.status_code == 404
    assert b"secret-new-name" not in response.content


def test_renaming_a_scheduled_page_leaves_no_redirect_to_its_new_address():
    import datetime

    from django.utils import timezone

    page = make_page("soon-name", published_at=timezone.now() + datetime.timedelta(days=3))
    page.slug = "embargoed-name"
    page.save()
    assert not Redirect.objects.filter(new_path__contains="embargoed-name").exists()


def test_renaming_a_part_of_a_draft_guide_leaves_no_redirect():
    guide = make_guide("draft-guide", status="draft")
    part = make_part(guide, "first-name")
    part.slug = "secret-part-name"
    part.save()
    assert not Redirect.objects.filter(new_path__contains="secret-part-name").exists()


def test_unpublishing_and_renaming_leaves_no_redirect_to_the_hidden_address():
    page = make_page("public-name")
    page.status, page.slug = "draft", "hidden-name"
    page.save()
    assert not Redirect.objects.filter(new_path__contains="hidden-name").exists()


def test_renaming_live_content_still_redirects():
    page = make_page("live-name")
    page.slug = "new-live-name"
    page.save()
    assert Client().get("/live-name/")["Location"] == "/new-live-name/"
