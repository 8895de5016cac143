"""The three guides as readers see them: lists, parts, navigation, print view and drafts."""

import datetime
import re

import pytest
from django.utils import timezone

from casestudies.models import CaseStudy
from guidance.models import Guide, GuidePart
from tests.factories import make_guide, make_part

pytestmark = pytest.mark.django_db

PART_URL = "/guidance/researchers/making-it-work-day-to-day/"


def words(html):
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_the_guidance_list_shows_each_guide_with_its_audience_and_summary(client):
    html = client.get("/guidance/").content.decode()
    for guide in Guide.objects.published():
        assert guide.title in html
        assert guide.summary in html
    assert "For NHS organisations" in html
    assert "For patients, the public and the people who involve them" in html


def test_guide_overview_lists_its_parts_in_order_and_offers_the_print_view(client):
    html = client.get("/guidance/nhs-organisations/").content.decode()
    parts = GuidePart.objects.filter(guide__slug="nhs-organisations").order_by("order")
    listed = re.findall(r'<h3 class="nhsuk-heading-s"><a href="([^"]+)">', html)
    assert listed == [part.get_absolute_url() for part in parts]
    assert 'href="/guidance/nhs-organisations/print/"' in html
    assert f"Start reading: {parts[0].title}" in html


def test_a_part_shows_its_guide_contents_list_and_marks_the_current_part(client):
    html = client.get(PART_URL).content.decode()
    part = GuidePart.objects.get(guide__slug="researchers", slug="making-it-work-day-to-day")
    assert f"<h1>{part.title}</h1>" in html
    assert part.guide.title in html
    assert part.summary in html
    current = re.search(
        r'aria-current="page"><span class="nhsuk-contents-list__current">(.*?)</span></li>', html
    )
    assert current.group(1).endswith(f"</span> {part.title}")
    for other in part.guide.parts.exclude(pk=part.pk):
        assert f'href="{other.get_absolute_url()}"' in html


def test_a_part_lists_its_sections_on_the_page_with_anchors(client):
    part = GuidePart.objects.get(guide__slug="researchers", slug="making-it-work-day-to-day")
    html = client.get(PART_URL).content.decode()
    assert "On this page" in html
    for heading in part.section_headings:
        assert f'href="#{heading["id"]}"' in html
        assert f'id="{heading["id"]}"' in html


def test_previous_and_next_links_follow_the_guide_order(client):
    parts = list(GuidePart.objects.filter(guide__slug="researchers").order_by("order"))
    first = client.get(parts[0].get_absolute_url()).content.decode()
    assert 'rel="prev"' not in first
    assert f'href="{parts[1].get_absolute_url()}" rel="next"' in first
    middle = client.get(parts[2].get_absolute_url()).content.decode()
    assert f'href="{parts[1].get_absolute_url()}" rel="prev"' in middle
    assert f'href="{parts[3].get_absolute_url()}" rel="next"' in middle
    last = client.get(parts[-1].get_absolute_url()).content.decode()
    assert 'rel="next"' not in last


def test_a_part_links_the_case_studies_that_illustrate_it(client):
    study = CaseStudy.objects.filter(related_parts__slug="making-it-work-day-to-day").first()
    html = client.get(PART_URL).content.decode()
    assert f'href="{study.get_absolute_url()}"' in html
    study.status = "draft"
    study.save()
    html = client.get(PART_URL).content.decode()
    assert f'href="{study.get_absolute_url()}"' not in html


def test_a_part_links_related_parts_chosen_by_editors(client):
    part = GuidePart.objects.get(guide__slug="researchers", slug="making-it-work-day-to-day")
    other = GuidePart.objects.get(
        guide__slug="nhs-organisations", slug="priorities-data-and-independence"
    )
    part.related_parts.add(other)
    html = client.get(PART_URL).content.decode()
    assert f'href="{other.get_absolute_url()}">{other.title}</a>' in html


