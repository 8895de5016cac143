from django import forms
from django.contrib import admin

from embedded.admin import PublishableAdmin, PublishableChildrenInline
from toolkit.models import MAX_QUESTIONS, DesignTheme, DocumentTemplate, Framework


class QuestionsField(forms.CharField):
    """The theme's questions as a list, edited one question per line."""

    widget = forms.Textarea(attrs={"rows": MAX_QUESTIONS, "cols": 90})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = (line.strip() for line in (super().to_python(value) or "").splitlines())
        return [line for line in lines if line]


class DesignThemeForm(forms.ModelForm):
    questions = QuestionsField(
        required=True,
        help_text=DesignTheme._meta.get_field("questions").help_text,
    )

    class Meta:
        model = DesignTheme
        fields = [
            "framework", "group", "order", "title", "slug", "summary", "questions", "body",
            "related_parts", "related_case_studies", "status", "published_at",
            "last_reviewed", "next_review_due",
        ]  # fmt: skip


class DesignThemeInline(PublishableChildrenInline):
    """The framework's ten themes in the study's order."""

    model = DesignTheme
    fields = ["order", "title", "group", "status", "published_at", "next_review_due"]
    can_delete = False


@admin.register(Framework)
class FrameworkAdmin(PublishableAdmin):
    inlines = [DesignThemeInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body"]}),
        *PublishableAdmin.publishing_fieldsets,
    ]


@admin.register(DesignTheme)
class DesignThemeAdmin(PublishableAdmin):
    form = DesignThemeForm
    list_display = ["title", "group", "order", *PublishableAdmin.list_display[1:]]
    list_filter = ["group", *PublishableAdmin.list_filter]
    ordering = ["order"]
    autocomplete_fields = ["related_parts", "related_case_studies"]
    fieldsets = [
        (None, {"fields": ["framework", "group", "order", "title", "slug", "summary"]}),
        ("Reflective questions", {"fields": ["questions"]}),
        ("Page text", {"fields": ["body"]}),
        (
            "Related guidance and case studies",
            {"fields": ["related_parts", "related_case_studies"]},
        ),
        *PublishableAdmin.publishing_fieldsets,
    ]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(PublishableAdmin):
    list_display = ["title", "order", *PublishableAdmin.list_display[1:]]
    ordering = ["order"]
    fieldsets = PublishableAdmin.described_fieldsets(
        ["title", "slug", "order", "summary", "body"],
        "Write the template as readers will fill it in. Put each field to fill in within "
        "square brackets, such as [name of host organisation]: the page marks it and the Word "
        "download highlights it. The Word file is made from this text whenever someone "
        "downloads it.",
    )
