"""Guides for each audience, in ordered parts, and role profiles.

A `Guide` is one audience's guidance (NHS organisations, researchers,
patients and the public); its body is a short introduction and its reading
matter lives in `GuidePart`s, kept in order. A `RoleProfile` is a job
description: its purpose and context, `Responsibility` items grouped by area,
`WorkingRelationship`s, and `Competency` items (each an attitude, skill or
knowledge, essential or desirable) that make up the person specification.
Parts and profile items can point at the guide part that explains them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from embedded.models import PlainText, Publishable, PublishableQuerySet


class Guide(Publishable):
    class Audience(models.TextChoices):
        NHS_ORGANISATIONS = "nhs-organisations", "NHS organisations"
        RESEARCHERS = "researchers", "Researchers"
        PUBLIC_INVOLVEMENT = "public-involvement", "Patients and the public"

    audience = models.CharField(
        max_length=30, choices=Audience.choices, help_text="Who this guide is written for."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="The guide's place in lists: lower numbers come first."
    )
    history = HistoricalRecords()

    READERS = {
        Audience.NHS_ORGANISATIONS: "For NHS organisations",
        Audience.RESEARCHERS: "For researchers",
        Audience.PUBLIC_INVOLVEMENT: "For patients, the public and the people who involve them",
    }

    class Meta:
        ordering = ["order", "title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="guide_unique_slug")]

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


class GuidePartQuerySet(PublishableQuerySet):
    def published(self):
        """Live parts of live guides: a part of a draft or scheduled guide is not public."""
        guide_is_live = Guide.objects.published().filter(pk=models.OuterRef("guide"))
        return super().published().filter(models.Exists(guide_is_live))

    def previewed_with(self):
        return [GuidePart, Guide]


class GuidePart(Publishable):
    guide = models.ForeignKey(
        Guide,
        on_delete=models.CASCADE,
        related_name="parts",
        help_text="The guide this part belongs to.",
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="The part's place in the guide: lower numbers come first."
    )
    related_parts = models.ManyToManyField(
        "self",
        blank=True,
        help_text="Other parts a reader of this one may want next (shown beside it).",
    )
    history = HistoricalRecords()

    objects = GuidePartQuerySet.as_manager()

    class Meta:
        ordering = ["guide__order", "order", "pk"]
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
    purpose = models.TextField(
        help_text="One paragraph on why the post exists. Plain text, shown first."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="roleprofile_unique_slug")]

    def get_absolute_url(self):
        return reverse("guidance:role", args=[self.slug])

    def public_paths(self):
        names = ["role", "role_job_description", "role_build", "role_self_assessment"]
        return [reverse(f"guidance:{name}", args=[self.slug]) for name in names]


class ProfileItem(PlainText):
    """Something a role profile lists, in order, optionally explained by a guide part."""

    profile = models.ForeignKey(
        RoleProfile, on_delete=models.CASCADE, help_text="The role profile this belongs to."
    )
    order = models.PositiveSmallIntegerField(
        default=0, help_text="Its place in the list: lower numbers come first."
    )
    guide_part = models.ForeignKey(
        GuidePart,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The part of the guidance that explains or helps develop this.",
    )

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


class Responsibility(ProfileItem):
    area = models.CharField(max_length=100, help_text="The group it belongs to, e.g. Research.")
    text = models.TextField(max_length=500, help_text="One sentence, starting with a verb.")
    history = HistoricalRecords()

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
    history = HistoricalRecords()

    class Meta(ProfileItem.Meta):
        default_related_name = "working_relationships"

    def __str__(self):
        return self.who


class Competency(ProfileItem):
    class Kind(models.TextChoices):
        ATTITUDE = "attitude", "Attitude"
        SKILL = "skill", "Skill"
        KNOWLEDGE = "knowledge", "Knowledge"

    class Requirement(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        DESIRABLE = "desirable", "Desirable"

    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        help_text="Whether this is an attitude, a skill or knowledge.",
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
    history = HistoricalRecords()

    class Meta(ProfileItem.Meta):
        default_related_name = "competencies"
        verbose_name_plural = "competencies"

    def __str__(self):
        return self.name
