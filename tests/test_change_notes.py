"""Change notes: "major or minor?" in the admin, "Last updated" and the updates on every page,
/whats-new/, the Atom feeds, the sitemap, and notes in content files."""

import datetime
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from embedded.changenotes import record_change
from embedded.content import ContentError, export, load
from embedded.models import ChangeNote, GlossaryTerm, Page
from guidance.models import Guide, GuidePart, RoleProfile
from tests.factories import (
    make_case_study,
    make_framework,
    make_guide,
    make_page,
    make_part,
    make_template,
    make_theme,
)
from toolkit.models import Framework

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_changes_yet():
    """Each test arranges its own changes on a site with none recorded (the shipped content
    carries a few, which tests/content checks)."""
    ChangeNote.objects.all().delete()


@pytest.fixture(autouse=True)
def self_approval(settings):
    """Change notes are recorded when a version is published: these tests publish their own
    changes, as a team that allows self-approval does (the review step is test_review.py's)."""
    settings.EDITORIAL_SELF_APPROVAL = True


ATOM = "{http://www.w3.org/2005/Atom}"
DAY = datetime.timedelta(days=1)


def page_form(page, **changes):
    """What the admin change form posts for a standing page, with some fields changed: the
    "Publish" button for a published page, "Save draft" for a draft."""
    local = timezone.localtime(page.published_at)
    button = {"_publish": "Publish"} if page.status == "published" else {"_save": "Save draft"}
    data = {
        **button,
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": page.body,
        "published_at_0": local.strftime("%d/%m/%Y"),
        "published_at_1": local.strftime("%H:%M:%S"),
        "last_reviewed": page.last_reviewed.strftime("%d/%m/%Y"),
        "next_review_due": page.next_review_due.strftime("%d/%m/%Y"),
    }
    data.update(changes)
    return data


def change_url(obj):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def updates_of(html):
    """The text of the page's "See all updates" list, or None if it has none."""
    start = html.find('<details class="nhsuk-details page-updates"')
    if start < 0:
        return None
    return html[start : html.index("</details>", start)]


# The admin: major or minor, and the note a major change needs.


def test_a_major_change_without_a_note_is_refused_and_nothing_is_lost(staff_client):
    page = make_page("noted")
    data = page_form(page, body="## New\n\nNew words.", change_type="major", change_note=" ")
    response = staff_client.post(change_url(page), data)
    assert response.status_code == 200
    assert "Enter a change note" in response.content.decode()
    assert "New words." in response.content.decode()  # the editor's text is still in the form
    page.refresh_from_db()
    assert "New words." not in page.body
    assert not ChangeNote.objects.exists()


def test_a_major_change_with_its_note_is_shown_to_readers(staff_client, client, django_user_model):
    page = make_page("noted")
    data = page_form(
        page,
        body="## Funding\n\nNew words.",
        change_type="major",
        change_note="Added a section on funding routes",
    )
    assert staff_client.post(change_url(page), data).status_code == 302
    note = ChangeNote.objects.get()
    assert note.major and note.author == django_user_model.objects.get(username="editor")
    html = client.get("/noted/").content.decode()
    today = timezone.localdate().strftime("%-d %B %Y")
    assert f"Last updated: {today}" in html
    assert "Added a section on funding routes" in updates_of(html)
    assert "See all updates" in html


def test_a_minor_change_is_recorded_but_never_listed(staff_client, client):
    page = make_page("tidied", published_at=timezone.now() - 10 * DAY)
    data = page_form(page, body="## First section\n\nSome wordz fixed.", change_type="minor")
    assert staff_client.post(change_url(page), data).status_code == 302
    assert ChangeNote.objects.get().major is False
    html = client.get("/tidied/").content.decode()
    assert updates_of(html) is None
    assert "Last updated" not in html
    published = timezone.localtime(page.published_at).strftime("%-d %B %Y")
    assert f"Published: {published}" in html
    assert "tidied" not in client.get("/whats-new/").content.decode()


def test_the_change_form_asks_major_or_minor_with_minor_chosen(staff_client):
    page = make_page("asked")
    html = staff_client.get(change_url(page)).content.decode()
    radios = dict(re.findall(r'<input type="radio" name="change_type" value="(\w+)"([^>]*)>', html))
    assert set(radios) == {"major", "minor"}
    assert "checked" in radios["minor"] and "checked" not in radios["major"]
    assert 'name="change_note"' in html


