from django.contrib import admin

from embedded.admin import PublishableAdmin, PublishableChildrenInline
from guidance import models


class GuidePartInline(PublishableChildrenInline):
    """The guide's parts in reading order."""

    model = models.GuidePart
    fields = ["order", "title", "slug", "status", "published_at", "next_review_due"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(models.Guide)
class GuideAdmin(PublishableAdmin):
    list_display = ["title", "audience", "order", *PublishableAdmin.list_display[1:]]
    list_filter = ["audience", *PublishableAdmin.list_filter]
    inlines = [GuidePartInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "audience", "order", "summary", "body"]}),
        *PublishableAdmin.publishing_fieldsets,
    ]


@admin.register(models.GuidePart)
class GuidePartAdmin(PublishableAdmin):
    list_display = ["title", "guide", "order", *PublishableAdmin.list_display[1:]]
    list_filter = ["guide", *PublishableAdmin.list_filter]
    list_select_related = ["guide"]
    ordering = ["guide__order", "order"]
    autocomplete_fields = ["related_parts"]
    fieldsets = [
        (None, {"fields": ["guide", "order", "title", "slug", "summary", "body"]}),
        ("Related guidance", {"fields": ["related_parts"]}),
        *PublishableAdmin.publishing_fieldsets,
    ]


class ProfileItemInline(admin.TabularInline):
    extra = 0
    ordering = ["order"]
    autocomplete_fields = ["guide_part"]


class ResponsibilityInline(ProfileItemInline):
    model = models.Responsibility
    fields = ["order", "area", "text", "guide_part", "guide_anchor"]


class WorkingRelationshipInline(ProfileItemInline):
    model = models.WorkingRelationship
    fields = ["order", "who", "how", "guide_part", "guide_anchor"]


class CompetencyInline(ProfileItemInline):
    model = models.Competency
    fields = [
        "order",
        "section",
        "requirement",
        "name",
        "description",
        *models.Competency.ASSESSMENTS,
        "guide_part",
        "guide_anchor",
        "glossary_term",
    ]


@admin.register(models.RoleProfile)
class RoleProfileAdmin(PublishableAdmin):
    inlines = [ResponsibilityInline, WorkingRelationshipInline, CompetencyInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "job_title", "summary", "purpose", "body"]}),
        ("For readers of the website", {"fields": ["source"]}),
        *PublishableAdmin.publishing_fieldsets,
    ]
