"""How guides, their parts and role profiles live as files in content/."""

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
    if value.count("/") != 1:
        raise FieldError(f"should be a guide part written guide/part, not {value!r}")
    return value


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
        "purpose": text,
        "responsibilities": records(area=text, items=text_list, guide_part=optional(part_path)),
        "working_relationships": records(who=text, how=text, guide_part=optional(part_path)),
        "competencies": records(
            kind=choice(*Competency.Kind.values),
            requirement=choice(*Competency.Requirement.values),
            name=text,
            description=text,
            guide_part=optional(part_path),
        ),
    }

    def after_save(self, profile, values, source):
        def part(entry, key):
            path = entry.get("guide_part")
            return find_part(path, source, key) if path else None

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
                    guide_part=part(area, "responsibilities"))  # fmt: skip
        profile.working_relationships.all().delete()
        for index, entry in enumerate(values["working_relationships"]):
            add(WorkingRelationship, ("working_relationships", index),
                who=entry["who"], how=entry["how"], order=index + 1,
                guide_part=part(entry, "working_relationships"))  # fmt: skip
        profile.competencies.all().delete()
        for index, entry in enumerate(values["competencies"]):
            add(Competency, ("competencies", index),
                kind=entry["kind"], requirement=entry["requirement"], name=entry["name"],
                description=entry["description"], order=index + 1,
                guide_part=part(entry, "competencies"))  # fmt: skip

    def own_front_matter(self, profile):
        def with_part(entry, item):
            if item.guide_part_id:
                entry["guide_part"] = item.guide_part.path
            return entry

        areas = {}
        for item in profile.responsibilities.select_related("guide_part__guide"):
            area = areas.setdefault(item.area, with_part({"area": item.area}, item))
            area.setdefault("items", []).append(item.text)
        return {
            "responsibilities": list(areas.values()),
            "working_relationships": [
                with_part({"who": item.who, "how": item.how}, item)
                for item in profile.working_relationships.select_related("guide_part__guide")
            ],
            "competencies": [
                with_part(
                    {
                        "kind": item.kind,
                        "requirement": item.requirement,
                        "name": item.name,
                        "description": item.description,
                    },
                    item,
                )
                for item in profile.competencies.select_related("guide_part__guide")
            ],
        }


registry.register(GuideKind())
registry.register(GuidePartKind())
registry.register(RoleProfileKind())
