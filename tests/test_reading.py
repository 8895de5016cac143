"""Reading on any screen and on paper: numbered parts, folded contents lists, a clear call to
action, print views with the right headings and full addresses, and the header's section."""

import re

import pytest

from guidance.models import Guide

pytestmark = pytest.mark.django_db

GUIDE = "/guidance/researchers/"
PART = "/guidance/researchers/finding-or-creating-a-role/"
PRINT = "/guidance/researchers/print/"


def html_of(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def part_count():
    return Guide.objects.get(slug="researchers").parts.published().count()


def test_a_part_says_which_part_it_is_and_its_contents_list_numbers_every_part(client):
    html = html_of(client, PART)
    total = part_count()
    assert f'<span class="nhsuk-caption-l">Part 3 of {total}</span>' in html
    contents = re.search(r'<details class="nhsuk-details guide-contents.*?</details>', html, re.S)
    contents = contents[0]
    numbers = re.findall(r"Part (\d+) of (\d+):", contents)
    assert numbers == [(str(n), str(total)) for n in range(1, total + 1)]
    assert 'aria-current="page"' in contents


def test_the_guide_page_and_the_print_view_number_every_part(client):
    total = part_count()
    for path in [GUIDE, PRINT]:
        html = html_of(client, path)
        for number in range(1, total + 1):
            assert f"Part {number} of {total}" in html, path


def test_the_contents_lists_are_folded_away_above_the_text(client):
    html = html_of(client, PART)
    folded = re.findall(r'<details class="nhsuk-details (guide-contents|on-page-contents)', html)
    assert folded == ["guide-contents", "on-page-contents"]
    assert " open" not in re.search(r"<details[^>]*>", html)[0]
    assert html.index("</details>") < html.index('<div class="prose">')


def test_the_guide_page_leads_with_an_action_link_to_the_first_part(client):
    html = html_of(client, GUIDE)
    first = Guide.objects.get(slug="researchers").parts.published().order_by("order").first()
    action = re.search(r'<a class="nhsuk-action-link[^"]*" href="([^"]+)">(.*?)</a>', html, re.S)
    assert action[1] == first.get_absolute_url()
    assert "nhsuk-icon--arrow-right-circle" in action[2]
    assert f"Start reading: {first.title}" in action[2]
    assert html.index("nhsuk-action-link") < html.index("In this guide")


def test_the_print_view_puts_part_titles_over_sections_a_level_below(client):
    html = html_of(client, PRINT)
    assert len(re.findall(r"<h1\b", html)) == 1
    for section in re.findall(r'<section class="printable-guide__part".*?</section>', html, re.S):
        slug = re.search(r'id="part-([a-z0-9-]+)"', section)[1]
        assert re.search(r'<h2 class="nhsuk-heading-l" id="part-[a-z0-9-]+-title">', section)
        body = section[section.index('<div class="prose">') :]
        assert "<h2" not in body, "sections sit below the part title"
        ids = re.findall(r'<h[3-6] id="([^"]+)"', body)
        assert ids and all(heading.startswith(f"{slug}-") for heading in ids)
        for anchor in re.findall(r'class="heading-anchor" href="#([^"]+)"', body):
            assert anchor in ids


def test_links_within_the_site_print_with_their_full_address(client):
    for path in [PART, PRINT]:
        html = html_of(client, path)
        bodies = re.findall(r'<div class="prose">(.*?)</div>\s*(?:</section>|<)', html, re.S)
        prose = "".join(bodies)
        assert 'href="http://testserver/' in prose, path
        assert not re.search(r'<a (?:class="[^"]*" )?href="/(?!/)', prose), path


def test_a_single_part_prints_with_its_own_address_and_guide(client):
    html = html_of(client, PART)
    assert f'<p class="print-only nhsuk-body-s">Printed from http://testserver{PART}</p>' in html
    guide = Guide.objects.get(slug="researchers")
    assert f'<p class="print-only nhsuk-body-s">{guide.title}</p>' in html


def test_print_buttons_wait_for_javascript_and_a_plain_link_leads_to_the_print_view(client):
    for path, label in [(PART, "Print this part"), (PRINT, "Print this guide")]:
        html = html_of(client, path)
        button = re.search(r"<button[^>]*data-print-button[^>]*>([^<]+)</button>", html)
        assert button and button[1] == label and " hidden" in button[0]
        assert re.search(r'<script src="/static/js/print\.js" defer></script>', html)
    assert f'href="{PRINT}"' in html_of(client, PART)


def test_what_only_makes_sense_on_screen_is_left_off_paper(client):
    html = html_of(client, PART)
    for marker in [
        r'<details class="nhsuk-details guide-contents no-print"',
        r'<details class="nhsuk-details on-page-contents no-print"',
        r'<aside class="feedback no-print"',
        r'<div class="print-links no-print"',
    ]:
        assert re.search(marker, html), marker


def header_menu(html):
    return re.search(r'<nav class="nhsuk-header__navigation".*?</nav>', html, re.S)[0]


@pytest.mark.parametrize(
    ("path", "section", "current"),
    [
        ("/guidance/", "Guidance", "page"),
        (PART, "Guidance", "true"),
        ("/roles/embedded-researcher/self-assessment/", "Job description", "true"),
        ("/case-studies/", "Case studies", "page"),
        ("/about/", "About", "page"),
    ],
)
def test_the_header_shows_which_section_the_reader_is_in(client, path, section, current):
    nav = header_menu(html_of(client, path))
    marked = re.findall(r'aria-current="(\w+)"><strong[^>]*>([^<]+)</strong>', nav)
    assert marked == [(current, section)]


def test_pages_outside_the_sections_mark_none(client):
    assert "aria-current" not in header_menu(html_of(client, "/glossary/"))
