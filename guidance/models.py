"""Guides for each audience, in ordered parts, and role profiles.

A `Guide` is one audience's guidance (NHS organisations, researchers,
patients and the public); its body is a short introduction and its reading
matter lives in `GuidePart`s, kept in order. A `RoleProfile` is a job
description: its purpose and context, `Responsibility` items grouped by area,
`WorkingRelationship`s, and `Competency` items that make up the person
specification: each in a section (qualifications, experience, attitudes,
skills, knowledge), essential or desirable, with the ways it is assessed.
Parts and profile items can point at the guide part (and the heading in it)
that explains them; a criterion no part covers may point at a glossary term.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from embedded.models import (
    ChildQuerySet,
    GlossaryTerm,
    PlainText,
    Publishable,
    parent_link,
    related_content,
    text_choices,
)


class Guide(Publishable):
    Audience = text_choices(
        "Audience",
        {
            "nhs-organisations": "NHS organisations",
            "researchers": "Researchers",
            "public-involvement": "Patients and the public",
        },
    )
    # Who each audience's guide is for, as its caption says.
    READERS = {
        Audience.NHS_ORGANISATIONS: "For NHS organisations",
        Audience.RESEARCHERS: "For researchers",
        Audience.PUBLIC_INVOLVEMENT: "For patients, the public and the people who involve them",
    }

    audience = models.CharField(
        max_length=30, choices=Audience.choices, help_text="Who this guide is written for."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="The guide's place in lists: lower numbers come first."
    )
    history = HistoricalRecords()

    class Meta(Publishable.Meta):
        ordering = ["order", "title"]

    @property
    def readers(self):
        """Who the guide is for, as a caption: "For researchers"."""
        return self.READERS[self.audience]

    def get_absolute_url(self):
        return reverse("guidance:guide", args=[self.slug])

    def public_paths(self):
        paths = [self.get_absolute_url(), reverse("guidance:print", args=[self.slug])]
        paths.append(reverse("guidance:feed", args=[self.slug]))
        return paths + [part.get_absolute_url() for part in self.parts.order_by("pk")]


class GuidePartQuerySet(ChildQuerySet):
    """Live parts of live guides: a part of a draft or scheduled guide is not public."""

    parent = "guide"

    def previewed_with(self):
        return [GuidePart, Guide]


class GuidePart(Publishable):
    guide = parent_link(Guide, "parts", "The guide this part belongs to.")
    order = models.PositiveSmallIntegerField(
        default=0, help_text="The part's place in the guide: lower numbers come first."
    )
    related_parts = related_content(
        "self", "Other parts a reader of this one may want next (shown beside it)."
    )
    history = HistoricalRecords()

    objects = GuidePartQuerySet.as_manager()

    class Meta(Publishable.Meta):
        ordering = ["guide__order", "order", "pk"]
        # Unique within its guide, not site-wide: its address starts with the guide's.
        constraints = [
            models.UniqueConstraint(fields=["guide", "slug"], name="guidepart_unique_slug")
        ]

    # Addresses under a guide that are its own pages, not parts.
    RESERVED_SLUGS = ("print", "feed")

    def clean(self):
        super().clean()
        if self.slug in self.RESERVED_SLUGS:
            raise ValidationError(
                {"slug": f"A part cannot be called ‘{self.slug}’: the guide uses that address."}
            )

    def get_absolute_url(self):
        return reverse("guidance:part", args=[self.guide.slug, self.slug])

    @property
    def is_live(self):
        return super().is_live and self.guide.is_live

    @property
    def path(self):
        """How content files refer to this part: `guide/part`."""
        return f"{self.guide.slug}/{self.slug}"


class RoleProfile(Publishable):
    """A job description and person specification. Its `title` names the page (in search,
    menus and headings); its `job_title` is the post's, as a job description states it."""

    job_title = models.CharField(
        max_length=200,
        help_text="The post's title as a job description states it, e.g. Embedded researcher.",
    )
    purpose = models.TextField(
        help_text="One paragraph on why the post exists. Plain text, shown first."
    )
    source = models.TextField(
        blank=True,
        help_text=(
            "Where the profile comes from, for readers of the website: plain text, shown on "
            "the profile's page only, never in a job description."
        ),
    )
    history = HistoricalRecords()

    def get_absolute_url(self):
        return reverse("guidance:role", args=[self.slug])

    def public_paths(self):
        names = ["role", "role_job_description", "role_build", "role_self_assessment"]
        return [reverse(f"guidance:{name}", args=[self.slug]) for name in names]


