"""How guides, their parts and role profiles live as files in content/."""

from embedded.changenotes import about
from embedded.content import (
    BODY,
    FieldError,
    Kind,
    Searchable,
    choice,
    integer,
    optional,
    records,
    registry,
    text,
    text_list,
    text_set,
)
from embedded.models import GlossaryTerm
from guidance.models import (
    Competency,
    Guide,
    GuidePart,
    Responsibility,
    RoleProfile,
    WorkingRelationship,
)


def find_part(path, source, key):
    """The part a `guide/part` path names, or an error on the file's line."""
    guide_slug, _, part_slug = path.partition("/")
    part = GuidePart.objects.filter(guide__slug=guide_slug, slug=part_slug).first()
    if part is None:
        raise source.error(f"{key!r} names {path!r}, but there is no such guide part", key)
    return part


def part_path(value):
    value = text(value)
    if value.count("/") != 1 or "#" in value:
        raise FieldError(f"should be a guide part written guide/part, not {value!r}")
    return value


def part_link(value):
    """A guide part, and optionally the heading in it: `guide/part` or `guide/part#heading`."""
    value = text(value)
    path, _, anchor = value.partition("#")
    if path.count("/") != 1 or (value.endswith("#") and not anchor):
        raise FieldError(
            f"should be a guide part written guide/part or guide/part#heading, not {value!r}"
        )
    return value


def assessments(value):
    """The ways a criterion is assessed, from `Competency.ASSESSMENTS`' labels, in lower case."""
    known = {label.lower(): name for name, label in Competency.ASSESSMENTS.items()}
    chosen = text_set(value)
    for index, method in enumerate(chosen):
        if method not in known:
            raise FieldError(
                f"item {index + 1} should be one of {', '.join(known)}, not {method!r}", at=(index,)
            )
    if not chosen:
        raise FieldError("should name at least one way the criterion is assessed")
    return {name: label.lower() in chosen for name, label in Competency.ASSESSMENTS.items()}


def part_paths(value):
    """A list of guide parts, each written guide/part; its order carries no meaning."""
    return sorted(part_path(item) for item in text_set(value))


REFERENCES_RANK = 0.1


class GuideKind(Kind):
    model = Guide
    folder = "guides"
    pattern = "*/index.md"
    search = Searchable(rank=0.8)  # a guide's page lists its parts, which say more
    fields = {"audience": choice(*Guide.Audience.values), "order": integer}
    audience = "audience"

    def notes_about(self, guide):
        """A guide's pages (overview, print view, feed) list its live parts' changes too."""
        parts = GuidePart.objects.published().filter(guide=guide).order_by().values("pk")
        return super().notes_about(guide) | about(GuidePart, parts)

    def parse(self, source):
        values = super().parse(source)
        if "slug" not in source.meta:
            values["slug"] = source.folder
        return values

    def relpath(self, guide):
        return f"guides/{guide.slug}/index.md"


class GuidePartKind(Kind):
    model = GuidePart
    folder = "guides"
    pattern = "*/[0-9]*.md"
    # A guide's references part lists sources, so it ranks last unless a citation is sought.
    search = Searchable(
        sections=True, rank=lambda part: REFERENCES_RANK if part.slug == "references" else 1.0
    )
    fields = {
        "order": integer,
        "related_parts": optional(part_paths),
    }
    audience = "guide__audience"

    def identity(self, values, source):
        return (source.folder, values["slug"])

    def lookup(self, values, source):
        guide = Guide.objects.filter(slug=source.folder).first()
        if guide is None:
            raise source.error(f"the folder {source.folder!r} has no index.md for its guide")
        return {"guide": guide, "slug": values["slug"]}

    def after_save(self, part, values, source):
        if "related_parts" in values:
            part.related_parts.set(
                [find_part(path, source, "related_parts") for path in values["related_parts"]]
            )

    def relpath(self, part):
        return f"guides/{part.guide.slug}/{part.order:02d}-{part.slug}.md"

    def own_front_matter(self, part):
        related = sorted(other.path for other in part.related_parts.select_related("guide"))
        return {"related_parts": related} if related else {}

    def exported(self):
        return GuidePart.objects.select_related("guide")