def test_a_draft_saved_with_a_major_note_records_nothing(staff_client, client):
    page = make_page("drafty", status="draft")
    data = page_form(page, change_type="major", change_note="A secret plan")
    assert staff_client.post(change_url(page), data).status_code == 302
    assert not ChangeNote.objects.exists()
    page.status = "published"
    page.save()
    assert "A secret plan" not in client.get("/drafty/").content.decode()
    assert "A secret plan" not in client.get("/whats-new/").content.decode()


def test_record_change_refuses_a_major_change_without_a_note():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        record_change(make_page("bare"), major=True, note="")
    assert not ChangeNote.objects.exists()


# On every content page.


def _role():
    return RoleProfile.objects.get(slug="embedded-researcher")


def _part():
    return make_part(make_guide("noted-guide"), "noted-part")


CONTENT = {
    "page": (lambda: make_page("noted-page"), "/noted-page/"),
    "guide": (lambda: make_guide("noted-guide"), "/guidance/noted-guide/"),
    "part": (_part, "/guidance/noted-guide/noted-part/"),
    "role": (_role, "/roles/embedded-researcher/"),
    "case study": (lambda: make_case_study("noted-study"), "/case-studies/noted-study/"),
    "framework": (lambda: Framework.objects.order_by("pk").first(), "/framework/"),
    "theme": (lambda: make_theme(make_framework(), "noted-theme"), "/framework/noted-theme/"),
    "template": (lambda: make_template("noted-template"), "/framework/templates/noted-template/"),
    "glossary term": (
        lambda: GlossaryTerm.objects.get(slug="research-passport"),
        "/glossary/",
    ),
}


@pytest.mark.parametrize("name", CONTENT)
def test_every_content_page_shows_last_updated_and_its_updates(client, name):
    make, url = CONTENT[name]
    item = make()
    record_change(item, major=True, note="Rewrote the opening", at=timezone.now() - 3 * DAY)
    record_change(item, major=True, note="Added a section on funding routes")
    record_change(item, major=False)
    html = client.get(url).content.decode()
    updates = updates_of(html)
    assert f"Last updated: {timezone.localdate().strftime('%-d %B %Y')}" in html
    assert updates.index("Added a section on funding routes") < updates.index("Rewrote the opening")
    assert updates.count("<li") == 2  # the minor change is not listed
    assert "<summary" in updates  # collapsed, and works without JavaScript
    assert " open" not in updates.split(">")[0]


def test_a_guide_lists_its_parts_updates_and_its_print_view_shows_them_open(client):
    guide = make_guide("whole")
    part = make_part(guide, "changed-part", title="The changed part")
    record_change(part, major=True, note="Explained honorary contracts")
    record_change(guide, major=True, note="Reordered the parts")
    for url in ["/guidance/whole/", "/guidance/whole/print/"]:
        updates = updates_of(client.get(url).content.decode())
        assert "The changed part: Explained honorary contracts" in updates
        assert "Reordered the parts" in updates
    printed = updates_of(client.get("/guidance/whole/print/").content.decode())
    assert printed.split(">")[0].endswith(" open")
    # A part's own page lists its own changes only.
    updates = updates_of(client.get(part.get_absolute_url()).content.decode())
    assert "Explained honorary contracts" in updates and "Reordered" not in updates


def test_a_draft_parts_notes_stay_off_its_guides_pages(client):
    guide = make_guide("whole")
    part = make_part(guide, "hidden-part")
    record_change(part, major=True, note="A note about a part soon hidden")
    part.status = "draft"
    part.save()
    assert "soon hidden" not in client.get("/guidance/whole/").content.decode()
    assert "soon hidden" not in client.get("/whats-new/").content.decode()
    assert "soon hidden" not in client.get("/whats-new/feed/").content.decode()


# Scheduled changes and the page cache.


def test_a_scheduled_publications_note_appears_when_it_goes_live_not_before(
    client, clock, django_capture_on_commit_callbacks
):
    soon = timezone.now() + datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page("later", published_at=soon)
        note = record_change(page, major=True, note="Published the new contact details")
    assert note.made_at == soon
    client.get("/whats-new/")  # cached before the go-live time
    for url in ["/whats-new/", "/whats-new/feed/"]:
        assert "new contact details" not in client.get(url).content.decode()
    clock.tick(datetime.timedelta(minutes=6))
    for url in ["/whats-new/", "/whats-new/feed/", "/later/"]:
        assert "new contact details" in client.get(url).content.decode()


