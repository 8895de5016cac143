"""Links to other websites say so, to the eye and to a screen reader, everywhere a body goes."""

import io
import re

import docx
import pytest

from embedded.markdown import render
from embedded.models import SearchEntry
from guidance.models import RoleProfile
from tests.factories import make_page

pytestmark = pytest.mark.django_db

EXTERNAL = "[NIHR](https://www.nihr.ac.uk/)"


def test_a_link_to_another_website_is_marked_for_the_eye_and_for_screen_readers():
    html = render(f"Read {EXTERNAL} guidance.").html
    link = re.search(r'<a href="https://www.nihr.ac.uk/"[^>]*>(.*?)</a>', html)
    assert 'class="external-link"' in link[0]
    assert 'rel="noopener noreferrer"' in link[0]
    assert link[1] == (
        'NIHR<span class="nhsuk-u-visually-hidden"> (another website)</span>'
        '<span class="external-link__icon" aria-hidden="true"></span>'
    )


def test_links_within_the_site_sections_and_email_are_not_marked():
    html = render("[a](/about/) [b](#top) [c](mailto:editors@example.org)").html
    assert "external-link" not in html
    assert "another website" not in html


def test_an_address_starting_with_two_slashes_is_another_website_too():
    assert 'class="external-link"' in render("[x](//www.nhs.uk/)").html


def test_the_mark_is_drawn_by_the_stylesheet_in_the_links_colour():
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/main.css")).read_text(encoding="utf-8")
    rule = re.search(r"\.external-link__icon\{[^}]*\}", css)[0]
    assert "background-color:currentcolor" in rule and "mask:" in rule


def test_search_indexes_the_links_words_not_the_screen_reader_mark(client):
    page = make_page("linking", title="Linking page", body=f"See {EXTERNAL} for more.")
    entry = SearchEntry.objects.get(key=f"embedded.page:{page.pk}")
    assert "See NIHR for more." in entry.body
    assert "another website" not in entry.body


def test_the_word_file_keeps_the_words_of_links_but_no_addresses(client):
    profile = RoleProfile.objects.get(slug="embedded-researcher")
    profile.body += f"\n\nYou will need a Research Passport. Funding news comes from {EXTERNAL}.\n"
    profile.save()
    assert 'class="glossary-link"' in profile.body_html
    response = client.get("/roles/embedded-researcher/job-description.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "You will need a Research Passport. Funding news" in text
    assert "comes from NIHR." in text  # a job description sent out carries no web addresses
    assert "http" not in text
    assert "another website" not in text
    assert "/glossary/" not in text


def test_templates_name_the_sites_addresses_rather_than_writing_them_out():
    """A template links with {% url %}, so a page that moves takes its links with it."""
    from django.conf import settings

    written_out = re.compile(r'(?:href|action|src)="/(?!/)')
    templates = [
        path for folder in settings.TEMPLATES[0]["DIRS"] for path in folder.rglob("*.html")
    ]
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if written_out.search(line)
    ]
    assert offenders == []
