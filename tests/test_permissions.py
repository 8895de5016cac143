"""Staff see unpublished content only through the permissions they hold for it.

An account can be staff (it may sign in to the admin) and hold no permission
at all: it must then learn nothing a reader could not, not even a draft's title.
"""

import datetime
import io
import json

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from embedded.models import Page
from guidance.models import GuidePart
from tests.factories import make_case_study, make_guide, make_page, make_part

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/markdownx/upload/"
PREVIEW = "/admin/markdownx/markdownify/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def staff_client(django_user_model, *codenames):
    user = django_user_model.objects.create_user(
        "staff-" + "-".join(codenames), password="a-long-test-password", is_staff=True
    )
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def bare_staff(django_user_model):
    """Staff, with no permission at all."""
    return staff_client(django_user_model)


@pytest.fixture
def drafts():
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    guide = make_guide("quiet-guide", title="Quiet guide title", status="draft")
    return {
        "page": make_page(
            "hidden-page", title="Hidden page title", status="draft", next_review_due=overdue
        ),
        "scheduled": make_page("later-page", title="Embargoed page title", published_at=tomorrow),
        "guide": guide,
        "part": make_part(guide, "quiet-part", title="Quiet part title"),
        "study": make_case_study("hidden-study", title="Hidden study title", status="draft"),
    }


def image_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), (20, 90, 120)).save(buffer, "PNG")
    return SimpleUploadedFile("chart.png", buffer.getvalue(), content_type="image/png")


def test_staff_without_permissions_cannot_open_drafts_or_scheduled_content(bare_staff, drafts):
    for item in drafts.values():
        response = bare_staff.get(item.get_absolute_url())
        assert response.status_code == 404, item.get_absolute_url()
        assert item.title.encode() not in response.content


def test_staff_without_permissions_cannot_find_drafts_through_view_on_site(bare_staff, drafts):
    for item in drafts.values():
        kind = ContentType.objects.get_for_model(item)
        response = bare_staff.get(reverse("admin:view_on_site", args=[kind.pk, item.pk]))
        assert response.status_code == 403
        assert item.slug not in response.get("Location", "")
        assert item.title.encode() not in response.content


def test_staff_without_permissions_see_no_draft_in_the_review_list(bare_staff, drafts):
    html = bare_staff.get(reverse("admin:index")).content.decode()
    assert "Hidden page title" not in html


def test_staff_without_permissions_cannot_upload_images_or_use_the_preview(bare_staff, media):
    assert bare_staff.post(UPLOAD, {"image": image_upload()}).status_code == 403
    response = bare_staff.post(PREVIEW, {"content": "## Hello"})
    assert response.status_code == 403
    assert b"<h2" not in response.content


def test_permission_to_view_one_kind_shows_its_drafts_and_no_others(django_user_model, drafts):
    viewer = staff_client(django_user_model, "view_page")
    preview = viewer.get(drafts["page"].get_absolute_url())
    assert preview.status_code == 200
    assert b"Preview: not published" in preview.content
    assert viewer.get(drafts["scheduled"].get_absolute_url()).status_code == 200
    assert viewer.get(drafts["part"].get_absolute_url()).status_code == 404
    assert viewer.get(drafts["study"].get_absolute_url()).status_code == 404
    kind = ContentType.objects.get_for_model(Page)
    response = viewer.get(reverse("admin:view_on_site", args=[kind.pk, drafts["page"].pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("/hidden-page/")
    part_kind = ContentType.objects.get_for_model(GuidePart)
    refused = viewer.get(reverse("admin:view_on_site", args=[part_kind.pk, drafts["part"].pk]))
    assert refused.status_code == 403
    assert "Hidden page title" in viewer.get(reverse("admin:index")).content.decode()


def test_a_part_of_a_draft_guide_needs_permission_for_guides_and_parts(django_user_model, drafts):
    parts_only = staff_client(django_user_model, "view_guidepart")
    assert parts_only.get(drafts["part"].get_absolute_url()).status_code == 404
    both = staff_client(django_user_model, "view_guidepart", "view_guide")
    assert both.get(drafts["part"].get_absolute_url()).status_code == 200


def test_permission_to_change_content_allows_uploads_and_the_preview(django_user_model, media):
    writer = staff_client(django_user_model, "change_casestudy")
    response = writer.post(UPLOAD, {"image": image_upload()})
    assert response.status_code == 200
    assert "image_code" in json.loads(response.content)
    assert b'<h2 id="hello">' in writer.post(PREVIEW, {"content": "## Hello"}).content


def test_permission_only_to_view_does_not_allow_uploads(django_user_model, media):
    viewer = staff_client(django_user_model, "view_page", "view_casestudy")
    assert viewer.post(UPLOAD, {"image": image_upload()}).status_code == 403
    assert viewer.post(PREVIEW, {"content": "## Hello"}).status_code == 403
