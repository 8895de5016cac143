"""Control characters at every edge: cleaned or refused with a message, never a 500.

PostgreSQL refuses text holding a NUL, and a Word file cannot hold most
control characters at all, so neither may get past the place text comes in.
(Tab, line feed and carriage return are ordinary text and stay.)
"""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, Theme
from embedded.models import Feedback, Page, Redirect
from guidance.models import Competency, GuidePart, Responsibility, RoleProfile

pytestmark = pytest.mark.django_db

CONTROL_CHARACTERS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x9f"]


# The feedback form: its hidden path and its comment.


@pytest.mark.parametrize("character", CONTROL_CHARACTERS)
def test_a_control_character_in_the_feedback_path_is_dropped(client, character):
    path = f"/ab{character}out/"
    response = client.post("/feedback/", {"path": path, "helpful": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith("/feedback/thanks/?next=/about/&")
    assert Feedback.objects.get().path == "/about/"


def test_control_characters_in_a_comment_are_dropped_and_the_rest_kept(client):
    comment = "Clear\x00 and\x0b useful.\r\nThanks\tall"
    client.post("/feedback/", {"path": "/about/", "helpful": "yes", "comment": comment})
    assert Feedback.objects.get().comment == "Clear and useful.\r\nThanks\tall"


# Admin lists: filters and searches are typed into the address bar.


@pytest.mark.parametrize(
    "address",
    [
        "/admin/embedded/page/?status__exact=%00",
        "/admin/embedded/page/?title__contains=a%00b",
        "/admin/embedded/feedback/?path=%00",
        "/admin/guidance/guidepart/?q=%00",
        "/admin/casestudies/casestudy/?setting__exact=%00",
        "/admin/embedded/page/?visibility=%01",
    ],
)
def test_a_control_character_in_an_admin_address_is_a_bad_request(staff_client, address):
    response = staff_client.get(address)
    assert response.status_code == 400


def test_an_admin_list_filter_still_works(staff_client):
    response = staff_client.get("/admin/embedded/page/?status__exact=draft&q=about")
    assert response.status_code == 200


def test_a_control_character_in_the_user_list_filter_is_a_bad_request(django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-long-1234")
    client = Client()
    client.force_login(boss)
    assert client.get("/admin/auth/user/?username=%00").status_code == 400
    autocomplete = (
        "/admin/autocomplete/?term=%00&app_label=guidance&model_name=guidepart"
        "&field_name=related_parts"
    )
    assert client.get(autocomplete).status_code == 400


# Text editors save: refused with a message naming the field.


def page_form(**changes):
    today = timezone.localdate().strftime("%d/%m/%Y")
    data = {
        "title": "A new page",
        "slug": "a-new-page",
        "summary": "A summary.",
        "body": "Some words.",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "last_reviewed": today,
        "next_review_due": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("field", ["title", "summary", "body"])
def test_the_admin_refuses_a_control_character_in_content_and_says_why(staff_client, field):
    data = page_form(**{field: page_form()[field] + "\x0b pasted"})
    response = staff_client.post(reverse("admin:embedded_page_add"), data)
    assert response.status_code == 200
    assert "invisible control character" in response.content.decode()
    assert not Page.objects.filter(slug="a-new-page").exists()


def test_tabs_and_line_breaks_are_ordinary_text(staff_client):
    data = page_form(body="Line one\r\n\r\n\tIndented words")
    response = staff_client.post(reverse("admin:embedded_page_add"), data)
    assert response.status_code == 302
    # Kept as written, with the browser's \r\n line endings stored as \n (see tidy text).
    assert Page.objects.get(slug="a-new-page").body == "Line one\n\n\tIndented words"


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: RoleProfile.objects.first(), "purpose"),
        (lambda: Competency.objects.first(), "description"),
        (lambda: Competency.objects.first(), "name"),
        (lambda: Responsibility.objects.first(), "text"),
        (lambda: GuidePart.objects.first(), "title"),
        (lambda: CaseStudy.objects.first(), "outcome"),
        (lambda: Theme(name="Evaluation methods", slug="evaluation-methods"), "name"),
        (lambda: Redirect(old_path="/old-address/", new_path="/about/"), "new_path"),
    ],
)
def test_every_text_field_editors_fill_refuses_control_characters(make, field):
    obj = make()
    setattr(obj, field, "Words\x01 more")
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert field in error.value.message_dict
    assert "invisible control character" in " ".join(error.value.message_dict[field])


# The Word file: even text that got in some other way cannot break it.


def open_word(response):
    assert response.status_code == 200
    return docx.Document(io.BytesIO(response.content))


def all_text(document):
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(paragraphs + cells)


def test_a_control_character_saved_in_a_role_profile_does_not_break_its_word_file(client):
    profile = RoleProfile.objects.get(slug="embedded-researcher")
    RoleProfile.objects.filter(pk=profile.pk).update(purpose="Why the post\x0b exists\x01.")
    profile.competencies.filter(pk=profile.competencies.first().pk).update(name="Tact\x1b")
    profile.responsibilities.filter(pk=profile.responsibilities.first().pk).update(
        text="Plan\x0c the work."
    )
    text = all_text(open_word(client.get("/roles/embedded-researcher/job-description.docx")))
    assert "Why the post exists." in text
    assert "Tact" in text and "Plan the work." in text


def test_a_control_character_in_the_builders_answers_does_not_break_its_word_file(client):
    profile = RoleProfile.objects.get(slug="embedded-researcher")
    answers = {
        "organisation": "Northshire\x0b Trust",
        "job_title": "Researcher\x01 in residence",
        "employed_by": "host",
        "responsibilities": [str(item.pk) for item in profile.responsibilities.all()],
        "competencies": [str(item.pk) for item in profile.competencies.all()],
    }
    for each in profile.competencies.all():
        answers[f"requirement_{each.pk}"] = each.requirement
    response = client.post("/roles/embedded-researcher/build/job-description.docx", answers)
    text = all_text(open_word(response))
    assert "Northshire Trust" in text and "Researcher in residence" in text
