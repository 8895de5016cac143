"""The image library: uploads listed with where each is used; only unused ones can go."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from tests.factories import make_page, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(name):
    return default_storage.save(f"uploads/{name}", ContentFile(b"pretend pixels"))


def test_the_library_lists_uploads_and_where_each_is_used(edith, settings):
    used, unused = upload("used.png"), upload("unused.png")
    make_page("with-image", title="A page with a chart", body=f"![A chart](/media/{used})")
    html = signed_in(edith).get(reverse("image_library")).content.decode()
    rows = html.split("<tbody>")[1].split("</tr>")
    used_row = next(row for row in rows if used in row)
    unused_row = next(row for row in rows if unused in row)
    assert "A page with a chart" in used_row and "(live)" in used_row and "In use" in used_row
    assert "Not used" in unused_row and "Delete this image" in unused_row


def test_an_unused_image_can_be_deleted_and_a_used_one_cannot(edith):
    used, unused = upload("used.png"), upload("unused.png")
    make_page("with-image", body=f"![A chart](/media/{used})")
    client = signed_in(edith)
    response = client.post(reverse("image_library"), {"name": used}, follow=True)
    assert "is still used, so it was not deleted" in response.content.decode()
    assert default_storage.exists(used)
    response = client.post(reverse("image_library"), {"name": unused}, follow=True)
    assert f"Deleted {unused}" in response.content.decode()
    assert not default_storage.exists(unused)


def test_the_library_deletes_only_what_it_lists(edith, media):
    (media / "secret.txt").write_text("keep me")
    response = signed_in(edith).post(
        reverse("image_library"), {"name": "../secret.txt"}, follow=True
    )
    assert "no longer in the library" in response.content.decode()
    assert (media / "secret.txt").exists()


def test_readers_cannot_open_the_library():
    response = Client().get(reverse("image_library"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_the_edit_form_loads_the_add_image_script(edith):
    page = make_page("a-page")
    html = signed_in(edith).get(reverse("admin:embedded_page_change", args=[page.pk]))
    assert "js/admin-images.js" in html.content.decode()
