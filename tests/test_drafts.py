"""Live and draft side by side: what readers, search and editors see, and no lost edits."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from embedded import drafts
from guidance.models import GuidePart
from tests.factories import signed_in
from tests.test_admin import PART, change_form_data

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DRAFT_WORDS = "Zanzibarine workshops"


@pytest.fixture(autouse=True)
def self_approval(settings):
    """These tests are of publishing itself: a team that lets editors approve their own work.
    (The second pair of eyes is tested in test_review.py.)"""
    settings.EDITORIAL_SELF_APPROVAL = True


def part():
    return GuidePart.objects.get(guide__slug=PART[0], slug=PART[1])


def change_url(obj):
    return reverse("admin:guidance_guidepart_change", args=[obj.pk])


def form_stamp(html):
    return html.split('name="base_version" value="')[1].split('"')[0]


def test_search_and_the_sitemap_show_only_the_live_version(edith):
    obj = part()
    body = f"{obj.body}\n\n{DRAFT_WORDS} are a draft idea."
    signed_in(edith).post(
        change_url(obj), change_form_data(obj, body=body, _save_draft="Save draft")
    )
    reader = Client()
    assert DRAFT_WORDS not in reader.get("/search/?q=zanzibarine").content.decode()
    sitemap = reader.get("/sitemap.xml").content.decode()
    assert obj.get_absolute_url() in sitemap
    signed_in(edith).post(change_url(obj), change_form_data(part(), body=body, _publish="Publish"))
    assert obj.title in reader.get("/search/?q=zanzibarine").content.decode()


def test_a_save_from_an_out_of_date_form_is_refused_naming_who_changed_it(edith, fred):
    obj = part()
    edith_client, fred_client = signed_in(edith), signed_in(fred)
    edith_form = edith_client.get(change_url(obj)).content.decode()
    fred_form = fred_client.get(change_url(obj)).content.decode()
    fred_client.post(
        change_url(obj),
        change_form_data(
            obj, title="Fred's title", base_version=form_stamp(fred_form), _save_draft="Save"
        ),
    )
    refused = edith_client.post(
        change_url(obj),
        change_form_data(
            obj, title="Edith's title", base_version=form_stamp(edith_form), _save_draft="Save"
        ),
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Fred saved changes to this page at" in html and "Nothing was saved" in html
    assert reverse("admin:guidance_guidepart_preview", args=[obj.pk]) in html
    assert "Edith&#x27;s title" in html  # her text is still in the form
    assert drafts.draft_of(part()).data["title"] == ["Fred's title"]
    # Having seen the message, she may save again to keep hers.
    edith_client.post(
        change_url(obj),
        change_form_data(
            obj, title="Edith's title", base_version=form_stamp(html), _save_draft="Save"
        ),
    )
    assert drafts.draft_of(part()).data["title"] == ["Edith's title"]


def test_publishing_from_an_out_of_date_form_is_refused_too(edith, fred):
    obj = part()
    edith_form = signed_in(edith).get(change_url(obj)).content.decode()
    signed_in(fred).post(
        change_url(obj), change_form_data(obj, title="Fred's live title", _publish="Publish")
    )
    signed_in(edith).post(
        change_url(obj),
        change_form_data(
            obj, title="Edith's title", base_version=form_stamp(edith_form), _publish="Publish"
        ),
    )
    assert part().title == "Fred's live title"


def test_the_edit_form_loads_the_leave_page_warning_as_a_file(edith):
    html = signed_in(edith).get(change_url(part())).content.decode()
    assert "js/admin-leave-warning.js" in html
    assert "<script>" not in html.split("</head>")[1]


def manage(database, *args):
    env = {"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"}
    env.update({k: v for k, v in os.environ.items() if k.startswith("DJANGO_SETTINGS")})
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_drafts_migration_keeps_the_shipped_content_and_its_history(prepared_sites, tmp_path):
    # Loaded with today's code (which needs every table), then taken back to before drafts.
    database = prepared_sites.copy_into(tmp_path).removeprefix("sqlite:///")
    manage(database, "migrate", "embedded", "0007_glossary", "-v", "0")
    labels = [
        "guidance",
        "casestudies",
        "toolkit",
        "embedded.page",
        "embedded.glossaryterm",
        "embedded.historicalpage",
        "embedded.redirect",
    ]
    before = json.loads(manage(database, "dumpdata", *labels))
    assert len(before) > 50
    manage(database, "migrate", "-v", "0")
    after = json.loads(manage(database, "dumpdata", *labels))
    assert after == before
    assert json.loads(manage(database, "dumpdata", "embedded.draft")) == []


def test_a_word_diff_marks_removed_and_added_words_and_escapes_everything():
    from embedded.diffs import word_diff

    diff = word_diff("The team meets <b>weekly</b>.", "The team meets <script>monthly</script>.")
    assert "<del>weekly</del>" in diff and "<ins>script</ins>" in diff
    assert "<script>" not in diff and "&lt;" in diff
    assert word_diff("same words", "same words") == ""


def test_a_long_unchanged_body_is_cut_to_the_words_around_each_change():
    from embedded.diffs import word_diff

    words = " ".join(f"word{n}" for n in range(400))
    diff = word_diff(words, words.replace("word200", "changed"))
    assert "<del>word200</del><ins>changed</ins>" in diff
    assert "word10 " not in diff and len(diff) < 400


def test_history_shows_each_versions_status_and_what_changed(edith, settings):
    settings.EDITORIAL_SELF_APPROVAL = True
    obj = part()
    signed_in(edith).post(
        change_url(obj),
        change_form_data(obj, title="A sharper title", _publish="Publish"),
    )
    html = (
        signed_in(edith)
        .get(reverse("admin:guidance_guidepart_history", args=[obj.pk]))
        .content.decode()
    )
    newest = html.split("<tbody>")[1].split('<tr class="version-changes">')[1].split("</tr>")[0]
    assert "What changed in this version" in newest
    assert f"<del>{obj.title.split()[-1]}</del>" in newest or "<del>" in newest
    assert "<ins>" in newest and "sharper" in newest
    assert "<td>Published</td>" in html
    older = html.split('<tr class="version-changes">')[2]
    assert "How it differs from the current version" in older


def test_reverting_makes_a_draft_and_says_so(edith):
    obj = part()
    obj.title = "A newer live title"
    obj.save()
    record = part().history.last()
    url = reverse("admin:guidance_guidepart_simple_history", args=[obj.pk, record.history_id])
    response = signed_in(edith).post(url, change_form_data(part(), title=record.title), follow=True)
    assert "The old version is now a draft. What readers see has not changed" in (
        response.content.decode()
    )
    assert part().title == "A newer live title" and part().status == "published"
    assert drafts.draft_of(part()).data["title"] == [record.title]


def test_mark_as_reviewed_on_the_edit_page_moves_the_next_review_date(edith, settings):
    from django.utils import timezone

    settings.REVIEW_PERIOD_MONTHS = 12
    obj = part()
    client = signed_in(edith)
    form = client.get(change_url(obj)).content.decode()
    url = reverse("admin:guidance_guidepart_reviewed", args=[obj.pk])
    assert url in form and "Mark as reviewed today" in form
    response = client.post(url, follow=True)
    today = timezone.localdate()
    assert part().last_reviewed == today
    assert part().next_review_due == today.replace(year=today.year + 1)
    assert "The next review is due on" in response.content.decode()


def test_a_form_with_errors_lists_each_one_linked_to_its_field(edith):
    obj = part()
    response = signed_in(edith).post(
        change_url(obj), change_form_data(obj, title="", _save_draft="Save draft")
    )
    summary = response.content.decode().split('id="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_title"' in summary and "This field is required." in summary


def test_a_draft_seen_on_the_site_has_no_feedback_form(edith):
    from tests.factories import make_page

    make_page("a-draft", status="draft", published_at=None)
    html = signed_in(edith).get("/a-draft/").content.decode()
    assert "Preview: not published" in html and "Was this page helpful?" not in html
    assert "Was this page helpful?" in Client().get("/about/").content.decode()


def test_the_delete_confirmation_says_plainly_what_readers_lose(edith):
    obj = part()
    url = reverse("admin:guidance_guidepart_delete", args=[obj.pk])
    html = signed_in(edith).get(url).content.decode()
    assert f"Delete “{obj.title}” for good? This cannot be undone." in html
    assert f"http://testserver{obj.get_absolute_url()}" in html
    assert 'value="Yes, delete it"' in html and "No, keep it" in html


def test_a_guides_list_of_parts_neither_publishes_nor_unpublishes_them(edith):
    import re

    guide = part().guide
    url = reverse("admin:guidance_guide_change", args=[guide.pk])
    html = signed_in(edith).get(url).content.decode()
    assert 'name="parts-0-title"' in html or "-0-title" in html
    assert not re.search(r'name="[^"]*-status"', html)
