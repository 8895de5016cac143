"""The role profile's two forms: the job description builder and the self-assessment.

Neither stores anything. Each is built from a role profile (with its items
prefetched), checks what was sent, and turns it into something to show once:
a tailored `JobDescription`, or a researcher's strengths and development areas.
"""

from dataclasses import dataclass

from django import forms

from embedded.plaintext import strip_unprintable
from guidance.models import Competency
from guidance.wordfile import (
    DETAIL_LABELS,
    OTHER_AREA,
    Area,
    Criterion,
    JobDescription,
    areas_of,
    by_kind,
)

ADDED_SLOTS = 5
NAME_LENGTH = 200
TEXT_LENGTH = 500
CRITERION_PARTS = ("name", "description", "kind", "requirement")


class PlainTextField(forms.CharField):
    """One line of plain text, with a length limit and messages that name the field.

    Control characters are dropped and runs of spaces and line breaks become
    one space, so whatever arrives can go into a web page and a Word file.
    """

    def __init__(self, *, label, max_length, called=None, required_message=None, **kwargs):
        called = called or label
        messages = {"max_length": f"{called} must be {max_length} characters or fewer"}
        if required_message:
            messages["required"] = required_message
        kwargs.setdefault("required", False)
        super().__init__(label=label, max_length=max_length, error_messages=messages, **kwargs)

    def to_python(self, value):
        return " ".join(strip_unprintable(super().to_python(value)).split())


def _choices_message(message):
    return {"invalid_choice": message, "invalid_list": message, "required": message}


class HiddenAnswersMixin:
    def hidden_values(self):
        """What was sent, as name and value pairs, for a form that sends it again.

        Only this form's own fields are repeated, so nothing else a request
        carried is echoed back.
        """
        for name in self.fields:
            for value in self.data.getlist(name):
                yield name, value


