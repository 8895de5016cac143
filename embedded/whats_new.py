"""/whats-new/ and the Atom feeds: every major change across the site, newest first.

The filters (audience, type) come from the registry: each kind says what it
is called and, if its items are for one audience, how to find it. Entries link
to their pages; a feed entry's id is made from its note's key alone, so a feed
reader never shows one twice, whatever address the site is reached at.
"""

import uuid
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.feedgenerator import Atom1Feed

from embedded.caching import public_page
from embedded.changenotes import attach_items, public_notes
from embedded.content import registry

PER_PAGE = 20
FEED_ENTRIES = 50
# Never change: every feed entry's id is made from it and the note's key.
ENTRY_NAMESPACE = uuid.UUID("0f5b7b3e-6a43-4c1e-9a53-2f3a3cf1f6c1")
SITE_FEED_TITLE = "What's new on Embedded Research"


class Filters:
    """The audience and type a reader chose, from the query string; unknown values ignored."""

    def __init__(self, query):
        self.audiences = registry.audiences
        self.kinds = [kind for kind in registry.kinds if kind.has_pages]
        wanted_audience, wanted_type = query.get("audience", ""), query.get("type", "")
        self.audience = wanted_audience if wanted_audience in dict(self.audiences) else None
        self.kind = next((kind for kind in self.kinds if kind.slug == wanted_type), None)
        self.ignored = (wanted_audience and not self.audience) or (wanted_type and not self.kind)

    @property
    def audience_label(self):
        return dict(self.audiences).get(self.audience)

    @property
    def query_string(self):
        chosen = {"audience": self.audience, "type": self.kind.slug if self.kind else None}
        return urlencode({key: value for key, value in chosen.items() if value})

    @property
    def selected(self):
        return bool(self.audience or self.kind)


@public_page(params=("audience", "type", "page"))
def whats_new(request):
    """Count, one page of notes, then the items they name: one query per kind on the page."""
    filters = Filters(request.GET)
    notes = public_notes(audience=filters.audience, kind=filters.kind)
    page = Paginator(notes, PER_PAGE).get_page(request.GET.get("page"))
    query = filters.query_string
    context = {
        "filters": filters,
        "page_obj": page,
        "entries": attach_items(page.object_list),
        "page_query": f"{query}&" if query else "",
        "noindex": filters.selected,
        "breadcrumbs": [("Home", "/")],
        "feed_url": "/whats-new/feed/",
    }
    return render(request, "embedded/whats_new.html", context)


class ChangesFeed(Feed):
    """Atom: the latest major changes across the site."""

    feed_type = Atom1Feed
    title = SITE_FEED_TITLE
    subtitle = "Every significant change to the Embedded Research guidance, newest first."
    author_name = "The Embedded Research project"

    def link(self, obj):
        return "/whats-new/"

    def items(self, obj):
        return attach_items(public_notes()[:FEED_ENTRIES])

    def item_title(self, note):
        return note.item.title

    def item_description(self, note):
        return note.note

    def item_link(self, note):
        return note.item.get_absolute_url()

    def item_guid(self, note):
        return f"urn:uuid:{uuid.uuid5(ENTRY_NAMESPACE, f'change-{note.pk}')}"

    item_guid_is_permalink = False

    def item_pubdate(self, note):
        return note.made_at

    def item_updateddate(self, note):
        return note.made_at

    def item_categories(self, note):
        return [note.kind.name.capitalize()] if note.kind else []


site_feed = public_page(ChangesFeed())
