"""How the framework, its themes and the templates live as files in content/.

`content/framework/index.md` is the framework's introduction;
`content/framework/NN-<theme>.md` are its themes; `content/templates/NN-<slug>.md`
are the templates. `content/README.md` documents their fields.
"""

from casestudies.models import CaseStudy
from embedded import content
from guidance.content import find_part, part_paths
from toolkit.models import (
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    RESERVED_SLUGS,
    DesignTheme,
    DocumentTemplate,
    Framework,
    Group,
)


def questions(value):
    items = content.text_list(value)
    if not 1 <= len(items) <= MAX_QUESTIONS:
        raise content.FieldError(f"should list between 1 and {MAX_QUESTIONS} questions")
    for number, item in enumerate(items, start=1):
        if len(item) > MAX_QUESTION_LENGTH:
            raise content.FieldError(
                f"question {number} is longer than {MAX_QUESTION_LENGTH} characters"
            )
    return items


class FrameworkKind(content.Kind):
    model = Framework
    search = content.Searchable(sections=True)
    folder = "framework"
    pattern = "index.md"

    def parse(self, source):
        values = super().parse(source)
        if "slug" not in source.meta:
            values["slug"] = "framework"
        return values

    def relpath(self, framework):
        return "framework/index.md"


class DesignThemeKind(content.Kind):
    model = DesignTheme
    # A theme asks questions; the guidance on the same words answers them.
    search = content.Searchable(sections=True, rank=0.8)
    folder = "framework"
    pattern = "[0-9]*.md"
    fields = {
        "group": content.choice(*Group.values),
        "order": content.integer,
        "questions": questions,
        "related_parts": content.optional(part_paths),
        "related_case_studies": content.optional(content.text_set),
    }

    def parse(self, source):
        values = super().parse(source)
        if values["slug"] in RESERVED_SLUGS:
            raise source.error(
                f"the slug {values['slug']!r} is used by another page under /framework/",
                "slug" if "slug" in source.meta else None,
            )
        return values

    def lookup(self, values, source):
        framework = Framework.objects.order_by("pk").first()
        if framework is None:
            raise source.error("the framework folder has no index.md for the framework")
        return {"framework": framework, "slug": values["slug"]}

    def existing(self, values, source):
        return DesignTheme.objects.filter(slug=values["slug"]).first()

    def after_save(self, theme, values, source):
        theme.related_parts.set(
            [find_part(path, source, "related_parts") for path in values.get("related_parts", [])]
        )
        slugs = values.get("related_case_studies", [])
        studies = {study.slug: study for study in CaseStudy.objects.filter(slug__in=slugs)}
        for slug in slugs:
            if slug not in studies:
                raise source.error(
                    f"'related_case_studies' names {slug!r}, but there is no such case study",
                    "related_case_studies",
                )
        theme.related_case_studies.set(studies.values())

    def relpath(self, theme):
        return f"framework/{theme.order:02d}-{theme.slug}.md"

    def own_front_matter(self, theme):
        meta = {"group": theme.group, "order": theme.order, "questions": list(theme.questions)}
        parts = sorted(part.path for part in theme.related_parts.select_related("guide"))
        if parts:
            meta["related_parts"] = parts
        studies = sorted(theme.related_case_studies.values_list("slug", flat=True))
        if studies:
            meta["related_case_studies"] = studies
        return meta


class DocumentTemplateKind(content.Kind):
    model = DocumentTemplate
    search = content.Searchable(rank=0.8)
    folder = "templates"
    fields = {"order": content.integer}

    def relpath(self, template):
        return f"templates/{template.order:02d}-{template.slug}.md"

    def own_front_matter(self, template):
        return {"order": template.order}


content.registry.register(FrameworkKind())
content.registry.register(DesignThemeKind())
content.registry.register(DocumentTemplateKind())