def optional_link(model, help_text):
    """A profile item's pointer to what explains it: may be empty, and is emptied (never
    the item deleted) when what it points to goes."""
    return models.ForeignKey(
        model,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


class ProfileItem(PlainText):
    """Something a role profile lists, in order, optionally explained by a guide part."""

    profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, help_text="The role profile this belongs to."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Its place in the list: lower numbers come first."
    )
    guide_part = optional_link(
        GuidePart, "The part of the guidance that explains or helps develop this."
    )
    guide_anchor = models.SlugField(
        max_length=100,
        blank=True,
        help_text=(
            "The heading in that part which discusses this: the end of the heading's address "
            "after #, e.g. making-research-accessible. Blank links to the top of the part."
        ),
    )
    # Every kind of item keeps its own history, as the profile does.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class Responsibility(ProfileItem):
    area = models.CharField(max_length=100, help_text="The group it belongs to, e.g. Research.")
    text = models.TextField(max_length=500, help_text="One sentence, starting with a verb.")

    class Meta(ProfileItem.Meta):
        default_related_name = "responsibilities"
        verbose_name_plural = "responsibilities"

    def __str__(self):
        return self.text


class WorkingRelationship(ProfileItem):
    who = models.CharField(max_length=150, help_text="The person or group, e.g. Host sponsor.")
    how = models.TextField(
        max_length=500, help_text="One sentence on how the post works with them."
    )

    class Meta(ProfileItem.Meta):
        default_related_name = "working_relationships"

    def __str__(self):
        return self.who


class Competency(ProfileItem):
    """One criterion of the person specification."""

    # The person specification's sections, in the order HR lays them out.
    Section = text_choices(
        "Section",
        {
            "qualifications": "Qualifications",
            "experience": "Experience",
            "attitude": "Attitudes",
            "skill": "Skills",
            "knowledge": "Knowledge",
        },
    )

    # The sections a researcher rates themself against: qualifications and
    # experience are facts on a CV, not things to develop week by week.
    SELF_ASSESSED = [Section.ATTITUDE, Section.SKILL, Section.KNOWLEDGE]

    Requirement = text_choices("Requirement", {"essential": "Essential", "desirable": "Desirable"})

    # How a panel can tell whether a candidate meets a criterion: field name, label.
    ASSESSMENTS = {
        "assessed_at_application": "Application",
        "assessed_at_interview": "Interview",
        "assessed_by_presentation": "Presentation",
        "assessed_by_references": "References",
    }

    section = models.CharField(
        max_length=20,
        choices=Section.choices,
        help_text="The section of the person specification it belongs in.",
    )
    requirement = models.CharField(
        max_length=10,
        choices=Requirement.choices,
        help_text="Essential: needed from day one. Desirable: helps, or can be learned in post.",
    )
    name = models.CharField(max_length=100, help_text="A few words, e.g. Research methods.")
    description = models.TextField(
        max_length=500, help_text="One sentence, as the person specification should state it."
    )
    assessed_at_application = models.BooleanField(
        "application", default=False, help_text="Assessed from the application form or CV."
    )
    assessed_at_interview = models.BooleanField(
        "interview", default=False, help_text="Assessed at interview."
    )
    assessed_by_presentation = models.BooleanField(
        "presentation", default=False, help_text="Assessed through a presentation to the panel."
    )
    assessed_by_references = models.BooleanField(
        "references", default=False, help_text="Assessed from references."
    )
    glossary_term = optional_link(
        GlossaryTerm,
        "Where no guide part discusses this yet: the glossary entry that explains it.",
    )

    class Meta(ProfileItem.Meta):
        default_related_name = "competencies"
        verbose_name_plural = "competencies"

    def __str__(self):
        return self.name

    @property
    def assessed_by(self):
        """The ways it is assessed, as the person specification names them."""
        return [label for name, label in self.ASSESSMENTS.items() if getattr(self, name)]
