"""The editors' admin: the shared behaviour of every content type, and the site's own models.

`PublishableAdmin` gives each content type the same list columns, filters,
Markdown editor with live preview, live and draft versions side by side
(`embedded.drafts`), a reviewed action and revision history
(django-simple-history), so an editor learns one screen.
"""

import csv
import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import get_format
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from embedded import drafts, publishing_checks
from embedded.caching import content_version, mark_private
from embedded.changenotes_admin import ChangeNoteAdminMixin
from embedded.content import registry
from embedded.markdown import render
from embedded.models import (
    BestBet,
    Feedback,
    GlossaryTerm,
    Page,
    Publishable,
    Redirect,
    SynonymGroup,
)


class OptionsFilter(admin.SimpleListFilter):
    """A list filter whose `options` give each value its label and the rule it narrows the
    list by, side by side: {value: (label, function of the QuerySet)}."""

    options = {}

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _narrow) in self.options.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.options:
            return queryset
        _label, narrow = self.options[self.value()]
        return narrow(queryset)


def _due_soon(items):
    return items.due_for_review(within_days=30).exclude(pk__in=items.overdue_for_review())


def _not_due_soon(items):
    return items.exclude(pk__in=items.due_for_review(within_days=30))


class ReviewStateFilter(OptionsFilter):
    title = parameter_name = "review"
    options = {
        "overdue": ("Overdue for review", lambda items: items.overdue_for_review()),
        "soon": ("Due in the next 30 days", _due_soon),
        "ok": ("Not due yet", _not_due_soon),
    }


class VisibilityFilter(OptionsFilter):
    title = parameter_name = "visibility"
    options = {
        "live": ("Live", lambda items: items.published()),
        "changed": (
            "Live, with unpublished changes",
            lambda items: items.published().filter(draft_state__isnull=False),
        ),
        "scheduled": ("Scheduled", lambda items: items.scheduled()),
        "draft": ("Draft", lambda items: items.filter(status=Publishable.Status.DRAFT)),
    }


@admin.display(description="Status")
def visibility(obj):
    return drafts.describe(
        obj, getattr(obj, "draft_state", None), getattr(obj, "draft_publish_at", None)
    )


@admin.display(description="Next review due", ordering="next_review_due")
def review_due(obj):
    if obj.next_review_due and obj.next_review_due < timezone.localdate():
        return format_html(
            "<strong>{} (overdue)</strong>", obj.next_review_due.strftime("%-d %b %Y")
        )
    return obj.next_review_due.strftime("%-d %b %Y") if obj.next_review_due else "-"


CONFIRM = "publish_despite_problems"


def check_before_publishing(request, body, confirmed):
    """Refuses to publish a body with broken internal links, and asks before publishing one
    with other problems (missing images, placeholder alt text, skipped heading levels)."""
    found = publishing_checks.problems(body)
    blocking = [problem.message for problem in found if problem.blocks]
    if blocking:
        raise ValidationError(
            ["It cannot be published until these links are fixed:", *blocking], code="blocked"
        )
    if found and not confirmed:
        request._needs_confirmation = True
        raise ValidationError(
            [
                "Check these problems before publishing. To publish all the same, tick "
                "“Publish anyway” and publish again:",
                *(problem.message for problem in found),
            ],
            code="confirm",
        )


class PublishableChildrenInline(admin.TabularInline):
    """A publishable item's children (a guide's parts, a framework's themes) in their order:
    change `order` to move one.

    Each child's status and publication date show but cannot be changed here: publishing and
    unpublishing go through the child's own page (a review, a confirmation), which the change
    link opens. A subclass names the `model` and its `fields`.
    """

    readonly_fields = ["status", "published_at"]
    ordering = ["order"]
    extra = 0
    show_change_link = True


