"""Contact messages in the admin: editors read them, note their answer, and close them."""

from urllib.parse import quote

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html

from contact.models import ContactMessage


@admin.display(description="Message")
def opening(message):
    text = " ".join(message.message.split())
    return text if len(text) <= 80 else f"{text[:79]}…"


@admin.register(ContactMessage)
class ContactMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "name", "email", opening, "status", "closed_at"]
    list_display_links = ["received_at", "name"]
    list_filter = ["status", "received_at"]
    search_fields = ["name", "email", "message", "reply_note"]
    date_hierarchy = "received_at"
    actions = ["mark_answered", "close"]
    fieldsets = [
        ("From", {"fields": ["received_at", "name", "reply_by_email"]}),
        (None, {"fields": ["message"]}),
        (
            "Answer",
            {
                "fields": ["status", "reply_note", "closed_at", "deleted_after"],
                "description": (
                    "Reply by email, then note what you said and set the status. Close the "
                    "message when nothing more is needed: it is deleted automatically a set "
                    "time after it is closed."
                ),
            },
        ),
    ]
    readonly_fields = ["received_at", "name", "reply_by_email", "message", "closed_at"]
    readonly_fields += ["deleted_after"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Email address")
    def reply_by_email(self, message):
        subject = quote("Your message to the Embedded Research website")
        return format_html(
            '<a href="mailto:{}?subject={}">{}</a> (opens your email program to reply)',
            message.email,
            subject,
            message.email,
        )

    @admin.display(description="Will be deleted")
    def deleted_after(self, message):
        when = message.deleted_after
        return f"{timezone.localtime(when):%-d %B %Y}" if when else "Not until it is closed"

    @admin.action(description="Mark the selected messages as answered", permissions=["change"])
    def mark_answered(self, request, queryset):
        count = 0
        for message in queryset.exclude(status=ContactMessage.Status.CLOSED):
            message.status = ContactMessage.Status.ANSWERED
            message.save()
            count += 1
        self.message_user(request, f"Marked {count} message(s) as answered.", messages.SUCCESS)

    @admin.action(description="Close the selected messages", permissions=["change"])
    def close(self, request, queryset):
        count = 0
        for message in queryset.waiting():
            message.status = ContactMessage.Status.CLOSED
            message.save()
            count += 1
        self.message_user(request, f"Closed {count} message(s).", messages.SUCCESS)
