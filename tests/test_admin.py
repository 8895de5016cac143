"""The editors' admin: safe editing, publishing, history, redirects, reviews, lock-out."""

import csv
import datetime
import io
import zipfile

import freezegun
import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from embedded import drafts
from embedded.models import Feedback, Redirect
from guidance.models import GuidePart
from tests.factories import make_page

pytestmark = pytest.mark.django_db

PART = ("researchers", "what-the-role-is-like")


@pytest.fixture(autouse=True)
def self_approval(settings):
    """These tests are of publishing itself: a team that lets editors approve their own work.
    (The second pair of eyes is tested in test_review.py.)"""
    settings.EDITORIAL_SELF_APPROVAL = True


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor", password="a-long-test-password")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def part():
    return GuidePart.objects.get(guide__slug=PART[0], slug=PART[1])


def change_form_data(obj, **changes):
    """What the admin change form posts for a guide part, with some fields changed."""
    data = {
        "guide": obj.guide_id,
        "order": obj.order,
        "title": obj.title,
        "slug": obj.slug,
        "summary": obj.summary,
        "body": obj.body,
        "published_at_0": timezone.localtime(obj.published_at).strftime("%d/%m/%Y"),
        "published_at_1": timezone.localtime(obj.published_at).strftime("%H:%M:%S"),
        "last_reviewed": obj.last_reviewed.strftime("%d/%m/%Y"),
        "next_review_due": obj.next_review_due.strftime("%d/%m/%Y"),
    }
    data.update(changes)
    return data


def page_form_data(page, **changes):
    """What the admin change form posts for a page, with some fields changed."""
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "body": page.body,
        "published_at_0": "",
        "published_at_1": "",
        "last_reviewed": page.last_reviewed.strftime("%d/%m/%Y"),
        "next_review_due": page.next_review_due.strftime("%d/%m/%Y"),
    }
    if page.published_at:
        data["published_at_0"] = timezone.localtime(page.published_at).strftime("%d/%m/%Y")
        data["published_at_1"] = timezone.localtime(page.published_at).strftime("%H:%M:%S")
    data.update(changes)
    return data


def test_every_content_type_has_an_admin_list_an_editor_can_open(editor_client):
    for model in ["page", "feedback", "redirect"]:
        assert editor_client.get(reverse(f"admin:embedded_{model}_changelist")).status_code == 200
    for model in ["guide", "guidepart", "roleprofile"]:
        assert editor_client.get(reverse(f"admin:guidance_{model}_changelist")).status_code == 200
    for model in ["casestudy", "theme"]:
        assert (
            editor_client.get(reverse(f"admin:casestudies_{model}_changelist")).status_code == 200
        )


def test_the_part_list_shows_status_publication_and_review_columns(editor_client):
    html = editor_client.get(reverse("admin:guidance_guidepart_changelist")).content.decode()
    for column in ["Status", "Published at", "Next review due", "Updated at", "Live"]:
        assert column in html


def test_the_edit_form_has_the_markdown_editor_and_view_on_site(editor_client):
    url = reverse("admin:guidance_guidepart_change", args=[part().pk])
    html = editor_client.get(url).content.decode()
    assert 'class="markdownx"' in html
    assert "markdownx/js/markdownx" in html
    assert "View on site" in html
    assert "Drafts are only visible to editors" in html


def test_the_preview_endpoint_renders_through_the_sanitiser_for_staff_only(editor_client):
    url = "/admin/markdownx/markdownify/"
    payload = {"content": "## Hello\n\n<script>alert(1)</script>"}
    response = editor_client.post(url, payload)
    assert response.status_code == 200
    assert b'<h2 id="hello">' in response.content
    assert b"<script>" not in response.content
    anonymous = Client().post(url, payload)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]


