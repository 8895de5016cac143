from django import template
from django.db.models import Count

from contact.models import ContactMessage

register = template.Library()


@register.simple_tag
def waiting_messages():
    """How many contact messages are new, and how many answered but not yet closed."""
    counts = dict.fromkeys(ContactMessage.Status.values, 0)
    rows = ContactMessage.objects.waiting().values("status").annotate(count=Count("id"))
    counts.update({row["status"]: row["count"] for row in rows.order_by()})
    return counts
