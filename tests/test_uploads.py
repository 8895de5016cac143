"""Images uploaded through the Markdown editor: real images only, re-encoded, for staff only."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from embedded.markdown import render

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/markdownx/upload/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_file(fmt="PNG", name="chart.png", content_type="image/png", size=(40, 30), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 120)).save(buffer, fmt, **save)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def stored_path(response, media):
    code = json.loads(response.content)["image_code"]
    url = code[code.index("(") + 1 : -1]
    return media / url.removeprefix("/media/")


@pytest.mark.parametrize(
    ("fmt", "name", "content_type", "extension"),
    [
        ("PNG", "a.png", "image/png", ".png"),
        ("JPEG", "b.jpg", "image/jpeg", ".jpg"),
        ("WEBP", "c.webp", "image/webp", ".webp"),
        ("GIF", "d.gif", "image/gif", ".gif"),
    ],
)
def test_staff_can_upload_each_accepted_image_type(
    staff_client, media, fmt, name, content_type, extension
):
    response = staff_client.post(UPLOAD, {"image": image_file(fmt, name, content_type)})
    assert response.status_code == 200
    path = stored_path(response, media)
    assert path.suffix == extension
    with Image.open(path) as stored:
        assert stored.format == fmt


def test_the_stored_image_is_re_encoded_without_its_metadata(staff_client, media):
    exif = Image.Exif()
    exif[0x010E] = "secret description"  # ImageDescription
    upload = image_file("JPEG", "photo.jpg", "image/jpeg", exif=exif.tobytes())
    response = staff_client.post(UPLOAD, {"image": upload})
    path = stored_path(response, media)
    assert b"secret description" not in path.read_bytes()


def test_the_file_name_is_ours_not_the_uploaders(staff_client, media):
    upload = image_file(name="../../evil<script>.png")
    path = stored_path(staff_client.post(UPLOAD, {"image": upload}), media)
    assert path.parent == media / "uploads"
    assert "evil" not in path.name


def test_svg_is_refused_even_when_it_claims_to_be_png(staff_client, media):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
    for content_type in ["image/svg+xml", "image/png"]:
        upload = SimpleUploadedFile("x.png", svg, content_type=content_type)
        response = staff_client.post(UPLOAD, {"image": upload})
        assert response.status_code == 400
        assert "PNG, JPEG, WebP or GIF" in response.content.decode()
    assert not list(Path(media).rglob("*.*"))


def test_a_text_file_named_png_is_refused(staff_client):
    upload = SimpleUploadedFile("notes.png", b"just some text", content_type="image/png")
    assert staff_client.post(UPLOAD, {"image": upload}).status_code == 400


def test_an_image_over_5_mb_is_refused(staff_client):
    big = SimpleUploadedFile(
        "big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), content_type="image/png"
    )
    response = staff_client.post(UPLOAD, {"image": big})
    assert response.status_code == 400
    assert "5 MB or smaller" in response.content.decode()


def test_readers_cannot_upload_or_use_the_preview():
    reader = Client()
    response = reader.post(UPLOAD, {"image": image_file()})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert reader.post("/admin/markdownx/markdownify/", {"content": "x"}).status_code == 302


def test_an_upload_without_a_file_is_explained(staff_client):
    response = staff_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert "image" in json.loads(response.content)


def test_an_uploaded_image_in_a_body_gets_its_width_and_height(staff_client, media):
    response = staff_client.post(UPLOAD, {"image": image_file(size=(120, 80))})
    url = json.loads(response.content)["image_code"].split("(")[1].rstrip(")")
    html = render(f"![A chart]({url})").html
    assert 'width="120"' in html and 'height="80"' in html
    assert 'loading="lazy"' in html


def test_a_missing_or_outside_image_is_left_unsized(media):
    assert "width=" not in render("![Gone](/media/uploads/missing.png)").html
    assert "width=" not in render("![Escape](/media/../../etc/passwd)").html
    assert "width=" not in render("![Elsewhere](https://example.org/a.png)").html


def test_an_uploaded_image_is_served_to_readers(staff_client, media):
    response = staff_client.post(UPLOAD, {"image": image_file()})
    url = json.loads(response.content)["image_code"].split("(")[1].rstrip(")")
    served = Client().get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    escape = Client(raise_request_exception=False).get("/media/../settings.py")
    assert escape.status_code in {400, 404}
