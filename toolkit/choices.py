"""The structured choices the planner offers, where the study's categories allow them.

Free-text answers come from each theme's questions (content, edited in the
admin). These few choices are in code because the plan reasons with them:
some match case studies' facets (setting, model, funding, public
involvement, how long the work runs), so a plan can point to case studies
that made similar choices. They are keyed by the themes' agreed slugs; a
theme without an entry here has questions only.
"""

from dataclasses import dataclass

from casestudies.models import CaseStudy


@dataclass(frozen=True)
class Choice:
    name: str
    label: str
    options: tuple  # (value, label) pairs
    multiple: bool = False  # checkboxes, hinted "Select all that apply." (see `forms`)
    hint: str = ""

    @property
    def values(self):
        return [value for value, _label in self.options]

    def labels_of(self, value):
        """The option labels for a stored answer (one value, or a list)."""
        chosen = value if isinstance(value, list) else [value] if value else []
        labels = dict(self.options)
        return [labels[each] for each in chosen if each in labels]


ORGANISATION = (
    Choice(
        "setting",
        "What kind of organisation is yours?",
        (*CaseStudy.Setting.choices, ("other", "Another kind of organisation")),
        hint="Choose the nearest. A health board in Scotland or Wales counts as another kind "
        "of organisation.",
    ),
    Choice(
        "model",
        "Which model of embedding is closest to what you have in mind?",
        (*CaseStudy.EmbeddingModel.choices, ("not-sure", "Not sure yet")),
        hint="Schemes vary widely in practice: choose the nearest, or not sure.",
    ),
    Choice(
        "funding",
        "Who do you expect to pay for it?",
        (*CaseStudy.Funding.choices, ("not-decided", "Not decided yet")),
    ),
)

THEMES = {
    "intended-outcomes": (
        Choice(
            "outcomes",
            "Which kinds of outcome matter most to you?",
            (
                ("knowledge", "Knowledge: evidence and findings you can act on"),
                ("capacity", "Capacity: your staff more able to use and do research"),
                ("reputational", "Reputation: your organisation seen as one that learns"),
            ),
            multiple=True,
        ),
    ),
    "power-dynamics": (
        Choice(
            "agreement",
            "Is there a written agreement on priorities, data, publication and "
            "intellectual property?",
            (
                ("agreed", "Yes, it is agreed"),
                ("in-progress", "We are working on one"),
                ("not-yet", "Not yet"),
            ),
        ),
    ),
    "scale": (
        Choice(
            "scale_of_work",
            "What scale of work do you have in mind?",
            (
                ("single-project", "A single project"),
                ("portfolio", "A portfolio of projects"),
                ("open-ended", "Open-ended: work agreed as needs arise"),
            ),
        ),
        Choice(
            "timescale",
            "How long will it run, at first?",
            (
                ("up-to-a-year", "A year or less"),
                ("one-to-two-years", "One to two years"),
                ("over-two-years", "More than two years"),
                ("no-end-date", "No end date yet"),
            ),
        ),
    ),
    "involvement": (
        Choice(
            "public_involvement",
            "Will patients and the public be involved?",
            (
                ("scheme", "Yes, in the scheme as a whole, such as choosing its work"),
                ("projects", "Yes, in individual projects"),
                ("none", "No, or not decided yet"),
            ),
        ),
    ),
    "proximity": (
        Choice(
            "proximity",
            "Where will the researcher mostly work?",
            (
                ("on-site-full-time", "On site, full time"),
                ("on-site-part-time", "On site for part of the week"),
                ("mostly-remote", "Mostly remote"),
            ),
        ),
    ),
    "belonging": (
        Choice(
            "employer",
            "Who will employ the researcher?",
            (
                ("university", "A university"),
                ("host", "Your organisation (the host)"),
                ("joint", "Both, in a joint post"),
                ("not-decided", "Not decided yet"),
            ),
        ),
        Choice(
            "support",
            "Which of these will be in place?",
            (
                ("sponsor", "A named sponsor in your organisation"),
                ("mentoring", "Mentoring for the researcher"),
                ("peers", "Peer support from other embedded researchers"),
                ("induction", "Induction into both organisations"),
            ),
            multiple=True,
        ),
    ),
    "researcher-skills-and-expertise": (
        Choice(
            "expertise",
            "Which matters more for the work you have in mind?",
            (
                ("methods", "Research methods"),
                ("topic", "Knowledge of the topic"),
                ("both", "Both equally"),
            ),
        ),
    ),
}


def for_theme(slug):
    return THEMES.get(slug, ())


# How long each timescale answer lasts, in months, to compare with case studies.
TIMESCALE_MONTHS = {
    "up-to-a-year": range(0, 13),
    "one-to-two-years": range(13, 25),
    "over-two-years": range(25, 1000),
}
