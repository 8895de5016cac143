"""Illustrative case studies of the embedded role, described by the facets readers filter on.

A `CaseStudy` is a Publishable body (the context, what the role involved,
what changed, what was hard) plus its facets: setting, model of embedding,
region, start year and duration, funding, public involvement, and `Theme`s.
It links to the guide parts it illustrates; those parts list it back.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from embedded.models import PlainText, Publishable, related_content, text_choices


class Theme(PlainText):
    name = models.CharField(max_length=60, unique=True, help_text="A short topic, e.g. Evaluation.")
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used in filter addresses: lower-case, hyphens."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class CaseStudy(Publishable):
    """One scheme's story, and the facets readers filter it by. Each facet's options are a
    table of value → label: content files and filter addresses use the values, so a label
    may be reworded but a value stays."""

    Setting = text_choices(
        "Setting",
        {
            "acute-trust": "Acute trust",
            "mental-health-trust": "Mental health trust",
            "community-primary-care": "Community or primary care",
            "integrated-care-board": "Integrated care board",
            "local-authority-public-health": "Local authority public health",
            # Outside England the NHS is not organised in trusts and integrated care boards.
            "health-board": "Health board (Scotland or Wales)",
            "hsc-trust": "Health and social care trust (Northern Ireland)",
        },
    )
    EmbeddingModel = text_choices(
        "EmbeddingModel",
        {
            "researcher-in-residence": "Researcher in residence",
            "embedded-team": "Embedded research or evaluation team",
            # A joint post splits one job between two employers; a clinical-academic post
            # combines clinical work and research. A post can be both: choose what it is for.
            "joint-post": "Joint post",
            "clinical-academic-post": "Clinical-academic post",
            "research-practitioner": "Research practitioner",
        },
    )
    Region = text_choices(
        "Region",
        {
            "north-east-and-yorkshire": "North East and Yorkshire",
            "north-west": "North West",
            "midlands": "Midlands",
            "east-of-england": "East of England",
            "london": "London",
            "south-east": "South East",
            "south-west": "South West",
            "scotland": "Scotland",
            "wales": "Wales",
            "northern-ireland": "Northern Ireland",
        },
    )
    Funding = text_choices(
        "Funding",
        {
            "host-organisation": "The host organisation",
            "university": "A university",
            "research-funder": "A research funder",
            "joint": "The host and a university together",
            "charity": "A charity",
        },
    )
    Involvement = text_choices(
        "Involvement",
        {
            "scheme": "In the scheme itself",
            "projects": "In individual projects",
            "none": "Not yet",
        },
    )

    setting = models.CharField(
        max_length=40, choices=Setting.choices, help_text="Where the embedded role was based."
    )
    embedding_model = models.CharField(
        "model of embedding",
        max_length=40,
        choices=EmbeddingModel.choices,
        help_text=(
            "Which of the common models it followed. A joint post is split between two "
            "employers; a clinical-academic post combines clinical work and research."
        ),
    )
    region = models.CharField(
        max_length=40, choices=Region.choices, help_text="Where in the UK the role was based."
    )
    start_year = models.PositiveSmallIntegerField(help_text="The year the role began.")
    duration_months = models.PositiveSmallIntegerField(
        help_text="How long it ran, or has run so far, in months."
    )
    funding = models.CharField(max_length=40, choices=Funding.choices, help_text="Who paid for it.")
    public_involvement = models.CharField(
        max_length=20,
        choices=Involvement.choices,
        help_text="Whether patients and the public were involved, and at what level.",
    )
    themes = models.ManyToManyField(
        Theme,
        blank=True,
        related_name="case_studies",
        help_text="Topics readers can filter by. Add new themes under Case studies › Themes.",
    )
    outcome = models.CharField(max_length=300, help_text="One sentence: how it turned out.")
    key_lessons = models.TextField(
        help_text="One lesson per line, each a full sentence. Shown as a list."
    )
    related_parts = related_content(
        "guidance.GuidePart",
        "Guidance parts this case study illustrates; they will link back to it.",
        related_name="case_studies",
    )
    history = HistoricalRecords(m2m_fields=[themes, related_parts])

    class Meta(Publishable.Meta):
        verbose_name_plural = "case studies"

    def get_absolute_url(self):
        return reverse("casestudies:detail", args=[self.slug])

    # Sense checks on the facts an editor types: years and durations a real scheme could have.
    EARLIEST_YEAR = 1990
    LONGEST_MONTHS = 240
    FIRST_ICB_YEAR = 2022  # integrated care boards exist from 1 July 2022

    def clean(self):
        super().clean()
        errors = {}
        next_year = timezone.localdate().year + 1
        if self.start_year is not None and not self.EARLIEST_YEAR <= self.start_year <= next_year:
            errors["start_year"] = (
                f"Enter the year the role began, between {self.EARLIEST_YEAR} and {next_year}."
            )
        elif (
            self.setting == self.Setting.INTEGRATED_CARE_BOARD
            and self.start_year is not None
            and self.start_year < self.FIRST_ICB_YEAR
        ):
            errors["start_year"] = (
                "Integrated care boards exist from 1 July 2022, so a role in one cannot have "
                "begun earlier (before then, England had clinical commissioning groups)."
            )
        if (
            self.duration_months is not None
            and not 1 <= self.duration_months <= self.LONGEST_MONTHS
        ):
            errors["duration_months"] = (
                f"Enter how many months it ran, from 1 to {self.LONGEST_MONTHS} (20 years)."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def lessons(self):
        return [line.strip() for line in self.key_lessons.splitlines() if line.strip()]

    @property
    def duration_text(self):
        years, months = divmod(self.duration_months, 12)
        parts = []
        if years:
            parts.append(f"{years} year{'s' if years != 1 else ''}")
        if months:
            parts.append(f"{months} month{'s' if months != 1 else ''}")
        return " and ".join(parts) or "Less than a month"
