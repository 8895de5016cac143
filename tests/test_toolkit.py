"""The framework's pages and the templates: content, links, search, sitemap, caching, queries."""

import io
import re

import docx
import lxml.html
import pytest

from embedded.search import search
from tests.factories import (
    make_case_study,
    make_framework,
    make_guide,
    make_part,
    make_template,
    make_theme,
)
from toolkit.models import DesignTheme, DocumentTemplate, Framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    """A framework of our own, in place of the shipped one: three themes, one per group."""
    Framework.objects.all().delete()
    framework = make_framework(title="Our framework", summary="What the framework is for.")
    make_theme(framework, "first-theme", 1, "intent", title="First theme", summary="Why first.")
    make_theme(framework, "second-theme", 2, "structure", title="Second theme")
    make_theme(framework, "third-theme", 3, "process", title="Third theme")
    return framework


def text_of(html):
    return " ".join(lxml.html.fromstring(html).text_content().split())


def page(response):
    return lxml.html.fromstring(response.content)


# The framework page and its map


def test_the_framework_page_shows_its_introduction_and_every_theme_by_group(client, framework):
    tree = page(client.get("/framework/"))
    assert tree.findtext(".//h1") == "Our framework"
    garden = tree.get_element_by_id("garden-heading").getparent()
    groups = [" ".join(h.text_content().split()) for h in garden.iter("h3")]
    assert groups[0].startswith("Intent") and groups[1].startswith("Structure")
    assert groups[2].startswith("Process")
    links = [(a.text, a.get("href")) for a in garden.find_class("garden__link")]
    assert links == [
        ("First theme", "/framework/first-theme/"),
        ("Second theme", "/framework/second-theme/"),
        ("Third theme", "/framework/third-theme/"),
    ]


def test_the_map_is_a_numbered_list_per_group_continuing_across_groups(client, framework):
    tree = page(client.get("/framework/"))
    lists = tree.find_class("garden__plots")
    assert [ol.tag for ol in lists] == ["ol", "ol", "ol"]
    assert [ol.get("start") for ol in lists] == ["1", "2", "3"]
    # The decoration is hidden from screen readers and keyboards.
    for svg in tree.find_class("garden__sprout"):
        assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"


def test_a_draft_theme_is_left_off_the_map_and_its_page_is_hidden(client, framework):
    DesignTheme.objects.filter(slug="second-theme").update(status="draft")
    assert b"/framework/second-theme/" not in client.get("/framework/").content
    assert client.get("/framework/second-theme/").status_code == 404


def test_a_draft_framework_hides_its_page_and_all_its_themes(client, framework):
    framework.status = "draft"
    framework.save()
    assert client.get("/framework/").status_code == 404
    assert client.get("/framework/first-theme/").status_code == 404


def test_staff_preview_a_draft_theme_with_a_banner_and_nothing_caches_it(staff_client, framework):
    DesignTheme.objects.filter(slug="second-theme").update(status="draft")
    response = staff_client.get("/framework/second-theme/")
    assert response.status_code == 200
    assert b"Preview: not published" in response.content
    assert "no-store" in response["Cache-Control"]


# A theme's page


def test_a_theme_page_shows_what_it_covers_its_questions_and_how_to_plan_it(client, framework):
    theme = DesignTheme.objects.get(slug="second-theme")
    theme.questions = ["Who decides?", "How long will it run?"]
    theme.save()
    tree = page(client.get("/framework/second-theme/"))
    assert tree.findtext(".//h1") == "Second theme"
    questions = tree.find_class("theme-questions")[0]
    assert [li.text for li in questions] == ["Who decides?", "How long will it run?"]
    assert "First section" in text_of(client.get("/framework/second-theme/").content)
    plan = tree.xpath("//a[contains(., 'Plan this theme')]")[0]
    assert plan.get("href") == "/framework/plan/structure/#theme-second-theme"


