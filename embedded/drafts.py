"""Live and draft side by side: an editor's unpublished changes to a published item.

A published item's own row is its live version, so every public query, the page
cache, search, the sitemap and the feeds only ever see what is live. Changes to it
wait in one `Draft` (the edit form as the editor posted it) until they are
published, now or at a chosen time, when `publish()` replays that form through the
item's admin exactly as a save would: owned rows, tags, history, redirects, the
content version and the search index all follow as for any other save.

An item that has never been published (or was unpublished) has no live version to
protect, so its work is kept on the row itself, with status Draft.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from embedded.models import Draft, Publishable

# The names of the edit form's buttons, and of the hidden stamp of the version it was
# made from: none of them is part of what the editor wrote.
SAVE_DRAFT, PUBLISH, SUBMIT = "_save_draft", "_publish", "_submit_review"
APPROVE = "embedded.approve_draft"
BASE_VERSION = "base_version"
NOT_CONTENT = {
    "csrfmiddlewaretoken",
    BASE_VERSION,
    SAVE_DRAFT,
    PUBLISH,
    SUBMIT,
    "review_comment",
    "decision",
    "publish_despite_problems",
    "_save",
    "_continue",
    "_addanother",
    "_saveasnew",
}


def draft_of(obj):
    """The item's waiting changes, or None."""
    if obj is None or obj.pk is None:
        return None
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    return Draft.objects.filter(content_type=content_type, object_id=obj.pk).first()


def drafts_of(model):
    return Draft.objects.filter(content_type=ContentType.objects.get_for_model(model))


def is_published(obj):
    """Whether the item's stored row is published (live, or scheduled to go live)."""
    if obj.pk is None:
        return False
    stored = type(obj).objects.filter(pk=obj.pk).values_list("status", flat=True).first()
    return stored == Publishable.Status.PUBLISHED


def stamp(obj, draft=None):
    """The version an edit form was made from: the live row's and the draft's save times.

    A save from a form whose stamp no longer matches would overwrite someone else's work.
    """
    row = obj.updated_at.isoformat() if obj.updated_at else ""
    return f"{row}|{draft.updated_at.isoformat() if draft else ''}"


def snapshot(post):
    """What an editor wrote in the edit form, as stored in a draft: {name: [values]}."""
    return {name: post.getlist(name) for name in post if name not in NOT_CONTENT}


def as_form_data(data):
    form_data = QueryDict(mutable=True)
    for name, values in data.items():
        form_data.setlist(name, values)
    return form_data


def may_publish_directly(user):
    """Whether `user` may publish without a review: only where the team allows self-approval."""
    return settings.EDITORIAL_SELF_APPROVAL and user.has_perm(APPROVE)


def may_approve(user, draft):
    """Whether `user` may approve (or send back) a draft in review: a second pair of eyes."""
    if draft is None or draft.state != Draft.State.IN_REVIEW or not user.has_perm(APPROVE):
        return False
    return settings.EDITORIAL_SELF_APPROVAL or draft.submitted_by_id != user.pk


def keep(obj, post, user, *, state=Draft.State.DRAFT, publish_at=None):
    """Stores the posted form as the item's draft, leaving its live version alone."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    draft, created = Draft.objects.get_or_create(
        content_type=content_type,
        object_id=obj.pk,
        defaults={"base_version": stamp(type(obj).objects.get(pk=obj.pk))},
    )
    draft.data, draft.state, draft.publish_at = snapshot(post), state, publish_at
    if getattr(user, "is_authenticated", False):
        # Whoever schedules changes approved them; they do not become their author.
        if state == Draft.State.SCHEDULED:
            draft.reviewer = user
        else:
            draft.author = user
    if state == Draft.State.IN_REVIEW:
        draft.submitted_by, draft.reviewer, draft.comment = draft.author, None, ""
    draft.save()
    return draft


def discard(obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
    Draft.objects.filter(content_type=content_type, object_id=obj.pk).delete()


def describe(obj, draft=None, publish_at=None):
    """The item's state as the admin lists it: live, draft, scheduled, with changes or not.

    `draft` is the item's Draft, or just its state (the list annotates it), with `publish_at`.
    """
    if isinstance(draft, Draft):
        draft, publish_at = draft.state, draft.publish_at
    if obj.status == Publishable.Status.DRAFT:
        state = "Draft (unpublished)" if obj.published_at else "Draft (never published)"
        return f"{state}, in review" if draft == Draft.State.IN_REVIEW else state
    if not obj.is_live:
        return f"Scheduled for {timezone.localtime(obj.published_at):%-d %b %Y %H:%M}"
    if draft == Draft.State.IN_REVIEW:
        return "Live, with changes in review"
    if draft == Draft.State.SCHEDULED and publish_at:
        return f"Live, changes scheduled for {timezone.localtime(publish_at):%-d %b %Y %H:%M}"
    if draft:
        return "Live, with unpublished changes"
    return "Live"


class ReplayRefused(Exception):
    """The draft no longer passes the edit form's checks (say a slug has since been taken)."""


def replay_request(user, data, *, publishing=True):
    """A request carrying a stored form, for the admin to save as if the editor had posted it.

    It counts as approved: whoever replays it (a reviewer, the scheduler) has the right.
    """
    request = HttpRequest()
    request.approved = True
    request.method = "POST"
    request.user = user
    request.POST = as_form_data(data)
    if publishing:
        request.POST[PUBLISH] = "Publish"
    request.FILES = MultiValueDict()
    return request


def publish(draft, user):
    """Applies a draft to the live item through its admin, in one transaction."""
    from django.contrib import admin
    from django.contrib.admin.helpers import AdminErrorList
    from django.forms.formsets import all_valid

    obj = draft.item
    model_admin = admin.site._registry[type(obj)]
    request = replay_request(user, draft.data)
    with transaction.atomic():
        form = model_admin.get_form(request, obj, change=True)(
            request.POST, request.FILES, instance=obj
        )
        formsets, _ = model_admin._create_formsets(request, obj, change=True)
        if not (form.is_valid() and all_valid(formsets)):
            raise ReplayRefused("; ".join(str(e) for e in AdminErrorList(form, formsets)))
        if user is not None and user.is_authenticated:
            obj._history_user = user
        new_object = model_admin.save_form(request, form, change=True)
        model_admin.save_model(request, new_object, form, change=True)
        model_admin.save_related(request, form, formsets, change=True)
        message = model_admin.construct_change_message(request, form, formsets)
        if user is not None and user.is_authenticated:
            model_admin.log_change(request, new_object, message)
    return new_object


def publish_due(now=None):
    """Publishes every scheduled draft whose time has come.

    Returns the items published, and (draft, reason) for each that no longer passes the
    edit form's checks: those stay scheduled, and the live version stays, until an
    editor fixes them.
    """
    now = now or timezone.now()
    published, refused = [], []
    for draft in Draft.objects.filter(state=Draft.State.SCHEDULED, publish_at__lte=now):
        if draft.item is None:
            draft.delete()
            continue
        try:
            published.append(publish(draft, draft.reviewer or draft.author))
        except ReplayRefused as error:
            refused.append((draft, str(error)))
    return published, refused