class JobDescriptionBuilderForm(HiddenAnswersMixin, forms.Form):
    """An employer's version of a role profile: their details, and what to keep, move or add."""

    EMPLOYERS = [
        ("university", "A university"),
        ("host", "Your organisation (the host)"),
        ("joint", "Jointly, by a university and your organisation"),
    ]

    organisation = PlainTextField(
        label="Name of your organisation",
        called="Organisation name",
        max_length=NAME_LENGTH,
        required=True,
        required_message="Enter the name of your organisation",
    )
    job_title = PlainTextField(
        label="Job title",
        max_length=NAME_LENGTH,
        required=True,
        required_message="Enter a job title",
    )
    band = PlainTextField(
        label="Band or grade (optional)",
        called="Band or grade",
        max_length=NAME_LENGTH,
        help_text="For example, Agenda for Change band 7, or a university grade.",
    )
    hours = PlainTextField(
        label="Hours (optional)",
        called="Hours",
        max_length=NAME_LENGTH,
        help_text="For example, 22.5 hours a week (0.6 whole-time equivalent) for 2 years.",
    )
    host_team = PlainTextField(
        label="Host team (optional)",
        called="Host team",
        max_length=NAME_LENGTH,
        help_text="The team or directorate the postholder will work in.",
    )
    employed_by = forms.ChoiceField(
        label="Who will employ the postholder?",
        choices=EMPLOYERS,
        widget=forms.RadioSelect,
        error_messages=_choices_message("Select who will employ the postholder"),
    )

    def __init__(self, profile, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.responsibilities = list(profile.responsibilities.all())
        self.competencies = [
            c for _kind, group in by_kind(profile.competencies.all()) for c in group
        ]
        self.fields["job_title"].initial = profile.title
        self.fields["responsibilities"] = forms.MultipleChoiceField(
            label="Responsibilities to include",
            choices=[(str(item.pk), item.text) for item in self.responsibilities],
            initial=[str(item.pk) for item in self.responsibilities],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages=_choices_message("Choose responsibilities from the list"),
        )
        for slot in range(1, ADDED_SLOTS + 1):
            self.fields[f"added_responsibility_{slot}"] = PlainTextField(
                label=f"Responsibility {slot}",
                max_length=TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["competencies"] = forms.MultipleChoiceField(
            label="Criteria to include",
            choices=[(str(c.pk), c.name) for c in self.competencies],
            initial=[str(c.pk) for c in self.competencies],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages=_choices_message("Choose criteria from the list"),
        )
        for competency in self.competencies:
            self.fields[f"requirement_{competency.pk}"] = forms.ChoiceField(
                label=f"Is {competency.name} essential or desirable?",
                choices=Competency.Requirement.choices,
                initial=competency.requirement,
                required=False,
                widget=forms.RadioSelect,
                error_messages=_choices_message(
                    f"Select essential or desirable for {competency.name}"
                ),
            )
        for slot in range(1, ADDED_SLOTS + 1):
            self._add_criterion_slot(slot)

    def _add_criterion_slot(self, slot):
        prefix = f"added_criterion_{slot}"
        self.fields[f"{prefix}_name"] = PlainTextField(
            label="Name",
            called=f"The name of criterion {slot}",
            max_length=NAME_LENGTH,
            required_message=f"Enter a name for criterion {slot}",
        )
        self.fields[f"{prefix}_description"] = PlainTextField(
            label="Description (optional)",
            called=f"The description of criterion {slot}",
            max_length=TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields[f"{prefix}_kind"] = forms.ChoiceField(
            label="Attitude, skill or knowledge",
            choices=[("", "Choose one"), *Competency.Kind.choices],
            required=False,
            error_messages=_choices_message(
                f"Select whether criterion {slot} is an attitude, a skill or knowledge"
            ),
        )
        self.fields[f"{prefix}_requirement"] = forms.ChoiceField(
            label="Essential or desirable",
            choices=[("", "Choose one"), *Competency.Requirement.choices],
            required=False,
            error_messages=_choices_message(
                f"Select whether criterion {slot} is essential or desirable"
            ),
        )

    def clean(self):
        data = super().clean()
        added_criteria = 0
        for slot in range(1, ADDED_SLOTS + 1):
            prefix = f"added_criterion_{slot}"
            if data.get(f"{prefix}_name") or data.get(f"{prefix}_description"):
                added_criteria += 1
                # An added criterion needs a name, a kind and a requirement: a
                # description alone, or a name alone, is half an answer.
                for part in ("name", "kind", "requirement"):
                    field = f"{prefix}_{part}"
                    if not data.get(field) and field not in self.errors:
                        self.add_error(field, self.fields[field].error_messages["required"])
        if not data.get("responsibilities") and not self._added_responsibilities(data):
            self.add_error("responsibilities", "Keep at least one responsibility, or add your own")
        if not data.get("competencies") and not added_criteria:
            self.add_error(
                "competencies",
                "Keep at least one criterion in the person specification, or add your own",
            )
        return data

    @staticmethod
    def _added_responsibilities(data):
        values = (data.get(f"added_responsibility_{slot}") for slot in range(1, ADDED_SLOTS + 1))
        return [value for value in values if value]

    @staticmethod
    def _added_criteria(data):
        return [
            Criterion(
                name=data[f"{prefix}_name"],
                description=data[f"{prefix}_description"],
                kind=data[f"{prefix}_kind"],
                requirement=data[f"{prefix}_requirement"],
            )
            for prefix in (f"added_criterion_{slot}" for slot in range(1, ADDED_SLOTS + 1))
            if data[f"{prefix}_name"]
        ]

    def job_description(self):
        """The tailored job description. Call only when the form is valid."""
        data = self.cleaned_data
        kept = set(data["responsibilities"])
        areas = areas_of(item for item in self.responsibilities if str(item.pk) in kept)
        added = self._added_responsibilities(data)
        if added:
            areas.append(Area(OTHER_AREA, added))
        chosen = set(data["competencies"])
        criteria = [
            Criterion.from_competency(c, requirement=data.get(f"requirement_{c.pk}"))
            for c in self.competencies
            if str(c.pk) in chosen
        ]
        organisation = data["organisation"]
        employer = {
            "university": "A university",
            "host": organisation,
            "joint": f"Jointly, by a university and {organisation}",
        }[data["employed_by"]]
        values = [
            organisation,
            data["job_title"],
            data["band"],
            data["hours"],
            data["host_team"],
            employer,
        ]
        return JobDescription(
            profile=self.profile,
            title=data["job_title"],
            details=dict(zip(DETAIL_LABELS, values, strict=True)),
            areas=areas,
            relationships=[(r.who, r.how) for r in self.profile.working_relationships.all()],
            criteria=criteria + self._added_criteria(data),
            tailored=True,
        )

    # What the template needs to lay the form out next to the items it is about.

    def responsibility_areas(self):
        """(area, [checkbox]) for each area, so each area is its own group of checkboxes."""
        options = {option.data["value"]: option for option in self["responsibilities"]}
        areas = {}
        for item in self.responsibilities:
            areas.setdefault(item.area, []).append(options[str(item.pk)])
        return list(areas.items())

    def criteria_by_kind(self):
        """(kind, [(competency, checkbox, essential-or-desirable field)]) in person-spec order."""
        options = {option.data["value"]: option for option in self["competencies"]}
        rows = [(c, options[str(c.pk)], self[f"requirement_{c.pk}"]) for c in self.competencies]
        return by_kind(rows, kind=lambda row: row[0].kind)

    def added_responsibility_fields(self):
        return [self[f"added_responsibility_{slot}"] for slot in range(1, ADDED_SLOTS + 1)]

    def added_criterion_slots(self):
        return [
            (slot, [self[f"added_criterion_{slot}_{part}"] for part in CRITERION_PARTS])
            for slot in range(1, ADDED_SLOTS + 1)
        ]

    def has_added_responsibilities(self):
        return any(field.value() for field in self.added_responsibility_fields())

    def has_added_criteria(self):
        return any(
            field.value() for _slot, fields in self.added_criterion_slots() for field in fields[:2]
        )


RATINGS = [
    ("not-yet", "Not yet"),
    ("developing", "Developing"),
    ("confident", "Confident"),
    ("could-teach", "Could teach others"),
]
STRENGTHS = {"confident", "could-teach"}


@dataclass
class Rating:
    """A researcher's answer for one criterion ("" when they left it unrated)."""

    criterion: Criterion
    answer: str

    @property
    def answer_label(self):
        return dict(RATINGS)[self.answer]


class SelfAssessmentForm(HiddenAnswersMixin, forms.Form):
    """A researcher's rating of themself against each criterion. Any may be left unrated."""

    def __init__(self, profile, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.competencies = [
            c for _kind, group in by_kind(profile.competencies.all()) for c in group
        ]
        for competency in self.competencies:
            self.fields[self.field_name(competency)] = forms.ChoiceField(
                label=competency.name,
                help_text=competency.description,
                choices=RATINGS,
                required=False,
                widget=forms.RadioSelect,
                error_messages=_choices_message(f"Choose one of the answers for {competency.name}"),
            )

    @staticmethod
    def field_name(competency):
        return f"competency_{competency.pk}"

    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.values()):
            first = next(iter(self.fields), None)
            self.add_error(
                first, "Rate yourself against at least one attitude, skill or area of knowledge"
            )
        return data

    def fields_by_kind(self):
        return by_kind(
            [(c, self[self.field_name(c)]) for c in self.competencies],
            kind=lambda row: row[0].kind,
        )

    def _ratings(self):
        return [
            Rating(Criterion.from_competency(c), self.cleaned_data.get(self.field_name(c)) or "")
            for c in self.competencies
        ]

    def strengths(self):
        """Confident or could teach others, grouped by kind."""
        rated = [r for r in self._ratings() if r.answer in STRENGTHS]
        return by_kind(rated, kind=lambda rating: rating.criterion.kind)

    def development_areas(self):
        """Not yet or developing, grouped by kind, the essential ones first."""
        rated = [r for r in self._ratings() if r.answer and r.answer not in STRENGTHS]
        rated.sort(key=lambda rating: not rating.criterion.is_essential)
        return by_kind(rated, kind=lambda rating: rating.criterion.kind)

    def unrated(self):
        return [r.criterion for r in self._ratings() if not r.answer]

    def counts(self):
        ratings = self._ratings()
        return {
            "total": len(ratings),
            "rated": sum(1 for r in ratings if r.answer),
        }
