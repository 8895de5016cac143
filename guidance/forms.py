"""The role profile's two forms: the job description builder and the self-assessment.

Neither stores anything. Each is built from a role profile (with its items
prefetched), checks what was sent, and turns it into something to show once:
a tailored `JobDescription`, or a researcher's strengths and development areas.
"""

from dataclasses import dataclass

from django import forms
from django.core import signing

from embedded.plaintext import strip_unprintable
from guidance.jobdescription import Criterion, JobDescription, by_section
from guidance.models import Competency, GuidePart

ADDED_SLOTS = 5
NAME_LENGTH = 200
TEXT_LENGTH = 500


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


def _optional_detail(called, help_text):
    """A post's detail that an employer may leave out, labelled as optional."""
    return PlainTextField(
        label=f"{called} (optional)", called=called, max_length=NAME_LENGTH, help_text=help_text
    )


def _choices_message(message):
    return {"invalid_choice": message, "invalid_list": message, "required": message}


def _field_link(bound_field):
    """Where an error summary's link for a field should land: its first option, if a group."""
    grouped = bound_field.widget_type in {"radioselect", "checkboxselectmultiple"}
    return f"#{bound_field.auto_id}{'_0' if grouped else ''}"


def _field_errors(form):
    return [(error, _field_link(form[name])) for name, errors in form.errors.items()
            if name in form.fields for error in errors]  # fmt: skip


def _select(label, choices, message):
    """A drop-down that starts on "Choose one"; `message` when what comes back is not a choice."""
    return forms.ChoiceField(
        label=label,
        choices=[("", "Choose one"), *choices],
        required=False,
        error_messages=_choices_message(message),
    )


def _all_ticked(label, choices, message):
    """Tick boxes for a profile's own items, all ticked to start with: the employer
    unticks what the post does not need. `choices` are (pk, text) pairs."""
    choices = [(str(pk), text) for pk, text in choices]
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        initial=[value for value, _text in choices],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choices_message(message),
    )


