"""Uploaded images in S3-compatible object storage, shared by every web container.

A real S3 server (moto, in server mode on loopback) stands in for the bucket; the site
reaches it over HTTP exactly as it would reach AWS or any S3-compatible store.
"""

import io
import json
import re

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image

from embedded import settings as site_settings
from embedded.markdown import render
from tests.servers import (
    Visitor,
    free_port,
    gunicorn,
    manage,
    production_env,
    uploaded_image_url,
)

BUCKET = "embedded-media"
UPLOAD = "/admin/markdownx/upload/"
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "testing", "MEDIA_S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture(scope="module")
def s3():
    """An empty bucket on a real S3 server; yields the server's address."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client(endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def client(endpoint):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def bucket_env(endpoint, **extra):
    return {
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": BUCKET,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        **KEYS,
        **extra,
    }


@pytest.fixture
def in_bucket(settings, s3):
    """This process's settings as MEDIA_STORAGE=s3 would make them."""
    backend, settings.MEDIA_URL, _ = site_settings.media_storage(bucket_env(s3))
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    return s3


@pytest.fixture
def editor_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chief", "c@example.org", "pw"))
    return client


def png(size=(48, 32)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(client, content):
    return client.post(UPLOAD, {"image": SimpleUploadedFile("chart.png", content, "image/png")})


@pytest.mark.django_db
def test_an_upload_lands_in_the_bucket_and_the_site_serves_it(editor_client, in_bucket):
    response = upload(editor_client, png())
    url = re.search(r"\]\((.+)\)$", response.json()["image_code"]).group(1)

    assert url.startswith("/media/uploads/")
    key = url.removeprefix("/media/")
    stored = client(in_bucket).get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert Image.open(io.BytesIO(stored)).size == (48, 32)
    served = editor_client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == stored


@pytest.mark.django_db
def test_a_body_image_from_the_bucket_gets_its_width_and_height(editor_client, in_bucket):
    url = re.search(r"\]\((.+)\)$", upload(editor_client, png((60, 20))).json()["image_code"])
    html = render(f"![A chart]({url.group(1)})").html
    assert 'width="60"' in html
    assert 'height="20"' in html


@pytest.mark.django_db
def test_a_missing_or_sneaky_media_address_is_a_404(client, in_bucket):
    assert client.get("/media/uploads/not-there.png").status_code == 404
    assert client.get("/media/uploads/../../etc/passwd").status_code == 404
    assert client.get("/media/other/thing.png").status_code == 404


@pytest.mark.django_db
def test_with_a_public_bucket_address_pages_link_straight_to_the_bucket(
    settings, s3, editor_client
):
    public = f"{s3}/{BUCKET}"
    # What an operator does for this mode: let anyone read the bucket's objects.
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{BUCKET}/*",
            }
        ],
    }
    client(s3).put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(policy))
    backend, settings.MEDIA_URL, origins = site_settings.media_storage(
        bucket_env(s3, MEDIA_S3_PUBLIC_URL=public)
    )
    settings.STORAGES = {**settings.STORAGES, "default": backend}

    url = re.search(r"\]\((.+)\)$", upload(editor_client, png()).json()["image_code"]).group(1)

    assert url.startswith(f"{public}/uploads/")
    assert origins == [s3]
    html = render(f"![A chart]({url})").html
    assert 'width="48"' in html
    bucket_copy = Visitor(s3).get(url.removeprefix(s3))
    assert bucket_copy.status == 200
    assert Image.open(io.BytesIO(bucket_copy.body)).size == (48, 32)


def test_an_unknown_storage_or_a_bucket_without_a_name_stops_the_site():
    with pytest.raises(ImproperlyConfigured, match="filesystem or s3"):
        site_settings.media_storage({"MEDIA_STORAGE": "ftp"})
    with pytest.raises(ImproperlyConfigured, match="MEDIA_S3_BUCKET"):
        site_settings.media_storage({"MEDIA_STORAGE": "s3"})


@pytest.fixture
def shared_database(prepared_sites, tmp_path):
    """A database two app processes share: a SQLite file, migrated and loaded."""
    return prepared_sites.copy_into(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_two_app_processes_serve_the_same_uploaded_image(s3, shared_database):
    env = production_env(shared_database, **bucket_env(s3))
    with gunicorn(env) as first, gunicorn(env) as second:
        editor = Visitor(first)
        editor.sign_in("chief", "a-long-password")
        answer = editor.post(UPLOAD, {}, files={"image": ("chart.png", png(), "image/png")})
        assert answer.status == 200, answer.text
        url = uploaded_image_url(answer)
        manage(
            env,
            "shell",
            "-c",
            "from guidance.models import GuidePart;"
            "part = GuidePart.objects.get(slug='choosing-a-model');"
            f"part.body = '![Four models compared]({url})\\n\\n' + part.body;"
            "part.save()",
        )

        for base in (first, second):
            reader = Visitor(base)
            page = reader.get("/guidance/nhs-organisations/choosing-a-model/")
            assert page.status == 200
            image = re.search(r"<img [^>]*src=\"" + re.escape(url) + r"\"[^>]*>", page.text)
            assert image, f"{base} does not show the image"
            assert 'width="48"' in image.group(0)
            assert 'height="32"' in image.group(0)
            served = reader.get(url)
            assert served.status == 200
            assert Image.open(io.BytesIO(served.body)).size == (48, 32)