def test_saving_a_draft_of_a_live_part_keeps_the_live_version_for_readers(editor_client):
    reader = Client()
    obj = part()
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    public = obj.get_absolute_url()
    assert reader.get(public).status_code == 200  # now cached for readers
    new_body = obj.body + "\n\nA brand new paragraph."
    response = editor_client.post(
        url, change_form_data(obj, body=new_body, _save_draft="Save draft"), follow=True
    )
    assert "Readers still see the live version" in response.content.decode()
    live = reader.get(public)
    assert live.status_code == 200 and b"A brand new paragraph." not in live.content
    assert part().body == obj.body
    form = editor_client.get(url).content.decode()
    assert "A brand new paragraph." in form
    assert "Live, with unpublished changes" in form
    listing = editor_client.get(reverse("admin:guidance_guidepart_changelist"))
    assert "Live, with unpublished changes" in listing.content.decode()
    preview = editor_client.get(reverse("admin:guidance_guidepart_preview", args=[obj.pk]))
    assert b"A brand new paragraph." in preview.content
    assert b"Was this page helpful?" not in preview.content
    assert "no-store" in preview["Cache-Control"]
    assert b"A brand new paragraph." not in editor_client.get(public).content

    response = editor_client.post(
        url, change_form_data(part(), body=new_body, _publish="Publish"), follow=True
    )
    assert "Published. Readers now see this version" in response.content.decode()
    assert b"A brand new paragraph." in reader.get(public).content
    assert part().status == "published" and not drafts.draft_of(part())


def test_a_never_published_page_is_saved_as_a_draft_then_published(editor_client):
    page = make_page("new-page", status="draft", published_at=None)
    url = reverse("admin:embedded_page_change", args=[page.pk])
    data = page_form_data(page, body="Fresh words.", _save_draft="Save draft")
    assert editor_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.body == "Fresh words." and page.status == "draft"
    assert Client().get("/new-page/").status_code == 404
    editor_client.post(url, page_form_data(page, _publish="Publish"))
    page.refresh_from_db()
    assert page.is_live and Client().get("/new-page/").status_code == 200


def test_a_plain_save_of_a_live_item_never_takes_it_off_the_site(editor_client):
    obj = part()
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    editor_client.post(url, change_form_data(obj, title="Changed quietly", status="draft"))
    assert part().status == "published" and part().title == obj.title
    assert Client().get(obj.get_absolute_url()).status_code == 200


def test_publishing_changes_at_a_future_date_keeps_the_live_version_until_then(
    editor_client, editor
):
    reader = Client()
    obj = part()
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    later = timezone.localtime() + datetime.timedelta(days=3)
    data = change_form_data(
        obj,
        title="A title for later",
        published_at_0=later.strftime("%d/%m/%Y"),
        _publish="Publish",
    )
    response = editor_client.post(url, data, follow=True)
    assert "Readers see the live version until then" in response.content.decode()
    live = reader.get(obj.get_absolute_url())
    assert live.status_code == 200 and obj.title.encode() in live.content
    assert part().title == obj.title
    listing = editor_client.get(reverse("admin:guidance_guidepart_changelist")).content.decode()
    assert "Live, changes scheduled for" in listing

    assert drafts.publish_due(now=timezone.now()) == ([], [])
    with freezegun.freeze_time(later + datetime.timedelta(minutes=1)):
        out = io.StringIO()
        call_command("publish_scheduled", stdout=out)
        assert "Published the scheduled changes to “A title for later”" in out.getvalue()
        assert part().title == "A title for later" and part().is_live
    assert part().history.first().history_user == editor
    assert not drafts.draft_of(part())


def test_scheduling_a_never_published_page_keeps_it_hidden_until_its_date(editor_client):
    page = make_page("later-page", status="draft", published_at=None)
    url = reverse("admin:embedded_page_change", args=[page.pk])
    later = timezone.localtime() + datetime.timedelta(days=3)
    data = page_form_data(
        page,
        published_at_0=later.strftime("%d/%m/%Y"),
        published_at_1="09:00:00",
        _publish="Publish",
    )
    response = editor_client.post(url, data, follow=True)
    assert "Scheduled: it goes live on" in response.content.decode()
    assert Client().get("/later-page/").status_code == 404
    listing = editor_client.get(reverse("admin:embedded_page_changelist")).content.decode()
    assert "Scheduled for" in listing


def test_unpublish_asks_first_naming_the_address_readers_will_lose(editor_client):
    obj = part()
    url = reverse("admin:guidance_guidepart_unpublish", args=[obj.pk])
    form = editor_client.get(reverse("admin:guidance_guidepart_change", args=[obj.pk]))
    assert url in form.content.decode()
    confirm = editor_client.get(url).content.decode()
    assert f"http://testserver{obj.get_absolute_url()}" in confirm
    assert "Yes, unpublish it" in confirm
    assert part().is_live  # asking changes nothing
    response = editor_client.post(url, follow=True)
    assert "Readers can no longer open" in response.content.decode()
    assert part().status == "draft"
    assert Client().get(obj.get_absolute_url()).status_code == 404


