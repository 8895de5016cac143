from django import forms
from django.core import signing

from embedded.models import Feedback
from embedded.plaintext import strip_unprintable


class ReaderTextField(forms.CharField):
    """Text from a reader: control characters are dropped before anything else looks at it."""

    def to_python(self, value):
        return super().to_python(strip_unprintable(value) if isinstance(value, str) else value)


COMMENT_HINT = "Do not include personal information, such as your name or health details."
COMMENT_ERRORS = {"max_length": "Your comment must be 500 characters or fewer"}


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
        help_text=COMMENT_HINT,
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=COMMENT_ERRORS,
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


class FeedbackCommentForm(forms.Form):
    """The second step: a comment added to the answer just given, which the token names.

    The token is signed and lasts an hour, so a comment can be added only to
    one's own answer, once, and only soon after giving it.
    """

    SALT = "embedded.feedback-comment"
    MAX_AGE = 60 * 60

    answer = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label="How could we improve this page? (optional)",
        help_text=f"{COMMENT_HINT} We cannot reply to comments.",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=COMMENT_ERRORS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        token = self.data.get("answer") if self.is_bound else self.initial.get("answer")
        self.feedback = self.answer_for(token or "")
        if self.feedback is not None and self.feedback.helpful:
            self.fields["comment"].label = "Is there anything we could do better? (optional)"

    @classmethod
    def token_for(cls, answer):
        return signing.dumps(answer.pk, salt=cls.SALT)

    @classmethod
    def answer_for(cls, token):
        """The answer a token names, or None if it is forged, expired or names nothing."""
        try:
            pk = signing.loads(token, salt=cls.SALT, max_age=cls.MAX_AGE)
        except signing.BadSignature:
            return None
        return Feedback.objects.filter(pk=pk).first() if isinstance(pk, int) else None

    def clean_answer(self):
        if self.feedback is None:
            raise forms.ValidationError(
                "This form has expired. Go back to the page to answer again."
            )
        return self.feedback

    def save(self):
        """Adds the comment, unless the answer already has one."""
        comment = self.cleaned_data["comment"].strip()
        if comment:
            Feedback.objects.filter(pk=self.feedback.pk, comment="").update(comment=comment)