def test_a_part_shows_review_dates_and_breadcrumbs(client):
    html = client.get(PART_URL).content.decode()
    assert "Page last reviewed: 26 November 2026" in html
    assert "Next review due: 26 November 2027" in html
    assert 'class="nhsuk-breadcrumb"' in html
    assert 'href="/guidance/researchers/"' in html


def test_the_print_view_holds_the_whole_guide_in_order(client):
    response = client.get("/guidance/public-involvement/print/")
    html = response.content.decode()
    parts = GuidePart.objects.filter(guide__slug="public-involvement").order_by("order")
    positions = [html.index(f'-title">{part.title}</h2>') for part in parts]
    assert positions == sorted(positions)
    text = re.sub(r"<[^>]+>", "", html)
    for part in parts:
        first_paragraph = re.sub(r"<[^>]+>", "", part.body_html.split("</p>")[0])
        assert first_paragraph in text
    assert 'action="/feedback/"' not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_a_draft_part_is_invisible_to_the_public_everywhere(client):
    guide = Guide.objects.get(slug="researchers")
    make_part(guide, slug="work-in-progress", order=99, title="Work in progress", status="draft")
    assert client.get("/guidance/researchers/work-in-progress/").status_code == 404
    for url in ["/guidance/researchers/", "/guidance/researchers/print/", "/sitemap.xml",
                "/guidance/researchers/keeping-your-career-moving/"]:  # fmt: skip
        assert "work-in-progress" not in client.get(url).content.decode(), url


def test_a_part_scheduled_for_later_is_hidden_until_its_time(client):
    guide = Guide.objects.get(slug="researchers")
    later = timezone.now() + datetime.timedelta(hours=2)
    make_part(guide, slug="coming-soon", order=99, published_at=later)
    assert client.get("/guidance/researchers/coming-soon/").status_code == 404
    assert "coming-soon" not in client.get("/guidance/researchers/").content.decode()


def test_a_draft_guide_hides_its_parts_too(client):
    guide = make_guide("hidden-guide", status="draft")
    make_part(guide, slug="visible-part")
    assert client.get("/guidance/hidden-guide/").status_code == 404
    assert client.get("/guidance/hidden-guide/visible-part/").status_code == 404
    assert "hidden-guide" not in client.get("/guidance/").content.decode()


def test_staff_preview_a_draft_part_marked_and_never_cached(staff_client):
    guide = Guide.objects.get(slug="researchers")
    make_part(guide, slug="draft-part", order=99, title="Draft part", status="draft")
    response = staff_client.get("/guidance/researchers/draft-part/")
    assert response.status_code == 200
    assert b"Preview: not published" in response.content
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_part_of_a_real_guide_is_404(client):
    assert client.get("/guidance/researchers/no-such-part/").status_code == 404


@pytest.mark.parametrize("extra_parts", [0, 25])
def test_a_part_page_costs_the_same_few_queries_however_long_the_guide(
    client, django_assert_num_queries, extra_parts
):
    guide = Guide.objects.get(slug="researchers")
    for number in range(extra_parts):
        make_part(guide, slug=f"extra-{number}", order=100 + number)
    # the part with its guide, its guide's parts' titles, related parts, related case studies,
    # the part's change notes
    with django_assert_num_queries(5):
        assert client.get(PART_URL).status_code == 200


@pytest.mark.parametrize("extra_parts", [0, 25])
def test_guide_and_print_pages_cost_three_queries_however_long_the_guide(
    client, django_assert_num_queries, extra_parts
):
    guide = Guide.objects.get(slug="researchers")
    for number in range(extra_parts):
        make_part(guide, slug=f"extra-{number}", order=100 + number)
    # the guide, its parts, the change notes of both
    with django_assert_num_queries(3):
        client.get("/guidance/researchers/")
    with django_assert_num_queries(3):
        client.get("/guidance/researchers/print/")


def test_every_guide_is_reachable_from_the_home_page(client):
    html = client.get("/").content.decode()
    for guide in Guide.objects.published():
        assert f'href="{guide.get_absolute_url()}"' in html
