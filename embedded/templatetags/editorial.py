"""What the admin home shows editors: changes waiting for them, what is scheduled, readers'
"No" answers, and content overdue for review or due soon."""

import datetime

from django import template
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from embedded import diffs, drafts, publishing_checks
from embedded.caching import content_version
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


def _broken_links():
    """[(model, pk, title, [message])]: worked out once per content version, as it takes
    a moment (every live body's links) and changes only when content does."""
    key = f"editorial:broken-links:{content_version()}"
    found = cache.get(key)
    if found is None:
        found = [
            (type(item), item.pk, item.title, [problem.message for problem in problems])
            for item, problems in publishing_checks.broken_links_on_live_pages()
        ]
        cache.set(key, found, 24 * 60 * 60)
    return found


@register.simple_tag
def broken_links(user):
    """Live items `user` may view whose bodies link to pages readers cannot open."""
    found = []
    for model, pk, title, problems in _broken_links():
        if may_view(user, model):
            meta = model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])
            found.append({"title": title, "problems": problems, "url": url})
    return found


@register.simple_tag
def version_changes(record, current):
    """What changed in a history record: against the version before it and the current one."""
    previous = record.prev_record
    return {
        "since_previous": diffs.compare(previous, record) if previous else None,
        "to_current": diffs.compare(record, current) if current is not None else [],
    }
