"""How glossary terms live as files in content/glossary/, one term a file."""

from embedded import glossary
from embedded.content import HEADING, TITLE, Kind, Searchable, optional, text_list
from embedded.models import GlossaryTerm


class GlossaryTermKind(Kind):
    model = GlossaryTerm
    folder = "glossary"
    # Found by its term, other forms and summary, not by the other terms its definition
    # names (that would put it above the guidance on them); after the guidance.
    search = Searchable(
        fields={"title": TITLE, "also_matches": HEADING, "summary": HEADING}, rank=0.25
    )
    fields = {"also_matches": optional(text_list)}

    def parse(self, source):
        values = super().parse(source)
        if glossary.HEADING.search(values["body"]):
            raise source.error(glossary.NO_HEADINGS)
        return values

    def apply(self, term, values, source):
        super().apply(term, values, source)
        term.also_matches = "\n".join(values.get("also_matches", []))

    def unchanged(self, term, values, source):
        # The entry is rendered without a link to itself, so compare it the same way.
        with glossary.defining(term.slug):
            return super().unchanged(term, values, source)

    def front_matter(self, term):
        """As the files are written: the other forms straight after the summary."""
        meta = super().front_matter(term)
        meta.pop("also_matches", None)  # the model keeps them as lines; files, as a list
        ordered = {key: meta.pop(key) for key in ["title", "slug", "summary"]}
        others = [line.strip() for line in term.also_matches.splitlines() if line.strip()]
        if others:
            ordered["also_matches"] = others
        return {**ordered, **meta}