def test_the_publish_action_publishes_drafts_and_their_waiting_changes(editor_client):
    page = make_page("action-page", status="draft", published_at=None)
    live = make_page("live-page", title="Old title")
    editor_client.post(
        reverse("admin:embedded_page_change", args=[live.pk]),
        page_form_data(live, title="New title", _save_draft="Save draft"),
    )
    live.refresh_from_db()
    assert live.title == "Old title"
    changelist = reverse("admin:embedded_page_changelist")
    editor_client.post(
        changelist, {"action": "publish_now", "_selected_action": [page.pk, live.pk]}
    )
    page.refresh_from_db()
    live.refresh_from_db()
    assert page.is_live and live.title == "New title" and not drafts.draft_of(live)


def test_history_records_who_changed_what_and_revert_makes_a_draft(editor_client, editor):
    obj = part()
    original_title = obj.title
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    editor_client.post(url, change_form_data(obj, title="A worse title", _publish="Publish"))
    history = editor_client.get(reverse("admin:guidance_guidepart_history", args=[obj.pk]))
    row = history.content.decode().split("<tbody>")[1].split("</tr>")[0]
    assert "editor" in row and "Changed" in row and "<li>Title</li>" in row
    record = part().history.filter(title=original_title).first()
    assert part().history.first().history_user == editor
    revert_url = reverse(
        "admin:guidance_guidepart_simple_history", args=[obj.pk, record.history_id]
    )
    form = editor_client.get(revert_url)
    assert form.status_code == 200
    editor_client.post(revert_url, change_form_data(part(), title=original_title))
    assert part().title == "A worse title"  # what is live changes only when published
    assert drafts.draft_of(part()).data["title"] == [original_title]
    editor_client.post(url, change_form_data(part(), title=original_title, _publish="Publish"))
    assert part().title == original_title


def test_a_changed_slug_redirects_the_old_address_permanently(editor_client):
    reader = Client()
    obj = part()
    old_url = obj.get_absolute_url()
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    editor_client.post(url, change_form_data(obj, slug="the-role-day-to-day", _publish="Publish"))
    response = reader.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/guidance/researchers/the-role-day-to-day/"
    assert reader.get(response["Location"]).status_code == 200


def test_a_changed_guide_slug_redirects_every_part(editor_client):
    obj = part()
    guide = obj.guide
    old = obj.get_absolute_url()
    guide.slug = "for-researchers"
    guide.save()
    assert (
        Redirect.objects.get(old_path=old).new_path
        == "/guidance/for-researchers/what-the-role-is-like/"
    )
    assert (
        Client().get("/guidance/researchers/print/")["Location"]
        == "/guidance/for-researchers/print/"
    )


def test_a_chain_of_renames_still_lands_on_the_newest_address():
    page = make_page("first-name")
    page.slug = "second-name"
    page.save()
    page.slug = "third-name"
    page.save()
    assert Client().get("/first-name/")["Location"] == "/third-name/"


def test_admin_home_lists_content_overdue_and_due_soon(editor_client):
    today = timezone.localdate()
    make_page(
        "overdue-page", title="An overdue page", next_review_due=today - datetime.timedelta(days=3)
    )
    make_page(
        "soon-page", title="A page due soon", next_review_due=today + datetime.timedelta(days=12)
    )
    make_page(
        "later-page", title="A page due later", next_review_due=today + datetime.timedelta(days=90)
    )
    html = editor_client.get(reverse("admin:index")).content.decode()
    overdue, _, rest = html.partition("Due for review in the next 30 days")
    assert "An overdue page" in overdue.split("Overdue for review")[1]
    assert "A page due soon" in rest
    assert "A page due later" not in html


