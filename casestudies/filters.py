"""Filtering case studies by their facets, with a count beside every option.

The rules readers see: ticking several options in one facet widens the results
(any of them), ticking options in different facets narrows them (all of them),
and each option's count is how many case studies the list would show if that
option were added to the current choices: within a facet that already has a
choice, the size of the union. An option that would show none is offered
disabled. Only values that some published case study has are offered; anything
else in the address is ignored, and the page says so.

Case studies number in the tens, so the facet values of every published one are
read in two queries (their fields, then their themes) and counted here: the cost
stays the same whatever is ticked and however many case studies there are.
"""

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.utils.datastructures import MultiValueDict

from casestudies.models import CaseStudy

# Limits on a list address carried in another's query string: more than any real
# choice of filters needs, little enough to read cheaply.
MAX_QUERY_LENGTH = 2000
MAX_QUERY_FIELDS = 100

# How some values read as a checkbox under their facet's legend, where the model's
# label (written for "Funded by: ..." on a case study) would not.
CHECKBOX_LABELS = {
    CaseStudy.Funding.JOINT: "The host and a university together",
    CaseStudy.Involvement.SCHEME: "In the scheme as a whole",
    CaseStudy.Involvement.NONE: "None yet",
}


def checkbox_labels(choices):
    return [(value, CHECKBOX_LABELS.get(value, label)) for value, label in choices]


# The facets in the order the form shows them: (query parameter, legend, labels of
# the values in the order to offer them). Themes and years take theirs from the data.
FACETS = [
    ("setting", "Setting", checkbox_labels(CaseStudy.Setting.choices)),
    ("model", "Model of embedding", checkbox_labels(CaseStudy.EmbeddingModel.choices)),
    ("region", "Region", checkbox_labels(CaseStudy.Region.choices)),
    ("funding", "Funded by", checkbox_labels(CaseStudy.Funding.choices)),
    ("public_involvement", "Public involvement", checkbox_labels(CaseStudy.Involvement.choices)),
    ("theme", "Theme", None),
    ("start_year", "Year started", None),
]
PARAMS = [param for param, _, _ in FACETS]
HEADLINE = ["slug", "title", "summary"]
FIELDS = {
    "setting": "setting",
    "model": "embedding_model",
    "region": "region",
    "funding": "funding",
    "public_involvement": "public_involvement",
    "start_year": "start_year",
}


@dataclass
class Option:
    value: str
    label: str
    count: int = 0
    selected: bool = False
    remove_query: str = ""  # the current filters without this option, if it is selected

    @property
    def disabled(self):
        """Adding it would show nothing (a ticked option can always be unticked)."""
        return not self.count and not self.selected


@dataclass
class Facet:
    param: str
    legend: str
    options: list[Option] = field(default_factory=list)

    @property
    def chosen(self):
        return {option.value for option in self.options if option.selected}

    @property
    def is_open(self):
        """Whether the form shows the facet open on a small screen: only if something is ticked."""
        return bool(self.chosen)


class CaseStudyFilters:
    """The facets of `studies` (a CaseStudy queryset), as chosen in `params` (request.GET).

    `matching_ids` are the chosen case studies' primary keys, in title order;
    `records` are every study's facet values, [(pk, {param: set of values})], and
    `headlines` its title, address and summary, {pk: {"slug": ..., ...}}.
    """

    def __init__(self, params, studies):
        self.records, theme_names, self.headlines = _read(studies)
        self.facets = _offer(self.records, theme_names)
        self.ignored = self._choose(params)
        self.matching_ids = [pk for pk, facts in self.records if self._matches(facts)]
        self._count(self.records)

    @property
    def selected(self):
        """(facet, option) for every ticked option, in the order the form shows them."""
        return [(f, option) for f in self.facets for option in f.options if option.selected]

    @property
    def query_string(self):
        """The chosen filters, tidied: known values only, each once, in the form's order."""
        return self._encode()

    @classmethod
    def from_query_string(cls, query, studies):
        """The filters a list address's query string chose (a bad one chooses nothing)."""
        params = MultiValueDict()
        if len(query) <= MAX_QUERY_LENGTH:
            try:
                pairs = parse_qsl(query, max_num_fields=MAX_QUERY_FIELDS)
            except ValueError:  # too many fields
                pairs = []
            for name, value in pairs:
                params.appendlist(name, value)
        return cls(params, studies)

    def _choose(self, params):
        """Ticks the options named in `params`; True if any value was not recognised."""
        ignored = False
        for facet in self.facets:
            wanted = {value for value in params.getlist(facet.param) if value}
            for option in facet.options:
                option.selected = option.value in wanted
            ignored = ignored or bool(wanted - facet.chosen)
        return ignored

    def _matches(self, facts, skip=None):
        """Whether a study has one of the chosen options of every facet but `skip`."""
        return all(
            facts[facet.param] & facet.chosen
            for facet in self.facets
            if facet.chosen and facet.param != skip
        )

    def _count(self, records):
        """Each option's count: the results if it joined its facet's current choices."""
        for facet in self.facets:
            # The studies the other facets allow, and which of them the facet's choices show.
            allowed = [
                facts[facet.param] for _, facts in records if self._matches(facts, facet.param)
            ]
            shown = sum(1 for values in allowed if values & facet.chosen)
            # An option adds the allowed studies it has that the choices do not show yet.
            added = Counter()
            for values in allowed:
                if not values & facet.chosen:
                    added.update(values)
            for option in facet.options:
                option.count = shown + added[option.value]  # a ticked option adds nothing
                if option.selected:
                    option.remove_query = self._encode(without=(facet.param, option.value))

    def _encode(self, without=None):
        pairs = [(facet.param, option.value) for facet, option in self.selected]
        return urlencode([pair for pair in pairs if pair != without])


def _read(studies):
    """[(pk, {param: set of values})] in title order, {theme slug: name} and each study's
    headline (slug, title, summary): two queries."""
    through = CaseStudy.themes.through.objects.filter(casestudy__in=studies)
    themes, theme_names = {}, {}
    for study_id, slug, name in through.values_list("casestudy_id", "theme__slug", "theme__name"):
        themes.setdefault(study_id, set()).add(slug)
        theme_names[slug] = name
    rows = studies.order_by("title", "pk").values("pk", *HEADLINE, *FIELDS.values())
    records, headlines = [], {}
    for row in rows:
        facts = {param: {str(row[model_field])} for param, model_field in FIELDS.items()}
        facts["theme"] = themes.get(row["pk"], set())
        records.append((row["pk"], facts))
        headlines[row["pk"]] = {name: row[name] for name in HEADLINE}
    return records, theme_names, headlines


def _offer(records, theme_names):
    """Every facet, with an option for each value that at least one study has."""
    present = {param: set() for param, _, _ in FACETS}
    for _, facts in records:
        for param, values in facts.items():
            present[param] |= values
    labels = {
        "theme": sorted(theme_names.items(), key=lambda item: item[1].lower()),
        "start_year": [(year, year) for year in sorted(present["start_year"], key=int)],
    }
    facets = []
    for param, legend, choices in FACETS:
        offered = choices or labels[param]
        options = [Option(value, label) for value, label in offered if value in present[param]]
        facets.append(Facet(param, legend, options))
    return facets
