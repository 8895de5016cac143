"""How leaflets live as files in content/leaflets/: the kind's one registration."""

from embedded.content import BODY, Kind, Searchable, optional, registry, text, text_list, text_set
from tests.leaflets.models import Leaflet, LeafletSection, Topic


class LeafletKind(Kind):
    model = Leaflet
    owned = [LeafletSection]
    tags = ["topics"]
    # Not its editor's note: a field search is not told of is never searched.
    search = Searchable(
        fields={**Searchable().fields, "audience": BODY},
        owned={"sections": ("heading",)},
        tags=("topics",),
    )
    folder = "leaflets"
    fields = {"audience": text, "topics": optional(text_set), "sections": text_list}

    def after_save(self, leaflet, values, source):
        names = values.get("topics", [])
        leaflet.topics.set([Topic.objects.get_or_create(name=name)[0] for name in names])
        leaflet.sections.all().delete()
        for order, heading in enumerate(values["sections"]):
            section = LeafletSection(leaflet=leaflet, heading=heading, order=order)
            self.validate(section, source, ("sections", order), {"heading": ()})
            section.save()

    def own_front_matter(self, leaflet):
        topics = sorted(topic.name for topic in leaflet.topics.all())
        return {
            **({"topics": topics} if topics else {}),
            "sections": [section.heading for section in leaflet.sections.all()],
        }


registry.register(LeafletKind())
