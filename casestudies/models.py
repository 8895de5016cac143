"""Illustrative case studies of the embedded role, described by the facets readers filter on.

A `CaseStudy` is a Publishable body (the context, what the role involved,
what changed, what was hard) plus its facets: setting, model of embedding,
region, start year and duration, funding, public involvement, and `Theme`s.
It links to the guide parts it illustrates; those parts list it back.
"""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from embedded.models import PlainText, Publishable


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
    class Setting(models.TextChoices):
        ACUTE_TRUST = "acute-trust", "Acute trust"
        MENTAL_HEALTH_TRUST = "mental-health-trust", "Mental health trust"
        COMMUNITY_PRIMARY_CARE = "community-primary-care", "Community or primary care"
        INTEGRATED_CARE_BOARD = "integrated-care-board", "Integrated care board"
        LOCAL_AUTHORITY = "local-authority-public-health", "Local authority public health"
        # Outside England the NHS is not organised in trusts and integrated care boards.
        HEALTH_BOARD = "health-board", "Health board (Scotland or Wales)"
        HSC_TRUST = "hsc-trust", "Health and social care trust (Northern Ireland)"

    class EmbeddingModel(models.TextChoices):
        RESEARCHER_IN_RESIDENCE = "researcher-in-residence", "Researcher in residence"
        EMBEDDED_TEAM = "embedded-team", "Embedded research or evaluation team"
        # A joint post splits one job between two employers; a clinical-academic post
        # combines clinical work and research. A post can be both: choose what it is for.
        JOINT_POST = "joint-post", "Joint post"
        CLINICAL_ACADEMIC_POST = "clinical-academic-post", "Clinical-academic post"
        RESEARCH_PRACTITIONER = "research-practitioner", "Research practitioner"

    class Region(models.TextChoices):
        NORTH_EAST_AND_YORKSHIRE = "north-east-and-yorkshire", "North East and Yorkshire"
        NORTH_WEST = "north-west", "North West"
        MIDLANDS = "midlands", "Midlands"
        EAST_OF_ENGLAND = "east-of-england", "East of England"
        LONDON = "london", "London"
        SOUTH_EAST = "south-east", "South East"
        SOUTH_WEST = "south-west", "South West"
        SCOTLAND = "scotland", "Scotland"
        WALES = "wales", "Wales"
        NORTHERN_IRELAND = "northern-ireland", "Northern Ireland"

    class Funding(models.TextChoices):
        HOST = "host-organisation", "The host organisation"
        UNIVERSITY = "university", "A university"
        RESEARCH_FUNDER = "research-funder", "A research funder"
        JOINT = "joint", "Jointly"
        CHARITY = "charity", "A charity"

    class Involvement(models.TextChoices):
        SCHEME = "scheme", "In the scheme itself"
        PROJECTS = "projects", "In individual projects"
        NONE = "none", "Not yet"

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
    related_parts = models.ManyToManyField(
        "guidance.GuidePart",
        blank=True,
        related_name="case_studies",
        help_text="Guidance parts this case study illustrates; they will link back to it.",
    )
    history = HistoricalRecords(m2m_fields=[themes, related_parts])

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"
        constraints = [models.UniqueConstraint(fields=["slug"], name="casestudy_unique_slug")]

    def get_absolute_url(self):
        return reverse("casestudies:detail", args=[self.slug])

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
