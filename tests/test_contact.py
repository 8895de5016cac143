"""The contact form: messages kept for editors to answer and close, an email when set up,
and deleted a set time after they are closed."""

import datetime
import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from contact.models import ContactMessage

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Sam Patel",
    "email": "sam@example.org",
    "message": "Can I reuse the job description?",
}


def test_the_contact_page_keeps_its_text_and_offers_the_form(client):
    response = client.get("/contact/")
    html = response.content.decode()
    assert "<h1>Contact us</h1>" in html
    for label in ["Your name", "Your email address", "Your message"]:
        assert label in html
    assert 'type="email"' in html and 'autocomplete="email"' in html
    assert "only the project's editors can read it" in html
    assert "12 months after we close it" in html


def test_the_contact_page_is_cached_like_any_page_and_sets_no_cookie(client):
    response = client.get("/contact/")
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    assert b"csrfmiddlewaretoken" not in response.content


def test_a_message_is_kept_for_the_editors_and_the_sender_is_thanked(client):
    response = client.post("/contact/", GOOD)
    assert response.status_code == 302
    assert response["Location"] == "/contact/sent/"
    message = ContactMessage.objects.get()
    assert (message.name, message.email, message.message) == tuple(GOOD.values())
    assert message.status == "new"
    thanks = client.get("/contact/sent/")
    assert "Your message has been sent" in thanks.content.decode()
    assert "private" in thanks["Cache-Control"]


