"""A reader's plan: their answers under each theme, and what those answers suggest.

What the answers suggest is worked out here, from the content's own links and
the case studies' facets, never from fixed lists of pages: the guide parts to
read next (those linked to the themes, the themes with questions still open
first), the case studies that made similar choices, and the questions left
unanswered.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from casestudies.models import CaseStudy
from toolkit import choices
from toolkit.models import GROUP_QUESTIONS, Group

MAX_READING = 8
MAX_SIMILAR = 4


@dataclass
class ThemePlan:
    theme: object
    answers: list  # (number, question, answer or "")
    choices: list  # (question, [chosen option labels])

    @property
    def unanswered(self):
        return [(number, question) for number, question, answer in self.answers if not answer]

    @property
    def answered_count(self):
        return len(self.answers) - len(self.unanswered)


@dataclass
class GroupPlan:
    value: str
    label: str
    asks: str
    themes: list


@dataclass
class Suggestion:
    """Something to read, and why: the themes or choices it relates to."""

    item: object
    reasons: list = field(default_factory=list)


class Plan:
    def __init__(self, progress, case_studies=(), today=None):
        """What the reading list needs (`reading`) is worked out only when asked for: for
        that, `progress.themes` must have their related parts prefetched (with their guides).
        """
        self.progress = progress
        self.organisation = progress.organisation_name
        self.made_on = today or datetime.date.today()
        self.organisation_facts = [
            (choice.label, choice.labels_of(progress.organisation.get(choice.name)))
            for choice in choices.ORGANISATION
        ]
        self.groups = [
            GroupPlan(group.value, group.label, GROUP_QUESTIONS[group], themes)
            for group in Group
            if (themes := [self._theme_plan(t) for t in progress.themes_of(group.value)])
        ]
        self.case_studies = case_studies

    @property
    def title(self):
        return f"Embedded research plan for {self.organisation}"

    @property
    def themes(self):
        return [theme for group in self.groups for theme in group.themes]

    @property
    def unanswered(self):
        return [theme for theme in self.themes if theme.unanswered]

    def _theme_plan(self, theme):
        stored = self.progress.theme_answers(theme)
        given = stored.get("answers", [])
        answers = [
            (number, question, given[number - 1] if number <= len(given) else "")
            for number, question in enumerate(theme.questions, start=1)
        ]
        picked = stored.get("choices", {})
        chosen = [
            (choice.label, choice.labels_of(picked.get(choice.name)))
            for choice in choices.for_theme(theme.slug)
        ]
        return ThemePlan(theme, answers, chosen)

    @cached_property
    def reading(self):
        """Guide parts linked to the themes: those for themes with open questions first."""
        suggestions = {}
        for theme_plan in sorted(self.themes, key=lambda t: (-len(t.unanswered), t.theme.order)):
            for part in theme_plan.theme.related_parts.all():  # prefetched, published only
                suggestion = suggestions.setdefault(part.pk, Suggestion(part))
                suggestion.reasons.append(theme_plan.theme.title)
        return list(suggestions.values())[:MAX_READING]

    @cached_property
    def similar(self):
        """Case studies sharing the most choices with this plan (at least one)."""
        organisation = self.progress.organisation
        theme_choices = {}
        for theme in self.progress.themes:
            theme_choices.update(self.progress.theme_answers(theme).get("choices", {}))
        scored = []
        for study in self.case_studies:
            reasons = []
            if organisation.get("setting") == study.setting:
                reasons.append(f"Same kind of organisation: {study.get_setting_display()}")
            if organisation.get("model") == study.embedding_model:
                reasons.append(f"Same model: {study.get_embedding_model_display()}")
            if organisation.get("funding") == study.funding:
                reasons.append(f"Same funding: {study.get_funding_display().lower()}")
            involvement = theme_choices.get("public_involvement")
            if involvement in {"scheme", "projects"} and involvement == study.public_involvement:
                label = study.get_public_involvement_display().lower()
                reasons.append(f"Public involvement {label}")
            months = choices.TIMESCALE_MONTHS.get(theme_choices.get("timescale"))
            if months and study.duration_months in months:
                reasons.append(f"A similar length: {study.duration_text.lower()}")
            if reasons:
                scored.append(Suggestion(study, reasons))
        scored.sort(key=lambda s: (-len(s.reasons), s.item.title))
        return scored[:MAX_SIMILAR]


def case_studies_to_compare():
    return CaseStudy.objects.published().only(
        "title", "slug", "summary", "setting", "embedding_model", "funding",
        "public_involvement", "duration_months",
    )  # fmt: skip
