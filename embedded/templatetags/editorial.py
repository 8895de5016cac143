"""What the admin home shows editors: content overdue for review or due soon."""

from django import template
from django.urls import reverse
from django.utils import timezone

from embedded.content import registry
from embedded.permissions import may_view

register = template.Library()


@register.simple_tag
def review_queue(user, within_days=30):
    """What `user` may view that is overdue for review or due within `within_days`."""
    today = timezone.localdate()
    queue = {"overdue": [], "soon": []}
    for model in registry.models:
        if not may_view(user, model):
            continue
        meta = model._meta
        for item in model.objects.due_for_review(within_days).order_by("next_review_due"):
            entry = {
                "item": item,
                "kind": meta.verbose_name.capitalize(),
                "url": reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk]),
            }
            queue["overdue" if item.next_review_due < today else "soon"].append(entry)
    for entries in queue.values():
        entries.sort(key=lambda entry: entry["item"].next_review_due)
    return queue
