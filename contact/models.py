"""Messages readers send through /contact/, which editors read, answer and close in the admin.

A message holds personal data (a name and an email address), so it is kept
only as long as it is needed: `manage.py delete_closed_contact_messages`,
run daily, deletes each message CONTACT_MESSAGE_RETENTION_DAYS after it was
closed. Messages have no revision history, and their admin log entries name
only the message's number, so nothing of a deleted message is left behind.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone


class ContactMessageQuerySet(models.QuerySet):
    def waiting(self):
        """Messages nobody has closed yet."""
        return self.exclude(status=ContactMessage.Status.CLOSED)

    def past_retention(self, now=None):
        """Closed messages whose time to be kept has run out."""
        now = now or timezone.now()
        cutoff = now - datetime.timedelta(days=settings.CONTACT_MESSAGE_RETENTION_DAYS)
        return self.filter(status=ContactMessage.Status.CLOSED, closed_at__lte=cutoff)


class ContactMessage(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=100, help_text="The name the sender gave.")
    email = models.EmailField(help_text="Where to send a reply.")
    message = models.TextField(max_length=5000, help_text="What the sender wrote.")
    received_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.NEW,
        help_text=(
            "New: nobody has answered yet. Answered: someone has replied. Closed: nothing more "
            "to do; the message is deleted automatically a set time after closing."
        ),
    )
    reply_note = models.TextField(
        blank=True,
        max_length=5000,
        help_text=(
            "What was answered or done, when and by whom, so other editors know. "
            "Only editors see this."
        ),
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ContactMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["status", "closed_at"])]

    def __str__(self):
        # No name or address: admin log entries outlive the message and keep this text.
        return f"Message {self.pk} received {timezone.localtime(self.received_at):%-d %b %Y}"

    def save(self, *args, **kwargs):
        if self.status == self.Status.CLOSED:
            self.closed_at = self.closed_at or timezone.now()
        else:
            self.closed_at = None
        super().save(*args, **kwargs)

    @property
    def deleted_after(self):
        """When the message will be deleted, once it is closed."""
        if self.closed_at is None:
            return None
        return self.closed_at + datetime.timedelta(days=settings.CONTACT_MESSAGE_RETENTION_DAYS)
