"""The study's framework as pages, and the templates an organisation can download.

The `Framework` is the introduction served at /framework/; its body says what
the framework is for and where it came from. Each of its ten `DesignTheme`s
belongs to one of three groups (intent, structure, process), carries the
reflective questions the planner asks, and links to the guide parts and case
studies that illustrate it. A `DocumentTemplate` is a fill-in document (heads
of terms, an induction plan...) shown as a page and downloaded as Word; its
fill-in fields are written in square brackets.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from embedded.models import ChildQuerySet, Publishable, parent_link, related_content, text_choices

MAX_QUESTIONS = 8
MAX_QUESTION_LENGTH = 300
# Addresses under /framework/ that are not themes.
RESERVED_SLUGS = {"plan", "templates"}


class Framework(Publishable):
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["pk"]

    def get_absolute_url(self):
        return reverse("toolkit:framework")


Group = text_choices("Group", {"intent": "Intent", "structure": "Structure", "process": "Process"})


GROUP_QUESTIONS = {
    Group.INTENT: "What the scheme is for, and who shapes it",
    Group.STRUCTURE: "How the scheme is set up",
    Group.PROCESS: "How the work gets done, and how the scheme learns",
}


def validate_questions(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Write the questions as a list of plain sentences.")
    if not 1 <= len(value) <= MAX_QUESTIONS:
        raise ValidationError(f"Give between 1 and {MAX_QUESTIONS} questions.")
    for question in value:
        if not question.strip():
            raise ValidationError("A question is empty.")
        if len(question) > MAX_QUESTION_LENGTH:
            raise ValidationError(
                f"Keep each question to {MAX_QUESTION_LENGTH} characters or fewer."
            )


class DesignThemeQuerySet(ChildQuerySet):
    """Live themes of a live framework."""

    parent = "framework"


class DesignTheme(Publishable):
    """One of the framework's ten design themes: a page, and a set of questions to plan with."""

    framework = parent_link(Framework, "themes", "The framework this theme belongs to.")
    group = models.CharField(
        max_length=20,
        choices=Group.choices,
        help_text="Which of the framework's three groups the theme belongs to.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="The theme's place in the framework: 1 to 10, in the study's order."
    )
    questions = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_questions],
        help_text=(
            f"Reflective questions, one per line (up to {MAX_QUESTIONS}), in plain English. "
            "They appear on the theme's page and in the planner, numbered in this order."
        ),
    )
    related_parts = related_content(
        "guidance.GuidePart",
        "Guidance parts that help with this theme (shown on its page and in plans).",
        related_name="framework_themes",
    )
    related_case_studies = related_content(
        "casestudies.CaseStudy",
        "Case studies that show this theme at work.",
        related_name="framework_themes",
    )
    history = HistoricalRecords(m2m_fields=[related_parts, related_case_studies])

    objects = DesignThemeQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["order", "pk"]
        verbose_name = "framework theme"

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"“{self.slug}” is used by another page: choose another."}
            )

    def get_absolute_url(self):
        return reverse("toolkit:theme", args=[self.slug])

    @property
    def is_live(self):
        return super().is_live and self.framework.is_live

    @property
    def group_label(self):
        return Group(self.group).label

    @property
    def anchor(self):
        """Where the theme's questions start on a planner page."""
        return f"theme-{self.slug}"


class DocumentTemplate(Publishable):
    """A template an organisation fills in: a page, and the same text as a Word document."""

    order = models.PositiveSmallIntegerField(
        default=0, help_text="The template's place in the list: lower numbers come first."
    )
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["order", "title"]
        verbose_name = "template"

    def get_absolute_url(self):
        return reverse("toolkit:template", args=[self.slug])

    def get_word_url(self):
        return reverse("toolkit:template_word", args=[self.slug])

    def public_paths(self):
        return [self.get_absolute_url(), self.get_word_url()]

    @property
    def word_filename(self):
        return f"{self.slug}.docx"