class RoleProfileKind(Kind):
    model = RoleProfile
    owned = [Responsibility, WorkingRelationship, Competency]
    folder = "roles"
    search = Searchable(
        fields={**Searchable().fields, "purpose": BODY},
        owned={
            "responsibilities": ("area", "text"),
            "working_relationships": ("who", "how"),
            "competencies": ("name", "description"),
        },
        sections=True,
    )
    fields = {
        "job_title": text,
        "purpose": text,
        "source": optional(text),
        "responsibilities": records(area=text, items=text_list, guide_part=optional(part_link)),
        "working_relationships": records(who=text, how=text, guide_part=optional(part_link)),
        "competencies": records(
            section=choice(*Competency.Section.values),
            requirement=choice(*Competency.Requirement.values),
            name=text,
            description=text,
            assessed_by=assessments,
            guide_part=optional(part_link),
            glossary_term=optional(text),
        ),
    }

    def parse(self, source):
        values = super().parse(source)
        values.setdefault("source", "")
        return values

    def after_save(self, profile, values, source):
        def part(entry, key):
            """The item's guide part and the heading in it, as model fields."""
            path, _, anchor = (entry.get("guide_part") or "").partition("#")
            if not path:
                return {"guide_part": None, "guide_anchor": ""}
            found = find_part(path, source, key)
            if anchor and anchor not in {heading["id"] for heading in found.contents}:
                raise source.error(
                    f"{key!r} names the heading #{anchor} in {path!r}, which has no such heading",
                    key,
                )
            return {"guide_part": found, "guide_anchor": anchor}

        def term(entry):
            slug = entry.get("glossary_term")
            if not slug:
                return None
            found = GlossaryTerm.objects.filter(slug=slug).first()
            if found is None:
                raise source.error(f"'competencies' names the glossary term {slug!r}, "
                                   "but there is no such term", "competencies")  # fmt: skip
            return found

        def add(model, at, keys=None, **fields):
            item = model(profile=profile, **fields)
            self.validate(item, source, at, keys)
            item.save()

        profile.responsibilities.all().delete()
        order = 0
        for index, area in enumerate(values["responsibilities"]):
            for number, item in enumerate(area["items"]):
                order += 1
                add(Responsibility, ("responsibilities", index), {"text": ("items", number)},
                    area=area["area"], text=item, order=order,
                    **part(area, "responsibilities"))  # fmt: skip
        profile.working_relationships.all().delete()
        for index, entry in enumerate(values["working_relationships"]):
            add(WorkingRelationship, ("working_relationships", index),
                who=entry["who"], how=entry["how"], order=index + 1,
                **part(entry, "working_relationships"))  # fmt: skip
        profile.competencies.all().delete()
        for index, entry in enumerate(values["competencies"]):
            add(Competency, ("competencies", index),
                section=entry["section"], requirement=entry["requirement"], name=entry["name"],
                description=entry["description"], order=index + 1, **entry["assessed_by"],
                glossary_term=term(entry), **part(entry, "competencies"))  # fmt: skip

    def own_front_matter(self, profile):
        def with_part(entry, item):
            if item.guide_part_id:
                anchor = f"#{item.guide_anchor}" if item.guide_anchor else ""
                entry["guide_part"] = item.guide_part.path + anchor
            return entry

        def with_term(entry, item):
            if item.glossary_term_id:
                entry["glossary_term"] = item.glossary_term.slug
            return entry

        areas = {}
        for item in profile.responsibilities.select_related("guide_part__guide"):
            area = areas.setdefault(item.area, with_part({"area": item.area}, item))
            area.setdefault("items", []).append(item.text)
        return {
            "source": profile.source or None,
            "responsibilities": list(areas.values()),
            "working_relationships": [
                with_part({"who": item.who, "how": item.how}, item)
                for item in profile.working_relationships.select_related("guide_part__guide")
            ],
            "competencies": [
                with_term(
                    with_part(
                        {
                            "section": item.section,
                            "requirement": item.requirement,
                            "name": item.name,
                            "description": item.description,
                            "assessed_by": [method.lower() for method in item.assessed_by],
                        },
                        item,
                    ),
                    item,
                )
                for item in profile.competencies.select_related(
                    "guide_part__guide", "glossary_term"
                )
            ],
        }


registry.register(GuideKind())
registry.register(GuidePartKind())
registry.register(RoleProfileKind())
