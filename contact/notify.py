"""Telling editors that a contact message arrived, by email, when email is set up.

The email says only that a message is waiting and links to it in the admin.
It carries neither the message nor who sent it: those stay in the site's
database, where only editors can read them and where they are deleted on
time. A copy in editors' mailboxes would outlive that rule and travel
through mail servers we do not run.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)


def tell_editors(message, request):
    """Emails CONTACT_NOTIFY_EMAILS; returns whether it sent. A failure is logged, never raised."""
    recipients = settings.CONTACT_NOTIFY_EMAILS
    if not recipients:
        return False
    link = request.build_absolute_uri(
        reverse("admin:contact_contactmessage_change", args=[message.pk])
    )
    received = timezone.localtime(message.received_at)
    body = (
        f"A message arrived through the website's contact form on "
        f"{received:%-d %B %Y at %H:%M}.\n\n"
        f"Sign in to read and answer it:\n{link}\n\n"
        "This email does not include the message or who sent it, to keep their "
        "personal details in one place.\n"
    )
    try:
        send_mail(
            "New message through the contact form", body, None, recipients, fail_silently=False
        )
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not email editors about contact message %s", message.pk)
        return False
    return True
