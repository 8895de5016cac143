"""How synonym groups live as files in content/synonyms/, one group a file."""

from embedded.content import Kind, text_list
from embedded.models import SynonymGroup


class SynonymGroupKind(Kind):
    model = SynonymGroup
    folder = "synonyms"
    fields = {"terms": text_list}
    has_pages = False  # no page of its own: not searched, not in the sitemap

    def apply(self, group, values, source):
        super().apply(group, values, source)
        group.terms = "\n".join(values["terms"])

    def own_front_matter(self, group):
        return {"terms": group.term_list()}