def test_a_message_with_mistakes_says_what_to_fix_and_keeps_what_was_typed(client):
    response = client.post(
        "/contact/", {"name": "Sam Patel", "email": "not-an-address", "message": "Keep me please"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert 'value="Sam Patel"' in html and 'value="not-an-address"' in html
    assert "Keep me please</textarea>" in html
    assert not ContactMessage.objects.exists()
    assert "private" in response["Cache-Control"]


def test_an_empty_form_names_every_missing_answer(client):
    html = client.post("/contact/", {"message": "   "}).content.decode()
    for error in ["Enter your name", "Enter your email address", "Enter your message"]:
        assert error in html


def test_too_many_messages_from_one_client_are_refused_and_the_text_kept(client, settings):
    settings.CONTACT_RATE_LIMIT = 2
    statuses = [client.post("/contact/", GOOD).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    response = client.post("/contact/", {**GOOD, "message": "One more thing"})
    assert response.status_code == 429
    assert response["Retry-After"] == "3600"
    html = response.content.decode()
    assert "You have sent several messages in the last hour" in html
    assert "One more thing</textarea>" in html
    assert ContactMessage.objects.count() == 2


def test_the_contact_limit_is_counted_apart_from_feedback(client, settings):
    settings.CONTACT_RATE_LIMIT = 1
    settings.FEEDBACK_RATE_LIMIT = 1
    assert client.post("/feedback/", {"path": "/", "helpful": "yes"}).status_code == 302
    assert client.post("/contact/", GOOD).status_code == 302


def test_a_robot_filling_the_honeypot_is_thanked_but_nothing_is_kept(client):
    response = client.post("/contact/", {**GOOD, "website": "http://spam.example"})
    assert response.status_code == 302
    assert not ContactMessage.objects.exists()


def test_editors_are_emailed_that_a_message_arrived_without_its_content(client, settings):
    settings.CONTACT_NOTIFY_EMAILS = ["editors@example.org", "lead@example.org"]
    client.post("/contact/", GOOD)
    message = ContactMessage.objects.get()
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["editors@example.org", "lead@example.org"]
    assert email.subject == "New message through the contact form"
    link = f"http://testserver{reverse('admin:contact_contactmessage_change', args=[message.pk])}"
    assert link in email.body
    for private in GOOD.values():
        assert private not in email.body


def test_without_anyone_to_email_nothing_is_sent_and_the_message_is_kept(client, settings):
    settings.CONTACT_NOTIFY_EMAILS = []
    client.post("/contact/", GOOD)
    assert mail.outbox == []
    assert ContactMessage.objects.count() == 1


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_mail_server_that_is_down_loses_no_message(client, settings):
    settings.CONTACT_NOTIFY_EMAILS = ["editors@example.org"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    response = client.post("/contact/", GOOD)
    assert response.status_code == 302
    assert ContactMessage.objects.count() == 1


def test_editors_read_answer_and_close_a_message_in_the_admin(client, staff_client):
    client.post("/contact/", GOOD)
    message = ContactMessage.objects.get()
    home = staff_client.get("/admin/").content.decode()
    assert "1 new, 0 answered but not closed" in home
    listing = staff_client.get(reverse("admin:contact_contactmessage_changelist")).content.decode()
    assert "Sam Patel" in listing and "Can I reuse the job description?" in listing
    change = reverse("admin:contact_contactmessage_change", args=[message.pk])
    form = staff_client.get(change).content.decode()
    assert 'href="mailto:sam@example.org?subject=' in form
    assert "Not until it is closed" in form
    response = staff_client.post(
        change, {"status": "answered", "reply_note": "Replied by email: yes, adapt it freely."}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == "answered" and message.reply_note.startswith("Replied by email")
    staff_client.post(
        reverse("admin:contact_contactmessage_changelist"),
        {"action": "close", "_selected_action": [message.pk]},
    )
    message.refresh_from_db()
    assert message.status == "closed" and message.closed_at is not None
    assert "0 new, 0 answered" in staff_client.get("/admin/").content.decode()


def test_editors_cannot_add_or_rewrite_a_message(client, staff_client):
    client.post("/contact/", GOOD)
    message = ContactMessage.objects.get()
    assert staff_client.get(reverse("admin:contact_contactmessage_add")).status_code == 403
    change = reverse("admin:contact_contactmessage_change", args=[message.pk])
    staff_client.post(change, {"status": "new", "message": "Rewritten", "email": "x@example.org"})
    message.refresh_from_db()
    assert (message.message, message.email) == (GOOD["message"], GOOD["email"])


def test_the_admin_log_keeps_no_name_or_address_after_a_message_is_deleted(staff_client):
    message = ContactMessage.objects.create(**GOOD)
    assert "Sam" not in str(message) and "example.org" not in str(message)


def test_closed_messages_are_deleted_once_their_time_is_up_and_others_are_kept():
    now = timezone.now()
    old = ContactMessage.objects.create(**GOOD, status="closed")
    ContactMessage.objects.filter(pk=old.pk).update(closed_at=now - datetime.timedelta(days=366))
    recent = ContactMessage.objects.create(**GOOD, status="closed")
    waiting = ContactMessage.objects.create(**GOOD)
    ContactMessage.objects.filter(pk=waiting.pk).update(
        received_at=now - datetime.timedelta(days=800)
    )
    call_command("delete_closed_contact_messages", verbosity=0)
    assert set(ContactMessage.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}


def test_the_retention_period_is_a_setting(settings):
    settings.CONTACT_MESSAGE_RETENTION_DAYS = 30
    closed = ContactMessage.objects.create(**GOOD, status="closed")
    ContactMessage.objects.filter(pk=closed.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=31)
    )
    call_command("delete_closed_contact_messages", "--dry-run", verbosity=0)
    assert ContactMessage.objects.exists()
    call_command("delete_closed_contact_messages", verbosity=0)
    assert not ContactMessage.objects.exists()


def test_reopening_a_message_clears_its_closing_date():
    message = ContactMessage.objects.create(**GOOD, status="closed")
    assert message.deleted_after is not None
    message.status = "answered"
    message.save()
    assert message.closed_at is None and message.deleted_after is None


def test_sending_a_message_does_not_clear_the_page_cache(client):
    from embedded.caching import content_version

    before = content_version()
    client.post("/contact/", GOOD)
    assert content_version() == before