class AddedCriterionForm(forms.Form):
    """One criterion an employer adds to the person specification: left blank, left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = self.number = int(self.prefix.rpartition("-")[2]) + 1
        self.fields["name"] = PlainTextField(
            label="Name",
            called=f"The name of criterion {number}",
            max_length=NAME_LENGTH,
            required_message=f"Enter a name for criterion {number}",
        )
        self.fields["description"] = PlainTextField(
            label="Description (optional)",
            called=f"The description of criterion {number}",
            max_length=TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        self.fields["section"] = _select(
            "Section of the person specification",
            Competency.Section.choices,
            f"Select the section of the person specification for criterion {number}",
        )
        self.fields["requirement"] = _select(
            "Essential or desirable",
            Competency.Requirement.choices,
            f"Select whether criterion {number} is essential or desirable",
        )
        self.fields["assessed_by"] = forms.MultipleChoiceField(
            label="How it is assessed (optional)",
            choices=[(label, label) for label in Competency.ASSESSMENTS.values()],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages=_choices_message(
                f"Choose how criterion {number} is assessed from the list"
            ),
        )

    def clean(self):
        data = super().clean()
        # An added criterion needs a name, a section and a requirement: a description
        # alone, or a name alone, is half an answer.
        if data.get("name") or data.get("description"):
            for part in ("name", "section", "requirement"):
                if not data.get(part) and part not in self.errors:
                    self.add_error(part, self.fields[part].error_messages["required"])
        return data

    def criterion(self):
        """The criterion it adds, or None when it was left blank. Call once it is valid."""
        data = self.cleaned_data
        if not data.get("name"):
            return None
        order = list(Competency.ASSESSMENTS.values())
        return Criterion(
            name=data["name"],
            description=data["description"],
            section=data["section"],
            requirement=data["requirement"],
            assessed_by=sorted(data["assessed_by"], key=order.index),
        )

    @property
    def is_filled_in(self):
        return any(self[name].value() for name in ("name", "description"))


AddedCriteria = forms.formset_factory(
    AddedCriterionForm, extra=ADDED_SLOTS, max_num=ADDED_SLOTS, absolute_max=ADDED_SLOTS
)
ADDED_CRITERIA_PREFIX = "added_criterion"


def _with_formset_defaults(data, prefix, total):
    """The answers, with a formset's management fields filled in if they did not come (a
    hand-written request, or one from an older page): its forms are then read as blank or
    as sent, never refused as tampered with."""
    if data is None or f"{prefix}-TOTAL_FORMS" in data:
        return data
    data = data.copy()
    data[f"{prefix}-TOTAL_FORMS"] = str(total)
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


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
    band = _optional_detail(
        "Band or grade", "For example, Agenda for Change band 7, or a university grade."
    )
    hours = _optional_detail(
        "Hours", "For example, 22.5 hours a week (0.6 whole-time equivalent) for 2 years."
    )
    host_team = _optional_detail(
        "Host team", "The team or directorate the postholder will work in."
    )
    employed_by = forms.ChoiceField(
        label="Who will employ the postholder?",
        choices=EMPLOYERS,
        widget=forms.RadioSelect,
        error_messages=_choices_message("Select who will employ the postholder"),
    )

    def __init__(self, profile, data=None, **kwargs):
        data = _with_formset_defaults(data, ADDED_CRITERIA_PREFIX, ADDED_SLOTS)
        super().__init__(data, **kwargs)
        self.profile = profile
        self.responsibilities = list(profile.responsibilities.all())
        self.competencies = [
            c for _section, group in by_section(profile.competencies.all()) for c in group
        ]
        self.added_criteria = AddedCriteria(data, prefix=ADDED_CRITERIA_PREFIX)
        self.fields["job_title"].initial = profile.job_title
        self.fields["responsibilities"] = _all_ticked(
            "Responsibilities to include",
            [(item.pk, item.text) for item in self.responsibilities],
            "Choose responsibilities from the list",
        )
        for slot in range(1, ADDED_SLOTS + 1):
            self.fields[f"added_responsibility_{slot}"] = PlainTextField(
                label=f"Responsibility {slot}",
                max_length=TEXT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["competencies"] = _all_ticked(
            "Criteria to include",
            [(c.pk, c.name) for c in self.competencies],
            "Choose criteria from the list",
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

    def is_valid(self):
        # Both, always: the added criteria's own errors show even when the rest has some.
        return all([super().is_valid(), self.added_criteria.is_valid()])

    def clean(self):
        data = super().clean()
        added_criteria = self.added_criteria.is_valid() and any(
            form.criterion() for form in self.added_criteria
        )
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

    def answers(self):
        """The checked answers, as `JobDescription.tailored()` reads them."""
        data = self.cleaned_data
        return {
            **{name: data[name] for name in
               ("organisation", "job_title", "band", "hours", "host_team", "employed_by",
                "responsibilities", "competencies")},
            "requirements": {
                str(c.pk): data.get(f"requirement_{c.pk}") or c.requirement
                for c in self.competencies
            },
            "added_responsibilities": self._added_responsibilities(data),
            "added_criteria": [c for form in self.added_criteria if (c := form.criterion())],
        }  # fmt: skip

    def job_description(self):
        """The tailored job description. Call only when the form is valid."""
        return JobDescription.tailored(self.profile, self.answers())

    def hidden_values(self):
        yield from super().hidden_values()
        formset = self.added_criteria
        for form in [formset.management_form, *formset]:
            for name in form.fields:
                for value in self.data.getlist(form.add_prefix(name)):
                    yield form.add_prefix(name), value

    def error_links(self):
        """(message, link to the field) for the error summary, the added criteria's too."""
        links = [(error, "#responsibilities") for error in self.non_field_errors()]
        links += _field_errors(self)
        links += [(error, "#added-criteria") for error in self.added_criteria.non_form_errors()]
        for form in self.added_criteria:
            links += _field_errors(form)
        return links

    # What the template needs to lay the form out next to the items it is about.

    def responsibility_areas(self):
        """(area, [checkbox]) for each area, so each area is its own group of checkboxes."""
        options = {option.data["value"]: option for option in self["responsibilities"]}
        areas = {}
        for item in self.responsibilities:
            areas.setdefault(item.area, []).append(options[str(item.pk)])
        return list(areas.items())

    def criteria_by_section(self):
        """(section, [(competency, checkbox, essential-or-desirable field)]) in order."""
        options = {option.data["value"]: option for option in self["competencies"]}
        rows = [(c, options[str(c.pk)], self[f"requirement_{c.pk}"]) for c in self.competencies]
        return by_section(rows, section=lambda row: row[0].section)

    def added_responsibility_fields(self):
        return [self[f"added_responsibility_{slot}"] for slot in range(1, ADDED_SLOTS + 1)]

    def has_added_responsibilities(self):
        return any(field.value() for field in self.added_responsibility_fields())

    def has_added_criteria(self):
        return any(form.is_filled_in for form in self.added_criteria)

    def summary(self):
        """The answers that are not shown in the job description itself, for the check page:
        (question, answer, the field to change it)."""
        data = self.cleaned_data
        employers = dict(self.EMPLOYERS)
        added = self._added_responsibilities(data)
        dropped = [item.text for item in self.responsibilities
                   if str(item.pk) not in set(data["responsibilities"])]  # fmt: skip
        left_out = [c.name for c in self.competencies
                    if str(c.pk) not in set(data["competencies"])]  # fmt: skip

        def one(name):
            return [data[name]] if data[name] else []

        return [
            ("Organisation", one("organisation"), self["organisation"].auto_id),
            ("Job title", one("job_title"), self["job_title"].auto_id),
            ("Band or grade", one("band"), self["band"].auto_id),
            ("Hours", one("hours"), self["hours"].auto_id),
            ("Host team", one("host_team"), self["host_team"].auto_id),
            ("Employer", [employers[data["employed_by"]]], _field_link(self["employed_by"])[1:]),
            ("Responsibilities left out", dropped, "responsibilities"),
            ("Responsibilities added", added, "added-responsibilities"),
            ("Criteria left out", left_out, "person-specification"),
            ("Criteria added", [c.name for c in self.answers()["added_criteria"]],
             "added-criteria"),
        ]  # fmt: skip


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


