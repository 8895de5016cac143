"""The editors' admin: the shared behaviour of every content type, and the site's own models.

`PublishableAdmin` gives each content type the same list columns, filters,
Markdown editor with live preview, publish / unpublish / reviewed actions and
revision history (django-simple-history), so an editor learns one screen.
"""

import csv
import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget
from simple_history.admin import SimpleHistoryAdmin

from embedded.models import (
    BestBet,
    Feedback,
    GlossaryTerm,
    Page,
    Publishable,
    Redirect,
    SynonymGroup,
)


class ReviewStateFilter(admin.SimpleListFilter):
    title = "review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue for review"),
            ("soon", "Due in the next 30 days"),
            ("ok", "Not due yet"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.overdue_for_review()
        if self.value() == "soon":
            return queryset.due_for_review(within_days=30).exclude(
                pk__in=queryset.overdue_for_review()
            )
        if self.value() == "ok":
            return queryset.exclude(pk__in=queryset.due_for_review(within_days=30))
        return queryset


class VisibilityFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "visibility"

    def lookups(self, request, model_admin):
        return [("live", "Live"), ("scheduled", "Scheduled"), ("draft", "Draft")]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.published()
        if self.value() == "scheduled":
            return queryset.scheduled()
        if self.value() == "draft":
            return queryset.filter(status=Publishable.Status.DRAFT)
        return queryset


@admin.display(description="Status")
def visibility(obj):
    if obj.status == Publishable.Status.DRAFT:
        return "Draft"
    if not obj.is_live:
        return f"Scheduled for {timezone.localtime(obj.published_at):%-d %b %Y %H:%M}"
    return "Live"


@admin.display(description="Next review due", ordering="next_review_due")
def review_due(obj):
    if obj.next_review_due and obj.next_review_due < timezone.localdate():
        return format_html(
            "<strong>{} (overdue)</strong>", obj.next_review_due.strftime("%-d %b %Y")
        )
    return obj.next_review_due.strftime("%-d %b %Y") if obj.next_review_due else "-"


class PublishableAdmin(SimpleHistoryAdmin):
    list_display = ["title", visibility, "published_at", review_due, "updated_at"]
    list_filter = [VisibilityFilter, "status", ReviewStateFilter]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    readonly_fields = ["updated_at"]
    actions = ["publish_now", "unpublish", "mark_reviewed"]
    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}
    history_list_display = ["status"]
    object_history_list_template = "admin/history_list.html"
    save_on_top = True
    publishing_fieldsets = [
        (
            "Publishing",
            {
                "fields": ["status", "published_at", "updated_at"],
                "description": (
                    "Save as Draft to work privately; use “View on site” to preview it "
                    "exactly as readers will see it. Published content with a future date "
                    "goes live at that time."
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

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting saves the page: only for editors who may change it."""
        obj = self.get_object(request, object_id)
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else {"slug": ["title"]}

    @admin.action(description="Publish the selected items now", permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        for obj in queryset:
            obj.status, obj.published_at = (
                Publishable.Status.PUBLISHED,
                min(obj.published_at or now, now),
            )
            obj.save()
        self.message_user(request, f"Published {queryset.count()} item(s).", messages.SUCCESS)

    @admin.action(
        description="Unpublish the selected items (back to draft)", permissions=["change"]
    )
    def unpublish(self, request, queryset):
        for obj in queryset:
            obj.status = Publishable.Status.DRAFT
            obj.save()
        self.message_user(request, f"Unpublished {queryset.count()} item(s).", messages.SUCCESS)

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
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "summary", "also_matches", "body"],
                "description": (
                    "The title is the term as readers see it. Write one to three short "
                    "paragraphs, without headings. Pages link the first use of the title "
                    "and of every other form listed."
                ),
            },
        ),
        *PublishableAdmin.publishing_fieldsets,
    ]


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
    main = {"fields": ["title", "slug", "summary", "terms", "body"], "description": SYNONYMS_HELP}
    fieldsets = [(None, main), *PublishableAdmin.publishing_fieldsets]


@admin.register(BestBet)
class BestBetAdmin(admin.ModelAdmin):
    """Pins a page to the top of the results for one search."""

    list_display = ["query", "url"]
    search_fields = ["query", "url"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "path", "helpful", "comment"]
    list_filter = ["helpful", "created_at"]
    search_fields = ["path", "comment"]
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    readonly_fields = ["path", "helpful", "comment", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Download the selected answers as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = datetime.date.today().isoformat()
        response["Content-Disposition"] = f'attachment; filename="feedback-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(["date", "page", "helpful", "comment"])
        for answer in queryset.order_by("created_at"):
            comment = answer.comment
            # Spreadsheets run cells that start with these as formulas.
            if comment[:1] in {"=", "+", "-", "@"}:
                comment = "'" + comment
            writer.writerow(
                [
                    answer.created_at.isoformat(),
                    answer.path,
                    "yes" if answer.helpful else "no",
                    comment,
                ]
            )
        return response


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]