def test_the_page_list_filters_by_review_date_and_by_visibility(editor_client):
    today = timezone.localdate()
    days = datetime.timedelta(days=1)
    make_page("overdue-page", title="An overdue page", next_review_due=today - 3 * days)
    make_page("soon-page", title="A page due soon", next_review_due=today + 12 * days)
    make_page("draft-page", title="A draft page", status="draft", next_review_due=today + 90 * days)
    make_page("later-page", title="A page for later", published_at=timezone.now() + days)
    ours = ["An overdue page", "A page due soon", "A draft page", "A page for later"]

    def listed(query):
        html = editor_client.get(reverse("admin:embedded_page_changelist") + query).content
        return [title for title in ours if title in html.decode()]

    assert listed("?review=overdue") == ["An overdue page"]
    assert listed("?review=soon") == ["A page due soon"]
    assert listed("?review=ok") == ["A draft page", "A page for later"]
    assert listed("?visibility=live") == ["An overdue page", "A page due soon"]
    assert listed("?visibility=scheduled") == ["A page for later"]
    assert listed("?visibility=draft") == ["A draft page"]
    assert listed("?visibility=changed") == []
    assert "Due in the next 30 days" in editor_client.get("/admin/embedded/page/").content.decode()


def test_mark_as_reviewed_sets_today_and_a_review_period_ahead(editor_client, settings):
    settings.REVIEW_PERIOD_MONTHS = 6
    page = make_page(
        "to-review",
        last_reviewed=datetime.date(2024, 1, 1),
        next_review_due=datetime.date(2025, 1, 1),
    )
    changelist = reverse("admin:embedded_page_changelist")
    editor_client.post(changelist, {"action": "mark_reviewed", "_selected_action": [page.pk]})
    page.refresh_from_db()
    today = timezone.localdate()
    assert page.last_reviewed == today
    assert page.next_review_due > today + datetime.timedelta(days=180)
    assert page.next_review_due < today + datetime.timedelta(days=186)


def test_the_editors_group_can_edit_content_and_feedback_but_not_accounts(editor):
    assert editor.has_perm("guidance.change_guidepart")
    assert editor.has_perm("casestudies.add_casestudy")
    assert editor.has_perm("guidance.change_competency")
    assert editor.has_perm("embedded.view_feedback")
    assert editor.has_perm("embedded.delete_feedback")
    assert not editor.has_perm("auth.add_user")
    assert not editor.has_perm("auth.change_user")
    assert not editor.has_perm("auth.change_group")
    assert not editor.has_perm("embedded.change_feedback")


def test_editors_cannot_open_the_user_admin(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_create_editor_makes_a_staff_account_in_the_editors_group(monkeypatch, django_user_model):
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-and-safe-password\n"))
    call_command(
        "create_editor",
        "newbie",
        email="newbie@example.org",
        password_stdin=True,
        stdout=io.StringIO(),
    )
    user = django_user_model.objects.get(username="newbie")
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name="Editors").exists()
    assert user.check_password("a-long-and-safe-password")


def test_create_editor_refuses_a_weak_password(monkeypatch, django_user_model):
    monkeypatch.setattr("sys.stdin", io.StringIO("password\n"))
    with pytest.raises(CommandError, match="too common"):
        call_command("create_editor", "weak", password_stdin=True)
    assert not django_user_model.objects.filter(username="weak").exists()


def test_five_failed_log_ins_lock_the_username_from_that_address(client, editor, caplog):
    login = reverse("admin:login")
    statuses = [
        client.post(login, {"username": "editor", "password": "wrong"}).status_code
        for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]
    locked = client.post(login, {"username": "editor", "password": "a-long-test-password"})
    assert locked.status_code == 429
    assert b"Too many failed sign-in attempts" in locked.content
    assert any("Locking out" in record.getMessage() for record in caplog.records)
    # Another address is not locked out.
    other = Client(REMOTE_ADDR="10.0.0.9")
    response = other.post(login, {"username": "editor", "password": "a-long-test-password"})
    assert response.status_code == 302


def test_feedback_is_listed_for_editors_and_exported_as_csv(editor_client):
    Feedback.objects.create(path="/about/", helpful=False, comment="=HYPERLINK(1)")
    Feedback.objects.create(path="/privacy/", helpful=True, comment="Clear")
    changelist = reverse("admin:embedded_feedback_changelist")
    html = editor_client.get(changelist + "?helpful__exact=0").content.decode()
    assert "/about/" in html and "/privacy/" not in html
    response = editor_client.post(
        changelist,
        {
            "action": "export_csv",
            "_selected_action": list(Feedback.objects.values_list("pk", flat=True)),
        },
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "page", "title", "helpful", "comment"]
    assert rows[1][1:] == ["/about/", "About the Embedded Research project", "no", "'=HYPERLINK(1)"]


