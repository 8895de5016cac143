from django import forms

from embedded.models import Feedback
from embedded.plaintext import strip_unprintable


class ReaderTextField(forms.CharField):
    """Text from a reader: control characters are dropped before anything else looks at it."""

    def to_python(self, value):
        return super().to_python(strip_unprintable(value) if isinstance(value, str) else value)


class FeedbackForm(forms.Form):
    """'Was this page helpful?': a yes or no, and an optional comment. No personal data."""

    helpful = forms.TypedChoiceField(
        label="Was this page helpful?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if this page was helpful, or no if it was not"},
    )
    comment = ReaderTextField(
        label="How could we improve this page? (optional)",
        help_text="Do not include personal information, such as your name or health details.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Your comment must be 500 characters or fewer"},
    )
    # A field people never see: only a robot fills it in.
    website = ReaderTextField(required=False, label="Leave this field empty")

    def is_spam(self):
        return bool(self.cleaned_data.get("website"))

    def save(self, path):
        return Feedback.objects.create(
            path=path[:300],
            helpful=self.cleaned_data["helpful"],
            comment=self.cleaned_data["comment"].strip(),
        )