class PublishableAdmin(ChangeNoteAdminMixin, SimpleHistoryAdmin):
    """One edit screen for every kind: live and draft side by side (see `embedded.drafts`).

    The buttons are "Save draft" (a published item's readers keep its live version),
    "Preview", "Publish" (now, or at the date given: the live version stays until
    then) and "Unpublish" (after a confirmation naming the address readers lose).
    """

    list_display = ["title", visibility, "published_at", review_due, "updated_at"]
    list_filter = [VisibilityFilter, ReviewStateFilter]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    readonly_fields = ["status", "updated_at"]
    actions = ["publish_now", "mark_reviewed"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    history_list_display = ["status"]
    object_history_list_template = "admin/history_list.html"
    history_list_per_page = 20  # each version is compared with two others
    change_form_template = "admin/publishable/change_form.html"
    delete_confirmation_template = "admin/publishable/delete_confirmation.html"
    save_on_top = True
    publishing_fieldsets = [
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "updated_at"],
                "description": (
                    "“Save draft” keeps your changes private: readers go on seeing the "
                    "live version until you publish. Use “Preview” to see the draft as "
                    "readers will. To publish later, give a future date and choose "
                    "“Publish”: the live version stays until then."
                ),
            },
        ),
        (
            "Review",
            {
                "fields": ["last_reviewed", "next_review_due"],
                "description": "Check the content is still accurate by the review date.",
            },
        ),
    ]

    @staticmethod
    def described_fieldsets(fields, description):
        """The fieldsets of a kind edited as one block of fields under a note for the
        editor, then Publishing and Review."""
        main = (None, {"fields": fields, "description": description})
        return [main, *PublishableAdmin.publishing_fieldsets]

    def get_queryset(self, request):
        waiting = drafts.drafts_of(self.model).filter(object_id=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                draft_state=Subquery(waiting.values("state")[:1]),
                draft_publish_at=Subquery(waiting.values("publish_at")[:1]),
            )
        )

    def get_urls(self):
        meta = self.model._meta
        name = f"{meta.app_label}_{meta.model_name}"
        # An item's own pages besides Django's, each at <item>/<action>/.
        actions = {
            "unpublish": self.unpublish_view,
            "review": self.review_view,
            "reviewed": self.reviewed_view,
            "preview": self.preview_view,
        }
        own = [
            path(
                f"<path:object_id>/{action}/",
                self.admin_site.admin_view(view),
                name=f"{name}_{action}",
            )
            for action, view in actions.items()
        ]
        return [*own, *super().get_urls()]

    # The edit form: a published item's draft, if it has one, fills the form.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return super().change_view(request, object_id, form_url, extra_context)
        draft = drafts.draft_of(obj)
        if request.method == "POST":
            self._check_up_to_date(request, obj, draft)
        elif draft is not None and obj.status == Publishable.Status.PUBLISHED:
            request._draft_data = drafts.as_form_data(draft.data)
        context = {
            "base_version": drafts.stamp(obj, draft),
            "state": drafts.describe(obj, draft),
            "draft": draft,
            "live_url": obj.get_absolute_url() if obj.is_live else None,
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        draft = context.get("draft")
        context["may_publish"] = drafts.may_publish_directly(request.user)
        context["may_approve"] = drafts.may_approve(request.user, draft)
        body = (
            context["adminform"].form["body"].value()
            if "body" in context["adminform"].form.fields
            else None
        )
        context["publishing_problems"] = publishing_checks.problems(body or "")
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _check_up_to_date(self, request, obj, draft):
        """Refuses a save from a form made before someone else's save (see `get_form`)."""
        posted = request.POST.get(drafts.BASE_VERSION)
        if posted is None or posted == drafts.stamp(obj, draft):
            return
        meta = self.model._meta
        changed_draft = (
            draft is not None
            and draft.updated_at
            and f"|{draft.updated_at.isoformat()}" not in posted
        )
        if changed_draft:
            who, when = draft.author, draft.updated_at
            view, label = "preview", "See their unpublished changes"
        else:
            latest = obj.history.first() if hasattr(obj, "history") else None
            who, when = (latest.history_user if latest else None), obj.updated_at
            view, label = "history", "Compare the versions in the history"
        name = (who.get_full_name() or who.get_username()) if who else "Someone"
        compare = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])
        request._stale_refusal = (
            f"{name} saved changes to this page at {timezone.localtime(when):%-d %b %Y %H:%M} "
            "after you opened it. Nothing was saved, so their work is not lost: compare "
            "your text with theirs, then save again to keep yours."
        )
        messages.error(
            request, format_html('{} <a href="{}">{}</a>.', request._stale_refusal, compare, label)
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The model's form, filled from the draft on a GET, and holding back a save that is
        out of date, or a publication whose body fails its checks (`publishing_checks`)."""
        form = super().get_form(request, obj, change, **kwargs)
        draft_data = getattr(request, "_draft_data", None)
        refusal = getattr(request, "_stale_refusal", None)
        publishing = self._publishing(request)
        confirmed = getattr(request, "approved", False) or CONFIRM in request.POST

        class EditorialForm(form):
            def __init__(self, data=None, *args, **kwargs):
                super().__init__(draft_data if data is None else data, *args, **kwargs)

            def clean(self):
                cleaned = super().clean()
                if refusal:
                    raise ValidationError(refusal)
                if publishing and "body" in cleaned:
                    check_before_publishing(request, cleaned["body"], confirmed)
                return cleaned

        EditorialForm.__name__ = form.__name__
        return EditorialForm

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        draft_data = getattr(request, "_draft_data", None)
        # A draft made by reverting to an old version holds no owned rows: show the live ones.
        if draft_data is not None and f"{prefix}-TOTAL_FORMS" in draft_data:
            kwargs["data"] = draft_data
        return kwargs

    # Saving: where the form's changes go.

    def _publishing(self, request):
        """Whether this save publishes: an approved draft, or an editor allowed to self-approve."""
        if drafts.PUBLISH not in request.POST:
            return False
        return getattr(request, "approved", False) or drafts.may_publish_directly(request.user)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        posted = request.method == "POST" and drafts.PUBLISH in request.POST
        if posted and not self._publishing(request):
            raise PermissionDenied("Publishing needs another editor's approval.")
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        publishing = self._publishing(request)
        submitting = drafts.SUBMIT in request.POST and not publishing
        state = drafts.Draft.State.IN_REVIEW if submitting else drafts.Draft.State.DRAFT
        if change and drafts.is_published(obj):
            stored = type(obj).objects.get(pk=obj.pk)
            wanted, now = obj.published_at, timezone.now()
            if not publishing:
                self._keep_as_draft(request, obj, form, state)
                request._editorial = "submitted" if submitting else "draft kept"
                return
            if stored.is_live and wanted and wanted > now:
                self._keep_as_draft(request, obj, form, drafts.Draft.State.SCHEDULED, wanted)
                request._editorial = "changes scheduled"
                return
            if stored.is_live and not (wanted and wanted <= now):
                obj.published_at = stored.published_at
        obj.status = Publishable.Status.PUBLISHED if publishing else Publishable.Status.DRAFT
        # The one place a version is published; ChangeNoteAdminMixin.save_model, reached
        # through this call, records its change note (drafts record nothing).
        super().save_model(request, obj, form, change)
        if publishing:
            drafts.discard(obj)
            request._editorial = "published"
        elif submitting or drafts.draft_of(obj):
            # Never published: the row holds the work, and the draft its place in review.
            drafts.keep(obj, request.POST, request.user, state=state)
            request._editorial = "submitted" if submitting else "draft saved"
        else:
            request._editorial = "draft saved"

    def _keep_as_draft(self, request, obj, form, state, scheduled=None):
        drafts.keep(obj, request.POST, request.user, state=state, publish_at=scheduled)
        form.save_m2m = lambda: None  # the live item's tags wait too
        request._kept_apart = True  # and so do its owned rows (see save_related)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "_kept_apart", False):
            return
        super().save_related(request, form, formsets, change)

    def construct_change_message(self, request, form, formsets, add=False):
        # Kept apart, the owned rows were never saved, so there is nothing to count.
        if getattr(request, "_kept_apart", False):
            return [{"changed": {"fields": ["draft"]}}]
        return super().construct_change_message(request, form, formsets, add)

    def response_change(self, request, obj):
        outcome = getattr(request, "_editorial", None)
        if outcome is None or "_popup" in request.POST:
            return super().response_change(request, obj)
        match = request.resolver_match
        reverted = bool(match and match.url_name and match.url_name.endswith("_simple_history"))
        self.message_user(request, self._outcome_message(obj, outcome, reverted), messages.SUCCESS)
        meta = self.model._meta
        return redirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))

    def response_add(self, request, obj, post_url_continue=None):
        outcome = getattr(request, "_editorial", None)
        if outcome is None or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, self._outcome_message(obj, outcome), messages.SUCCESS)
        meta = self.model._meta
        return redirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))

    def _outcome_message(self, obj, outcome, reverted=False):
        if reverted and outcome in {"draft kept", "draft saved"}:
            return (
                "The old version is now a draft. What readers see has not changed: "
                "publish the draft to put the old version back on the site."
            )
        if outcome == "submitted":
            return (
                "Submitted for review. Another editor can now approve it, which publishes "
                "it, or send it back to you with a comment."
            )
        if outcome == "draft kept":
            return "Draft saved. Readers still see the live version until you publish your changes."
        if outcome == "changes scheduled":
            when = timezone.localtime(obj.published_at)
            return (
                f"Your changes will replace the live version on {when:%-d %B %Y at %H:%M}. "
                "Readers see the live version until then."
            )
        if outcome == "draft saved":
            return "Draft saved. Only editors can see it: use “Preview” to check it."
        if obj.is_live:
            return f"Published. Readers now see this version at {obj.get_absolute_url()}."
        when = timezone.localtime(obj.published_at)
        return f"Scheduled: it goes live on {when:%-d %B %Y at %H:%M}."

    # Unpublishing and previewing: each a page of its own.

    def _item(self, request, object_id, may):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not may(request, obj):
            raise PermissionDenied
        return obj

    def unpublish_view(self, request, object_id):
        obj = self._item(request, object_id, self.has_change_permission)
        meta = self.model._meta
        change_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        if obj.status != Publishable.Status.PUBLISHED:
            self.message_user(request, "This is not published.", messages.INFO)
            return redirect(change_url)
        if request.method == "POST":
            obj.status = Publishable.Status.DRAFT
            obj.save()
            self.log_change(request, obj, [{"changed": {"fields": ["status"]}}])
            address = request.build_absolute_uri(obj.get_absolute_url())
            message = f"Unpublished. Readers can no longer open {address}."
            self.message_user(request, message, messages.SUCCESS)
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Unpublish “{obj}”?",
            "object": obj,
            "opts": meta,
            "addresses": [request.build_absolute_uri(p) for p in obj.public_paths()],
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/publishable/unpublish.html", context)

    @method_decorator(require_POST)
    def review_view(self, request, object_id):
        """Another editor's decision on changes in review: approve (publish) or send back."""
        obj = self._item(request, object_id, self.has_change_permission)
        draft = drafts.draft_of(obj)
        if not drafts.may_approve(request.user, draft):
            raise PermissionDenied("Only another editor may review these changes.")
        meta = self.model._meta
        change_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        if request.POST.get("decision") == "send_back":
            comment = request.POST.get("review_comment", "").strip()
            if not comment:
                self.message_user(
                    request,
                    "Say what needs changing in the comment box, then send it back again.",
                    messages.ERROR,
                )
                return redirect(change_url)
            draft.state, draft.reviewer, draft.comment = (
                drafts.Draft.State.DRAFT,
                request.user,
                comment,
            )
            draft.save()
            self.message_user(
                request, "Sent back to its author with your comment.", messages.SUCCESS
            )
            return redirect(change_url)
        try:
            item = drafts.publish(draft, request.user)
        except drafts.ReplayRefused as error:
            self.message_user(request, f"Not published: {error}", messages.ERROR)
            return redirect(change_url)
        outcome = "changes scheduled" if drafts.draft_of(item) else "published"
        self.message_user(
            request, "Approved. " + self._outcome_message(item, outcome), messages.SUCCESS
        )
        return redirect(change_url)

    @method_decorator(require_POST)
    def reviewed_view(self, request, object_id):
        """Records a review today, on the live item itself: it changes no text readers see
        beyond the review dates, so it needs no draft or approval."""
        obj = self._item(request, object_id, self.has_change_permission)
        obj.mark_reviewed()
        obj.save(update_fields=["last_reviewed", "next_review_due", "updated_at"])
        self.log_change(
            request, obj, [{"changed": {"fields": ["last_reviewed", "next_review_due"]}}]
        )
        if draft := drafts.draft_of(obj):  # so publishing it later keeps the new dates
            written = get_format("DATE_INPUT_FORMATS")[0]
            for name in ("last_reviewed", "next_review_due"):
                draft.data[name] = [getattr(obj, name).strftime(written)]
            draft.save(update_fields=["data"])
        next_due = obj.next_review_due.strftime("%-d %B %Y")
        self.message_user(
            request,
            f"Marked as reviewed today. The next review is due on {next_due}.",
            messages.SUCCESS,
        )
        meta = self.model._meta
        return redirect(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))

    def preview_view(self, request, object_id):
        """The item as it would read once its draft is published, in the site's own style."""
        obj = self._item(request, object_id, self.has_view_or_change_permission)
        draft = drafts.draft_of(obj) if obj.status == Publishable.Status.PUBLISHED else None
        if draft is not None:
            form = self.get_form(request, obj, change=True)(
                drafts.as_form_data(draft.data), instance=obj
            )
            if form.is_valid():
                obj = form.save(commit=False)
        rendered = render(obj.body)
        context = {
            "preview": obj,
            "body_html": rendered.html,
            "section_headings": [h for h in rendered.contents if h["level"] == 2],
            "state": drafts.describe(obj, draft),
            "has_changes": draft is not None or not obj.is_live,
            "noindex": True,
        }
        return mark_private(TemplateResponse(request, "admin/publishable/preview.html", context))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting saves the page: only for editors who may change it."""
        obj = self.get_object(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["title"]}

    @admin.action(
        description="Publish the selected items now (with any unpublished changes)",
        permissions=["change"],
    )
    def publish_now(self, request, queryset):
        if not drafts.may_publish_directly(request.user):
            message = (
                "Publishing needs another editor's review: open each item and choose "
                "“Submit for review”."
            )
            self.message_user(request, message, messages.ERROR)
            return
        now = timezone.now()
        published, refused = 0, []
        for obj in queryset:
            draft = drafts.draft_of(obj)
            if draft is not None and obj.status == Publishable.Status.PUBLISHED:
                try:
                    drafts.publish(draft, request.user)
                except drafts.ReplayRefused as error:
                    refused.append(f"{obj}: {error}")
                    continue
            else:
                obj.status = Publishable.Status.PUBLISHED
                obj.published_at = min(obj.published_at or now, now)
                obj.save()
            published += 1
        self.message_user(request, f"Published {published} item(s).", messages.SUCCESS)
        for problem in refused:
            self.message_user(request, f"Not published: {problem}", messages.ERROR)

    @admin.action(description="Mark the selected items as reviewed today", permissions=["change"])
    def mark_reviewed(self, request, queryset):
        for obj in queryset:
            obj.mark_reviewed()
            obj.save()
        message = f"Marked {queryset.count()} item(s) as reviewed today."
        self.message_user(request, message, messages.SUCCESS)


@admin.register(Page)
class PageAdmin(PublishableAdmin):
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        *PublishableAdmin.publishing_fieldsets,
    ]


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(PublishableAdmin):
    """A term's first use on every page links to its entry; saving it updates those links."""

    list_display = ["title", "also_matches", visibility, review_due, "updated_at"]
    search_fields = ["title", "also_matches", "summary", "body"]
    fieldsets = PublishableAdmin.described_fieldsets(
        ["title", "slug", "summary", "also_matches", "body"],
        "The title is the term as readers see it. Write one to three short paragraphs, "
        "without headings. Pages link the first use of the title and of every other form listed.",
    )


