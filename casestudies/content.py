"""How case studies live as files in content/casestudies/."""

from django.utils.text import slugify

from casestudies.models import CaseStudy, Theme
from embedded.content import (
    BODY,
    Kind,
    Searchable,
    choice,
    integer,
    registry,
    text,
    text_list,
    text_set,
)
from guidance.content import find_part, part_paths


class CaseStudyKind(Kind):
    model = CaseStudy
    tags = ["themes"]
    search = Searchable(
        fields={**Searchable().fields, "outcome": BODY, "key_lessons": BODY},
        tags=("themes",),
        rank=0.7,  # a story of one place, after the guidance on the same thing
    )
    keys = {"embedding_model": "model"}
    folder = "casestudies"
    fields = {
        "setting": choice(*CaseStudy.Setting.values),
        "model": choice(*CaseStudy.EmbeddingModel.values),
        "region": choice(*CaseStudy.Region.values),
        "start_year": integer,
        "duration_months": integer,
        "funding": choice(*CaseStudy.Funding.values),
        "public_involvement": choice(*CaseStudy.Involvement.values),
        "themes": text_set,
        "outcome": text,
        "key_lessons": text_list,
        "related_parts": part_paths,
    }

    def apply(self, study, values, source):
        super().apply(study, values, source)
        study.key_lessons = "\n".join(values["key_lessons"])

    def after_save(self, study, values, source):
        themes = []
        for name in values["themes"]:
            theme = Theme.objects.filter(slug=slugify(name)).first()
            if theme is None:
                theme = Theme(name=name, slug=slugify(name))
                self.validate(theme, source, ("themes",), {"name": (), "slug": ()})
                theme.save()
            themes.append(theme)
        study.themes.set(themes)
        study.related_parts.set(
            [find_part(path, source, "related_parts") for path in values["related_parts"]]
        )

    def own_front_matter(self, study):
        return {
            "themes": sorted(theme.name for theme in study.themes.all()),
            "key_lessons": study.lessons,
            "related_parts": sorted(
                part.path for part in study.related_parts.select_related("guide")
            ),
        }


registry.register(CaseStudyKind())
