from django.contrib import admin

from casestudies.models import CaseStudy, Theme
from embedded.admin import PublishableAdmin


@admin.register(CaseStudy)
class CaseStudyAdmin(PublishableAdmin):
    list_display = ["title", "setting", "embedding_model", *PublishableAdmin.list_display[1:]]
    list_filter = [
        *PublishableAdmin.list_filter,
        "setting",
        "embedding_model",
        "region",
        "funding",
        "public_involvement",
        "themes",
    ]
    search_fields = [*PublishableAdmin.search_fields, "outcome", "key_lessons"]
    filter_horizontal = ["themes"]
    autocomplete_fields = ["related_parts"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        (
            "At a glance",
            {
                "fields": [
                    "setting",
                    "embedding_model",
                    "region",
                    "start_year",
                    "duration_months",
                    "funding",
                    "public_involvement",
                    "themes",
                    "outcome",
                ]
            },
        ),
        ("Lessons and related guidance", {"fields": ["key_lessons", "related_parts"]}),
        *PublishableAdmin.publishing_fieldsets,
    ]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
