"""The admin's part in change notes: "major or minor change?" on every save of published content.

`ChangeNoteAdminMixin` is the one place the admin asks and records. Any flow
that publishes from the admin saves the object, then calls
`record_change_from(request, obj, form)` with the submitted form (or
`embedded.changenotes.record_change` directly when it has no form).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from embedded.changenotes import record_change
from embedded.content import registry
from embedded.models import MAJOR_NEEDS_A_NOTE, ChangeNote, Publishable

MAJOR, MINOR = "major", "minor"
CHANGE_FIELDS = ["change_type", "change_note"]


def _clean_change(form):
    cleaned = form.cleaned_data
    publishing = cleaned.get("status", Publishable.Status.PUBLISHED) == Publishable.Status.PUBLISHED
    if publishing and cleaned.get("change_type") == MAJOR and not cleaned.get("change_note"):
        form.add_error("change_note", MAJOR_NEEDS_A_NOTE)


class ChangeNoteAdminMixin:
    """For a Publishable's ModelAdmin: adds "Type of change" and "Change note" to the
    Publishing fieldset, insists on a note for a major change, and records the change
    (`record_change`) after a published item is saved. Drafts record nothing."""

    change_fieldset = "Publishing"

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form", self.form)
        note_field = ChangeNote._meta.get_field("note")
        kwargs["form"] = type(
            base.__name__,
            (base,),
            {
                "change_type": forms.ChoiceField(
                    label="Type of change",
                    choices=[
                        (MINOR, "Minor change: typos, formatting, links (not shown to readers)"),
                        (MAJOR, "Major change: readers should know (needs a change note)"),
                    ],
                    initial=MINOR,
                    required=False,
                    widget=forms.RadioSelect,
                    help_text=(
                        "Asked when you save published content. A major change shows as "
                        "“Last updated” on the page, with your note in its list of updates, "
                        "on What's new and in the feeds. Nothing is recorded for a draft."
                    ),
                ),
                "change_note": forms.CharField(
                    label="Change note",
                    max_length=note_field.max_length,
                    required=False,
                    widget=forms.TextInput(attrs={"class": "vTextField"}),
                    help_text=(
                        "For a major change: one line for readers saying what changed, "
                        "for example ‘Added a section on funding routes’."
                    ),
                ),
                "clean": _clean_with_change(base),
            },
        )
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [(name, dict(options)) for name, options in super().get_fieldsets(request, obj)]
        for name, options in fieldsets:
            if name == self.change_fieldset:
                options["fields"] = [*options["fields"], *CHANGE_FIELDS]
                return fieldsets
        return [*fieldsets, ("Change", {"fields": CHANGE_FIELDS})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self.record_change_from(request, obj, form)

    def record_change_from(self, request, obj, form):
        """Records the change the form describes, once `obj` is saved. A minor change
        that changed nothing is not recorded."""
        cleaned = getattr(form, "cleaned_data", {})
        major = cleaned.get("change_type") == MAJOR
        edited = [name for name in form.changed_data if name not in CHANGE_FIELDS]
        if major or edited:
            try:
                return record_change(
                    obj, major=major, note=cleaned.get("change_note", ""), author=request.user
                )
            except ValidationError:  # checked by the form already; never lose the save
                return None
        return None


def _clean_with_change(base):
    def clean(self):
        cleaned = base.clean(self)
        _clean_change(self)
        return cleaned

    return clean


class ChangedKindFilter(admin.SimpleListFilter):
    title = "type of content"
    parameter_name = "item_type"

    def lookups(self, request, model_admin):
        return [(kind.model._meta.label_lower, kind.plural) for kind in registry.kinds]

    def queryset(self, request, queryset):
        return queryset.filter(item_type=self.value()) if self.value() else queryset


@admin.register(ChangeNote)
class ChangeNoteAdmin(admin.ModelAdmin):
    """Every recorded change, to correct a note's wording or withdraw it. Changes are
    recorded by saving content, never added here."""

    list_display = ["made_at", "item", "major", "note", "author"]
    list_filter = ["major", ChangedKindFilter]
    search_fields = ["note"]
    date_hierarchy = "made_at"
    fields = ["item", "major", "note", "made_at", "author"]
    readonly_fields = ["item", "made_at", "author"]

    @admin.display(description="Changed item")
    def item(self, note):
        kind = registry.kind_of_label(note.item_type)
        found = kind and kind.model.objects.filter(pk=note.item_id).first()
        return f"{kind.name.capitalize()}: {found}" if found else "(deleted)"

    def has_add_permission(self, request):
        return False
