"""What the admin home shows editors: changes waiting for them, what is scheduled, readers'
"No" answers, and content overdue for review or due soon."""

import datetime

from django import template
from django.urls import reverse
from django.utils import timezone

from embedded import drafts
from embedded.content import registry
from embedded.models import Draft, Feedback
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


def _draft_entry(draft):
    content_type = draft.content_type
    model = content_type.model_class()
    item = draft.item
    return {
        "item": item,
        "title": (draft.data.get("title") or [item.title])[0],  # as the changes have it
        "draft": draft,
        "kind": model._meta.verbose_name.capitalize(),
        "url": reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change", args=[draft.object_id]
        ),
    }


@register.simple_tag
def editorial_desk(user, new_feedback_days=14):
    """The changes `user` should act on, what is scheduled, and readers' recent "No" answers."""
    desk = {"waiting": [], "mine": [], "scheduled": [], "unhelpful": []}
    visible = [model for model in registry.models if may_view(user, model)]
    waiting = Draft.objects.select_related("content_type", "submitted_by").order_by("updated_at")
    for draft in waiting:
        if draft.content_type.model_class() not in visible or draft.item is None:
            continue
        entry = _draft_entry(draft)
        if drafts.may_approve(user, draft):
            desk["waiting"].append(entry)
        if draft.author_id == user.pk and draft.state != Draft.State.SCHEDULED:
            desk["mine"].append(entry)
        if draft.state == Draft.State.SCHEDULED:
            entry["when"] = draft.publish_at
            desk["scheduled"].append(entry)
    for model in visible:
        meta = model._meta
        for item in model.objects.scheduled():
            desk["scheduled"].append(
                {
                    "item": item,
                    "kind": meta.verbose_name.capitalize(),
                    "when": item.published_at,
                    "url": reverse(
                        f"admin:{meta.app_label}_{meta.model_name}_change", args=[item.pk]
                    ),
                }
            )
    desk["scheduled"].sort(key=lambda entry: entry["when"])
    if user.has_perm("embedded.view_feedback"):
        since = timezone.now() - datetime.timedelta(days=new_feedback_days)
        desk["unhelpful"] = list(Feedback.objects.filter(helpful=False, created_at__gte=since)[:10])
        desk["feedback_days"] = new_feedback_days
    return desk
