"""Images uploaded through the Markdown editor: real images only, re-encoded, for staff only."""

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from PIL.PngImagePlugin import PngInfo

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


def with_hidden_data(kind):
    """An image carrying one kind of hidden data, each marked with the word SECRET."""
    picture = Image.new("RGB", (40, 30), (20, 90, 120))
    buffer = io.BytesIO()
    if kind == "exif":
        exif = Image.Exif()
        exif[0x010E] = "SECRET description"  # ImageDescription
        exif[0x013B] = "SECRET author"  # Artist
        picture.save(buffer, "JPEG", exif=exif)
    elif kind == "gps":
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (51.0, 30.0, 26.0), 3: "W", 4: (0.0, 7.0, 39.0), 27: "SECRET"}
        picture.save(buffer, "JPEG", exif=exif)
    elif kind == "xmp-jpeg":
        picture.save(buffer, "JPEG", xmp=b"<x:xmpmeta><dc:creator>SECRET</dc:creator></x:xmpmeta>")
    elif kind == "xmp-webp":
        picture.save(buffer, "WEBP", xmp=b"<x:xmpmeta><dc:creator>SECRET</dc:creator></x:xmpmeta>")
    elif kind == "xmp-png":
        info = PngInfo()
        info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>SECRET</x:xmpmeta>")
        picture.save(buffer, "PNG", pnginfo=info)
    elif kind == "png-text":
        info = PngInfo()
        info.add_text("Comment", "SECRET plain text")
        info.add_text("Author", "SECRET compressed text " * 20, zip=True)
        info.add_itxt("Description", "SECRET international text", lang="en")
        picture.save(buffer, "PNG", pnginfo=info)
    elif kind == "exif-png":
        exif = Image.Exif()
        exif[0x010E] = "SECRET description"
        picture.save(buffer, "PNG", exif=exif)
    elif kind == "exif-webp":
        exif = Image.Exif()
        exif[0x010E] = "SECRET description"
        picture.save(buffer, "WEBP", exif=exif)
    elif kind == "gif-comment":
        picture.convert("P").save(buffer, "GIF", comment=b"SECRET gif comment")
    elif kind == "jpeg-comment":
        picture.save(buffer, "JPEG", comment=b"SECRET jpeg comment")
    elif kind.startswith("appended-"):
        picture.save(buffer, kind.removeprefix("appended-").upper())
        buffer.write(b"SECRET bytes after the end of the image")
    data = buffer.getvalue()
    assert b"SECRET" in data or kind == "png-text"  # zTXt is compressed
    return SimpleUploadedFile("upload.img", data, content_type="image/png")


HIDDEN_DATA = [
    "exif", "gps", "xmp-jpeg", "xmp-webp", "xmp-png", "png-text", "exif-png", "exif-webp",
    "gif-comment", "jpeg-comment", "appended-png", "appended-jpeg", "appended-gif",
    "appended-webp",
]  # fmt: skip


@pytest.mark.parametrize("kind", HIDDEN_DATA)
def test_hidden_data_of_every_kind_is_dropped_from_the_stored_image(staff_client, media, kind):
    response = staff_client.post(UPLOAD, {"image": with_hidden_data(kind)})
    assert response.status_code == 200
    path = stored_path(response, media)
    assert b"SECRET" not in path.read_bytes()
    with Image.open(path) as stored:
        assert not stored.getexif()
        assert not {"comment", "xmp", "exif", "XML:com.adobe.xmp", "Comment", "Author"} & set(
            stored.info
        )
        assert not getattr(stored, "text", {})
        assert stored.size == (40, 30)


def test_a_photo_taken_sideways_is_stored_the_right_way_up(staff_client, media):
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (20, 90, 120)).save(buffer, "JPEG", exif=exif)
    upload = SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")
    path = stored_path(staff_client.post(UPLOAD, {"image": upload}), media)
    with Image.open(path) as stored:
        assert stored.size == (30, 40)


def test_a_transparent_image_stays_transparent(staff_client, media):
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 30), (20, 90, 120, 0)).save(buffer, "PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    path = stored_path(staff_client.post(UPLOAD, {"image": upload}), media)
    with Image.open(path) as stored:
        assert stored.convert("RGBA").getpixel((0, 0))[3] == 0


@pytest.fixture
def csrf_checked_editor(staff_client, django_user_model):
    """The editor, in a client that checks CSRF tokens as a browser's requests are checked."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(django_user_model.objects.get(username="editor"))
    return client


def test_an_upload_declared_too_big_is_refused_before_it_is_read(csrf_checked_editor, media):
    body = b"\x89PNG" + b"0" * (20 * 1024 * 1024)
    upload = SimpleUploadedFile("huge.png", body, content_type="image/png")
    response = csrf_checked_editor.post(UPLOAD, {"image": upload})
    assert response.status_code == 413
    assert "5 MB or smaller" in json.loads(response.content)["image"][0]
    # Nothing of the body was read: the declared length was enough to refuse it.
    assert response.wsgi_request._stream._pos == 0
    assert not list(Path(media).rglob("*.*"))


def test_an_upload_still_needs_the_csrf_token(csrf_checked_editor, media):
    response = csrf_checked_editor.post(UPLOAD, {"image": image_file()})
    assert response.status_code == 403
    assert not list(Path(media).rglob("*.*"))
    csrf_checked_editor.get("/admin/")  # sets the CSRF cookie, as opening the editor does
    token = csrf_checked_editor.cookies["csrftoken"].value
    response = csrf_checked_editor.post(UPLOAD, {"image": image_file()}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200


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
