"""The glossary: every term A to Z at /glossary/, and the first use of each on a page linked."""

import re
import shutil
from html import escape as html_escape

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from embedded.content import ContentError, load
from embedded.markdown import render
from embedded.models import GlossaryTerm, Page
from guidance.models import GuidePart
from tests.factories import make_page, publishable

pytestmark = pytest.mark.django_db

GLOSSARY_LINK = re.compile(r'<a class="glossary-link" href="/glossary/#([a-z0-9-]+)">([^<]*)</a>')


def make_term(slug, title, also_matches="", body="What it means.", **overrides):
    values = publishable(slug=slug, title=title, also_matches=also_matches, body=body)
    values["summary"] = f"{title} in one sentence."
    return GlossaryTerm.objects.create(**{**values, **overrides})


def glossary_links(html):
    return GLOSSARY_LINK.findall(html)


# The page.


def test_the_glossary_lists_every_term_a_to_z_under_its_own_anchor(client):
    html = client.get("/glossary/").content.decode()
    shipped = GlossaryTerm.objects.published()
    assert shipped.count() >= 4
    for term in shipped:
        assert f'id="{term.slug}"' in html
        assert html_escape(term.summary) in html
    headings = re.findall(r"<h3[^>]*>(.*?)</h3>", html)
    titles = [re.sub(r"<[^>]+>", "", title).strip() for title in headings]
    assert titles == sorted(titles, key=str.casefold)


def test_the_a_to_z_links_letters_with_terms_and_shows_the_rest_as_plain_letters(client):
    html = client.get("/glossary/").content.decode()
    nav = re.search(r'<nav class="glossary-a-to-z".*?</nav>', html, re.S)[0]
    assert re.findall(r">([A-Z])<", nav) == list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    used = {title[0].upper() for title in GlossaryTerm.objects.values_list("title", flat=True)}
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if letter in used:
            link = f'<a class="glossary-a-to-z__link" href="#letter-{letter.lower()}">{letter}</a>'
            assert link in nav
            assert f'id="letter-{letter.lower()}"' in html
        else:
            assert f'<span class="glossary-a-to-z__empty">{letter}</span>' in nav


def test_the_glossary_shows_when_it_was_reviewed_and_is_next_due(client):
    make_term("zeitgeist", "Zeitgeist")  # reviewed on the factories' date
    html = client.get("/glossary/").content.decode()
    assert "Page last reviewed: 30 November 2026" in html
    assert "Next review due: 26 November 2027" in html


def test_a_draft_term_is_hidden_from_the_public_and_never_linked(client):
    make_term("secret-term", "Quietword", status="draft")
    page = make_page("uses-draft", body="A Quietword here.")
    assert "secret-term" not in client.get("/glossary/").content.decode()
    assert glossary_links(page.body_html) == []


def test_the_glossary_page_costs_two_queries_however_many_terms(client, django_assert_num_queries):
    for number in range(20):
        make_term(f"term-{number}", f"Term number {number}")
    # the terms, their change notes
    with django_assert_num_queries(2):
        assert client.get("/glossary/").status_code == 200


def test_terms_are_found_by_search_and_the_glossary_is_in_the_sitemap_once(client):
    html = client.get("/search/?q=research+passport").content.decode()
    assert 'href="/glossary/#research-passport"' in html
    sitemap = client.get("/sitemap.xml").content.decode()
    assert sitemap.count("/glossary/</loc>") == 1
    assert "/glossary/#" not in sitemap


def test_search_finds_a_term_by_its_forms_not_by_words_its_definition_borrows(client):
    make_term("gizmo", "Gizmo", also_matches="whatsits", body="Made of quillfeather.")
    assert 'href="/glossary/#gizmo"' in client.get("/search/?q=whatsits").content.decode()
    assert 'href="/glossary/#gizmo"' not in client.get("/search/?q=quillfeather").content.decode()


# Linking the first use of each term.


def test_the_first_use_of_a_term_links_to_its_entry_and_later_uses_do_not():
    make_term("embedding", "Embedding")
    html = render("Embedding works. Embedding again.\n\nAnd embedding once more.").html
    assert glossary_links(html) == [("embedding", "Embedding")]
    text = re.sub(r"<[^>]+>", "", html)
    assert text.count("Embedding") + text.count("embedding") == 3


def test_other_forms_link_too_and_abbreviations_match_only_in_capitals():
    make_term("widget-research-agency", "Widget Research Agency", also_matches="WRA")
    make_term("palm-trees", "Palm tree", also_matches="palm trees")
    html = render("Ask the wra. Ask the WRA. Two Palm Trees.").html
    assert glossary_links(html) == [
        ("widget-research-agency", "WRA"),
        ("palm-trees", "Palm Trees"),
    ]


def test_terms_match_whole_words_only():
    make_term("ice", "ICE")
    html = render("SERVICE and ICE-cream and co-productions.").html
    assert glossary_links(html) == []


def test_headings_links_and_code_never_get_a_glossary_link():
    make_term("widget", "Widget")
    body = "## Widget\n\n[a Widget](/about/) and `Widget` and\n\n    Widget\n\nThen a Widget."
    html = render(body).html
    assert glossary_links(html) == [("widget", "Widget")]
    assert html.index('class="glossary-link"') > html.index("Then a")


