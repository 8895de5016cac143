"""One Atom feed per guide: the major changes to the guide and its live parts."""

from django.shortcuts import get_object_or_404

from embedded.caching import public_page
from embedded.changenotes import attach_items, notes_for
from embedded.whats_new import FEED_ENTRIES, ChangesFeed
from guidance.models import Guide


class GuideChangesFeed(ChangesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Guide.objects.published(), slug=slug)

    def title(self, guide):
        return f"Updates to {guide.title}"

    def subtitle(self, guide):
        return f"Every significant change to the guide {guide.title} and its parts, newest first."

    def link(self, guide):
        return guide.get_absolute_url()

    def items(self, guide):
        return attach_items(notes_for(guide)[:FEED_ENTRIES])


guide_feed = public_page(GuideChangesFeed())
