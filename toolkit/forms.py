"""The planner's forms: one for the organisation, and one per theme, gathered per step.

A step of the planner is a group of the framework (intent, structure,
process): a formset of `ThemeForm`s, one for each of the group's themes,
whose number and order come from the content, not from the request, so
there is no management form to tamper with. Every answer a reader gives, or
a file or hidden field brings back, passes through these forms, so one set
of rules decides what is acceptable: lengths, characters, and choices from
the lists in `toolkit.choices`.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import ManagementForm
from django.utils.datastructures import MultiValueDict
from django.utils.functional import cached_property

from toolkit import choices

MAX_ANSWER_LENGTH = 1200
MAX_NAME_LENGTH = 150
# Characters no one types on purpose, and a Word file cannot hold: control
# characters (other than tab and line breaks), lone surrogates, non-characters.
UNWANTED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _no_unwanted_characters(value, called):
    if UNWANTED.search(value):
        raise ValidationError(
            f"{called} contains characters that cannot be used, such as control characters. "
            "Remove them and try again",
            code="unwanted",
        )


class AnswerField(forms.CharField):
    """Free text, kept as typed (line breaks too) but for unwanted characters, which are refused."""

    def __init__(self, *, label, called, max_length=MAX_ANSWER_LENGTH, textarea=True, **kwargs):
        self.called = called
        messages = {
            "max_length": f"{called} must be {max_length:,} characters or fewer",
            "null_characters_not_allowed": f"{called} contains characters that cannot be used",
            **kwargs.pop("error_messages", {}),
        }
        kwargs.setdefault("required", False)
        widget = forms.Textarea(attrs={"rows": 4}) if textarea else forms.TextInput
        super().__init__(
            label=label, max_length=max_length, error_messages=messages, widget=widget, **kwargs
        )

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        _no_unwanted_characters(value, self.called)
        super().validate(value)


def choice_field(choice, called):
    """Radios for one answer; checkboxes for several, with the hint GOV.UK gives them."""
    message = f"Choose {'from' if choice.multiple else 'one of'} the answers listed for: {called}"
    kind = forms.MultipleChoiceField if choice.multiple else forms.ChoiceField
    widget = forms.CheckboxSelectMultiple if choice.multiple else forms.RadioSelect
    return kind(
        label=choice.label,
        choices=choice.options,
        required=False,
        widget=widget,
        help_text=choice.hint or ("Select all that apply." if choice.multiple else ""),
        error_messages={"invalid_choice": message, "invalid_list": message},
    )


class StoredAnswersMixin:
    """Turns a form's answers into plain data to carry between steps, and back."""

    def stored(self):
        """The cleaned answers as plain data: call only when the form is valid."""
        raise NotImplementedError

    @classmethod
    def data_from(cls, stored, prefix):
        """Form data for `stored`, as a browser would send it (lists for multiple choices)."""
        data = MultiValueDict()
        for name, value in stored.items():
            data.setlist(f"{prefix}-{name}", value if isinstance(value, list) else [value])
        return data


class OrganisationForm(StoredAnswersMixin, forms.Form):
    prefix = "organisation"

    name = AnswerField(
        label="What is your organisation called?",
        called="Your organisation's name",
        max_length=MAX_NAME_LENGTH,
        textarea=False,
        required=True,
        help_text="It is used as the title of your plan.",
        error_messages={"required": "Enter the name of your organisation"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for choice in choices.ORGANISATION:
            self.fields[choice.name] = choice_field(choice, called=choice.label)

    def stored(self):
        return {name: value for name, value in self.cleaned_data.items() if value}

    def choices(self):
        return [self[choice.name] for choice in choices.ORGANISATION]


class ThemeForm(StoredAnswersMixin, forms.Form):
    """A theme's reflective questions, each with a free-text answer, and its structured choices."""

    def __init__(self, *args, theme, **kwargs):
        kwargs.setdefault("prefix", theme.slug)
        super().__init__(*args, **kwargs)
        self.theme = theme
        name = theme.title[:1].lower() + theme.title[1:]
        for number, question in enumerate(theme.questions, start=1):
            self.fields[f"answer_{number}"] = AnswerField(
                label=f"{number}. {question}", called=f"Your answer to question {number} on {name}"
            )
        for choice in choices.for_theme(theme.slug):
            self.fields[choice.name] = choice_field(choice, called=choice.label)

    def answer_fields(self):
        return [self[f"answer_{number}"] for number in range(1, len(self.theme.questions) + 1)]

    def choice_fields(self):
        return [self[choice.name] for choice in choices.for_theme(self.theme.slug)]

    def stored(self):
        data = self.cleaned_data
        answers = [data[f"answer_{n}"] for n in range(1, len(self.theme.questions) + 1)]
        while answers and not answers[-1]:
            answers.pop()
        picked = {c.name: data[c.name] for c in choices.for_theme(self.theme.slug) if data[c.name]}
        stored = {"answers": answers} if answers else {}
        return {**stored, **({"choices": picked} if picked else {})}

    @classmethod
    def fields_from(cls, stored):
        """A theme's stored answers as the form's own field names and values."""
        values = {f"answer_{n}": answer for n, answer in enumerate(stored.get("answers", []), 1)}
        return {**values, **stored.get("choices", {})}


class BaseThemeFormSet(forms.BaseFormSet):
    """The themes of one group, a form each, in the framework's order."""

    def __init__(self, data=None, *, themes, initial=None, **kwargs):
        self.themes = list(themes)
        super().__init__(data, prefix="themes", initial=initial, **kwargs)

    def total_form_count(self):
        return len(self.themes)

    def initial_form_count(self):
        return len(self.themes)

    def get_form_kwargs(self, index):
        return {"theme": self.themes[index], "prefix": self.themes[index].slug}

    @cached_property
    def management_form(self):
        """Fixed by the content: nothing in a request can change how many themes there are."""
        count = len(self.themes)
        values = {"TOTAL_FORMS": count, "INITIAL_FORMS": count, "MIN_NUM_FORMS": 0}
        values["MAX_NUM_FORMS"] = count
        form = ManagementForm(
            {f"{self.prefix}-{key}": value for key, value in values.items()},
            auto_id=self.auto_id,
            prefix=self.prefix,
            renderer=self.renderer,
        )
        form.full_clean()
        return form

    def stored(self):
        return {form.theme.slug: stored for form in self.forms if (stored := form.stored())}


ThemeFormSet = forms.formset_factory(
    ThemeForm, formset=BaseThemeFormSet, extra=0, max_num=100, absolute_max=100
)


def error_links(forms_):
    """[(message, "#field-id")] for every error, for the error summary."""
    links = []
    for form in forms_:
        for field in form:
            suffix = "_0" if field.widget_type in {"radioselect", "checkboxselectmultiple"} else ""
            links += [(error, f"#{field.auto_id}{suffix}") for error in field.errors]
    return links