def test_the_feedback_list_names_pages_totals_them_and_exports_everything(editor_client):
    Feedback.objects.create(path="/about/", helpful=False, comment="Too long")
    Feedback.objects.create(path="/about/", helpful=False)
    Feedback.objects.create(path="/about/", helpful=True)
    Feedback.objects.create(path="/privacy/", helpful=True)
    html = editor_client.get(reverse("admin:embedded_feedback_changelist")).content.decode()
    totals = html.split('id="feedback-totals"')[1].split("</table>")[0]
    first = totals.split("<tbody>")[1].split("</tr>")[0]
    assert '<a href="/about/">About the Embedded Research project</a>' in first
    assert "<td>1</td>" in first and "<td>2</td>" in first
    assert (
        '<a href="/about/">About the Embedded Research project</a>'
        in html.split('id="result_list"')[1]
    )
    export = editor_client.get(reverse("admin:embedded_feedback_export"))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert len(rows) == 5 and "no-store" in export["Cache-Control"]


def test_staff_can_download_the_content_as_a_zip_of_files(editor_client):
    response = editor_client.get(reverse("export_content_zip"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert "content/guides/researchers/01-what-the-role-is-like.md" in names
    assert "content/roles/embedded-researcher.md" in names
    assert archive.read("content/pages/about.md").startswith(b"---\ntitle: About")
    assert "no-store" in response["Cache-Control"]


def test_readers_cannot_download_the_content_zip():
    response = Client().get(reverse("export_content_zip"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.fixture
def viewer_client(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="a-long-test-password")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_page"))
    client.force_login(viewer)
    return client


def test_staff_who_may_only_view_cannot_publish_or_unpublish(viewer_client):
    page = make_page("viewed-page")
    changelist = reverse("admin:embedded_page_changelist")
    viewer_client.post(changelist, {"action": "publish_now", "_selected_action": [page.pk]})
    assert (
        viewer_client.post(reverse("admin:embedded_page_unpublish", args=[page.pk])).status_code
        == 403
    )
    page.refresh_from_db()
    assert page.status == "published"


def test_staff_who_may_only_view_cannot_revert_from_history(viewer_client):
    page = make_page("viewed-page")
    page.title = "Second title"
    page.save()
    record = page.history.last()
    url = reverse("admin:embedded_page_simple_history", args=[page.pk, record.history_id])
    form = {"title": "Hacked", "slug": "viewed-page", "summary": "x", "status": "draft"}
    response = viewer_client.post(url, form)
    assert response.status_code == 403
    page.refresh_from_db()
    assert page.title == "Second title"


def test_a_body_over_the_length_limit_gets_a_clear_error_and_keeps_the_text(
    editor_client, settings
):
    settings.MARKDOWN_MAX_LENGTH = 50
    obj = part()
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    long_body = ("A sentence that goes on. " * 3).strip()
    response = editor_client.post(url, change_form_data(obj, body=long_body))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The text is 74 characters long; a page can hold at most 50." in html
    assert long_body in html  # nothing the editor wrote is lost
    assert part().body == obj.body


def test_a_body_nested_too_deeply_gets_a_clear_error(editor_client):
    obj = part()
    url = reverse("admin:guidance_guidepart_change", args=[obj.pk])
    deep = "".join("  " * level + f"- level {level}\n" for level in range(8))
    response = editor_client.post(url, change_form_data(obj, body=deep))
    assert response.status_code == 200
    assert "nested too deeply to show" in response.content.decode()
    assert part().body == obj.body


def test_the_preview_explains_a_body_over_the_length_limit(editor_client, settings):
    settings.MARKDOWN_MAX_LENGTH = 50
    response = editor_client.post("/admin/markdownx/markdownify/", {"content": "## x\n" * 20})
    assert response.status_code == 200
    assert b"a page can hold at most 50" in response.content
    assert b"<h2" not in response.content
