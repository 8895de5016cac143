"""A guide part page, with everything it loads, stays light for readers on slow connections."""

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024
PART_URL = "/guidance/nhs-organisations/recruiting-employing-and-hosting/"


def assets(html):
    html = re.sub(r'<link rel="alternate"[^>]*>', "", html)  # feeds are offered, not loaded
    return re.findall(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"', html)


def test_a_guide_part_with_its_css_and_scripts_is_under_60_kb_compressed(client):
    html = client.get(PART_URL).content
    total = len(gzip.compress(html))
    for url in assets(html.decode()):
        assert url.startswith(settings.STATIC_URL), f"{url} is not one of our own static files"
        path = finders.find(url.removeprefix(settings.STATIC_URL))
        assert path, f"{url} is missing: run `make css`"
        total += len(gzip.compress(Path(path).read_bytes()))
    assert total < BUDGET, f"{total:,} bytes compressed"


def test_pages_load_no_web_fonts_and_no_third_party_assets(client):
    css = Path(finders.find("css/main.css")).read_text(encoding="utf-8")
    assert "@font-face" not in css
    assert "Frutiger" not in css
    html = client.get(PART_URL).content.decode()
    assert not re.search(r'(src|href)="(https?:)?//', html.split("<main")[0])


def test_images_in_bodies_are_lazy_loaded_and_sized_by_the_layout():
    from embedded.markdown import render

    html = render("![A diagram](/media/uploads/diagram.png)").html
    assert 'loading="lazy"' in html
    css = Path(finders.find("css/main.css")).read_text(encoding="utf-8")
    assert re.search(r"\.prose img\{[^}]*max-width:100%", css)
