"""A job description as data: the profile's own, or one an employer has tailored.

`JobDescription` is what a role profile says, ready to show or to write out:
the public page, the builder's check page and both Word downloads read one,
so they cannot drift apart. It holds only what belongs in a job description
an employer sends out; the website's own words (how to use the tools, where
the profile comes from, links for readers) stay on the website.
"""

from dataclasses import dataclass, field, replace
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import mark_safe
from django.utils.text import slugify

from embedded.plaintext import strip_unprintable as printable
from guidance.models import Competency

SECTION_ORDER = list(Competency.Section.values)
OTHER_AREA = "Other responsibilities"
DETAIL_LABELS = ["Organisation", "Job title", "Band or grade", "Hours", "Host team", "Employed by"]
REQUIREMENTS_EXPLAINED = (
    "Essential criteria are what the postholder needs from their first day. "
    "Desirable criteria can be developed in post, with support."
)


def readable_part(item):
    """The guide part that explains an item, if the public can open it."""
    part = item.guide_part
    if part is not None and part.is_live and part.guide.is_live:
        return part
    return None


@dataclass(frozen=True)
class GuideLink:
    """Where the guidance discusses an item: a guide part's heading, a whole part or a
    glossary entry."""

    url: str
    title: str
    # What the title is part of, for a reader who sees the link out of context.
    within: str = ""

    @classmethod
    def of(cls, item):
        """The link for a profile item, or None when nothing public explains it."""
        part = readable_part(item)
        if part is not None:
            anchor = getattr(item, "guide_anchor", "")
            headings = {heading["id"]: heading["title"] for heading in part.contents}
            if anchor in headings:
                return cls(f"{part.get_absolute_url()}#{anchor}", headings[anchor], part.title)
            return cls(part.get_absolute_url(), part.title, part.guide.title)
        term = getattr(item, "glossary_term", None)
        if term is not None and term.is_live:
            return cls(term.get_absolute_url(), term.title, "Glossary")
        return None


@dataclass
class Area:
    """A group of responsibilities, and the guide part that explains it."""

    name: str
    items: list = field(default_factory=list)
    guide_part: object = None


@dataclass
class Criterion:
    """One line of the person specification."""

    name: str
    description: str
    section: str
    requirement: str
    assessed_by: list = field(default_factory=list)
    guide_part: object = None
    guide_link: GuideLink | None = None

    @classmethod
    def from_competency(cls, competency, requirement=None):
        return cls(
            name=competency.name,
            description=competency.description,
            section=competency.section,
            requirement=requirement or competency.requirement,
            assessed_by=competency.assessed_by,
            guide_part=readable_part(competency),
            guide_link=GuideLink.of(competency),
        )

    @property
    def section_label(self):
        return Competency.Section(self.section).label

    @property
    def requirement_label(self):
        return Competency.Requirement(self.requirement).label

    @property
    def is_essential(self):
        return self.requirement == Competency.Requirement.ESSENTIAL

    @property
    def assessed_by_text(self):
        return ", ".join(self.assessed_by)


def by_section(items, section=lambda item: item.section):
    """Items grouped by the person specification's sections, in order, keeping their own order:
    (section label, items) for each section that has any."""
    return [
        (Competency.Section(each).label, group)
        for each in SECTION_ORDER
        if (group := [item for item in items if section(item) == each])
    ]


def areas_of(responsibilities):
    """Responsibility items grouped by their area, in the order the areas first appear."""
    areas = {}
    for item in responsibilities:
        area = areas.setdefault(item.area, Area(item.area, guide_part=readable_part(item)))
        area.items.append(item.text)
    return list(areas.values())