def test_a_theme_links_its_guide_parts_and_case_studies_but_not_hidden_ones(client, framework):
    theme = DesignTheme.objects.get(slug="first-theme")
    guide = make_guide("toolkit-guide")
    shown, hidden = make_part(guide, "shown-part", 1), make_part(guide, "hidden-part", 2)
    hidden.status = "draft"
    hidden.save()
    study = make_case_study("a-similar-study", title="A similar study")
    theme.related_parts.set([shown, hidden])
    theme.related_case_studies.set([study])
    html = client.get("/framework/first-theme/").content.decode()
    assert 'href="/guidance/toolkit-guide/shown-part/"' in html
    assert "hidden-part" not in html
    assert '<a href="/case-studies/a-similar-study/">A similar study</a>' in html


def test_theme_pages_link_to_the_previous_and_next_theme(client, framework):
    tree = page(client.get("/framework/second-theme/"))
    assert tree.xpath("//a[@rel='prev']/@href") == ["/framework/first-theme/"]
    assert tree.xpath("//a[@rel='next']/@href") == ["/framework/third-theme/"]


def test_a_theme_cannot_take_an_address_the_toolkit_uses(framework):
    from django.core.exceptions import ValidationError

    theme = DesignTheme(framework=framework, slug="plan", title="Plan", summary="x", group="intent")
    with pytest.raises(ValidationError, match="used by another page"):
        theme.full_clean()


def test_an_unknown_theme_is_404(client, framework):
    assert client.get("/framework/no-such-theme/").status_code == 404


# Templates


def test_the_templates_page_lists_each_published_template(client):
    make_template("draft-template", title="A draft template", status="draft")
    html = client.get("/framework/templates/").content.decode()
    for template in DocumentTemplate.objects.published():
        assert f'href="{template.get_absolute_url()}"' in html
    assert "A draft template" not in html


def test_a_template_page_marks_fill_ins_and_offers_word_with_format_and_size(client):
    make_template(
        "fill-me-in",
        title="Fill me in",
        body="## Details\n\nThe host is [name of host organisation].\n\n[A link](/about/) stays.",
    )
    response = client.get("/framework/templates/fill-me-in/")
    html = response.content.decode()
    assert '<span class="fill-in">[name of host organisation]</span>' in html
    assert '<a href="/about/">A link</a>' in html
    download = page(response).xpath("//a[contains(@href, 'fill-me-in.docx')]")[0]
    assert re.fullmatch(
        r"Download this template \(Word document, \d+ KB\)",
        " ".join(download.text_content().split()),
    )