def test_a_note_dated_later_appears_on_its_date_on_a_cached_page(
    client, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = make_page("dated")
        record_change(page, major=True, note="Noted for tomorrow", at=timezone.now() + DAY)
    assert "Noted for tomorrow" not in client.get("/dated/").content.decode()
    clock.tick(DAY + datetime.timedelta(seconds=1))
    assert "Noted for tomorrow" in client.get("/dated/").content.decode()


def test_a_cached_page_changes_when_a_major_change_is_published(client, staff_client):
    from django.test import Client

    page = make_page("cached")
    reader = Client()
    assert "Last updated" not in reader.get("/cached/").content.decode()
    assert reader.get("/cached/").has_header("ETag")  # served from the cache
    data = page_form(page, change_type="major", change_note="Corrected the opening hours")
    staff_client.post(change_url(page), data)
    html = reader.get("/cached/").content.decode()
    assert "Corrected the opening hours" in html
    assert "Corrected the opening hours" in reader.get("/whats-new/").content.decode()


# /whats-new/


def test_whats_new_lists_major_changes_newest_first_with_links(client):
    study = make_case_study("listed-study", title="A listed study")
    page = make_page("listed-page", title="A listed page")
    record_change(study, major=True, note="Older note", at=timezone.now() - 2 * DAY)
    record_change(page, major=True, note="Newer note")
    record_change(page, major=False)
    html = client.get("/whats-new/").content.decode()
    assert html.index("Newer note") < html.index("Older note")
    assert '<a href="/case-studies/listed-study/">A listed study</a>' in html
    assert '<a href="/listed-page/">A listed page</a>' in html
    assert "2 changes" in html


def test_whats_new_filters_by_audience_and_type_from_the_registry(client):
    researchers = make_guide("for-researchers", audience="researchers")
    nhs = make_guide("for-nhs", audience="nhs-organisations")
    record_change(make_part(researchers, "r-part"), major=True, note="Researcher part note")
    record_change(nhs, major=True, note="NHS guide note")
    record_change(make_page("site-page"), major=True, note="Site page note")

    html = client.get("/whats-new/?audience=researchers").content.decode()
    assert "Researcher part note" in html
    assert "NHS guide note" not in html and "Site page note" not in html
    assert '<option value="researchers" selected>' in html

    html = client.get("/whats-new/?type=guide").content.decode()
    assert "NHS guide note" in html
    assert "Researcher part note" not in html and "Site page note" not in html

    html = client.get("/whats-new/?audience=nhs-organisations&type=guide-part").content.decode()
    assert "No significant changes match these filters yet." in html

    html = client.get("/whats-new/?audience=<script>&type=nonsense").content.decode()
    assert "were not recognised" in html and "Site page note" in html
    assert "<script>" not in html


def test_whats_new_is_paginated(client):
    page = make_page("busy")
    for number in range(25):
        at = timezone.now() - datetime.timedelta(hours=number)
        record_change(page, major=True, note=f"Change number {number:02d}", at=at)
    first = client.get("/whats-new/").content.decode()
    assert "Change number 00" in first and "Change number 19" in first
    assert "Change number 20" not in first
    assert "page 1 of 2" in first and 'href="?page=2"' in first
    second = client.get("/whats-new/?page=2").content.decode()
    assert "Change number 24" in second and "Change number 19" not in second
    assert client.get("/whats-new/?page=999").status_code == 200
    filtered = client.get("/whats-new/?type=page&page=2").content.decode()
    assert 'href="?type=page&amp;page=1"' in filtered


def test_whats_new_costs_a_query_per_kind_on_the_page_however_many_changes(
    client, django_assert_num_queries
):
    guide = make_guide("counted")
    for number in range(30):
        part = make_part(guide, f"part-{number}", order=number)
        record_change(part, major=True, note=f"Part note {number}")
        record_change(make_page(f"page-{number}"), major=True, note=f"Page note {number}")
    # the count, the page of notes, the parts (with their guide), the pages
    with django_assert_num_queries(4):
        assert client.get("/whats-new/").status_code == 200


def test_a_content_page_costs_one_query_for_its_notes_however_many(
    client, django_assert_num_queries
):
    guide = Guide.objects.get(slug="researchers")
    part = guide.parts.get(slug="what-the-role-is-like")
    for number in range(20):
        record_change(part, major=True, note=f"Note {number}")
        record_change(guide.parts.exclude(pk=part.pk).first(), major=True, note=f"Other {number}")
    with django_assert_num_queries(5):
        client.get(part.get_absolute_url())
    with django_assert_num_queries(3):
        assert "Other 19" in client.get("/guidance/researchers/print/").content.decode()


def test_whats_new_is_in_the_footer_not_the_header(client):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="nhsuk-footer"') :]
    header = html[html.index("<header") : html.index("</header>")]
    assert 'href="/whats-new/"' in footer and "/whats-new/" not in header


# The Atom feeds.


def parse_feed(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response, in a test
    assert feed.tag == f"{ATOM}feed"
    for required in ["id", "title", "updated"]:
        assert feed.find(f"{ATOM}{required}") is not None
    return feed


def entries(feed):
    return [
        {
            "id": entry.findtext(f"{ATOM}id"),
            "title": entry.findtext(f"{ATOM}title"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_the_site_feed_is_valid_atom_with_stable_ids(client):
    page = make_page("fed", title="A fed page")
    record_change(page, major=True, note="First change", at=timezone.now() - DAY)
    record_change(page, major=True, note="Second change")
    first = entries(parse_feed(client.get("/whats-new/feed/")))
    assert [entry["summary"] for entry in first] == ["Second change", "First change"]
    assert all(entry["link"].endswith("/fed/") for entry in first)
    assert all(entry["title"] == "A fed page" for entry in first)
    assert len({entry["id"] for entry in first}) == 2
    assert all(entry["id"].startswith("urn:uuid:") for entry in first)

    record_change(page, major=True, note="Third change")
    again = entries(parse_feed(client.get("/whats-new/feed/", HTTP_HOST="127.0.0.1")))
    ids = {entry["summary"]: entry["id"] for entry in again}
    assert {e["summary"]: e["id"] for e in first}.items() <= ids.items()
    assert len(set(ids.values())) == 3


def test_each_guide_has_its_own_feed_linked_from_its_pages(client):
    guide = make_guide("fed-guide")
    part = make_part(guide, "fed-part")
    record_change(part, major=True, note="A part changed")
    record_change(make_page("elsewhere"), major=True, note="Elsewhere changed")
    feed = parse_feed(client.get("/guidance/fed-guide/feed/"))
    assert [entry["summary"] for entry in entries(feed)] == ["A part changed"]
    link = '<link rel="alternate" type="application/atom+xml" href="/guidance/fed-guide/feed/"'
    for url in ["/guidance/fed-guide/", part.get_absolute_url(), "/guidance/fed-guide/print/"]:
        assert link in client.get(url).content.decode()
    site = '<link rel="alternate" type="application/atom+xml" href="/whats-new/feed/"'
    assert site in client.get("/whats-new/").content.decode()


def test_a_draft_guide_has_no_feed(client):
    make_guide("hidden-guide", status="draft")
    assert client.get("/guidance/hidden-guide/feed/").status_code == 404


def test_an_empty_feed_is_still_valid_atom(client):
    assert entries(parse_feed(client.get("/whats-new/feed/"))) == []


# The sitemap.


def test_the_sitemap_lastmod_is_the_latest_change_of_any_kind(client, clock):
    page = make_page("mapped", published_at=timezone.now() - 30 * DAY)
    Page.objects.filter(pk=page.pk).update(updated_at=timezone.now() - 30 * DAY)
    later = timezone.now() + 2 * DAY
    clock.tick(3 * DAY)
    record_change(page, major=False, at=later)
    Page.objects.filter(pk=page.pk).update(updated_at=timezone.now() - 30 * DAY)
    sitemap = client.get("/sitemap.xml").content.decode()
    entry = sitemap[sitemap.index("/mapped/</loc>") :]
    assert f"<lastmod>{later.date().isoformat()}</lastmod>" in entry[: entry.index("</url>")]


# Content files.

NOTED_PAGE = """---
title: A noted page
summary: A page with a history.
last_reviewed: 2026-11-26
next_review_due: 2027-11-26
changes:
- date: 2026-10-01
  note: Rewrote the opening
- date: 2026-11-20
  note: Added a section on funding routes
---
## Words

Some words.
"""


@pytest.fixture
def content_dir(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(Path(__file__).parent / "sample_content", target)
    (target / "pages" / "noted.md").write_text(NOTED_PAGE, encoding="utf-8")
    load(target)
    return target


def test_change_notes_load_from_files_and_export_back_unchanged(content_dir, client):
    page = Page.objects.get(slug="noted")
    notes = ChangeNote.objects.filter(item_type="embedded.page", item_id=page.pk)
    assert sorted(notes.values_list("note", "major")) == [
        ("Added a section on funding routes", True),
        ("Rewrote the opening", True),
    ]
    assert all(note.author is None for note in notes)
    html = client.get("/noted/").content.decode()
    assert "Last updated: 20 November 2026" in html

    export(content_dir)
    written = (content_dir / "pages" / "noted.md").read_text(encoding="utf-8")
    assert (
        "changes:\n  - date: 2026-11-20\n    note: Added a section on funding routes\n" in written
    )
    assert "  - date: 2026-10-01\n    note: Rewrote the opening\n" in written
    assert load(content_dir)["page"] == 0  # a round trip changes nothing


def test_a_note_made_in_the_admin_is_exported_and_kept_by_the_next_load(content_dir):
    page = Page.objects.get(slug="noted")
    record_change(page, major=True, note="Made in the admin")
    export(content_dir)
    assert "note: Made in the admin" in (content_dir / "pages" / "noted.md").read_text()
    load(content_dir)
    assert ChangeNote.objects.filter(note="Made in the admin").count() == 1


def test_a_note_removed_from_its_file_is_removed_on_load(content_dir):
    path = content_dir / "pages" / "noted.md"
    text = path.read_text().replace("- date: 2026-10-01\n  note: Rewrote the opening\n", "")
    path.write_text(text)
    load(content_dir)
    assert list(ChangeNote.objects.values_list("note", flat=True)) == [
        "Added a section on funding routes"
    ]


@pytest.mark.parametrize(
    ("entry", "problem", "line"),
    [
        ("- date: 2026-10-01\n", "missing 'note'", 7),
        ("- date: soon\n  note: A note\n", "should be a date", 7),
        ("- date: 2026-10-01\n  note: " + "x" * 201 + "\n", "at most 200 characters", 8),
    ],
)
def test_a_bad_change_in_a_file_is_named_with_its_line(content_dir, entry, problem, line):
    path = content_dir / "pages" / "bad.md"
    path.write_text(
        "---\ntitle: Bad\nsummary: Bad.\nlast_reviewed: 2026-11-26\n"
        f"next_review_due: 2027-11-26\nchanges:\n{entry}---\nWords.\n"
    )
    with pytest.raises(ContentError) as error:
        load(content_dir)
    assert problem in str(error.value) and error.value.line == line
    assert not Page.objects.filter(slug="bad").exists()


def test_a_deleted_items_notes_go_with_it():
    study = make_case_study("gone")
    record_change(study, major=True, note="About to go")
    study.delete()
    assert not ChangeNote.objects.exists()
    assert CaseStudy.objects.filter(slug="gone").count() == 0


def test_a_part_may_not_take_the_address_of_its_guides_feed_or_print_view():
    from django.core.exceptions import ValidationError

    part = GuidePart(guide=make_guide("g"), slug="feed", title="Feed", summary="S", order=1)
    with pytest.raises(ValidationError, match="the guide uses that address"):
        part.full_clean()


def test_an_editor_can_correct_a_notes_wording_but_not_add_one(staff_client, client):
    page = make_page("corrected")
    note = record_change(page, major=True, note="Added a secton on funding")
    url = reverse("admin:embedded_changenote_change", args=[note.pk])
    assert "Page: Page corrected" in staff_client.get(url).content.decode()
    response = staff_client.post(url, {"major": "on", "note": "Added a section on funding"})
    assert response.status_code == 302
    assert "Added a section on funding" in client.get("/corrected/").content.decode()
    assert staff_client.get(reverse("admin:embedded_changenote_add")).status_code == 403
    listed = staff_client.get(
        reverse("admin:embedded_changenote_changelist") + "?item_type=embedded.page"
    )
    assert "Added a section on funding" in listed.content.decode()
    assert "Site information pages" in listed.content.decode()
    response = staff_client.post(url, {"major": "on", "note": ""})
    assert "Enter a change note" in response.content.decode()


def test_a_renamed_guides_feed_moves_with_it(client):
    guide = make_guide("old-name")
    guide.slug = "new-name"
    guide.save()
    response = client.get("/guidance/old-name/feed/")
    assert response.status_code == 301 and response["Location"] == "/guidance/new-name/feed/"