@dataclass
class JobDescription:
    """A job description: the profile's, or one an employer has tailored with the builder.

    `details` maps each of `DETAIL_LABELS` to a value; an empty value is left
    for the employer to fill in.
    """

    profile: object
    title: str
    details: dict
    areas: list
    relationships: list
    criteria: list

    def __post_init__(self):
        """A Word file cannot hold control characters: text that got in some other way
        than the admin (which refuses them) loses them here."""
        self.title = printable(self.title)
        self.details = {label: printable(value) for label, value in self.details.items()}
        self.areas = [
            replace(area, name=printable(area.name), items=[printable(i) for i in area.items])
            for area in self.areas
        ]
        self.relationships = [(printable(who), printable(how)) for who, how in self.relationships]
        self.criteria = [
            replace(each, name=printable(each.name), description=printable(each.description))
            for each in self.criteria
        ]

    @classmethod
    def from_profile(cls, profile):
        """The profile as published (its related items prefetched, with their guide parts)."""
        return cls(
            profile=profile,
            title=profile.job_title,
            details=dict.fromkeys(DETAIL_LABELS, ""),
            areas=areas_of(profile.responsibilities.all()),
            relationships=_relationships(profile),
            criteria=[Criterion.from_competency(c) for c in profile.competencies.all()],
        )

    @classmethod
    def tailored(cls, profile, answers):
        """The profile as an employer tailored it in the builder.

        `answers` are the builder's checked answers: `organisation`, `job_title`,
        `band`, `hours`, `host_team`, `employed_by` ("university", "host" or
        "joint"); `responsibilities` and `competencies`, the ids of the items kept;
        `requirements`, each kept competency's id to "essential" or "desirable";
        `added_responsibilities`, sentences; and `added_criteria`, `Criterion`s.
        """
        kept = set(answers["responsibilities"])
        areas = areas_of(item for item in profile.responsibilities.all() if str(item.pk) in kept)
        if answers["added_responsibilities"]:
            areas.append(Area(OTHER_AREA, list(answers["added_responsibilities"])))
        chosen = set(answers["competencies"])
        requirements = answers["requirements"]
        criteria = [
            Criterion.from_competency(c, requirement=requirements.get(str(c.pk)))
            for c in profile.competencies.all()
            if str(c.pk) in chosen
        ]
        organisation = answers["organisation"]
        employer = {
            "university": "A university",
            "host": organisation,
            "joint": f"Jointly, by a university and {organisation}",
        }[answers["employed_by"]]
        values = [
            organisation,
            answers["job_title"],
            answers["band"],
            answers["hours"],
            answers["host_team"],
            employer,
        ]
        return cls(
            profile=profile,
            title=answers["job_title"],
            details=dict(zip(DETAIL_LABELS, values, strict=True)),
            areas=areas,
            relationships=_relationships(profile),
            criteria=criteria + list(answers["added_criteria"]),
        )

    @property
    def context_html(self):
        """The profile's context (its body) as the job description carries it: no links."""
        return without_links(self.profile.body_html)

    def person_specification(self):
        """(section label, criteria) for each section of the person specification."""
        return by_section(self.criteria)

    def guide_parts(self):
        """Every readable guide part the profile points to, once each, in order of appearance."""
        parts = [area.guide_part for area in self.areas] + [c.guide_part for c in self.criteria]
        return list({part.pk: part for part in parts if part is not None}.values())

    @property
    def filename(self):
        name = slugify(self.title)[:80].strip("-") or self.profile.slug
        return f"{name}-job-description.docx"


class _Unlinked(HTMLParser):
    """Sanitised body HTML again, without its links: each link keeps its words, and loses
    its address, its "another website" mark and the headings' "#" anchors go entirely."""

    VOID = {"br", "hr", "img"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skipping = []  # the open tags whose content is left out, innermost last
        self.in_link = 0

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if self.skipping:
            if tag not in self.VOID:
                self.skipping.append(tag)
            return
        if tag == "a":
            if "heading-anchor" in classes:
                self.skipping.append(tag)
            else:
                self.in_link += 1
            return
        if tag == "span" and (
            "external-link__icon" in classes
            or (self.in_link and "nhsuk-u-visually-hidden" in classes)
        ):
            self.skipping.append(tag)
            return
        written = "".join(f' {name}="{escape(value or "")}"' for name, value in attrs)
        self.out.append(f"<{tag}{written}>")

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping.pop()
        elif tag == "a":
            self.in_link = max(self.in_link - 1, 0)
        elif tag not in self.VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(data, quote=False))


def without_links(html):
    """A sanitised body fit for a job description sent out: its words, not the website's links."""
    parser = _Unlinked()
    parser.feed(html)
    parser.close()
    return mark_safe("".join(parser.out))  # noqa: S308 - sanitised HTML, every value re-escaped


def _relationships(profile):
    return [(r.who, r.how) for r in profile.working_relationships.all()]