def test_a_template_word_file_follows_an_edit_in_the_admin(client):
    template = make_template("changing", body="## Before\n\nOld words.")
    client.get("/framework/templates/changing.docx")
    template.body = "## After\n\nNew words for [name]."
    template.save()
    document = docx.Document(io.BytesIO(client.get("/framework/templates/changing.docx").content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "After" in texts and "New words for [name]." in texts
    assert "Before" not in texts


def test_a_template_word_file_is_a_download_with_the_word_type(client):
    make_template("word-type")
    response = client.get("/framework/templates/word-type.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="word-type.docx"'


def test_a_changed_template_slug_leaves_a_redirect_for_the_page_and_the_word_file(client):
    template = make_template("old-name")
    template.slug = "new-name"
    template.save()
    assert (
        client.get("/framework/templates/old-name/")["Location"] == "/framework/templates/new-name/"
    )
    response = client.get("/framework/templates/old-name.docx")
    assert response["Location"] == "/framework/templates/new-name.docx"


# Links in, search, sitemap


def test_the_home_page_and_the_nhs_organisations_guide_link_to_the_framework(client):
    assert 'href="/framework/"' in client.get("/").content.decode()
    html = client.get("/guidance/nhs-organisations/").content.decode()
    assert 'href="/framework/"' in html and 'href="/framework/plan/"' in html
    assert 'href="/framework/templates/"' in html
    assert "make a plan" not in client.get("/guidance/researchers/").content.decode()


def test_themes_and_templates_are_found_by_search_and_a_theme_shows_its_framework(framework):
    make_theme(framework, "gardening", 4, "process", title="Tending the borders", summary="Weeds.")
    make_template("seed-list", title="A list of seeds to sow")
    theme = next(r for r in search("borders")[0:10] if r.title == "Tending the borders")
    assert theme.kind == "Framework theme" and theme.parent_title == "Our framework"
    assert any(r.title == "A list of seeds to sow" for r in search("seeds sow")[0:10])


def test_a_theme_of_a_draft_framework_is_not_found(framework):
    make_theme(framework, "hidden-garden", 4, "process", title="Secret orchard")
    framework.status = "draft"
    framework.save()
    assert search("orchard").total == 0


def test_the_sitemap_lists_the_framework_its_themes_and_templates_not_drafts(client, framework):
    make_template("draft-only", status="draft")
    xml = client.get("/sitemap.xml").content.decode()
    assert "/framework/</loc>" in xml and "/framework/first-theme/</loc>" in xml
    for template in DocumentTemplate.objects.published():
        assert f"{template.get_absolute_url()}</loc>" in xml
    assert "draft-only" not in xml and "/framework/plan/" not in xml


# Caching and queries

PAGES = ["/framework/", "/framework/first-theme/", "/framework/templates/"]


@pytest.mark.parametrize("url", PAGES)
def test_framework_pages_are_public_and_cached(client, framework, url):
    response = client.get(url)
    assert "public" in response["Cache-Control"] and response["ETag"]


QUERY_BUDGET = {
    "/framework/": 2 + 1,  # the framework, its themes; its change notes
    # the theme, every theme's title, related parts, case studies; its change notes
    "/framework/first-theme/": 4 + 1,
    "/framework/templates/": 1,
    "/framework/templates/{slug}/": 1 + 1,
    "/framework/templates/{slug}.docx": 1,
}


@pytest.mark.parametrize(("url", "queries"), QUERY_BUDGET.items())
@pytest.mark.parametrize("extra", [0, 12])
def test_framework_pages_cost_a_pinned_number_of_queries_however_much_content_then_none(
    client, framework, django_assert_num_queries, url, queries, extra
):
    theme = DesignTheme.objects.get(slug="first-theme")
    guide = make_guide("queries-guide")
    for number in range(extra):
        make_theme(framework, f"extra-{number}", 10 + number, "process")
        make_template(f"extra-{number}", order=10 + number)
    theme.related_parts.set([make_part(guide, f"part-{n}", n) for n in range(extra)])
    theme.related_case_studies.set([make_case_study(f"study-{n}") for n in range(extra)])
    make_template("priced", title="Priced", body="## One\n\n| a | b |\n|---|---|\n| [x] | y |")
    url = url.format(slug="priced")
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


# Editing in the admin


def test_editors_can_open_every_toolkit_list_in_the_admin(staff_client):
    for model in ["framework", "designtheme", "documenttemplate"]:
        assert staff_client.get(f"/admin/toolkit/{model}/").status_code == 200


def test_an_editor_changes_a_themes_questions_one_per_line_and_readers_see_them(
    staff_client, client, framework, settings
):
    from django.utils import timezone

    settings.EDITORIAL_SELF_APPROVAL = True  # she publishes her own change

    theme = DesignTheme.objects.get(slug="first-theme")
    form = staff_client.get(f"/admin/toolkit/designtheme/{theme.pk}/change/").content.decode()
    assert "What is the first question?\nWhat is the second question?</textarea>" in form
    assert "markdownx" in form
    data = {
        "framework": framework.pk,
        "group": "intent",
        "order": 1,
        "title": theme.title,
        "slug": theme.slug,
        "summary": theme.summary,
        "questions": "Who will sponsor the work?\r\n\r\n  What would make you stop?  \r\n",
        "body": theme.body,
        "status": "published",
        "published_at_0": timezone.localtime(theme.published_at).strftime("%d/%m/%Y"),
        "published_at_1": timezone.localtime(theme.published_at).strftime("%H:%M:%S"),
        "last_reviewed": theme.last_reviewed.strftime("%d/%m/%Y"),
        "next_review_due": theme.next_review_due.strftime("%d/%m/%Y"),
        "_publish": "Publish",
    }
    response = staff_client.post(f"/admin/toolkit/designtheme/{theme.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    theme.refresh_from_db()
    assert theme.questions == ["Who will sponsor the work?", "What would make you stop?"]
    assert theme.history.count() == 2
    html = client.get("/framework/first-theme/").content.decode()
    assert "<li>What would make you stop?</li>" in html

    data["questions"] = "\n".join(f"Question {n}?" for n in range(9))
    response = staff_client.post(f"/admin/toolkit/designtheme/{theme.pk}/change/", data)
    assert "Give between 1 and 8 questions." in response.content.decode()