SYNONYMS_HELP = (
    "List every word or phrase readers might type for this one thing, one per line, "
    "including abbreviations. A search for any of them finds pages that use any other, "
    "as soon as you save. The body is a note for editors."
)


@admin.register(SynonymGroup)
class SynonymGroupAdmin(PublishableAdmin):
    """Words that mean the same to search: a search for one finds pages that use another."""

    list_display = ["title", "terms", visibility, review_due, "updated_at"]
    search_fields = ["title", "terms", "summary"]
    fieldsets = PublishableAdmin.described_fieldsets(
        ["title", "slug", "summary", "terms", "body"], SYNONYMS_HELP
    )


@admin.register(BestBet)
class BestBetAdmin(admin.ModelAdmin):
    """Pins a page to the top of the results for one search."""

    list_display = ["query", "url"]
    search_fields = ["query", "url"]


def page_titles():
    """{address: title} of every item's page, worked out once per content version."""
    key = f"admin:page-titles:{content_version()}"
    titles = cache.get(key)
    if titles is None:
        titles = {}
        for model in registry.models:
            for item in model.objects.all():
                for address in item.public_paths():
                    titles.setdefault(address.partition("#")[0], item.title)
        cache.set(key, titles, 24 * 60 * 60)
    return titles


@admin.display(description="Page", ordering="path")
def feedback_page(answer):
    title = page_titles().get(answer.path)
    if title:
        return format_html(
            '<a href="{}">{}</a><br><small>{}</small>', answer.path, title, answer.path
        )
    return answer.path


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", feedback_page, "helpful", "comment"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["path", "comment"]
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    readonly_fields = ["path", "helpful", "comment", "created_at"]
    change_list_template = "admin/embedded/feedback/change_list.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        export_all = path(
            "export/",
            self.admin_site.admin_view(self.export_all_view),
            name="embedded_feedback_export",
        )
        return [export_all, *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        """The answers, with each page's totals above them (most "No" answers first)."""
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            totals = (
                changelist.queryset.order_by()
                .values("path")
                .annotate(
                    yes=Count("pk", filter=Q(helpful=True)),
                    no=Count("pk", filter=Q(helpful=False)),
                )
                .order_by("-no", "-yes", "path")
            )
            titles = page_titles()
            response.context_data["per_page"] = [
                {**row, "title": titles.get(row["path"])} for row in totals[:50]
            ]
        return response

    def export_all_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return self.export_csv(request, Feedback.objects.all())

    @admin.action(description="Download the selected answers as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = datetime.date.today().isoformat()
        response["Content-Disposition"] = f'attachment; filename="feedback-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(["date", "page", "title", "helpful", "comment"])
        titles = page_titles()
        for answer in queryset.order_by("created_at"):
            comment = answer.comment
            # Spreadsheets run cells that start with these as formulas.
            if comment[:1] in {"=", "+", "-", "@"}:
                comment = "'" + comment
            writer.writerow(
                [
                    answer.created_at.isoformat(),
                    answer.path,
                    titles.get(answer.path, ""),
                    "yes" if answer.helpful else "no",
                    comment,
                ]
            )
        return mark_private(response)


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]
