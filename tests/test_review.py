"""A second pair of eyes: changes go live once another editor approves them."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from embedded import drafts
from embedded.editors import editor_permissions
from embedded.models import Feedback
from tests.factories import make_page, signed_in
from tests.test_admin import change_form_data, page_form_data, part

pytestmark = pytest.mark.django_db


def change_url(obj):
    return reverse("admin:guidance_guidepart_change", args=[obj.pk])


def review_url(obj):
    return reverse("admin:guidance_guidepart_review", args=[obj.pk])


def submit(client, obj, **changes):
    return client.post(
        change_url(obj), change_form_data(obj, _submit_review="Submit for review", **changes)
    )


def test_an_editor_cannot_publish_straight_away(edith):
    obj = part()
    client = signed_in(edith)
    form = client.get(change_url(obj)).content.decode()
    assert 'name="_publish"' not in form and "Submit for review" in form
    response = client.post(change_url(obj), change_form_data(obj, title="Mine", _publish="Go"))
    assert response.status_code == 403
    assert part().title == obj.title


def test_another_editor_approves_submitted_changes_which_publishes_them(edith, fred):
    obj = part()
    response = submit(signed_in(edith), obj, title="A reviewed title")
    assert response.status_code == 302
    assert part().title == obj.title  # still the live version
    assert drafts.draft_of(part()).state == "in_review"

    # Edith may not approve her own changes.
    own = signed_in(edith).get(change_url(obj)).content.decode()
    assert "Approve and publish" not in own and "Another editor needs to approve" in own
    assert signed_in(edith).post(review_url(obj), {"decision": "approve"}).status_code == 403

    home = signed_in(fred).get(reverse("admin:index")).content.decode()
    waiting = home.split('id="waiting-for-review"')[1].split("</ul>")[0]
    assert "A reviewed title" in waiting and "edith" in waiting
    assert "Approve and publish" in signed_in(fred).get(change_url(obj)).content.decode()
    response = signed_in(fred).post(review_url(obj), {"decision": "approve"}, follow=True)
    assert "Approved. Published." in response.content.decode()
    assert part().title == "A reviewed title"
    assert b"A reviewed title" in Client().get(obj.get_absolute_url()).content
    assert part().history.first().history_user == fred
    assert drafts.draft_of(part()) is None


def test_a_reviewer_sends_changes_back_with_a_comment(edith, fred):
    obj = part()
    submit(signed_in(edith), obj, title="A hasty title")
    no_comment = signed_in(fred).post(review_url(obj), {"decision": "send_back"}, follow=True)
    assert "Say what needs changing" in no_comment.content.decode()
    assert drafts.draft_of(part()).state == "in_review"
    signed_in(fred).post(
        review_url(obj), {"decision": "send_back", "review_comment": "Use the reader's words."}
    )
    draft = drafts.draft_of(part())
    assert draft.state == "draft" and draft.reviewer == fred
    assert part().title == obj.title
    form = signed_in(edith).get(change_url(obj)).content.decode()
    assert "Use the reader&#x27;s words." in form and "A hasty title" in form
    home = signed_in(edith).get(reverse("admin:index")).content.decode()
    assert "Use the reader&#x27;s words." in home.split('id="my-drafts"')[1].split("</ul>")[0]


def test_approving_changes_dated_later_schedules_them(edith, fred):
    obj = part()
    later = timezone.localtime() + datetime.timedelta(days=5)
    submit(signed_in(edith), obj, title="Later title", published_at_0=later.strftime("%d/%m/%Y"))
    response = signed_in(fred).post(review_url(obj), {"decision": "approve"}, follow=True)
    assert "Readers see the live version until then" in response.content.decode()
    assert part().title == obj.title
    draft = drafts.draft_of(part())
    assert draft.state == "scheduled" and draft.reviewer == fred and draft.author == edith
    home = signed_in(edith).get(reverse("admin:index")).content.decode()
    assert "Later title" in home.split('id="scheduled"')[1].split("</ul>")[0]


def test_a_new_page_goes_live_only_once_approved(edith, fred):
    page = make_page("brand-new", status="draft", published_at=None)
    url = reverse("admin:embedded_page_change", args=[page.pk])
    signed_in(edith).post(url, page_form_data(page, _submit_review="Submit for review"))
    page.refresh_from_db()
    assert page.status == "draft"
    assert Client().get("/brand-new/").status_code == 404
    signed_in(fred).post(
        reverse("admin:embedded_page_review", args=[page.pk]), {"decision": "approve"}
    )
    page.refresh_from_db()
    assert page.is_live and Client().get("/brand-new/").status_code == 200


def test_a_small_team_may_allow_self_approval(edith, settings):
    settings.EDITORIAL_SELF_APPROVAL = True
    obj = part()
    client = signed_in(edith)
    assert 'name="_publish"' in client.get(change_url(obj)).content.decode()
    client.post(change_url(obj), change_form_data(obj, title="Straight out", _publish="Go"))
    assert part().title == "Straight out"


def test_the_editors_group_may_approve_changes(edith):
    assert ("embedded", "approve_draft") in editor_permissions()
    assert edith.has_perm("embedded.approve_draft")


def test_the_admin_home_lists_new_no_answers(edith):
    Feedback.objects.create(path="/about/", helpful=False, comment="Too long to read")
    Feedback.objects.create(path="/about/", helpful=True, comment="Lovely page")
    home = signed_in(edith).get(reverse("admin:index")).content.decode()
    answers = home.split('id="unhelpful-answers"')[1].split("</ul>")[0]
    assert "Too long to read" in answers and "Lovely page" not in answers


def form_as_posted(html):
    """Every field of the rendered edit form with its value, as a browser would post it."""
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self._textarea, self._select = {}, None, None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in {"submit", "file"}:
                if attrs.get("type") == "checkbox" and "checked" not in attrs:
                    return
                self.data.setdefault(name, attrs.get("value") or "")
            elif tag == "textarea" and name:
                self._textarea = name
                self.data[name] = ""
            elif tag == "select" and name:
                self._select = name
                self.data.setdefault(name, "")
            elif tag == "option" and self._select and "selected" in attrs:
                self.data[self._select] = attrs.get("value") or ""

        def handle_data(self, data):
            if self._textarea:
                self.data[self._textarea] += data

        def handle_endtag(self, tag):
            if tag == "textarea":
                if self._textarea:
                    self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
                self._textarea = None
            elif tag == "select":
                self._select = None

    form = html.split('id="roleprofile_form"')[1].split("</form>")[0]
    fields = Fields()
    fields.feed("<form " + form)
    return {k: v for k, v in fields.data.items() if k not in {"review_comment"}}


def test_a_roles_owned_rows_wait_in_the_draft_until_approved(edith, fred):
    from guidance.models import RoleProfile

    role = RoleProfile.objects.published().first()
    competency = role.competencies.order_by("order", "pk").first()
    url = reverse("admin:guidance_roleprofile_change", args=[role.pk])
    data = form_as_posted(signed_in(edith).get(url).content.decode())
    name_field = next(
        key for key, value in data.items() if key.endswith("-name") and value == competency.name
    )
    data[name_field] = "Listening to patients"
    data["_submit_review"] = "Submit for review"
    response = signed_in(edith).post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    competency.refresh_from_db()
    assert competency.name != "Listening to patients"  # the live role is unchanged
    assert "Listening to patients" in signed_in(edith).get(url).content.decode()
    signed_in(fred).post(
        reverse("admin:guidance_roleprofile_review", args=[role.pk]), {"decision": "approve"}
    )
    competency.refresh_from_db()
    assert competency.name == "Listening to patients"
    assert "Listening to patients" in Client().get(role.get_absolute_url()).content.decode()


def test_the_publish_action_needs_self_approval_too(edith):
    page = make_page("bulk-draft", status="draft", published_at=None)
    changelist = reverse("admin:embedded_page_changelist")
    response = signed_in(edith).post(
        changelist, {"action": "publish_now", "_selected_action": [page.pk]}, follow=True
    )
    assert "Publishing needs another editor&#x27;s review" in response.content.decode()
    page.refresh_from_db()
    assert page.status == "draft"


def test_a_new_page_is_submitted_for_review_from_the_add_form(edith):
    data = page_form_data(make_page("template-page"), slug="added-page", title="An added page")
    data["_submit_review"] = "Submit for review"
    response = signed_in(edith).post(reverse("admin:embedded_page_add"), data, follow=True)
    assert "Submitted for review" in response.content.decode()
    from embedded.models import Page

    added = Page.objects.get(slug="added-page")
    assert added.status == "draft" and drafts.draft_of(added).state == "in_review"
    assert Client().get("/added-page/").status_code == 404


def test_a_change_note_waits_in_review_and_goes_live_when_approved(edith, fred):
    obj = part()
    note = "Added a section on paying public contributors"
    submit(signed_in(edith), obj, change_type="major", change_note=note)
    reader = Client()
    assert note not in reader.get(obj.get_absolute_url()).content.decode()
    assert note not in reader.get("/whats-new/").content.decode()

    signed_in(fred).post(review_url(obj), {"decision": "approve"})

    assert note in reader.get(obj.get_absolute_url()).content.decode()
    assert note in reader.get("/whats-new/").content.decode()
