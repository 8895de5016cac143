"""Which case studies to suggest at the end of one: those that share its model, setting or themes.

A case study that shares more comes first (the model of embedding counts for two:
it says most about how the role worked), then by title. The facets of
every published case study are already read for the list's filters, so the
suggestions cost no query of their own.
"""

SHOWN = 3
WEIGHTS = {"model": 2, "setting": 1, "theme": 1}


def facts_of(study):
    """The facets similarity compares, of a case study already in memory (themes prefetched)."""
    return {
        "model": {study.embedding_model},
        "setting": {study.setting},
        "theme": {theme.slug for theme in study.themes.all()},
    }


def similar_case_studies(study, filters, shown=SHOWN):
    """Up to `shown` other published case studies, most alike first, each a dict with its
    `slug`, `title`, `summary` and `shared` (what it has in common, in words)."""
    own = facts_of(study)
    theme_names = {theme.slug: theme.name for theme in study.themes.all()}
    scored = []
    for order, (pk, facts) in enumerate(filters.records):
        if pk == study.pk:
            continue
        shared = {param: own[param] & facts[param] for param in WEIGHTS}
        score = sum(WEIGHTS[param] * len(values) for param, values in shared.items())
        if score:
            scored.append((-score, order, pk, shared))
    suggestions = []
    for _, _, pk, shared in sorted(scored)[:shown]:
        words = []
        if shared["model"]:
            words.append(study.get_embedding_model_display())
        if shared["setting"]:
            words.append(study.get_setting_display())
        words += sorted((theme_names[slug] for slug in shared["theme"]), key=str.lower)
        suggestions.append({**filters.headlines[pk], "shared": words})
    return suggestions