def test_a_phrase_may_run_across_a_line_break_in_the_markdown():
    html = render("You need a Research\nPassport first.").html
    assert glossary_links(html) == [("research-passport", "Research\nPassport")]


def test_the_text_around_a_link_stays_escaped():
    make_term("widget", "Widget")
    html = render("Fish & chips < Widget > salad").html
    assert "Fish &amp; chips &lt; " in html
    assert "</a> &gt; salad" in html


def test_an_entry_never_links_to_itself_but_links_other_terms():
    term = GlossaryTerm.objects.get(slug="research-passport")
    linked = dict(glossary_links(term.body_html))
    assert "research-passport" not in linked
    assert linked, "the entry links the other terms it uses"


def test_shipped_guidance_links_the_terms_it_uses():
    part = GuidePart.objects.get(slug="recruiting-employing-and-hosting")
    slugs = [slug for slug, _ in glossary_links(part.body_html)]
    assert "research-passport" in slugs
    assert len(slugs) == len(set(slugs)), "each term linked once"


# Keeping bodies in step when the glossary changes.


def test_a_new_term_links_its_first_use_in_bodies_saved_before_it():
    page = make_page("before-the-term", body="We use a gizmo daily.")
    make_term("gizmo", "Gizmo")
    page.refresh_from_db()
    assert glossary_links(page.body_html) == [("gizmo", "gizmo")]


def test_a_term_unpublished_or_deleted_loses_its_links():
    gizmo = make_term("gizmo", "Gizmo")
    widget = make_term("widget", "Widget")
    page = make_page("two-terms", body="A gizmo and a widget.")
    gizmo.status = "draft"
    gizmo.save()
    widget.delete()
    page.refresh_from_db()
    assert glossary_links(page.body_html) == []


def test_a_new_form_of_a_term_links_where_it_is_used():
    gizmo = make_term("gizmo", "Gizmo")
    page = make_page("plural", body="Many gizmos here.")
    assert glossary_links(page.body_html) == []
    gizmo.also_matches = "gizmos"
    gizmo.save()
    page.refresh_from_db()
    assert glossary_links(page.body_html) == [("gizmo", "gizmos")]


def test_changing_only_a_definition_renders_nothing_else_again(django_assert_max_num_queries):
    gizmo = make_term("gizmo", "Gizmo")
    gizmo.body = "A better definition."
    # Its history row, search entry, the look for its old row; no other body.
    with django_assert_max_num_queries(12):
        gizmo.save()


GIZMO_FILE = """---
title: Gizmo
slug: gizmo
summary: A small device.
also_matches:
  - gizmos
status: published
published_at: 2026-11-26
last_reviewed: 2026-11-26
next_review_due: 2027-11-26
---
A small device.
"""


@pytest.fixture
def content_dir(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, target)
    return target


def test_loading_a_new_term_links_it_in_bodies_whose_files_did_not_change(content_dir):
    about = content_dir / "pages" / "about.md"
    about.write_text(about.read_text() + "\nWe keep our gizmos tidy.\n")
    load(content_dir)
    assert glossary_links(Page.objects.get(slug="about").body_html)[-1:] != [("gizmo", "gizmos")]
    (content_dir / "glossary" / "gizmo.md").write_text(GIZMO_FILE)
    counts = load(content_dir)
    assert counts["glossary term"] == 1
    assert ("gizmo", "gizmos") in glossary_links(Page.objects.get(slug="about").body_html)
    assert set(load(content_dir).values()) == {0}, "a second load changes nothing"


def test_a_glossary_file_with_a_heading_is_refused(content_dir):
    (content_dir / "glossary" / "gizmo.md").write_text(GIZMO_FILE + "\n## More\n\nText.\n")
    with pytest.raises(ContentError, match=r"glossary/gizmo.md.*has no headings"):
        load(content_dir)


def test_export_writes_other_forms_straight_after_the_summary(tmp_path):
    from embedded.content import export

    export(tmp_path)
    written = (tmp_path / "glossary" / "research-passport.md").read_text()
    assert written == (settings.CONTENT_DIR / "glossary" / "research-passport.md").read_text()
    assert written.index("summary:") < written.index("also_matches:") < written.index("status:")


def test_editors_may_add_change_and_delete_glossary_terms():
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    for action in ["add", "change", "delete", "view"]:
        assert f"{action}_glossaryterm" in codenames


def test_an_editor_saving_a_term_with_a_heading_gets_a_clear_message(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="a-long-test-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    response = client.post(
        "/admin/embedded/glossaryterm/add/",
        {
            "title": "Gizmo",
            "slug": "gizmo",
            "summary": "A small device.",
            "also_matches": "gizmos",
            "body": "## Heading\n\nText.",
            "status": "published",
            "last_reviewed": "30/11/2026",
        },
    )
    assert response.status_code == 200
    assert "A glossary entry has no headings" in response.content.decode()
    assert not GlossaryTerm.objects.filter(slug="gizmo").exists()