@dataclass(frozen=True)
class Step:
    """One page of the self-assessment: a section of the person specification."""

    slug: str
    section: str
    number: int

    @property
    def title(self):
        return Competency.Section(self.section).label


STEPS = [
    Step(Competency.Section(section).label.lower(), section, number)
    for number, section in enumerate(Competency.SELF_ASSESSED, start=1)
]
STEP_BY_SLUG = {step.slug: step for step in STEPS}
ANSWERS_SALT = "guidance.self-assessment"
NONE_RATED = "Rate yourself against at least one attitude, skill or area of knowledge"


def self_assessed(profile):
    """The profile's criteria a researcher rates themself against, in order."""
    competencies = profile.competencies.all()
    return [c for _section, group in by_section(competencies) for c in group
            if c.section in Competency.SELF_ASSESSED]  # fmt: skip


def sign_answers(answers):
    """The answers as a token for an address: signed, so what comes back is what we gave."""
    return signing.dumps(answers, salt=ANSWERS_SALT, compress=True)


def read_answers(profile, token):
    """The answers a token carries (only those about this profile's criteria, on the
    scale), {} for no token, or None when the token is not one we made."""
    if not token:
        return {}
    try:
        answers = signing.loads(token, salt=ANSWERS_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(answers, dict):
        return None
    known = {str(c.pk) for c in self_assessed(profile)}
    scale = dict(RATINGS)
    return {pk: answer for pk, answer in answers.items() if pk in known and answer in scale}


class SelfAssessmentStepForm(forms.Form):
    """One step of the self-assessment: the researcher's rating of themself against each
    criterion in one section. Any may be left unrated, but not every one in all three."""

    def __init__(self, profile, step, data=None, earlier=None, **kwargs):
        super().__init__(data, **kwargs)
        self.profile, self.step = profile, step
        self.earlier = earlier or {}
        self.competencies = [c for c in self_assessed(profile) if c.section == step.section]
        for competency in self.competencies:
            name = self.field_name(competency)
            self.fields[name] = forms.ChoiceField(
                label=competency.name,
                help_text=competency.description,
                choices=RATINGS,
                required=False,
                widget=forms.RadioSelect,
                error_messages=_choices_message(f"Choose one of the answers for {competency.name}"),
            )
            self.fields[name].initial = self.earlier.get(str(competency.pk))

    @staticmethod
    def field_name(competency):
        return f"competency_{competency.pk}"

    @property
    def is_last(self):
        return self.step == STEPS[-1]

    def clean(self):
        data = super().clean()
        if self.is_last and not self.errors and not self.answers():
            raise forms.ValidationError(NONE_RATED, code="none_rated")
        return data

    def answers(self):
        """Every answer so far: the earlier steps', with this step's in place of any before."""
        ours = {str(c.pk) for c in self.competencies}
        answers = {pk: answer for pk, answer in self.earlier.items() if pk not in ours}
        for competency in self.competencies:
            if answer := self.cleaned_data.get(self.field_name(competency)):
                answers[str(competency.pk)] = answer
        return answers

    def rows(self):
        return [(c, self[self.field_name(c)]) for c in self.competencies]

    def error_links(self):
        """(message, link) for the error summary: the page-level one goes to the questions."""
        links = [(error, "#questions") for error in self.non_field_errors()]
        return links + _field_errors(self)


class SelfAssessment:
    """A researcher's answers against the profile, read back as strengths and areas to develop."""

    def __init__(self, profile, answers):
        self.profile = profile
        self.answers = answers
        self.ratings = [
            Rating(Criterion.from_competency(c), answers.get(str(c.pk), ""))
            for c in self_assessed(profile)
        ]

    def strengths(self):
        """Confident or could teach others, grouped by section."""
        rated = [r for r in self.ratings if r.answer in STRENGTHS]
        return by_section(rated, section=lambda rating: rating.criterion.section)

    def development_areas(self):
        """Not yet or developing, grouped by section, the essential ones first."""
        rated = [r for r in self.ratings if r.answer and r.answer not in STRENGTHS]
        rated.sort(key=lambda rating: not rating.criterion.is_essential)
        return by_section(rated, section=lambda rating: rating.criterion.section)

    def unrated(self):
        return [r.criterion for r in self.ratings if not r.answer]

    def counts(self):
        return {
            "total": len(self.ratings),
            "rated": sum(1 for r in self.ratings if r.answer),
        }

    def case_studies(self, limit=3):
        """Published case studies tied to the guide parts behind the areas to develop."""
        parts = {r.criterion.guide_part.pk for _section, group in self.development_areas()
                 for r in group if r.criterion.guide_part}  # fmt: skip
        if not parts:
            return []
        case_study = GuidePart._meta.get_field("case_studies").related_model
        found = case_study.objects.published().filter(related_parts__in=parts).distinct()
        return list(found.order_by("title")[:limit])

    def guidance_to_read(self):
        """The guide sections that help with the areas to develop, once each, in order."""
        links = [r.criterion.guide_link for _section, group in self.development_areas()
                 for r in group if r.criterion.guide_link]  # fmt: skip
        return list(dict.fromkeys(links))
