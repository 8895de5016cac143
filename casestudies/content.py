"""How case studies live as files in content/casestudies/."""

from django.utils.text import slugify

from casestudies.models import CaseStudy, Theme
from embedded.content import Kind, choice, integer, registry, text, text_list, text_set
from guidance.content import find_part, part_path


class CaseStudyKind(Kind):
    model = CaseStudy
    tags = ["themes"]
    keys = {"embedding_model": "model"}
    folder = "casestudies"
    fields = {
        "setting": choice(*CaseStudy.Setting.values),
        "model": choice(*CaseStudy.Model.values),
        "region": choice(*CaseStudy.Region.values),
        "start_year": integer,
        "duration_months": integer,
        "funding": choice(*CaseStudy.Funding.values),
        "public_involvement": choice(*CaseStudy.Involvement.values),
        "themes": text_set,
        "outcome": text,
        "key_lessons": text_list,
        "related_parts": lambda value: sorted(part_path(item) for item in text_set(value)),
    }

    def apply(self, study, values, source):
        study.setting = values["setting"]
        study.embedding_model = values["model"]
        study.region = values["region"]
        study.start_year = values["start_year"]
        study.duration_months = values["duration_months"]
        study.funding = values["funding"]
        study.public_involvement = values["public_involvement"]
        study.outcome = values["outcome"]
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
            "setting": study.setting,
            "model": study.embedding_model,
            "region": study.region,
            "start_year": study.start_year,
            "duration_months": study.duration_months,
            "funding": study.funding,
            "public_involvement": study.public_involvement,
            "themes": sorted(theme.name for theme in study.themes.all()),
            "outcome": study.outcome,
            "key_lessons": study.lessons,
            "related_parts": sorted(
                part.path for part in study.related_parts.select_related("guide")
            ),
        }


registry.register(CaseStudyKind())
